"""``restricted-wording``: wording that is allowed only in listed forms; negated statements are exempt.

Each ``wording`` match is a finding unless an ``allowed`` match contains it, or a ``negation`` cue stands at
most ``negation-window`` tokens before it in the same sentence with no ``negation-stops`` token in between
(a NegEx-style window: "has not been approved by the FDA"). With ``negation-scope``, the cue must govern
the wording: only those words may stand between them ("is not yet FDA-cleared" is negated; "not only
FDA-approved" and "no surgery needed with our FDA-approved repair" are not). ``question-cues`` ("whether")
exempt like a negation, inside the window, whatever stands between, and so does a clause whose subject is
one of ``negation-subjects`` ("None of these uses is FDA-approved"), when a verb stands before the wording.

With ``exempt-questions``, a match in a yes/no question ("Is PRP FDA-approved?", "Which laser do you use,
and is it FDA-cleared?") is exempt too: a question asks, it does not claim. A rhetorical one is not exempt:
a negative auxiliary ("Isn't it great that...?") or "Did you know...?" states what it asks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar

import regex

from claimcheck.errors import RuleError
from claimcheck.families import fixspec
from claimcheck.families.base import Context, Hit, RuleKind
from claimcheck.model import Applicability, Fix
from claimcheck.ruleset.patterns import Matcher, contained
from claimcheck.ruleset.schema import Field, is_bool, is_int, is_mapping, string_list

if TYPE_CHECKING:
    from spacy.tokens import Token

DEFAULT_NEGATION = ["not", "n't", "never", "no", "neither", "nor", "without", "cannot"]
# A sentence that starts with one of these and ends with "?" is a yes/no question.
AUXILIARIES = frozenset(["is", "are", "was", "were", "am", "do", "does", "did", "can", "could", "will",
                         "would", "shall", "should", "has", "have", "had", "may", "might", "must"])
QUESTION_LABELS = frozenset({"q", "question", "faq"})
# Questions that state their answer: "Did you know our laser is FDA-cleared?"
RHETORICAL_OPENERS = frozenset({("did", "you"), ("do", "you"), ("have", "you"), ("had", "you")})
RHETORICAL_VERBS = frozenset({"know", "hear", "heard", "realize", "realise", "notice"})
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
        "negation-scope": string_list(),
        "question-cues": string_list(),
        "negation-subjects": string_list(),
        "exempt-questions": Field(is_bool, "true or false"),
        "fix": fixspec.FIELD,
    }

    def configure(self, spec: Mapping[str, Any]) -> None:
        self.wording = self.patterns(spec, "wording")
        self.allowed = self.patterns(spec, "allowed")
        cues = spec.get("negation", DEFAULT_NEGATION)
        stops = spec.get("negation-stops", DEFAULT_STOPS)
        self.negation = self._token_regex(cues)
        self.stops = self._token_regex(stops)
        scope = spec.get("negation-scope", [])
        self.scope_words = frozenset(w.lower() for w in ([scope] if isinstance(scope, str) else scope))
        self.question_cues = self._token_regex(spec.get("question-cues", []))
        subjects = spec.get("negation-subjects", [])
        subjects = [subjects] if isinstance(subjects, str) else subjects
        self.negated_subjects = frozenset(w.lower() for w in subjects)
        self.window = spec.get("negation-window", 6)
        if self.window < 0:
            line, column = self._located.where(self._path + ("negation-window",))
            raise RuleError("'negation-window' must be 0 or more tokens", path=self._located.file, line=line,
                            column=column)
        self.exempt_questions = spec.get("exempt-questions", False)
        self.fix_spec = self.read_fix(spec, ("match", "replace", "suggestion"), Applicability.UNSAFE)
        self.fix_match = None
        if self.fix_spec is not None and self.fix_spec.match is not None:
            if self.fix_spec.replace is None:
                line, column = self._located.where(self._path + ("fix",))
                raise RuleError(f"rule {self.meta.code}'s 'fix' has 'match' but no 'replace'",
                                path=self._located.file, line=line, column=column)
            self.fix_match = self.patterns({"match": self.fix_spec.match}, "match")

    @staticmethod
    def _token_regex(words: str | list[str]) -> regex.Pattern[str] | None:
        words = [words] if isinstance(words, str) else words
        if not words:
            return None
        return regex.compile("|".join(f"(?:{regex.escape(w)})" for w in words), regex.IGNORECASE)

    def needs_sentences(self, text: str, matcher: Matcher) -> bool:
        # Sentences matter only for wording that the allowed forms do not cover (negation, questions).
        if not self.wording.search(text, matcher):
            return False
        allowed = self.allowed.spans(text, matcher) if self.allowed else []
        return any(not contained(span, allowed) for span in self.wording.spans(text, matcher))

    def _in_question(self, token: Token) -> bool:
        tokens = [t for t in token.sent if not t.is_space]
        if len(tokens) > 2 and tokens[0].lower_ in QUESTION_LABELS and tokens[1].text == ":":
            tokens = tokens[2:]  # "Q: Is it FDA approved?"
        if not tokens or tokens[-1].text != "?":
            return False
        # The sentence, or the clause that holds the match ("..., and is it FDA-cleared?"), asks yes or no.
        starts = [0] + [i + 1 for i, t in enumerate(tokens) if t.i < token.i and (
            t.text == ";" or (t.lower_ in {"and", "or", "but"} and i > 0 and tokens[i - 1].text == ","))]
        return any(self._asks(tokens[start:]) for start in starts)

    @staticmethod
    def _asks(tokens: list[Token]) -> bool:
        words = [t for t in tokens if not t.is_punct]
        if len(words) < 2 or words[0].lower_ not in AUXILIARIES:
            return False
        if words[1].lower_ in {"n't", "not"}:
            return False  # "Isn't it great that it is FDA-approved?" states it
        opener = (words[0].lower_, words[1].lower_)
        return not (opener in RHETORICAL_OPENERS and len(words) > 2 and words[2].lower_ in RHETORICAL_VERBS)

    def _before(self, token: Token) -> Iterator[Token]:
        """The tokens before ``token``, nearest first, within the negation window and up to a stop word."""
        doc = token.doc
        for before in reversed(doc[max(token.sent.start, token.i - self.window):token.i]):
            if self.stops is not None and self.stops.fullmatch(before.text):
                return
            yield before

    def _negated(self, token: Token) -> bool:
        first = token.i
        for before in self._before(token):
            if self.question_cues is not None and self.question_cues.fullmatch(before.text):
                return True
            if self.negation is not None and self.negation.fullmatch(before.text):
                return True
            if self.scope_words and before.lower_ not in self.scope_words and not before.is_space:
                # a word the negation does not reach through: only a question cue further back, or a
                # negated subject of the verb just before the wording ("None of these uses is FDA-approved")
                if self.question_cues is not None and self._cue_before(before):
                    return True
                verb_between = any(t.lower_ in AUXILIARIES for t in token.doc[before.i + 1:first])
                return verb_between and self._negated_subject(before)
        return False

    def _negated_subject(self, token: Token) -> bool:
        """Whether the clause holding ``token`` starts with a negated subject ("none", "no", "neither")."""
        doc, start = token.doc, token.i
        while start > token.sent.start and not (
                self.stops is not None and self.stops.fullmatch(doc[start - 1].text)):
            start -= 1
        return start >= token.i - self.window and doc[start].lower_ in self.negated_subjects

    def _cue_before(self, token: Token) -> bool:
        """Whether a question cue ("whether") stands within the window before ``token``."""
        assert self.question_cues is not None
        return any(self.question_cues.fullmatch(before.text) for before in self._before(token))

    def _exempt(self, context: Context, index: int, start: int) -> bool:
        """Whether the match starting at ``start`` is negated or (with exempt-questions) in a question."""
        doc = context.docs.get(index)
        span = doc.char_span(start, start + 1, alignment_mode="expand") if doc is not None else None
        if span is None:
            return False
        token = span[0]
        return self._negated(token) or (self.exempt_questions and self._in_question(token))

    def check(self, context: Context) -> Iterator[Hit]:
        matcher = context.matcher
        for index, block in enumerate(context.document.blocks):
            text = block.text
            if not self.wording.search(text, matcher):
                continue
            allowed = self.allowed.spans(text, matcher) if self.allowed else []
            for span in self.wording.spans(text, matcher):
                if contained(span, allowed) or self._exempt(context, index, span[0]):
                    continue
                yield Hit(index, span[0], span[1], fix=self._fix(context, index, span))

    def _fix(self, context: Context, index: int, span: tuple[int, int]) -> Fix | None:
        """The rewrite of the wording ``fix.match`` covers, or the rule's suggestion (shown, not applied)."""
        spec = self.fix_spec
        if spec is None:
            return None
        text = context.document.blocks[index].text
        if self.fix_match is not None and spec.replace is not None:
            for start, end in self.fix_match.spans(text, context.matcher):
                if start <= span[0] and span[1] <= end:
                    replacement = _fitted(spec.replace, text, start, end)
                    edit = context.editor.replace(index, start, end, replacement)
                    title = spec.title or f"Rewrite to '{replacement.rstrip(',')}'"
                    if edit is None:
                        return Fix(title, Applicability.DISPLAY_ONLY, ())
                    return Fix(title, spec.applicability, (edit,))
        if spec.suggestion:
            return Fix(spec.suggestion, Applicability.DISPLAY_ONLY, ())
        return None


def _fitted(replacement: str, text: str, start: int, end: int) -> str:
    """``replacement`` fitted to where it goes: capitalised like the words it replaces, and without a
    trailing comma before punctuation or the end of the block ("a sealant, FDA-approved as a sealant.")."""
    if text[start:start + 1].isupper():
        replacement = replacement[:1].upper() + replacement[1:]
    rest = text[end:].lstrip()
    if replacement.endswith(",") and (not rest or rest[0] in ".,;:!?)"):
        replacement = replacement[:-1]
    return replacement
