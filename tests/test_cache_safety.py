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


def test_entries_and_settings_not_used_for_30_days_are_evicted(tmp_path: Path) -> None:
    import os
    import time

    (tmp_path / "a.txt").write_text("Nine in ten patients improved.\n")
    (tmp_path / "b.txt").write_text("Book a visit.\n")
    assert run_cli("check", "--isolated", "a.txt", "b.txt", cwd=tmp_path).returncode == 1
    cache = tmp_path / ".claimcheck_cache"
    [key_dir] = [path for path in cache.iterdir() if path.is_dir()]
    entries = sorted(key_dir.glob("??/*.json"))
    assert len(entries) == 2
    stale = key_dir.parent / ("f" * 32)  # the results of settings no run uses any more
    (stale / "ab").mkdir(parents=True)
    (stale / "ab" / "old.json").write_text("{}")
    (stale / "rules-validated").write_text("")
    (cache / "notes.json").write_text("not claimcheck's: never removed")
    (cache / "last-pruned").write_text("")  # pruned long ago
    forty_days_ago = time.time() - 40 * 24 * 3600
    for path in [*entries, stale / "rules-validated", cache / "last-pruned"]:
        os.utime(path, (forty_days_ago, forty_days_ago))
    os.utime(entries[0], None)  # one entry was used recently
    (tmp_path / "c.txt").write_text("Book a visit.\n")
    assert run_cli("check", "--isolated", "c.txt", cwd=tmp_path).returncode == 1  # a run prunes first
    assert not stale.exists()
    assert (cache / "notes.json").exists()
    kept = set(key_dir.glob("??/*.json"))
    assert entries[0] in kept and entries[1] not in kept and len(kept) == 2  # plus c.txt's new entry
    assert time.time() - (cache / "last-pruned").stat().st_mtime < 3600
