"""Shared helpers: lint text or files with the default rules, isolated from any user configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from claimcheck.config import Config
from claimcheck.documents import parse
from claimcheck.engine import Engine
from claimcheck.model import Finding
from claimcheck.nlp import build_pipeline
from claimcheck.ruleset import RuleSet, default_rules_dir, load_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"

_NLP = None


def shared_nlp():  # type: ignore[no-untyped-def]
    global _NLP
    if _NLP is None:
        _NLP = build_pipeline()
    return _NLP


def make_engine(config: Config | None = None, extra_rules: Sequence[Path] = (),
                overrides: dict[str, object] | None = None) -> Engine:
    """An engine with the default rules (and ``extra_rules``) as ``config`` sets them; ``overrides``
    replace the configuration's rule overrides (a claims registry loaded with a fixed date)."""
    config = config or Config()
    rules = RuleSet(load_rules([default_rules_dir(), *extra_rules], {**config.rule_overrides(), **(overrides or {})}))
    return Engine(rules.selected(config.select, config.ignore), shared_nlp)


_DEFAULT_ENGINE: Engine | None = None


def default_engine() -> Engine:
    global _DEFAULT_ENGINE
    if _DEFAULT_ENGINE is None:
        _DEFAULT_ENGINE = make_engine()
    return _DEFAULT_ENGINE


def lint_text(source: str, path: str = "draft.txt", fmt: str | None = None,
              engine: Engine | None = None) -> list[Finding]:
    return (engine or default_engine()).lint(parse(path, source, fmt))


def codes_at(findings: Sequence[Finding]) -> list[str]:
    """Findings as "LINE:COL CODE" strings, the form used by fixture .expect files."""
    return [f"{f.position.line}:{f.position.column} {f.code}" for f in findings]


def run_cli(*args: str, cwd: Path | None = None, input: bytes | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a subprocess (as users and hooks do)."""
    # Without COLUMNS, a report that is piped is 100 columns wide whatever terminal runs the tests.
    inherited = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    full_env = {**inherited, "NO_COLOR": "1", **(env or {})}
    done = subprocess.run([sys.executable, "-m", "claimcheck", *args], cwd=cwd or ROOT, input=input or b"",
                          capture_output=True, env=full_env, timeout=300)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


@pytest.fixture()
def engine() -> Engine:
    return default_engine()
