"""``check --fix`` and ``check --diff``: fix one draft's findings, then write the file or show the change.

A draft is written only when the user asked for ``--fix``, and atomically (see :mod:`claimcheck.output`):
a temporary file in the same folder, renamed over the draft, so an interrupted run leaves the original or
the fixed file, never a partial one. The fixed file keeps the draft's encoding and byte-order mark, its
line endings (inserted lines use the draft's own), its permissions and owner. Before writing, the draft is
read again: one that changed since it was linted is left alone, and so is a fix whose text the draft's
encoding cannot hold.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from claimcheck.documents import Document, parse
from claimcheck.errors import InputError
from claimcheck.files import BOMS, decode, read_bytes
from claimcheck.fixes import Fixed, fix_source, fixable
from claimcheck.model import Finding
from claimcheck.output import replace_file


@dataclass
class FileFix:
    """One draft fixed: the document and findings after the fixes, and what was fixed."""

    document: Document
    fixed: Fixed

    @property
    def remaining(self) -> list[Finding]:
        return self.fixed.remaining


def fix_document(document: Document, findings: list[Finding], lint: Callable[[Document], list[Finding]],
                 unsafe: bool) -> FileFix:
    """Fix ``document`` until no fix applies; ``lint`` gives a document's findings as the run reports them."""
    path, fmt = document.path, document.format
    parsed: dict[str, Document] = {document.source: document}

    def lint_text(text: str) -> list[Finding]:
        parsed[text] = parse(path, text, fmt)
        return lint(parsed[text])

    if not fixable(findings, unsafe):
        return FileFix(document, Fixed(document.source, remaining=findings))
    fixed = fix_source(lint_text, document.source, unsafe, findings=findings)
    return FileFix(parsed.get(fixed.text) or parse(path, fixed.text, fmt), fixed)


def unified_diff(path: str, before: str, after: str) -> str:
    """The change as a unified diff (``--- path`` / ``+++ path``), line endings shown as they are."""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{path}", tofile=f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def write_fixed(path: str, original_source: str, text: str, encoding: str | None, fmt: str,
                max_bytes: int) -> None:
    """Replace the draft at ``path`` (decoded as ``original_source``) with ``text``, encoded as it was."""
    data = read_bytes(path, max_bytes)
    if decode(data, path, encoding, fmt) != original_source:
        raise InputError("changed while it was being linted; not fixed (run claimcheck again)", path=path)
    encoded = encode_like(data, text, encoding, path)
    if decode(encoded, path, encoding, fmt) != text:
        raise InputError("the fixed text would not read back the same in the draft's encoding; not fixed",
                         path=path)
    replace_file(path, encoded)


def encode_like(original: bytes, text: str, encoding: str | None, path: str) -> bytes:
    """``text`` encoded as ``original`` was: the same byte-order mark and encoding."""
    for bom, codec, _ in BOMS:
        if original.startswith(bom):
            return bom + text.encode(codec)
    codec = encoding or "utf-8"
    if encoding is None:
        try:
            original.decode("utf-8")
        except UnicodeDecodeError:  # an HTML draft in the charset it declares
            from claimcheck.documents.html_charset import declared_codec

            codec = declared_codec(original) or "utf-8"
    try:
        return text.encode(codec)
    except UnicodeEncodeError as exc:
        raise InputError(f"the fix writes {text[exc.start:exc.end]!r}, which {codec} cannot hold; not fixed",
                         path=path) from None
