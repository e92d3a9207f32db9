"""Plain-text drafts.

Blank lines separate paragraphs; within a paragraph, lines are joined (unless a line is too long to have been
wrapped by hand, ``WRAP_LIMIT``). A bullet or numbered line always starts a block of its own.

Pasted web copy often has no blank lines at all: one paragraph per line, so each line is a block. But a file
without blank lines may also be hard-wrapped prose, where a sentence runs on over several lines and must stay
one block (a qualifier wrapped as "Individual outcomes" / "vary." counts, a wrapped claim is one sentence).
In such a file a line joins the block of the line before it when the previous line does not end a sentence
(``.``, ``!``, ``?``, ``…`` or ``:``, maybe followed by closing quotes or brackets) and one of these shows
that the sentence goes on:

- the previous line ends in a hyphenated break (``non-`` / ``surgical``), a comma, an opening bracket, a dash
  or ``&``, or in a word that cannot end an English sentence (``and``, ``of``, ``the``, ``with``, ``our``…);
- the line starts with a lowercase letter;
- the file has the shape of greedily wrapped text (every line at most ``WRAP_LIMIT`` long and most lines near
  the longest) and the line's first word would not have fitted on the previous line: the break was made by
  the wrap width, not by the writer.

A line that starts with a capital or a digit after an unfinished line of normal length starts a block: that
is how headings ("Patient results") and one-paragraph-per-line copy look. A line after a finished sentence
always starts a block, as policy reads a file without blank lines line by line.
"""

from __future__ import annotations

import regex

from claimcheck.documents.base import Block, Comment, Document, OffsetMap

# A line longer than this was not wrapped by hand, so the next line starts a new paragraph.
WRAP_LIMIT = 120
# In a greedily wrapped file, most lines are within this many characters of the longest one.
_NEAR_WIDTH = 25

_LIST_MARKER = regex.compile(r"[ \t]*(?:[-*+•‣◦–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+(?=\S)")
_DIRECTIVE = regex.compile(r"[ \t]*(?:#|//|<!--)?[ \t]*claimcheck:", regex.IGNORECASE)
_SENTENCE_END = regex.compile(r"[.!?…:][\"'”’»)\]]*$")
_OPEN_END = regex.compile(r"(?:\p{L}[-‐]|[,(\[{&/+–—]|\s[-–—])$")
_LAST_WORD = regex.compile(r"(\p{L}+)$")
# Words after which an English sentence cannot end: the next line carries it on. Words that often end a
# heading or a phrasal verb ("Who we are", "What to look for", "Sign in", "Before and after") are left out.
_JOINING_WORDS = frozenset((
    "a", "an", "the", "and", "or", "nor", "but", "than", "that", "which", "whose", "whether", "because",
    "of", "from", "by", "with", "into", "onto", "within", "without", "between", "among", "through", "during",
    "per", "via", "including", "such", "our", "their", "your", "my",
))


def _lines(source: str) -> list[tuple[int, int]]:
    """(start, end) of each line, ``end`` excluding the line break (``\\n`` or ``\\r\\n``)."""
    spans = []
    start = 0
    length = len(source)
    while start < length:
        newline = source.find("\n", start)
        stop = length if newline == -1 else newline
        end = stop - 1 if stop > start and source[stop - 1] == "\r" else stop
        spans.append((start, end))
        start = stop + 1
    return spans


def _greedily_wrapped(lengths: list[int]) -> int | None:
    """The wrap width of a file shaped like greedily wrapped text, else None."""
    if len(lengths) < 3:
        return None
    width = max(lengths)
    if width > WRAP_LIMIT:
        return None
    near = sum(1 for length in lengths[:-1] if length >= width - _NEAR_WIDTH)
    return width if 2 * near > len(lengths) - 1 else None


def continues(previous: str, line: str, width: int | None = None) -> bool:
    """Whether ``line`` carries on the sentence that the line before it, ``previous``, leaves unfinished."""
    previous, line = previous.rstrip(), line.strip()
    if not previous or not line or _SENTENCE_END.search(previous):
        return False
    if _OPEN_END.search(previous):
        return True
    last_word = _LAST_WORD.search(previous)
    if last_word and last_word.group(1).lower() in _JOINING_WORDS:
        return True
    if line[0].islower():
        return True
    first_word = line.split(None, 1)[0]
    return width is not None and len(previous) + 1 + len(first_word) > width


def read_text(path: str, source: str) -> Document:
    lines = _lines(source)
    blank = [not source[s:e].strip() for s, e in lines]
    first = next((i for i, b in enumerate(blank) if not b), len(lines))
    last = max((i for i, b in enumerate(blank) if not b), default=-1)
    paragraphs_by_blank_lines = any(blank[first:last])
    width = None if paragraphs_by_blank_lines else _greedily_wrapped(
        [len(source[s:e].rstrip()) for (s, e), b in zip(lines, blank, strict=True) if not b])

    blocks: list[Block] = []
    comments: list[Comment] = []
    current: list[int] | None = None  # [start, end] of the block being built

    def close() -> None:
        nonlocal current
        if current is not None:
            start, end = current
            blocks.append(Block(source[start:end], OffsetMap.identity(start, end - start), kind))
            current = None

    kind = "paragraph"
    previous = ""
    for (start, end), is_blank in zip(lines, blank, strict=True):
        line = source[start:end]
        if is_blank:
            close()
            continue
        if _DIRECTIVE.match(line):
            close()
            comments.append(Comment(line.strip(), start, end))
            continue
        marker = _LIST_MARKER.match(line)
        if paragraphs_by_blank_lines:
            joins = current is not None and len(previous) <= WRAP_LIMIT
        else:
            joins = current is not None and continues(previous, line, width)
        if marker or not joins:
            close()
            kind = "list-item" if marker else "paragraph"
            text_start = start + (marker.end() if marker else len(line) - len(line.lstrip()))
            current = [text_start, len(line.rstrip()) + start]
        elif current is not None:
            current[1] = start + len(line.rstrip())
        previous = line
    close()
    return Document(path=path, source=source, format="text", blocks=blocks, comments=comments)
