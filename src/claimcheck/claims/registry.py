"""The claims registry: one YAML entry per substantiated claim, with its figures, subject terms and source.

```yaml
- id: fibrin-fbss-positive
  statement: "80% of patients with prior failed back surgery reported positive outcomes"
  figures: ["80%"]
  terms: ["failed back surgery", "positive outcome"]   # what the claim is about (patterns allowed)
  source: "Registry report 2023, table 4"
  approved-by: "compliance team"
  approved: 2025-01-15
  expires: 2027-01-15
```

It is validated like a rule file: unknown keys, wrong types, bad dates and duplicate ids are errors at the
file's line and column, every entry's errors at once. A term written as plain words matches them with any
spacing or dashes between them and any ending ("positive outcome" matches "positive outcomes"); a term with
regular-expression syntax is a pattern (case-insensitive).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import regex

from claimcheck.claims.figures import canonical_figure
from claimcheck.errors import ClaimcheckError, ConfigError, PatternTimeout
from claimcheck.reading import Unreadable, read_regular
from claimcheck.ruleset import yamlpos
from claimcheck.ruleset.schema import Field, describe, is_str, string, string_list, validate

MAX_REGISTRY_BYTES = 1_000_000
TERM_TIMEOUT = 1.0  # seconds one term may search one sentence (a pattern that backtracks is an error)
_ID = regex.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_PATTERN_SYNTAX = regex.compile(r"[\\^$.|?*+()\[\]{}]")  # a term holding any of these is a pattern
_WORD = regex.compile(r"[^\s\p{Pd}]+")


class RegistryError(ConfigError):
    """A claims registry file is malformed: unknown keys, wrong types, bad dates, duplicate ids."""


class RegistryErrors(RegistryError):
    """Every error of one registry file, one line each (as for rule files)."""

    def __init__(self, errors: list[RegistryError]) -> None:
        first = errors[0]
        super().__init__(first.message, path=first.path, line=first.line, column=first.column)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def is_date(value: object) -> bool:
    return isinstance(value, date)


ENTRY_FIELDS: dict[str, Field] = {
    "id": string(required=True),
    "statement": string(required=True),
    "figures": string_list(required=True),
    "terms": string_list(required=True),
    "source": string(required=True),
    "approved-by": string(),
    "approved": Field(is_date, "a date (YYYY-MM-DD, unquoted)"),
    "expires": Field(is_date, "a date (YYYY-MM-DD, unquoted)"),
}


@dataclass(frozen=True)
class Term:
    """One subject term of an entry, compiled; ``line``/``column`` locate it for timeout errors."""

    text: str
    pattern: regex.Pattern[str]
    file: str
    line: int | None
    column: int | None

    def found_in(self, text: str) -> bool:
        try:
            return self.pattern.search(text, timeout=TERM_TIMEOUT) is not None
        except TimeoutError:
            raise PatternTimeout(f"claims registry term {self.text[:60]!r} took over {TERM_TIMEOUT:g}s on "
                                 "one sentence; simplify the pattern", path=self.file, line=self.line,
                                 column=self.column) from None


@dataclass(frozen=True)
class Entry:
    id: str
    statement: str
    figures: tuple[str, ...]  # as written
    terms: tuple[Term, ...]
    source: str
    file: str  # the registry file, and where the entry's id stands in it
    line: int
    column: int
    approved_by: str | None = None
    approved: date | None = None
    expires: date | None = None
    canonical: frozenset[str] = field(default=frozenset(), compare=False)  # figures, canonical

    def expired(self, today: date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True)
class ClaimsRegistry:
    """The entries of one registry file, and the day expiry is judged on (today unless a test says)."""

    path: str
    entries: tuple[Entry, ...]
    today: date = field(default_factory=date.today)


def term_pattern(term: str) -> str:
    """A plain phrase matches its words with any spaces or dashes between them and any ending; anything
    with pattern syntax is used as written."""
    if _PATTERN_SYNTAX.search(term):
        return term
    words = _WORD.findall(term)
    return r"(?<![\p{L}\p{N}])" + r"[\s\p{Pd}]+".join(regex.escape(word) for word in words)


def parse_entries(located: yamlpos.Located, at: yamlpos.Path, error: type[ClaimcheckError] = RegistryError,
                  what: str = "claims registry") -> tuple[Entry, ...]:
    """The entries of the list at ``at`` of ``located``; every entry's errors are raised together."""
    items = located.value
    for key in at:
        items = items[key]
    if items is None:
        return ()
    if not isinstance(items, list):
        line, column = located.where(at)
        raise error(f"{what} must be a list of entries, not {describe(items)}", path=located.file, line=line,
                    column=column)
    entries: list[Entry] = []
    errors: list[RegistryError] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(items):
        try:
            entry = _entry(located, at + (index,), item, f"{what} entry")
        except RegistryError as exc:
            errors.append(exc)
            continue
        if entry.id in seen:
            first = seen[entry.id]
            errors.append(RegistryError(f"duplicate claim id {entry.id!r} (already defined at {first})",
                                        path=entry.file, line=entry.line, column=entry.column))
            continue
        seen[entry.id] = f"{entry.file}:{entry.line}:{entry.column}"
        entries.append(entry)
    if errors:
        if error is not RegistryError:  # a rule file's example registry: a rule-file error
            raise error(errors[0].message, path=errors[0].path, line=errors[0].line, column=errors[0].column)
        raise errors[0] if len(errors) == 1 else RegistryErrors(errors)
    return tuple(entries)


def _entry(located: yamlpos.Located, at: yamlpos.Path, item: object, what: str) -> Entry:
    validate(located, item, ENTRY_FIELDS, at, RegistryError, what)
    assert isinstance(item, dict)

    def fail(message: str, key: str | tuple[str | int, ...]) -> RegistryError:
        line, column = located.where(at + ((key,) if isinstance(key, str) else key))
        return RegistryError(message, path=located.file, line=line, column=column)

    entry_id = item["id"]
    if not _ID.fullmatch(entry_id):
        raise fail(f"claim id {entry_id!r} must be letters, digits, '.', '_' or '-', starting with a letter "
                   "or digit", "id")
    for key in ("statement", "source"):
        if not item[key].strip():
            raise fail(f"{key!r} in {what} must not be empty", key)
    figures = [item["figures"]] if is_str(item["figures"]) else list(item["figures"])
    terms = [item["terms"]] if is_str(item["terms"]) else list(item["terms"])
    for key, values in (("figures", figures), ("terms", terms)):
        if not values:
            raise fail(f"{key!r} in {what} must list at least one", key)
        for index, value in enumerate(values):
            if not value.strip():
                raise fail(f"{key!r} in {what} must not hold an empty string",
                           (key, index) if isinstance(item[key], list) else key)
    compiled = []
    for index, term in enumerate(terms):
        where = (at + ("terms", index)) if isinstance(item["terms"], list) else at + ("terms",)
        line, column = located.where(where)
        try:
            pattern = regex.compile(term_pattern(term), regex.IGNORECASE | regex.VERSION0)
        except regex.error as exc:
            raise RegistryError(f"invalid pattern {term!r}: {exc}", path=located.file, line=line,
                                column=column) from None
        if pattern.search("") is not None:
            raise RegistryError(f"term {term!r} matches empty text", path=located.file, line=line,
                                column=column)
        compiled.append(Term(term, pattern, located.file, line, column))
    approved, expires = item.get("approved"), item.get("expires")
    if approved is not None and expires is not None and _day(expires) < _day(approved):
        raise fail(f"'expires' ({_day(expires)}) is before 'approved' ({_day(approved)})", "expires")
    line, column = located.where(at + ("id",))
    return Entry(id=entry_id, statement=" ".join(item["statement"].split()), figures=tuple(figures),
                 terms=tuple(compiled), source=" ".join(item["source"].split()), file=located.file,
                 line=line or 1, column=column or 1, approved_by=item.get("approved-by"),
                 approved=_day(approved) if approved is not None else None,
                 expires=_day(expires) if expires is not None else None,
                 canonical=frozenset(canonical_figure(figure) for figure in figures))


def _day(value: date) -> date:
    """A YAML timestamp with a time of day counts as its day."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _read(path: Path) -> str:
    try:
        return read_regular(path, MAX_REGISTRY_BYTES).decode("utf-8-sig")
    except Unreadable as exc:
        if exc.reason == "no such file or directory":
            raise RegistryError("claims registry does not exist", path=str(path)) from None
        reason = f"larger than {MAX_REGISTRY_BYTES // 1000} kB" if exc.size is not None else exc.reason
        raise RegistryError(f"cannot read claims registry: {reason}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise RegistryError(f"claims registry is not valid UTF-8 at byte {exc.start}",
                            path=str(path)) from None


def load_registry(path: Path, today: date | None = None) -> ClaimsRegistry:
    """Read and validate a registry file; ``today`` (default: the current date) decides what has expired."""
    located = yamlpos.load(_read(path), str(path), RegistryError)
    return ClaimsRegistry(str(path), parse_entries(located, ()), today or date.today())


def registry_stamp(path: Path | None) -> str | None:
    """What of the registry decides findings, for the results cache: its content and today's date (an
    entry expires overnight)."""
    if path is None:
        return None
    try:
        content = hashlib.sha256(read_regular(path, MAX_REGISTRY_BYTES)).hexdigest()
    except Unreadable:
        content = "<unreadable>"
    return f"{content} {date.today().isoformat()}"
