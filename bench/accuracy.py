#!/usr/bin/env python3
"""Score the default rules on labelled drafts: precision and recall per family, every miss and false alarm.

    python3 dev.py accuracy                       # ../shared/corpus: the reference drafts, dev/a and dev/b
    python3 bench/accuracy.py LABELS.yaml ...     # other labelled sets (same format)
    python3 bench/accuracy.py --quiet             # the figures only

Labels are the corpus format (``files: {name: {outcome: {flag: {LINE: ...}, ambiguous: [...]}, fda: ...,
disclaimer: true|false|null}}``, names relative to the labels file). A finding counts for (file, line,
family): on a flagged line it is a true positive, on an ambiguous line it is ignored, on any other line it is
a false alarm; a flagged line without a finding is a miss; the disclaimer family is judged per file. Drafts
are linted as a user lints them: ``claimcheck check --isolated --no-cache --format json``. Exit status 1 when
a family is below --min (default 0: report only).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
FAMILIES = {"CC1": "outcome", "CC2": "fda", "CC3": "disclaimer"}


def default_labels() -> list[Path]:
    """The reference drafts' labels and the development halves, where ../shared/corpus exists."""
    return [p for p in [CORPUS / "labels.yaml", *sorted(CORPUS.glob("dev/*/labels.yaml"))] if p.exists()]


@dataclass
class Family:
    name: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[tuple[Path, int]] = field(default_factory=list)
    false_alarms: list[tuple[Path, int]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_labels(files: Iterable[Path]) -> dict[Path, dict]:  # type: ignore[type-arg]
    truth = {}
    for labels in files:
        for name, label in (yaml.safe_load(labels.read_text(encoding="utf-8"))["files"] or {}).items():
            truth[(labels.parent / name).resolve()] = label
    return truth


def lint(paths: list[Path]) -> dict[tuple[Path, str], set[int]]:
    """(draft, family) -> lines with a finding of that family."""
    command = [sys.executable, "-m", "claimcheck", "check", "--isolated", "--no-cache", "--format", "json",
               *map(str, paths)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    try:
        data = json.loads(run.stdout or "[]")
    except json.JSONDecodeError:
        sys.exit(f"claimcheck printed no JSON (exit {run.returncode}): {run.stderr.strip()[-300:]}")
    found: dict[tuple[Path, str], set[int]] = {}
    for finding in data.get("findings", []) if isinstance(data, dict) else data:
        family = FAMILIES.get(str(finding.get("code", ""))[:3])
        if family:
            found.setdefault((Path(finding["path"]).resolve(), family), set()).add(int(finding["line"]))
    return found


def score(truth: dict[Path, dict]) -> dict[str, Family]:  # type: ignore[type-arg]
    found = lint(sorted(truth))
    families = {name: Family(name) for name in ("outcome", "fda", "disclaimer")}
    for path, label in truth.items():
        for name in ("outcome", "fda"):
            spec = label.get(name) or {}
            flagged = {int(line) for line in (spec.get("flag") or {})}
            ambiguous = {int(line) for line in spec.get("ambiguous") or []}
            got = found.get((path, name), set())
            family = families[name]
            family.tp += len(got & flagged)
            family.misses += [(path, line) for line in sorted(flagged - got)]
            family.false_alarms += [(path, line) for line in sorted(got - flagged - ambiguous)]
        expected = label.get("disclaimer")
        if expected is not None:
            family, fired = families["disclaimer"], bool(found.get((path, "disclaimer")))
            if fired and expected:
                family.tp += 1
            elif fired:
                family.false_alarms.append((path, 1))
            elif expected:
                family.misses.append((path, 1))
    for family in families.values():
        family.fn, family.fp = len(family.misses), len(family.false_alarms)
    return families


def _line(path: Path, number: int) -> str:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    return text if len(text) <= 150 else text[:149] + "…"


def report(families: dict[str, Family], quiet: bool = False) -> str:
    out = []
    for family in families.values():
        if not quiet:
            for kind, places in (("miss", family.misses), ("false alarm", family.false_alarms)):
                for path, line in places:
                    where = path.relative_to(CORPUS) if path.is_relative_to(CORPUS) else path
                    out.append(f"  {family.name:<10} {kind:<11} {where}:{line}: {_line(path, line)}")
        out.append(f"{family.name:<10} precision {family.precision:.2f} recall {family.recall:.2f}  "
                   f"(tp {family.tp} fp {family.fp} fn {family.fn})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", nargs="*", type=Path, help="labels files (default: ../shared/corpus)")
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    parser.add_argument("--min", type=float, default=0.0, help="exit 1 unless every P and R reaches this")
    args = parser.parse_args(argv)
    labels = args.labels or default_labels()
    if not labels:
        print(f"no labelled drafts: {CORPUS} not found (name labels files to score others)", file=sys.stderr)
        return 2
    families = score(load_labels(labels))
    print(report(families, args.quiet))
    worst = min(min(f.precision, f.recall) for f in families.values())
    return 0 if worst >= args.min else 1


if __name__ == "__main__":
    sys.exit(main())
