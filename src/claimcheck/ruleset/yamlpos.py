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


def load(text: str, file: str, error: type[ClaimcheckError]) -> Located:
    """Parse one YAML document safely; aliases and non-scalar keys are refused."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise error(f"invalid YAML: {exc.problem or exc.context}", path=file, line=line,
                    column=column) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=file) from None
    located = Located(None, file)
    if root is None:
        return located
    seen: set[int] = set()
    constructor = yaml.SafeLoader("")

    def mark(node: yaml.Node) -> tuple[int, int]:
        return (node.start_mark.line + 1, node.start_mark.column + 1)

    def build(node: yaml.Node, path: Path) -> Any:
        if id(node) in seen:
            line, column = mark(node)
            raise error("YAML aliases and anchors are not allowed here", path=file, line=line, column=column)
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise error(f"YAML file is too large (over {MAX_NODES} values)", path=file)
        located.value_marks[path] = mark(node)
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    line, column = mark(key_node)
                    raise error("mapping keys must be plain strings", path=file, line=line, column=column)
                key = constructor.construct_object(key_node)
                if key in result:
                    line, column = mark(key_node)
                    raise error(f"duplicate key {key!r}", path=file, line=line, column=column)
                located.key_marks[path + (key,)] = mark(key_node)
                result[key] = build(value_node, path + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [build(item, path + (index,)) for index, item in enumerate(node.value)]
        try:
            return constructor.construct_object(node)
        except yaml.YAMLError as exc:
            line, column = mark(node)
            raise error(f"invalid YAML value: {exc}", path=file, line=line, column=column) from None

    located.value = build(root, ())
    return located
