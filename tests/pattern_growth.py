"""Audit rule patterns for super-linear matching time: the helper behind tests/test_pattern_growth.py.

Every pattern of every rule file is found dynamically (a new rule or pattern is covered without editing this
file) and scanned, as the engine's plain scan does, on adversarial texts of growing length: runs of short
units that keep a backtracking engine busy (digits and separators, white space, punctuation, the pattern's
own literal words). A pattern is flagged when its time on a 4x longer text grows by more than
``MAX_RATIO`` (linear growth is 4, quadratic 16), and again from 4x to 16x; only growth is judged, never
an absolute time.

Rerun it after changing rules (exit status 1 when a pattern is flagged)::

    .venv/bin/python tests/pattern_growth.py                # the default rule pack
    .venv/bin/python tests/pattern_growth.py my-rules/      # other rule files or folders
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from claimcheck.ruleset import default_rules_dir, load_rules
from claimcheck.ruleset.patterns import PatternSet

MAX_RATIO = 8.0  # 4x the text; linear is 4, quadratic 16: the bound leaves room for a noisy shared machine
# The 1x text. Small on purpose: from about 16,000 characters on, scans slow down by a step (the text no
# longer fits a processor cache), which would look like super-linear growth; 1,000 vs 4,000 stays below it.
BASE_CHARS = 1_000
MIN_SECONDS = 0.0005  # below this on the 4x text, timer noise outweighs any growth
REPEATS = 5  # the best of several timings, against noise

# Units that make a pattern try (and fail) long matches: number-like runs, white space, punctuation runs,
# and mixes of word characters and separators.
UNITS = ("1,", "1.", "1 ", "1", "12-", "1/", "1%", " ", "\t", "=", "[", "(", "&amp", "-", ".", "a ", "a",
         "a-", "a.", "A1", "x ", "improv", "-a", "of ", "in ")


@dataclass(frozen=True)
class Pattern:
    code: str
    key: str
    compiled: regex.Pattern[str]


@dataclass(frozen=True)
class Growth:
    pattern: Pattern
    unit: str
    small: float
    large: float

    @property
    def ratio(self) -> float:
        return self.large / max(self.small, 1e-9)

    def __str__(self) -> str:
        source = self.pattern.compiled.pattern
        shown = source if len(source) <= 100 else source[:97] + "..."
        return (f"{self.pattern.code} {self.pattern.key}: {self.ratio:.1f}x slower on 4x {self.unit!r} "
                f"({self.small * 1000:.1f} ms -> {self.large * 1000:.1f} ms): {shown}")


def rule_patterns(paths: Sequence[Path] = ()) -> list[Pattern]:
    """Every compiled pattern of every rule in ``paths`` (default: the shipped rule pack)."""
    found = []
    for rule in load_rules(list(paths) or [default_rules_dir()]):
        for key, value in vars(rule).items():
            if isinstance(value, PatternSet):
                found.extend(Pattern(rule.meta.code, key, compiled) for compiled in value.patterns)
    return found


def adversarial_units(pattern: Pattern) -> Iterator[str]:
    """The fixed units, then words the pattern spells out (a pattern is slowest on its own near-misses)."""
    yield from UNITS
    words = {word.lower() for word in regex.findall(r"(?<![\\\w])[A-Za-z]{3,}", pattern.compiled.pattern)}
    for word in sorted(words)[:8]:
        yield word + " "
        yield word[:-1]


def _scan_seconds(compiled: regex.Pattern[str], text: str) -> float:
    """CPU seconds of one scan: on a shared machine, waiting for a core would count as wall-clock time."""
    started = time.process_time()
    for _match in compiled.finditer(text):
        pass
    return time.process_time() - started


def growth(pattern: Pattern, unit: str, base_chars: int = BASE_CHARS) -> Growth:
    """The best of ``REPEATS`` timings on texts of ``base_chars`` and four times that, taken in turn so
    that a burst of load on a shared machine slows both lengths alike."""
    count = max(1, base_chars // len(unit))
    small_text, large_text = unit * count, unit * (4 * count)
    small = large = float("inf")
    for _ in range(REPEATS):
        small = min(small, _scan_seconds(pattern.compiled, small_text))
        large = min(large, _scan_seconds(pattern.compiled, large_text))
    return Growth(pattern, unit, small, large)


def super_linear(pattern: Pattern, base_chars: int = BASE_CHARS) -> list[Growth]:
    """The units on which ``pattern`` grows faster than linearly.

    A unit that grows by more than ``MAX_RATIO`` from 1x to 4x is measured twice more from 4x to 16x: a
    quadratic pattern grows by about 16 every time, while a linear one can slow down by one step where
    its working memory outgrows a processor cache (between 1,000 and 16,000 characters for the longest
    default patterns), and a busy machine slows a timing now and then. Only growth that holds over both
    ranges, every time, is reported.
    """
    flagged = []
    for unit in adversarial_units(pattern):
        measured = growth(pattern, unit, base_chars)
        if measured.large < MIN_SECONDS or measured.ratio <= MAX_RATIO:
            continue
        if all(growth(pattern, unit, 4 * base_chars).ratio > MAX_RATIO for _ in range(2)):
            flagged.append(measured)
    return flagged


def main(argv: Sequence[str]) -> int:
    patterns = rule_patterns([Path(arg) for arg in argv])
    flagged = [found for pattern in patterns for found in super_linear(pattern)]
    for found in flagged:
        print(found)
    print(f"{len(patterns)} patterns checked, {len(flagged)} super-linear cases")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
