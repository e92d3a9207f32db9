"""A rule's ``fix``: what the rule writes when a writer asks claimcheck to fix its findings.

Every kind that can fix takes the same mapping; which keys it reads depends on the kind:

- ``insert`` (``qualified-claim``, ``required-statement``): the text added, to the claim's paragraph or as
  a new final paragraph. Default: the rule's first qualifier or statement.
- ``match`` and ``replace`` (``restricted-wording``): wording the fix rewrites (a pattern, with the rule's
  terms) and what it becomes. Other findings of the rule get ``suggestion``, shown and never applied.
- ``applicability``: ``safe`` (``--fix`` applies it), ``unsafe`` (only with ``--unsafe-fixes``: it changes
  regulated wording) or ``display-only``. Default: ``safe``, ``unsafe`` for a replacement.
- ``title``: what the writer reads ("Add 'Individual outcomes vary.' to this paragraph").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from claimcheck.errors import RuleError
from claimcheck.model import Applicability
from claimcheck.ruleset.schema import Field, is_mapping, string, validate
from claimcheck.ruleset.yamlpos import Located, Path

APPLICABILITIES = tuple(a.value for a in Applicability)
FIELD = Field(is_mapping, "a mapping (see 'fix' in the rule documentation)")
KEYS: dict[str, Field] = {
    "insert": string(),
    "match": string(),
    "replace": string(),
    "suggestion": string(),
    "title": string(),
    "applicability": string(choices=APPLICABILITIES),
}


@dataclass(frozen=True)
class FixSpec:
    """A rule's ``fix`` mapping, validated."""

    applicability: Applicability
    title: str | None = None
    insert: str | None = None
    match: str | None = None
    replace: str | None = None
    suggestion: str | None = None

    @classmethod
    def read(cls, spec: Mapping[str, Any], located: Located, path: Path, allowed: tuple[str, ...],
             default: Applicability = Applicability.SAFE) -> FixSpec | None:
        """The ``fix`` of a rule mapping (None without one); ``allowed``: the keys this kind reads."""
        if "fix" not in spec:
            return None
        mapping = spec["fix"]
        fields = {key: field for key, field in KEYS.items() if key in (*allowed, "title", "applicability")}
        validate(located, mapping, fields, path + ("fix",), RuleError, "the rule's 'fix'")
        applicability = Applicability(mapping.get("applicability", default.value))
        return cls(applicability, mapping.get("title"), mapping.get("insert"), mapping.get("match"),
                   mapping.get("replace"), mapping.get("suggestion"))

    def describe(self, inserted: str | None = None) -> str:
        """How the rule fixes, for ``claimcheck explain``; ``inserted``: the text an insertion adds."""
        how = {"safe": "applied by --fix", "unsafe": "applied only with --unsafe-fixes",
               "display-only": "shown, never applied"}[self.applicability.value]
        if self.replace is not None:
            what = f"rewrites the wording to {self.replace!r}"
            if self.suggestion:
                what += f"; elsewhere suggests: {self.suggestion}"
        elif inserted:
            what = f"adds {inserted!r}"
        else:
            what = self.title or "fixes the finding"
        return f"{what} ({self.applicability}: {how})"
