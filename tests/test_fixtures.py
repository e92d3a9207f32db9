"""Every fixture draft with a sidecar ``.expect`` file is linted and must give exactly those findings.

A folder holding a ``claims.yaml`` is linted against that claims registry, its expiry dates judged on
``REGISTRY_TODAY``.

A ``.expect`` file has one ``LINE:COL CODE`` per expected finding, or ``LINE:COL-LINE:COL CODE`` to pin the
end too (exclusive, as in the JSON output); ``#`` starts a comment, and an empty file means the draft must be
clean.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from claimcheck.claims.registry import load_registry
from claimcheck.config import Config
from claimcheck.engine import Engine
from claimcheck.files import decode

from conftest import FIXTURES, codes_at, default_engine, lint_text, make_engine

REGISTRY_TODAY = date(2026, 6, 1)

CASES = sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".txt", ".md", ".html", ".htm"}
               and p.with_name(p.name + ".expect").exists())


def expected(path: Path) -> list[str]:
    lines = path.with_name(path.name + ".expect").read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_every_fixture_has_expectations() -> None:
    drafts = [p for p in FIXTURES.rglob("*") if p.suffix in {".txt", ".md", ".html", ".htm"}]
    assert drafts, "no fixtures found"
    missing = [str(p) for p in drafts if p not in CASES]
    assert not missing, f"fixtures without a .expect file: {missing}"


@cache
def registry_engine(registry: Path) -> Engine:
    config = Config(claims_registry=registry)
    return make_engine(config, overrides={"claims-registry": load_registry(registry, today=REGISTRY_TODAY)})


def engine_for(path: Path) -> Engine:
    registry = path.parent / "claims.yaml"
    return registry_engine(registry) if registry.exists() else default_engine()


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_findings(path: Path) -> None:
    source = decode(path.read_bytes(), str(path))
    findings = lint_text(source, path=str(path), engine=engine_for(path))
    want = expected(path)
    ranged = [i for i, line in enumerate(want) if "-" in line.split()[0]]  # entries that pin the end too
    got = codes_at(findings)
    for i in ranged:
        if i < len(findings):
            f = findings[i]
            got[i] = f"{f.position.line}:{f.position.column}-{f.end_position.line}:{f.end_position.column} {f.code}"
    assert got == want
