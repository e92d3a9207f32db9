"""``--format sarif``: one SARIF 2.1.0 log, written when the run finishes, for GitHub code scanning.

Locations are URIs relative to the working directory (``uriBaseId: %SRCROOT%``), so run claimcheck from the
repository root. Columns count code points (``columnKind: unicodeCodePoints``), as claimcheck's do.

``partialFingerprints`` let code scanning recognise the same alert after the file changes around it: a hash
of the rule code and the claim's normalised wording, plus the index of that same claim among its repeats in
the file. Line numbers are left out on purpose, so inserting a paragraph above a claim keeps its alert.

A finding about a claims-registry entry (CC111, CC112) has ``relatedLocations`` pointing at the entry's line
in the registry file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from claimcheck import __version__
from claimcheck.documents.base import Document
from claimcheck.families import RuleKind
from claimcheck.model import ClaimRef, Finding, Severity
from claimcheck.reporters.base import Reporter, Summary, edit_range, relative_path

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "claimcheck/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def paragraphs(text: str) -> list[str]:
    """The YAML description's hard-wrapped paragraphs, each on one line."""
    return [" ".join(part.split()) for part in text.strip().split("\n\n") if part.strip()]


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]


def rule_help(rule: RuleKind) -> dict[str, str]:
    meta = rule.meta
    parts = paragraphs(meta.description)
    text = "\n\n".join(parts)
    markdown = "\n\n".join(parts)
    for title, examples in (("Flagged", meta.examples_fail), ("Fine", meta.examples_pass)):
        if examples:
            text += f"\n\n{title}:\n" + "\n".join(f"  {' '.join(e.split())}" for e in examples)
            markdown += f"\n\n**{title}:**\n\n" + "\n".join(f"- `{' '.join(e.split())}`" for e in examples)
    if meta.references:
        text += "\n\nReferences:\n" + "\n".join(f"  - {r}" for r in meta.references)
        markdown += "\n\n**References:**\n\n" + "\n".join(f"- {r}" for r in meta.references)
    return {"text": text, "markdown": markdown}


def rule_descriptor(rule: RuleKind) -> dict[str, Any]:
    meta = rule.meta
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": first_sentence(rule.message())},
        "fullDescription": {"text": paragraphs(meta.description)[0] if meta.description.strip() else
                            rule.message()},
        "help": rule_help(rule),
        "defaultConfiguration": {"level": LEVELS[meta.severity]},
        "properties": {"tags": ["compliance", meta.kind]},
    }


def artifact_location(path: str) -> dict[str, str]:
    shown = relative_path(path)
    if os.path.isabs(shown):  # outside the working directory: no base to be relative to
        return {"uri": Path(shown).as_uri()}
    return {"uri": quote(os.fsencode(shown)), "uriBaseId": SRCROOT}  # the name's bytes, even if not UTF-8


def sarif_fix(finding: Finding, document: Document) -> dict[str, Any] | None:
    """A fix that claimcheck can apply, as SARIF: replacements of regions of the original file."""
    fix = finding.fix
    if fix is None or not fix.applies(unsafe=True):
        return None
    replacements = []
    for edit in fix.edits:
        start, end = edit_range(document, edit)
        replacements.append({
            "deletedRegion": {"startLine": start.line, "startColumn": start.column, "endLine": end.line,
                              "endColumn": end.column},
            "insertedContent": {"text": edit.text},
        })
    return {"description": {"text": fix.title},
            "artifactChanges": [{"artifactLocation": artifact_location(finding.path),
                                 "replacements": replacements}],
            "properties": {"applicability": fix.applicability.value}}


def registry_location(claim: ClaimRef) -> dict[str, Any]:
    """Where the claims-registry entry a finding is about stands (its ``id`` line), with its source."""
    return {
        "id": 0,
        "physicalLocation": {"artifactLocation": artifact_location(claim.path),
                             "region": {"startLine": claim.line, "startColumn": claim.column}},
        "message": {"text": f"claims registry entry '{claim.id}' (source: {claim.source})"},
    }


def normalized_claim(finding: Finding) -> str:
    return re.sub(r"\s+", " ", finding.text or finding.excerpt).strip().casefold()


def claim_fingerprints(findings: Sequence[Finding]) -> list[str]:
    """Each finding's ``partialFingerprints`` value, ``<hash of code and claim>:<index among its repeats>``
    (the findings of one file, in report order). The HTML report's anchors are built from it too."""
    seen: Counter[tuple[str, str]] = Counter()
    fingerprints = []
    for finding in findings:
        claim = normalized_claim(finding)
        digest = hashlib.sha256(f"{finding.code}\0{claim}".encode()).hexdigest()[:32]
        fingerprints.append(f"{digest}:{seen[finding.code, claim]}")
        seen[finding.code, claim] += 1
    return fingerprints


class SarifReporter(Reporter):
    def start(self) -> None:
        self._results: list[dict[str, Any]] = []
        self._index = {rule.meta.code: index for index, rule in enumerate(self.rules)}

    def file(self, path: str, document: Document, findings: list[Finding]) -> None:
        for finding, fingerprint in zip(findings, claim_fingerprints(findings), strict=True):
            result = self.result(finding, fingerprint)
            fix = sarif_fix(finding, document)
            if fix is not None:
                result["fixes"] = [fix]
            self._results.append(result)

    def result(self, finding: Finding, fingerprint: str) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": artifact_location(finding.path),
                "region": {
                    "startLine": finding.position.line,
                    "startColumn": finding.position.column,
                    "endLine": finding.end_position.line,
                    "endColumn": finding.end_position.column,
                },
            }}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if finding.code in self._index:
            result["ruleIndex"] = self._index[finding.code]
        if finding.claim is not None:
            result["relatedLocations"] = [registry_location(finding.claim)]
        return result

    def finish(self, summary: Summary) -> None:
        errors = [*summary.errors, *([summary.no_drafts] if summary.no_drafts else [])]
        run: dict[str, Any] = {
            "tool": {"driver": {
                "name": "claimcheck",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(rule) for rule in self.rules],
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": not errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": error}} for error in errors
                ],
            }],
            "results": self._results,
        }
        log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
        json.dump(log, self.stream, indent=2, ensure_ascii=False)
        self.write("\n")
