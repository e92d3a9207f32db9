"""Every rule documents itself with failing and passing examples, and they must hold."""

from __future__ import annotations

import pytest

from claimcheck.ruleset import default_rules_dir, load_rules

from conftest import default_engine, lint_text

RULES = load_rules([default_rules_dir()])


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.meta.code)
def test_rule_has_examples(rule) -> None:  # type: ignore[no-untyped-def]
    assert rule.meta.examples_fail, f"{rule.meta.code} has no failing examples"
    assert rule.meta.examples_pass, f"{rule.meta.code} has no passing examples"


CASES = [(rule.meta.code, verdict, text) for rule in RULES
         for verdict, examples in (("fail", rule.meta.examples_fail), ("pass", rule.meta.examples_pass))
         for text in examples]


@pytest.mark.parametrize("code,verdict,text", CASES, ids=[f"{c}-{v}-{i}" for i, (c, v, _) in enumerate(CASES)])
def test_rule_example(code: str, verdict: str, text: str) -> None:
    codes = [f.code for f in lint_text(text, engine=default_engine())]
    if verdict == "fail":
        assert code in codes, f"{code} should flag: {text!r}"
    else:
        assert code not in codes, f"{code} should not flag: {text!r}"
