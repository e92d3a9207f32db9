"""Lint documents: run the rules, map hits to source positions, apply suppressions, sort. Never prints."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from claimcheck.documents.base import Document
from claimcheck.documents.normalize import normalize_document
from claimcheck.families import Context, Hit, RuleKind
from claimcheck.model import Finding
from claimcheck.ruleset.patterns import forget_scans
from claimcheck.ruleset.registry import RuleSet
from claimcheck.suppressions import apply_suppressions

if TYPE_CHECKING:
    from spacy.language import Language

BATCH_SIZE = 64


class Engine:
    """Holds the rules and the spaCy pipeline of one run; the pipeline is built on first need, once."""

    def __init__(self, rules: RuleSet, nlp_factory: Callable[[], Language]) -> None:
        self.rules = rules
        self._nlp_factory = nlp_factory
        self._nlp: Language | None = None
        self._sentence_rules = [r for r in rules if type(r).needs_sentences is not RuleKind.needs_sentences]

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = self._nlp_factory()
        return self._nlp

    def _context(self, document: Document) -> Context:
        context = Context(document)
        wanted = [index for index, block in enumerate(document.blocks)
                  if any(rule.needs_sentences(block.text) for rule in self._sentence_rules)]
        if wanted:
            texts = (document.blocks[index].text for index in wanted)
            for index, doc in zip(wanted, self.nlp.pipe(texts, batch_size=BATCH_SIZE), strict=True):
                context.docs[index] = doc
        return context

    def lint(self, document: Document) -> list[Finding]:
        forget_scans()
        context = self._context(normalize_document(document))
        findings = [finding(context, rule, hit) for rule in self.rules for hit in rule.check(context)]
        findings = apply_suppressions(context.document, findings, self.rules)
        return sorted(findings, key=lambda f: f.sort_key)

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
                       excerpt="", document_level=True)
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
                   excerpt=document.source[source_start:source_end], text=block.text[start:end])
