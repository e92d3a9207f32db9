"""Words a pattern cannot match without: a sound test that rules a pattern out for a whole text.

``{number}(?:{range}{number})?{percent}`` matches nothing in a paragraph without "%", "per", "pc" or "‰";
trying it at each of the paragraph's numbers costs microseconds each, looking for those words costs a
fraction of one. :func:`required_literals` derives, from the pattern's syntax tree, a set of lower-case
literals of which every match holds at least one (it may be None: nothing is required). A text whose
lower-cased form holds none of them has no match, so the pattern is skipped for it; where one is present
the pattern runs as before, so the matches never change. The same limits as for starters apply
(:mod:`claimcheck.ruleset.starts`): plain syntax only, no cased non-ASCII letters, and only texts whose
lower-casing is exact (``LoweredText.usable``).
"""

from __future__ import annotations

import re

from claimcheck.ruleset.starts import plain_syntax, without_properties

Literals = frozenset[str]
MAX_CLASS = 8  # a class of up to this many characters requires one of them


class _Unknown(Exception):
    pass


def required_literals(source: str) -> Literals | None:
    """Literals one of which every match of ``source`` (case-insensitive) holds, or None."""
    source = without_properties(source)
    if not plain_syntax(source):
        return None
    try:
        from re import _parser  # type: ignore[attr-defined]

        found = _sequence(list(_parser.parse(source, re.IGNORECASE)))
    except (_Unknown, re.error, RecursionError, OverflowError, ImportError, AttributeError, TypeError,
            ValueError, IndexError):
        return None
    if not found or any(not c.isascii() and not (c.lower() == c == c.upper()) for x in found for c in x):
        return None  # a cased non-ASCII letter: leave case folding to the engine
    return _minimal(frozenset(x.lower() for x in found))


def _minimal(literals: Literals) -> Literals:
    """Without the literals that hold another one (a text holding "percent" holds "per")."""
    return frozenset(x for x in literals if not any(y != x and y in x for y in literals))


def _better(a: Literals | None, b: Literals | None) -> Literals | None:
    """The likelier to rule a text out: longer literals (up to 4 characters), then fewer of them."""
    if a is None or b is None:
        return a if b is None else b

    def score(literals: Literals) -> tuple[int, int]:
        return min(4, min(len(x) for x in literals)), -len(literals)

    return a if score(a) >= score(b) else b


def _sequence(items: list) -> Literals | None:  # type: ignore[type-arg]
    """What a sequence of parsed items requires: what any one of its items requires (the best one)."""
    from re import _constants as c  # type: ignore[attr-defined]

    best: Literals | None = None
    index = 0
    while index < len(items):
        if items[index][0] is c.LITERAL:  # a run of literals is one literal
            end = index
            while end < len(items) and items[end][0] is c.LITERAL:
                end += 1
            best = _better(best, frozenset(["".join(chr(item[1]) for item in items[index:end])]))
            index = end
            continue
        best = _better(best, _item(*items[index]))
        index += 1
    return best


def _item(op: object, av: object) -> Literals | None:
    from re import _constants as c  # type: ignore[attr-defined]

    if op is c.IN:
        chars = set()
        for kind, value in av:  # type: ignore[attr-defined]
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < MAX_CLASS:
                chars.update(chr(code) for code in range(value[0], value[1] + 1))
            else:
                return None  # a negated class, a category (\d, \s), a wide range
        return frozenset(chars) if 0 < len(chars) <= MAX_CLASS else None
    if op is c.BRANCH:
        union: set[str] = set()
        for alternative in av[1]:  # type: ignore[index]
            found = _sequence(list(alternative))
            if found is None:
                return None  # an alternative that requires nothing
            union |= found
        return _minimal(frozenset(union))
    if op is c.SUBPATTERN:
        return _sequence(list(av[3]))  # type: ignore[index]
    if op is c.ATOMIC_GROUP:
        return _sequence(list(av))  # type: ignore[call-overload]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        return _sequence(list(av[2])) if av[0] >= 1 else None  # type: ignore[index]
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT, c.ANY, c.NOT_LITERAL, c.CATEGORY, c.GROUPREF, c.GROUPREF_EXISTS):
        return None  # zero-width, or matches characters that are not known literals
    raise _Unknown
