"""Text normalisation before matching: invisible and look-alike characters cannot hide a claim.

A writer (or a tool) can put characters into "FDA" or "80%" that a reader never sees or reads as the same
letter: zero-width spaces and joiners, soft hyphens, a Cyrillic "А" in "FDА", full-width "ＦＤＡ" or "80％",
superscript digits, a minus sign for a hyphen. Rules match the text a reader reads, so each block's text is
normalised first: invisible characters are removed and look-alikes are replaced by the letter they look
like, one character for one. Offsets still map every remaining character to its place in the original
source, so findings point at the original characters (the excerpt shows them as written).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from claimcheck.documents.base import Block, Document, OffsetMap

# Characters a reader does not see: zero-width space, non-joiner, joiner, word joiner, invisible operators,
# byte-order mark, soft hyphen, Mongolian vowel separator.
INVISIBLE = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"

# Letters that look like Latin ones (the confusables that matter for "FDA", "approved", "cleared" and
# numbers); NFKC covers full-width, mathematical and superscript forms.
LOOK_ALIKES = {
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
    "Х": "X", "Ѕ": "S", "І": "I", "Ј": "J", "Ԁ": "d", "а": "a", "в": "b", "е": "e", "к": "k", "о": "o",
    "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ј": "j", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    # Greek
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o", "ν": "v", "ρ": "p",
    # dashes and signs that are not hyphen-minus but read as one
    "\u2212": "-", "\u2043": "-", "\u2010": "-", "\u2011": "-",
}

# Blocks of code points whose compatibility forms may stand for an ASCII character.
_COMPATIBILITY_RANGES = [(0x00B2, 0x00BA), (0x2070, 0x209F), (0x2100, 0x214F), (0x2460, 0x24FF),
                         (0xFE50, 0xFE6F), (0xFF01, 0xFF5E), (0x1D400, 0x1D7FF)]


@functools.cache
def _table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(c): None for c in INVISIBLE}
    for low, high in _COMPATIBILITY_RANGES:
        for code in range(low, high + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code) and folded.isascii() and folded.isprintable():
                table[code] = folded
    table.update({ord(k): v for k, v in LOOK_ALIKES.items()})
    return table


@functools.cache
def _needs_work() -> re.Pattern[str]:
    # the standard library's engine: a character class is a set lookup there, much faster on long text
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_table())) + "]")


def normalize_block(block: Block) -> Block:
    """The block with invisible characters removed and look-alikes replaced; offsets still exact."""
    text = block.text
    if text.isascii() or _needs_work().search(text) is None:
        return block  # the common case: nothing to do (every character handled here is non-ASCII)
    table = _table()
    normalized = text.translate(table)
    if len(normalized) == len(text):  # replacements only: every offset stays where it was
        return Block(normalized, block.offsets, block.kind, block.visible, block.group)
    offsets = OffsetMap()
    run_start = 0
    for index, char in enumerate(text):
        if table.get(ord(char), "") is None:  # an invisible character: close the run before it
            block.offsets.copy_range(offsets, run_start, index)
            run_start = index + 1
    block.offsets.copy_range(offsets, run_start, len(text))
    return Block(normalized, offsets, block.kind, block.visible, block.group)


def normalize_document(document: Document) -> Document:
    """The document with each block's text normalised (the source, comments and path unchanged)."""
    blocks = [normalize_block(block) for block in document.blocks]
    if all(new is old for new, old in zip(blocks, document.blocks, strict=True)):
        return document
    return Document(document.path, document.source, document.format, blocks, document.comments,
                    document._lines)
