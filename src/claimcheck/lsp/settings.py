"""Which configuration and rules govern a draft the editor has open, found as the CLI finds them.

The CLI reads the configuration nearest its working directory; an editor has no working directory, so the
search starts at the draft's folder (an unsaved draft: the first workspace folder) and goes up. Engines are
kept per configuration file, so drafts of one project share one set of compiled rules, and each is checked
against the files it was built from (configuration and rule files: size and modification time) before use,
so an edit to either is picked up even by an editor that does not report file changes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from claimcheck.config import Config, find_config, load_config
from claimcheck.engine import Engine
from claimcheck.errors import ClaimcheckError, RuleErrors
from claimcheck.lsp.warmup import ENGINE_LOCK, pipeline

CONFIG_NAMES = frozenset({".claimcheck.yaml", ".claimcheck.yml", "pyproject.toml"})
RULE_SUFFIXES = (".yaml", ".yml")

Stamp = tuple[tuple[str, int, int], ...]  # (path, size, mtime_ns) of each file an engine was built from


@dataclass
class Settings:
    """What lints the drafts under one configuration file (or under none)."""

    config: Config
    engine: Engine
    inputs: list[Path]  # the configuration and rule files it was built from
    stamp: Stamp
    generation: int  # a new number for every engine built: memoised findings of an older one are stale

    def docs_url(self, code: str, name: str) -> str | None:
        """The rule's documentation page, from the configuration's ``rule-docs-url`` template."""
        template = self.config.rule_docs_url
        return template.replace("{code}", code).replace("{name}", name) if template else None


@dataclass
class BrokenSettings:
    """A configuration or rule file that cannot be used: the error(s), each at its file, line and column."""

    config_path: str | None
    errors: list[ClaimcheckError]
    inputs: list[Path]
    stamp: Stamp

    @property
    def summary(self) -> str:
        return str(self.errors[0]) + (f" (and {len(self.errors) - 1} more)" if len(self.errors) > 1 else "")


@dataclass
class SettingsCache:
    folders: list[Path] = field(default_factory=list)  # workspace folders, for drafts not saved yet
    _found: dict[Path, Path | None] = field(default_factory=dict)  # draft folder -> its configuration file
    _built: dict[str | None, Settings | BrokenSettings] = field(default_factory=dict)
    _generation: int = 0

    def forget_locations(self) -> None:
        """A configuration file appeared, moved or went: find each draft's configuration again."""
        self._found.clear()

    def config_path(self, draft: Path | None) -> Path | None:
        start = draft.parent if draft is not None else (self.folders[0] if self.folders else None)
        if start is None:
            return None
        if start not in self._found:
            found = find_config(start)
            self._found[start] = found[0].resolve() if found else None
        return self._found[start]

    def for_draft(self, draft: Path | None) -> Settings | BrokenSettings:
        with ENGINE_LOCK:  # the start-up thread may be building the same settings
            path = self.config_path(draft)
            key = str(path) if path is not None else None
            known = self._built.get(key)
            if known is not None and known.stamp == _stamp(known.inputs):
                return known
            built = self._build(path)
            self._built[key] = built
            return built

    def _build(self, path: Path | None) -> Settings | BrokenSettings:
        from claimcheck.runner import build_engine

        config = Config()
        try:
            if path is not None:
                config = load_config(path)
            checked = build_engine(config, [])  # the CLI's checks of select, ignore and model
        except ClaimcheckError as exc:
            errors: list[ClaimcheckError] = [*exc.errors] if isinstance(exc, RuleErrors) else [exc]
            # The files named by the errors too: a broken rule file is what the writer will edit.
            inputs = _files(path, config) + [Path(error.path) for error in errors if error.path]
            return BrokenSettings(str(path) if path else None, errors, inputs, _stamp(inputs))
        model = config.model
        engine = Engine(checked.rules, lambda: pipeline(model), seconds_per_mib=config.time_budget)
        self._generation += 1
        inputs = _files(path, config)
        return Settings(config, engine, inputs, _stamp(inputs), self._generation)

    def governs(self, changed: Path) -> bool:
        """Whether a changed file is a configuration file or one of the rule files in use."""
        if changed.name in CONFIG_NAMES:
            return True
        resolved = changed.resolve()
        for built in self._built.values():
            for used in built.inputs:
                target = used.resolve()
                if resolved == target or target in resolved.parents:
                    return True
        return False


def _files(path: Path | None, config: Config) -> list[Path]:
    files = [path] if path is not None else []
    for rules in config.extend_rules:
        files.extend(_rule_files(rules))
    return files


def _rule_files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for root, folders, names in os.walk(path):
            folders.sort()
            for name in sorted(names):
                if name.endswith(RULE_SUFFIXES):
                    yield Path(root, name)
        yield path  # a folder's own time changes when a file is added or removed
    else:
        yield path


def _stamp(files: list[Path]) -> Stamp:
    stamps = []
    for file in files:
        try:
            info = file.stat()
        except OSError:
            stamps.append((str(file), -1, -1))
            continue
        stamps.append((str(file), info.st_size, info.st_mtime_ns))
    return tuple(stamps)
