"""Plain-text drafts.

Blank lines separate paragraphs. Pasted web copy often has no blank lines at all, one paragraph per line; in
such a file (and for any line too long to be hard-wrapped prose) each line is its own block. A bullet or
numbered line always starts a block of its own.
"""

from __future__ import annotations

import regex

from claimcheck.documents.base import Block, Comment, Document, OffsetMap

# A line longer than this was not wrapped by hand, so the next line starts a new paragraph.
WRAP_LIMIT = 120

_LIST_MARKER = regex.compile(r"[ \t]*(?:[-*+•‣◦–—]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+(?=\S)")
_DIRECTIVE = regex.compile(r"[ \t]*(?:#|//|<!--)?[ \t]*claimcheck:", regex.IGNORECASE)


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


def read_text(path: str, source: str) -> Document:
    lines = _lines(source)
    blank = [not source[s:e].strip() for s, e in lines]
    first = next((i for i, b in enumerate(blank) if not b), len(lines))
    last = max((i for i, b in enumerate(blank) if not b), default=-1)
    paragraphs_by_blank_lines = any(blank[first:last])

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
    previous_length = 0
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
        if marker or current is None or not paragraphs_by_blank_lines or previous_length > WRAP_LIMIT:
            close()
            kind = "list-item" if marker else "paragraph"
            text_start = start + (marker.end() if marker else len(line) - len(line.lstrip()))
            current = [text_start, len(line.rstrip()) + start]
        else:
            current[1] = start + len(line.rstrip())
        previous_length = end - start
    close()
    return Document(path=path, source=source, format="text", blocks=blocks, comments=comments)
