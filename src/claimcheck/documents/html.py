"""HTML drafts, read as a visitor reads the rendered page.

Prose blocks are the text of ``p``, ``li``, headings, table cells, ``blockquote``, captions, ``dt``/``dd``,
``summary`` and the like; text standing directly in ``body``, ``div``, ``section``… becomes blocks too, split
at block-level tags. Inline tags (``strong``, ``a``, ``span``…) do not break a sentence. Character references
are decoded (each as one atomic offset segment, so a finding still points at ``&#8209;`` in the file) and
runs of HTML white space collapse to one space that maps onto the first white-space character of the run.
``script``, ``style``, ``template``, ``noscript``, ``head``, ``pre`` and a few other non-prose elements are
skipped. Every ``<!-- comment -->`` becomes a :class:`Comment`, in source order.

Why a small tokenizer of our own rather than :class:`html.parser.HTMLParser`: the standard-library parser
is quadratic on unterminated markup (on Python 3.11, 10,000 unclosed ``<!--`` take about 6 s and 40,000
about a minute; 10,000 unclosed ``<a x='`` about 40 s), its error recovery differs between Python patch
releases, and it reports only the start of each event. The tokenizer below follows the WHATWG tokenization
rules for the states that matter to prose (data, tags and attributes, comments, bogus comments, raw text,
character references), reports exact start and end offsets, and reads every character a bounded number of
times, so any input is read in linear time and never raises.
"""

from __future__ import annotations

import html
import re
from html.entities import html5

from claimcheck.documents.base import Block, Comment, Document, OffsetMap

# Element name -> block kind. Any other block-level element (div, section, body…) gives "paragraph".
BLOCK_KINDS = {
    "p": "paragraph",
    "li": "list-item",
    **{f"h{level}": "heading" for level in range(1, 7)},
    "td": "table-cell",
    "th": "table-cell",
    "blockquote": "blockquote",
    "figcaption": "caption",
    "caption": "caption",
    "legend": "caption",
    "dt": "term",
    "dd": "definition",
    "summary": "summary",
}
# Tags that start or end a block: text never runs across them.
BLOCK_TAGS = frozenset(BLOCK_KINDS) | {
    "address", "article", "aside", "body", "center", "details", "dialog", "dir", "div", "dl", "fieldset",
    "figure", "footer", "form", "frameset", "head", "header", "hgroup", "hr", "html", "listing", "main",
    "menu", "nav", "ol", "optgroup", "option", "pre", "search", "section", "table", "tbody", "template",
    "tfoot", "thead", "tr", "ul",
}
# Elements whose content is not prose. Raw-text elements (script, style…) are skipped by the tokenizer.
SKIPPED = frozenset({"head", "template", "noscript", "pre", "svg", "math", "select", "object", "canvas",
                     "audio", "video", "map"})
# Foreign elements honour "/>" (an inline <svg … /> icon opens nothing).
FOREIGN = frozenset({"svg", "math"})
# Elements whose content the tokenizer reads as raw text up to the matching end tag.
RAW_TEXT = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea", "title"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr", "basefont", "bgsound", "frame", "keygen"})
# Elements allowed in <head>; any other start tag (or visible text) implicitly closes an unclosed head.
HEAD_CONTENT = frozenset({"base", "basefont", "bgsound", "link", "meta", "noscript", "script", "style",
                          "template", "title", "head"})
# Start tags that implicitly close open elements at the top of the stack (a simplified tree builder).
_CLOSES_P = frozenset(BLOCK_TAGS - {"body", "html", "head", "template", "summary", "caption"})
IMPLIED_CLOSE = {
    "li": frozenset({"p", "li"}),
    "dt": frozenset({"p", "dt", "dd"}),
    "dd": frozenset({"p", "dt", "dd"}),
    "td": frozenset({"p", "td", "th"}),
    "th": frozenset({"p", "td", "th"}),
    "tr": frozenset({"p", "td", "th", "tr"}),
}

_WHITESPACE = "\t\n\f\r "
_TEXT = re.compile(r"[^<&]+")
_RUNS = re.compile(r"[\t\n\f\r ]+|[^\t\n\f\r ]+")
_TAG_NAME = re.compile(r"[^\t\n\f\r />]*")
_BEFORE_ATTRIBUTE = re.compile(r"[\t\n\f\r /]*")
_ATTRIBUTE_NAME = re.compile(r"[^\t\n\f\r />=]*")
_SPACES = re.compile(r"[\t\n\f\r ]*")
_UNQUOTED = re.compile(r"[^\t\n\f\r >]*")
_COMMENT_END = re.compile(r"--!?>")
_NAMED_REFERENCE = re.compile(r"&([A-Za-z][A-Za-z0-9]*)(;?)")
_NUMERIC_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9A-Fa-f]+)|0*([0-9]+));?")
_LONGEST_ENTITY = max(len(name) for name in html5)
_raw_text_end: dict[str, re.Pattern[str]] = {}


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


def _tag_end(source: str, pos: int) -> tuple[int, bool]:
    """Scan the attributes after a tag name at ``pos``: (offset after ``>``, self-closing), or (-1, False)
    when the file ends inside the tag (the tag is then dropped, as browsers do)."""
    length = len(source)
    while True:
        gap_start = pos
        pos = _run_end(_BEFORE_ATTRIBUTE, source, pos)
        if pos >= length:
            return -1, False
        if source[pos] == ">":
            return pos + 1, pos > gap_start and source[pos - 1] == "/"
        pos = _run_end(_ATTRIBUTE_NAME, source, pos + 1)  # the first character may even be "="
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
                pos = close + 1
            elif quote != ">":
                pos = _run_end(_UNQUOTED, source, pos)


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


class HtmlBlocks:
    """Tokenizes HTML and builds prose blocks. Offsets are relative to ``text`` plus ``base``, so a caller
    (the Markdown reader) can read an HTML region of a larger file."""

    def __init__(self, text: str, base: int = 0) -> None:
        self.text = text
        self.base = base
        self.blocks: list[Block] = []
        self.comments: list[tuple[int, int]] = []
        # Open block-level elements (for block kinds), with the kind each one gives its text.
        self._open: list[str] = []
        self._kinds: list[str] = []
        self._open_counts: dict[str, int] = {}
        # Open non-prose elements: text is skipped while any is open.
        self._skipped: list[str] = []
        self._skipped_counts: dict[str, int] = {}
        self._reset_block()

    # -- blocks -----------------------------------------------------------------------------------------

    def _reset_block(self) -> None:
        self._parts: list[str] = []
        self._offsets = OffsetMap()
        self._space: int | None = None  # offset of the first white-space character of a pending run
        self._kind = "paragraph"

    def _flush(self) -> None:
        if self._parts:
            self.blocks.append(Block("".join(self._parts), self._offsets, self._kind))
        self._reset_block()

    def _emit(self, text: str, start: int, end: int) -> None:
        """Append visible non-space text that comes from ``source[start:end]`` (relative offsets)."""
        if not self._parts:
            self._kind = self._kinds[-1] if self._kinds else "paragraph"
        elif self._space is not None:
            self._parts.append(" ")
            self._offsets.add(1, self.base + self._space, self.base + self._space + 1)
        self._space = None
        self._parts.append(text)
        self._offsets.add(len(text), self.base + start, self.base + end)

    def _white_space(self, start: int) -> None:
        if self._parts and self._space is None:
            self._space = start

    def _visible(self) -> bool:
        """Whether visible (non-space) text may be read here; such text ends an unclosed <head>."""
        if not self._skipped:
            return True
        if len(self._skipped) == 1 and self._skipped[0] == "head":
            self._close_skipped("head")
            self._pop_to("head")
            return True
        return False

    def _data(self, start: int, end: int) -> None:
        text = self.text
        if not text[start:end].strip(_WHITESPACE):
            if not self._skipped:
                self._white_space(start)
            return
        if not self._visible():
            return
        for run in _RUNS.finditer(text, start, end):
            if text[run.start()] in _WHITESPACE:
                self._white_space(run.start())
            else:
                self._emit(run.group(), run.start(), run.end())

    def _reference(self, decoded: str, start: int, end: int) -> None:
        if not decoded:
            return
        if not decoded.strip(_WHITESPACE):
            if not self._skipped:
                self._white_space(start)
        elif self._visible():
            self._emit(decoded, start, end)

    # -- tree ---------------------------------------------------------------------------------------------

    def _push(self, name: str) -> None:
        self._open.append(name)
        self._kinds.append(BLOCK_KINDS.get(name) or (self._kinds[-1] if self._kinds else "paragraph"))
        self._open_counts[name] = self._open_counts.get(name, 0) + 1

    def _pop_to(self, name: str) -> None:
        if not self._open_counts.get(name):
            return
        while self._open:
            top = self._open.pop()
            self._kinds.pop()
            self._open_counts[top] -= 1
            if top == name:
                return

    def _close_skipped(self, name: str) -> None:
        if not self._skipped_counts.get(name):
            return
        while self._skipped:
            top = self._skipped.pop()
            self._skipped_counts[top] -= 1
            if top == name:
                return

    def _start_tag(self, name: str, start: int, end: int, self_closing: bool) -> None:
        if self._skipped:
            if len(self._skipped) == 1 and self._skipped[0] == "head" and name not in HEAD_CONTENT:
                self._close_skipped("head")  # body content implicitly ends an unclosed head
                self._pop_to("head")
            else:
                if name in SKIPPED and name not in VOID and not (self_closing and name in FOREIGN):
                    self._skipped.append(name)
                    self._skipped_counts[name] = self._skipped_counts.get(name, 0) + 1
                return
        if name == "br":
            self._white_space(start)
            return
        if name in BLOCK_TAGS:
            self._flush()
            closes = IMPLIED_CLOSE.get(name, _CLOSES_P if name in _CLOSES_P else ())
            while self._open and self._open[-1] in closes:
                self._pop_to(self._open[-1])
            if name not in VOID:
                self._push(name)
        if name in SKIPPED and not (self_closing and name in FOREIGN):
            self._skipped.append(name)
            self._skipped_counts[name] = self._skipped_counts.get(name, 0) + 1

    def _end_tag(self, name: str, start: int) -> None:
        if self._skipped:
            if self._skipped_counts.get(name):
                self._close_skipped(name)
                self._pop_to(name)
            return
        if name == "br":  # browsers read </br> as <br>
            self._white_space(start)
        elif name in BLOCK_TAGS:
            self._flush()
            self._pop_to(name)

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
        return self

    def _character_reference(self, pos: int) -> int:
        text = self.text
        match = _NUMERIC_REFERENCE.match(text, pos)
        if match:
            self._reference(_numeric_reference(match), pos, match.end())
            return match.end()
        match = _NAMED_REFERENCE.match(text, pos)
        if match:
            decoded, size = _named_reference(match)
            if size:
                self._reference(decoded, pos, pos + size)
                return pos + size
        self._data(pos, pos + 1)  # a lone "&" is text
        return pos + 1

    def _markup(self, pos: int) -> int:
        """Read the markup starting with "<" at ``pos``; return where reading goes on."""
        text = self.text
        length = len(text)
        following = text[pos + 1:pos + 3]
        if following[:1] and _is_ascii_letter(following[0]):
            name_end = _run_end(_TAG_NAME, text, pos + 1)
            name = text[pos + 1:name_end].lower()
            end, self_closing = _tag_end(text, name_end)
            if end < 0:
                return length
            self._start_tag(name, pos, end, self_closing)
            if name in RAW_TEXT:
                close = _raw_text_end_pattern(name).search(text, end)
                return close.start() if close else length
            if name == "plaintext":
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
