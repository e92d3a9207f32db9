"""``--output-file`` never destroys what its path names: devices, pipes, links, modes and drafts survive.

Device nodes are made in the temporary folder with mknod (the same devices as /dev/null and /dev/full), so a
regression could only ever replace a node of the test's own; the real /dev is never written.
"""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from conftest import run_cli

CLAIM = "Nine in ten patients improved after one visit.\n"
FIRST_LINE = "draft.txt:1:1: CC101"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "draft.txt").write_text(CLAIM)
    return tmp_path


def check(cwd: Path, *args: str) -> tuple[int, str]:
    result = run_cli("check", "--isolated", "--no-cache", "--format", "concise", *args, cwd=cwd)
    return result.returncode, result.stderr


def device(folder: Path, name: str, minor: int) -> Path:
    """A character device like /dev/null (1, 3) or /dev/full (1, 7), inside ``folder``."""
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        with open(path, "rb"):
            pass
    except (OSError, AttributeError) as exc:  # not root, or a file system mounted nodev
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


def test_a_null_device_is_written_in_place_not_replaced(project: Path) -> None:
    null = device(project, "null", 3)
    assert check(project, "-o", "null", "draft.txt") == (1, "")
    assert stat.S_ISCHR(null.lstat().st_mode) and null.lstat().st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in project.iterdir()) == ["draft.txt", "null"]  # no temporary file left


def test_a_full_device_is_a_write_error(project: Path) -> None:
    full = device(project, "full", 7)
    status, stderr = check(project, "-o", "full", "draft.txt")
    assert status == 2
    assert stderr.splitlines() == ["full: error: cannot write output file: No space left on device"]
    assert stat.S_ISCHR(full.lstat().st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_written_to_its_reader(project: Path) -> None:
    os.mkfifo(project / "report.fifo")
    received: list[bytes] = []

    def read() -> None:
        with open(project / "report.fifo", "rb") as stream:
            received.append(stream.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert check(project, "-o", "report.fifo", "draft.txt") == (1, "")
    reader.join(timeout=60)
    assert received and received[0].decode().startswith(FIRST_LINE)
    assert stat.S_ISFIFO((project / "report.fifo").lstat().st_mode)


def test_a_symlink_is_followed_and_its_target_replaced(project: Path) -> None:
    (project / "reports").mkdir()
    (project / "reports" / "latest.txt").write_text("old report\n")
    (project / "link.txt").symlink_to("reports/latest.txt")
    assert check(project, "-o", "link.txt", "draft.txt") == (1, "")
    assert (project / "link.txt").is_symlink()
    assert os.readlink(project / "link.txt") == "reports/latest.txt"
    assert (project / "reports" / "latest.txt").read_text().startswith(FIRST_LINE)
    assert sorted(p.name for p in (project / "reports").iterdir()) == ["latest.txt"]


def test_a_dangling_symlink_creates_its_target(project: Path) -> None:
    (project / "link.txt").symlink_to("new-report.txt")
    assert check(project, "-o", "link.txt", "draft.txt") == (1, "")
    assert (project / "link.txt").is_symlink()
    assert (project / "new-report.txt").read_text().startswith(FIRST_LINE)


def test_an_existing_file_keeps_its_mode(project: Path) -> None:
    (project / "report.txt").write_text("old\n")
    (project / "report.txt").chmod(0o640)
    assert check(project, "-o", "report.txt", "draft.txt") == (1, "")
    assert stat.S_IMODE((project / "report.txt").stat().st_mode) == 0o640
    assert (project / "report.txt").read_text().startswith(FIRST_LINE)


def test_a_new_file_follows_the_umask(project: Path) -> None:
    assert check(project, "-o", "report.txt", "draft.txt") == (1, "")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((project / "report.txt").stat().st_mode) == 0o666 & ~umask


def test_a_read_only_file_is_refused(project: Path) -> None:
    (project / "report.txt").write_text("keep me\n")
    (project / "report.txt").chmod(0o444)
    status, stderr = check(project, "-o", "report.txt", "draft.txt")
    assert status == 2
    assert stderr.splitlines() == ["report.txt: error: cannot write output file: it is read-only (not replacing it)"]
    assert (project / "report.txt").read_text() == "keep me\n"
    assert stat.S_IMODE((project / "report.txt").stat().st_mode) == 0o444


def test_a_read_only_file_behind_a_symlink_is_refused(project: Path) -> None:
    (project / "report.txt").write_text("keep me\n")
    (project / "report.txt").chmod(0o444)
    (project / "link.txt").symlink_to("report.txt")
    status, stderr = check(project, "-o", "link.txt", "draft.txt")
    assert status == 2
    assert stderr.splitlines() == ["link.txt: error: cannot write output file: it is read-only (not replacing it)"]
    assert (project / "report.txt").read_text() == "keep me\n"


# A draft is never replaced by the report, whether or not it could be read.
REFUSED = "claimcheck: error: --output-file {} is one of the drafts to lint; write the report elsewhere"


@pytest.mark.parametrize(("name", "content"), [
    ("notes.md", b"hi \xff\n"),  # not UTF-8
    ("scan.md", b"%PDF-1.7\n"),  # a PDF with a draft's name
    ("nul.txt", b"a\x00b\x00" * 100),  # binary
])
def test_a_draft_that_cannot_be_read_is_not_replaced(tmp_path: Path, name: str, content: bytes) -> None:
    (tmp_path / name).write_bytes(content)
    status, stderr = check(tmp_path, "-o", name, name)
    assert status == 2
    assert stderr.splitlines() == [REFUSED.format(name)]
    assert (tmp_path / name).read_bytes() == content


def test_a_draft_over_the_size_limit_is_not_replaced(tmp_path: Path) -> None:
    big = ("Plain prose about our opening hours. " * 30 + "\n\n").encode() * 1000
    (tmp_path / "big.txt").write_bytes(big)
    status, stderr = check(tmp_path, "--max-file-size", "1", "-o", "big.txt", "big.txt")
    assert status == 2 and stderr.splitlines() == [REFUSED.format("big.txt")]
    assert (tmp_path / "big.txt").read_bytes() == big


def test_a_draft_found_in_a_folder_is_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "notes.md").write_bytes(b"hi \xff\n")
    status, stderr = check(tmp_path, "-o", "drafts/notes.md", "drafts")
    assert status == 2 and stderr.splitlines() == [REFUSED.format("drafts/notes.md")]
    assert (tmp_path / "drafts" / "notes.md").read_bytes() == b"hi \xff\n"


def test_a_hard_link_or_symlink_to_a_draft_is_not_replaced(project: Path) -> None:
    os.link(project / "draft.txt", project / "same.txt")
    (project / "link.txt").symlink_to("draft.txt")
    for name in ("same.txt", "link.txt"):
        status, stderr = check(project, "-o", name, "draft.txt")
        assert status == 2 and stderr.splitlines() == [REFUSED.format(name)]
    assert (project / "draft.txt").read_text() == CLAIM


def test_the_name_given_for_standard_input_is_not_replaced(project: Path) -> None:
    result = run_cli("check", "--isolated", "--stdin-filename", "draft.txt", "-o", "draft.txt", "-",
                     input=CLAIM.encode(), cwd=project)
    assert result.returncode == 2 and result.stderr.splitlines() == [REFUSED.format("draft.txt")]
    assert (project / "draft.txt").read_text() == CLAIM
