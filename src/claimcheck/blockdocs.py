"""The spaCy docs of a document's blocks, parsed when a rule first asks for one, a bounded batch at a time.

Parsing every block that needs sentences up front kept a doc for each: a 4 MB table draft peaked near
1 GB. Here a rule's ``context.docs.get(index)`` parses the blocks from ``index`` on (those that some rule
``needs_sentences`` for, up to ``BATCH_BLOCKS`` blocks or ``BATCH_CHARS`` characters, in one
``nlp.pipe``), and only the most recently used docs are kept (``KEEP_CHARS`` characters of blocks); a doc
dropped and asked for again is parsed again, the same. Rules walk the blocks in order, so a block is
parsed once per rule pass at most, and usually once. Which blocks get a doc, and so every finding, is
as if all were parsed first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from time import monotonic
from typing import TYPE_CHECKING

from claimcheck.budget import Budget
from claimcheck.documents.base import Document
from claimcheck.nlp import bounded

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from claimcheck.families.base import RuleKind
    from claimcheck.ruleset.patterns import Matcher

BATCH_BLOCKS = 64  # blocks parsed in one nlp.pipe call (at most)
BATCH_CHARS = 100_000  # ... and their characters (at least one block)
KEEP_CHARS = 300_000  # characters of blocks whose docs are kept


class BlockDocs(Mapping[int, "Doc"]):
    """Block index -> doc, for the blocks that some rule needs sentences for (see the module docstring)."""

    def __init__(self, document: Document, rules: Sequence[RuleKind], matcher: Matcher,
                 nlp: Callable[[], Language], budget: Budget, pipeline_built: Callable[[], bool]) -> None:
        self._document = document
        self._rules = rules
        self._matcher = matcher
        self._nlp = nlp
        self._pipeline_built = pipeline_built
        self._budget = budget
        self._wanted: dict[int, bool] = {}  # block index -> needs a doc (asked once per block)
        self._docs: OrderedDict[int, Doc] = OrderedDict()
        self._chars = 0

    def wanted(self, index: int) -> bool:
        known = self._wanted.get(index)
        if known is None:
            text = self._document.blocks[index].text
            matcher = self._matcher
            known = self._wanted[index] = any(rule.needs_sentences(text, matcher) for rule in self._rules)
        return known

    def __getitem__(self, index: int) -> Doc:
        doc = self._docs.get(index)
        if doc is not None:
            self._docs.move_to_end(index)
            return doc
        if not 0 <= index < len(self._document.blocks) or not self.wanted(index):
            raise KeyError(index)
        self._parse_from(index)
        return self._docs[index]

    def __iter__(self) -> Iterator[int]:
        return (index for index in range(len(self._document.blocks)) if self.wanted(index))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _parse_from(self, first: int) -> None:
        """Parse block ``first`` and the wanted blocks after it, within the batch bounds."""
        blocks = self._document.blocks
        batch: list[int] = []
        chars = 0
        index = first
        while index < len(blocks) and len(batch) < BATCH_BLOCKS and (not batch or chars < BATCH_CHARS):
            if index not in self._docs and self.wanted(index):
                batch.append(index)
                chars += len(blocks[index].text)
            index += 1
        nlp = self._pipeline()
        memo = self._matcher.memo
        to_parse = []
        for index in batch:
            known = memo.doc(blocks[index].text, nlp)
            if known is not None:
                self._keep(index, known)
            else:
                to_parse.append(index)
        budget, path = self._budget, self._document.path

        def tokenized() -> Iterator[Doc]:
            for index in to_parse:
                text = blocks[index].text
                bounded.check_length(nlp, text, path)
                budget.check("tokenizing")
                yield bounded.make_doc(nlp, text, lambda: budget.check("tokenizing"))

        for index, doc in zip(to_parse, nlp.pipe(tokenized(), batch_size=BATCH_BLOCKS), strict=True):
            memo.remember_doc(blocks[index].text, nlp, doc)
            self._keep(index, doc)
        budget.check("splitting sentences")

    def _pipeline(self) -> Language:
        if self._pipeline_built():
            return self._nlp()
        started = monotonic()  # building the pipeline is the run's cost, not this draft's
        nlp = self._nlp()
        self._budget.deadline += monotonic() - started
        return nlp

    def _keep(self, index: int, doc: Doc) -> None:
        self._docs[index] = doc
        self._chars += len(doc.text)
        while len(self._docs) > BATCH_BLOCKS and self._chars > KEEP_CHARS:
            _, dropped = self._docs.popitem(last=False)
            self._chars -= len(dropped.text)
