"""Rule patterns: regular expressions (the ``regex`` module) with named, reusable terms.

A rule file may define ``terms``; a pattern writes ``{name}`` to use one. A term given as a list becomes an
alternation. Patterns are case-insensitive. Matching runs under the draft's time budget (see
:mod:`claimcheck.budget`), so a pattern that backtracks catastrophically stops with an error naming its rule
instead of hanging the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import regex

from claimcheck.budget import Budget
from claimcheck.errors import PatternTimeout, RuleError
from claimcheck.ruleset.starts import LoweredText, Starters, candidate_starts, match_at, starters
from claimcheck.ruleset.yamlpos import Located, Path

FLAGS = regex.IGNORECASE | regex.VERSION0
# Terms may use terms, so a few lines can double into gigabytes ("a term bomb"). The default patterns expand
# to about 1,200 characters; a pattern forty times longer is a mistake or an attack.
MAX_PATTERN_CHARS = 50_000
_TERM = regex.compile(r"(?<!\\[pPN])\{([A-Za-z_][A-Za-z0-9_-]*)\}")

Span = tuple[int, int]


def expand_terms(terms: Mapping[str, str | list[str]], located: Located, path: Path) -> dict[str, str]:
    """Resolve term definitions (which may use earlier terms) into plain regex source."""
    resolved: dict[str, str] = {}
    for name, definition in terms.items():
        body = "|".join(definition) if isinstance(definition, list) else definition
        resolved[name] = "(?:" + substitute(body, resolved, located, path + (name,)) + ")"
    return resolved


def substitute(pattern: str, terms: Mapping[str, str], located: Located, path: Path) -> str:
    def replace(match: regex.Match[str]) -> str:
        name = match.group(1)
        if name not in terms:
            line, column = located.where(path)
            known = ", ".join(sorted(terms)) or "none defined"
            raise RuleError(f"pattern uses unknown term {{{name}}} (terms: {known})", path=located.file,
                            line=line, column=column)
        return terms[name]

    expanded = _TERM.sub(replace, pattern)
    if len(expanded) > MAX_PATTERN_CHARS:
        line, column = located.where(path)
        what = f"term {path[-1]!r}" if path and isinstance(path[-1], str) else "pattern"
        raise RuleError(f"{what} is {len(expanded):,} characters long once its terms are expanded, over the "
                        f"limit of {MAX_PATTERN_CHARS:,} (do terms use each other many times over?)",
                        path=located.file, line=line, column=column)
    return expanded


_generation = 0  # bumped by forget_scans
_budget: Budget | None = None  # the time budget of the draft being linted (see forget_scans)
_trusted = False  # see trust_rules


def trust_rules(trusted: bool) -> None:
    """Compile patterns on first use instead of when rules load, skipping the checks that compiling does
    (valid syntax, no empty match). Only for rule files this very code has already loaded without error
    (the results cache records that), so a run whose files are all cached never compiles a pattern."""
    global _trusted
    _trusted = trusted
_lowered_texts: dict[str, LoweredText] = {}  # shared by all pattern sets within one document
_lowered_generation = -1


def _lowered(text: str) -> LoweredText:
    global _lowered_generation
    if _lowered_generation != _generation or len(_lowered_texts) >= PatternSet.MEMO_SIZE:
        _lowered_texts.clear()
        _lowered_generation = _generation
    lowered = _lowered_texts.get(text)
    if lowered is None:
        lowered = _lowered_texts[text] = LoweredText(text)
    return lowered


def forget_scans(budget: Budget | None = None) -> None:
    """Start a new document: scans are shared only between the rules' passes over one document, so
    memory stays small and a document's figures never depend on the ones linted before it. Matching runs
    under ``budget`` (None: no time limit)."""
    global _generation, _budget
    _generation += 1
    _budget = budget


def _time_left() -> float | None:
    """Seconds left for matching (None: no limit); TimeoutError once the budget is spent."""
    if _budget is None:
        return None
    left = _budget.remaining()
    if left <= 0:
        raise TimeoutError
    return left


class PatternSet:
    """Compiled patterns of one rule key (e.g. a rule's ``wording``), matched together.

    A block's text is scanned once per pattern set: ``search`` and ``spans`` share the result (rules ask
    both, and ask again in ``needs_sentences`` and ``check``). Patterns that can start at many places are
    tried only where they can start (see :mod:`claimcheck.ruleset.starts`); the matches are the same.
    """

    __slots__ = (
        "_by_starters",
        "_generation",
        "_memo",
        "_patterns",
        "_plain",
        "_sources",
        "_starts",
        "_where",
        "rule",
    )
    MEMO_SIZE = 256  # texts remembered within one document (see forget_scans)

    def __init__(self, rule: str, patterns: list[regex.Pattern[str]] | None,
                 sources: list[str] | None = None) -> None:
        """``patterns`` compiled, or None and ``sources`` to compile on first use (see trust_rules)."""
        self.rule = rule
        self._patterns = patterns
        self._sources = sources if patterns is None else [p.pattern for p in patterns]
        self._memo: dict[str, tuple[bool, list[Span]]] = {}
        self._generation = _generation
        # file, line, column of each pattern in its rule file (for timeout errors)
        self._where: list[tuple[str, int | None, int | None]] = []
        self._plain: list[regex.Pattern[str]] | None = None
        if patterns is not None:
            self._prepare(patterns)

    @property
    def patterns(self) -> list[regex.Pattern[str]]:
        if self._patterns is None:
            self._patterns = [regex.compile(source, FLAGS) for source in self._sources or []]
            self._prepare(self._patterns)
        return self._patterns

    def _prepare(self, patterns: list[regex.Pattern[str]]) -> None:
        self._starts = [starters(p.pattern) for p in patterns]
        # Patterns scanned whole, and the others grouped by their (interned) starters: one candidate list
        # serves the group, and an empty one skips it. Order does not matter: spans are merged.
        self._plain = [p for p, start in zip(patterns, self._starts, strict=True) if start is None]
        groups: dict[Starters, list[regex.Pattern[str]]] = {}
        for p, start in zip(patterns, self._starts, strict=True):
            if start is not None:
                groups.setdefault(start, []).append(p)
        self._by_starters = list(groups.items())

    @classmethod
    def compile(cls, rule: str, sources: Iterable[str], terms: Mapping[str, str], located: Located,
                path: Path) -> PatternSet:
        compiled = []
        places = []
        expanded_sources = []
        for index, source in enumerate(sources):
            where = path + (index,)
            expanded = substitute(source, terms, located, where)
            places.append((located.file, *located.where(where)))
            if _trusted:
                expanded_sources.append(expanded)
                continue
            try:
                compiled.append(regex.compile(expanded, FLAGS))
            except regex.error as exc:
                line, column = located.where(where)
                raise RuleError(f"invalid pattern {source!r}: {exc}", path=located.file, line=line,
                                column=column) from None
            if compiled[-1].search("") is not None:
                line, column = located.where(where)
                raise RuleError(f"pattern {source!r} matches empty text", path=located.file, line=line,
                                column=column)
        result = cls(rule, None, expanded_sources) if _trusted else cls(rule, compiled)
        result._where = places
        return result

    def __bool__(self) -> bool:
        return bool(self._sources)

    def search(self, text: str) -> bool:
        """Whether any pattern matches anywhere in ``text`` (a cheap pre-filter)."""
        return self._scan(text)[0]

    def spans(self, text: str) -> list[Span]:
        """All match spans of all patterns, overlapping ones merged, in order."""
        return self._scan(text)[1]

    def _scan(self, text: str) -> tuple[bool, list[Span]]:
        memo = self._memo
        if self._generation != _generation:
            memo.clear()
            self._generation = _generation
        known = memo.get(text)
        if known is not None:
            return known
        if self._plain is None:
            self.patterns  # compile now  # noqa: B018
        assert self._plain is not None
        found: list[Span] = []
        matched = False
        pattern = None
        try:
            for pattern in self._plain:
                for m in pattern.finditer(text, timeout=_time_left()):
                    matched = True
                    if m.end() > m.start():
                        found.append(m.span())
            if self._by_starters:
                lowered = _lowered(text)
                for start, patterns in self._by_starters:
                    if not lowered.usable:
                        for pattern in patterns:
                            for m in pattern.finditer(text, timeout=_time_left()):
                                matched = True
                                found.append(m.span())  # never empty: such patterns have starters
                        continue
                    positions = candidate_starts(lowered, start)
                    if not positions:
                        continue
                    for pattern in patterns:  # finditer_from_starts, inlined: it runs for every block
                        match = pattern.match
                        end = 0
                        for position in positions:
                            if position < end:
                                continue
                            # The draft's budget, not a fresh allowance per candidate: once it is spent,
                            # the next attempt stops at once.
                            at = match_at(match, text, position, _time_left())
                            if at is not None:
                                matched = True
                                span = at.span()
                                end = span[1]
                                found.append(span)
        except TimeoutError:
            assert pattern is not None
            index = self.patterns.index(pattern)
            file, line, column = self._where[index] if index < len(self._where) else (None, None, None)
            seconds = f" ({_budget.seconds:.3g}s)" if _budget is not None else ""
            raise PatternTimeout(f"pattern {pattern.pattern[:60]!r} of rule {self.rule} used up the draft's "
                                 f"time budget{seconds}; it probably backtracks catastrophically",
                                 path=file, line=line, column=column) from None
        if len(memo) >= self.MEMO_SIZE:
            memo.clear()
        result = memo[text] = (matched, merge(found))
        return result


def merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def overlaps(span: Span, others: list[Span]) -> bool:
    start, end = span
    return any(s < end and start < e for s, e in others)


def starts_inside(span: Span, others: list[Span]) -> bool:
    """Whether ``span`` starts inside one of ``others``."""
    start = span[0]
    return any(s <= start < e for s, e in others)


def contained(span: Span, others: list[Span]) -> bool:
    start, end = span
    return any(s <= start and end <= e for s, e in others)
