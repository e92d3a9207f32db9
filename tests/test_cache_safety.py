"""The results cache never writes among, or deletes, a user's own files."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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


# Cached results decide what passes: they are used only when they are what linting could have found.

CLAIM_FINDING = "draft.txt:1:1: CC101"


def concise(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("check", "--isolated", "--cache-dir", "cc", "--format", "concise", "--quiet", *args,
                   "draft.txt", cwd=project)


def located(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [" ".join(line.split(" ")[:2]) for line in result.stdout.splitlines()]


def only_entry(project: Path) -> Path:
    entries = [p for p in (project / "cc").glob("*/*/*.json")]
    assert len(entries) == 1, entries
    return entries[0]


def edit_entry(entry: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = json.loads(entry.read_text(encoding="utf-8"))
    change(data)
    entry.write_text(json.dumps(data), encoding="utf-8")


def test_a_matching_entry_is_used(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = concise(project)
    assert located(first) == [CLAIM_FINDING, "draft.txt:1:1: CC301"]
    edit_entry(only_entry(project), lambda data: claim(data).update(message="from the cache"))
    assert concise(project).stdout.splitlines()[0] == f"{CLAIM_FINDING} [error] from the cache"


def claim(data: dict[str, Any]) -> dict[str, Any]:
    """The CC101 finding of the entry."""
    return next(item for item in data["findings"] if item["code"] == "CC101")


def _unknown_code(data: dict[str, Any]) -> None:
    claim(data).update(code="CC999")


def _other_path(data: dict[str, Any]) -> None:
    claim(data).update(path="::error file=x::pwned.md")


def _wrong_excerpt(data: dict[str, Any]) -> None:
    claim(data).update(excerpt="something else")


def _outside_the_file(data: dict[str, Any]) -> None:
    claim(data).update(position=[9999, 1], end_position=[9999, 5])


def _moved(data: dict[str, Any]) -> None:
    finding = claim(data)
    finding.update(start=finding["start"] + 1, end=finding["end"] + 1, excerpt="ine in ten patients improved.")


def _wrong_type(data: dict[str, Any]) -> None:
    claim(data).update(severity="error")


def _wrong_severity(data: dict[str, Any]) -> None:
    claim(data).update(severity=1)


def _extra_key(data: dict[str, Any]) -> None:
    claim(data).update(color="\x1b[31m")


@pytest.mark.parametrize("tamper", [_unknown_code, _other_path, _wrong_excerpt, _outside_the_file, _moved,
                                    _wrong_type, _wrong_severity, _extra_key])
def test_an_entry_that_linting_could_not_have_produced_is_a_miss(tmp_path: Path,
                                                                 tamper: Callable[[dict[str, Any]], None]) -> None:
    project = make_project(tmp_path)
    expected = concise(project).stdout
    edit_entry(only_entry(project), tamper)
    again = concise(project)
    assert again.stdout == expected and again.stderr == ""


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000, "{\"format\": 2, \"findings\": 3}", "\x00"])
def test_a_corrupt_or_deeply_nested_entry_is_a_miss(tmp_path: Path, content: str) -> None:
    project = make_project(tmp_path)
    expected = concise(project).stdout
    only_entry(project).write_text(content, encoding="utf-8")
    again = concise(project)
    assert again.returncode == 1 and again.stdout == expected and again.stderr == ""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_as_an_entry_does_not_block(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    expected = concise(project).stdout
    entry = only_entry(project)
    entry.unlink()
    os.mkfifo(entry)
    again = concise(project)
    assert again.stdout == expected and again.stderr == ""  # linted again; the FIFO is replaced by an entry


def test_the_cache_folder_is_private(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    concise(project)
    entry = only_entry(project)
    for folder in (project / "cc", entry.parent.parent, entry.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o775, 0o757, 0o777])
def test_a_cache_folder_others_may_write_is_refused(tmp_path: Path, mode: int) -> None:
    project = make_project(tmp_path)
    concise(project)
    (project / "cc").chmod(mode)
    result = concise(project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"claimcheck: error: cache folder 'cc' is writable by other users (mode {mode:o}): make it private "
        "(chmod 700), or choose another folder with --cache-dir, or pass --no-cache"]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="only root can give a folder away")
def test_a_cache_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    concise(project)
    os.chown(project / "cc", 65534, 65534)
    result = concise(project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "claimcheck: error: cache folder 'cc' belongs to another user: choose another folder with --cache-dir, "
        "or pass --no-cache"]


# No symbolic link inside the cache is ever followed.

def test_a_cache_root_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (tmp_path / "empty").mkdir()
    (project / "cc").symlink_to(tmp_path / "empty")
    result = concise(project)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "claimcheck: error: cache folder 'cc' is a symbolic link; claimcheck never follows links in its cache: "
        "choose another folder with --cache-dir, or pass --no-cache"]
    assert list((tmp_path / "empty").iterdir()) == []


@pytest.mark.parametrize("level", ["key", "shard"])
def test_a_symlinked_folder_inside_the_cache_is_not_written_through(tmp_path: Path, level: str) -> None:
    project = make_project(tmp_path)
    expected = concise(project).stdout
    entry = only_entry(project)
    folder = entry.parent.parent if level == "key" else entry.parent
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(folder), str(elsewhere))
    for stale in elsewhere.rglob("*.json"):
        stale.unlink()
    folder.symlink_to(elsewhere)
    again = concise(project)
    assert again.stdout == expected and again.stderr == ""
    assert list(elsewhere.rglob("*.json")) == []  # nothing written into the link's target
    assert folder.is_symlink()


def test_a_symlinked_entry_is_a_miss_and_its_target_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    expected = concise(project).stdout
    entry = only_entry(project)
    planted = tmp_path / "planted.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["findings"] = []
    planted.write_text(json.dumps(data), encoding="utf-8")
    entry.unlink()
    entry.symlink_to(planted)
    again = concise(project)
    assert again.stdout == expected  # the empty findings behind the link were not believed
    assert json.loads(planted.read_text(encoding="utf-8"))["findings"] == []


# 'claimcheck clean' removes what claimcheck created and nothing else.

def test_clean_leaves_files_added_to_an_adopted_folder(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "e").mkdir()
    env = {"CLAIMCHECK_CACHE_DIR": "e"}
    assert run_cli("check", "--isolated", "draft.txt", cwd=project, env=env).returncode == 1
    (project / "e" / "notes.txt").write_text("mine\n")
    (project / "e" / "sub").mkdir()
    (project / "e" / "sub" / "more.txt").write_text("mine too\n")
    key = next(p for p in (project / "e").iterdir() if p.is_dir() and p.name != "sub")
    (key / "keep.txt").write_text("also mine\n")
    cleaned = run_cli("clean", cwd=project, env=env)
    assert cleaned.returncode == 0, cleaned.stderr
    assert cleaned.stdout.splitlines() == [
        f"Removed 2 cache entries from e; left 3 paths claimcheck did not create: {key.name}/keep.txt, "
        "notes.txt, sub"]
    assert sorted(str(p.relative_to(project / "e")) for p in (project / "e").rglob("*")) == [
        key.name, f"{key.name}/keep.txt", "notes.txt", "sub", "sub/more.txt"]


def test_clean_with_a_hand_written_tag_removes_nothing_of_the_users(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n# made by hand\n")
    result = run_cli("clean", "--cache-dir", ".", cwd=project)
    assert result.returncode == 2
    assert sorted(p.name for p in project.iterdir()) == [".gitignore", "CACHEDIR.TAG", "draft.txt"]


@pytest.mark.parametrize("library", ["spacy", "markdown-it-py", "PyYAML"])
def test_the_settings_key_changes_when_a_reading_library_is_upgraded(library: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from claimcheck import cache

    before = cache.settings_key([], {})
    installed = cache._version
    assert installed(library) != "absent"
    monkeypatch.setattr(cache, "_version", lambda name: "999.0" if name == library else installed(name))
    assert cache.settings_key([], {}) != before


def checked_out(folder: Path) -> None:
    """Give ``folder`` the modes a git checkout or a plain copy gives (0755 folders, 0644 files)."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


def test_a_committed_cache_is_refused_not_believed(tmp_path: Path) -> None:
    """A pull request that commits a cache whose entry says 'no findings' must not make its draft pass."""
    project = make_project(tmp_path)
    concise(project)
    edit_entry(only_entry(project), lambda data: data.update(findings=[]))
    checked_out(project / "cc")
    result = concise(project)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "claimcheck: error: cache folder 'cc' is not private (mode 755), so claimcheck did not make it (it makes "
        "its cache 0700; this one was checked out or copied) and cannot trust its results: remove it with "
        "'claimcheck clean', or choose another folder with --cache-dir, or pass --no-cache"]
    cleaned = run_cli("clean", "--cache-dir", "cc", cwd=project)
    assert cleaned.stdout.strip() == "Removed cc" and not (project / "cc").exists()


def test_entries_others_could_have_written_are_misses(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    expected = concise(project).stdout
    edit_entry(only_entry(project), lambda data: data.update(findings=[]))
    checked_out(project / "cc")
    (project / "cc").chmod(0o700)  # only the top folder made private again
    assert concise(project).stdout == expected


def test_every_fixture_entry_is_a_hit(tmp_path: Path) -> None:
    """The checks must not turn honest entries (Markdown, HTML, entities, CRLF, BOMs) into misses."""
    from conftest import FIXTURES

    options = ("check", "--isolated", "--cache-dir", str(tmp_path / "cc"), "--format", "json", str(FIXTURES))
    first = run_cli(*options)
    assert first.returncode == 1, first.stderr
    for entry in (tmp_path / "cc").glob("*/*/*.json"):
        data = json.loads(entry.read_text(encoding="utf-8"))
        for item in data["findings"]:
            item["message"] = "from the cache"
        entry.write_text(json.dumps(data), encoding="utf-8")
    findings = json.loads(run_cli(*options).stdout)
    assert len(findings) == len(json.loads(first.stdout)) > 20
    assert {finding["message"] for finding in findings} == {"from the cache"}
