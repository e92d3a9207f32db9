"""Where a fix may write in a draft, and how the text it writes is escaped for the draft's format.

Rules know blocks; fixes need source offsets that respect the markup. An :class:`Editor` answers three
questions for one document:

- :meth:`Editor.append_to_block`: where text added to the end of a block goes. Plain text and Markdown: at
  the end of the block's last line (after closing emphasis, links and inline code, before the closing
  ``#`` of a heading); HTML: before the block's closing tag (``</p>``, ``</li>``, ``</td>``…), after the
  inline elements that end with the text; a table row gets a ``<caption>`` (or its caption, the text).
- :meth:`Editor.append_paragraph`: where a new final paragraph goes. Plain text and Markdown: after the
  last paragraph, never inside front matter; HTML: before the end of ``<main>``, else of the last
  ``<article>``, else before ``</body>``, else at the end.
- :meth:`Editor.replace`: a replacement of block text, only where that text stands in the source as it is
  (no markup or entity inside it).

Each answers None where no edit can keep the markup intact (a Markdown table cell, front matter, an image's
alt text): the fix is then shown, not applied. Inserted text is escaped (``*``, ``_``, ``<``… in Markdown;
``&``, ``<`` in HTML, and quotes inside attributes) and uses the draft's line ending.
"""

from __future__ import annotations

import regex

from claimcheck.documents.base import Block, Document
from claimcheck.model import Edit

# HTML inline elements a block's text may end inside: an insertion goes after their end tags.
_INLINE_END = regex.compile(
    r"(?:\s|</(?:a|abbr|b|bdi|bdo|cite|code|data|dfn|em|font|i|kbd|mark|q|s|samp|small|span|strong|sub|"
    r"sup|time|u|var)\s*>)*", regex.IGNORECASE)
_HTML_END = {tag: regex.compile(rf"</{tag}\s*>", regex.IGNORECASE) for tag in ("main", "article", "body")}
_TABLE_START = regex.compile(r"<table\b[^>]*>", regex.IGNORECASE)
_ATX_CLOSE = regex.compile(r"[ \t]+#+[ \t]*$")
_MARKDOWN_SPECIAL = regex.compile(r"([\\`*_\[\]<>#|~])")
# Markdown blocks whose text no edit can extend without breaking the markup.
_MARKDOWN_FIXED_KINDS = frozenset({"table-row", "table-header", "metadata"})


class Editor:
    """Edits for one document (see the module docstring)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.source = document.source
        self.newline = "\r\n" if "\r\n" in self.source else "\n"

    def escape(self, text: str, in_attribute: bool = False) -> str:
        """``text`` as it must be written into the draft to read as ``text``."""
        fmt = self.document.format
        if fmt == "markdown":
            return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
        if fmt == "html":
            text = text.replace("&", "&amp;").replace("<", "&lt;")
            return text.replace('"', "&quot;").replace("'", "&#39;") if in_attribute else text
        return text

    def append_to_block(self, index: int, text: str) -> Edit | None:
        """An edit adding ``text`` (a sentence) after the last sentence of block ``index``."""
        block = self.document.blocks[index]
        if not block.text.strip():
            return None
        fmt = self.document.format
        if fmt == "html":
            return self._append_html(block, text)
        if fmt == "markdown" and block.kind in _MARKDOWN_FIXED_KINDS:
            return None
        at = self._line_end(block.source_end)
        if fmt == "markdown" and block.kind == "heading":
            line_start = self.source.rfind("\n", 0, at) + 1
            close = _ATX_CLOSE.search(self.source, line_start, at)
            if close is not None:
                at = close.start()
        return Edit(at, at, " " + self.escape(text))

    def _line_end(self, offset: int) -> int:
        """The end of the line holding ``offset - 1``, before trailing white space."""
        end = self.source.find("\n", offset)
        end = len(self.source) if end == -1 else end
        while end > offset and self.source[end - 1] in " \t\r":
            end -= 1
        return end

    def _append_html(self, block: Block, text: str) -> Edit | None:
        source, end = self.source, block.source_end
        if block.kind == "metadata":
            in_attribute = end < len(source) and source[end] in "\"'"
            return Edit(end, end, " " + self.escape(text, in_attribute))
        if block.kind in ("table-row", "table-header"):
            return self._caption(block, text)
        inline_end = _INLINE_END.match(source, end)  # never None: the pattern matches empty text
        at = inline_end.end() if inline_end is not None else end
        while at > end and source[at - 1].isspace():  # keep the white space before the closing tag
            at -= 1
        return Edit(at, at, " " + self.escape(text))

    def _caption(self, row: Block, text: str) -> Edit | None:
        """A table's claim is qualified by its caption: add the text to the caption, or add a caption."""
        if row.group is None:
            return None
        caption = next((b for b in self.document.blocks if b.group == row.group and b.kind == "caption"
                        and b.visible and b.text.strip()), None)
        if caption is not None:
            return self._append_html(caption, text)
        first = min(b.source_start for b in self.document.blocks if b.group == row.group)
        tables = list(_TABLE_START.finditer(self.source, 0, first))
        if not tables:
            return None
        at = tables[-1].end()
        return Edit(at, at, f"<caption>{self.escape(text)}</caption>")

    def append_paragraph(self, text: str) -> Edit:
        """An edit adding ``text`` as a new final paragraph of the document."""
        if self.document.format == "html":
            return self._html_paragraph(text)
        source = self.source
        end = len(source.rstrip())
        if end == 0:
            return Edit(0, 0, self.escape(text) + self.newline)
        # Front matter ends where the first block can start: a document of front matter alone gets its
        # paragraph after it, which the stripped end already is.
        return Edit(end, end, self.newline * 2 + self.escape(text))

    def _html_paragraph(self, text: str) -> Edit:
        source = self.source
        for tag in ("main", "article", "body"):
            ends = list(_HTML_END[tag].finditer(source))
            if ends and self._outside_comments(ends[-1].start()):
                at = ends[-1].start()
                line_start = source.rfind("\n", 0, at) + 1
                indent = source[line_start:at]
                if indent.strip():  # the end tag follows text on its line
                    return Edit(at, at, f"<p>{self.escape(text)}</p>")
                return Edit(line_start, line_start, f"{indent}  <p>{self.escape(text)}</p>{self.newline}")
        end = len(source.rstrip())
        return Edit(end, end, f"{self.newline}<p>{self.escape(text)}</p>")

    def _outside_comments(self, offset: int) -> bool:
        return not any(c.start <= offset < c.end for c in self.document.comments) and \
            self.source.rfind("<!--", 0, offset) <= self.source.rfind("-->", 0, offset)

    def replace(self, index: int, start: int, end: int, text: str) -> Edit | None:
        """An edit replacing ``block.text[start:end]`` with ``text``, or None when that text does not stand
        in the source as it is (markup or an entity inside it)."""
        block = self.document.blocks[index]
        source_start, source_end = block.offsets.start(start), block.offsets.end(end)
        if self.source[source_start:source_end] != block.text[start:end]:
            return None
        return Edit(source_start, source_end, self.escape(text))

    def delete(self, start: int, end: int) -> Edit:
        """An edit deleting ``source[start:end]``, and its line when nothing else stands on it."""
        source = self.source
        line_start = source.rfind("\n", 0, start) + 1
        line_end = source.find("\n", end)
        line_end = len(source) if line_end == -1 else line_end
        if not source[line_start:start].strip() and not source[end:line_end].strip():
            return Edit(line_start, min(line_end + 1, len(source)), "")
        return Edit(start, end, "")
