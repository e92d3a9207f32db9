"""Which configuration governs an open draft, and when the server builds its engine again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from claimcheck.lsp.drafts import draft_format
from claimcheck.lsp.settings import BrokenSettings, Settings, SettingsCache


def settings(cache: SettingsCache, draft: Path | None) -> Settings:
    found = cache.for_draft(draft)
    assert isinstance(found, Settings), found
    return found


def test_configuration_is_found_upward_from_the_draft(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / ".claimcheck.yaml").write_text("select: [CC1]\n")
    (tmp_path / "pyproject.toml").write_text("[tool.claimcheck]\nselect = ['CC2']\n")
    cache = SettingsCache(folders=[tmp_path])
    deep = settings(cache, tmp_path / "site" / "a" / "b" / "page.md")
    assert deep.config.path == str((tmp_path / "site" / ".claimcheck.yaml").resolve())
    assert [rule.meta.code for rule in deep.engine.rules] == ["CC101"]
    top = settings(cache, tmp_path / "other" / "page.md")
    assert [rule.meta.code for rule in top.engine.rules] == ["CC201"]
    # A draft never saved is governed by the first workspace folder's configuration.
    assert settings(cache, None).config.path == top.config.path
    # Drafts under one configuration share its engine.
    assert settings(cache, tmp_path / "site" / "x.md").engine is deep.engine


def test_an_edited_rule_file_rebuilds_the_engine_without_being_told(tmp_path: Path) -> None:
    rule = tmp_path / "rules" / "x.yaml"
    rule.parent.mkdir()
    rule.write_text("code: XX101\nname: x-rule\nkind: restricted-wording\nmessage: m\ndescription: d\n"
                    "wording: [miracle]\n")
    (tmp_path / ".claimcheck.yaml").write_text("extend-rules: [rules]\n")
    cache = SettingsCache()
    first = settings(cache, tmp_path / "page.md")
    assert settings(cache, tmp_path / "page.md") is first
    assert cache.governs(rule) and cache.governs(tmp_path / "pyproject.toml")
    assert not cache.governs(tmp_path / "page.md")
    rule.write_text(rule.read_text() + "severity: warning\n")
    os.utime(rule, ns=(1, 1))  # a different modification time even on a coarse clock
    second = settings(cache, tmp_path / "page.md")
    assert second is not first and second.generation > first.generation
    assert str(second.engine.rules.get("XX101").meta.severity) == "warning"  # type: ignore[union-attr]


def test_a_broken_rule_file_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("code: XX101\nname: x-rule\nkind: restricted-wording\nmessage: m\n"
                                       "description: d\nwording: ['(unclosed']\n")
    (tmp_path / ".claimcheck.yaml").write_text("extend-rules: [bad.yaml]\n")
    broken = SettingsCache().for_draft(tmp_path / "page.md")
    assert isinstance(broken, BrokenSettings)
    [error] = broken.errors
    assert (Path(error.path or "").name, error.line, error.code) == ("bad.yaml", 6, "E003")
    assert broken.summary.startswith(f"{(tmp_path / 'bad.yaml').resolve()}:6:11: error: invalid pattern")


@pytest.mark.parametrize(("language", "path", "expected"), [
    ("markdown", "notes.txt", "markdown"), ("plaintext", None, "text"), ("html", "x", "html"),
    ("text", "a.md", "text"), (None, "page.htm", "html"), ("python", "tool.py", None),
    ("yaml", ".claimcheck.yaml", None), ("jinja", "page.html", "html"),
])
def test_draft_format_by_language_then_extension(language: str | None, path: str | None,
                                                  expected: str | None) -> None:
    assert draft_format(language, path) == expected


def test_a_draft_over_the_size_limit_is_refused_with_one_reason(tmp_path: Path) -> None:
    from claimcheck.lsp.drafts import DraftLinter

    (tmp_path / ".claimcheck.yaml").write_text("max-file-size: 1\n")
    found = settings(SettingsCache(), tmp_path / "big.txt")
    linted = DraftLinter().lint(found, str(tmp_path / "big.txt"), "text", "é" * 600_000, on_disk=True)
    assert linted.findings == [] and linted.failure is not None
    assert linted.failure.message == ("file is 1.1 MiB, over the 1 MiB limit (raise it with 'max-file-size' in "
                                      "the configuration)")
    assert DraftLinter().lint(found, "small.txt", "text", "é" * 500_000, on_disk=False).failure is None
