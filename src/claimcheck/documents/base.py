"""The reader-independent view of a draft: prose blocks whose every character maps back to the source.

Readers (plain text, Markdown, HTML) turn a source file into a :class:`Document`. A block's ``text`` is what a
reader of the rendered page sees; its :class:`OffsetMap` says where each character stands in the original
source, so findings point at the exact line and column of the file, whatever markup was removed.
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass, field

from claimcheck.model import Position


class OffsetMap:
    """Maps offsets in a block's text to offsets in the source.

    The map is a sorted list of segments. A *linear* segment maps text one-to-one onto an equally long source
    run; an *atomic* segment (a decoded entity such as ``&nbsp;``) maps a few text characters onto a source
    run of another length, and every offset inside it maps to the whole run.

    A draft may hold millions of blocks, so a map is kept small: one linear run (most blocks) is a single
    start offset; more segments live in two integer arrays (text starts; source start and end, the end
    shifted left one bit with the low bit set for a linear segment).
    """

    __slots__ = ("_length", "_runs", "_single", "_text_starts")

    def __init__(self) -> None:
        self._length = 0
        self._single = -1  # source start of the one linear run, while the map is one
        self._text_starts: array[int] | None = None
        self._runs: array[int] | None = None

    @classmethod
    def identity(cls, source_start: int, length: int) -> OffsetMap:
        offsets = cls()
        offsets.add(length, source_start, source_start + length)
        return offsets

    def add(self, text_length: int, source_start: int, source_end: int) -> None:
        """Append ``text_length`` characters of text that come from ``source[source_start:source_end]``."""
        if text_length <= 0:
            return
        linear = text_length == source_end - source_start
        if self._runs is None:
            if self._length == 0 and linear:
                self._single = source_start
                self._length = text_length
                return
            if linear and self._single + self._length == source_start:
                self._length += text_length  # extend the one linear run
                return
            self._text_starts = array("q")
            self._runs = array("q")
            if self._length:
                self._append(0, self._single, self._single + self._length, True)
            self._single = -1
        runs = self._runs
        assert runs is not None
        if linear and runs[-1] & 1 and runs[-1] >> 1 == source_start:
            runs[-1] = source_end << 1 | 1  # extend the previous linear run
        else:
            self._append(self._length, source_start, source_end, linear)
        self._length += text_length

    def _append(self, text_start: int, source_start: int, source_end: int, linear: bool) -> None:
        assert self._text_starts is not None and self._runs is not None
        self._text_starts.append(text_start)
        self._runs.append(source_start)
        self._runs.append(source_end << 1 | linear)

    def __len__(self) -> int:
        return self._length

    def copy_range(self, target: OffsetMap, start: int, end: int) -> None:
        """Append to ``target`` the map of this map's text characters ``start`` to ``end``."""
        start, end = max(start, 0), min(end, self._length)
        if start >= end:
            return
        if self._runs is None or self._text_starts is None:
            target.add(end - start, self._single + start, self._single + end)
            return
        seg = max(0, bisect.bisect_right(self._text_starts, start) - 1)
        count = len(self._text_starts)
        while seg < count and self._text_starts[seg] < end:
            seg_start = self._text_starts[seg]
            seg_end = self._text_starts[seg + 1] if seg + 1 < count else self._length
            source_start, packed = self._runs[2 * seg], self._runs[2 * seg + 1]
            low, high = max(start, seg_start), min(end, seg_end)
            if low < high:
                if packed & 1:
                    source = source_start + low - seg_start
                    target.add(high - low, source, source + high - low)
                else:  # part of a decoded entity still maps to the whole entity
                    target.add(high - low, source_start, packed >> 1)
            seg += 1

    def _segment(self, index: int) -> tuple[int, int, int, bool]:
        """(text start, source start, source end, linear) of the segment holding text ``index``."""
        assert self._text_starts is not None and self._runs is not None
        seg = max(0, bisect.bisect_right(self._text_starts, index) - 1)
        packed = self._runs[2 * seg + 1]
        return self._text_starts[seg], self._runs[2 * seg], packed >> 1, bool(packed & 1)

    def start(self, index: int) -> int:
        """Source offset of the text character at ``index``."""
        if not self._length:
            return 0
        index = min(max(index, 0), self._length - 1)
        if self._runs is None:
            return self._single + index
        text_start, source_start, _, linear = self._segment(index)
        return source_start + index - text_start if linear else source_start

    def end(self, index: int) -> int:
        """Source offset just after the text character at ``index - 1`` (an exclusive end)."""
        if not self._length:
            return 0
        last = min(max(index - 1, 0), self._length - 1)
        if self._runs is None:
            return self._single + last + 1
        text_start, source_start, source_end, linear = self._segment(last)
        return source_start + last - text_start + 1 if linear else source_end


class LineIndex:
    """Turns source offsets into 1-based line and column by bisecting line starts (never by re-searching)."""

    __slots__ = ("_starts",)

    def __init__(self, source: str) -> None:
        starts = array("q", [0])  # 8 bytes a line: a draft may have millions
        find = source.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self._starts, offset) - 1
        return Position(line + 1, offset - self._starts[line] + 1)

    def offset(self, position: Position) -> int:
        return self._starts[position.line - 1] + position.column - 1

    @property
    def line_count(self) -> int:
        return len(self._starts)


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of prose a reader sees as one paragraph: a paragraph, heading, list item, table row…

    ``visible`` is False for text the page does not show a reader (``hidden``, ``display:none``, a closed
    ``<details>``…): claims in it still count, but it cannot carry a qualifier or a required statement, which
    must be clear and conspicuous. Blocks that share a ``group`` (a table's rows and its caption, a figure and
    its figcaption) are one block for a qualifier: a qualifier in any of them covers the claims in all.
    """

    text: str
    offsets: OffsetMap
    kind: str = "paragraph"
    visible: bool = True
    group: int | None = None

    @property
    def source_start(self) -> int:
        return self.offsets.start(0)

    @property
    def source_end(self) -> int:
        return self.offsets.end(len(self.text))


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment in the source (where suppression directives live), with its source offsets."""

    text: str
    start: int
    end: int


@dataclass(slots=True)
class Document:
    """One draft: its decoded source, its prose blocks in reading order, and its comments."""

    path: str
    source: str
    format: str
    blocks: list[Block]
    comments: list[Comment] = field(default_factory=list)
    _lines: LineIndex | None = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.source)
        return self._lines

    @property
    def text(self) -> str:
        """The prose a reader sees, block after block (for document-wide statements): visible blocks only."""
        return "\n\n".join(block.text for block in self.blocks if block.visible)

    @property
    def full_text(self) -> str:
        """Every block's text, hidden ones included (what a draft mentions, seen or not)."""
        return "\n\n".join(block.text for block in self.blocks)
