"""Without --fix, claimcheck never writes to a draft it lints: same bytes, same modification time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimcheck.cli import OUTPUT_FORMATS

from conftest import run_cli

DRAFTS = {
    "outcomes.txt": "In our clinic registry, 78% of patients reported meaningful relief within a year.\n",
    "page.md": "# Results\n\nNine out of ten patients would recommend us. Our laser is FDA approved.\n",
    "page.html": "<p>Oswestry scores dropped from 46 to 19 &mdash; <b>FDA-approved</b> care.</p>\n",
    "crlf.txt": "First line.\r\n\r\n80% of patients improved.\r\n",
    "bom.md": "\ufeffA 40% failure rate elsewhere; ours is better.\n",
}
PAST = 1_000_000_000_123_456_789  # 2001, with nanoseconds, so any rewrite would show


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {path.name: (path.read_bytes(), path.stat().st_mtime_ns) for path in sorted(folder.iterdir())}


@pytest.fixture()
def drafts(tmp_path: Path) -> Path:
    folder = tmp_path / "drafts"
    folder.mkdir()
    for name, text in DRAFTS.items():
        path = folder / name
        path.write_bytes(text.encode("utf-8"))
        os.utime(path, ns=(PAST, PAST))
    return folder


@pytest.mark.parametrize("output_format", OUTPUT_FORMATS)
@pytest.mark.parametrize("to_file", [False, True], ids=["stdout", "output-file"])
def test_linted_drafts_are_unchanged(tmp_path: Path, drafts: Path, output_format: str, to_file: bool) -> None:
    before = snapshot(drafts)
    options = ["-o", str(tmp_path / "report.out")] if to_file else []
    # The cache is on (its default): it must live elsewhere and never touch a draft.
    result = run_cli("check", "--isolated", "--format", output_format, *options, "drafts", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert snapshot(drafts) == before
    if to_file:
        assert (tmp_path / "report.out").stat().st_size > 0
    if output_format != "text":
        return
    # A second run (from the cache, if any) changes nothing either.
    run_cli("check", "--isolated", "--format", output_format, *options, "drafts", cwd=tmp_path)
    assert snapshot(drafts) == before


def test_stdin_and_explicit_files_are_unchanged(tmp_path: Path, drafts: Path) -> None:
    before = snapshot(drafts)
    names = [str(drafts / name) for name in DRAFTS]
    result = run_cli("check", "--isolated", "--stdin-filename", names[0], "-", *names[1:],
                     input=(drafts / "outcomes.txt").read_bytes(), cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert snapshot(drafts) == before


def test_refused_output_file_leaves_the_draft_alone(tmp_path: Path, drafts: Path) -> None:
    before = snapshot(drafts)
    result = run_cli("check", "--isolated", "-o", "drafts/page.md", "drafts", cwd=tmp_path)
    assert result.returncode == 2
    assert snapshot(drafts) == before
