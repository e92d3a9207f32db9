"""Front matter of a Markdown draft: whether a leading fence opens it, and the published keys it holds.

A draft that starts with ``---`` may open YAML front matter or may start with a thematic break; only the
content decides. The fenced region (``---`` up to a line ``---`` or ``...``) is front matter when it is empty
or parses as a YAML mapping whose keys are all plain identifiers (``title``, ``seo_title``, ``og.image``…),
so a thematic break followed by prose ("Our results: 80% improved") stays prose and is linted. ``+++``
opens TOML front matter when the region parses as TOML.

Published metadata is copy (POLICY.md): the top-level ``title``, ``description``, ``summary`` and ``excerpt``
values become blocks of kind ``metadata``, each character mapped to the source character it comes from:
plain and quoted scalars exactly (escapes and ``''`` map onto their whole source sequence, a folded line
break onto the break and the indentation around it), block scalars (``|`` and ``>``) line by line. Should
the decoded text ever differ from the YAML parser's value, the value is kept and mapped onto the scalar's
whole source span, so the claim in it is still read at the scalar's line. Other keys are not copy.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

import yaml

from claimcheck.documents.base import Block, OffsetMap

PUBLISHED_KEYS = frozenset({"title", "description", "summary", "excerpt"})

_OPENING = re.compile(r"(---|\+\+\+)[ \t]*(?:\r\n|\r|\n)")
_CLOSING = {"---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE),
            "+++": re.compile(r"^\+\+\+[ \t]*\r?$", re.MULTILINE)}
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# A folded run: white space around one or more line breaks inside a flow scalar.
_FOLD = re.compile(r"[ \t]*(?:\r\n|\r|\n)(?:[ \t]*(?:\r\n|\r|\n))*[ \t]*")
_YAML_ESCAPES = {"0": "\0", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b",
                 "f": "\x0c", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
                 "_": "\xa0", "L": "\u2028", "P": "\u2029"}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}
_TOML_KEY_LINE = re.compile(r"^[ \t]*(title|description|summary|excerpt)[ \t]*=[ \t]*"
                            r"(\"(?:[^\"\\\r\n]|\\.)*\"|'[^'\r\n]*')", re.MULTILINE)
_TOML_TABLE = re.compile(r"^[ \t]*\[", re.MULTILINE)

Piece = tuple[str, int, int]  # decoded text and the source span it comes from


@dataclass(frozen=True, slots=True)
class FrontMatter:
    end: int  # source offset just after the closing fence line (its line break excluded)
    blocks: list[Block]


def read_front_matter(source: str) -> FrontMatter | None:
    """The draft's front matter, or None when it has none (a leading ``---`` is then a thematic break)."""
    opening = _OPENING.match(source)
    if not opening:
        return None
    fence = opening.group(1)
    closing = _CLOSING[fence].search(source, opening.end())
    if not closing:
        return None
    start, end = opening.end(), closing.start()
    content = source[start:end]
    blocks = (_toml_blocks if fence == "+++" else _yaml_blocks)(source, start, content)
    if blocks is None:
        return None
    return FrontMatter(closing.end(), blocks)


# -- YAML -----------------------------------------------------------------------------------------------


def _yaml_blocks(source: str, base: int, content: str) -> list[Block] | None:
    if not content.strip():
        return []
    try:
        node = yaml.compose(content, Loader=yaml.SafeLoader)
    except Exception:  # anything YAML cannot read (or nests too deeply) is Markdown text, not front matter
        return None
    if not isinstance(node, yaml.MappingNode):
        return None
    keys = [key for key, _ in node.value]
    if not all(isinstance(key, yaml.ScalarNode) and key.style is None and _KEY.fullmatch(key.value)
               for key in keys):
        return None
    blocks = []
    for key, value in node.value:
        if key.value in PUBLISHED_KEYS and isinstance(value, yaml.ScalarNode) and value.tag.endswith(":str"):
            block = _scalar_block(source, base + value.start_mark.index, base + value.end_mark.index,
                                  value.style, value.value)
            if block is not None:
                blocks.append(block)
    return blocks


def _scalar_block(source: str, start: int, end: int, style: str | None, value: str) -> Block | None:
    if not value.strip():
        return None
    if style in ("|", ">"):
        pieces = _block_scalar(source, start, end, folded=style == ">")
        expected = value.rstrip("\n")
    elif style in ("'", '"'):
        pieces = _flow_scalar(source, start + 1, end - 1, style)
        expected = value
    else:
        pieces = _flow_scalar(source, start, end, None)
        expected = value
    if "".join(text for text, _, _ in pieces) != expected:
        pieces = [(value, start, end)]  # the decoder missed a YAML subtlety: keep the value, whole span
    return _block(pieces, "metadata")


def _flow_scalar(source: str, start: int, end: int, quote: str | None) -> list[Piece]:
    """Decode a plain, single- or double-quoted scalar whose content is ``source[start:end]``."""
    pieces: list[Piece] = []
    pos = start
    run = start  # start of the verbatim run being collected
    while pos < end:
        char = source[pos]
        fold = _FOLD.match(source, pos, end) if char in " \t\r\n" else None
        if fold and _LINE_BREAK.search(fold.group()):
            _verbatim(pieces, source, run, pos)
            breaks = len(_LINE_BREAK.findall(fold.group()))
            pieces.append((" " if breaks == 1 else "\n" * (breaks - 1), pos, fold.end()))
            pos = run = fold.end()
        elif quote == "'" and source.startswith("''", pos):
            _verbatim(pieces, source, run, pos)
            pieces.append(("'", pos, pos + 2))
            pos = run = pos + 2
        elif quote == '"' and char == "\\" and pos + 1 < end:
            _verbatim(pieces, source, run, pos)
            pos = run = _escape(source, pos, end, pieces)
        else:
            pos += 1
    _verbatim(pieces, source, run, end)
    return pieces


def _escape(source: str, pos: int, end: int, pieces: list[Piece]) -> int:
    """Decode the double-quoted escape at ``pos``; return where decoding goes on."""
    code = source[pos + 1]
    if code in "\r\n":  # an escaped line break joins the lines with nothing between them
        fold = _FOLD.match(source, pos + 1, end)
        return fold.end() if fold else pos + 2
    if code in _HEX_ESCAPES:
        digits = source[pos + 2:pos + 2 + _HEX_ESCAPES[code]]
        try:
            pieces.append((chr(int(digits, 16)), pos, pos + 2 + len(digits)))
        except ValueError:
            pieces.append((source[pos:pos + 2], pos, pos + 2))
        return pos + 2 + len(digits)
    pieces.append((_YAML_ESCAPES.get(code, source[pos:pos + 2]), pos, pos + 2))
    return pos + 2


def _block_scalar(source: str, start: int, end: int, folded: bool) -> list[Piece]:
    """Decode a literal (``|``) or folded (``>``) block scalar whose indicator is at ``start``."""
    header = _LINE_BREAK.search(source, start, end)
    if header is None:
        return []
    lines = []  # (content start, content end) of each line, indentation removed
    pos = header.end()
    indent: int | None = None
    explicit = re.search(r"[1-9]", source[start:header.start()].split("#", 1)[0])
    if explicit:
        indent = int(explicit.group()) + _line_indent(source, start)
    while pos < end:
        brk = _LINE_BREAK.search(source, pos, end)
        line_end = brk.start() if brk else end
        line = source[pos:line_end]
        if indent is None and line.strip():
            indent = len(line) - len(line.lstrip(" "))
        content_start = min(pos + (indent or 0), line_end) if line.strip() else line_end
        lines.append((content_start, line_end))
        pos = brk.end() if brk else end
    while lines and lines[-1][0] == lines[-1][1]:
        lines.pop()  # trailing empty lines: chomped, not copy
    pieces: list[Piece] = []
    previous: tuple[int, int] | None = None
    empty_since: int | None = None  # source offset after the last content line, when empty lines follow
    empties = 0
    for content_start, line_end in lines:
        if content_start == line_end:
            empties += 1
            if empty_since is None and previous is not None:
                empty_since = previous[1]
            continue
        if previous is not None:
            gap_start = previous[1] if empty_since is None else empty_since
            more_indented = source[content_start] in " \t" or source[previous[0]] in " \t"
            if folded and not more_indented:
                text = "\n" * empties if empties else " "
            else:
                text = "\n" * (empties + 1)
            pieces.append((text, gap_start, content_start))
        elif empties:
            pieces.append(("\n" * empties, content_start, content_start))
        _verbatim(pieces, source, content_start, line_end)
        previous = (content_start, line_end)
        empty_since, empties = None, 0
    return pieces


def _line_indent(source: str, offset: int) -> int:
    """Indentation of the line holding ``offset`` (a block scalar's parent key)."""
    line_start = max(source.rfind("\n", 0, offset), source.rfind("\r", 0, offset)) + 1
    line = source[line_start:offset]
    return len(line) - len(line.lstrip(" "))


def _verbatim(pieces: list[Piece], source: str, start: int, end: int) -> None:
    if end > start:
        pieces.append((source[start:end], start, end))


def _block(pieces: list[Piece], kind: str) -> Block | None:
    """A block of the pieces' text with white space trimmed at both ends, or None when nothing is left."""
    while pieces and not pieces[0][0].strip():
        pieces = pieces[1:]
    while pieces and not pieces[-1][0].strip():
        pieces = pieces[:-1]
    if not pieces:
        return None
    first, last = pieces[0], pieces[-1]
    if len(first[0]) == first[2] - first[1]:  # verbatim: trim its leading white space
        cut = len(first[0]) - len(first[0].lstrip())
        pieces[0] = (first[0][cut:], first[1] + cut, first[2])
    last = pieces[-1]
    if len(last[0]) == last[2] - last[1]:
        cut = len(last[0]) - len(last[0].rstrip())
        pieces[-1] = (last[0][:len(last[0]) - cut], last[1], last[2] - cut)
    offsets = OffsetMap()
    for text, start, end in pieces:
        offsets.add(len(text), start, max(end, start + 1))
    return Block("".join(text for text, _, _ in pieces), offsets, kind)


# -- TOML -----------------------------------------------------------------------------------------------


def _toml_blocks(source: str, base: int, content: str) -> list[Block] | None:
    try:
        values = tomllib.loads(content)
    except (tomllib.TOMLDecodeError, ValueError):
        return None
    table = _TOML_TABLE.search(content)
    top_level = content[:table.start()] if table else content
    blocks = []
    for match in _TOML_KEY_LINE.finditer(top_level):
        key, literal = match.group(1), match.group(2)
        value = values.get(key)
        if not isinstance(value, str):
            continue
        start, end = base + match.start(2) + 1, base + match.end(2) - 1
        quote = literal[0]
        pieces = [(source[start:end], start, end)] if quote == "'" else _flow_scalar(source, start, end, '"')
        if "".join(text for text, _, _ in pieces) != value:
            pieces = [(value, start, end)]
        block = _block(pieces, "metadata") if value.strip() else None
        if block is not None:
            blocks.append(block)
    return blocks
