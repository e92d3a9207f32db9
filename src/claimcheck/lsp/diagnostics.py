"""Findings and errors as LSP diagnostics, at positions in the editor's code units."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from claimcheck.errors import ClaimcheckError
from claimcheck.lsp.settings import Settings
from claimcheck.lsp.text import Position, SourceText
from claimcheck.model import Finding, Severity
from claimcheck.reading import Unreadable, read_regular

SOURCE = "claimcheck"
SEVERITIES = {Severity.ERROR: types.DiagnosticSeverity.Error,
              Severity.WARNING: types.DiagnosticSeverity.Warning,
              Severity.INFO: types.DiagnosticSeverity.Information}
UNNECESSARY = frozenset({"unused-suppression"})  # editors grey these out, as they do unused imports
MAX_CONFIG_BYTES = 1_000_000


def lsp_range(text: SourceText, start: int, end: int) -> types.Range:
    return types.Range(_position(text.position(start)), _position(text.position(end)))


def _position(position: Position) -> types.Position:
    return types.Position(line=position.line, character=position.character)


def finding_range(finding: Finding, text: SourceText) -> types.Range:
    """Where a finding stands; one about the whole draft (a missing statement) covers the first line, as
    the CLI reports it at 1:1, so that an editor has something to underline and hover."""
    if finding.document_level:
        first = text.line_text(0)
        return types.Range(types.Position(line=0, character=0),
                           types.Position(line=0, character=text.position(len(first)).character))
    return lsp_range(text, finding.start, finding.end)


def to_diagnostic(finding: Finding, text: SourceText, settings: Settings) -> types.Diagnostic:
    url = settings.docs_url(finding.code, finding.rule)
    return types.Diagnostic(
        range=finding_range(finding, text),
        message=finding.message,
        severity=SEVERITIES[finding.severity],
        code=finding.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        tags=[types.DiagnosticTag.Unnecessary] if finding.rule in UNNECESSARY else None,
        data={"rule": finding.rule, "start": finding.start, "end": finding.end},
    )


def failure_diagnostic(error: ClaimcheckError) -> types.Diagnostic:
    """The one diagnostic of a draft that could not be linted: why, at its first character."""
    zero = types.Position(line=0, character=0)
    return types.Diagnostic(range=types.Range(zero, zero), severity=types.DiagnosticSeverity.Error,
                            code=error.code, source=SOURCE,
                            message=f"claimcheck could not lint this draft: {error.message}")


def error_diagnostic(error: ClaimcheckError, encoding: str) -> types.Diagnostic:
    """A configuration or rule file error at its line and column (1-based, in characters), to the end of
    that line; without a line, at the top of the file."""
    text = _file_text(error.path, encoding)
    start = end = 0
    if error.line is not None and text is not None:
        lines = text.line_starts
        line = min(max(error.line - 1, 0), len(lines) - 1)
        start = min(lines[line] + max((error.column or 1) - 1, 0), len(text.text))
        end = max(start, text.offset(Position(line, 1 << 30)))
    where = lsp_range(text, start, end) if text is not None else types.Range(
        types.Position(line=0, character=0), types.Position(line=0, character=0))
    return types.Diagnostic(range=where, severity=types.DiagnosticSeverity.Error, code=error.code,
                            source=SOURCE, message=error.message)


def _file_text(path: str | None, encoding: str) -> SourceText | None:
    if not path:
        return None
    try:
        return SourceText(read_regular(Path(path), MAX_CONFIG_BYTES).decode("utf-8-sig", "replace"), encoding)
    except Unreadable:
        return None
