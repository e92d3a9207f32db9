"""Rule patterns: regular expressions (the ``regex`` module) with named, reusable terms.

A rule file may define ``terms``; a pattern writes ``{name}`` to use one. A term given as a list becomes an
alternation. Patterns are case-insensitive. Matching runs under the draft's time budget (see
:mod:`claimcheck.budget`), so a pattern that backtracks catastrophically stops with an error naming its rule
instead of hanging the run. Nothing here is process-wide: what a lint remembers, and its budget, travel in
the lint's :class:`Matcher`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import regex

from claimcheck.budget import Budget
from claimcheck.errors import PatternTimeout, RuleError
from claimcheck.memo import LintMemo, TextMemo
from claimcheck.ruleset.required import Literals, required_literals
from claimcheck.ruleset.starts import LoweredText, Starters, Vocabulary, candidate_starts, match_at, starters
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


class Matcher:
    """How one lint matches patterns: under the draft's time budget (None: no limit), remembering scans in
    a memo (see :mod:`claimcheck.memo`). Rule kinds get the lint's matcher from their ``Context`` and pass
    it to :meth:`PatternSet.spans` and :meth:`PatternSet.search`; a fresh one remembers nothing."""

    __slots__ = ("_entry", "_large", "_text", "budget", "memo")
    LARGE_TEXTS = 4  # texts too large for the memo, remembered for this lint only

    def __init__(self, memo: LintMemo | None = None, budget: Budget | None = None) -> None:
        self.memo = memo if memo is not None else LintMemo()
        self.budget = budget
        self._text: str | None = None  # the text asked about last, and its entry: asked many times in a row
        self._entry: TextMemo | None = None
        self._large: dict[str, TextMemo] = {}

    def entry(self, text: str) -> TextMemo:
        if text is self._text and self._entry is not None:
            return self._entry
        if len(text) > self.memo.max_chars // 16:
            # A whole document's text (required statements) would push the blocks out of a memo kept
            # across lints, and never recurs once the document changes.
            entry = self._large.get(text)
            if entry is None:
                if len(self._large) >= self.LARGE_TEXTS:
                    self._large.clear()
                entry = self._large[text] = TextMemo()
        else:
            entry = self.memo.entry(text)
        self._entry = entry
        self._text = text
        return entry

    def lowered(self, text: str) -> LoweredText:
        entry = self.entry(text)
        lowered = entry.lowered
        if lowered is None:
            lowered = entry.lowered = LoweredText(text)
        return lowered

    def time_left(self) -> float | None:
        """Seconds left for matching (None: no limit); TimeoutError once the budget is spent."""
        if self.budget is None:
            return None
        left = self.budget.remaining()
        if left <= 0:
            raise TimeoutError
        return left


class PatternSet:
    """Compiled patterns of one rule key (e.g. a rule's ``wording``), matched together.

    A block's text is scanned once per pattern set and lint: ``search`` and ``spans`` share the result
    through the lint's :class:`Matcher` (rules ask both, and ask again in ``needs_sentences`` and
    ``check``). Patterns that can start at many places are tried only where they can start (see
    :mod:`claimcheck.ruleset.starts`); the matches are the same.
    """

    __slots__ = ("_by_starters", "_filtered", "_patterns", "_plain", "_sources", "_vocabulary", "_where",
                 "rule")

    def __init__(self, rule: str, patterns: list[regex.Pattern[str]] | None,
                 sources: list[str] | None = None) -> None:
        """``patterns`` compiled, or None and ``sources`` to compile on first use (see ``compile``)."""
        self.rule = rule
        self._patterns = patterns
        self._sources = sources if patterns is None else [p.pattern for p in patterns]
        # file, line, column of each pattern in its rule file (for timeout errors)
        self._where: list[tuple[str, int | None, int | None]] = []
        self._plain: list[tuple[regex.Pattern[str], Literals | None]] | None = None
        if patterns is not None:
            self._prepare(patterns)

    @property
    def patterns(self) -> list[regex.Pattern[str]]:
        if self._patterns is None:
            self._patterns = [regex.compile(source, FLAGS) for source in self._sources or []]
            self._prepare(self._patterns)
        return self._patterns

    def _prepare(self, patterns: list[regex.Pattern[str]]) -> None:
        starts = [starters(p.pattern) for p in patterns]
        # Each pattern with the literals it cannot match without (see claimcheck.ruleset.required)
        required = [(p, required_literals(p.pattern)) for p in patterns]
        # Patterns scanned whole, and the others grouped by their starters: one candidate list serves the
        # group, and an empty one skips it. Order does not matter: spans are merged.
        self._plain = [p for p, start in zip(required, starts, strict=True) if start is None]
        groups: dict[Starters, list[tuple[regex.Pattern[str], Literals | None]]] = {}
        for p, start in zip(required, starts, strict=True):
            if start is not None:
                groups.setdefault(start, []).append(p)
        self._by_starters = list(groups.items())
        self._vocabulary = Vocabulary(groups) if groups else None
        self._filtered = any(literals is not None for _, literals in required)

    @classmethod
    def compile(cls, rule: str, sources: Iterable[str], terms: Mapping[str, str], located: Located,
                path: Path, validate: bool = True) -> PatternSet:
        """The patterns of one rule key, checked and compiled now (``validate``: valid syntax, no empty
        match), or, without ``validate``, compiled on first use. Only rule files this very code has
        loaded without error before may skip the checks (the results cache records that), so that a run
        whose drafts are all cached never compiles a pattern."""
        compiled = []
        places = []
        expanded_sources = []
        for index, source in enumerate(sources):
            where = path + (index,)
            expanded = substitute(source, terms, located, where)
            places.append((located.file, *located.where(where)))
            if not validate:
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
        result = cls(rule, compiled) if validate else cls(rule, None, expanded_sources)
        result._where = places
        return result

    def __bool__(self) -> bool:
        return bool(self._sources)

    def search(self, text: str, matcher: Matcher | None = None) -> bool:
        """Whether any pattern matches anywhere in ``text`` (a cheap pre-filter)."""
        return self._scan(text, matcher)[0]

    def spans(self, text: str, matcher: Matcher | None = None) -> list[Span]:
        """All match spans of all patterns, overlapping ones merged, in order.

        ``matcher``: the lint's (see :class:`Matcher`); without one, nothing is remembered and there is no
        time limit."""
        return self._scan(text, matcher)[1]

    def _scan(self, text: str, matcher: Matcher | None) -> tuple[bool, list[Span]]:
        if matcher is None:
            matcher = Matcher()
        scans = matcher.entry(text).scans
        known = scans.get(self)
        if known is None:
            known = scans[self] = self._scan_text(text, matcher)
        return known

    def _scan_text(self, text: str, matcher: Matcher) -> tuple[bool, list[Span]]:
        if self._plain is None:
            self.patterns  # compile now  # noqa: B018
        assert self._plain is not None
        found: list[Span] = []
        matched = False
        pattern = None
        time_left = matcher.time_left
        lowered = matcher.lowered(text) if self._by_starters or self._filtered else None
        holds = lowered.holds_any if lowered is not None and lowered.usable else None
        try:
            for pattern, required in self._plain:
                if required is not None and holds is not None and not holds(required):
                    continue  # a word it needs is not in the text
                for m in pattern.finditer(text, timeout=time_left()):
                    matched = True
                    if m.end() > m.start():
                        found.append(m.span())
            if lowered is not None:
                for start, patterns in self._by_starters:
                    if holds is None:
                        for pattern, _ in patterns:
                            for m in pattern.finditer(text, timeout=time_left()):
                                matched = True
                                found.append(m.span())  # never empty: such patterns have starters
                        continue
                    positions = None
                    for pattern, required in patterns:  # finditer_from_starts, inlined (runs for every block)
                        if required is not None and not holds(required):
                            continue
                        if positions is None:
                            positions = candidate_starts(lowered, start, self._vocabulary)
                        if not positions:
                            break
                        match = pattern.match
                        end = 0
                        for position in positions:
                            if position < end:
                                continue
                            # The draft's budget, not a fresh allowance per candidate: once it is spent,
                            # the next attempt stops at once.
                            at = match_at(match, text, position, time_left())
                            if at is not None:
                                matched = True
                                span = at.span()
                                end = span[1]
                                found.append(span)
        except TimeoutError:
            assert pattern is not None
            raise self._timed_out(pattern, matcher.budget) from None
        return matched, merge(found)

    def _timed_out(self, pattern: regex.Pattern[str], budget: Budget | None) -> PatternTimeout:
        index = self.patterns.index(pattern)
        file, line, column = self._where[index] if index < len(self._where) else (None, None, None)
        seconds = f" ({budget.seconds:.3g}s)" if budget is not None else ""
        return PatternTimeout(f"pattern {pattern.pattern[:60]!r} of rule {self.rule} used up the draft's "
                              f"time budget{seconds}; it probably backtracks catastrophically",
                              path=file, line=line, column=column)


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
