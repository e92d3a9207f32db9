"""The start-position shortcut (claimcheck.ruleset.starts) finds exactly what a plain scan finds.

Differential tests on random texts, for the default rules' patterns and for random patterns of the kind a
user writes, and the fallback when CPython's private regular-expression parser is not there.
"""

from __future__ import annotations

import re
import sys

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.documents import parse
from claimcheck.engine import Engine
from claimcheck.ruleset import RuleSet, default_rules_dir, load_rules, starts
from claimcheck.ruleset.patterns import FLAGS, PatternSet, merge
from claimcheck.ruleset.starts import LoweredText, finditer_from_starts, starters

from conftest import codes_at, lint_text, shared_nlp

# Pieces of clinical copy and near-misses: number words inside other words ("someone"), case folds that
# differ from ASCII lower-casing (the Kelvin sign, long s, dotted I), digits, separators.
FRAGMENTS = ["about ", "over ", "one", "someone", "twenty", "-five", "a hundred", "a  ", "1", "23", "4,500",
             "7.5", "%", " percent", " ", "  ", "\n", "-", "–", ",", ".", "(", ")", "x", "fda", "FDA", "F.D.A.",
             "approved", "-approved", "cleared", "by the ", "patients", " improved", " by ", "of ", "mm",
             "\u212a", "\u017f", "\u0130", "é", "out of ", "ten", "nine", "in ", "5"]
texts = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


def plain(pattern: regex.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def default_patterns() -> list[regex.Pattern[str]]:
    found = []
    for rule in load_rules([default_rules_dir()]):
        for value in vars(rule).values():
            if isinstance(value, PatternSet):
                found.extend(value.patterns)
    return found


SHORTCUT_PATTERNS = [p for p in default_patterns() if starters(p.pattern) is not None]


def test_the_shortcut_serves_many_default_patterns() -> None:
    assert len(SHORTCUT_PATTERNS) >= 10


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=texts, index=st.integers(min_value=0), window=st.sampled_from([256, 1, 4, 16]))
def test_default_patterns_shortcut_equals_plain_scan(text: str, index: int, window: int,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(starts, "WINDOW", window)  # set anew for each example, undone after the test
    pattern = SHORTCUT_PATTERNS[index % len(SHORTCUT_PATTERNS)]
    start = starters(pattern.pattern)
    assert start is not None
    lowered = LoweredText(text)
    if lowered.usable:
        assert [m.span() for m in finditer_from_starts(pattern, start, lowered, 5.0)] == plain(pattern, text)
    patterns = PatternSet("XX101", [pattern])
    assert patterns.spans(text) == merge(plain(pattern, text))
    assert patterns.search(text) == bool(plain(pattern, text))


# Random patterns built the way rule authors write them: words and number words, optional lead-ins,
# alternations, digits, white space, classes, word boundaries and look-behinds.
ATOMS = ["about", "one", "two", "ten", "twenty", "a", "fda", "f\\.d\\.a\\.", "approved", "percent", "\\d",
         "\\d+", "\\d{1,3}", "[0-9]", "[a-c]", "[,.]", "\\s+", "\\s?", "\\s*", "-", "%", "x", "of", "hundred"]


def _group(parts: list[str]) -> str:
    return "(?:" + "|".join(parts) + ")"


user_patterns = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(_group),
        inner.map(lambda p: f"(?:{p})?"),
        inner.map(lambda p: f"(?:{p})+"),
        inner.map(lambda p: f"\\b{p}"),
        inner.map(lambda p: f"(?<![\\w.]){p}"),
        inner.map(lambda p: f"{p}\\b"),
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(source=user_patterns, text=texts, window=st.sampled_from([256, 1, 3, 8]))
def test_user_patterns_shortcut_equals_plain_scan(source: str, text: str, window: int,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Also with tiny windows for the first, partial attempt at each candidate (see starts.match_at)."""
    monkeypatch.setattr(starts, "WINDOW", window)  # set anew for each example, undone after the test
    pattern = regex.compile(source, FLAGS)
    if pattern.search("") is not None:
        return  # rejected when rules load
    start = starters(source)
    lowered = LoweredText(text)
    if start is not None and lowered.usable:
        assert [m.span() for m in finditer_from_starts(pattern, start, lowered, 5.0)] == plain(pattern, text)
    spans = [(start, end) for start, end in plain(pattern, text) if end > start]  # empty ones are dropped
    assert PatternSet("XX101", [pattern]).spans(text) == merge(spans)


def test_without_the_private_parser_the_shortcut_is_off_and_findings_are_the_same(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python without ``re._parser`` must not break loading rules: every pattern is scanned whole."""
    draft = ("About 9 out of 10 patients reported relief after our FDA-approved treatment.\n\n"
             "Twenty-five percent fewer revisions were seen.\n")
    expected = codes_at(lint_text(draft))
    assert starters(r"(?:about\s+)?(?:one|two|three|\d+)\s*x") is not None
    monkeypatch.delattr(re, "_parser")
    monkeypatch.setitem(sys.modules, "re._parser", None)  # "from re import _parser" now raises ImportError
    assert starters(r"(?:about\s+)?(?:one|two|three|\d+)\s*x") is None
    rules = RuleSet(load_rules([default_rules_dir()]))
    engine = Engine(rules.selected(None, []), shared_nlp)
    assert codes_at(engine.lint(parse("draft.txt", draft))) == expected
    assert expected  # the draft has findings to compare
