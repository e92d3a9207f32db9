"""No default rule pattern takes super-linear time: each is timed on adversarial texts of 1x and 4x length.

The patterns are found by loading the rule files (see tests/pattern_growth.py, which can also be run on its
own after changing rules), so a new pattern is audited without editing this file.
"""

from __future__ import annotations

import pytest
import regex
from pattern_growth import MAX_RATIO, Pattern, growth, rule_patterns, super_linear

from claimcheck.ruleset.patterns import FLAGS

PATTERNS = rule_patterns()


def test_every_rule_file_contributes_patterns() -> None:
    assert len(PATTERNS) > 50
    assert {pattern.code for pattern in PATTERNS} >= {"CC101", "CC201", "CC301", "CC302"}


@pytest.mark.parametrize("pattern", PATTERNS,
                         ids=[f"{p.code}-{p.key}-{i}" for i, p in enumerate(PATTERNS)])
def test_default_pattern_grows_linearly(pattern: Pattern) -> None:
    assert [str(found) for found in super_linear(pattern)] == []


@pytest.mark.parametrize("source,unit", [
    (r"\b\d[\d,]*(?:\.\d+)?\s*(?:dollars|usd)\b", "1,"),  # the price pattern before it was bounded
    (r"(?:improv\w*)\s+by", "improv"),  # the change-word term before it was bounded
])
def test_the_audit_catches_the_quadratic_patterns_it_was_written_for(source: str, unit: str) -> None:
    quadratic = Pattern("XX101", "wording", regex.compile(source, FLAGS))
    assert growth(quadratic, unit, 250).ratio > MAX_RATIO
    assert unit in [found.unit for found in super_linear(quadratic, 250)]  # shorter texts: it is slow
