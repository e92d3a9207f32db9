#!/usr/bin/env python3
"""How long the HTML report of the 500-draft benchmark corpus takes to make, how big it is, and how long
headless Chromium takes to open it.

    python bench/html_report.py                  # 500 drafts, 3 runs of each format
    python bench/html_report.py --drafts 100 --runs 1 --screenshot /tmp/report.png

The report is timed against ``--format json`` over the same drafts in the same run (the difference is what
rendering the drafts costs). Opening needs Selenium and Debian's chromium and chromium-driver; the figure
is the page's own navigation timing (load event end), the median of ``--runs`` fresh loads.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from benchmark import median_run  # noqa: E402
from corpus import write_corpus  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1400"]


def open_times(report: Path, runs: int, profile: Path, screenshot: Path | None) -> list[float] | None:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        print("(no Selenium: opening not measured)")
        return None
    if not chromium or not driver_path:
        print("(no chromium/chromedriver: opening not measured)")
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    try:
        times = []
        for _ in range(runs):
            driver.get("about:blank")
            driver.get(report.as_uri())
            timing = driver.execute_script(
                "const t = performance.getEntriesByType('navigation')[0]; return [t.domContentLoadedEventEnd,"
                " t.loadEventEnd];")
            times.append(float(timing[1]) / 1000)
        if screenshot:
            driver.save_screenshot(str(screenshot))
        return times
    finally:
        driver.quit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshot", type=Path, default=None, help="save the opened report's first screen")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="claimcheck-html-bench-") as work:
        root = Path(work)
        corpus = root / "corpus"
        corpus.mkdir()
        words = write_corpus(corpus, drafts=args.drafts)
        report = root / "report.html"
        figures = {}
        for fmt, target in (("json", root / "report.json"), ("html", report)):
            command = [sys.executable, "-m", "claimcheck", "check", "--isolated", "--quiet", "--no-cache",
                       "--format", fmt, "--output-file", str(target), str(corpus)]
            seconds, peak, _ = median_run(command, root, args.runs)
            figures[fmt] = (seconds, peak, target.stat().st_size)
        print(f"corpus: {args.drafts} drafts, {words:,} words; medians of {args.runs} runs")
        for fmt, (seconds, peak, size) in figures.items():
            print(f"--format {fmt}: {seconds:.2f} s, peak RSS {peak // 1024} MiB, {size / 1e6:.1f} MB")
        print(f"html minus json: +{figures['html'][0] - figures['json'][0]:.2f} s")
        opened = open_times(report, args.runs, root / "profile", args.screenshot)
        if opened:
            print(f"opened in Chromium (load event end): median {statistics.median(opened):.2f} s "
                  f"(runs: {', '.join(f'{t:.2f}' for t in opened)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
