"""Where a pattern can start: a sound shortcut for patterns the ``regex`` engine scans slowly.

A pattern such as ``{number}\\s*x`` begins with an optional word ("about", "over"...) and then a digit or a
number word. The engine cannot skip ahead to a literal, so it tries every position of the text (about 1 µs
each). Yet every match must begin with one of a small set of *starters*: literal prefixes ("about", "twenty",
"one"...) or a digit. :func:`starters` derives that set from the pattern's syntax tree, and
:func:`finditer_from_starts` tries the pattern only where a starter occurs (found with ``str.find`` on the
lower-cased text), giving exactly the matches ``pattern.finditer`` gives:

* a match attempt at a position sees the whole text (look-behinds and ``\\b`` behave as in a search);
* only patterns that cannot match the empty string are handled, so matches never overlap and the next
  search after a match starts at its end, as ``finditer`` does;
* case: a text character matches an ASCII letter case-insensitively exactly when its ``lower()`` is that
  letter, except for the few characters in ``_FOLDS_TO_ASCII`` (and ``İ``, whose lower form is two
  characters); texts holding them, and patterns using syntax outside the plain subset checked by
  ``_PLAIN_SYNTAX``, take the ordinary full scan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from time import monotonic

import regex

# Non-ASCII characters that ``regex`` (IGNORECASE) matches to an ASCII letter; computed over all code points.
_FOLDS_TO_ASCII = frozenset("\u0130\u017f\u212a")
_DIGIT = regex.compile(r"\d")
# Escapes and groups whose meaning Python's parser (used for the analysis) shares with ``regex`` VERSION0.
_ESCAPE = regex.compile(r"\\(.)", regex.DOTALL)
_SAFE_ESCAPES = set("dDsSwWbBAZntrfv0xuU") | {c for c in map(chr, range(32, 127)) if not c.isalnum()}
_GROUP = regex.compile(r"\(\?(.)")
_SAFE_GROUPS = set(":=!<>#aimsx-")
# Marks a starter whose literal must be followed by white space ("a" in "a\s+hundred"): a bare "a" would make
# nearly every word a candidate.
SPACE = "\uffff"
_SPACES = regex.compile(r"\s+")
# Marks a starter that a ``\b`` (or a look-behind excluding word characters) guards: it can only begin a
# match where the previous character is not a word character, which rules out "one" in "someone".
WORD_START = "\ufffe"
_WORD = regex.compile(r"\w")
# Fewer starters than this, all of them words, and the engine's own literal search is as fast.
MIN_STARTERS = 3


class Starters:
    """Where the patterns of a group can start: literal prefixes and digits. Equal starters are one group
    (their candidates are found once); compared by value, with the hash computed once."""

    __slots__ = ("_hash", "digit", "digit_word_start", "literals", "parsed")

    def __init__(self, literals: tuple[str, ...], digit: bool, digit_word_start: bool = False) -> None:
        self.literals = literals  # lower-case prefixes, none a prefix of another; may end with SPACE
        self.digit = digit  # a match may also start at a digit (``\d``)
        self.digit_word_start = digit_word_start  # ... only at a digit not preceded by a word character
        # (literal, guarded by WORD_START, None or the literal that follows white space after it)
        parts = []
        for starter in literals:
            guarded = starter.startswith(WORD_START)
            literal, spaced, follow = starter.lstrip(WORD_START).partition(SPACE)
            parts.append((literal, guarded, follow if spaced else None))
        self.parsed: tuple[tuple[str, bool, str | None], ...] = tuple(parts)
        self._hash = hash((literals, digit, digit_word_start))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return self is other or (isinstance(other, Starters) and self._hash == other._hash
                                 and (self.literals, self.digit, self.digit_word_start)
                                 == (other.literals, other.digit, other.digit_word_start))

    def __repr__(self) -> str:
        return f"Starters({self.literals!r}, digit={self.digit}, digit_word_start={self.digit_word_start})"


class _Unknown(Exception):
    pass


def plain_syntax(source: str) -> bool:
    if "[[" in source or "[:" in source or "{e" in source:
        return False
    if any(m.group(1) not in _SAFE_ESCAPES for m in _ESCAPE.finditer(source)):
        return False
    return all(m.group(1) in _SAFE_GROUPS for m in _GROUP.finditer(source))


_PROPERTY = regex.compile(r"\\(?:[pP](?:\{[^{}]*\}|[A-Za-z])|.)", regex.DOTALL)


def without_properties(source: str) -> str:
    """``\\p{Pd}`` and kin (which Python's parser lacks) as ``\\W``: a class the analysis never takes as a
    start, so a pattern that could begin with one gets no starters, and elsewhere it does not matter."""
    return _PROPERTY.sub(lambda m: "\\W" if m.group(0)[1] in "pP" else m.group(0), source)


def starters(source: str) -> Starters | None:
    """The starters of a pattern, or None when they cannot be known (or would not help)."""
    source = without_properties(source)
    if not plain_syntax(source):
        return None
    try:
        # CPython's private parser: another Python may lack it or change it, and then the shortcut is
        # off (every pattern is scanned whole), never an error while loading rules.
        from re import _constants, _parser  # type: ignore[attr-defined]  # noqa: F401

        tree = _parser.parse(source, re.IGNORECASE)
        literals, digit, nullable = _first(list(tree), False)
    except (_Unknown, re.error, RecursionError, OverflowError, ImportError, AttributeError, TypeError,
            ValueError, IndexError):
        return None
    if nullable:
        return None
    lowered = set()
    for literal in literals:
        if any(not c.isascii() and not (c.lower() == c == c.upper()) for c in literal.lstrip(WORD_START)):
            return None  # a cased non-ASCII letter: leave case folding to the engine
        lowered.add(literal.lower())
    digit_word_start = DIGIT_AT_WORD_START in lowered
    digit = digit_word_start or DIGIT in lowered
    lowered -= {DIGIT, DIGIT_AT_WORD_START}
    kept = tuple(sorted(s for s in lowered if not any(t != s and s.startswith(t) for t in lowered)))
    bare = [s.lstrip(WORD_START) for s in kept]
    if len(kept) + digit < MIN_STARTERS or "" in bare or SPACE in bare:
        return None
    if any(len(s) == 1 and s.isalnum() for s in bare):
        return None  # a lone letter ("u" of "U.S.") starts too many words: the engine's own scan is faster
    return Starters(kept, digit, digit_word_start and DIGIT not in lowered)


# Pseudo-literals for "starts at a digit" (``\d``), unguarded and guarded.
DIGIT, DIGIT_AT_WORD_START = "\ufffd0", "\ufffd1"
_MARKERS = frozenset("\ufffd\ufffe\uffff")


def _class(items: list) -> tuple[set[str], bool]:  # type: ignore[type-arg]
    from re import _constants as c  # type: ignore[attr-defined]

    chars: set[str] = set()
    digit = False
    for op, av in items:
        if op is c.LITERAL:
            chars.add(chr(av))
        elif op is c.RANGE and av[1] - av[0] <= 30:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        elif op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            digit = True
        else:
            raise _Unknown
    return chars, digit


def _is_space(item: tuple) -> bool:  # type: ignore[type-arg]
    """Whether a parsed item always consumes white space first (a ``\\s`` class, repeated or not)."""
    from re import _constants as c  # type: ignore[attr-defined]

    op, av = item
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1 and len(av[2]) == 1:
        op, av = next(iter(av[2]))
    return op is c.IN and list(av) == [(c.CATEGORY, c.CATEGORY_SPACE)]


def _guards_word_start(op: object, av: object) -> bool:
    """Whether a zero-width item rules out a word character before the position (``\b`` is checked by
    the caller against the starter's first character)."""
    from re import _constants as c  # type: ignore[attr-defined]

    if op is not c.ASSERT_NOT or av[0] != -1:  # type: ignore[index]
        return False
    body = list(av[1])  # type: ignore[index]
    return (len(body) == 1 and body[0][0] is c.IN
            and (c.CATEGORY, c.CATEGORY_WORD) in list(body[0][1])
            and (c.NEGATE, None) not in list(body[0][1]))


def _guard(literal: str, boundary: bool, not_after_word: bool) -> str:
    if not_after_word or (boundary and _WORD.match(literal[0]) is not None):
        return WORD_START + literal
    return literal


def _first(items: list, boundary: bool, not_after_word: bool = False) -> tuple[set[str], bool, bool]:  # type: ignore[type-arg]
    """(literal prefixes, may start at a digit, may match empty) of a sequence of parsed items.

    ``boundary``/``not_after_word``: a ``\b`` or a word-excluding look-behind stands at the start.
    """
    from re import _constants as c  # type: ignore[attr-defined]

    literals: set[str] = set()
    digit = False
    index = 0
    while index < len(items):
        op, av = items[index]
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero-width: only narrows where a match may start
            boundary = boundary or (op is c.AT and av is c.AT_BOUNDARY)
            not_after_word = not_after_word or _guards_word_start(op, av)
            index += 1
            continue
        if op is c.LITERAL:
            end = index
            while end < len(items) and items[end][0] is c.LITERAL:
                end += 1
            literal = "".join(chr(item[1]) for item in items[index:end])
            if len(literal) < 3 and end < len(items) and not _is_space(items[end]):
                # "F" + (DA|\.\s?D|ood): Python's parser factors common prefixes out of alternatives;
                # join the run with what must follow it ("fda", "f.", "food") when that is known.
                try:
                    rest = _first(items[end:], False)
                except _Unknown:
                    rest = None
                if (rest is not None and rest[0] and not rest[1] and not rest[2]
                        and not any(_MARKERS.intersection(x) for x in rest[0])):
                    literals |= {_guard(literal + x, boundary, not_after_word) for x in rest[0]}
                    return literals, digit, False
            if len(literal) < 3 and end < len(items) and _is_space(items[end]):
                literal += SPACE  # "a\s+hundred": "a", white space, then "hundred"
                follow = end + 1
                while follow < len(items) and items[follow][0] is c.LITERAL:
                    follow += 1
                literal += "".join(chr(item[1]) for item in items[end + 1:follow]).lstrip()
            literals.add(_guard(literal, boundary, not_after_word))
            return literals, digit, False
        if op is c.IN:
            chars, has_digit = _class(av)
            literals |= {_guard(char, boundary, not_after_word) for char in chars}
            if has_digit:
                literals.add(DIGIT_AT_WORD_START if boundary or not_after_word else DIGIT)
            return literals, digit, False
        if op is c.BRANCH:
            nullable = False
            for alternative in av[1]:
                sub = _first(list(alternative), boundary, not_after_word)
                literals |= sub[0]
                digit |= sub[1]
                nullable |= sub[2]
        elif op is c.SUBPATTERN:
            sub = _first(list(av[3]), boundary, not_after_word)
            literals |= sub[0]
            digit |= sub[1]
            nullable = sub[2]
        elif op is c.ATOMIC_GROUP:
            sub = _first(list(av), boundary, not_after_word)
            literals |= sub[0]
            digit |= sub[1]
            nullable = sub[2]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            sub = _first(list(av[2]), boundary, not_after_word)
            literals |= sub[0]
            digit |= sub[1]
            nullable = sub[2] or av[0] == 0
        else:
            raise _Unknown
        if not nullable:
            return literals, digit, False
        index += 1
    return literals, digit, True


class LoweredText:
    """A text with what candidate scanning needs, computed once and shared by all patterns."""

    __slots__ = ("_candidates", "_digits", "_holds", "_scanned", "_word_start_digits", "lower", "text",
                 "usable")

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()
        self.usable = len(self.lower) == len(text) and (text.isascii() or _FOLDS_TO_ASCII.isdisjoint(text))
        self._digits: list[int] | None = None
        self._candidates: dict[Starters, list[int]] = {}  # pattern sets often share starters
        self._scanned: set[Vocabulary] = set()
        self._holds: dict[frozenset[str], bool] = {}
        self._word_start_digits: list[int] | None = None

    def holds_any(self, literals: frozenset[str]) -> bool:
        """Whether the lower-cased text holds one of ``literals``."""
        known = self._holds.get(literals)
        if known is None:
            lower = self.lower
            known = self._holds[literals] = any(map(lower.__contains__, literals))
        return known

    def word_start_digits(self) -> list[int]:
        """The digits not preceded by a word character."""
        if self._word_start_digits is None:
            text = self.text
            self._word_start_digits = [at for at in self.digits() if not _after_word(text, at)]
        return self._word_start_digits

    def digits(self) -> list[int]:
        if self._digits is None:
            self._digits = [m.start() for m in _DIGIT.finditer(self.text)]
        return self._digits


def candidate_starts(lowered: LoweredText, start: Starters,
                     vocabulary: Vocabulary | None = None) -> list[int]:
    """Where the patterns of ``start``'s group may match in a usable text, in order. With the
    ``vocabulary`` of the group's pattern set, the candidates of all its groups are found at once."""
    known = lowered._candidates.get(start)
    if known is not None:
        return known
    if vocabulary is not None and vocabulary not in lowered._scanned:
        lowered._scanned.add(vocabulary)
        found = vocabulary.scan(lowered)
        for group in vocabulary.groups:
            lowered._candidates.setdefault(group, found.get(group, _NONE))
        return lowered._candidates[start]
    known = lowered._candidates[start] = _candidate_starts(lowered, start)
    return known


_NONE: list[int] = []
_ASCII_WORD = "0-9a-z_"  # \w in ASCII, lower case (as in a lower-cased text)
# Word-start literals in a vocabulary at which one regular-expression pass beats a str.find per literal.
MIN_SCANNED_LITERALS = 24


class Vocabulary:
    r"""The starters of all the groups of one pattern set, found together in one pass over a text.

    Finding each group's literals with one ``str.find`` per literal, group and text took most of the
    time of a lint with long word lists (CC101's outcomes). Here the word-start literals of all groups are
    found by one regular expression on the lower-cased text: it steps from word start to word start
    (skipping ASCII words whole) and stops where the longest literal begins (a trie, longest first); the
    other literals found there are the ones that are prefixes of it, computed once. Candidates after a
    non-ASCII character are checked against ``\w`` as :func:`_after_word` does. The few literals that may
    start anywhere, or must be followed by white space, are found with ``str.find`` as before. The
    candidates of every group are exactly those of :func:`_candidate_starts`.
    """

    __slots__ = ("_closure", "_digit_groups", "_finds", "_scanner", "_trie", "groups")

    def __init__(self, groups: Iterable[Starters]) -> None:
        self.groups = tuple(dict.fromkeys(groups))
        # (literal, guarded, follow) -> the groups it starts
        owners: dict[tuple[str, bool, str | None], list[Starters]] = {}
        for group in self.groups:
            for part in group.parsed:
                owners.setdefault(part, []).append(group)
        words = sorted(literal for literal, guarded, follow in owners if guarded and follow is None)
        self._trie: str | None = None
        self._scanner: re.Pattern[str] | None = None
        self._closure: dict[str, tuple[Starters, ...]] = {}
        if len(words) >= MIN_SCANNED_LITERALS:
            self._trie = _trie(words)
            self._closure = {word: tuple(dict.fromkeys(group for prefix in words if word.startswith(prefix)
                                                       for group in owners[(prefix, True, None)]))
                             for word in words}
        # Literals found one by one: (literal, guarded, groups where it needs no follower, followers with
        # their groups ("a" then "hundred")); a literal is looked for once whatever follows it.
        finds: dict[tuple[str, bool], tuple[list[Starters], list[tuple[str, tuple[Starters, ...]]]]] = {}
        for (literal, guarded, follow), found in owners.items():
            if self._trie is not None and guarded and follow is None:
                continue
            bare, followers = finds.setdefault((literal, guarded), ([], []))
            if follow is None:
                bare.extend(found)
            else:
                followers.append((follow, tuple(found)))
        self._finds = [(literal, guarded, tuple(bare), tuple(followers))
                       for (literal, guarded), (bare, followers) in finds.items()]
        self._digit_groups = (tuple(g for g in self.groups if g.digit and not g.digit_word_start),
                              tuple(g for g in self.groups if g.digit_word_start))

    def _compiled(self) -> re.Pattern[str]:
        """The scanner: skip (atomically) what cannot start a word-start literal, then take the literal
        (absent at the end of the text: the match always succeeds, so no search restarts)."""
        if self._scanner is None:
            assert self._trie is not None
            literal = f"(?<![{_ASCII_WORD}]){self._trie}"
            skip = f"(?>(?:(?!{literal})(?:[{_ASCII_WORD}]+|[^{_ASCII_WORD}]))*)"
            self._scanner = re.compile(f"{skip}({literal})?", re.DOTALL)
        return self._scanner

    def scan(self, lowered: LoweredText) -> dict[Starters, list[int]]:
        """The candidate starts of the groups with any in ``lowered`` (a usable text)."""
        text, lower = lowered.text, lowered.lower
        found: dict[Starters, list[int]] = {}
        if self._trie is not None:
            match, closure, length, position = self._compiled().match, self._closure, len(lower), 0
            while position < length:
                hit = match(lower, position)
                assert hit is not None  # always matches
                at = hit.start(1)
                if at < 0:
                    break
                position = at + 1
                if at and not text[at - 1].isascii() and _WORD.match(text[at - 1]) is not None:
                    continue  # after a non-ASCII word character
                for group in closure[hit.group(1)]:
                    positions = found.get(group)
                    if positions is None:
                        found[group] = [at]
                    else:
                        positions.append(at)
        find = lower.find
        for literal, guarded, bare, followers in self._finds:
            at = find(literal)
            while at != -1:
                if not guarded or not _after_word(text, at):
                    for group in bare:
                        found.setdefault(group, []).append(at)
                    gap = _SPACES.match(text, at + len(literal)) if followers else None
                    if gap is not None:
                        for follow, groups in followers:
                            if lower.startswith(follow, gap.end()):
                                for group in groups:
                                    found.setdefault(group, []).append(at)
                at = find(literal, at + 1)
        anywhere, at_word_start = self._digit_groups
        if anywhere or at_word_start:
            digits = lowered.digits()
            if digits:
                for group in anywhere:
                    found.setdefault(group, []).extend(digits)
                if at_word_start:
                    starting = lowered.word_start_digits()
                    for group in at_word_start:
                        found.setdefault(group, []).extend(starting)
        return {group: sorted(set(positions)) for group, positions in found.items()}


def _followed(lowered: LoweredText, at: int, literal: str, follow: str) -> bool:
    """Whether white space and then ``follow`` come after ``literal`` at ``at``."""
    gap = _SPACES.match(lowered.text, at + len(literal))
    return gap is not None and lowered.lower.startswith(follow, gap.end())


def _trie(words: list[str]) -> str:
    """A regular expression matching any of ``words`` (sorted), the longest where several match."""
    ends = "" in words
    branches: dict[str, list[str]] = {}
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
    body = "(?:" + "|".join(re.escape(first) + _trie(rest) for first, rest in branches.items()) + ")"
    if not branches:
        return ""
    return body + "?" if ends else body


def _after_word(text: str, at: int) -> bool:
    """Whether a word character (``\\w``) stands just before ``at``."""
    if at == 0:
        return False
    previous = text[at - 1]
    if previous.isascii():
        return previous.isalnum() or previous == "_"
    return _WORD.match(previous) is not None


def _candidate_starts(lowered: LoweredText, start: Starters) -> list[int]:
    text = lowered.text
    lower = lowered.lower
    positions: list[int] = []
    if start.digit:
        if start.digit_word_start:
            positions.extend(lowered.word_start_digits())
        else:
            positions.extend(lowered.digits())
    find = lower.find
    for literal, guarded, follow in start.parsed:
        at = find(literal)
        while at != -1:
            if (not guarded or not _after_word(text, at)) and (follow is None
                                                               or _followed(lowered, at, literal, follow)):
                positions.append(at)
            at = find(literal, at + 1)
    return sorted(set(positions))


WINDOW = 256  # characters a failing match attempt may look at first (see match_at)


def match_at(match: Callable[..., regex.Match[str] | None], text: str, position: int,
             timeout: float | None) -> regex.Match[str] | None:
    r"""``match(text, position)``, in time that does not grow with the rest of the text when it fails.

    Before trying a pattern at a position, ``regex`` may look for a literal the pattern requires anywhere
    in the rest of the text: ``(?:were|was|are|is)\s+able`` scans to the end for "able", so trying every
    "is" of a long paragraph took time quadratic in its length. The attempt is made first on a window of
    the text as a *partial* match: no match there, not even one cut short by the window's end, means none
    in the whole text. Anything else is decided on the whole text (a complete match in the window may
    extend past it).
    """
    window_end = position + WINDOW
    if window_end < len(text) and match(text, position, window_end, partial=True, timeout=timeout) is None:
        return None
    return match(text, position, timeout=timeout)


def finditer_from_starts(pattern: regex.Pattern[str], start: Starters, lowered: LoweredText,
                         timeout: float) -> Iterator[regex.Match[str]]:
    """``pattern.finditer(text)``, trying only the candidate start positions (see the module docstring)."""
    text = lowered.text
    match = pattern.match
    end = 0
    deadline = monotonic() + timeout  # one budget for the whole scan, as finditer has
    for position in candidate_starts(lowered, start):
        if position < end:
            continue
        left = deadline - monotonic()
        if left <= 0:
            raise TimeoutError("regex timed out")
        found = match_at(match, text, position, left)
        if found is not None:
            end = found.end()
            yield found
