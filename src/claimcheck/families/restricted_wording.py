"""``restricted-wording``: wording that is allowed only in listed forms; negated statements are exempt.

Each ``wording`` match is a finding unless an ``allowed`` match contains it, or a ``negation`` cue stands at
most ``negation-window`` tokens before it in the same sentence with no ``negation-stops`` token in between
(a NegEx-style window: "has not been approved by the FDA"). With ``exempt-questions``, a match in a yes/no
question ("Is PRP FDA-approved?") is exempt too: a question asks, it does not claim.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import regex

from claimcheck.errors import RuleError
from claimcheck.families.base import Context, Hit, RuleKind
from claimcheck.ruleset.patterns import contained
from claimcheck.ruleset.schema import Field, is_bool, is_int, is_mapping, string_list

if TYPE_CHECKING:
    from spacy.tokens import Token

DEFAULT_NEGATION = ["not", "n't", "never", "no", "neither", "nor", "without", "cannot"]
# A sentence that starts with one of these and ends with "?" is a yes/no question.
AUXILIARIES = frozenset(["is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "will",
                         "would", "shall", "should", "has", "have", "had", "may", "might", "must"])
QUESTION_LABELS = frozenset({"q", "question", "faq"})
DEFAULT_STOPS = ["but", "however", "although", "though", "yet", "whereas", ";", ":"]


class RestrictedWording(RuleKind):
    kind = "restricted-wording"
    fields: ClassVar[dict[str, Field]] = {
        "terms": Field(is_mapping, "a mapping of term names to patterns"),
        "wording": string_list(required=True),
        "allowed": string_list(),
        "negation": string_list(),
        "negation-window": Field(is_int, "a whole number of tokens"),
        "negation-stops": string_list(),
        "exempt-questions": Field(is_bool, "true or false"),
    }

    def configure(self, spec: Mapping[str, Any]) -> None:
        self.wording = self.patterns(spec, "wording")
        self.allowed = self.patterns(spec, "allowed")
        cues = spec.get("negation", DEFAULT_NEGATION)
        stops = spec.get("negation-stops", DEFAULT_STOPS)
        self.negation = self._token_regex(cues)
        self.stops = self._token_regex(stops)
        self.window = spec.get("negation-window", 6)
        if self.window < 0:
            line, column = self._located.where(self._path + ("negation-window",))
            raise RuleError("'negation-window' must be 0 or more tokens", path=self._located.file, line=line,
                            column=column)
        self.exempt_questions = spec.get("exempt-questions", False)

    @staticmethod
    def _token_regex(words: str | list[str]) -> regex.Pattern[str] | None:
        words = [words] if isinstance(words, str) else words
        if not words:
            return None
        return regex.compile("|".join(f"(?:{regex.escape(w)})" for w in words), regex.IGNORECASE)

    def needs_sentences(self, text: str) -> bool:
        # Sentences matter only for wording that the allowed forms do not cover (negation, questions).
        if not self.wording.search(text):
            return False
        allowed = self.allowed.spans(text) if self.allowed else []
        return any(not contained(span, allowed) for span in self.wording.spans(text))

    def _in_question(self, token: Token) -> bool:
        tokens = [t for t in token.sent if not t.is_space]
        if len(tokens) > 2 and tokens[0].lower_ in QUESTION_LABELS and tokens[1].text == ":":
            tokens = tokens[2:]  # "Q: Is it FDA approved?"
        words = [t for t in tokens if not t.is_punct]
        return bool(words) and tokens[-1].text == "?" and words[0].lower_ in AUXILIARIES

    def _negated(self, token: Token) -> bool:
        if self.negation is None:
            return False
        doc, first = token.doc, token.i
        for before in reversed(doc[max(token.sent.start, first - self.window):first]):
            if self.stops is not None and self.stops.fullmatch(before.text):
                return False
            if self.negation.fullmatch(before.text):
                return True
        return False

    def _exempt(self, context: Context, index: int, start: int) -> bool:
        """Whether the match starting at ``start`` is negated or (with exempt-questions) in a question."""
        doc = context.docs.get(index)
        span = doc.char_span(start, start + 1, alignment_mode="expand") if doc is not None else None
        if span is None:
            return False
        token = span[0]
        return self._negated(token) or (self.exempt_questions and self._in_question(token))

    def check(self, context: Context) -> Iterator[Hit]:
        for index, block in enumerate(context.document.blocks):
            text = block.text
            if not self.wording.search(text):
                continue
            allowed = self.allowed.spans(text) if self.allowed else []
            for span in self.wording.spans(text):
                if contained(span, allowed) or self._exempt(context, index, span[0]):
                    continue
                yield Hit(index, span[0], span[1])
