"""How fast ``claimcheck server`` answers an editor: drives it over stdio as an editor does.

    python bench/lsp_benchmark.py [--edits N] [--words N] [--debounce MS]

* first diagnostics: a fresh server process, ``initialize`` answered, then ``didOpen`` of a 2,000-word
  Markdown draft; the time from sending ``didOpen`` to receiving its ``publishDiagnostics`` (and from
  starting the process, for reference);
* warm re-lint: the writer types one character at a time into a paragraph in the middle of the draft
  (each an incremental ``didChange``; every text is new, so no result is reused whole); the time from
  sending each ``didChange`` to receiving its ``publishDiagnostics``, minus nothing: the server is started
  with the debounce set to ``--debounce`` (default 0 ms) so the figure is the lint and the protocol alone.
  Median and 95th percentile are printed.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Composer, fixture_paragraphs
from lsp_driver import Server, edit

TYPED = "Patients asked about parking and the hours of the clinic on weekends and holidays. "


def markdown_draft(words: int, seed: int = 11) -> str:
    """A Markdown draft of about ``words`` words: a heading, paragraphs, a list every few paragraphs."""
    composer = Composer(seed, fixture_paragraphs())
    parts = [f"# {composer.random.choice(['Disc Repair', 'Back Pain', 'Sciatica'])} at the Clinic"]
    count = 0
    number = 0
    while count < words:
        text = composer.paragraph()
        number += 1
        if number % 6 == 0:
            parts.append(f"## Section {number // 6}")
        parts.append(f"- {text}" if number % 5 == 0 else text)
        count += len(text.split())
    return "\n\n".join(parts) + "\n"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--edits", type=int, default=60, help="one-character edits to time (default 60)")
    parser.add_argument("--words", type=int, default=2000, help="words in the draft (default 2000)")
    parser.add_argument("--debounce", type=float, default=0, help="the server's debounce in ms (default 0)")
    args = parser.parse_args()

    text = markdown_draft(args.words)
    lines = text.split("\n")
    # A prose line in the second half of the draft: the writer types at its start.
    target = next(i for i in range(len(lines) // 2, len(lines))
                  if len(lines[i]) > 40 and lines[i][0].isalpha())
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        uri = (root / "draft.md").as_uri()
        server = Server(cwd=root)
        try:
            server.initialize(root, options={"debounce": args.debounce})
            initialized = time.perf_counter()
            sent = server.open(uri, text)
            arrived, params = server.diagnostics(uri, timeout=120)
            first = arrived - sent
            from_start = arrived - server.started
            findings = len(params["diagnostics"])
            times = []
            for number in range(args.edits):
                char = TYPED[number % len(TYPED)]
                sent = server.change(uri, number + 2, [edit((target, number), (target, number), char)])
                arrived, params = server.diagnostics(uri)
                assert params["version"] == number + 2, params["version"]
                times.append(arrived - sent)
            status = server.close()
        finally:
            server.kill()
    print(f"claimcheck server, Python {platform.python_version()}, {platform.system()} {platform.machine()}")
    print(f"draft: {len(text.split()):,} words, {len(lines):,} lines, Markdown; {findings} findings")
    print(f"first diagnostics after didOpen (fresh server): {first * 1000:,.0f} ms "
          f"({from_start * 1000:,.0f} ms from process start; initialize answered at "
          f"{(initialized - server.started) * 1000:,.0f} ms)")
    print(f"re-lint after a one-character edit, {args.edits} edits, debounce {args.debounce:g} ms: "
          f"median {statistics.median(times) * 1000:.1f} ms, p95 {percentile(times, 0.95) * 1000:.1f} ms, "
          f"min {min(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
    print(f"exit status after shutdown/exit: {status}")
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
