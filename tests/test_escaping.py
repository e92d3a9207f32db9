"""File names, messages and draft text that hold control characters never reach a terminal or a CI log raw.

A name with a line break could forge a report line or a GitHub workflow command; ANSI sequences could hide
or recolour output. They are shown escaped, in every reporter and on standard error.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from claimcheck.terminal import printable, printable_path

from conftest import run_cli

CLAIM = "Nine in ten patients improved.\n"
FORGED = "evil\n::error file=x.md::pwned.txt"


def lint(cwd: Path, *args: str) -> tuple[int, list[str], list[str]]:
    result = run_cli("check", "--isolated", "--no-cache", "--select", "CC101", *args, cwd=cwd)
    return result.returncode, result.stdout.splitlines(), result.stderr.splitlines()


def test_printable_escapes_controls_direction_marks_and_undecodable_bytes() -> None:
    assert printable("a\nb\rc\td\x1b[31me\x00f\x7fg\x9bh") == "a\\nb\\rc\\td\\x1b[31me\\x00f\\x7fg\\x9bh"
    assert printable("left\u202eright\u2066x") == "left\\u202eright\\u2066x"
    assert printable(os.fsdecode(b"caf\xe9.md")) == "caf\\xe9.md"
    assert printable("患者 😀 – “fine” \\n") == "患者 😀 – “fine” \\n"  # printable text and backslashes stay
    assert printable(printable("a\nb")) == "a\\nb"
    assert printable("a\r\n\x1bb", keep="\r\n") == "a\r\n\\x1bb"
    assert printable_path("::error::x.md") == "./::error::x.md"
    assert printable_path("a::b.md") == "a::b.md"


@pytest.mark.parametrize(("name", "shown"), [
    (FORGED, "evil\\n::error file=x.md::pwned.txt"),
    ("\x1b[2Jclear.txt", "\\x1b[2Jclear.txt"),
    ("::warning::x.txt", "./::warning::x.txt"),
    ("\u202etxt.exe.txt", "\\u202etxt.exe.txt"),
])
def test_file_names_are_escaped_in_text_output(tmp_path: Path, name: str, shown: str) -> None:
    (tmp_path / name).write_text(CLAIM)
    status, out, err = lint(tmp_path, "--no-source", ".")
    assert status == 1 and err == []
    assert out[0].startswith(f"{shown}:1:1: CC101 [error] Numeric outcome claim")
    assert out[1:] == ["Found 1 problem (1 error) in 1 file.", "1 fixable with 'claimcheck check --fix'."]


def test_a_file_name_that_is_not_utf8_is_shown_by_its_bytes(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text(CLAIM)
    status, out, err = lint(tmp_path, "--no-source", "--format", "concise", ".")
    assert status == 1 and err == []
    assert out[0].startswith("caf\\xe9.txt:1:1: CC101 ")


def test_github_annotations_escape_the_file_property(tmp_path: Path) -> None:
    (tmp_path / FORGED).write_text(CLAIM)
    status, out, err = lint(tmp_path, "--format", "github", ".")
    assert status == 1 and err == []
    assert out[0].startswith("::error file=evil%0A%3A%3Aerror file=x.md%3A%3Apwned.txt,line=1,col=1,endLine=1,"
                             "endColumn=30,title=CC101::Numeric outcome claim")
    assert out[1:] == ["claimcheck: found 1 problem in 1 file."]


def test_errors_on_standard_error_are_one_escaped_line(tmp_path: Path) -> None:
    (tmp_path / FORGED).write_bytes(b"%PDF-1.7\n")
    status, _, err = lint(tmp_path, ".")
    assert status == 2
    assert err == ["evil\\n::error file=x.md::pwned.txt: error: not a text draft: a PDF"]


def test_source_frames_escape_controls_and_keep_the_carets_under_the_claim(tmp_path: Path) -> None:
    (tmp_path / "esc.txt").write_text("Intro \x1b[2J\tthen: 80% of patients improved.\n")
    status, out, err = lint(tmp_path, "esc.txt")
    assert status == 1 and err == []
    assert out[1:4] == ["  |",
                        "1 | Intro \ufffd[2J then: 80% of patients improved.",
                        "  |                  ^^^^^^^^^^^^^^^^^^^^^^^^"]


@pytest.mark.parametrize("output_format", ["text", "concise", "github"])
def test_a_message_from_a_cache_entry_cannot_forge_lines(tmp_path: Path, output_format: str) -> None:
    (tmp_path / "draft.txt").write_text(CLAIM)
    options = ("--isolated", "--select", "CC101", "--cache-dir", "cc", "--format", output_format, "draft.txt")
    assert run_cli("check", *options, cwd=tmp_path).returncode == 1
    entry = next((tmp_path / "cc").glob("*/*/*.json"))
    data = json.loads(entry.read_text())
    data["findings"][0]["message"] = "ok\n::error file=a.md::forged\x1b[2J"
    entry.write_text(json.dumps(data))
    result = run_cli("check", *options, cwd=tmp_path)
    assert result.returncode == 1
    newline = "%0A" if output_format == "github" else "\\n"  # a workflow command's own escape
    assert f"ok{newline}::error file=a.md::forged\\x1b[2J" in result.stdout
    assert "\x1b" not in result.stdout
    assert not [line for line in result.stdout.splitlines() if line.startswith("::error file=a.md")]
