"""``--diff-base REF``: only findings on lines added or changed since REF are reported.

Each test builds a small git repository in a temporary folder and runs the real command line in it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from claimcheck.gitdiff import FileChange, parse_diff

from conftest import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DISCLAIMER = ("This content is for general informational purposes only and does not constitute medical "
              "advice, diagnosis, or treatment.\n")
OLD_CLAIM = "Our older survey found that 72% of patients reported less back pain.\n"
NEW_CLAIM = "A newer survey found that 85% of patients reported less back pain.\n"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "writer@example.com")
    git(tmp_path, "config", "user.name", "Writer")
    git(tmp_path, "config", "commit.gpgsign", "false")
    (tmp_path / "legacy.txt").write_text(f"{OLD_CLAIM}\n{DISCLAIMER}", encoding="utf-8")
    (tmp_path / "untouched.txt").write_text(OLD_CLAIM, encoding="utf-8")  # also lacks the disclaimer
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "legacy pages")
    return tmp_path


def located(result: subprocess.CompletedProcess[str]) -> list[str]:
    """``path:line:col: CODE`` of each finding line of a concise report."""
    return [" ".join(line.split(" ")[:2]) for line in result.stdout.splitlines() if line]


def test_only_changed_lines_are_reported(repo: Path) -> None:
    git(repo, "switch", "-q", "-c", "edit")
    (repo / "legacy.txt").write_text(f"{OLD_CLAIM}\n{NEW_CLAIM}\n{DISCLAIMER}", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "add a newer claim")
    (repo / "fresh.txt").write_text(NEW_CLAIM, encoding="utf-8")  # untracked: entirely new

    everything = run_cli("check", "--isolated", "--select", "CC1,CC3", "--format", "concise", "--quiet", ".",
                         cwd=repo)
    assert located(everything) == [
        "fresh.txt:1:1: CC301", "fresh.txt:1:27: CC101",
        "legacy.txt:1:29: CC101", "legacy.txt:3:27: CC101",
        "untouched.txt:1:1: CC301", "untouched.txt:1:29: CC101",
    ]

    result = run_cli("check", "--isolated", "--select", "CC1,CC3", "--format", "concise", "--quiet",
                     "--diff-base", "main", ".", cwd=repo)
    assert result.returncode == 1, result.stderr
    assert located(result) == [
        "fresh.txt:1:1: CC301", "fresh.txt:1:27: CC101",  # new file: everything counts
        "legacy.txt:3:27: CC101",  # the new claim, not the old one on line 1
    ]


def test_unchanged_tree_is_clean_and_uncommitted_edits_count(repo: Path) -> None:
    clean = run_cli("check", "--isolated", "--diff-base", "HEAD", ".", cwd=repo)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "No problems found in 2 files." in clean.stdout

    with (repo / "untouched.txt").open("a", encoding="utf-8") as draft:
        draft.write("\nThe clinic opens at 8 a.m.\n")
    edited = run_cli("check", "--isolated", "--format", "concise", "--quiet", "--diff-base", "HEAD", ".",
                     cwd=repo)
    # The file changed, so its missing disclaimer (a document-level finding) counts; its old claim does not.
    assert located(edited) == ["untouched.txt:1:1: CC301"]


def test_diff_is_taken_from_the_merge_base(repo: Path) -> None:
    """Changes made on the base branch after the pull request branched off are not the PR's doing."""
    git(repo, "switch", "-q", "-c", "feature")
    git(repo, "switch", "-q", "main")
    (repo / "untouched.txt").write_text(DISCLAIMER, encoding="utf-8")  # main fixes the page meanwhile
    git(repo, "commit", "-q", "-am", "fix the page on main")
    git(repo, "switch", "-q", "feature")
    result = run_cli("check", "--isolated", "--diff-base", "main", ".", cwd=repo)
    assert result.returncode == 0, result.stdout


def test_bad_ref_is_a_one_line_usage_error(repo: Path) -> None:
    result = run_cli("check", "--isolated", "--diff-base", "no-such-branch", ".", cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    message = result.stderr.strip()
    assert "\n" not in message and "'no-such-branch' is not a known git revision" in message


def test_outside_a_repository_is_a_one_line_usage_error(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(DISCLAIMER, encoding="utf-8")
    result = run_cli("check", "--isolated", "--diff-base", "main", "page.txt", cwd=tmp_path,
                     env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)})
    assert result.returncode == 2
    message = result.stderr.strip()
    assert "\n" not in message and "needs a git repository" in message


def test_parse_diff_reads_hunks_renames_and_quoted_paths() -> None:
    diff = (b"diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n"
            b"@@ -1,0 +2,3 @@\n+x\n+y\n+z\n@@ -9 +12 @@\n-old\n+new\n@@ -20,2 +22,0 @@\n-gone\n-gone\n"
            b"diff --git a/old.md b/new.md\nrename from old.md\nrename to new.md\n"
            b"--- a/old.md\n+++ b/new.md\n"
            b"@@ -4 +4 @@\n-a\n+b\n"
            b"diff --git a/gone.txt b/gone.txt\n--- a/gone.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n"
            b'--- "a/caf\\303\\251 \\"1\\".txt"\n+++ "b/caf\\303\\251 \\"1\\".txt"\t\n@@ -0,0 +1 @@\n+hi\n'
            b"--- /dev/null\n+++ b/two words.md\t\n@@ -0,0 +1,2 @@\n+a\n+b\n")
    assert parse_diff(diff) == {"a.txt": FileChange({2, 3, 4, 12}, {22}), "new.md": FileChange({4}),
                                'café "1".txt': FileChange({1}), "two words.md": FileChange({1, 2})}


# Changes that remove or hide lines are still changes.

QUALIFIED = "A survey found that 72% of patients reported less back pain.\nIndividual outcomes vary.\n"


def branch_with(repo: Path, name: str, text: str) -> None:
    """Commit ``name`` with ``text`` on main, then start a pull request branch."""
    (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", f"add {name}")
    git(repo, "switch", "-q", "-c", "pr")


def changed_findings(repo: Path) -> list[str]:
    result = run_cli("check", "--isolated", "--select", "CC1,CC3", "--format", "concise", "--quiet",
                     "--diff-base", "main", ".", cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return located(result)


def test_deleting_a_qualifier_line_exposes_the_claim(repo: Path) -> None:
    branch_with(repo, "page.txt", f"{QUALIFIED}\n{DISCLAIMER}")
    assert changed_findings(repo) == []
    (repo / "page.txt").write_text(f"{QUALIFIED.splitlines()[0]}\n\n{DISCLAIMER}", encoding="utf-8")
    assert changed_findings(repo) == ["page.txt:1:21: CC101"]


def test_weakening_a_qualifier_line_exposes_the_claim(repo: Path) -> None:
    branch_with(repo, "page.txt", f"{QUALIFIED}\n{DISCLAIMER}")
    (repo / "page.txt").write_text(QUALIFIED.replace("Individual outcomes vary", "Results may vary")
                                   + f"\n{DISCLAIMER}", encoding="utf-8")
    assert changed_findings(repo) == ["page.txt:1:21: CC101"]


def test_deleting_the_disclaimer_is_reported(repo: Path) -> None:
    branch_with(repo, "page.txt", f"{QUALIFIED}\n{DISCLAIMER}")
    (repo / "page.txt").write_text(QUALIFIED, encoding="utf-8")  # only a deletion: no line added
    assert changed_findings(repo) == ["page.txt:1:1: CC301"]


def test_a_deletion_elsewhere_leaves_other_paragraphs_alone(repo: Path) -> None:
    branch_with(repo, "page.txt", f"{OLD_CLAIM}\nA paragraph to remove.\n\nThe clinic opens at 8.\n\n{DISCLAIMER}")
    (repo / "page.txt").write_text(f"{OLD_CLAIM}\nThe clinic opens at 8.\n\n{DISCLAIMER}", encoding="utf-8")
    assert changed_findings(repo) == []


@pytest.mark.parametrize("attributes", ["*.md binary\n", "*.md -diff\n"])
def test_gitattributes_cannot_hide_a_change(repo: Path, attributes: str) -> None:
    branch_with(repo, "page.md", f"Intro.\n\n{DISCLAIMER}")
    (repo / ".gitattributes").write_text(attributes, encoding="utf-8")
    (repo / "page.md").write_text(f"Intro.\n\n{NEW_CLAIM}\n{DISCLAIMER}", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "mark drafts binary and add a claim")
    assert changed_findings(repo) == ["page.md:3:27: CC101"]


@pytest.mark.skipif(os.name != "posix", reason="needs file modes")
def test_a_change_git_gives_no_lines_for_counts_as_the_whole_file(repo: Path) -> None:
    (repo / "legacy.txt").chmod(0o755)  # a mode change: a diff header and no hunk
    assert changed_findings(repo) == ["legacy.txt:1:29: CC101"]


def test_an_empty_diff_base_is_refused(repo: Path) -> None:
    result = run_cli("check", "--isolated", "--diff-base", "", ".", cwd=repo)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "claimcheck: error: --diff-base: the revision is empty; name a branch, tag or commit"]
