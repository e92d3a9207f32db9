"""``required-statement``: the document must contain a statement, optionally only ``when`` a pattern occurs.

``statements`` are accepted texts, compared after normalising case, white space, punctuation and quotes.
``patterns`` are regular expressions for close variants, matched against that normalised text (lower-case
words separated by single spaces). A missing statement is one document-level finding.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from claimcheck.errors import RuleError
from claimcheck.families import fixspec
from claimcheck.families.base import Context, Hit, RuleKind
from claimcheck.families.phrases import normalize
from claimcheck.model import Fix
from claimcheck.ruleset.schema import Field, is_mapping, string_list


class RequiredStatement(RuleKind):
    kind = "required-statement"
    fields: ClassVar[dict[str, Field]] = {
        "terms": Field(is_mapping, "a mapping of term names to patterns"),
        "statements": string_list(),
        "patterns": string_list(),
        "when": string_list(),
        "fix": fixspec.FIELD,
    }

    def configure(self, spec: Mapping[str, Any]) -> None:
        statements = spec.get("statements", [])
        if isinstance(statements, str):
            statements = [statements]
        self.statements = [normalize(s) for s in statements]
        self.fix_spec = self.read_fix(spec, ("insert",))
        self.fix_text = (self.fix_spec.insert if self.fix_spec and self.fix_spec.insert else
                         statements[0] if statements else None)
        if self.fix_spec is not None and self.fix_text is None:
            line, column = self._located.where(self._path + ("fix",))
            raise RuleError(f"rule {self.meta.code}'s 'fix' needs 'insert': the rule has no 'statements' "
                            "to add", path=self._located.file, line=line, column=column)
        self.accepted = self.patterns(spec, "patterns")
        self.when = self.patterns(spec, "when")
        if not self.statements and not self.accepted:
            line, column = self._located.where(self._path)
            raise RuleError(f"rule {self.meta.code} needs 'statements' or 'patterns'",
                            path=self._located.file, line=line, column=column)

    def check(self, context: Context) -> Iterator[Hit]:
        if self.when and not self.when.search(context.document.full_text, context.matcher):
            return
        text = context.document.text  # a statement counts only where a reader sees it
        normalized = normalize(text)
        if any(statement in normalized for statement in self.statements):
            return
        if self.accepted and self.accepted.search(normalized, context.matcher):
            return
        yield Hit(None, fix=self._fix(context))

    def _fix(self, context: Context) -> Fix | None:
        """The statement, word for word, as a new final paragraph."""
        if self.fix_spec is None or self.fix_text is None:
            return None
        title = self.fix_spec.title or f"Add the statement '{_short(self.fix_text)}' at the end of the draft"
        return Fix(title, self.fix_spec.applicability, (context.editor.append_paragraph(self.fix_text),))


def _short(text: str, words: int = 8) -> str:
    parts = text.split()
    return text if len(parts) <= words else " ".join(parts[:words]) + " …"
