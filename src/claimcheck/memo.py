"""What the engine remembers about block texts while linting: parsed spaCy docs and pattern scans.

``Engine.lint(document)`` gives each document a fresh memo, so nothing learnt on one draft survives into
the next and a draft lints the same whatever was linted before it. A long-running caller (a language
server re-linting one document after each keystroke) may keep a :class:`LintMemo` and pass it to every
lint of that document, so an edit in one paragraph does not parse or scan the others again::

    memo = LintMemo(max_entries=2048)
    findings = engine.lint(document, memo)
    ...                                    # the writer changes one paragraph
    findings = engine.lint(edited, memo)   # only that paragraph is parsed and scanned anew

Entries are keyed by a block's text (after normalisation) and hold the block's spaCy ``Doc`` and, for each
pattern set, its matches. Both depend only on the text, the rules and the pipeline (a doc parsed by
another pipeline is never reused), so findings with a memo are exactly the findings without one. The memo
is bounded: it keeps the ``max_entries`` most recently used texts, holding at most ``max_chars``
characters between them, and drops the least recently used first. One memo serves one thread.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from claimcheck.ruleset.patterns import PatternSet, Span
    from claimcheck.ruleset.starts import LoweredText

DEFAULT_MAX_ENTRIES = 4096
# A parsed doc takes a few hundred bytes per character: this keeps a memo's docs near 100 MB at most.
DEFAULT_MAX_CHARS = 400_000


class TextMemo:
    """What is known about one block text."""

    __slots__ = ("doc", "lowered", "scans")

    def __init__(self) -> None:
        self.doc: Doc | None = None
        self.lowered: LoweredText | None = None  # the text prepared for candidate scanning
        self.scans: dict[PatternSet, tuple[bool, list[Span]]] = {}  # (matched, merged spans)


class LintMemo:
    """A bounded memo of block texts (least recently used dropped first); see the module docstring."""

    __slots__ = ("_chars", "_entries", "_pipeline", "max_chars", "max_entries")

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        if max_entries < 1 or max_chars < 1:
            raise ValueError("a memo needs room for at least one entry and one character")
        self.max_entries = max_entries
        self.max_chars = max_chars
        self._entries: OrderedDict[str, TextMemo] = OrderedDict()
        self._chars = 0
        self._pipeline: Language | None = None  # the pipeline the remembered docs come from

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, text: object) -> bool:
        return text in self._entries

    def entry(self, text: str) -> TextMemo:
        """The entry of ``text``, made (and the oldest dropped, past the bounds) if there is none."""
        entries = self._entries
        found = entries.get(text)
        if found is not None:
            entries.move_to_end(text)
            return found
        found = entries[text] = TextMemo()
        self._chars += len(text)
        while len(entries) > 1 and (len(entries) > self.max_entries or self._chars > self.max_chars):
            dropped, _ = entries.popitem(last=False)
            self._chars -= len(dropped)
        return found

    def doc(self, text: str, nlp: Language) -> Doc | None:
        """The remembered doc of ``text`` if ``nlp`` parsed it."""
        if nlp is not self._pipeline:
            return None
        found = self._entries.get(text)
        if found is None or found.doc is None:
            return None
        self._entries.move_to_end(text)
        return found.doc

    def remember_doc(self, text: str, nlp: Language, doc: Doc) -> None:
        if nlp is not self._pipeline:  # docs of another pipeline are of no use any more
            for entry in self._entries.values():
                entry.doc = None
            self._pipeline = nlp
        self.entry(text).doc = doc
