"""The reporter interface: the CLI feeds each linted file's findings in order, then a summary."""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from claimcheck.documents.base import Document
from claimcheck.model import Edit, Finding, Position, Severity
from claimcheck.ruleset.registry import RuleSet


def relative_path(path: str) -> str:
    """``path`` relative to the working directory with forward slashes, as CI annotations and SARIF expect.

    A path outside the working directory becomes absolute; ``<stdin>`` is returned as is.
    """
    if path.startswith("<"):
        return path
    try:
        relative = os.path.relpath(os.path.abspath(path))
    except ValueError:  # another drive on Windows
        return Path(path).as_posix()
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return Path(os.path.abspath(path)).as_posix()
    return Path(relative).as_posix()


@dataclass
class Summary:
    files: int = 0
    files_with_findings: int = 0
    errors: list[str] = field(default_factory=list)  # one-line input errors ("path: error: …")
    skipped: int = 0  # files left out and named on standard error (excluded, or not a readable format)
    no_drafts: str | None = None  # the error line when the paths held no draft to lint at all
    by_severity: Counter[Severity] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)
    fixing: bool = False  # --fix or --diff
    fixed: int = 0  # findings fixed (with --diff: that would be fixed)
    fixed_files: int = 0
    fixable: int = 0  # findings left that --fix would fix
    unsafe_fixable: int = 0  # findings left that only --unsafe-fixes would fix

    def add(self, findings: list[Finding]) -> None:
        self.files += 1
        self.files_with_findings += bool(findings)
        for finding in findings:
            self.by_severity[finding.severity] += 1
            self.by_code[finding.code] += 1
            if finding.fix is not None and finding.fix.applies(unsafe=True):
                if finding.fix.applies():
                    self.fixable += 1
                else:
                    self.unsafe_fixable += 1

    def fix_line(self) -> str:
        """What was fixed and what more could be ("" when there is nothing to say)."""
        said = []
        if self.fixed:
            said.append(f"Fixed {plural(self.fixed, 'problem')} in {plural(self.fixed_files, 'file')}.")
        if self.fixable and not self.fixing:
            said.append(f"{self.fixable} fixable with 'claimcheck check --fix'.")
        if self.unsafe_fixable:
            said.append(f"{self.unsafe_fixable} more fixable with '--fix --unsafe-fixes' (it changes "
                        "regulated wording: review the result).")
        return " ".join(said)

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def unread(self) -> str:
        """" N files could not be linted. M files skipped." for those there are (appended to a summary)."""
        said = f" {plural(len(self.errors), 'file')} could not be linted." if self.errors else ""
        return said + (f" {plural(self.skipped, 'file')} skipped." if self.skipped else "")

    def where(self) -> str:
        """"in 2 files", or "in 1 of 3 files" when some linted files had no findings."""
        if self.files_with_findings == self.files:
            return f"in {plural(self.files, 'file')}"
        return f"in {self.files_with_findings} of {plural(self.files, 'file')}"

    def line(self) -> str:
        """The closing line of the text formats (without colour and severity counts)."""
        if not self.files:
            return f"No draft was linted.{self.unread()}"
        if not self.findings:
            return f"No problems found in {plural(self.files, 'file')}.{self.unread()}"
        return f"Found {plural(self.findings, 'problem')} {self.where()}.{self.unread()}"


@dataclass(frozen=True)
class RunError:
    """An error line of a run ("where: error: message") taken apart for the machine-readable formats."""

    path: str | None
    line: int | None
    column: int | None
    message: str
    kind: str  # "input-error" (a draft that could not be read or linted), "pattern-timeout", "no-drafts"
    code: str  # the error class's code (see claimcheck.errors)

    @classmethod
    def parse(cls, text: str, kind: str = "input-error") -> RunError:
        where, found, message = text.partition(": error: ")
        if not found:
            return cls(None, None, None, text.removeprefix("error: "), kind, ERROR_CODES[kind])
        located = re.fullmatch(r"(.*?)(?::(\d+))?(?::(\d+))?", where)
        assert located is not None  # the pattern matches any string
        path, line, column = located.group(1), located.group(2), located.group(3)
        timeout = re.search(r" \(on (.+)\)$", message)
        if kind == "input-error" and timeout and "took over" in message:
            # A rule's pattern timed out on a draft: the location is the rule's, the draft is named last.
            message = f"{message[:timeout.start()]} (rule at {where})"
            kind = "pattern-timeout"
            return cls(timeout.group(1), None, None, message, kind, ERROR_CODES[kind])
        return cls(path, int(line) if line else None, int(column) if column else None, message, kind,
                   ERROR_CODES[kind])


ERROR_CODES = {"input-error": "E004", "pattern-timeout": "E005", "no-drafts": "E004"}


def run_errors(summary: Summary) -> list[RunError]:
    """Every error of the run: drafts that could not be linted, and paths that held no draft at all."""
    errors = [RunError.parse(error) for error in summary.errors]
    if summary.no_drafts:
        errors.append(RunError.parse(summary.no_drafts, "no-drafts"))
    return errors


def edit_range(document: Document, edit: Edit) -> tuple[Position, Position]:
    """Where an edit of a fix starts and ends, as line and column (end exclusive) of the original file."""
    lines = document.lines
    return lines.position(edit.start), lines.position(edit.end)


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    quiet: bool = False
    statistics: bool = False
    show_source: bool = True
    width: int = 100  # terminal columns a source frame may take


class Reporter:
    """Subclasses override what they need; ``file`` is called for every linted file, clean ones too."""

    def __init__(self, stream: TextIO, rules: RuleSet, options: ReportOptions) -> None:
        self.stream = stream
        self.rules = rules
        self.options = options

    def start(self) -> None:
        pass

    def file(self, path: str, document: Document, findings: list[Finding]) -> None:
        for finding in findings:
            self.finding(finding, document)

    def finding(self, finding: Finding, document: Document) -> None:
        pass

    def finish(self, summary: Summary) -> None:
        pass

    def write(self, text: str) -> None:
        self.stream.write(text)
