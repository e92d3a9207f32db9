"""Text from drafts, file names and rule files made safe to print on a terminal or in a CI log.

A file name or a cached message may hold line breaks, ANSI escape sequences or bidirectional overrides;
printed as they are, they forge report lines, recolour or hide output, or (in a GitHub Actions log) start a
workflow command. Such characters are shown escaped (``\\n``, ``\\x1b``, ``\\u202e``), and a byte of a file
name that is not UTF-8 as ``\\xNN``. Backslashes are left alone, so escaping twice changes nothing.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, bidirectional marks, embeddings, overrides and isolates, and the lone surrogates
# that stand for undecodable bytes of a file name.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAMED:
        return _NAMED[char]
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = "") -> str:
    """``text`` with every control or direction character escaped, but those in ``keep`` (for a format with
    its own escapes for them)."""
    if keep:
        return _UNSAFE.sub(lambda match: match.group() if match.group() in keep else _escape(match), text)
    return _UNSAFE.sub(_escape, text)


def printable_path(path: str) -> str:
    """A path to start a line with: escaped, and never read as a GitHub workflow command (``::name …``)."""
    shown = printable(path)
    return f"./{shown}" if shown.startswith("::") else shown
