"""The reporter interface: the CLI feeds each linted file's findings in order, then a summary."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from claimcheck.documents.base import Document
from claimcheck.model import Finding, Severity
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
    errors: list[str] = field(default_factory=list)  # one-line input errors ("path: error: …")
    by_severity: Counter[Severity] = field(default_factory=Counter)
    by_code: Counter[str] = field(default_factory=Counter)

    def add(self, findings: list[Finding]) -> None:
        self.files += 1
        for finding in findings:
            self.by_severity[finding.severity] += 1
            self.by_code[finding.code] += 1

    @property
    def findings(self) -> int:
        return sum(self.by_severity.values())

    def unread(self) -> str:
        """" N files could not be linted." when some could not, else "" (appended to a summary line)."""
        return f" {plural(len(self.errors), 'file')} could not be linted." if self.errors else ""


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    quiet: bool = False
    statistics: bool = False
    show_source: bool = True


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
