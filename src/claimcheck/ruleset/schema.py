"""A tiny declarative schema for rule and config mappings: known keys, types, and helpful errors."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from claimcheck.errors import ClaimcheckError
from claimcheck.ruleset.yamlpos import Located, Path


@dataclass(frozen=True)
class Field:
    """One allowed key: a type check, whether it is required, and what it means (shown in errors)."""

    check: Callable[[Any], bool]
    expected: str
    required: bool = False
    choices: tuple[str, ...] = ()


def is_str(value: Any) -> bool:
    return isinstance(value, str)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def is_str_or_str_list(value: Any) -> bool:
    return isinstance(value, str) or is_str_list(value)


def is_mapping(value: Any) -> bool:
    return isinstance(value, dict)


def string(required: bool = False, choices: tuple[str, ...] = ()) -> Field:
    return Field(is_str, "a string", required, choices)


def string_list(required: bool = False) -> Field:
    return Field(is_str_or_str_list, "a list of strings", required)


def validate(located: Located, mapping: Any, fields: Mapping[str, Field], path: Path,
             error: type[ClaimcheckError], what: str) -> None:
    """Reject unknown keys, missing required keys and wrong types, pointing at the file position."""

    def fail(message: str, at: Path, *, key: bool = False) -> None:
        line, column = located.where(at, key=key)
        raise error(message, path=located.file, line=line, column=column)

    if not isinstance(mapping, dict):
        fail(f"{what} must be a mapping of keys to values", path)
    for key in mapping:
        if key not in fields:
            close = difflib.get_close_matches(str(key), list(fields), n=1)
            allowed = ", ".join(sorted(fields))
            hint = f" (did you mean {close[0]!r}?)" if close else f"; allowed keys: {allowed}"
            fail(f"unknown key {key!r} in {what}{hint}", path + (key,), key=True)
    for key, spec in fields.items():
        if key not in mapping:
            if spec.required:
                fail(f"{what} is missing required key {key!r}", path)
            continue
        value = mapping[key]
        if not spec.check(value):
            fail(f"{key!r} in {what} must be {spec.expected}, not {describe(value)}", path + (key,))
        if spec.choices and value not in spec.choices:
            fail(f"{key!r} in {what} must be one of {', '.join(spec.choices)}, not {value!r}", path + (key,))


def describe(value: Any) -> str:
    """A value's YAML type for error messages: "int", "a list holding int"."""
    if isinstance(value, list):
        odd = next((item for item in value if not isinstance(item, str)), None)
        return f"a list holding {type(odd).__name__}" if odd is not None or not value else "a list"
    return type(value).__name__


def as_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
