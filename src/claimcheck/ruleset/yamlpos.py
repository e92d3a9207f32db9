"""Safe YAML loading that remembers where every key and value stands (for errors with file:line:col)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from claimcheck.errors import ClaimcheckError

Path = tuple[Any, ...]

# A rule or config file is small; anything much larger is a mistake or an attack (an alias bomb is refused
# outright, this bounds plain size).
MAX_NODES = 200_000
_PLAIN_COLLECTIONS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
MAX_DEPTH = 50  # rule and config files nest a few levels; deeper is a mistake (and would exhaust the stack)


@dataclass
class Located:
    """A plain Python value plus the source marks of each key and value, addressed by key path."""

    value: Any
    file: str
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, *, key: bool = False) -> tuple[int | None, int | None]:
        """1-based (line, column) of the key (or value) at ``path``, or of its nearest ancestor."""
        marks = self.key_marks if key else self.value_marks
        probe = path
        while True:
            if probe in marks:
                return marks[probe]
            if probe in self.value_marks:
                return self.value_marks[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]


class _NoAliasLoader(yaml.SafeLoader):
    """Safe loader that refuses aliases where they stand (an alias bomb never gets composed)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # untyped in types-PyYAML
            raise yaml.MarkedYAMLError(problem=f"YAML aliases (*{event.anchor}) are not allowed",
                                       problem_mark=event.start_mark)
        return super().compose_node(parent, index)


def _problem(exc: yaml.YAMLError) -> str:
    """The first line of a PyYAML error, without its 'in "<unicode string>", line …' excerpt."""
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = str(exc.problem or exc.context or "malformed YAML")
        if exc.context and problem.startswith("but "):  # "expected a single document…, but found another"
            problem = f"{exc.context}, {problem}"
        return problem.splitlines()[0]
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def load(text: str, file: str, error: type[ClaimcheckError]) -> Located:
    """Parse one YAML document safely; aliases, non-scalar keys and deep nesting are refused."""
    loader = _NoAliasLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (None, None)
        problem = _problem(exc)
        prefix = "" if problem.startswith("YAML aliases") else "invalid YAML: "
        raise error(prefix + problem, path=file, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {_problem(exc)}", path=file) from None
    except RecursionError:
        raise error(f"YAML is nested too deeply (over {MAX_DEPTH} levels)", path=file,
                    line=loader.line + 1, column=loader.column + 1) from None
    finally:
        loader.dispose()
    located = Located(None, file)
    if root is None:
        return located
    count = 0
    constructor = yaml.SafeLoader("")

    def mark(node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def scalar(node: yaml.Node, what: str) -> Any:
        try:
            return constructor.construct_object(node)
        # ValueError: a timestamp such as 2024-13-45; YAMLError: an unknown or unsafe tag.
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            line, column = mark(node)
            reason = _problem(exc) if isinstance(exc, yaml.YAMLError) else str(exc)
            raise error(f"invalid YAML {what}: {reason}", path=file, line=line, column=column) from None

    def build(node: yaml.Node, path: Path) -> Any:
        nonlocal count
        count += 1
        if count > MAX_NODES:
            raise error(f"YAML file is too large (over {MAX_NODES} values)", path=file)
        if len(path) > MAX_DEPTH:
            line, column = mark(node)
            raise error(f"YAML is nested too deeply (over {MAX_DEPTH} levels)", path=file, line=line,
                        column=column)
        located.value_marks[path] = mark(node)
        if isinstance(node, yaml.CollectionNode) and node.tag not in _PLAIN_COLLECTIONS:
            line, column = mark(node)  # e.g. !!python/object/apply on a list: refused, not silently ignored
            raise error(f"invalid YAML value: could not determine a constructor for the tag {node.tag!r}",
                        path=file, line=line, column=column)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = mark(key_node)
                    raise error("mapping keys must be plain strings", path=file, line=line, column=column)
                if key_node.tag == "tag:yaml.org,2002:merge":
                    line, column = mark(key_node)
                    raise error("YAML merge keys ('<<') are not allowed", path=file, line=line, column=column)
                key = scalar(key_node, "key")
                if key in result:
                    line, column = mark(key_node)
                    raise error(f"duplicate key {key!r}", path=file, line=line, column=column)
                located.key_marks[path + (key,)] = mark(key_node)
                result[key] = build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [build(item, path + (index,)) for index, item in enumerate(node.value)]
        return scalar(node, "value")

    located.value = build(root, ())
    return located
