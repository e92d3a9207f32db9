"""The Markdown reader's memory grows linearly with the draft, with a small constant.

6 MB of one-letter paragraphs once took 4.2 GB, a 10 MB table 2 GB: markdown-it kept every token of the
draft. Tables and lists may run for megabytes without a blank line, so they are cut too. Each measurement runs in a fresh interpreter (peak RSS is per process) at a safe scale, 1x and 4x,
and the growth between the two, per source byte, is bounded; fixed costs (the interpreter, the parser, one
chunk's tokens) cancel out.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

MEASURE = """
import resource, sys, time
from claimcheck.documents.markdown import read_markdown
unit, header, size = sys.argv[1].encode().decode("unicode_escape"), sys.argv[2], int(sys.argv[3])
source = header.encode().decode("unicode_escape") + unit * (size // len(unit))
started = time.perf_counter()
document = read_markdown("x.md", source)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, time.perf_counter() - started, len(source))
"""

CASES = {
    # (unit, header, growth bound in bytes of memory per source byte)
    "prose": ("In our clinic **most** patients [improved](https://x.test/p) after treatment &amp; went\\n"
              "home the same day.\\n\\n", "", 50),
    "table": ("| Relief for patients | 64% |\\n", "| Measure | Result |\\n| --- | --- |\\n", 50),
    "tight list": ("- an item on the **checklist**\\n", "", 50),  # no blank line anywhere
    # The worst case: a block every 3 bytes. Each block is a few Python objects (about 170 bytes: the
    # Block, its OffsetMap and its start offset), which sets a floor near 60x whatever the parser.
    "one-letter paragraphs": ("a\\n\\n", "", 80),
}


def measure(unit: str, header: str, size: int) -> tuple[int, float, int]:
    done = subprocess.run([sys.executable, "-c", MEASURE, unit, header, str(size)], capture_output=True,
                          text=True, timeout=600, check=True)
    peak, seconds, length = done.stdout.split()
    return int(peak), float(seconds), int(length)


@pytest.mark.parametrize("case", list(CASES))
def test_markdown_reader_memory_and_time_grow_linearly(case: str) -> None:
    unit, header, bound = CASES[case]
    size = 100_000 if case == "one-letter paragraphs" else 250_000
    small_peak, small_time, small_length = measure(unit, header, size)
    large_peak, large_time, large_length = measure(unit, header, 4 * size)
    growth = (large_peak - small_peak) / (large_length - small_length)
    assert growth < bound, f"{case}: {growth:.1f} bytes of memory per source byte"
    assert large_time / max(small_time, 1e-3) < 8, f"{case}: {small_time:.2f} s, then {large_time:.2f} s"
