"""The engine's memory grows linearly with the draft, with a small constant: blocks are parsed a bounded
batch at a time (claimcheck.blockdocs), not all up front.

A 4 MB table draft once peaked near 1 GB: every row with a claim kept its spaCy doc until the end of the
lint (about 110 bytes per source byte for such rows). Each measurement runs in a fresh interpreter (peak
RSS is per process), after a warm-up lint, at 1x and 4x; the growth between the two, per source byte, is
bounded, so fixed costs (the interpreter, the rules, the pipeline) cancel out.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

MEASURE = """
import resource, sys, time
from claimcheck.documents import parse
from claimcheck.engine import Engine
from claimcheck.nlp import build_pipeline
from claimcheck.ruleset import RuleSet, default_rules_dir, load_rules
unit, header, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = header + unit * (size // len(unit))
engine = Engine(RuleSet(load_rules([default_rules_dir()])), build_pipeline)
engine.lint(parse("warm.md", "In our study, 80% of patients reported less pain.\\n"))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
started = time.perf_counter()
findings = engine.lint(parse("draft.md", source))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - before, time.perf_counter() - started,
      len(source), len(findings))
"""

CASES = {
    # (unit, header, expected findings per unit)
    "table of claims": ("| Relief for knee patients after 6 weeks | 64% reported less pain |\n",
                        "| Measure | Result |\n| --- | --- |\n", 1),
    "paragraphs of claims": ("Most patients improved: 84% reported less back pain after six weeks.\n\n", "", 1),
}
BOUND = 70  # bytes of memory per source byte between 1x and 4x (about 110 when every doc was kept)


def measure(unit: str, header: str, size: int) -> tuple[int, float, int, int]:
    done = subprocess.run([sys.executable, "-c", MEASURE, unit, header, str(size)], capture_output=True,
                          text=True, timeout=900, check=True)
    peak, seconds, length, findings = done.stdout.split()
    return int(peak), float(seconds), int(length), int(findings)


@pytest.mark.parametrize("case", list(CASES))
def test_lint_memory_and_time_grow_linearly(case: str) -> None:
    unit, header, per_unit = CASES[case]
    size = 150_000
    small_peak, small_time, small_length, small_findings = measure(unit, header, size)
    large_peak, large_time, large_length, large_findings = measure(unit, header, 4 * size)
    # every unit is a claim (plus the document's missing statements): the lint did the work at both sizes
    assert large_findings - small_findings == per_unit * (4 * size // len(unit) - size // len(unit))
    growth = (large_peak - small_peak) / (large_length - small_length)
    assert growth < BOUND, f"{case}: {growth:.1f} bytes of memory per source byte"
    assert large_time / max(small_time, 1e-3) < 10, f"{case}: {small_time:.2f} s, then {large_time:.2f} s"
