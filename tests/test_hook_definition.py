"""The pre-commit hook definition: file names can never be read as options, and one process sees them all."""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml

from conftest import ROOT, run_cli

CLAIM = "Among our spring patients, 88% of patients reported less back pain after one visit.\n"


def hook() -> dict[str, object]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["claimcheck"]
    return hooks[0]  # type: ignore[no-any-return]


def test_the_entry_ends_option_parsing_and_runs_serially() -> None:
    definition = hook()
    assert definition["entry"] == "claimcheck check --"
    assert definition["require_serial"] is True and definition["pass_filenames"] is True


def test_file_names_like_options_are_linted_as_files(tmp_path: Path) -> None:
    """What pre-commit runs for staged files named '-oREADME.md' and '--exclude=*.md'."""
    (tmp_path / "README.md").write_text("# Project\n", encoding="utf-8")
    for name in ("-oREADME.md", "--exclude=*.md", "plain.md"):
        (tmp_path / name).write_text(CLAIM, encoding="utf-8")
    command = shlex.split(str(hook()["entry"]))
    assert command[0] == "claimcheck"
    result = run_cli(*command[1:], "-oREADME.md", "--exclude=*.md", "plain.md", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Project\n"  # not replaced by a report
    located = [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.stdout.splitlines() if ": CC" in line]
    assert located == ["-oREADME.md:1:1: CC301", "-oREADME.md:1:28: CC101",
                       "--exclude=*.md:1:1: CC301", "--exclude=*.md:1:28: CC101",
                       "plain.md:1:1: CC301", "plain.md:1:28: CC101"]
    assert result.stdout.splitlines()[-2:] == ["Found 6 problems (6 errors) in 3 files.",
                                               "6 fixable with 'claimcheck check --fix'."]
