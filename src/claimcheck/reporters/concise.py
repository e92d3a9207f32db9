"""``--format concise``: one line per finding, ``path:line:col: CODE message``, and no source frame.

The same lines, summary, colour and ``--statistics`` table as ``text``; only the frame is left out, so the
output suits editors' problem matchers and ``grep``.
"""

from __future__ import annotations

from claimcheck.documents.base import Document
from claimcheck.model import Finding
from claimcheck.reporters.text import TextReporter


class ConciseReporter(TextReporter):
    def frame(self, finding: Finding, document: Document) -> str:
        return ""
