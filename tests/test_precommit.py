"""End to end: the real ``pre-commit`` tool installs claimcheck from this repository's
``.pre-commit-hooks.yaml`` and blocks a commit of a noncompliant draft.

The hook repository is this checkout at its current HEAD commit (pre-commit clones a committed revision, so
uncommitted edits are not what gets tested). pre-commit pip-installs claimcheck into its own environment
once; PRE_COMMIT_HOME is shared by the tests of this module. Needs git and network access to PyPI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
]
pytest.importorskip("pre_commit")

NONCOMPLIANT = ("Spring update from the clinic\n\n"
                "Among our spring patients, 88% of patients reported less back pain after one visit.\n")
COMPLIANT = ("Spring update from the clinic\n\n"
             "Among our spring patients, 88% of patients reported less back pain after one visit. "
             "Individual outcomes vary.\n\n"
             "This content is for general informational purposes only and does not constitute medical "
             "advice, diagnosis, or treatment.\n")


def run(command: list[str], cwd: Path, env: dict[str, str],
        timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def hook_revision() -> str:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("the project is not a git checkout, so pre-commit cannot clone it")
    shown = subprocess.run(["git", "cat-file", "-e", "HEAD:.pre-commit-hooks.yaml"], cwd=ROOT)
    assert shown.returncode == 0, ".pre-commit-hooks.yaml must be committed for pre-commit to use it"
    return result.stdout.strip()


@pytest.fixture(scope="module")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text("[user]\n\tname = Draft Writer\n\temail = writer@example.com\n"
                         "[commit]\n\tgpgsign = false\n[init]\n\tdefaultBranch = main\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update({
        "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home")),
        "GIT_CONFIG_GLOBAL": str(gitconfig),  # no user hooksPath or templates get in the way
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "PRE_COMMIT_COLOR": "never",
    })
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, hook_revision: str,
            environment: dict[str, str]) -> Path:
    """A writer's repository using the claimcheck hook, with the hook installed and its environment built."""
    repo = tmp_path_factory.mktemp("drafts")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT.as_posix()}\n    rev: {hook_revision}\n"
        "    hooks:\n      - id: claimcheck\n",
        encoding="utf-8")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    for command in (["git", "init", "-q"], [*pre_commit, "install"], [*pre_commit, "install-hooks"]):
        result = run(command, repo, environment)
        assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return repo


def commit(repo: Path, env: dict[str, str], name: str, text: str) -> subprocess.CompletedProcess[str]:
    (repo / name).write_text(text, encoding="utf-8")
    added = run(["git", "add", name, ".pre-commit-config.yaml"], repo, env)
    assert added.returncode == 0, added.stderr
    return run(["git", "commit", "-m", f"update {name}"], repo, env)


def test_noncompliant_draft_is_blocked(project: Path, environment: dict[str, str]) -> None:
    result = commit(project, environment, "spring.txt", NONCOMPLIANT)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "claimcheck" in output and "Failed" in output
    assert "spring.txt:3:28: CC101" in output
    assert "spring.txt:1:1: CC301" in output
    head = run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], project, environment)
    assert head.returncode != 0, "nothing may be committed"


def test_compliant_draft_commits(project: Path, environment: dict[str, str]) -> None:
    result = commit(project, environment, "spring.txt", COMPLIANT)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "claimcheck" in output and "Passed" in output
    log = run(["git", "log", "--oneline"], project, environment)
    assert "update spring.txt" in log.stdout


def test_other_files_skip_the_hook(project: Path, environment: dict[str, str]) -> None:
    result = commit(project, environment, "build.py", "print('not a draft')\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(no files to check)Skipped" in result.stdout + result.stderr


def test_file_names_like_options_stay_file_names(project: Path, environment: dict[str, str]) -> None:
    """A staged '-oREADME.md' must not overwrite README.md, nor a staged '--exclude=*.md' pass every draft."""
    (project / "README.md").write_text("# Drafts\n", encoding="utf-8")
    for name in ("-oREADME.md", "--exclude=*.md"):
        (project / name).write_text(NONCOMPLIANT, encoding="utf-8")
    added = run(["git", "add", "--", "-oREADME.md", "--exclude=*.md", ".pre-commit-config.yaml"], project,
                environment)
    assert added.returncode == 0, added.stderr
    result = run(["git", "commit", "-m", "drafts named like options"], project, environment)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "-oREADME.md:3:28: CC101" in output and "--exclude=*.md:3:28: CC101" in output
    assert output.count("Found 4 problems") == 1  # one run for all files: one summary
    assert (project / "README.md").read_text(encoding="utf-8") == "# Drafts\n"
    run(["git", "reset", "-q"], project, environment)
