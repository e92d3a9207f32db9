"""Load rule files (YAML) into rule objects, with errors that name the file, line and column."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex

from claimcheck.errors import RuleError, RuleErrors
from claimcheck.families import KINDS, RuleKind, RuleMeta
from claimcheck.model import Severity
from claimcheck.reading import Unreadable, read_regular
from claimcheck.ruleset import yamlpos
from claimcheck.ruleset.schema import (
    Field,
    describe,
    is_mapping,
    is_str_list,
    is_str_or_str_list,
    string,
    string_list,
)
from claimcheck.ruleset.schema import validate as validate_fields

if TYPE_CHECKING:
    from claimcheck.config import Config
    from claimcheck.ruleset.registry import RuleSet

CODE = regex.compile(r"[A-Z]{1,5}[0-9]{3}")
TERM_NAME = regex.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
SLUG = regex.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_RULE_FILE_BYTES = 1_000_000

COMMON_FIELDS: dict[str, Field] = {
    "code": string(required=True),
    "name": string(required=True),
    "kind": string(required=True, choices=tuple(KINDS)),
    "severity": string(choices=("error", "warning", "info")),
    "message": string(required=True),
    "description": string(required=True),
    "references": string_list(),
    "examples": Field(is_mapping, "a mapping with 'fail' and 'pass' lists"),
}
EXAMPLE_FIELDS = {"fail": Field(is_str_list, "a list of example drafts"),
                  "pass": Field(is_str_list, "a list of example drafts")}


def default_rules_dir() -> Path:
    """The rule pack shipped inside the package; in a source checkout, the top-level ``rules/`` folder."""
    packaged = Path(__file__).resolve().parent.parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def rule_files(path: Path) -> list[Path]:
    try:
        if path.is_dir():
            return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except OSError as exc:
        raise RuleError(f"cannot read rule folder: {exc.strerror or exc}", path=str(path)) from None
    return [path]


def _read(path: Path) -> str:
    try:
        return read_regular(path, MAX_RULE_FILE_BYTES).decode("utf-8-sig")
    except Unreadable as exc:
        if exc.reason == "no such file or directory":
            raise RuleError("rule file or folder does not exist", path=str(path)) from None
        if exc.size is not None:
            raise RuleError(f"rule file is larger than {MAX_RULE_FILE_BYTES // 1000} kB",
                            path=str(path)) from None
        raise RuleError(f"cannot read rule file: {exc.reason}", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise RuleError(f"rule file is not UTF-8 (byte {exc.start})", path=str(path)) from None


def build_rule(spec: Mapping[str, Any], located: yamlpos.Located, path: tuple[Any, ...],
               overrides: Mapping[str, Any] | None = None, validate: bool = True) -> RuleKind:
    """Validate one rule mapping and build its kind's object; ``overrides`` come from the configuration.

    ``validate=False`` leaves checking and compiling the patterns to their first use: only for rule files
    this very code has loaded without error before (see ``PatternSet.compile``)."""
    if not isinstance(spec, dict):
        line, column = located.where(path)
        raise RuleError("a rule must be a mapping of keys to values", path=located.file, line=line,
                        column=column)
    kind_name = spec.get("kind")
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind is None:  # a wrong kind first: otherwise its keys would be reported as unknown
        given = {"kind": kind_name} if "kind" in spec else {}
        validate_fields(located, given, {"kind": COMMON_FIELDS["kind"]}, path, RuleError, "rule")
    fields = {**COMMON_FIELDS, **(kind.fields if kind else {})}
    validate_fields(located, spec, fields, path, RuleError, f"{kind_name} rule" if kind else "rule")
    assert kind is not None  # validate_fields() rejected a missing or unknown kind
    code, name = spec["code"], spec["name"]

    def fail(message: str, key: str) -> None:
        line, column = located.where(path + (key,))
        raise RuleError(message, path=located.file, line=line, column=column)

    if not CODE.fullmatch(code):
        fail(f"rule code {code!r} must be 1-5 capital letters and 3 digits, e.g. CC101", "code")
    if not SLUG.fullmatch(name):
        fail(f"rule name {name!r} must be a lower-case slug such as 'unqualified-outcome-claim'", "name")
    check_terms(spec.get("terms"), located, path + ("terms",))
    kind_spec = {k: v for k, v in spec.items() if k not in COMMON_FIELDS}
    examples = spec.get("examples", {})
    validate_fields(located, examples, EXAMPLE_FIELDS, path + ("examples",), RuleError, f"examples of {code}")
    for config_key, rule_key in kind.overrides.items():
        if overrides and overrides.get(config_key) is not None:
            kind_spec[rule_key] = overrides[config_key]
    meta = RuleMeta(
        code=code, name=name, kind=kind.kind,
        severity=Severity.parse(spec.get("severity", "error")),
        message=spec["message"].strip(),
        description=spec["description"].strip(),
        examples_fail=tuple(examples.get("fail", [])),
        examples_pass=tuple(examples.get("pass", [])),
        source=located.file,
        references=tuple(string_or_list(spec.get("references"))),
    )
    return kind(meta, kind_spec, located, path, validate=validate)


def check_terms(terms: Any, located: yamlpos.Located, path: tuple[Any, ...]) -> None:
    """``terms`` maps names (used as ``{name}`` in patterns) to a pattern or a list of patterns."""
    if not isinstance(terms, dict):
        return  # absent, or already rejected by the kind's schema

    def fail(message: str, at: tuple[Any, ...], key: bool = False) -> None:
        line, column = located.where(at, key=key)
        raise RuleError(message, path=located.file, line=line, column=column)

    for name, definition in terms.items():
        if not isinstance(name, str) or not TERM_NAME.fullmatch(name):
            fail(f"term name {name!r} must be letters, digits, '-' or '_', starting with a letter",
                 path + (name,), key=True)
        if not is_str_or_str_list(definition):
            fail(f"term {name!r} must be a pattern or a list of patterns, not {describe(definition)}",
                 path + (name,))


def string_or_list(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


def load_rule_file(path: Path, overrides: Mapping[str, Any] | None = None,
                   validate: bool = True) -> list[RuleKind]:
    """A rule file holds one rule (a mapping) or several (a list of mappings)."""
    return [rule for rule, _ in _load_located(path, overrides, validate=validate)]


Where = tuple[str, int | None, int | None]  # file, line, column


def _load_located(path: Path, overrides: Mapping[str, Any] | None, errors: list[RuleError] | None = None,
                  validate: bool = True) -> list[tuple[RuleKind, Where]]:
    """Each rule of a file with the ``file:line:col`` of its ``code`` (for duplicate-code errors).

    With ``errors``, a rule that cannot be built is recorded there and the file's other rules are still
    loaded; without it, the first error is raised.
    """
    located = yamlpos.load(_read(path), str(path), RuleError)
    if located.value is None:
        raise RuleError("rule file is empty", path=str(path))
    paths = [(index,) for index in range(len(located.value))] if isinstance(located.value, list) else [()]
    items = located.value if isinstance(located.value, list) else [located.value]
    rules = []
    for item, where in zip(items, paths, strict=True):
        try:
            rule = build_rule(item, located, where, overrides, validate)
        except RuleError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        line, column = located.where(where + ("code",))
        rules.append((rule, (located.file, line, column)))
    return rules


def load_rules(paths: Iterable[Path], overrides: Mapping[str, Any] | None = None,
               validate: bool = True) -> list[RuleKind]:
    """Load rule files and folders in order; a code defined twice is an error naming both places.

    Every error of every file is reported, not only the first (a :class:`RuleErrors` when there are
    several). ``validate``: see :func:`build_rule`.
    """
    rules: list[RuleKind] = []
    seen: dict[str, Where] = {}
    errors: list[RuleError] = []
    overrides = with_registry(overrides)
    for root in paths:
        try:
            files = rule_files(Path(root))
        except RuleError as exc:
            errors.append(exc)
            continue
        for path in files:
            try:
                loaded = _load_located(path, overrides, errors, validate)
            except RuleError as exc:  # the file as a whole: unreadable, not YAML, empty
                errors.append(exc)
                continue
            for rule, where in loaded:
                code = rule.meta.code
                if code in seen:
                    first = ":".join(str(part) for part in seen[code] if part is not None)
                    errors.append(RuleError(f"duplicate rule code {code} (already defined at {first})",
                                            path=where[0], line=where[1], column=where[2]))
                    continue
                seen[code] = where
                rules.append(rule)
    by_code = {rule.meta.code: rule for rule in rules}
    for rule in rules:  # rules that build on another rule (registered-claim on CC101) find it now
        try:
            rule.link(by_code)
        except RuleError as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise RuleErrors(errors)
    return rules


def with_registry(overrides: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """The configuration's claims registry, read and validated once for all the rules that use it."""
    registry = overrides.get("claims-registry") if overrides else None
    if not isinstance(registry, Path):
        return overrides
    from claimcheck.claims.registry import load_registry

    return {**(overrides or {}), "claims-registry": load_registry(registry)}


def rule_paths(config: Config, extend_rules: Sequence[str] = ()) -> list[Path]:
    """The default rule pack, then the configuration's and the command line's own rule files."""
    return [default_rules_dir(), *config.extend_rules, *(Path(p) for p in extend_rules)]


def load_ruleset(config: Config, extend_rules: Sequence[str] = (), validate: bool = True) -> RuleSet:
    from claimcheck.ruleset.registry import RuleSet

    return RuleSet(load_rules(rule_paths(config, extend_rules), config.rule_overrides(), validate))
