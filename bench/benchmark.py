#!/usr/bin/env python3
"""Benchmark claimcheck: throughput, start-up latency, memory and the results cache.

    python bench/benchmark.py                      # 500 drafts of ~1,300 words, 3 runs per figure
    python bench/benchmark.py --drafts 100 --runs 1
    python bench/benchmark.py --markdown           # the table as Markdown, for BENCHMARKS.md

Needs only claimcheck's own dependencies. Every figure is a whole-process wall-clock median over --runs
runs of ``python -m claimcheck check`` (default rules, --isolated), except "warm per-file latency", which
lints one draft repeatedly in this process. Peak memory is the child's ru_maxrss.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import write_corpus, write_single  # noqa: E402


def timed(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """(wall seconds, peak RSS in KiB, CPU seconds) of one child process and the workers it reaped."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    stderr = child.stderr.read().decode() if child.stderr else ""
    if child.stderr:
        child.stderr.close()
    if child.returncode not in (0, 1):
        raise SystemExit(f"command failed ({child.returncode}): {' '.join(command)}\n{stderr}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def check_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "claimcheck", "check", "--isolated", "--quiet", *args]


def median_run(command: list[str], cwd: Path, runs: int,
               before: list[str] | None = None) -> tuple[float, int, float]:
    """Median wall seconds, largest peak RSS (KiB), median CPU seconds."""
    times, peaks, cpus = [], [], []
    for _ in range(runs):
        if before:
            subprocess.run(before, cwd=cwd, stdout=subprocess.DEVNULL, check=True)
        elapsed, peak, cpu = timed(command, cwd)
        times.append(elapsed)
        peaks.append(peak)
        cpus.append(cpu)
    return statistics.median(times), max(peaks), statistics.median(cpus)


def warm_latency(path: Path, repeats: int) -> float:
    """Median seconds to lint one draft in a process that has linted before (pipeline built)."""
    from claimcheck.config import Config
    from claimcheck.runner import RunOptions, build_engine, load_document

    config = Config()
    engine = build_engine(config, [])
    options = RunOptions(paths=[str(path)])
    engine.lint(load_document(str(path), config, options))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        engine.lint(load_document(str(path), config, options))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--drafts", type=int, default=500, help="drafts in the corpus (default 500)")
    parser.add_argument("--words", type=int, default=1300, help="words per draft (default 1300)")
    parser.add_argument("--runs", type=int, default=3,
                        help="runs per figure; the median is shown (default 3)")
    parser.add_argument("--cold-runs", type=int, default=7, help="runs for the start-up figures (default 7)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep the corpus here (default: a temp dir)")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()

    work = args.workdir or Path(tempfile.mkdtemp(prefix="claimcheck-bench-"))
    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    words = write_corpus(corpus, args.drafts, args.words)
    single = work / "single.txt"
    single_words = write_single(single)
    cache = work / "cache"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")  # other work on the machine
    rows: list[tuple[str, str]] = []

    def add(name: str, value: str) -> None:
        rows.append((name, value))
        if not args.markdown:
            print(f"  {name:<44} {value}", flush=True)

    import spacy

    import claimcheck

    cpus = os.cpu_count()
    print(f"claimcheck {claimcheck.__version__}, spaCy {spacy.__version__}, "
          f"Python {platform.python_version()}, "
          f"{platform.system()} {platform.machine()}, {cpus} CPUs, load average {load:.2f} at start")
    print(f"corpus: {args.drafts} drafts, {words:,} words; single draft: {single_words:,} words; "
          f"medians of {args.runs} runs ({args.cold_runs} for start-up)\n")

    one, peak_one, cpu_one = median_run(check_command("--no-cache", "--jobs", "1", str(corpus)), work,
                                        args.runs)
    add("throughput, --jobs 1", f"{words / one:,.0f} words/s ({one:.2f} s)")
    add("  per CPU-second, --jobs 1", f"{words / cpu_one:,.0f} words/CPU-s ({cpu_one:.2f} CPU-s)")
    two, _, cpu_two = median_run(check_command("--no-cache", "--jobs", "2", str(corpus)), work, args.runs)
    add("throughput, --jobs 2", f"{words / two:,.0f} words/s ({two:.2f} s, {cpu_two:.2f} CPU-s)")
    add("peak RSS, --jobs 1 (one process)", f"{peak_one / 1024:.0f} MiB")

    bare, cold, bare_cpu, cold_cpu = [], [], [], []
    for _ in range(args.cold_runs):  # interleaved, so both see the same machine load
        elapsed, _, cpu = timed([sys.executable, "-c", "import spacy"], work)
        bare.append(elapsed)
        bare_cpu.append(cpu)
        elapsed, _, cpu = timed(check_command("--no-cache", str(single)), work)
        cold.append(elapsed)
        cold_cpu.append(cpu)
    bare_s, cold_s = statistics.median(bare), statistics.median(cold)
    add("cold process, bare `import spacy`",
        f"{bare_s * 1000:.0f} ms ({statistics.median(bare_cpu) * 1000:.0f} ms CPU)")
    add(f"cold process, one {single_words:,}-word draft",
        f"{cold_s * 1000:.0f} ms ({statistics.median(cold_cpu) * 1000:.0f} ms CPU)")
    add("  difference (target <= 150 ms)", f"{(cold_s - bare_s) * 1000:+.0f} ms "
        f"({(statistics.median(cold_cpu) - statistics.median(bare_cpu)) * 1000:+.0f} ms CPU)")
    add("warm per-file latency (in process)", f"{warm_latency(single, 20) * 1000:.1f} ms")

    clean = [sys.executable, "-m", "claimcheck", "clean", "--cache-dir", str(cache)]
    first, _, _ = median_run(check_command("--cache-dir", str(cache), str(corpus)), work, args.runs,
                             before=clean)
    second, _, _ = median_run(check_command("--cache-dir", str(cache), str(corpus)), work, args.runs)
    add("cache: first run (empty cache, default jobs)", f"{first:.2f} s ({words / first:,.0f} words/s)")
    add("cache: second run (unchanged corpus)", f"{second:.2f} s ({words / second:,.0f} words/s)")
    add("  second / first (target < 10%)", f"{100 * second / first:.1f}%")

    if args.markdown:
        print("| Figure | Value |\n|---|---|")
        for name, value in rows:
            print(f"| {name.strip()} | {value} |")
    end_load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nload average {end_load:.2f} at end; on a shared machine, the CPU-second figures are steadier")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
