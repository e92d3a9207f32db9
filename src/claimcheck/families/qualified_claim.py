"""``qualified-claim``: a claim (a quantity tied to an outcome in one sentence) needs a qualifier nearby.

A sentence makes a claim when it holds a ``quantities`` match and an ``outcomes`` match. Matches of
``ignore-quantities`` (durations, ages, years, vertebral levels, prices…) cancel the quantities that start
inside them (a change "from 46 to 19" stays a claim when "19 after treatment" looks like a count),
and ``ignore-outcomes`` ("outcome data") the outcomes they overlap. The claim is fine when one of the
``qualifiers`` stands in its ``scope``: the sentence, the paragraph (default) or the whole document.

A paragraph-scoped qualifier counts in its own block (a reader sees it with the claim, even where both are
hidden until opened, as in a closed ``<details>``), and blocks that share a group (a table's rows and
caption, a figure and its figcaption) share their visible qualifiers: hidden text in a paragraph is a block
of its own in the paragraph's group, so a hidden qualifier never covers a visible claim. A table
row is one sentence; when its own cells name no outcome, the table's header row may ("Success rate"), and the
finding then points at the value. A row with values under two ``comparison-columns`` of the header ("Before",
"After 12 weeks") states a change, whatever its cells say.

``prefilter`` (optional, for speed) matches every block that can hold a quantity ("a digit or a number
word"); blocks without a match are not scanned further. It must match wherever a quantity can.

A sentence holding two separate claims ("82% felt better, and 9 in 10 would recommend us") reports each:
the sentence is cut into clauses at ``clause-breaks`` and every clause with a quantity and an outcome is a
claim; a sentence whose quantity and outcome stand in different clauses is one claim.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import regex

from claimcheck.documents.base import Block
from claimcheck.families import fixspec
from claimcheck.families.base import Context, Hit, RuleKind
from claimcheck.families.phrases import phrase_regex
from claimcheck.model import Applicability, Fix
from claimcheck.ruleset.patterns import Matcher, PatternSet, Span, overlaps, starts_inside
from claimcheck.ruleset.schema import Field, is_mapping, string, string_list

SCOPES = ("sentence", "paragraph", "document")
# Where one claim ends and another may start inside a sentence.
DEFAULT_CLAUSE_BREAKS = [r";", r",\s+(?:and|but|while|whereas|yet)\b", r"\s+(?:while|whereas)\s+"]
TRIGGER_LENGTH = 40  # characters of a quantity or outcome quoted in a message
CELL_SEPARATOR = " | "  # how readers join the cells of a table row
_VALUE = regex.compile(r"(?<![\w.])[-+]?\d+(?:[.,]\d+)*")  # a number in a table cell


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim, qualified or not: where the rule reports it, and the quantity and outcome that make it."""

    hit: Hit  # the claim's span (in block ``hit.block``) and message, as the rule reports it
    quantity: Span  # in the block's text
    outcome: Span | None  # in the block's text; None where a table's header row names the outcome
    outcome_text: str
    sentence: Span  # the sentence holding the claim (a table row: the whole row)
    header: str = ""  # a table row's header row, which may say what the row is about
    clause: Span | None = None  # the clause of a sentence holding several claims (see clause-breaks)

    def subject(self, text: str) -> str:
        """The words the claim is about, in ``text`` (the block's): its clause when its sentence holds
        several claims, else its sentence; a table row with its header row."""
        start, end = self.clause or self.sentence
        return f"{self.header}\n{text[start:end]}" if self.header else text[start:end]


class QualifiedClaim(RuleKind):
    kind = "qualified-claim"
    fields: ClassVar[dict[str, Field]] = {
        "terms": Field(is_mapping, "a mapping of term names to patterns"),
        "quantities": string_list(required=True),
        "prefilter": string_list(),
        "ignore-quantities": string_list(),
        "outcomes": string_list(),
        "ignore-outcomes": string_list(),
        "qualifiers": string_list(required=True),
        "scope": string(choices=SCOPES),
        "clause-breaks": string_list(),
        "comparison-columns": string_list(),
        "fix": fixspec.FIELD,
    }
    overrides: ClassVar[dict[str, str]] = {"qualifiers": "qualifiers", "claim-scope": "scope"}

    def configure(self, spec: Mapping[str, Any]) -> None:
        self.quantities = self.patterns(spec, "quantities")
        self.prefilter = self.patterns(spec, "prefilter")
        self.ignore_quantities = self.patterns(spec, "ignore-quantities")
        self.outcomes = self.patterns(spec, "outcomes")
        self.ignore_outcomes = self.patterns(spec, "ignore-outcomes")
        qualifiers = spec["qualifiers"]
        self.qualifier_names = [qualifiers] if isinstance(qualifiers, str) else list(qualifiers)
        self.qualifier = phrase_regex(self.qualifier_names)
        self.scope = spec.get("scope", "paragraph")
        breaks = spec.get("clause-breaks", DEFAULT_CLAUSE_BREAKS)
        breaks = [breaks] if isinstance(breaks, str) else breaks
        self.clause_breaks = (regex.compile("|".join(f"(?:{b})" for b in breaks), regex.IGNORECASE)
                              if breaks else None)
        self.comparison_columns = self.patterns(spec, "comparison-columns")
        self.fix_spec = self.read_fix(spec, ("insert",))
        default = self.qualifier_names[0] if self.qualifier_names else ""
        self.fix_text = (self.fix_spec.insert if self.fix_spec and self.fix_spec.insert else
                         default if default.endswith((".", "!")) else default + ".")

    def message_values(self) -> dict[str, str]:
        return {"qualifier": self.qualifier_names[0] if self.qualifier_names else "", "scope": self.scope,
                "trigger": ""}

    def needs_sentences(self, text: str, matcher: Matcher) -> bool:
        # Sentences matter only where check() looks for them: blocks with a quantity and an outcome,
        # and no qualifier covering the whole block.
        if self.scope == "paragraph" and self._qualified(text):
            return False
        quantities, outcomes = self._claims(text, matcher)
        return bool(quantities) and bool(outcomes)

    def _qualified(self, text: str) -> bool:
        return self.qualifier is not None and self.qualifier.search(text) is not None

    def _claims(self, text: str, matcher: Matcher) -> tuple[list[Span], list[Span]]:
        """(quantities, outcomes) of a block; a claim needs both (either empty: no claim)."""
        if self.prefilter and not self.prefilter.search(text, matcher):
            return [], []  # no number a quantity could be made of
        quantities = self.quantities.spans(text, matcher)
        if not quantities:
            return quantities, quantities
        outcomes: list[Span] = []
        if self.outcomes:  # outcomes first: without one, the ignore-quantities scan is not needed
            outcomes = self._outcomes(text, matcher)
            if not outcomes:
                return quantities, outcomes
        quantities = self._quantities(text, matcher)
        return quantities, outcomes if self.outcomes else quantities  # no outcome patterns: any quantity

    def _quantities(self, text: str, matcher: Matcher) -> list[Span]:
        return _kept(self.quantities, self.ignore_quantities, text, starts_inside, matcher)

    def _outcomes(self, text: str, matcher: Matcher) -> list[Span]:
        return _kept(self.outcomes, self.ignore_outcomes, text, overlaps, matcher)

    def _qualified_groups(self, blocks: list[Block]) -> set[int]:
        return {block.group for block in blocks
                if block.group is not None and block.visible and self._qualified(block.text)}

    def check(self, context: Context) -> Iterator[Hit]:
        if self.fix_spec is None:
            yield from self._check(context)
            return
        fixes: dict[int, Fix] = {}
        for hit in self._check(context):
            index = hit.block if self.scope != "document" else -1
            assert index is not None
            fix = fixes.get(index)
            if fix is None:
                fix = fixes[index] = self._fix(context, index)
            yield Hit(hit.block, hit.start, hit.end, hit.message, fix)

    def _fix(self, context: Context, index: int) -> Fix:
        """One fix for every claim of block ``index`` (-1: of the document): the qualifier added once."""
        assert self.fix_spec is not None
        text, spec = self.fix_text, self.fix_spec
        if self.scope == "document":
            return Fix(spec.title or f"Add '{text}' to the end of the draft", spec.applicability,
                       (context.editor.append_paragraph(text),))
        block = context.document.blocks[index]
        table = block.kind in ("table-row", "table-header")
        where = "the table's caption" if table else "this paragraph"
        title = spec.title or f"Add '{text}' to {where}"
        edit = context.editor.append_to_block(index, text) if self.scope == "paragraph" else None
        if edit is None:  # shown to the writer, who places it
            return Fix(title, Applicability.DISPLAY_ONLY, ())
        return Fix(title, spec.applicability, (edit,))

    def _check(self, context: Context) -> Iterator[Hit]:
        blocks = context.document.blocks
        if self.scope == "document" and self._qualified(context.document.text):
            return  # one qualifier covers every claim
        qualified_groups = self._qualified_groups(blocks) if self.scope == "paragraph" else set()
        headers = {block.group: block.text for block in blocks if block.kind == "table-header"}
        for index, block in enumerate(blocks):
            if block.group is not None and block.group in qualified_groups:
                continue
            if self.scope == "paragraph" and self._qualified(block.text):
                continue  # seen together with its claim, even where both are hidden (a closed <details>)
            for claim in self._block_claims(context, index, headers, self.scope == "sentence"):
                yield claim.hit

    def has_claim(self, text: str, matcher: Matcher) -> bool:
        """Whether a block with this text holds a claim, qualified or not."""
        quantities, outcomes = self._claims(text, matcher)
        return bool(quantities) and bool(outcomes)

    def claims(self, context: Context) -> Iterator[Claim]:
        """Every claim of the document, qualified or not, with its quantity and outcome (for rules that
        compare claims with a registry, and for ``claimcheck claims``)."""
        blocks = context.document.blocks
        headers = {block.group: block.text for block in blocks if block.kind == "table-header"}
        for index in range(len(blocks)):
            yield from self._block_claims(context, index, headers, False)

    def _block_claims(self, context: Context, index: int, headers: dict[int | None, str],
                      skip_qualified_sentences: bool) -> Iterator[Claim]:
        block = context.document.blocks[index]
        text = block.text
        if block.kind == "table-row":
            yield from self._table_row(index, text, headers.get(block.group), context.matcher)
            return
        quantities, outcomes = self._claims(text, context.matcher)  # the scans needs_sentences made
        if not quantities or not outcomes:
            return  # no quantity with an outcome
        for start, end in context.sentences(index):
            if skip_qualified_sentences and self._qualified(text[start:end]):
                continue
            for claim in self._sentence_claims(index, text, start, end, quantities, outcomes):
                yield replace(claim, hit=_from_sentence_line(claim.hit, context, block, start))

    def _table_row(self, index: int, text: str, header: str | None, matcher: Matcher) -> Iterator[Claim]:
        """A row is one sentence; its value is the claim, its outcome may be named by the header row."""
        row = (0, len(text))
        quantities, outcomes = self._claims(text, matcher)
        compared = self._compared_value(text, header, matcher)
        if compared is not None and not (quantities and outcomes):
            start, end = compared
            outcome = "a before-and-after table"
            yield Claim(Hit(index, start, end, self._message(text[start:end], outcome)), compared, None,
                        outcome, row, header or "")
            return
        if not quantities:
            return
        label = None
        if not outcomes:
            quantities = self._quantities(text, matcher)
            header_outcomes = self._outcomes(header, matcher) if header and quantities else []
            if not header or not header_outcomes:
                return
            start, end = header_outcomes[0]
            label = header[start:end]
        quantity = quantities[0]
        outcome = text[outcomes[0][0]:outcomes[0][1]] if label is None else label
        hit = Hit(index, quantity[0], quantity[1], self._message(text[quantity[0]:quantity[1]], outcome))
        yield Claim(hit, quantity, outcomes[0] if label is None else None, outcome, row, header or "")

    def _compared_value(self, text: str, header: str | None, matcher: Matcher) -> Span | None:
        """The first value of a row whose header compares a measure over time ("Before | After 12 weeks",
        "Baseline | 12 months"), when the row has a number under two such columns: a change."""
        if header is None or not self.comparison_columns:
            return None
        columns = [self.comparison_columns.search(cell, matcher) for cell in header.split(CELL_SEPARATOR)]
        if sum(columns) < 2:
            return None
        values: list[Span] = []
        offset = 0
        for column, cell in enumerate(text.split(CELL_SEPARATOR)):
            number = _VALUE.search(cell)
            if column < len(columns) and columns[column] and number is not None:
                values.append((offset + number.start(), offset + number.end()))
            offset += len(cell) + len(CELL_SEPARATOR)
        return values[0] if len(values) >= 2 else None

    def _sentence_claims(self, index: int, text: str, start: int, end: int, quantities: list[Span],
                         outcomes: list[Span]) -> Iterator[Claim]:
        in_sentence = [q for q in quantities if start <= q[0] < end]
        tied = [o for o in outcomes if start <= o[0] < end]
        if not in_sentence or not tied:
            return
        clauses = self._clauses(text, start, end)
        claims = []
        for c_start, c_end in clauses:
            q_in = [q for q in in_sentence if c_start <= q[0] < c_end]
            o_in = [o for o in tied if c_start <= o[0] < c_end]
            if q_in and o_in:
                claims.append((q_in, o_in, (c_start, c_end)))
        if not claims:  # the quantity and its outcome stand in different clauses: one claim
            claims = [(in_sentence, tied, (start, end))]
        for q_in, o_in, clause in claims:
            quantity, outcome = min(((q, o) for q in q_in for o in o_in), key=_gap)
            span = _grow((min(quantity[0], outcome[0]), max(quantity[1], outcome[1])), q_in + o_in, text)
            hit = Hit(index, span[0], span[1],
                      self._message(text[quantity[0]:quantity[1]], text[outcome[0]:outcome[1]]))
            yield Claim(hit, quantity, outcome, text[outcome[0]:outcome[1]], (start, end), clause=clause)

    def _clauses(self, text: str, start: int, end: int) -> list[Span]:
        if self.clause_breaks is None:
            return [(start, end)]
        clauses = []
        for cut in self.clause_breaks.finditer(text, start, end):
            clauses.append((start, cut.start()))
            start = cut.end()
        clauses.append((start, end))
        return clauses

    def _message(self, quantity: str, outcome: str) -> str | None:
        """The message with ``{trigger}``: the quantity and the outcome words that made the claim."""
        values = self.message_values()
        quantity, outcome = _quote(quantity), _quote(outcome)
        trigger = quantity if outcome in quantity else f"{quantity}' … '{outcome}"
        values["trigger"] = f" ('{trigger}')"
        try:
            return self.meta.message.format(**values)
        except (KeyError, IndexError, ValueError):
            return None


def _from_sentence_line(hit: Hit, context: Context, block: Block, sentence_start: int) -> Hit:
    """A claim in a sentence wrapped over lines is reported where the sentence starts (as writers and
    reviewers find it), so the finding starts on the sentence's first line."""
    text = block.text
    while sentence_start < hit.start and text[sentence_start].isspace():
        sentence_start += 1
    if sentence_start >= hit.start or "\n" not in context.document.source[
            block.offsets.start(sentence_start):block.offsets.start(hit.start)]:
        return hit
    return Hit(hit.block, sentence_start, hit.end, hit.message)


def _kept(patterns: PatternSet, ignore: PatternSet, text: str,
          cancels: Callable[[Span, list[Span]], bool], matcher: Matcher) -> list[Span]:
    """The matches of ``patterns`` in ``text`` that no match of ``ignore`` cancels."""
    spans = patterns.spans(text, matcher)
    if spans and ignore:
        ignored = ignore.spans(text, matcher)
        spans = [span for span in spans if not cancels(span, ignored)]
    return spans


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TRIGGER_LENGTH else text[:TRIGGER_LENGTH - 1] + "…"


def _grow(span: Span, parts: list[Span], text: str) -> Span:
    """Extend a claim over the quantities and outcomes that touch it ("reported" + "less back pain")."""
    start, end = span
    grown = True
    while grown:
        grown = False
        for s, e in parts:
            if s < start and not text[e:start].strip():
                start, grown = s, True
            elif e > end and not text[end:s].strip():
                end, grown = e, True
    return start, end


def _gap(pair: tuple[Span, Span]) -> tuple[int, int]:
    """Characters between a quantity and an outcome (0 when they touch); ties go to the earlier pair."""
    (q_start, q_end), (o_start, o_end) = pair
    return (max(o_start - q_end, q_start - o_end, 0), min(q_start, o_start))
