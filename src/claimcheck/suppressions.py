"""Inline suppressions (a post-filter on findings). Directives arrive with the Markdown/HTML readers."""

from __future__ import annotations

from collections.abc import Sequence

from claimcheck.documents.base import Document
from claimcheck.model import Finding
from claimcheck.ruleset.registry import RuleSet


def apply_suppressions(document: Document, findings: Sequence[Finding], rules: RuleSet) -> list[Finding]:
    return list(findings)
