"""The two speed-ups of pattern scanning change no match: differential tests against plain scans.

* ``starts.Vocabulary`` finds the candidate starts of all the groups of a pattern set in one pass; they
  must equal the ones found literal by literal (``starts._candidate_starts``).
* ``required.required_literals`` names words a pattern cannot match without; whenever a pattern matches,
  the lower-cased text holds one of them.
"""

from __future__ import annotations

import pytest
import regex
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_starts import FRAGMENTS, texts, user_patterns

from claimcheck.ruleset import default_rules_dir, load_rules, starts
from claimcheck.ruleset.patterns import FLAGS, PatternSet, merge
from claimcheck.ruleset.required import required_literals
from claimcheck.ruleset.starts import LoweredText, Vocabulary, _candidate_starts, starters

# Words and number words next to each other and inside other words, non-ASCII word characters before a
# literal ("éone", "ñtwo"), marks that are not word characters, spaced starters ("a  hundred").
MORE = FRAGMENTS + ["é", "ñ", "\u0301", "$", "~", "≥", "20/", "20/20", "at least ", "up to ", "as many as ",
                    "weeks", "pain", "improved", "half", "percent", "pc", "_", "twone", "overall"]
rich_texts = st.lists(st.sampled_from(MORE), max_size=60).map("".join)


def default_sets() -> list[PatternSet]:
    return [value for rule in load_rules([default_rules_dir()]) for value in vars(rule).values()
            if isinstance(value, PatternSet) and value]


SETS = default_sets()
GROUPS = [[start for start, _ in patterns._by_starters] for patterns in SETS]
GROUPS = [groups for groups in GROUPS if groups]


def test_the_default_vocabularies_use_the_one_pass_scanner() -> None:
    scanned = [Vocabulary(groups) for groups in GROUPS]
    assert sum(vocabulary._trie is not None for vocabulary in scanned) >= 3  # CC101's long word lists


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=rich_texts, index=st.integers(min_value=0))
def test_a_vocabulary_finds_the_candidates_a_search_per_literal_finds(text: str, index: int) -> None:
    groups = GROUPS[index % len(GROUPS)]
    lowered = LoweredText(text)
    if not lowered.usable:
        return
    found = Vocabulary(groups).scan(lowered)
    for group in groups:
        assert found.get(group, []) == _candidate_starts(LoweredText(text), group), group


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(sources=st.lists(user_patterns, min_size=1, max_size=4), text=texts)
def test_random_pattern_sets_scanned_in_one_pass_match_as_plain_scans(
        sources: list[str], text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one-pass scanner even for a vocabulary of one word (it serves long word lists otherwise)."""
    monkeypatch.setattr(starts, "MIN_SCANNED_LITERALS", 1)
    compiled = [regex.compile(source, FLAGS) for source in sources]
    compiled = [pattern for pattern in compiled if pattern.search("") is None]  # rejected when rules load
    if not compiled:
        return
    spans = merge([m.span() for pattern in compiled for m in pattern.finditer(text) if m.end() > m.start()])
    assert PatternSet("XX101", compiled).spans(text) == spans


@settings(max_examples=500, deadline=None)
@given(source=user_patterns, text=texts)
def test_a_match_always_holds_a_required_literal(source: str, text: str) -> None:
    pattern = regex.compile(source, FLAGS)
    required = required_literals(source)
    if required is None or not LoweredText(text).usable:
        return
    for match in pattern.finditer(text):
        assert any(literal in match.group().lower() for literal in required), (required, match.group())


def test_default_patterns_match_only_where_a_required_literal_stands() -> None:
    samples = ["About 84% of our patients reported less pain after 6 weeks.", "Nine in ten would recommend it.",
               "FDA-approved as a sealant", "a  hundred people walked two miles", "twice as many", "≥5% fewer",
               "Our clinic is open from 9 to 5; call (555) 123-4567.", "from 7/10 to 2/10 in 12 weeks"]
    checked = 0
    for patterns in SETS:
        for pattern in patterns.patterns:
            required = required_literals(pattern.pattern)
            for text in samples:
                for match in pattern.finditer(text):
                    checked += 1
                    assert required is None or any(x in match.group().lower() for x in required), pattern.pattern
    assert checked > 20


def test_required_literals_of_typical_patterns() -> None:
    assert required_literals(r"\d+\s?(?:%|percent\b|per[\s-]cent\b|pc\b)") == {"%", "cent", "pc"}
    assert required_literals(r"\b(?:were|was)\s+able\s+to\b") == {"able"}
    assert required_literals(r"\d+(?:\s*mm)?") is None  # nothing but digits is certain
    assert required_literals(r"(?:a|)\s*x") == {"x"}
    assert required_literals(r"[~<>]\d") == {"~", "<", ">"}
    assert required_literals(r"Ärzte \d+") is None  # a cased non-ASCII letter: left to the engine


def test_a_text_without_the_required_words_skips_the_pattern_with_the_same_result() -> None:
    patterns = PatternSet("XX101", [regex.compile(r"\d+\s?%", FLAGS), regex.compile(r"\bcured\b", FLAGS)])
    assert patterns.spans("We saw 40 patients; 12 were cured.") == [(28, 33)]
    assert patterns.spans("We saw 40% fewer visits") == [(7, 10)]
    assert starters(r"\d+\s?%") is None  # scanned whole: the required literal is what rules the text out
