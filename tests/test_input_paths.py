"""Paths and option values that used to give a wrong result: each is linted, or refused in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from claimcheck.cli import cli

from conftest import run_cli

CLAIM = "Nine in ten patients improved.\n"
NOT_ROOT = pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root opens files whatever their mode")


def in_process(cwd: Path, *args: str) -> tuple[int, list[str], list[str]]:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, ["check", "--isolated", "--no-cache", "--no-source", *args],
                                    env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)
    return result.exit_code, result.stdout.splitlines(), result.stderr.splitlines()


@pytest.fixture()
def locked(tmp_path: Path) -> Path:
    """drafts/ with a linted a.md and locked/b.md, where locked/ lists its names but cannot be searched."""
    (tmp_path / "drafts" / "locked").mkdir(parents=True)
    (tmp_path / "drafts" / "a.md").write_text(CLAIM)
    (tmp_path / "drafts" / "locked" / "b.md").write_text(CLAIM)
    return tmp_path


def test_an_unsearchable_folder_is_reported_not_skipped(locked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root a folder without 'x' can still be searched, so make stat() fail inside it as it would."""
    real_stat = os.stat

    def stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if "locked" + os.sep in os.fspath(path):  # type: ignore[call-overload]
            raise PermissionError(13, "Permission denied", path)
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "stat", stat)
    status, out, err = in_process(locked, "--select", "CC101", "drafts")
    assert status == 2
    assert err == ["drafts/locked: error: cannot read folder: permission denied (its names can be listed, but "
                   "its files cannot be opened)"]
    assert len(out) == 3 and out[0].startswith("drafts/a.md:1:1: CC101 [error] Numeric outcome claim")
    assert out[1] == "Found 1 problem (1 error) in 1 file. 1 file could not be linted."


@NOT_ROOT
def test_an_unsearchable_folder_for_real(locked: Path) -> None:
    (locked / "drafts" / "locked").chmod(0o644)
    try:
        result = run_cli("check", "--isolated", "--no-cache", "drafts", cwd=locked)
    finally:
        (locked / "drafts" / "locked").chmod(0o755)
    assert result.returncode == 2
    assert "drafts/locked: error: cannot read folder: permission denied" in result.stderr


def test_an_unreadable_file_named_on_the_command_line_does_not_stop_the_others(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "secret.md").write_text(CLAIM)
    (tmp_path / "good.txt").write_text(CLAIM)
    real_access, real_open = os.access, os.open

    def access(path: object, mode: int, *args: object, **kwargs: object) -> bool:
        return False if str(path).endswith("secret.md") else real_access(path, mode)  # type: ignore[arg-type]

    def denying_open(path: object, *args: object, **kwargs: object) -> int:
        if str(path).endswith("secret.md"):  # drafts are read through os.open (claimcheck.reading)
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)  # what click consulted to refuse the whole command line
    monkeypatch.setattr(os, "open", denying_open)
    status, out, err = in_process(tmp_path, "--select", "CC101", "secret.md", "good.txt")
    assert status == 2
    assert err == ["secret.md: error: permission denied"]
    assert out[0].startswith("good.txt:1:1: CC101 ")
    assert out[-2:] == ["Found 1 problem (1 error) in 1 file. 1 file could not be linted.", "1 fixable with 'claimcheck check --fix'."]


@NOT_ROOT
def test_an_unreadable_file_for_real(tmp_path: Path) -> None:
    (tmp_path / "secret.md").write_text(CLAIM)
    (tmp_path / "good.txt").write_text(CLAIM)
    (tmp_path / "secret.md").chmod(0)
    try:
        result = run_cli("check", "--isolated", "--no-cache", "secret.md", "good.txt", cwd=tmp_path)
    finally:
        (tmp_path / "secret.md").chmod(0o644)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["secret.md: error: permission denied"]
    assert "good.txt:1:1: CC101" in result.stdout


def test_standard_input_twice_is_refused(tmp_path: Path) -> None:
    result = run_cli("check", "--isolated", "-", "-", input=CLAIM.encode(), cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "claimcheck: error: '-' (standard input) may be given only once: it can be read only once"]


@pytest.mark.parametrize("values", [[""], ["   "], ["Individual outcomes vary", ""]])
def test_an_empty_qualifier_is_refused(tmp_path: Path, values: list[str]) -> None:
    (tmp_path / "a.txt").write_text(CLAIM)
    options = [part for value in values for part in ("--qualifier", value)]
    result = run_cli("check", "--isolated", *options, "a.txt", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == ["claimcheck: error: --qualifier: a qualifier must not be empty"]
