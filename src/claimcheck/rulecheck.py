"""``claimcheck rules --check``: every rule's own ``examples`` must hold, for the shipped rules and yours.

A ``fail`` example that its rule does not flag, or a ``pass`` example that it does, is a rule-file error at
the example's line and column, so a team rule that does not do what its author showed is caught before it
guards (or blocks) real drafts.
"""

from __future__ import annotations

from pathlib import Path

from claimcheck.documents import parse
from claimcheck.engine import Engine
from claimcheck.errors import ClaimcheckError, RuleError
from claimcheck.families import RuleKind
from claimcheck.ruleset import yamlpos

EXCERPT = 60  # characters of an example quoted in an error


def example_position(rule: RuleKind, verdict: str, index: int) -> tuple[int | None, int | None]:
    """Where example ``index`` of ``verdict`` stands in the rule's file (found again by the rule's code)."""
    try:
        located = yamlpos.load(Path(rule.meta.source).read_text(encoding="utf-8-sig"), rule.meta.source,
                               RuleError)
    except (OSError, UnicodeDecodeError, ClaimcheckError):
        return (None, None)
    items = located.value if isinstance(located.value, list) else [located.value]
    for number, item in enumerate(items):
        if isinstance(item, dict) and item.get("code") == rule.meta.code:
            at = (number,) if isinstance(located.value, list) else ()
            return located.where(at + ("examples", verdict, index))
    return (None, None)


def quoted(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= EXCERPT else flat[:EXCERPT - 1] + "…")


def examples_engine(engine: Engine) -> Engine:
    """An engine with the same rules as their examples assume them (a claims-registry rule with its
    example registry), sharing ``engine``'s pipeline."""
    from claimcheck.ruleset.registry import RuleSet

    return Engine(RuleSet([rule.for_examples() for rule in engine.rules], known=engine.rules.known),
                  lambda: engine.nlp, seconds_per_mib=engine.seconds_per_mib)


def check_examples(engine: Engine) -> tuple[int, list[RuleError]]:
    """The number of examples checked, and an error for each one that does not hold."""
    errors: list[RuleError] = []
    checked = 0
    engine = examples_engine(engine)
    for rule in engine.rules:
        code = rule.meta.code
        for verdict, examples in (("fail", rule.meta.examples_fail), ("pass", rule.meta.examples_pass)):
            for index, text in enumerate(examples):
                checked += 1
                findings = engine.lint(parse("example.txt", text, "text"))
                flagged = code in {finding.code for finding in findings}
                if flagged == (verdict == "fail"):
                    continue
                line, column = example_position(rule, verdict, index)
                problem = (f"failing example is not flagged by {code}" if verdict == "fail"
                           else f"passing example is flagged by {code}")
                errors.append(RuleError(f"{problem}: {quoted(text)}", path=rule.meta.source, line=line,
                                        column=column))
    return checked, errors
