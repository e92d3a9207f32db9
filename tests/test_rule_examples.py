"""Every rule documents itself with failing and passing examples, and they must hold.

A failing example may mark what the rule must flag with ``«`` and ``»``: the findings of that rule are then
exactly the marked spans (so an example asserts where the claim is, not only that the rule fires).
"""

from __future__ import annotations

import pytest

from claimcheck.engine import Engine
from claimcheck.rulecheck import examples_engine
from claimcheck.ruleset import RuleSet, default_rules_dir, load_rules

from conftest import lint_text, shared_nlp

RULES = load_rules([default_rules_dir()])
# Every rule as its examples assume it: the claims-registry rules, off without a registry, with their own.
EXAMPLES_ENGINE = examples_engine(Engine(RuleSet(RULES), shared_nlp))
MARKS = "«»"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_rule_has_examples(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.meta.examples_fail, f"{rule.meta.code} has no failing examples"
    assert rule.meta.examples_pass, f"{rule.meta.code} has no passing examples"


def marked_spans(example: str) -> tuple[str, list[str]]:
    """The example without its marks, and the marked texts in order."""
    text, spans, start = "", [], None
    for char in example:
        if char == "«":
            start = len(text)
        elif char == "»":
            assert start is not None, f"unbalanced marks in {example!r}"
            spans.append(text[start:])
            start = None
        else:
            text += char
    return text, spans


CASES = [(rule.meta.code, verdict, text) for rule in RULES
         for verdict, examples in (("fail", rule.meta.examples_fail), ("pass", rule.meta.examples_pass))
         for text in examples]


@pytest.mark.parametrize("code,verdict,text", CASES, ids=[f"{c}-{v}-{i}" for i, (c, v, _) in enumerate(CASES)])
def test_rule_example(code: str, verdict: str, text: str) -> None:
    draft, spans = marked_spans(text)
    findings = [f for f in lint_text(draft, engine=EXAMPLES_ENGINE) if f.code == code]
    if verdict == "fail":
        assert findings, f"{code} should flag: {draft!r}"
        if spans:
            assert [f.excerpt for f in findings] == spans, f"{code} flags the wrong span in {draft!r}"
    else:
        assert not spans, "a passing example has nothing to mark"
        assert not findings, f"{code} should not flag: {draft!r}"


@pytest.mark.parametrize("code", ["CC101", "CC201"])
def test_detection_rules_mark_every_failing_example(code: str) -> None:
    rule = next(r for r in RULES if r.meta.code == code)
    unmarked = [e for e in rule.meta.examples_fail if "«" not in e]
    assert not unmarked, f"{code} examples without a marked span: {unmarked}"
