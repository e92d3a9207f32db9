"""Inline suppressions: a post-filter that drops the findings a directive covers and reports bad directives.

A directive is a comment the reader hands over (``Document.comments``) whose text starts with
``claimcheck:``, optionally inside ``<!-- … -->`` or after ``#`` or ``//``::

    <!-- claimcheck: disable CC101 -->             from the comment to the matching enable (or end of file)
    <!-- claimcheck: enable CC101 -->
    <!-- claimcheck: disable-next-block CC201 -->  the first prose block that starts after the comment
    <!-- claimcheck: disable-file CC301, CC302 --> the whole file, document-level findings included
    claimcheck: disable-next-block CC1 -- figure quoted from the FDA letter

Codes are separated by commas or spaces and work as prefixes, like ``select``. A directive must name at
least a rule family (``CC1``) or a code; none, or letters alone (``C``, ``CC``), would be a blanket
suppression that also hides findings nobody has reviewed yet. Text after ``--`` is
the reason. Scopes are source offsets, so they hold whatever markup the reader removed.

What goes wrong is reported by the ``suppression-check`` rules that are selected (see
:mod:`claimcheck.families.suppression_check`): an unused suppression (only for codes of selected rules; a code
of an unselected rule cannot be judged), a missing or empty reason, and an invalid directive (unknown action,
no codes, unknown code, ``enable`` without ``disable``). Those findings are never suppressed themselves.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import regex

from claimcheck.documents.base import Comment, Document
from claimcheck.documents.editing import Editor
from claimcheck.families.suppression_check import INVALID, MISSING_REASON, UNUSED, SuppressionCheck
from claimcheck.model import Applicability, Edit, Finding, Fix
from claimcheck.ruleset.registry import RuleSet

ACTIONS = ("disable", "enable", "disable-next-block", "disable-file")
WHERE = {"disable": "between it and its enable", "disable-next-block": "in the next block",
         "disable-file": "in this file"}

_COMMENT_MARKERS = ("<!--", "#", "//")
_KEYWORD = "claimcheck:"
_CODE = regex.compile(r"[A-Z]{1,5}[0-9]{0,3}")
_FAMILY_OR_CODE = regex.compile(r"[A-Z]{1,5}[0-9]{1,3}")
_EXAMPLE_REASON = "e.g. '-- statistic quoted from the FDA letter'"


@dataclass(frozen=True)
class Directive:
    """One ``claimcheck:`` comment, at the source offsets of its first and past its last visible character."""

    action: str
    codes: tuple[str, ...]  # as written
    reason: str | None  # None without "--"; "" when "--" has nothing after it
    start: int
    end: int
    text: str


def parse_directive(comment: Comment, source: str) -> Directive | None:
    """The directive in ``comment``, or None when the comment is not a ``claimcheck:`` comment."""
    body = directive_body(comment.text)
    if body is None:
        return None
    words, dashes, reason = body.partition("--")
    tokens = words.replace(",", " ").split()
    raw = source[comment.start:comment.end]
    start = comment.start + len(raw) - len(raw.lstrip())
    end = max(comment.start + len(raw.rstrip()), start)
    return Directive(action=tokens[0].lower() if tokens else "", codes=tuple(tokens[1:]),
                     reason=reason.strip() if dashes else None, start=start, end=end, text=comment.text)


def directive_body(text: str) -> str | None:
    """What follows ``claimcheck:`` in a comment's text (without a closing ``-->``), or None.

    String methods, not a regular expression: a pattern with a lazy body followed by optional parts is
    quadratic on a long run of white space (100 kB took 42 s); each step here is one linear pass.
    """
    rest = text.lstrip()
    for marker in _COMMENT_MARKERS:
        if rest.startswith(marker):
            rest = rest[len(marker):].lstrip()
            break
    if rest[:len(_KEYWORD)].lower() != _KEYWORD:
        return None
    body = rest[len(_KEYWORD):].rstrip()
    return body[:-3] if body.endswith("-->") else body


@dataclass(eq=False)
class Scope:
    """Where one code of one directive suppresses findings: source offsets ``start <= offset < end``."""

    directive: Directive
    code: str
    start: int
    end: int
    whole_file: bool = False  # only disable-file also covers document-level findings
    used: bool = False

    def covers(self, finding: Finding) -> bool:
        if not finding.code.startswith(self.code):
            return False
        if finding.document_level:
            return self.whole_file
        return self.start <= finding.start < self.end


@dataclass
class Suppressions:
    """The scopes of a document's directives, and the problems found while reading them."""

    scopes: list[Scope] = field(default_factory=list)
    problems: dict[Directive, list[str]] = field(default_factory=dict)

    @classmethod
    def read(cls, document: Document, directives: Iterable[Directive], suppressible: Sequence[str],
             unsuppressible: Sequence[str]) -> Suppressions:
        result = cls()
        open_ranges: dict[str, list[Scope]] = {}
        blocks = sorted((block.source_start, block.source_end) for block in document.blocks if block.text)
        for directive in sorted(directives, key=lambda d: d.start):
            problems = result.problems.setdefault(directive, [])
            if directive.action not in ACTIONS:
                problems.append(_unknown_action(directive.action))
                continue
            if not directive.codes:
                problems.append(f"'{directive.action}' names no rule code (list the codes, e.g. CC101)")
            codes: list[str] = []
            for written in directive.codes:
                problem = _code_problem(written, suppressible, unsuppressible)
                if problem:
                    problems.append(problem)
                else:
                    codes.append(written.upper())
            if directive.action == "enable":
                for code in codes:
                    closed = open_ranges.pop(code, [])
                    if not closed:
                        problems.append(f"'enable {code}' has no 'disable {code}' before it")
                    for scope in closed:
                        scope.end = directive.start
                continue
            start, end = _extent(document, directive, blocks)
            for code in codes:
                scope = Scope(directive, code, start, end, whole_file=directive.action == "disable-file")
                result.scopes.append(scope)
                if directive.action == "disable":
                    open_ranges.setdefault(code, []).append(scope)
        return result

    def kept(self, findings: Sequence[Finding]) -> list[Finding]:
        """The findings no scope covers, in their order; every scope that covers one counts as used.

        A sweep over findings and scopes in source order, per scope code, instead of testing every scope
        against every finding: a draft with thousands of directives and findings stays fast.
        """
        suppressed: set[int] = set()
        by_code: dict[str, list[Scope]] = {}
        for scope in self.scopes:
            by_code.setdefault(scope.code, []).append(scope)
        for code, scopes in by_code.items():
            matching = [(i, f) for i, f in enumerate(findings) if f.code.startswith(code)]
            whole_file = [scope for scope in scopes if scope.whole_file]
            for index, finding in matching:
                if finding.document_level and whole_file:
                    suppressed.add(index)
                    for scope in whole_file:
                        scope.used = True
            ranged = sorted(scopes, key=lambda scope: scope.start)
            active: list[tuple[int, int]] = []  # (end, position in ranged) of scopes begun, by end
            unmarked: list[Scope] = []  # begun scopes not yet counted as used
            next_scope = 0
            for index, finding in sorted(((i, f) for i, f in matching if not f.document_level),
                                         key=lambda item: item[1].start):
                while next_scope < len(ranged) and ranged[next_scope].start <= finding.start:
                    heapq.heappush(active, (ranged[next_scope].end, next_scope))
                    unmarked.append(ranged[next_scope])
                    next_scope += 1
                while active and active[0][0] <= finding.start:
                    heapq.heappop(active)
                if not active:
                    continue
                suppressed.add(index)
                # Every begun scope still open covers this finding; one that has ended covered an
                # earlier finding only if it was marked then, so only the open ones are marked now.
                for scope in unmarked:
                    if scope.end > finding.start:
                        scope.used = True
                unmarked = []  # each is used now, or ended before this finding (and so covers no later one)
        return [finding for index, finding in enumerate(findings) if index not in suppressed]


def _unknown_action(action: str) -> str:
    if not action:
        return f"no action after 'claimcheck:' (one of {', '.join(ACTIONS)})"
    close = difflib.get_close_matches(action, ACTIONS, n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(ACTIONS)}"
    return f"unknown action '{action}' ({hint})"


def _code_problem(written: str, suppressible: Sequence[str], unsuppressible: Sequence[str]) -> str | None:
    code = written.upper()
    if not _CODE.fullmatch(code):
        return f"'{written}' is not a rule code (a reason goes after '--')"
    if not _FAMILY_OR_CODE.fullmatch(code):  # "C" or "CC" would be a blanket suppression in disguise
        return (f"'{written}' is too broad: name a rule family such as CC1 or a full code such as CC101 "
                "(there is no blanket suppression)")
    if any(known.startswith(code) for known in suppressible):
        return None
    if any(known.startswith(code) for known in unsuppressible):
        return f"{code} cannot be suppressed by a directive (use 'ignore' in the configuration)"
    return f"unknown rule code {code} (see 'claimcheck rules')"


def _extent(document: Document, directive: Directive, blocks: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The source range a suppressing directive covers (empty when no block follows a next-block one);
    ``blocks``: the (source start, source end) of the non-empty blocks, in source order."""
    if directive.action == "disable-file":
        return 0, len(document.source) + 1
    if directive.action == "disable":
        return directive.end, len(document.source) + 1
    at = bisect.bisect_left(blocks, (directive.end, -1))
    return blocks[at] if at < len(blocks) else (directive.end, directive.end)


def apply_suppressions(document: Document, findings: Sequence[Finding], rules: RuleSet) -> list[Finding]:
    """Drop the findings that directives cover; add findings for the directives' problems (unsorted)."""
    directives = [d for c in document.comments if (d := parse_directive(c, document.source)) is not None]
    if not directives:
        return list(findings)
    meta = [rule.meta.code for rule in rules.known if isinstance(rule, SuppressionCheck)]
    suppressible = [rule.meta.code for rule in rules.known if not isinstance(rule, SuppressionCheck)]
    selected = [rule.meta.code for rule in rules if not isinstance(rule, SuppressionCheck)]
    suppressions = Suppressions.read(document, directives, suppressible, meta)
    kept = suppressions.kept(findings)

    checks = {rule.reports: rule for rule in rules if isinstance(rule, SuppressionCheck)}
    reports: list[tuple[SuppressionCheck, Directive, str]] = []
    fixes: dict[Directive, Fix] = {}
    if UNUSED in checks:
        unused = _unused(suppressions.scopes, selected)
        reports += [(checks[UNUSED], d, m) for d, m, _ in unused]
        if checks[UNUSED].fix_spec is not None:
            fixes = {d: fix for d, _, codes in unused if (fix := _removal(document, d, codes)) is not None}
    if MISSING_REASON in checks:
        rule = checks[MISSING_REASON]
        reports += [(rule, d, m) for d in directives if (m := _reason_problem(d, rule.require_reason))]
    if INVALID in checks:
        reports += [(checks[INVALID], d, "Invalid suppression: " + "; ".join(problems) + ".")
                    for d, problems in suppressions.problems.items() if problems]
    return kept + [_finding(document, rule, directive, message,
                            fixes.get(directive) if rule.reports == UNUSED else None)
                   for rule, directive, message in reports]


def _unused(scopes: Sequence[Scope], selected: Sequence[str]) -> list[tuple[Directive, str, list[str]]]:
    """Per directive, the codes that suppressed nothing though a selected rule could have been suppressed."""
    unused: dict[Directive, list[str]] = {}
    for scope in scopes:
        if not scope.used and any(code.startswith(scope.code) for code in selected):
            unused.setdefault(scope.directive, []).append(scope.code)
    return [(directive, f"Unused suppression: no {', '.join(codes)} finding {WHERE[directive.action]}. "
                        "Remove the directive, or the codes it does not need.", codes)
            for directive, codes in unused.items()]


def _removal(document: Document, directive: Directive, unused: list[str]) -> Fix | None:
    """Delete the directive, or only its ``unused`` codes; None for a ``disable`` (its ``enable`` would
    be left without one: the writer removes both)."""
    if directive.action == "disable":
        return None
    editor = Editor(document)
    written = {code.upper() for code in directive.codes}
    if written <= set(unused):
        return Fix("Remove the unused suppression", Applicability.SAFE,
                   (editor.delete(directive.start, directive.end),))
    # The list of codes, from the first to the last, written again without the unused ones.
    text = document.source[directive.start:directive.end]
    codes = r"[\s,]+".join(regex.escape(code) for code in directive.codes)
    listed = regex.search(rf"\b{codes}\b", text)
    if listed is None:
        return None
    separator = ", " if "," in listed.group() else " "
    kept = separator.join(code for code in directive.codes if code.upper() not in unused)
    start, end = directive.start + listed.start(), directive.start + listed.end()
    return Fix(f"Remove the unused code{'s' if len(unused) > 1 else ''} {', '.join(unused)} from the "
               "suppression", Applicability.SAFE, (Edit(start, end, kept),))


def _reason_problem(directive: Directive, required: bool) -> str | None:
    if directive.action not in WHERE:  # enable, or not a valid action
        return None
    if directive.reason == "":
        return ("The suppression has '--' but no reason after it. Say why the finding does not apply, "
                f"{_EXAMPLE_REASON}.")
    if directive.reason is None and required:
        return ("The suppression gives no reason, and reasons are required. Add one after '--', "
                f"{_EXAMPLE_REASON}.")
    return None


def _finding(document: Document, rule: SuppressionCheck, directive: Directive, message: str,
             fix: Fix | None = None) -> Finding:
    meta, lines = rule.meta, document.lines
    start, end = directive.start, directive.end
    return Finding(document.path, meta.code, meta.name, meta.severity, message, start, end,
                   lines.position(start), lines.position(end),
                   excerpt=document.source[directive.start:directive.end], text=directive.text, fix=fix)
