"""Markdown drafts, read as the rendered page reads, with every character mapped back to the source.

markdown-it-py parses CommonMark (plus GFM tables): it is maintained, spec-conformant, and its block tokens
carry source line maps. (markdown-it-pyrs, whose inline nodes carry source maps, was weighed and not taken:
its last release, 0.4.0 of 2024, has no wheels for Python 3.13 or later, so installing would need a Rust
toolchain; its emphasis source maps are off by the container prefix inside blockquotes; and its tree costs
about 900 bytes per node, no less than markdown-it-py's tokens.) Blocks are paragraphs, headings, list items,
blockquotes and table rows (a row's cells joined by " | ", all rows of a table sharing a ``group``). Front
matter (YAML ``---`` or TOML ``+++``, see :mod:`claimcheck.documents.frontmatter`) is not prose except its
published keys (``title``, ``description``, ``summary``, ``excerpt``: blocks of kind ``metadata``); fenced and
indented code, link and image destinations and reference definitions are not prose; an image's alt text is
published copy, a ``metadata`` block of its own after the block that holds the image. Inline markup does
not break a sentence: a block's text is what a reader sees, soft and hard line breaks become ``\\n``, and HTML
comments become :class:`Comment` objects while other inline tags are dropped. HTML blocks are read by the HTML
reader.

Inline tokens carry no positions in markdown-it, so two steps map text back to the source:

1. the inline ``content`` of a block is its source lines with container prefixes (``>``, list indentation)
   removed; each content line is located in its source line (a suffix, or found after a heading's ``#``s or
   a table row's previous cell), giving a content-to-source map;
2. every inline rule is wrapped to record the content range it consumed, so links (whose destination is
   skipped), code spans, entities, escapes, breaks, HTML and emphasis delimiters have exact ranges; plain
   text tokens are verbatim content and are found from a cursor that moves past each ranged token.

A reader never skips part of a draft quietly: markup nested deeper than it reads, or a block whose text it
cannot map back to the source, is an :class:`~claimcheck.errors.InputError` located at that line.
"""

from __future__ import annotations

import bisect
import contextlib
import dataclasses
import gc
import re
import sys
from array import array
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from claimcheck.documents.base import Block, Comment, Document, OffsetMap
from claimcheck.documents.frontmatter import read_front_matter
from claimcheck.documents.html import HtmlBlocks
from claimcheck.errors import InputError

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

_SPAN = "claimcheck_span"  # key in Token.meta: (start, end) in the inline content
_LINE_BREAK_TAG = re.compile(r"<\s*/?\s*br\b", re.IGNORECASE)
_CONTAINER_KINDS = {"list_item_open": "list-item", "blockquote_open": "blockquote", "th_open": "table-cell",
                    "td_open": "table-cell", "heading_open": "heading"}
_ROW_SEPARATOR = " | "
# markdown-it drops whatever is nested deeper than maxNesting (a list level counts twice: list and item).
# Drafts never nest this deep; deeper markup is reported, not dropped. Each level costs markdown-it about
# ten Python frames, so the recursion limit is raised while parsing (Python frames, not the C stack).
MAX_NESTING = 1000
_RECURSION_LIMIT = 25 * MAX_NESTING
# markdown-it keeps a few hundred bytes of tokens per block of what it parses (6 MB of one-letter paragraphs
# took 4 GB), so a draft is parsed a chunk of about this many characters at a time, each chunk ending where
# no block can run on: before a line that starts at column 0 after a blank line, outside the blocks that
# may hold blank lines (fenced code; HTML blocks of <script>, <pre>, <style>, <textarea>, comments, <?, <!).
CHUNK_SIZE = 1 << 16
_CHUNK_END = re.compile(r"\n[ \t]*\n(?=\S)")
_SPANNING_BLOCK = re.compile(
    r"^ {0,3}(?:(?P<fence>`{3,}|~{3,})|<(?P<raw>script|pre|style|textarea)(?=[\s>]|$)|(?P<comment><!--)"
    r"|(?P<cdata><!\[CDATA\[)|(?P<instruction><\?)|(?P<declaration><![A-Za-z]))",
    re.MULTILINE | re.IGNORECASE)
_SPANNING_END = {"comment": "-->", "cdata": "]]>", "instruction": "?>", "declaration": ">"}
# A line that starts an item of a top-level list: a long list may be cut before it.
_LIST_ITEM_LINE = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
# A link reference definition may be used before it, in another chunk: all are collected first.
_REFERENCE_DEFINITION = re.compile(r"\[[^\]\n]+\]:")

_parser: MarkdownIt | None = None


def _tracked(fn: Callable[[StateInline, bool], bool],
             per_character: bool) -> Callable[[StateInline, bool], bool]:
    """Wrap an inline rule so the tokens it pushes record the content range it consumed."""

    def rule(state: StateInline, silent: bool) -> bool:
        start = state.pos
        count = len(state.tokens)
        pending = state.pending
        matched = fn(state, silent)
        if matched and not silent:
            new = state.tokens[count:]
            if pending and new and new[0].type == "text" and pending.startswith(new[0].content):
                new = new[1:]  # the text that was pending before this rule ran (maybe right-trimmed)
            end = state.pos
            for index, token in enumerate(new):
                if per_character:  # emphasis delimiters: one token per "*" or "_"
                    token.meta.setdefault(_SPAN, (start + index, start + index + 1))
                else:
                    token.meta.setdefault(_SPAN, (start, end))
        return matched

    return rule


def _markdown_parser() -> MarkdownIt:
    global _parser
    if _parser is None:
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark").enable("table")
        parser.options["maxNesting"] = MAX_NESTING
        # Keep entities and escapes as their own tokens, so each maps back to its source characters.
        parser.disable("text_join")
        ruler = parser.inline.ruler
        for rule in list(ruler.__rules__):
            if rule.name != "text":  # plain text only grows the pending text; it pushes no token
                ruler.at(rule.name, _tracked(rule.fn, per_character=rule.name == "emphasis"))
        _parser = parser
    return _parser


@contextlib.contextmanager
def _deep_recursion() -> Iterator[None]:
    """Let markdown-it recurse MAX_NESTING levels deep (its frames are Python frames, not the C stack)."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


class _ContentMap:
    """Maps offsets in a block's inline content to source offsets, as sorted linear runs."""

    __slots__ = ("length", "sources", "starts")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.sources: list[int] = []
        self.length = 0

    def add(self, length: int, source: int) -> None:
        if length <= 0:
            return
        if not (self.starts and self.sources[-1] + self.length - self.starts[-1] == source):
            self.starts.append(self.length)
            self.sources.append(source)
        self.length += length

    def at(self, index: int) -> int:
        if not self.starts:
            return 0
        index = min(max(index, 0), self.length - 1)
        run = bisect.bisect_right(self.starts, index) - 1
        return self.sources[run] + index - self.starts[run]

    def copy_linear(self, offsets: _Spans, start: int, end: int) -> None:
        """Add content ``[start, end)``, verbatim, to ``offsets``."""
        end = min(end, self.length)
        if start >= end:
            return
        run = bisect.bisect_right(self.starts, start) - 1
        while start < end:
            run_end = self.starts[run + 1] if run + 1 < len(self.starts) else self.length
            stop = min(end, run_end)
            source = self.sources[run] + start - self.starts[run]
            offsets.add(stop - start, source, source + stop - start)
            start = stop
            run += 1

    def copy_atomic(self, offsets: _Spans, text_length: int, start: int, end: int) -> None:
        """Add ``text_length`` characters that stand for content ``[start, end)`` as a whole."""
        first = self.at(start)
        offsets.add(text_length, first, max(self.at(end - 1) + 1, first + 1))


class _Spans:
    """Text-to-source spans recorded for a block's text, replayed into an :class:`OffsetMap` once the block
    is complete (a table row joins several cells' spans)."""

    __slots__ = ("spans",)

    def __init__(self) -> None:
        self.spans: list[tuple[int, int, int]] = []

    def add(self, text_length: int, source_start: int, source_end: int) -> None:
        if text_length > 0:
            self.spans.append((text_length, source_start, source_end))

    def first_source(self) -> int:
        return self.spans[0][1]

    def replay(self, offsets: OffsetMap) -> None:
        for span in self.spans:
            offsets.add(*span)


def _align(content: str, source: str, source_start: int, target: _ContentMap) -> int:
    """Map ``content`` onto ``source`` character by character (for lines that are not verbatim, such as a
    table cell with an escaped pipe or a tab expanded to spaces); return where the match ended."""
    position = 0
    for char in content:
        found = source.find(char, position, position + 8)
        if found >= 0:
            position = found
        target.add(1, source_start + min(position, max(len(source) - 1, 0)))
        if found >= 0:
            position += 1
    return position


class _Reader:
    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self.source = source
        # markdown-it turns "\r\n" and "\r" into "\n" and NUL into U+FFFD; doing it ourselves with
        # replacements of equal length keeps markdown-it's lines and columns those of the file.
        self.text = source.replace("\r\n", " \n").replace("\r", "\n").replace("\0", "\ufffd")
        self.line_starts = array("q", [0])  # 8 bytes a line, not a list's 36
        find = self.text.find
        newline = find("\n")
        while newline != -1:
            self.line_starts.append(newline + 1)
            newline = find("\n", newline + 1)
        self.blocks: list[Block] = []
        self.comments: list[tuple[int, int]] = []
        self._row_cursor: dict[int, int] = {}  # table row line -> where its next cell is searched from
        self._groups = 0
        self._alts: list[tuple[str, _Spans]] = []  # image alt texts of the block being read
        self.line = 0  # the source line (0-based) being read, for errors

    def _line(self, number: int) -> tuple[int, int]:
        """(start, end) of source line ``number`` (0-based), ``end`` at its line break."""
        start = self.line_starts[number]
        end = self.line_starts[number + 1] - 1 if number + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def error(self, message: str, line: int | None = None) -> InputError:
        """An error located at the first non-blank character of ``line`` (default: the line being read)."""
        number = min(self.line if line is None else line, len(self.line_starts) - 1)
        start, end = self._line(number)
        text = self.text[start:end]
        return InputError(message, path=self.path, line=number + 1, column=len(text) - len(text.lstrip()) + 1)

    def new_group(self) -> int:
        self._groups += 1
        return self._groups

    # -- content of a block to source -------------------------------------------------------------------

    def _content_map(self, token: Token, kind: str) -> _ContentMap | None:
        if token.map is None:
            return None
        first_line, last_line = token.map
        target = _ContentMap()
        content = token.content
        lines = content.split("\n")
        for index, line in enumerate(lines):
            number = min(first_line + index, max(last_line - 1, first_line), len(self.line_starts) - 1)
            start, end = self._line(number)
            source_line = self.text[start:end]
            if kind == "table-cell":
                cursor = self._row_cursor.get(number, 0)
                found = source_line.find(line, cursor) if line else cursor
                if found >= 0:
                    self._row_cursor[number] = found + len(line)
                    target.add(len(line), start + found)
                else:
                    self._row_cursor[number] = cursor + _align(line, source_line[cursor:], start + cursor,
                                                               target)
            else:
                stripped = source_line.rstrip()
                if source_line.endswith(line):
                    target.add(len(line), end - len(line))
                elif stripped.endswith(line):
                    target.add(len(line), start + len(stripped) - len(line))
                else:
                    after_marker = len(source_line) - len(source_line.lstrip(" \t#"))
                    found = source_line.find(line, after_marker) if kind == "heading" else -1
                    if found >= 0:
                        target.add(len(line), start + found)
                    else:
                        _align(line, source_line, start, target)
            if index + 1 < len(lines):
                target.add(1, end)  # the line break
        return target

    # -- inline tokens to text --------------------------------------------------------------------------

    def _inline(self, token: Token, kind: str) -> tuple[str, _Spans] | None:
        """The visible text of an inline token and where each character comes from (None: no text)."""
        content = token.content
        if not content.strip():
            return None
        content_map = self._content_map(token, kind)
        if content_map is None or content_map.length != len(content):
            raise self.error("cannot map this block's text back to the source; please report this draft")
        parts: list[str] = []
        offsets = _Spans()
        cursor = 0
        links: list[tuple[int, bool]] = []  # (end of the link in the content, is an autolink)
        hidden = 0  # inside an autolink: its text is a URL

        def visible(text: str, start: int, end: int, linear: bool) -> None:
            if not text:
                return
            parts.append(text)
            if linear:
                content_map.copy_linear(offsets, start, end)
            else:
                content_map.copy_atomic(offsets, len(text), start, end)

        for child in token.children or ():
            kind_of = child.type
            span: tuple[int, int] | None = child.meta.get(_SPAN) if child.meta else None
            if kind_of == "text":
                if hidden:
                    continue
                found = content.find(child.content, cursor)
                if found < 0:
                    visible(child.content, cursor, cursor + 1, False)
                    continue
                visible(child.content, found, found + len(child.content), True)
                cursor = found + len(child.content)
            elif span is None:
                continue
            elif kind_of == "text_special":  # an escape or an entity
                if len(child.content) == span[1] - span[0]:  # "\\a" stays "\\a"
                    visible(child.content, span[0], span[1], True)
                elif child.info == "escape" and span[1] - span[0] == len(child.content) + 1:  # "\\*" is "*"
                    visible(child.content, span[0] + 1, span[1], True)
                elif not hidden:
                    visible(child.content, span[0], span[1], False)
                cursor = max(cursor, span[1])
            elif kind_of == "code_inline":
                raw = content[span[0]:span[1]]
                found = raw.find(child.content)
                if found < 0:
                    found = raw.replace("\n", " ").find(child.content)
                if found >= 0:
                    visible(child.content, span[0] + found, span[0] + found + len(child.content), True)
                else:
                    visible(child.content, span[0], span[1], False)
                cursor = max(cursor, span[1])
            elif kind_of in ("softbreak", "hardbreak"):
                newline = content.find("\n", span[0], span[1])
                if newline >= 0:
                    visible("\n", newline, newline + 1, True)
                else:
                    visible("\n", span[0], span[1], False)
                cursor = max(cursor, span[1])
            elif kind_of == "html_inline":
                if child.content.startswith("<!--"):
                    start = content_map.at(span[0])
                    self.comments.append((start, max(content_map.at(span[1] - 1) + 1, start)))
                elif _LINE_BREAK_TAG.match(child.content):
                    visible("\n", span[0], span[1], False)
                cursor = max(cursor, span[1])
            elif kind_of == "link_open":
                autolink = child.markup == "autolink"
                links.append((span[1], autolink))
                hidden += autolink
            elif kind_of == "link_close":
                if links:
                    end, autolink = links.pop()
                    hidden -= autolink
                    cursor = max(cursor, end)
            elif kind_of == "image":  # its alt text is published copy of its own (screen readers, search)
                self._alt(child.content, content, span, content_map)
                cursor = max(cursor, span[1])
            else:  # emphasis markers: nothing visible
                cursor = max(cursor, span[1])

        text = "".join(parts)
        return (text, offsets) if text.strip() else None

    def _alt(self, alt: str, content: str, span: tuple[int, int], content_map: _ContentMap) -> None:
        """Keep an image's alt text as a metadata block, added after the block that holds the image."""
        if not alt.strip():
            return
        offsets = _Spans()
        found = content.find(alt, span[0] + 2, span[1])  # "![" then the alt text, when written plainly
        if found >= 0:
            content_map.copy_linear(offsets, found, found + len(alt))
        else:  # markup or escapes inside the brackets: the text maps onto the whole image
            content_map.copy_atomic(offsets, len(alt), span[0], span[1])
        self._alts.append((alt, offsets))

    def _add_block(self, read: tuple[str, _Spans] | None, kind: str) -> None:
        if read is not None:
            offsets = OffsetMap()
            read[1].replay(offsets)
            self.blocks.append(Block(read[0], offsets, kind))
        self._add_alts()

    def _add_alts(self) -> None:
        """Add the alt texts read with the last block, keeping blocks in source order (an image in a
        table's first cell stands before the row's text)."""
        if not self._alts:
            return
        tail = len(self.blocks) - 1 if self.blocks else 0
        for text, spans in self._alts:
            offsets = OffsetMap()
            spans.replay(offsets)
            self.blocks.append(Block(text, offsets, "metadata"))
        self._alts.clear()
        self.blocks[tail:] = sorted(self.blocks[tail:], key=lambda block: block.source_start)

    def _table_row(self, cells: list[tuple[str, _Spans]], kind: str, group: int) -> None:
        """One block for a row: its non-empty cells joined by " | ", each separator mapped onto the start of
        the cell after it (a finding never starts inside the markup between cells)."""
        if not cells:
            self._add_alts()
            return
        offsets = OffsetMap()
        parts: list[str] = []
        for text, spans in cells:
            if parts:
                start = spans.first_source()
                parts.append(_ROW_SEPARATOR)
                offsets.add(len(_ROW_SEPARATOR), start, start + 1)
            parts.append(text)
            spans.replay(offsets)
        self.blocks.append(Block("".join(parts), offsets, kind, group=group))
        self._add_alts()

    # -- HTML blocks ------------------------------------------------------------------------------------

    def _html_block(self, token: Token) -> None:
        if token.map is None:
            raise self.error("an HTML block without source lines; please report this draft")
        first_line, last_line = token.map
        last_line = min(max(last_line, first_line + 1), len(self.line_starts))
        region_start = self.line_starts[first_line]
        region_end = self._line(last_line - 1)[1]
        # Blank out container prefixes ("> ", list indentation) so the HTML reader sees the HTML only.
        content_lines = token.content.split("\n")
        masked = []
        for index, number in enumerate(range(first_line, last_line)):
            start, end = self._line(number)
            source_line = self.text[start:end]
            line = content_lines[index] if index < len(content_lines) else source_line
            if line != source_line and source_line.endswith(line):
                source_line = " " * (len(source_line) - len(line)) + line
            masked.append(source_line)
        reader = HtmlBlocks("\n".join(masked), region_start).read()
        if len(reader.text) != region_end - region_start:
            raise self.error("cannot map this HTML block back to the source; please report this draft",
                             first_line)
        groups: dict[int, int] = {}  # the HTML reader's group numbers, renumbered to be unique here
        for block in reader.blocks:
            if block.group is not None:
                if block.group not in groups:
                    groups[block.group] = self.new_group()
                block = dataclasses.replace(block, group=groups[block.group])
            self.blocks.append(block)
        self.comments.extend(reader.comments)

    # -- document ---------------------------------------------------------------------------------------

    def _chunk_end(self, start: int, spanning: list[tuple[int, int]],
                   starts: list[int]) -> tuple[int, int | None]:
        """Where the chunk from ``start`` ends at a blank line, and, when that is far, a cut between two lines
        to try first: a long table or list may run for megabytes without a blank line, and a cut between its
        rows or items is confirmed once the chunk is parsed."""
        text = self.text
        search = start + CHUNK_SIZE
        end = len(text)
        while search < len(text):
            split = _CHUNK_END.search(text, search)
            if split is None:
                break
            # The blocks do not overlap: only the last one starting before the split can hold it.
            index = bisect.bisect_left(starts, split.end()) - 1
            if index < 0 or spanning[index][1] <= split.end():
                end = split.end()
                break
            search = spanning[index][1]
        cut = text.find("\n", start + CHUNK_SIZE) + 1
        if end - start <= 2 * CHUNK_SIZE or not cut:
            return end, None
        item = _LIST_ITEM_LINE.search(text, cut, cut + CHUNK_SIZE)
        if item is not None and not _LIST_ITEM_LINE.match(text, cut):
            cut = item.start()  # between two items, if this is a list
        index = bisect.bisect_left(starts, cut) - 1
        if index >= 0 and spanning[index][1] > cut:
            return end, None
        return end, cut

    def _spanning_blocks(self, start: int) -> list[tuple[int, int]]:
        """(start, end) of the blocks that may hold blank lines, in order; no chunk may end inside one."""
        text = self.text
        blocks = []
        while (found := _SPANNING_BLOCK.search(text, start)) is not None:
            kind = str(found.lastgroup)
            if kind == "fence":
                marker = found.group("fence")
                close = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}[ \t]*$", re.MULTILINE)
            elif kind == "raw":
                close = re.compile(rf"</{found.group('raw')}>", re.IGNORECASE)
            else:
                close = re.compile(re.escape(_SPANNING_END[kind]))
            line_end = text.find("\n", found.end()) if kind == "fence" else found.end()
            closing = close.search(text, line_end) if line_end >= 0 else None
            end = closing.end() if closing else len(text)
            blocks.append((found.start(), end))
            start = max(end, found.end())
        return blocks

    def _parse(self, start: int, end: int, env: dict[str, object], header: int | None) -> list[Token]:
        """markdown-it's tokens for ``text[start:end]``, their line maps made those of the whole draft. A
        chunk that carries on a table is parsed after the table's header and delimiter rows (from source line
        ``header``), so markdown-it reads its lines as rows of that table."""
        prefix = ""
        if header is not None:
            prefix = self.text[self.line_starts[header]:self.line_starts[header + 2]]
        with _deep_recursion():
            tokens = _markdown_parser().parse(prefix + self.text[start:end], env)
        first_line = bisect.bisect_right(self.line_starts, start) - 1
        for token in tokens:
            if token.map:
                first, last = token.map
                if header is not None:  # lines 0 and 1 are the header's; the chunk's own lines follow them
                    first = header + first if first < 2 else first_line + first - 2
                    last = header + last if last < 2 else first_line + last - 2
                else:
                    first, last = first + first_line, last + first_line
                token.map = [first, last]
        deepest = max(tokens, key=lambda token: token.level, default=None)
        if deepest is not None and deepest.level >= MAX_NESTING - 1:
            line = next((t.map[0] for t in tokens if t.level >= MAX_NESTING - 1 and t.map), None)
            raise self.error(f"markup is nested more than {MAX_NESTING} levels deep (quotes, lists); "
                             "claimcheck cannot read what is nested below that", line)
        return tokens

    def _open_block(self, tokens: list[Token], end: int) -> int | None:
        """Whether the chunk (ending at ``end``) may be cut there: its last top-level block is a table or a
        list that runs to the cut, and a list's next line starts an item. Gives the line the next chunk
        is parsed after (a table's header line), -1 for a list, or None."""
        closing = tokens[-1].type if tokens else ""
        opening = {"table_close": "table_open", "bullet_list_close": "bullet_list_open",
                   "ordered_list_close": "ordered_list_open"}.get(closing)
        if opening is None:
            return None
        block = next((t for t in reversed(tokens) if t.type == opening and not t.level), None)
        end_line = bisect.bisect_right(self.line_starts, end) - 1
        if block is None or not block.map or block.map[1] != end_line:
            return None
        if opening == "table_open":
            return block.map[0]
        return -1 if _LIST_ITEM_LINE.match(self.text, end) else None

    def _references(self, start: int) -> dict[str, object]:
        """The parse environment, holding every link reference definition of the draft: a chunk may use one
        defined in another. Each definition is parsed with the lines after it, up to a blank line."""
        env: dict[str, object] = {}
        text = self.text
        if len(text) - start <= CHUNK_SIZE:
            return env  # one chunk: markdown-it finds them itself
        parser = _markdown_parser()
        position = start
        while (found := _REFERENCE_DEFINITION.search(text, position)) is not None:
            line_start = text.rfind("\n", 0, found.start()) + 1
            blank = _CHUNK_END.search(text, found.end(), found.end() + 4096)
            end = blank.end() if blank else min(len(text), found.end() + 4096)
            with _deep_recursion():
                parser.block.parse(text[line_start:end], parser, env, [])
            position = max(end, found.end())
        return env

    def read(self) -> None:
        start = 0
        front = read_front_matter(self.source)
        if front is not None:
            self.blocks.extend(front.blocks)
            line_end = self.text.find("\n", front.end)
            start = len(self.text) if line_end < 0 else line_end + 1
        env = self._references(start)
        spanning = self._spanning_blocks(start)
        starts = [block_start for block_start, _ in spanning]
        header: int | None = None  # the header line of a table the last chunk cut
        group: int | None = None
        while start < len(self.text):
            end, cut = self._chunk_end(start, spanning, starts)
            tokens = self._parse(start, cut or end, env, header)
            carried = self._open_block(tokens, cut) if cut else None
            if carried is not None and cut:
                end = cut
            elif cut:  # not a table's rows or a list's items after all: read on to the blank line
                tokens = self._parse(start, end, env, header)
            group = self._read_tokens(tokens, group if header is not None else None)
            self._row_cursor.clear()
            del tokens
            header = carried if carried is not None and carried >= 0 else None
            start = end

    def _read_tokens(self, tokens: list[Token], continued: int | None) -> int | None:
        """Read a chunk's tokens into blocks; return the group of its last table. ``continued`` is the group
        of the table the chunk carries on, whose header rows were parsed again and are not read twice."""
        containers: list[str] = []
        row: list[tuple[str, _Spans]] | None = None
        in_header = False
        group: int | None = None
        for token in tokens:
            if token.map:
                self.line = token.map[0]
            kind = _CONTAINER_KINDS.get(token.type)
            if kind is not None:
                containers.append(kind)
            elif token.nesting < 0 and token.type.replace("_close", "_open") in _CONTAINER_KINDS:
                if containers:
                    containers.pop()
            elif token.type == "inline":
                kind = containers[-1] if containers else "paragraph"
                if row is not None and in_header and continued is not None:
                    continue  # the carried-on table's header, read with the chunk before
                read = self._inline(token, kind)
                if row is not None:
                    if read is not None:
                        row.append(read)
                else:
                    self._add_block(read, kind)
            elif token.type == "html_block":
                self._html_block(token)
            elif token.type == "table_open":
                group = continued if continued is not None else self.new_group()
            elif token.type == "table_close":
                continued = None
            elif token.type in ("thead_open", "thead_close"):
                in_header = token.type == "thead_open"
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close" and row is not None and group is not None:
                self._table_row(row, "table-header" if in_header else "table-row", group)  # no cells: no row
                row = None
        return group


def read_markdown(path: str, source: str) -> Document:
    """Read a Markdown draft; raises :class:`InputError` (located) for what it cannot read."""
    reader = _Reader(path, source)
    collecting = gc.isenabled()
    gc.disable()  # markdown-it's tokens make no cycles; full collections over the blocks cost a third
    try:
        reader.read()
    except InputError:
        raise
    except RecursionError:
        raise reader.error("markup is nested too deeply to read") from None
    except Exception as exc:  # a bug here must not pass a draft unread: name it, at the line being read
        raise reader.error(f"cannot read this Markdown ({type(exc).__name__}: {exc}); please report this "
                           "draft") from exc
    finally:
        if collecting:
            gc.enable()
    comments = [Comment(source[start:end], start, end) for start, end in sorted(set(reader.comments))]
    return Document(path=path, source=source, format="markdown", blocks=reader.blocks, comments=comments)
