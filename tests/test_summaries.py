"""Closing lines, severities and error items that say what happened: never "no problems" when nothing was
linted, never more files with findings than there were, never a clean JSON report for a failed run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import run_cli

CLAIM = "Nine in ten patients improved after treatment.\n"
CC101 = ("Numeric outcome claim ('Nine in ten patients' … 'improved') without an \"Individual outcomes vary\" "
         "qualifier in its paragraph. Add "
         "\"Individual outcomes vary.\" to the same paragraph, or remove the number.")


def test_a_mistyped_path_is_not_reported_as_no_problems(tmp_path: Path) -> None:
    result = run_cli("check", "--isolated", "drafst/page.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "drafst/page.md: error: no such file or directory\n"
    assert result.stdout == "No draft was linted. 1 file could not be linted.\n"


def test_summary_counts_the_files_that_have_findings(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(CLAIM + "\n" + CLAIM)
    (tmp_path / "b.txt").write_text("Book a visit.\n")
    result = run_cli("check", "--isolated", "--no-source", "--select", "CC101", "a.txt", "b.txt", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"a.txt:1:1: CC101 [error] {CC101}", f"a.txt:3:1: CC101 [error] {CC101}",
                                          "Found 2 problems (2 errors) in 1 of 2 files.",
                                          "2 fixable with 'claimcheck check --fix'."]
    concise = run_cli("check", "--isolated", "--format", "concise", "--select", "CC101,CC901", "a.txt", "b.txt",
                      cwd=tmp_path)
    assert concise.stdout.splitlines()[-2] == "Found 2 problems (2 errors) in 1 of 2 files."
    github = run_cli("check", "--isolated", "--format", "github", "--select", "CC101", "a.txt", "b.txt",
                     cwd=tmp_path)
    assert github.stdout.splitlines()[-1] == "claimcheck: found 2 problems in 1 of 2 files."


def test_severity_is_printed_as_a_word(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("<!-- claimcheck: disable-next-block CC201 -- quoted -->\n\nHello.\n")
    for fmt in ("text", "concise"):
        result = run_cli("check", "--isolated", "--format", fmt, "--select", "CC2,CC9", "a.md", cwd=tmp_path)
        assert result.returncode == 0, fmt  # a warning does not fail the run
        assert result.stdout.splitlines()[0] == (
            "a.md:1:1: CC901 [warning] Unused suppression: no CC201 finding in the next block. Remove the "
            "directive, or the codes it does not need.")


def test_json_and_junit_reports_include_unreadable_drafts(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Book a visit.\n")
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9\n")
    result = run_cli("check", "--isolated", "--format", "json", "--select", "CC101", "good.txt", "bad.txt",
                     "gone.md", cwd=tmp_path)
    assert result.returncode == 2
    assert json.loads(result.stdout) == [
        {"type": "error", "path": "bad.txt", "line": None, "column": None, "end_line": None, "end_column": None,
         "code": "E004", "rule": "input-error", "severity": "error",
         "message": "not valid UTF-8 at byte 3 (pass --encoding if the file uses another encoding)",
         "excerpt": ""},
        {"type": "error", "path": "gone.md", "line": None, "column": None, "end_line": None, "end_column": None,
         "code": "E004", "rule": "input-error", "severity": "error", "message": "no such file or directory",
         "excerpt": ""},
    ]
    junit = run_cli("check", "--isolated", "--format", "junit", "--select", "CC101", "good.txt", "gone.md",
                    cwd=tmp_path)
    root = ET.fromstring(junit.stdout)
    assert (root.get("tests"), root.get("errors")) == ("2", "1")
    error = root.find("testsuite/testcase[@name='gone.md']/error")
    assert error is not None and error.get("type") == "input-error"
    assert error.get("message") == "gone.md: error: no such file or directory"


def test_json_report_of_a_folder_without_drafts_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    result = run_cli("check", "--isolated", "--format", "json", "drafts", cwd=tmp_path)
    assert result.returncode == 2
    [item] = json.loads(result.stdout)
    assert (item["type"], item["rule"], item["path"]) == ("error", "no-drafts", "drafts")
    assert item["message"] == ("no drafts to lint (claimcheck reads .txt, .text, .md, .markdown, .mdown, .html, "
                               ".htm files)")
    sarif = run_cli("check", "--isolated", "--format", "sarif", "drafts", cwd=tmp_path)
    [invocation] = json.loads(sarif.stdout)["runs"][0]["invocations"]
    assert sarif.returncode == 2 and invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [{"level": "error", "message": {"text": (
        "drafts: error: no drafts to lint (claimcheck reads .txt, .text, .md, .markdown, .mdown, .html, .htm "
        "files)")}}]


def test_source_frame_fits_the_terminal_and_counts_wide_characters(tmp_path: Path) -> None:
    (tmp_path / "wide.txt").write_text("患者様の声 😀😀 Our FDA-approved treatment plan for the knee is described at "
                                       "length here, so that the line is long enough to be cut.\n")
    result = run_cli("check", "--isolated", "--select", "CC201", "wide.txt", cwd=tmp_path, env={"COLUMNS": "60"})
    assert result.returncode == 1
    # Column 14 counts characters; on screen "FDA-approved" starts 20 cells in, as CJK and emoji take two
    # cells each. 60 cells: "1 | ", 55 cells of the line, and "…" where it is cut.
    assert result.stdout.splitlines()[:4] == [
        "wide.txt:1:14: CC201 [error] FDA wording goes beyond what the FDA actually approved. Say only what is "
        "true (for the fibrin sealant: \"FDA-approved as a sealant\"), or remove the FDA reference.",
        "  |",
        "1 | 患者様の声 😀😀 Our FDA-approved treatment plan for the…",
        "  |                     ^^^^^^^^^^^^",
    ]
    narrow = run_cli("check", "--isolated", "--select", "CC201", "wide.txt", cwd=tmp_path, env={"COLUMNS": "40"})
    assert narrow.stdout.splitlines()[2:4] == [
        "1 | 患者様の声 😀😀 Our FDA-approved tr…",
        "  |                     ^^^^^^^^^^^^",
    ]
