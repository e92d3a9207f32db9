"""Readers: one per draft format, each producing a :class:`~claimcheck.documents.base.Document`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath

from claimcheck.documents.base import Block, Comment, Document, LineIndex, OffsetMap
from claimcheck.documents.text import read_text

__all__ = ["FORMATS", "Block", "Comment", "Document", "LineIndex", "OffsetMap", "format_for_path", "parse"]

Reader = Callable[[str, str], Document]

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
FORMATS = ("text", "markdown", "html")


def format_for_path(path: str) -> str:
    return EXTENSIONS.get(PurePath(path).suffix.lower(), "text")


def _reader(fmt: str) -> Reader:
    # Imported lazily: a run over plain text never pays for the Markdown or HTML parser.
    if fmt == "markdown":
        from claimcheck.documents.markdown import read_markdown

        return read_markdown
    if fmt == "html":
        from claimcheck.documents.html import read_html

        return read_html
    return read_text


def parse(path: str, source: str, fmt: str | None = None) -> Document:
    """Parse decoded ``source`` as ``fmt`` (default: by the path's extension)."""
    return _reader(fmt or format_for_path(path))(path, source)
