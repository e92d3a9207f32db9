"""The engine keeps nothing between lints unless the caller passes a memo, and a memo changes no finding.

A lint's memos (parsed blocks, pattern scans) belong to that lint; a caller that re-lints one document
(a language server after each keystroke) may keep a ``LintMemo`` so that unchanged paragraphs are neither
parsed nor scanned again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from claimcheck.documents import parse
from claimcheck.engine import Engine
from claimcheck.errors import RuleError
from claimcheck.memo import LintMemo
from claimcheck.nlp import bounded
from claimcheck.ruleset import load_rules
from claimcheck.ruleset.patterns import Matcher, PatternSet

from conftest import codes_at, default_engine

FIRST = (
    "# Knee care at our clinic\n\n"
    "Our FDA-approved knee injection helps active people.\n\n"
    "In our review, 84% of patients reported less knee pain after six weeks.\n\n"
    "Visits take about 30 minutes and parking is free.\n\n"
    "Nine in ten patients said they would recommend the injection to a friend.\n"
)
SECOND = (
    "Shoulder therapy\n\n"
    "About 70% of our shoulder patients regained full range of motion within 3 months.\n\n"
    "Individual outcomes vary.\n"
)
# FIRST with its third paragraph changed (as a writer changes one paragraph between two lints)
EDITED = FIRST.replace("84% of patients reported less knee pain", "86% of patients reported less knee pain")


@pytest.fixture()
def parses(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts the engine tokenizes, in order."""
    seen: list[str] = []
    real = bounded.make_doc

    def counting(nlp, text, check=None):  # type: ignore[no-untyped-def]
        seen.append(text)
        return real(nlp, text, check)

    monkeypatch.setattr(bounded, "make_doc", counting)
    yield seen


@pytest.fixture()
def scans(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The texts pattern sets scan (not answered from a memo), one entry per pattern set and text."""
    seen: list[str] = []
    real = PatternSet._scan_text

    def counting(self: PatternSet, text: str, matcher: Matcher) -> tuple[bool, list[tuple[int, int]]]:
        seen.append(text)
        return real(self, text, matcher)

    monkeypatch.setattr(PatternSet, "_scan_text", counting)
    yield seen


def lint(text: str, engine: Engine, memo: LintMemo | None = None) -> list[str]:
    return codes_at(engine.lint(parse("knee.md", text), memo))


def test_a_draft_linted_again_after_another_gives_the_same_findings_with_the_same_work(
        parses: list[str], scans: list[str]) -> None:
    engine = default_engine()
    first = lint(FIRST, engine)
    work = (list(parses), len(scans))
    assert first == ["1:1 CC301", "1:1 CC302", "3:5 CC201", "5:16 CC101", "9:1 CC101"]
    assert lint(SECOND, engine) == ["1:1 CC301", "3:7 CC101"]
    parses.clear()
    scans.clear()
    # Nothing from the two lints before survives: the draft is parsed and scanned as the first time.
    assert lint(FIRST, engine) == first
    assert (parses, len(scans)) == work
    assert len(work[0]) == 3 and work[1] > 20  # the two claims and the FDA wording; many scans


def test_a_memo_kept_across_lints_reparses_and_rescans_only_the_changed_paragraph(
        parses: list[str], scans: list[str]) -> None:
    engine = default_engine()
    memo = LintMemo()
    assert lint(FIRST, engine, memo) == ["1:1 CC301", "1:1 CC302", "3:5 CC201", "5:16 CC101", "9:1 CC101"]
    parses.clear()
    scans.clear()
    found = lint(EDITED, engine, memo)
    changed = "In our review, 86% of patients reported less knee pain after six weeks."
    assert parses == [changed]
    blocks = {block.text for block in parse("knee.md", EDITED).blocks}
    assert {text for text in scans if text in blocks} == {changed}  # the other paragraphs: remembered
    assert found == lint(EDITED, engine)  # exactly what a lint without a memo finds
    assert memo.doc("Nine in ten patients said they would recommend the injection to a friend.",
                    engine.nlp) is not None


def test_the_memo_keeps_the_most_recently_used_texts_within_its_bounds() -> None:
    memo = LintMemo(max_entries=3, max_chars=100)
    for text in ("one", "two", "three", "four"):
        memo.entry(text)
    assert [text in memo for text in ("one", "two", "three", "four")] == [False, True, True, True]
    kept = memo.entry("two")  # used again: now the newest
    memo.entry("five")
    assert [text in memo for text in ("two", "three", "four", "five")] == [True, False, True, True]
    assert memo.entry("two") is kept
    memo.entry("x" * 95)  # 106 characters with the others: the oldest ("four", "five") go, 98 are left
    assert [text in memo for text in ("four", "five", "two", "x" * 95)] == [False, False, True, True]
    memo.entry("y" * 500)  # larger than the memo: the newest entry always stays
    assert len(memo) == 1 and "y" * 500 in memo
    with pytest.raises(ValueError):
        LintMemo(max_entries=0)


RULE = """\
code: XX101
name: bad-pattern
kind: restricted-wording
message: wording
description: a rule whose pattern does not compile
wording: ["guaranteed(", "cure"]
"""


def test_rule_validation_is_an_argument_not_a_setting_of_the_process(tmp_path: Path) -> None:
    path = tmp_path / "XX101.yaml"
    path.write_text(RULE, encoding="utf-8")
    (lazy,) = load_rules([path], validate=False)  # trusted: compiled on first use, nothing checked now
    assert lazy.meta.code == "XX101"
    with pytest.raises(RuleError, match="invalid pattern 'guaranteed\\('"):
        load_rules([path])  # the default validates, whatever was loaded before
    good = PatternSet.compile("XX102", ["cure[sd]?"], {}, lazy._located, (), validate=False)
    assert good.spans("it cured me") == [(3, 8)]
