"""Lint documents: run the rules, map hits to source positions, apply suppressions, sort. Never prints.

An engine holds no state between lints but its rules and its spaCy pipeline: what a lint remembers (parsed
blocks, pattern scans) lives in a :class:`~claimcheck.memo.LintMemo`, fresh for each document unless the
caller passes one to keep across lints of one document (see :mod:`claimcheck.memo`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from claimcheck.blockdocs import BlockDocs
from claimcheck.budget import DEFAULT_SECONDS_PER_MIB, Budget
from claimcheck.documents.base import Document
from claimcheck.documents.normalize import normalize_document
from claimcheck.families import Context, Hit, RuleKind
from claimcheck.memo import LintMemo
from claimcheck.model import Finding
from claimcheck.ruleset.patterns import Matcher
from claimcheck.ruleset.registry import RuleSet
from claimcheck.suppressions import apply_suppressions

if TYPE_CHECKING:
    from spacy.language import Language


class Engine:
    """Holds the rules and the spaCy pipeline of one run; the pipeline is built on first need, once.

    Each draft is linted under a time budget of ``seconds_per_mib`` per MiB of its source (see
    :mod:`claimcheck.budget`)."""

    def __init__(self, rules: RuleSet, nlp_factory: Callable[[], Language],
                 seconds_per_mib: float = DEFAULT_SECONDS_PER_MIB) -> None:
        self.rules = rules
        self._nlp_factory = nlp_factory
        self._nlp: Language | None = None
        self._sentence_rules = [r for r in rules if type(r).needs_sentences is not RuleKind.needs_sentences]
        self.seconds_per_mib = seconds_per_mib

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = self._nlp_factory()
        return self._nlp

    def _context(self, document: Document, matcher: Matcher, budget: Budget) -> Context:
        docs = BlockDocs(document, self._sentence_rules, matcher, lambda: self.nlp, budget,
                         lambda: self._nlp is not None)
        return Context(document, docs=docs, matcher=matcher)

    def lint(self, document: Document, memo: LintMemo | None = None) -> list[Finding]:
        """The findings of ``document``, sorted. ``memo``: what to remember across lints of this
        document (see :mod:`claimcheck.memo`); by default nothing is kept after the lint."""
        budget = Budget.for_source(document.source, self.seconds_per_mib, document.path)
        matcher = Matcher(memo if memo is not None else LintMemo(), budget)
        context = self._context(normalize_document(document), matcher, budget)
        findings = [finding(context, rule, hit) for rule in self.rules for hit in rule.check(context)]
        budget.check("matching rule patterns")
        findings = apply_suppressions(context.document, findings, self.rules)
        budget.check("applying suppressions")
        return sorted(findings, key=lambda f: f.sort_key)

    def context(self, document: Document) -> Context:
        """The document as the rules see it (normalised, its blocks parsed where a rule needs sentences),
        for callers that read claims rather than findings (``claimcheck claims``)."""
        budget = Budget.for_source(document.source, self.seconds_per_mib, document.path)
        return self._context(normalize_document(document), Matcher(LintMemo(), budget), budget)

    def lint_all(self, documents: Iterable[Document]) -> Iterator[tuple[Document, list[Finding]]]:
        for document in documents:
            yield document, self.lint(document)


def finding(context: Context, rule: RuleKind, hit: Hit) -> Finding:
    """Turn a rule's hit into a finding at its exact place in the original source."""
    document = context.document
    meta = rule.meta
    message = hit.message or rule.message()
    if hit.block is None:
        position = document.lines.position(0)
        return Finding(document.path, meta.code, meta.name, meta.severity, message, 0, 0, position, position,
                       excerpt="", document_level=True, fix=hit.fix)
    block, start, end = document.blocks[hit.block], hit.start, hit.end
    doc = context.docs.get(hit.block)
    if doc is not None:  # snap to token boundaries
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            start, end = span.start_char, span.end_char
    source_start = block.offsets.start(start)
    source_end = max(block.offsets.end(end), source_start)
    lines = document.lines
    return Finding(document.path, meta.code, meta.name, meta.severity, message, source_start, source_end,
                   lines.position(source_start), lines.position(source_end),
                   excerpt=document.source[source_start:source_end], text=block.text[start:end], fix=hit.fix,
                   claim=hit.claim)
