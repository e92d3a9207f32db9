"""Configuration: ``.claimcheck.yaml`` or ``[tool.claimcheck]`` in pyproject.toml, found upward from the
working directory. Unknown keys and wrong types are errors that point at the file, line and column."""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claimcheck.budget import DEFAULT_SECONDS_PER_MIB
from claimcheck.errors import ClaimcheckError, ConfigError, UsageError
from claimcheck.model import Finding
from claimcheck.pathglobs import anchor, matches
from claimcheck.reading import Unreadable, read_regular
from claimcheck.ruleset import yamlpos
from claimcheck.ruleset.schema import (
    Field,
    as_list,
    is_bool,
    is_int,
    is_number,
    is_str_or_str_list,
    string,
    string_list,
    validate,
)

YAML_NAMES = (".claimcheck.yaml", ".claimcheck.yml")
MAX_CONFIG_BYTES = 1_000_000  # a configuration is a few hundred bytes; a pyproject.toml some kB
SEVERITIES = ("error", "warning", "info")

FIELDS: dict[str, Field] = {
    "select": string_list(),
    "ignore": string_list(),
    "extend-rules": string_list(),
    "qualifiers": string_list(),
    "claim-scope": string(choices=("sentence", "paragraph", "document")),
    "exclude": string_list(),
    "fail-on": string(choices=SEVERITIES),
    "model": string(),
    "require-reason": Field(is_bool, "true or false"),
    "max-file-size": Field(is_int, "a whole number of MiB"),
    "per-file-ignores": Field(lambda value: isinstance(value, dict) and all(
        isinstance(glob, str) and is_str_or_str_list(codes) for glob, codes in value.items()),
        "a mapping of path globs to lists of rule codes"),
    "time-budget": Field(is_number, "a number of seconds per MiB of draft"),
    "rule-docs-url": string(),
    "claims-registry": string(),
}


@dataclass(frozen=True)
class PerFileIgnore:
    """``per-file-ignores`` entry: rule codes (or prefixes) not reported for the paths a glob matches."""

    pattern: str  # as written in the configuration file
    glob: str  # anchored at the configuration file's folder (see claimcheck.pathglobs)
    codes: tuple[str, ...]
    line: int | None = None  # where the entry stands in the configuration file
    column: int | None = None


@dataclass
class Config:
    path: str | None = None
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_rules: list[Path] = field(default_factory=list)
    qualifiers: list[str] | None = None
    claim_scope: str | None = None
    exclude: list[str] = field(default_factory=list)
    fail_on: str = "error"
    model: str | None = None
    require_reason: bool = False
    max_file_size: int = 20
    per_file_ignores: list[PerFileIgnore] = field(default_factory=list)
    time_budget: float = DEFAULT_SECONDS_PER_MIB  # seconds per MiB of a draft's source (claimcheck.budget)
    # A rule's documentation page, "{code}" and "{name}" filled in (editors link diagnostics to it).
    rule_docs_url: str | None = None
    claims_registry: Path | None = None  # the claims registry file (CC110-CC112 run only with one)
    # Where each key was set in the configuration file: {key: (value as loaded, line, column)}.
    origins: dict[str, tuple[Any, int | None, int | None]] = field(default_factory=dict, repr=False,
                                                                   compare=False)

    def error(self, key: str, message: str) -> ClaimcheckError:
        """An error about ``key``: a ConfigError at its file:line:col if the file set the value in use,
        else (the command line set it) a UsageError."""
        origin = self.origins.get(key)
        if origin is not None and self.path is not None:
            value, line, column = origin
            if getattr(self, key.replace("-", "_"), None) == value:
                return ConfigError(message, path=self.path, line=line, column=column)
        return UsageError(message)

    def ignored_codes(self, path: str) -> list[str]:
        """The codes and prefixes ``per-file-ignores`` turns off for ``path``."""
        return [code for entry in self.per_file_ignores if matches(path, entry.glob) for code in entry.codes]

    def reported(self, path: str, findings: list[Finding]) -> list[Finding]:
        """The findings ``per-file-ignores`` leaves reported for ``path``."""
        off = self.ignored_codes(path)
        if not off:
            return findings
        return [f for f in findings
                if not any(f.code.startswith(code) or code.upper() == "ALL" for code in off)]

    def rule_overrides(self) -> dict[str, Any]:
        """Config keys that rule kinds may take over (see ``RuleKind.overrides``)."""
        return {"qualifiers": self.qualifiers, "claim-scope": self.claim_scope,
                "require-reason": self.require_reason, "claims-registry": self.claims_registry}


def _toml_located(text: str, file: str) -> yamlpos.Located:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        if found is None and "end of document" in str(exc):
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
        raise ConfigError(f"invalid TOML: {str(exc).split(' (at line')[0]}", path=file, line=line,
                          column=column) from None
    tool = data.get("tool", {})
    table = tool.get("claimcheck") if isinstance(tool, dict) else None
    located = yamlpos.Located(table, file)
    if table is not None:
        _mark_toml_keys(text, located)
    return located


_TOML_KEY_PART = r"""(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)"""
_TOML_DOTTED = rf"{_TOML_KEY_PART}(?:\s*\.\s*{_TOML_KEY_PART})*"
_TOML_HEADER = re.compile(rf"\s*\[\s*({_TOML_DOTTED})\s*\]\s*(?:#.*)?$")
_TOML_KEY = re.compile(rf"(\s*)({_TOML_DOTTED})\s*=\s*")


def _toml_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_TOML_KEY_PART, dotted))


def _mark_toml_keys(text: str, located: yamlpos.Located) -> None:
    """Record where the claimcheck table and its keys stand (tomllib keeps no positions): a
    ``[tool.claimcheck]`` header (any spacing), its sub-tables, and ``claimcheck = {...}`` or dotted keys
    under ``[tool]``. Keys of an inline table point at the line of the table."""
    table: tuple[str, ...] = ()
    for number, text_line in enumerate(text.splitlines(), start=1):
        header = _TOML_HEADER.match(text_line)
        if header:
            table = _toml_parts(header.group(1))
            if table == ("tool", "claimcheck"):
                located.value_marks[()] = (number, 1)
            elif table[:2] == ("tool", "claimcheck"):
                located.value_marks.setdefault(table[2:], (number, 1))
            continue
        key = _TOML_KEY.match(text_line)
        if not key:
            continue
        full = table + _toml_parts(key.group(2))
        if full[:2] != ("tool", "claimcheck"):
            continue
        at = full[2:]
        if not at:
            located.value_marks[()] = (number, len(key.group(1)) + 1)
            continue
        located.key_marks.setdefault(at, (number, len(key.group(1)) + 1))
        located.value_marks.setdefault(at, (number, key.end() + 1))


def has_claimcheck_table(path: Path) -> bool:
    """Whether a pyproject.toml has a ``[tool.claimcheck]`` table, however it is written. A file that is not
    valid TOML counts when it mentions claimcheck, so that the user sees the TOML error instead of a
    configuration that is silently not used."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    try:
        tool = tomllib.loads(text).get("tool")
    except tomllib.TOMLDecodeError:
        return "claimcheck" in text
    return isinstance(tool, dict) and "claimcheck" in tool


def _candidates(directory: Path) -> list[Path]:
    return [directory / name for name in YAML_NAMES] + [directory / "pyproject.toml"]


def find_config(start: Path) -> tuple[Path, list[Path]] | None:
    """The nearest config file at or above ``start`` (a pyproject.toml counts only with [tool.claimcheck]),
    and the other configuration files in the same folder, which are not used (files are never merged)."""
    for directory in [start, *start.parents]:
        found = [candidate for candidate in _candidates(directory) if candidate.is_file()
                 and (candidate.name != "pyproject.toml" or has_claimcheck_table(candidate))]
        if found:
            return found[0], found[1:]
    return None


def load_config(path: Path) -> Config:
    file = str(path)
    try:
        text = read_regular(path, MAX_CONFIG_BYTES).decode("utf-8-sig")
    except Unreadable as exc:
        if exc.reason == "no such file or directory":
            raise ConfigError("configuration file does not exist", path=file) from None
        reason = f"larger than {MAX_CONFIG_BYTES // 1000} kB" if exc.size is not None else exc.reason
        raise ConfigError(f"cannot read configuration file: {reason}", path=file) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"configuration file is not valid UTF-8 at byte {exc.start}", path=file) from None
    if path.suffix == ".toml":
        located = _toml_located(text, file)
        what = "[tool.claimcheck]"
    else:
        located = yamlpos.load(text, file, ConfigError)
        what = "configuration"
    data = located.value
    if data is None:
        return Config(path=file)
    validate(located, data, FIELDS, (), ConfigError, what)
    base = path.parent
    config = Config(
        path=file,
        select=as_list(data["select"]) if "select" in data else None,
        ignore=as_list(data.get("ignore")),
        extend_rules=[base / p for p in as_list(data.get("extend-rules"))],
        qualifiers=as_list(data["qualifiers"]) if "qualifiers" in data else None,
        claim_scope=data.get("claim-scope"),
        exclude=[anchor(glob, base) for glob in as_list(data.get("exclude"))],
        fail_on=data.get("fail-on", "error"),
        model=data.get("model"),
        require_reason=data.get("require-reason", False),
        max_file_size=data.get("max-file-size", 20),
        per_file_ignores=[PerFileIgnore(glob, anchor(glob, base), tuple(as_list(codes)),
                                        *located.where(("per-file-ignores", glob)))
                          for glob, codes in data.get("per-file-ignores", {}).items()],
        time_budget=float(data.get("time-budget", DEFAULT_SECONDS_PER_MIB)),
        rule_docs_url=data.get("rule-docs-url"),
        claims_registry=base / data["claims-registry"] if "claims-registry" in data else None,
    )
    def fail(message: str, at: yamlpos.Path) -> None:
        line, column = located.where(at)
        raise ConfigError(message, path=file, line=line, column=column)

    if config.max_file_size <= 0:
        fail("'max-file-size' must be positive", ("max-file-size",))
    if not 0 < config.time_budget < float("inf"):
        fail("'time-budget' must be a positive number of seconds per MiB", ("time-budget",))
    if config.qualifiers is not None and not [q for q in config.qualifiers if q.strip()]:
        fail("'qualifiers' must list at least one qualifier", ("qualifiers",))
    extend = data.get("extend-rules")
    for index, rules_path in enumerate(config.extend_rules):
        if not rules_path.exists():
            fail(f"'extend-rules': {rules_path} does not exist",
                 ("extend-rules",) + ((index,) if isinstance(extend, list) else ()))
    if config.claims_registry is not None and not config.claims_registry.exists():
        fail(f"'claims-registry': {config.claims_registry} does not exist", ("claims-registry",))
    for key in ("select", "ignore", "model"):
        if key in data:
            config.origins[key] = (getattr(config, key), *located.where((key,)))
    return config


def resolve_config(explicit: str | None, isolated: bool, cwd: Path) -> Config:
    if isolated:
        return Config()
    if explicit:
        return load_config(Path(explicit))
    found = find_config(cwd)
    if found is None:
        return Config()
    chosen, unused = found

    def shown(path: Path) -> Path:  # as the user would type it: relative to the working directory if below it
        return path.relative_to(cwd) if path.is_relative_to(cwd) else path

    for other in unused:
        what = "[tool.claimcheck] in " if other.name == "pyproject.toml" else ""
        print(f"claimcheck: note: using {shown(chosen)}; {what}{shown(other)} is ignored "
              "(configuration files are not merged)", file=sys.stderr)
    return load_config(shown(chosen))
