"""An open document's text as the editor has it, and positions in the editor's units.

LSP positions are a 0-based line and a column counted in the code units of the encoding the client and
server agreed on: UTF-16 by default (what VS Code counts), UTF-8 or UTF-32 when the client offers them.
claimcheck counts code points, so an emoji is one character to claimcheck, two UTF-16 units and four UTF-8
bytes to an editor. Lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only (the protocol's definition): Python's
``splitlines`` also breaks at form feeds and U+2028, which pasted web copy holds, and would shift every line
below them.

This module has no dependency on pygls, so the arithmetic is tested on its own.
"""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
ENCODINGS = (UTF16, UTF8, UTF32)  # the order the server prefers; UTF-16 is every client's default
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def units(text: str, encoding: str) -> int:
    """How many code units of ``encoding`` the editor counts for ``text``."""
    if encoding == UTF32 or text.isascii():
        return len(text)
    if encoding == UTF16:
        return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class Position:
    """An LSP position: 0-based line, and the column in the negotiated code units."""

    line: int
    character: int


class SourceText:
    """The text of one open document, with its line starts (for converting offsets and positions)."""

    __slots__ = ("_starts", "encoding", "text")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self._starts: array[int] | None = None

    @property
    def line_starts(self) -> array[int]:
        if self._starts is None:
            starts = array("q", [0])
            if "\r" in self.text:
                starts.extend(match.end() for match in _LINE_BREAK.finditer(self.text))
            else:  # the usual case, and ten times faster than the pattern
                find = self.text.find
                index = find("\n")
                while index >= 0:
                    starts.append(index + 1)
                    index = find("\n", index + 1)
            self._starts = starts
        return self._starts

    def _line_end(self, line: int) -> int:
        """Offset of the end of ``line``'s content (before its line break)."""
        starts = self.line_starts
        if line + 1 >= len(starts):
            return len(self.text)
        end = starts[line + 1]
        if self.text[end - 2:end] == "\r\n":
            return end - 2
        return end - 1

    def position(self, offset: int) -> Position:
        """The LSP position of code-point ``offset`` (clamped to the text)."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.line_starts, offset) - 1
        start = self.line_starts[line]
        return Position(line, units(self.text[start:offset], self.encoding))

    def offset(self, position: Position) -> int:
        """The code-point offset of an LSP position. A line past the end is the end of the text; a column past
        the end of its line is the line's end (the protocol says so); a column inside a character (half of a
        UTF-16 surrogate pair, or inside a UTF-8 sequence) is the start of the character after it."""
        starts = self.line_starts
        if position.line >= len(starts):
            return len(self.text)
        start = starts[max(position.line, 0)]
        end = self._line_end(max(position.line, 0))
        wanted = max(position.character, 0)
        line = self.text[start:end]
        if self.encoding == UTF32 or line.isascii():
            return start + min(wanted, len(line))
        counted = 0
        for index, char in enumerate(line):
            if counted >= wanted:
                return start + index
            counted += units(char, self.encoding)
        return end

    def line_text(self, line: int) -> str:
        starts = self.line_starts
        if not 0 <= line < len(starts):
            return ""
        return self.text[starts[line]:self._line_end(line)]

    def replaced(self, start: Position, end: Position, new: str) -> SourceText:
        """The text after an incremental change replacing ``start``..``end`` with ``new``."""
        low, high = self.offset(start), self.offset(end)
        low, high = min(low, high), max(low, high)
        return SourceText(self.text[:low] + new + self.text[high:], self.encoding)
