"""HTML drafts. Until the HTML reader lands they are read as plain text."""

from __future__ import annotations

from claimcheck.documents.base import Document
from claimcheck.documents.text import read_text


def read_html(path: str, source: str) -> Document:
    document = read_text(path, source)
    document.format = "html"
    return document
