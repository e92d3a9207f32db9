"""The results cache never writes among, or deletes, a user's own files."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli

DRAFT = "Nine in ten patients improved.\n"


def make_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "draft.txt").write_text(DRAFT)
    (project / ".gitignore").write_text("node_modules/\n")
    return project


def test_clean_refuses_a_folder_that_is_not_a_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = run_cli("clean", "--cache-dir", str(project), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"claimcheck: error: '{project}' is not a claimcheck cache folder (it has "
                                     "no CACHEDIR.TAG written by claimcheck); not removing it")
    assert (project / "draft.txt").read_text() == DRAFT


def test_clean_refuses_through_the_environment_variable_too(tmp_path: Path) -> None:
    keep = tmp_path / "keep"
    keep.mkdir()
    (keep / "file.txt").write_text("mine\n")
    result = run_cli("clean", cwd=tmp_path, env={"CLAIMCHECK_CACHE_DIR": str(keep)})
    assert result.returncode == 2 and (keep / "file.txt").exists()


def test_check_refuses_a_cache_dir_holding_other_files(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    result = run_cli("check", "--isolated", "--cache-dir", ".", "draft.txt", cwd=project)
    assert result.returncode == 2
    assert "claimcheck: error: cache folder '.' is not a claimcheck cache (it holds other files)" in result.stderr
    assert (project / ".gitignore").read_text() == "node_modules/\n"
    assert sorted(p.name for p in project.iterdir()) == [".gitignore", "draft.txt"]


def test_a_new_cache_folder_is_made_tagged_and_cleaned(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = run_cli("check", "--isolated", "--cache-dir", "cc", "draft.txt", cwd=project)
    assert first.returncode == 1
    assert (project / "cc" / "CACHEDIR.TAG").is_file() and (project / "cc" / ".gitignore").is_file()
    again = run_cli("check", "--isolated", "--cache-dir", "cc", "draft.txt", cwd=project)
    assert again.stdout == first.stdout  # the tagged folder is reused
    cleaned = run_cli("clean", "--cache-dir", "cc", cwd=project)
    assert cleaned.returncode == 0 and cleaned.stdout.strip() == "Removed cc"
    assert not (project / "cc").exists() and (project / "draft.txt").exists()


def test_an_empty_existing_folder_may_become_the_cache(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "empty").mkdir()
    result = run_cli("check", "--isolated", "--cache-dir", "empty", "draft.txt", cwd=project)
    assert result.returncode == 1
    assert (project / "empty" / "CACHEDIR.TAG").is_file()
