"""Acceptance: on the reference drafts in ../shared/corpus the findings equal expected.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, lint_text

pytestmark = pytest.mark.skipif(not (CORPUS / "expected.yaml").exists(), reason="../shared/corpus not present")

EXPECTED = yaml.safe_load((CORPUS / "expected.yaml").read_text()) if (CORPUS / "expected.yaml").exists() else {}
CODES = ("CC101", "CC201", "CC301", "CC302")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_draft(name: str) -> None:
    spec = EXPECTED[name]
    path: Path = CORPUS / name
    findings = lint_text(path.read_text(encoding="utf-8"), path=str(path))
    ambiguous = spec.get("ambiguous") or {}
    for code in CODES:
        got = sorted({f.position.line for f in findings if f.code == code})
        want = spec.get(code)
        if isinstance(want, bool):
            assert (got == [1]) if want else (got == []), f"{name} {code}: got lines {got}"
            continue
        maybe = set(ambiguous.get(code, []))
        assert [line for line in got if line not in maybe] == sorted(want), f"{name} {code}"
        assert all(f.position.column == 1 for f in findings if f.code == code and isinstance(want, bool))
