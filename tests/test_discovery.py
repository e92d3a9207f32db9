"""What a run lints and what it leaves out: unsupported documents, exclude globs, git-ignored files. A gate
must never pass because nothing was linted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli

CLAIM = "Nine in ten patients improved after treatment.\n"
WORD_ADVICE = "save it as .html or .txt (File > Save As), or export it as Markdown"
CC101 = ("CC101 [error] Numeric outcome claim ('Nine in ten patients' … 'improved') without an \"Individual "
         "outcomes vary\" qualifier in its paragraph. Add \"Individual outcomes vary.\" to the same paragraph, or "
         "remove the number.")
READS = ".txt, .text, .md, .markdown, .mdown, .html, .htm"


def test_folder_of_unsupported_documents_lists_them_and_fails(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    for name in ("brochure.docx", "flyer.odt", "letter.rtf", "page.mdx", "logo.png"):
        (drafts / name).write_bytes(b"PK\x03\x04 not text")
    result = run_cli("check", "--isolated", "drafts", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"drafts/brochure.docx: skipped: a Word document; {WORD_ADVICE}",
        f"drafts/flyer.odt: skipped: an OpenDocument text; {WORD_ADVICE}",
        f"drafts/letter.rtf: skipped: an RTF document; {WORD_ADVICE}",
        "drafts/page.mdx: skipped: MDX (Markdown with components) is not read in folders; name the file to "
        "lint it as Markdown with --input-format markdown",
        f"drafts: error: no drafts to lint (claimcheck reads {READS} files); 4 files skipped (see above)",
    ]
    assert result.stdout == "No draft was linted. 4 files skipped.\n"
    quiet = run_cli("check", "--isolated", "--quiet", "drafts", cwd=tmp_path)
    assert (quiet.returncode, quiet.stdout) == (2, "")
    assert quiet.stderr == f"drafts: error: no drafts to lint (claimcheck reads {READS} files); 4 files skipped\n"


def test_empty_folder_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("check", "--isolated", "empty", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "No draft was linted.\n")
    assert result.stderr == f"empty: error: no drafts to lint (claimcheck reads {READS} files)\n"


def test_skipped_documents_are_named_next_to_linted_drafts(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(CLAIM)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    result = run_cli("check", "--isolated", "--no-source", "--select", "CC101", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"old.doc: skipped: a Word document; {WORD_ADVICE}\n"
    assert result.stdout.splitlines()[-2:] == ["Found 1 problem (1 error) in 1 file. 1 file skipped.", "1 fixable with 'claimcheck check --fix'."]


def test_explicit_file_excluded_by_config_is_named_and_passes(tmp_path: Path) -> None:
    (tmp_path / ".claimcheck.yaml").write_text("exclude: [archive]\n")
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "old.md").write_text(CLAIM)
    result = run_cli("check", "archive/old.md", cwd=tmp_path)
    # Everything named was excluded on purpose (a pre-commit run on archived files): exit 0, but say so.
    assert (result.returncode, result.stdout) == (0, "No draft was linted. 1 file skipped.\n")
    assert result.stderr == "archive/old.md: skipped: excluded by 'archive'\n"


def test_exclude_globs_are_relative_to_the_config_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "drafts" / "archive" / "2019").mkdir(parents=True)
    (site / ".claimcheck.yaml").write_text("select: [CC101]\nexclude: [drafts/archive]\n")
    (site / "drafts" / "new.md").write_text(CLAIM)
    (site / "drafts" / "archive" / "old.md").write_text(CLAIM)
    (site / "drafts" / "archive" / "2019" / "older.md").write_text(CLAIM)
    # Run from a subfolder: the glob still means site/drafts/archive, and the folder covers all below it.
    result = run_cli("check", "--no-source", ".", cwd=site / "drafts")
    assert result.returncode == 1
    assert [line.split(" ")[0] for line in result.stdout.splitlines()] == ["new.md:1:1:", "Found", "1"]
    assert result.stderr == ""


def test_exclude_option_is_relative_to_the_working_directory(tmp_path: Path) -> None:
    (tmp_path / "drafts" / "archive").mkdir(parents=True)
    (tmp_path / "drafts" / "new.md").write_text(CLAIM)
    (tmp_path / "drafts" / "archive" / "old.md").write_text(CLAIM)
    result = run_cli("check", "--isolated", "--no-source", "--select", "CC101", "--exclude", "drafts/archive",
                     str(tmp_path / "drafts"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{tmp_path}/drafts/new.md:1:1: {CC101}",
                                          "Found 1 problem (1 error) in 1 file.", "1 fixable with 'claimcheck check --fix'."]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_folder_walks_skip_what_git_ignores(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("generated/\n*.tmp.md\n")
    for folder in ("generated", "_site", "node_modules/pkg", ".cache", "content"):
        (tmp_path / folder).mkdir(parents=True)
    for path in ("generated/page.md", "_site/page.html", "node_modules/pkg/README.md", ".cache/page.md",
                 "content/scratch.tmp.md", "content/page.md", "content/.hidden.md"):
        (tmp_path / path).write_text(CLAIM)
    walked = run_cli("check", "--isolated", "--no-source", "--select", "CC101", ".", cwd=tmp_path)
    assert walked.returncode == 1
    assert [line.split(" ")[0] for line in walked.stdout.splitlines()] == ["content/page.md:1:1:", "Found", "1"]
    everything = run_cli("check", "--isolated", "--no-source", "--select", "CC101", "--no-respect-gitignore",
                         ".", cwd=tmp_path)
    assert [line.split(" ")[0] for line in everything.stdout.splitlines()] == [
        ".cache/page.md:1:1:", "_site/page.html:1:1:", "content/.hidden.md:1:1:", "content/page.md:1:1:",
        "content/scratch.tmp.md:1:1:", "generated/page.md:1:1:", "node_modules/pkg/README.md:1:1:", "Found", "7"]
    # A file named on the command line is linted even when git ignores it.
    named = run_cli("check", "--isolated", "--no-source", "--select", "CC101", "generated/page.md", cwd=tmp_path)
    assert named.returncode == 1
