"""``qualified-claim``: a claim (a quantity tied to an outcome in one sentence) needs a qualifier nearby.

A sentence makes a claim when it holds a ``quantities`` match and an ``outcomes`` match. Matches of
``ignore-quantities`` (durations, ages, years, vertebral levels, prices…) cancel the quantities they overlap,
and ``ignore-outcomes`` ("outcome data") the outcomes they overlap. The claim is fine when one of the
``qualifiers`` stands in its ``scope``: the sentence, the paragraph (default) or the whole document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from claimcheck.families.base import Context, Hit, RuleKind
from claimcheck.families.phrases import phrase_regex
from claimcheck.ruleset.patterns import Span, overlaps
from claimcheck.ruleset.schema import Field, is_mapping, string, string_list

SCOPES = ("sentence", "paragraph", "document")


class QualifiedClaim(RuleKind):
    kind = "qualified-claim"
    fields: ClassVar[dict[str, Field]] = {
        "terms": Field(is_mapping, "a mapping of term names to patterns"),
        "quantities": string_list(required=True),
        "ignore-quantities": string_list(),
        "outcomes": string_list(),
        "ignore-outcomes": string_list(),
        "qualifiers": string_list(required=True),
        "scope": string(choices=SCOPES),
    }
    overrides: ClassVar[dict[str, str]] = {"qualifiers": "qualifiers", "claim-scope": "scope"}

    def configure(self, spec: Mapping[str, Any]) -> None:
        self.quantities = self.patterns(spec, "quantities")
        self.ignore_quantities = self.patterns(spec, "ignore-quantities")
        self.outcomes = self.patterns(spec, "outcomes")
        self.ignore_outcomes = self.patterns(spec, "ignore-outcomes")
        qualifiers = spec["qualifiers"]
        self.qualifier_names = [qualifiers] if isinstance(qualifiers, str) else list(qualifiers)
        self.qualifier = phrase_regex(self.qualifier_names)
        self.scope = spec.get("scope", "paragraph")

    def message_values(self) -> dict[str, str]:
        return {"qualifier": self.qualifier_names[0] if self.qualifier_names else "", "scope": self.scope}

    def needs_sentences(self, text: str) -> bool:
        # Sentences matter only where check() looks for them: blocks with a quantity and an outcome,
        # and no qualifier covering the whole block.
        if self.scope == "paragraph" and self._qualified(text):
            return False
        quantities, outcomes = self._claims(text)
        return bool(quantities) and bool(outcomes)

    def _qualified(self, text: str) -> bool:
        return self.qualifier is not None and self.qualifier.search(text) is not None

    def _claims(self, text: str) -> tuple[list[Span], list[Span]]:
        """(quantities, outcomes) of a block; a claim needs both (either empty: no claim)."""
        quantities = self.quantities.spans(text)
        if not quantities:
            return quantities, quantities
        outcomes: list[Span] = []
        if self.outcomes:  # outcomes first: without one, the ignore-quantities scan is not needed
            outcomes = self.outcomes.spans(text)
            if outcomes and self.ignore_outcomes:
                ignored = self.ignore_outcomes.spans(text)
                outcomes = [o for o in outcomes if not overlaps(o, ignored)]
            if not outcomes:
                return quantities, outcomes
        if self.ignore_quantities:
            ignored = self.ignore_quantities.spans(text)
            quantities = [q for q in quantities if not overlaps(q, ignored)]
        if not self.outcomes:
            return quantities, quantities  # without outcome patterns, any quantity is a claim
        return quantities, outcomes

    def check(self, context: Context) -> Iterator[Hit]:
        if self.scope == "document" and self._qualified(context.document.text):
            return  # one qualifier covers every claim
        for index, block in enumerate(context.document.blocks):
            text = block.text
            if not self.needs_sentences(text):
                continue  # no quantity with an outcome, or a qualifier covers the whole block
            quantities, outcomes = self._claims(text)  # the scans needs_sentences made, remembered
            for start, end in context.sentences(index):
                in_sentence = [q for q in quantities if start <= q[0] < end]
                tied = [o for o in outcomes if start <= o[0] < end]
                if not in_sentence or not tied:
                    continue
                if self.scope == "sentence" and self._qualified(text[start:end]):
                    continue
                quantity, outcome = min(((q, o) for q in in_sentence for o in tied), key=_gap)
                start, end = _grow((min(quantity[0], outcome[0]), max(quantity[1], outcome[1])),
                                   in_sentence + tied, text)
                yield Hit(index, start, end)


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
