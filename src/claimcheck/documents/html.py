"""HTML drafts, read as a visitor reads the rendered page.

Prose blocks are the text of ``p``, ``li``, headings, ``blockquote``, captions, ``dt``/``dd``, ``summary`` and
the like; text standing directly in ``body``, ``div``, ``section``… becomes blocks too, split at block-level
tags. Inline tags (``strong``, ``a``, ``span``…) do not break a sentence. Character references are decoded
(each as one atomic offset segment, so a finding still points at ``&#8209;`` in the file) and runs of HTML
white space collapse to one space that maps onto the first white-space character of the run. ``script``,
``style``, ``template``, ``noscript``, ``pre``, ``select``, ``textarea`` and a few other non-prose elements
are skipped. Every ``<!-- comment -->`` becomes a :class:`Comment`, in source order.

**What a browser shows is read**: the fallback content of ``<object>``, ``<map>``, ``<xmp>`` and
``<plaintext>`` (raw text, the latter to the end of the file), SVG ``<text>`` (a block each) and
``<foreignObject>``, MathML ``<mtext>`` (inline, in its paragraph). A self-closing ``<pre/>`` opens nothing,
and a block-level tag inside an unclosed ``<pre>`` ends the skipped code, so neither hides the page.

**Published metadata** is copy: the ``<title>``, ``<meta>`` description and Open Graph / Twitter title and
description, and the ``alt`` text of ``<img>`` and ``<area>`` are blocks of kind ``metadata``, their text
mapped into the element or attribute value (references decoded atomically, by the attribute rules).

**Tables**: each ``<tr>`` is one block of kind ``table-row`` (``table-header`` for a row in ``<thead>`` or one
made only of ``<th>`` cells, none of them ``scope="row"``), its non-empty cells joined by `` | ``; the
separator is one atomic segment mapped onto the first character of the next cell (as in Markdown). Block-level
elements inside a cell (``<td><p>94%</p>``) do not split the row. All rows of a table and its ``<caption>``
share one ``group``; a ``<figure>`` and everything in it (its ``<figcaption>``, a table in it) share one too;
a table nested in a cell has its own, and its rows are blocks of their own while the enclosing row goes on
after it. A group id is the source offset of the ``<table``/``<figure`` tag, so ids are unique in a document.

**Hidden text** (see :mod:`~claimcheck.documents.html_hiding`; also ``<del>``, a closed ``<details>`` apart
from its ``<summary>``, and a ``<dialog>`` without ``open``) becomes blocks with ``visible=False``. Text
hidden inside a visible block is taken *out* of it: ``<p>80% improved. <span hidden>Individual results
vary.</span></p>`` gives the visible block "80% improved." and a hidden block "Individual results vary.",
so the hidden qualifier cannot satisfy the claim beside it (marking the whole paragraph visible would let it;
marking it hidden would stop the visible paragraph's own qualifier from counting), the visible text reads as
the page shows it, and every character keeps its exact offset. Both share a ``group`` (the table's or
figure's, else one of their own: the offset of the visible block's first character), so a visible qualifier
still covers a claim in the hidden part, which is linted like any other. Blocks are returned in source order.

Why a small tokenizer of our own rather than :class:`html.parser.HTMLParser`: the standard-library parser
is quadratic on unterminated markup (on Python 3.11, 10,000 unclosed ``<!--`` take about 6 s and 40,000
about a minute; 10,000 unclosed ``<a x='`` about 40 s), its error recovery differs between Python patch
releases, and it reports only the start of each event. The tokenizer below follows the WHATWG tokenization
rules for the states that matter to prose (data, tags and attributes, comments, bogus comments, raw text,
character references), reports exact start and end offsets, and reads every character a bounded number of
times; the tree builder keeps a stack of open elements where every element is pushed and popped once, so any
input is read in linear time and never raises.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.entities import html5

from claimcheck.documents.base import Block, Comment, Document, OffsetMap
from claimcheck.documents.html_hiding import GONE, NOTHING, RESTORABLE, HidingRules, attribute_value, effect

# Element name -> block kind. Any other block-level element (div, section, body…) gives "paragraph", and an
# inline element the kind of its parent. Table cells give the kind of their row.
BLOCK_KINDS = {
    "p": "paragraph",
    "li": "list-item",
    **{f"h{level}": "heading" for level in range(1, 7)},
    "tr": "table-row",
    "blockquote": "blockquote",
    "figcaption": "caption",
    "caption": "caption",
    "legend": "caption",
    "dt": "term",
    "dd": "definition",
    "summary": "summary",
}
# Tags that start or end a block: text never runs across them (inside a table row, only row boundaries do).
BLOCK_TAGS = frozenset(BLOCK_KINDS) | {
    "address", "article", "aside", "body", "center", "colgroup", "details", "dialog", "dir", "div", "dl",
    "fieldset", "figure", "footer", "form", "frameset", "head", "header", "hgroup", "hr", "html", "listing",
    "main", "menu", "nav", "ol", "optgroup", "option", "plaintext", "pre", "search", "section", "table",
    "tbody", "td", "template", "tfoot", "th", "thead", "ul", "xmp",
}
_CELLS = frozenset({"td", "th"})
_LAYOUT_PARTS = frozenset({"tr", "td", "th", "tbody", "thead", "tfoot", "caption", "colgroup", "col"})
# Inside a row, only these tags end the row's block (a <p> or <div> in a cell does not).
_ROW_BOUNDARIES = frozenset({"table", "tr", "thead", "tbody", "tfoot", "caption", "colgroup"})
# Elements whose content is not prose. Raw-text elements (script, style…) are skipped by the tokenizer.
SKIPPED = frozenset({"head", "template", "noscript", "pre", "svg", "math", "select", "canvas", "audio",
                     "video"})
# Foreign elements honour "/>" (an inline <svg … /> icon opens nothing).
FOREIGN = frozenset({"svg", "math"})
# The parts of foreign content a browser shows as text: foreign root -> elements that are read.
_SHOWN_IN_FOREIGN = {"svg": frozenset({"text", "foreignobject"}), "math": frozenset({"mtext"})}
_FOREIGN_BLOCKS = frozenset({"text", "foreignobject"})
# Elements whose content the tokenizer reads as raw text up to the matching end tag.
RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen"})
# Elements allowed in <head>; any other start tag (or visible text) implicitly closes an unclosed head.
HEAD_CONTENT = frozenset({"base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style",
                          "template", "title", "head"})
# Published metadata: <meta name=…> / <meta property=…> values whose content is shown to readers.
METADATA_NAMES = frozenset({"description", "og:title", "og:description", "twitter:title",
                            "twitter:description"})
# Start tags that implicitly close the nearest open block-level element when it is one of these (a
# simplified tree builder); any other block-level start tag closes an open <p>.
_P = frozenset({"p"})
_HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
_TABLE_SECTION = frozenset({"p", "td", "th", "tr", "thead", "tbody", "tfoot", "caption"})
IMPLIED_CLOSE = {
    "li": frozenset({"p", "li"}),
    "dt": frozenset({"p", "dt", "dd"}),
    "dd": frozenset({"p", "dt", "dd"}),
    "td": frozenset({"p", "td", "th"}),
    "th": frozenset({"p", "td", "th"}),
    "tr": frozenset({"p", "td", "th", "tr", "caption"}),
    "thead": _TABLE_SECTION,
    "tbody": _TABLE_SECTION,
    "tfoot": _TABLE_SECTION,
    "caption": _TABLE_SECTION,
    **{heading: _P | _HEADINGS for heading in _HEADINGS},
}
_CLOSES_NOTHING = frozenset({"body", "html", "head", "template"})

_WHITESPACE = "\t\n\f\r "
_TEXT = re.compile(r"[^<&]+")
_RUNS = re.compile(r"[\t\n\f\r ]+|[^\t\n\f\r ]+")
_COLLAPSED_SPACE = re.compile(r"[\t\n\f\r ]{2,}|[\t\n\f\r]")  # white space that is not one " "
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_BEFORE_ATTRIBUTE = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />=]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*)(;?)")
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9A-Fa-f]+)|0*([0-9]+));?")
_STYLE_START = re.compile(r"<style(?=[\t\n\f\r />])", re.IGNORECASE)
_LONGEST_ENTITY = max(len(name) for name in html5)
_ROW_SEPARATOR = " | "
_raw_text_end: dict[str, re.Pattern[str]] = {}

Attributes = dict[str, tuple[int, int]]


def _raw_text_end_pattern(name: str) -> re.Pattern[str]:
    pattern = _raw_text_end.get(name)
    if pattern is None:
        pattern = _raw_text_end[name] = re.compile(f"</{re.escape(name)}(?=[\t\n\f\r />]|$)", re.IGNORECASE)
    return pattern


def _is_ascii_letter(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _run_end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where the run of ``pattern`` at ``pos`` ends. The run patterns match the empty string, or the caller
    has seen a character they accept, so they always match."""
    match = pattern.match(text, pos)
    assert match is not None, pattern.pattern
    return match.end()


def _tag_end(source: str, pos: int, attributes: Attributes | None = None) -> tuple[int, bool]:
    """Scan the attributes after a tag name at ``pos``: (offset after ``>``, self-closing), or (-1, False)
    when the file ends inside the tag (the tag is then dropped, as browsers do). Each attribute's value span
    is recorded in ``attributes`` under its lower-case name (the first of duplicates wins, as in browsers)."""
    length = len(source)
    while True:
        gap_start = pos
        pos = _run_end(_BEFORE_ATTRIBUTE, source, pos)
        if pos >= length:
            return -1, False
        if source[pos] == ">":
            return pos + 1, pos > gap_start and source[pos - 1] == "/"
        name_start = pos
        pos = _run_end(_ATTRIBUTE_NAME, source, pos + 1)  # the first character may even be "="
        name_end = pos
        value = (pos, pos)
        pos = _run_end(_SPACES, source, pos)
        if pos < length and source[pos] == "=":
            pos = _run_end(_SPACES, source, pos + 1)
            if pos >= length:
                return -1, False
            quote = source[pos]
            if quote in "\"'":
                close = source.find(quote, pos + 1)
                if close < 0:
                    return -1, False
                value = (pos + 1, close)
                pos = close + 1
            elif quote != ">":
                value = (pos, _run_end(_UNQUOTED, source, pos))
                pos = value[1]
        if attributes is not None:
            attributes.setdefault(source[name_start:name_end].lower(), value)


def _numeric_reference(match: re.Match[str]) -> str:
    hex_digits, digits = match.group(1), match.group(2)
    number = hex_digits or digits or "0"
    if len(number) > 7:  # beyond U+10FFFF (and too long for int()): the replacement character
        return "\ufffd"
    code = int(number, 16 if hex_digits else 10)
    return html.unescape(f"&#{code};")


def _named_reference(match: re.Match[str]) -> tuple[str, int]:
    """(decoded text, source length consumed) of ``&name;`` by the HTML longest-prefix rule."""
    name, semicolon = match.group(1), match.group(2)
    if semicolon and name + ";" in html5:
        return html5[name + ";"], len(name) + 2
    for size in range(min(len(name), _LONGEST_ENTITY), 1, -1):
        value = html5.get(name[:size])  # legacy references without ";" (&amp &copy &nbsp…)
        if value is not None:
            return value, size + 1
    return "", 0


def _reference(text: str, pos: int, end: int, in_attribute: bool) -> tuple[str, int]:
    """(decoded text, offset after it) of the character reference at ``pos`` ("&" itself when there is
    none). In an attribute value a legacy reference followed by "=" or a letter or digit is not one."""
    match = _NUMERIC_REFERENCE.match(text, pos, end)
    if match:
        return _numeric_reference(match), match.end()
    match = _NAMED_REFERENCE.match(text, pos, end)
    if match:
        decoded, size = _named_reference(match)
        after = pos + size
        if size and not (in_attribute and text[after - 1] != ";" and after < end
                         and (text[after].isalnum() or text[after] == "=")):
            return decoded, after
    return "&", pos + 1


def _hiding_rules(text: str) -> HidingRules:
    """The simple hiding rules of every ``<style>`` element of the page (a rule may follow what it hides)."""
    rules = HidingRules()
    pos = 0
    while True:
        match = _STYLE_START.search(text, pos)
        if match is None:
            return rules
        tag_end = text.find(">", match.end())
        if tag_end < 0:
            return rules
        close = _raw_text_end_pattern("style").search(text, tag_end + 1)
        content_end = close.start() if close else len(text)
        rules.add_style_sheet(text[tag_end + 1:content_end])
        pos = content_end


class _Buffer:
    """The text of one block being built, with its offsets."""

    __slots__ = ("cell", "group", "kind", "offsets", "parts", "space")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offsets = OffsetMap()
        self.space: int | None = None  # offset of the first white-space character of a pending run
        self.cell = -1  # the table cell that gave the last text (a new one is joined with " | ")
        self.kind = "paragraph"
        self.group: int | None = None

    def append(self, text: str, start: int, end: int) -> None:
        self.parts.append(text)
        self.offsets.add(len(text), start, end)

    def white_space(self, start: int) -> None:
        if self.parts and self.space is None:
            self.space = start


@dataclass(slots=True)
class _Context:
    """The block being read between two block boundaries: its shown text and the hidden parts of it."""

    shown: _Buffer = field(default_factory=_Buffer)
    unseen: _Buffer = field(default_factory=_Buffer)
    done: list[_Buffer] = field(default_factory=list)  # hidden parts already ended
    row: bool = False
    header: bool = False  # a row in <thead>
    column_headers: bool = True  # every cell so far is a <th> that heads a column
    cells: int = 0
    cell: int = -1  # serial of the current cell


@dataclass(slots=True)
class _Open:
    """An open element."""

    name: str
    kind: str  # the block kind of text inside it
    visible: bool  # whether text inside it is shown
    hidden_by: frozenset[str]  # why not (see html_hiding), apart from a closed <details>
    closed: bool  # inside the content of a closed <details>
    summary_closed: bool  # what a <summary> child is (a closed <details> still shows its summary)
    group: int | None
    figure_group: bool  # the group is a figure's (a table directly inside shares it)
    in_row: bool
    in_thead: bool
    last_block: int  # index of the nearest block-level element at or below it (-1: none)
    saved: _Context | None = None  # the enclosing row, put aside while a table nested in its cell is read


class HtmlBlocks:
    """Tokenizes HTML and builds prose blocks. Offsets are relative to ``text`` plus ``base``, so a caller
    (the Markdown reader) can read an HTML region of a larger file."""

    def __init__(self, text: str, base: int = 0) -> None:
        self.text = text
        self.base = base
        self.blocks: list[Block] = []
        self.comments: list[tuple[int, int]] = []
        self._rules = _hiding_rules(text)
        # Open elements, and for each name the indexes where it is open.
        self._open: list[_Open] = []
        self._indexes: dict[str, list[int]] = {}
        # Open non-prose elements (name, whether text inside is skipped, size of ``_open`` below it).
        self._skipped: list[tuple[str, bool, int]] = []
        self._skipped_counts: dict[str, int] = {}
        self._ctx = _Context()
        self._cells = 0
        self._tables: list[bool] = []  # open tables, innermost last: whether each lays the page out

    # -- blocks -----------------------------------------------------------------------------------------

    def _shown_here(self) -> bool:
        return self._open[-1].visible if self._open else True

    def _block(self, buffer: _Buffer, kind: str, visible: bool, group: int | None) -> None:
        self.blocks.append(Block("".join(buffer.parts), buffer.offsets, kind, visible, group))

    def _flush(self) -> None:
        ctx = self._ctx
        if not (ctx.shown.parts or ctx.unseen.parts or ctx.done or ctx.row):
            return
        hidden = ctx.done + [ctx.unseen] if ctx.unseen.parts else ctx.done
        shown = ctx.shown if ctx.shown.parts else None
        header = ctx.row and (ctx.header or (ctx.column_headers and ctx.cells > 0))
        if shown is not None:
            group = shown.group
            if hidden and group is None:
                group = shown.offsets.start(0)  # one qualifier scope for the block and its hidden parts
            self._block(shown, "table-header" if header and shown.kind == "table-row" else shown.kind, True,
                        group)
        else:
            group = None
        for buffer in hidden:
            kind = "table-header" if header and buffer.kind == "table-row" else buffer.kind
            self._block(buffer, kind, False, group if shown is not None else buffer.group)
        self._ctx = _Context()

    def _emit(self, text: str, start: int, end: int) -> None:
        """Append non-space text that comes from ``text[start:end]`` (relative offsets)."""
        ctx = self._ctx
        buffer = ctx.shown if self._shown_here() else ctx.unseen
        if not buffer.parts:
            if self._open:
                buffer.kind, buffer.group = self._open[-1].kind, self._open[-1].group
        elif buffer.cell != ctx.cell:  # a new cell: the separator maps onto its first character
            buffer.offsets.add(len(_ROW_SEPARATOR), self.base + start, self.base + start + 1)
            buffer.parts.append(_ROW_SEPARATOR)
        elif buffer.space is not None:
            buffer.append(" ", self.base + buffer.space, self.base + buffer.space + 1)
        buffer.space = None
        buffer.cell = ctx.cell
        buffer.append(text, self.base + start, self.base + end)

    def _white_space(self, start: int) -> None:
        ctx = self._ctx
        (ctx.shown if self._shown_here() else ctx.unseen).white_space(start)

    def _text_block(self, start: int, end: int, kind: str, visible: bool, group: int | None,
                    in_attribute: bool) -> None:
        """A block of its own (a title, an attribute value) from ``text[start:end]``, references decoded."""
        text = self.text
        buffer = _Buffer()
        pos = start
        while pos < end:
            amp = text.find("&", pos, end)
            stop = end if amp < 0 else amp
            for run in _RUNS.finditer(text, pos, stop):
                if text[run.start()] in _WHITESPACE:
                    buffer.white_space(run.start())
                else:
                    self._append_to(buffer, run.group(), run.start(), run.end())
            if amp < 0:
                break
            decoded, pos = _reference(text, amp, end, in_attribute)
            if decoded.strip(_WHITESPACE):
                self._append_to(buffer, decoded, amp, pos)
            elif decoded:
                buffer.white_space(amp)
        if buffer.parts:
            self._block(buffer, kind, visible, group)

    def _append_to(self, buffer: _Buffer, text: str, start: int, end: int) -> None:
        if buffer.parts and buffer.space is not None:
            buffer.append(" ", self.base + buffer.space, self.base + buffer.space + 1)
        buffer.space = None
        buffer.append(text, self.base + start, self.base + end)

    def _skipping(self) -> bool:
        return bool(self._skipped) and self._skipped[-1][1]

    def _readable(self) -> bool:
        """Whether visible (non-space) text may be read here; such text ends an unclosed <head>."""
        if not self._skipping():
            return True
        if len(self._skipped) == 1 and self._skipped[0][0] == "head":
            self._close_skipped("head")
            return True
        return False

    def _metadata_readable(self) -> bool:
        return not self._skipped or (len(self._skipped) == 1 and self._skipped[0][0] == "head")

    def _data(self, start: int, end: int) -> None:
        text = self.text
        if not text[start:end].strip(_WHITESPACE):
            if not self._skipping():
                self._white_space(start)
            return
        if not self._readable():
            return
        # Words separated by single spaces map one-to-one onto the source: emit them in one piece.
        pos = start
        for gap in _COLLAPSED_SPACE.finditer(text, start, end):
            if gap.start() > pos:
                self._words(pos, gap.start())
            self._white_space(gap.start())
            pos = gap.end()
        if pos < end:
            self._words(pos, end)

    def _words(self, start: int, end: int) -> None:
        """Emit ``text[start:end]``: words with single spaces between them, maybe one at either end."""
        text = self.text
        if text[start] == " ":
            self._white_space(start)
            start += 1
        trailing = end > start and text[end - 1] == " "
        if trailing:
            end -= 1
        if end > start:
            self._emit(text[start:end], start, end)
        if trailing:
            self._white_space(end)

    def _character_reference(self, pos: int) -> int:
        decoded, end = _reference(self.text, pos, len(self.text), in_attribute=False)
        if end == pos + 1:  # a lone "&" is text
            self._data(pos, end)
        elif not decoded.strip(_WHITESPACE):
            if not self._skipping():
                self._white_space(pos)
        elif self._readable():
            self._emit(decoded, pos, end)
        return end

    # -- metadata ---------------------------------------------------------------------------------------

    def _meta(self, attributes: Attributes) -> None:
        content = attributes.get("content")
        if content is None:
            return
        for key in ("name", "property"):
            value = attribute_value(self.text, attributes.get(key))
            if value is not None and value.strip().lower() in METADATA_NAMES:
                self._text_block(*content, "metadata", True, None, in_attribute=True)
                return

    def _alt(self, name: str, attributes: Attributes) -> None:
        alt = attributes.get("alt")
        if alt is None:
            return
        parent = self._open[-1] if self._open else None
        hides, shows = effect(name, attributes, self.text, self._rules)
        hidden_by = (parent.hidden_by - (shows & RESTORABLE) if parent else NOTHING) | hides
        visible = not hidden_by and not (parent is not None and parent.closed)
        self._text_block(*alt, "metadata", visible, parent.group if parent else None, in_attribute=True)

    # -- tree ---------------------------------------------------------------------------------------------

    def _push(self, name: str, attributes: Attributes, block: bool, start: int,
              saved: _Context | None = None) -> None:
        parent = self._open[-1] if self._open else None
        index = len(self._open)
        if parent is not None and not block and not attributes and name != "del":
            # Most elements are plain inline ones (b, a, span…): they change nothing but the name.
            self._open.append(_Open(name, parent.kind, parent.visible, parent.hidden_by, parent.closed,
                                    parent.closed, parent.group, parent.figure_group, parent.in_row,
                                    parent.in_thead, parent.last_block))
            self._indexes.setdefault(name, []).append(index)
            return
        hidden_by, closed = (parent.hidden_by, parent.closed) if parent else (NOTHING, False)
        if name == "summary" and parent is not None and parent.name == "details":
            closed = parent.summary_closed
        if attributes:
            hides, shows = effect(name, attributes, self.text, self._rules)
            hidden_by = (hidden_by - (shows & RESTORABLE)) | hides
        if name == "del" or (name == "dialog" and "open" not in attributes):
            hidden_by = hidden_by | {GONE}
        summary_closed = closed
        if name == "details" and "open" not in attributes:
            closed = True
        visible = not hidden_by and not closed
        kind = BLOCK_KINDS.get(name) or (parent.kind if parent else "paragraph")
        group, figure_group = (parent.group, parent.figure_group) if parent else (None, False)
        if name == "figure":
            group, figure_group = self.base + start, True
        elif name == "table":
            if not figure_group:
                group = self.base + start
            figure_group = False
        in_row = name == "tr" or (parent is not None and parent.in_row and name not in ("table", "caption"))
        in_thead = name == "thead" or (parent is not None and parent.in_thead
                                       and name not in ("table", "tbody", "tfoot"))
        last_block = index if block else (parent.last_block if parent else -1)
        self._open.append(_Open(name, kind, visible, hidden_by, closed, summary_closed, group, figure_group,
                                in_row, in_thead, last_block, saved))
        self._indexes.setdefault(name, []).append(index)

    def _pop(self) -> None:
        entry = self._open.pop()
        self._indexes[entry.name].pop()
        if entry.saved is not None:  # a nested table ends: the enclosing row goes on
            self._flush()
            self._ctx = entry.saved
        elif not entry.visible and self._shown_here():  # a hidden part ends: a block of its own
            ctx = self._ctx
            if ctx.unseen.parts:
                ctx.done.append(ctx.unseen)
                ctx.unseen = _Buffer()

    def _pop_to(self, name: str) -> None:
        indexes = self._indexes.get(name)
        if indexes:
            target = indexes[-1]
            while len(self._open) > target:
                self._pop()

    def _close_implied(self, closes: frozenset[str]) -> None:
        while self._open:
            index = self._open[-1].last_block
            if index < 0 or self._open[index].name not in closes:
                return
            while len(self._open) > index:
                self._pop()

    def _push_skipped(self, name: str, skipping: bool, depth: int) -> None:
        self._skipped.append((name, skipping, depth))
        self._skipped_counts[name] = self._skipped_counts.get(name, 0) + 1

    def _close_skipped(self, name: str) -> None:
        if not self._skipped_counts.get(name):
            return
        depth = len(self._open)
        flush = False
        while self._skipped:
            top, skipping, depth = self._skipped.pop()
            self._skipped_counts[top] -= 1
            flush = flush or (not skipping and top in _FOREIGN_BLOCKS)
            if top == name:
                break
        if flush:
            self._flush()
        while len(self._open) > depth:
            self._pop()

    def _start_tag(self, name: str, start: int, end: int, self_closing: bool, attributes: Attributes) -> None:
        if self._skipping():
            top = self._skipped[-1][0]
            if len(self._skipped) == 1 and top == "head" and name not in HEAD_CONTENT:
                self._close_skipped("head")  # body content implicitly ends an unclosed head
            elif top in ("pre", "listing") and name in BLOCK_TAGS:
                self._close_skipped(top)  # a block inside <pre> is page structure, not code
            else:
                if name == "meta" and self._metadata_readable():
                    self._meta(attributes)
                elif name in _SHOWN_IN_FOREIGN.get(top, ()) and not self_closing:
                    if name in _FOREIGN_BLOCKS:
                        self._flush()
                    self._push_skipped(name, False, len(self._open))
                    self._push(name, attributes, name in _FOREIGN_BLOCKS, start)
                elif name in SKIPPED and name not in VOID and not (self_closing and name in FOREIGN):
                    self._push_skipped(name, True, len(self._open))
                return
        name = self._layout_name(name, attributes)
        if name == "br":
            self._white_space(start)
            return
        if name == "meta":
            self._meta(attributes)
            return
        if name in ("img", "area"):
            self._alt(name, attributes)
            return
        if self_closing and (name in FOREIGN or name == "pre" or (self._skipped and not self._skipping())):
            return  # an inline <svg/> icon, an empty <pre/>, or an element in SVG text: nothing opens
        if name in BLOCK_TAGS:
            self._block_start(name, start, end, attributes)
        elif name not in VOID:
            self._push(name, attributes, False, start)
        if name in SKIPPED:  # closing it later pops the element and whatever opened inside it
            opened = bool(self._open) and self._open[-1].name == name
            self._push_skipped(name, True, len(self._open) - 1 if opened else len(self._open))

    def _block_start(self, name: str, start: int, end: int, attributes: Attributes) -> None:
        top = self._open[-1] if self._open else None
        in_row = top is not None and top.in_row
        if name in _CELLS:
            if not in_row:
                self._block_start("tr", start, start, {})  # a cell outside a row opens one
            self._close_implied(IMPLIED_CLOSE[name])
            self._cells += 1
            ctx = self._ctx
            ctx.cell = self._cells
            ctx.cells += 1
            scope = attribute_value(self.text, attributes.get("scope"))
            # A <th> in a row of <th> cells heads its column unless it says scope="row" (the HTML table
            # model's "auto" scope); a <td> makes the row a data row.
            if name != "th" or (scope or "").strip().lower() in ("row", "rowgroup"):
                ctx.column_headers = False
            self._push(name, attributes, True, start)
            return
        closes = frozenset() if name in _CLOSES_NOTHING else IMPLIED_CLOSE.get(name, _P)
        if in_row and name not in _ROW_BOUNDARIES:  # a <p>, <div>, <br>… inside a cell: part of the row
            self._white_space(start)
            self._close_implied(closes)
            if name not in VOID:
                self._push(name, attributes, True, start)
            return
        if in_row and name == "table":  # a table nested in a cell: its rows first, then the row goes on
            self._white_space(start)
            self._close_implied(closes)
            saved, self._ctx = self._ctx, _Context()
            self._push(name, attributes, True, start, saved)
            return
        self._flush()
        self._close_implied(closes)
        if name not in VOID:
            self._push(name, attributes, True, start)
        if name == "tr":
            self._ctx.row = True
            self._ctx.header = self._open[-1].in_thead

    def _end_tag(self, name: str, start: int) -> None:
        if self._skipped:
            if self._skipped_counts.get(name):
                self._close_skipped(name)
                return
            if self._skipping():
                return
        name = self._layout_name(name, None)
        if name == "br":  # browsers read </br> as <br>
            self._white_space(start)
        elif name in BLOCK_TAGS:
            if self._open and self._open[-1].in_row and name not in _ROW_BOUNDARIES:
                self._white_space(start)
            else:
                self._flush()
            self._pop_to(name)
        else:
            indexes = self._indexes.get(name)
            # An inline end tag closes its element unless a block-level element opened inside it.
            if indexes and indexes[-1] >= self._open[-1].last_block:
                self._pop_to(name)

    def _layout_name(self, name: str, attributes: Attributes | None) -> str:
        """A table that lays a page out (``role="presentation"`` or ``"none"``, as e-mail templates mark
        them) holds no data: its rows and cells are read as divisions, so each paragraph or heading in a
        cell is a block of its own and the whole page is not one table. ``attributes`` is None for an end
        tag."""
        if name == "table":
            if attributes is None:
                return "div" if self._tables and self._tables.pop() else name
            role = (attribute_value(self.text, attributes.get("role")) or "").strip().lower()
            self._tables.append(role in ("presentation", "none"))
            return "div" if self._tables[-1] else name
        if name in _LAYOUT_PARTS and self._tables and self._tables[-1]:
            return "div"
        return name

    # -- tokenizer ----------------------------------------------------------------------------------------

    def read(self) -> HtmlBlocks:
        text = self.text
        length = len(text)
        pos = 0
        while pos < length:
            char = text[pos]
            if char == "&":
                pos = self._character_reference(pos)
            elif char != "<":
                end = _run_end(_TEXT, text, pos)
                self._data(pos, end)
                pos = end
            else:
                pos = self._markup(pos)
        self._flush()
        while self._open:  # the file ends with elements open: a row put aside for a nested table goes on
            self._pop()
        self._flush()
        self.blocks.sort(key=lambda block: block.source_start)
        return self

    def _markup(self, pos: int) -> int:
        """Read the markup starting with "<" at ``pos``; return where reading goes on."""
        text = self.text
        length = len(text)
        following = text[pos + 1:pos + 3]
        if following[:1] and _is_ascii_letter(following[0]):
            name_end = _run_end(_TAG_NAME, text, pos + 1)
            name = text[pos + 1:name_end].lower()
            attributes: Attributes = {}
            end, self_closing = _tag_end(text, name_end, attributes)
            if end < 0:
                return length
            self._start_tag(name, pos, end, self_closing, attributes)
            if name in RAW_TEXT:
                close = _raw_text_end_pattern(name).search(text, end)
                content_end = close.start() if close else length
                if name == "title" and self._metadata_readable():
                    self._text_block(end, content_end, "metadata", True, None, in_attribute=False)
                elif name == "xmp":
                    self._data(end, content_end)  # raw text a browser shows
                return content_end
            if name == "plaintext":
                self._data(end, length)  # the rest of the file is text
                return length
            return end
        if following[:1] == "/":
            if following[1:] and _is_ascii_letter(following[1]):
                name_end = _run_end(_TAG_NAME, text, pos + 2)
                end, _ = _tag_end(text, name_end)
                if end < 0:
                    return length
                self._end_tag(text[pos + 2:name_end].lower(), pos)
                return end
            if following[1:] == ">":
                return pos + 3
            if not following[1:]:
                self._data(pos, length)
                return length
            return self._bogus_comment(pos + 2)
        if following[:1] == "!":
            if text.startswith("<!--", pos):
                if text.startswith(">", pos + 4):
                    end = pos + 5
                elif text.startswith("->", pos + 4):
                    end = pos + 6
                else:
                    close = _COMMENT_END.search(text, pos + 4)
                    end = close.end() if close else length
                self.comments.append((self.base + pos, self.base + end))
                return end
            return self._bogus_comment(pos + 2)
        if following[:1] == "?":
            return self._bogus_comment(pos + 1)
        self._data(pos, pos + 1)  # "<" not starting markup is text
        return pos + 1

    def _bogus_comment(self, pos: int) -> int:
        """Doctypes, <!…>, <?…?> and </…>: skipped up to the next ">", not reported as comments."""
        close = self.text.find(">", pos)
        return len(self.text) if close < 0 else close + 1


def read_html(path: str, source: str) -> Document:
    reader = HtmlBlocks(source).read()
    comments = [Comment(source[start:end], start, end) for start, end in reader.comments]
    return Document(path=path, source=source, format="html", blocks=reader.blocks, comments=comments)
