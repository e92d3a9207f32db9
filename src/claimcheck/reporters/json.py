"""``--format json``: one JSON array of findings, written when the run finishes."""

from __future__ import annotations

import json
from typing import Any

from claimcheck.documents.base import Document
from claimcheck.model import Finding
from claimcheck.reporters.base import Reporter, Summary


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path,
        "line": finding.position.line,
        "column": finding.position.column,
        "end_line": finding.end_position.line,
        "end_column": finding.end_position.column,
        "code": finding.code,
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "excerpt": finding.excerpt,
    }


class JsonReporter(Reporter):
    def start(self) -> None:
        self._items: list[dict[str, Any]] = []

    def finding(self, finding: Finding, document: Document) -> None:
        self._items.append(finding_dict(finding))

    def finish(self, summary: Summary) -> None:
        json.dump(self._items, self.stream, indent=2, ensure_ascii=False)
        self.write("\n")
