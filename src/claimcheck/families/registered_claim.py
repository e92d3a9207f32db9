"""``registered-claim``: outcome claims checked against the claims registry (``claims-registry`` in the
configuration).

The claims are those of another rule, the ``qualified-claim`` rule named by ``claims-from`` (CC101), found
whether or not they are qualified; this kind adds no vocabulary of its own. Each claim is judged once per
document (see :mod:`claimcheck.claims.matching`), and each rule of this kind ``reports`` one verdict:

- ``unregistered-claim``: no entry has the claim's figure and subject (the message suggests the nearest);
- ``misquoted-claim``: an entry's terms are all in the claim's sentence, but its figure is not the claim's;
- ``expired-substantiation``: the claim matches an entry whose ``expires`` date has passed.

Without a configured registry the rules are off: they parse nothing and find nothing. ``example-registry``
holds the entries the rule's own examples assume (used only when the examples are checked).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from claimcheck.claims.figures import canonical_figure
from claimcheck.claims.matching import EXPIRED, MISQUOTED, UNREGISTERED, Verdict, judge
from claimcheck.claims.registry import ClaimsRegistry, parse_entries
from claimcheck.errors import RuleError
from claimcheck.families.base import Context, Hit, RuleKind
from claimcheck.families.qualified_claim import Claim, QualifiedClaim
from claimcheck.model import ClaimRef
from claimcheck.ruleset.patterns import Matcher
from claimcheck.ruleset.schema import Field, string

REPORTS = {"unregistered-claim": UNREGISTERED, "misquoted-claim": MISQUOTED,
           "expired-substantiation": EXPIRED}


def is_list(value: Any) -> bool:
    return isinstance(value, list)


class RegisteredClaim(RuleKind):
    kind = "registered-claim"
    fields: ClassVar[dict[str, Field]] = {
        "claims-from": string(required=True),
        "reports": string(required=True, choices=tuple(REPORTS)),
        "example-registry": Field(is_list, "a list of claims registry entries"),
    }
    # The registry is the project's, never a rule file's: it comes from the configuration, loaded once.
    overrides: ClassVar[dict[str, str]] = {"claims-registry": "registry"}

    def configure(self, spec: Mapping[str, Any]) -> None:
        self.claims_from: str = spec["claims-from"]
        self.reports: str = REPORTS[spec["reports"]]
        registry = spec.get("registry")
        self.registry: ClaimsRegistry | None = registry if isinstance(registry, ClaimsRegistry) else None
        entries = (parse_entries(self._located, self._path + ("example-registry",), RuleError,
                                 "example-registry") if "example-registry" in spec else ())
        self.example_registry = ClaimsRegistry(self.meta.source, entries)
        self.claim_rule: QualifiedClaim | None = None

    def link(self, rules: Mapping[str, RuleKind]) -> None:
        rule = rules.get(self.claims_from)
        if not isinstance(rule, QualifiedClaim):
            line, column = self._located.where(self._path + ("claims-from",))
            what = f"a {rule.meta.kind} rule" if rule is not None else "not a loaded rule"
            raise RuleError(f"'claims-from' must name a qualified-claim rule; {self.claims_from!r} is {what}",
                            path=self._located.file, line=line, column=column)
        self.claim_rule = rule

    def with_registry(self, registry: ClaimsRegistry) -> RegisteredClaim:
        """This rule judging claims against ``registry``."""
        variant = copy.copy(self)
        variant.registry = registry
        return variant

    def enabled(self) -> bool:
        return self.registry is not None

    def for_examples(self) -> RuleKind:
        return self.with_registry(self.example_registry)

    def message_values(self) -> dict[str, str]:
        return {"figure": "", "entry": "", "registered": "", "source": "", "expires": "", "nearest": ""}

    def needs_sentences(self, text: str, matcher: Matcher) -> bool:
        return self.registry is not None and self.claim_rule is not None and \
            self.claim_rule.has_claim(text, matcher)

    def judged(self, context: Context) -> list[tuple[Claim, Verdict]]:
        """Every claim of the document with its verdict, computed once for all the rules of this kind."""
        assert self.registry is not None and self.claim_rule is not None
        key = (RegisteredClaim, id(self.claim_rule), id(self.registry))
        known = context.shared.get(key)
        if known is None:
            blocks = context.document.blocks
            known = context.shared[key] = [
                (claim, judge(claim_figure(claim, blocks[claim.hit.block].text),
                              claim.subject(blocks[claim.hit.block].text), self.registry))
                for claim in self.claim_rule.claims(context) if claim.hit.block is not None]
        return known

    def check(self, context: Context) -> Iterator[Hit]:
        if self.registry is None or self.claim_rule is None:
            return
        for claim, verdict in self.judged(context):
            if verdict.status == self.reports:
                hit = claim.hit
                yield Hit(hit.block, hit.start, hit.end, self._message(verdict), claim=claim_ref(verdict))

    def _message(self, verdict: Verdict) -> str | None:
        entry = verdict.entry
        values = self.message_values()
        values["figure"] = verdict.figure
        if entry is not None:
            values.update(entry=entry.id, registered=", ".join(entry.figures), source=entry.source,
                          expires=entry.expires.isoformat() if entry.expires else "")
            if verdict.status == UNREGISTERED:
                values["nearest"] = f" (nearest entry: {entry.id!r}, {', '.join(entry.figures)})"
        try:
            return self.meta.message.format(**values)
        except (KeyError, IndexError, ValueError):
            return None


def claim_figure(claim: Claim, text: str) -> str:
    return canonical_figure(text[claim.quantity[0]:claim.quantity[1]])


def claim_ref(verdict: Verdict) -> ClaimRef | None:
    """The entry a finding links to: the one matched or misquoted (an unregistered claim has none)."""
    entry = verdict.entry
    if entry is None or verdict.status == UNREGISTERED:
        return None
    return ClaimRef(entry.id, entry.file, entry.line, entry.column, entry.source)
