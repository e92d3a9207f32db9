"""Bad drafts never crash, hang or lose anything: each is linted correctly or reported as one
``path: error: …`` line on standard error (exit status 2), and the other drafts of the run are still linted.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimcheck import files, reading
from claimcheck.errors import InputError

from conftest import run_cli

CLAIM = "In our clinic registry, 78% of patients reported meaningful relief within a year.\n"
GOOD_FINDING = "good.txt:1:25: CC101 "  # what the good draft of every run must still report


def check(tmp_path: Path, *paths: str, options: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """Lint ``paths`` and the good draft in ``tmp_path`` (no config, no cache, plain one-line findings)."""
    (tmp_path / "good.txt").write_text(CLAIM, encoding="utf-8")
    result = run_cli("check", "--isolated", "--no-cache", "--no-source", "--format", "concise", *options,
                     *paths, "good.txt", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert GOOD_FINDING in result.stdout, result.stdout + result.stderr
    return result


def assert_refused(result: subprocess.CompletedProcess[str], line: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [line]


def test_image_named_md(tmp_path: Path) -> None:
    (tmp_path / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert_refused(check(tmp_path, "photo.md"), "photo.md: error: not a text draft: a PNG image")


def test_pdf_named_md(tmp_path: Path) -> None:
    (tmp_path / "brochure.md").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n")
    assert_refused(check(tmp_path, "brochure.md"), "brochure.md: error: not a text draft: a PDF")


def test_other_binary_file(tmp_path: Path) -> None:
    (tmp_path / "blob.txt").write_bytes(bytes(range(256)) * 4)
    assert_refused(check(tmp_path, "blob.txt"), "blob.txt: error: not a text draft: a binary file")


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9 visits: 80% of patients improved.\n".encode("latin-1"))
    assert_refused(check(tmp_path, "latin.txt"),
                   "latin.txt: error: not valid UTF-8 at byte 3 (pass --encoding if the file uses another encoding)")


def test_invalid_utf8_is_read_with_encoding(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(f"Caf\u00e9 news.\n\n{CLAIM}".encode("latin-1"))
    result = check(tmp_path, "latin.txt", options=("--encoding", "latin-1"))
    assert result.returncode == 1 and result.stderr == ""
    assert "latin.txt:3:25: CC101 " in result.stdout


@pytest.mark.parametrize("name", ["no-such-codec", "hex"])
def test_unknown_encoding_is_a_usage_error(tmp_path: Path, name: str) -> None:
    (tmp_path / "x.txt").write_text("Hello.\n", encoding="utf-8")
    result = run_cli("check", "--isolated", "--no-cache", "--encoding", name, "x.txt", cwd=tmp_path)
    assert result.returncode == 2
    reason = "is not a text encoding" if name == "hex" else "unknown encoding"
    message = f"{name!r} {reason}" if name == "hex" else f"{reason} {name!r}"
    assert result.stderr.splitlines() == [f"claimcheck: error: --encoding: {message}"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig", "utf-32"])
def test_text_with_bom_is_read_correctly(tmp_path: Path, codec: str) -> None:
    data = f"Intro line.\n\n{CLAIM}".encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "bom.txt").write_bytes(data)
    result = check(tmp_path, "bom.txt")
    assert result.returncode == 1 and result.stderr == ""
    assert "bom.txt:3:25: CC101 " in result.stdout  # columns count characters, not bytes


def test_utf16_without_bom_gets_a_hint(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(CLAIM.encode("utf-16-le"))
    assert_refused(check(tmp_path, "u16.txt"), "u16.txt: error: not a text draft: text in UTF-16 or UTF-32 "
                   "without a byte-order mark (pass --encoding, e.g. utf-16-le)")
    fixed = run_cli("check", "--isolated", "--no-cache", "--encoding", "utf-16-le", "u16.txt", cwd=tmp_path)
    assert fixed.returncode == 1 and "u16.txt:1:25: CC101 " in fixed.stdout


def test_truncated_utf16(tmp_path: Path) -> None:
    (tmp_path / "cut.txt").write_bytes(b"\xff\xfeH\x00i\x00!")
    assert_refused(check(tmp_path, "cut.txt"), "cut.txt: error: not valid UTF-16 at byte 6 (truncated data)")


@pytest.mark.parametrize("name", ["empty.md", "empty.txt", "empty.html"])
def test_empty_file_is_linted(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"")
    result = check(tmp_path, name)
    assert result.returncode == 1 and result.stderr == ""
    assert f"{name}:1:1: CC301 " in result.stdout  # an empty draft still lacks the disclaimer


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    with open(tmp_path / "huge.md", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB without writing them
    started = time.monotonic()
    assert_refused(check(tmp_path, "huge.md"),
                   "huge.md: error: file is 50.0 MiB, over the 20 MiB limit (raise it with --max-file-size)")
    assert time.monotonic() - started < 60


def test_max_file_size_option(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text(("Plain prose about our clinic hours. " * 30 + "\n\n") * 2000)
    assert_refused(check(tmp_path, "long.txt", options=("--max-file-size", "1")),
                   "long.txt: error: file is 2.1 MiB, over the 1 MiB limit (raise it with --max-file-size)")


def test_max_file_size_applies_to_standard_input(tmp_path: Path) -> None:
    big = ("Plain prose about our clinic hours. " * 30 + "\n\n").encode() * 1000  # 1.06 MiB
    refused = run_cli("check", "--isolated", "--max-file-size", "1", "-", input=big, cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "<stdin>: error: file is over the 1 MiB limit (raise it with --max-file-size)"]
    allowed = run_cli("check", "--isolated", "--max-file-size", "2", "--no-source", "-", input=big,
                      cwd=tmp_path)
    assert allowed.returncode == 1 and allowed.stdout.startswith("<stdin>:1:1: CC301 "), allowed.stderr


def test_a_huge_max_file_size_means_no_limit(tmp_path: Path) -> None:
    """A value past what a read can take (it overflowed to an internal error) is as good as no limit."""
    result = check(tmp_path, options=("--max-file-size", "99999999999999999999"))
    assert result.returncode == 1 and result.stderr == ""


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(CLAIM)
    secret.chmod(0)
    try:
        assert_refused(check(tmp_path, "secret.md"), "secret.md: error: permission denied")
    finally:
        secret.chmod(0o644)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root chmod 000 does not stop reads, so make open() fail the way it does for other users."""
    (tmp_path / "secret.md").write_text(CLAIM)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(reading.os, "open", denied)  # os.open itself, only while read_bytes runs
    with pytest.raises(InputError) as caught:
        files.read_bytes(str(tmp_path / "secret.md"))
    assert str(caught.value) == f"{tmp_path}/secret.md: error: permission denied"


def test_unlistable_folder_is_reported_not_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_text(CLAIM)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.md").write_text(CLAIM)
    real_scandir = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found = [str(item) for item in files.discover([str(tmp_path)])]
    assert found == [str(tmp_path / "a.md"), f"{tmp_path}/locked: error: cannot read folder: Permission denied"]


def test_missing_path(tmp_path: Path) -> None:
    assert_refused(check(tmp_path, "missing.md"), "missing.md: error: no such file or directory")


def test_directory_with_symlink_loops(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    (drafts / "sub").mkdir(parents=True)
    (drafts / "sub" / "claim.md").write_text(CLAIM)
    (drafts / "sub" / "up").symlink_to("..")  # a folder loop
    (drafts / "self").symlink_to(".")
    (drafts / "a.md").symlink_to("b.md")  # a file loop
    (drafts / "b.md").symlink_to("a.md")
    result = check(tmp_path, "drafts")
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["drafts/a.md: error: broken symbolic link",
                                          "drafts/b.md: error: broken symbolic link"]
    assert result.stdout.count("drafts/sub/claim.md:1:25: CC101 ") == 1  # found once, not once per loop


def test_symlink_loop_given_directly(tmp_path: Path) -> None:
    (tmp_path / "a.md").symlink_to("b.md")
    (tmp_path / "b.md").symlink_to("a.md")
    assert_refused(check(tmp_path, "a.md"), "a.md: error: cannot read file: Too many levels of symbolic links")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.md")
    assert_refused(check(tmp_path, "pipe.md"), "pipe.md: error: not a regular file (a pipe, socket or device)")


def test_device_is_refused(tmp_path: Path) -> None:
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    assert_refused(check(tmp_path, "/dev/zero"), "/dev/zero: error: not a regular file (a pipe, socket or device)")


def test_deeply_nested_html(tmp_path: Path) -> None:
    (tmp_path / "deep.html").write_text("<div>" * 10_000 + CLAIM.strip() + "</div>" * 10_000)
    result = check(tmp_path, "deep.html")
    assert result.stderr == "" or result.stderr.splitlines() == [
        "deep.html: error: markup is nested too deeply to read"]
    if not result.stderr:
        assert "deep.html:1:50025: CC101 " in result.stdout  # 10,000 × len("<div>") + 25


def test_markdown_with_100000_list_items(tmp_path: Path) -> None:
    items = "".join(f"- item {number} is on the checklist\n" for number in range(100_000))
    (tmp_path / "list.md").write_text(items + "- " + CLAIM)
    result = check(tmp_path, "list.md")
    assert result.returncode == 1 and result.stderr == ""
    assert "list.md:100001:27: CC101 " in result.stdout


def test_unexpected_exception_is_one_line_or_a_traceback_with_debug(tmp_path: Path) -> None:
    """A real bug (here: the engine raising) prints one line asking for a report, for the draft it met it on
    (the others would still be linted); --debug shows the traceback."""
    (tmp_path / "good.txt").write_text(CLAIM)
    script = ("import sys\n"
              "from claimcheck.cli import main\n"
              "from claimcheck.engine import Engine\n"
              "def broken(self, document):\n"
              "    raise ValueError('boom\\nsecond line')\n"
              "Engine.lint = broken\n"
              "main(sys.argv[1:])\n")
    command = [sys.executable, "-c", script, "check", "--isolated", "--no-cache", "good.txt"]
    plain = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert plain.returncode == 2
    assert plain.stderr.splitlines() == [
        "good.txt: error: internal error: ValueError: boom. This is a bug; please report it with the output "
        "of the same command run with --debug"]
    debug = subprocess.run([*command, "--debug"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert debug.returncode == 2
    assert "Traceback (most recent call last)" in debug.stderr and "ValueError: boom" in debug.stderr


def test_ctrl_c_leaves_no_output_file(tmp_path: Path) -> None:
    """SIGINT mid-run: exit status 130, and neither the report nor its temporary file exists."""
    slow = ("Plain prose about the clinic and its opening hours, written at length. " * 40 + "\n\n") * 2500
    names = []
    for number in range(30):
        names.append(f"slow{number:02}.txt")
        (tmp_path / names[-1]).write_text(slow)
    command = [sys.executable, "-m", "claimcheck", "check", "--isolated", "--no-cache", "--jobs", "1",
               "-o", "report.txt", "missing.txt", *names]
    process = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1"})
    assert process.stderr is not None
    first = process.stderr.readline()  # the missing file is reported as the loop starts: linting is under way
    assert first == "missing.txt: error: no such file or directory\n"
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    rest = process.stderr.read()
    assert process.wait(timeout=120) == 130, rest
    assert rest.split() == ["claimcheck:", "interrupted"]  # click adds a blank line to close the "^C" echo
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("slow")) == []


def test_interrupt_while_writing_the_report_leaves_nothing(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from claimcheck import output

    def interrupted(source: object, target: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_report(str(tmp_path / "report.txt"), "partial")
    assert list(tmp_path.iterdir()) == []


def test_output_file_never_replaces_a_linted_draft(tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(CLAIM)
    (tmp_path / "good.txt").write_text(CLAIM)
    result = run_cli("check", "--isolated", "--no-cache", "-o", "draft.md", "draft.md", "good.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["claimcheck: error: --output-file draft.md is one of the drafts to "
                                          "lint; write the report elsewhere"]
    assert (tmp_path / "draft.md").read_text() == CLAIM


def test_summary_counts_drafts_that_could_not_be_linted(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Nine in ten patients improved.\n")
    result = run_cli("check", "--isolated", "--no-source", "missing.md", "good.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "missing.md: error: no such file or directory"
    assert result.stdout.splitlines()[-2:] == ["Found 2 problems (2 errors) in 1 file. 1 file could not be linted.",
                                               "2 fixable with 'claimcheck check --fix'."]
