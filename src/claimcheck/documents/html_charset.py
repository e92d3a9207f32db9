"""The character encoding an HTML file declares, found as browsers find it.

Word's "Save as Web Page" and older site exports write Windows-1252 with ``<meta charset="windows-1252">`` or
``<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">``. Browsers read such a file by
the WHATWG *prescan*: the first 1024 bytes are scanned for a ``<meta>`` tag that names a charset, skipping
comments and the attributes of other tags. This module does the same (and also reads the ``encoding`` of a
leading ``<?xml …?>`` prolog), and maps the label the way browsers do: ``iso-8859-1``, ``latin1`` and
``ascii`` mean Windows-1252, and a UTF-16 label in a file read as bytes means UTF-8.
"""

from __future__ import annotations

import codecs
import re

PRESCAN_BYTES = 1024

# WHATWG encoding labels whose decoder differs from Python's codec of the same name.
_WHATWG_LABELS = {
    **dict.fromkeys(("ascii", "us-ascii", "ansi_x3.4-1968", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
                     "l1", "cp819", "ibm819", "cp1252", "windows-1252", "x-cp1252", "x-user-defined"),
                    "cp1252"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicodefffe", "unicode"), "utf-8"),
}
_SPACE = b"\t\n\f\r "
_ATTRIBUTE = re.compile(rb"""[\t\n\f\r /]*([^\t\n\f\r /=>][^\t\n\f\r /=>]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*"""
                        rb"""(?:"([^"]*)"?|'([^']*)'?|([^\t\n\f\r >]*)))?""")
_CHARSET_IN_CONTENT = re.compile(
    rb"""charset[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r ;"']+))""", re.IGNORECASE)
_XML_ENCODING = re.compile(
    rb"""<\?xml[^>]*?[\t\n\r ]encoding[\t\n\r ]*=[\t\n\r ]*["']([A-Za-z0-9._:-]+)["']""")
_META_START = re.compile(rb"<meta[\t\n\f\r /]", re.IGNORECASE)
_TAG_START = re.compile(rb"</?[A-Za-z]")


def codec_for_label(label: bytes | str) -> str | None:
    """The Python codec for an encoding label, or None when it names no text encoding."""
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    label = label.strip(" \t\n\f\r").lower()
    if label in _WHATWG_LABELS:
        return _WHATWG_LABELS[label]
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    return info.name if info._is_text_encoding else None


def _attributes(data: bytes, pos: int) -> tuple[dict[bytes, bytes], int]:
    """The attributes of a tag whose name ends at ``pos`` (first of duplicates wins), and where it ends."""
    found: dict[bytes, bytes] = {}
    length = len(data)
    while pos < length:
        if data[pos:pos + 1] == b">":
            return found, pos + 1
        match = _ATTRIBUTE.match(data, pos)
        if match is None or match.end() == pos:
            pos += 1
            continue
        value = match.group(2) if match.group(2) is not None else match.group(3) or match.group(4) or b""
        found.setdefault(match.group(1).lower(), value)
        pos = match.end()
    return found, length


def _meta_charset(attributes: dict[bytes, bytes]) -> bytes | None:
    if b"charset" in attributes:
        return attributes[b"charset"]
    if attributes.get(b"http-equiv", b"").strip(_SPACE).lower() == b"content-type":
        match = _CHARSET_IN_CONTENT.search(attributes.get(b"content", b""))
        if match:
            return next(group for group in match.groups() if group is not None)
    return None


def declared_codec(data: bytes) -> str | None:
    """The codec the first ``<meta>`` in the first 1024 bytes that names a known charset declares."""
    head = data[:PRESCAN_BYTES]
    prolog = _XML_ENCODING.match(head)
    if prolog:
        codec = codec_for_label(prolog.group(1))
        if codec:
            return codec
    pos, length = 0, len(head)
    while pos < length:
        lt = head.find(b"<", pos)
        if lt < 0:
            return None
        if head.startswith(b"<!--", lt):
            end = head.find(b"-->", lt + 2)
            if end < 0:
                return None
            pos = end + 3
        elif _META_START.match(head, lt):
            attributes, pos = _attributes(head, lt + 5)
            label = _meta_charset(attributes)
            codec = codec_for_label(label) if label is not None else None
            if codec:
                return codec
        elif _TAG_START.match(head, lt):
            name_end = lt + 1
            while name_end < length and head[name_end] not in b"\t\n\f\r />":
                name_end += 1
            _, pos = _attributes(head, name_end)  # attribute values may hold "<meta"
        elif head.startswith((b"<!", b"</", b"<?"), lt):
            end = head.find(b">", lt)
            if end < 0:
                return None
            pos = end + 1
        else:
            pos = lt + 1
    return None
