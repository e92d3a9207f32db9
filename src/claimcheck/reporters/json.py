"""``--format json``: one JSON array of findings, written when the run finishes.

A draft that could not be linted is an item too, after the findings, so that a saved report never looks
clean when the run failed: ``{"type": "error", "code": "E004", "rule": "input-error", "path": …,
"message": …}`` with the same keys as a finding (``line`` and the like are null where there is no position;
``rule`` is ``input-error``, ``pattern-timeout`` or ``no-drafts``).
A finding about a claims-registry entry (CC111, CC112) also has ``claim_id``, the entry's id.
Findings carry no ``type`` key; consumers that count items with ``"severity": "error"`` count these too.

A finding's ``fix`` is null, or ``{"applicability": "safe" | "unsafe" | "display-only", "title": …,
"edits": [{"line", "column", "end_line", "end_column", "text"}]}``: each edit replaces the range (end
exclusive, in the original file; an insertion when both ends are equal) with ``text``.
"""

from __future__ import annotations

import json
from typing import Any

from claimcheck.documents.base import Document
from claimcheck.model import Finding
from claimcheck.reporters.base import Reporter, RunError, Summary, edit_range, run_errors


def fix_dict(finding: Finding, document: Document) -> dict[str, Any] | None:
    fix = finding.fix
    if fix is None:
        return None
    edits = []
    for edit in fix.edits:
        start, end = edit_range(document, edit)
        edits.append({"line": start.line, "column": start.column, "end_line": end.line,
                      "end_column": end.column, "text": edit.text})
    return {"applicability": fix.applicability.value, "title": fix.title, "edits": edits}


def finding_dict(finding: Finding, document: Document | None = None) -> dict[str, Any]:
    item = {
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
    if document is not None:
        item["fix"] = fix_dict(finding, document)
    if finding.claim is not None:  # only the claims-registry rules link to an entry
        item["claim_id"] = finding.claim.id
    return item


def error_dict(error: RunError) -> dict[str, Any]:
    return {
        "type": "error",
        "path": error.path,
        "line": error.line,
        "column": error.column,
        "end_line": None,
        "end_column": None,
        "code": error.code,
        "rule": error.kind,
        "severity": "error",
        "message": error.message,
        "excerpt": "",
    }


class JsonReporter(Reporter):
    def start(self) -> None:
        self._items: list[dict[str, Any]] = []

    def finding(self, finding: Finding, document: Document) -> None:
        self._items.append(finding_dict(finding, document))

    def finish(self, summary: Summary) -> None:
        self._items.extend(error_dict(error) for error in run_errors(summary))
        json.dump(self._items, self.stream, indent=2, ensure_ascii=False)
        self.write("\n")
