"""``--format github``: GitHub Actions workflow commands; each finding becomes an annotation on the PR.

``::error file=drafts/a.md,line=3,col=5,endLine=3,endColumn=12,title=CC101::message`` (``warning`` and
``notice`` by severity). Paths are relative to the working directory: run from the repository root.
Document-level findings (a missing statement) point at line 1 without columns. Plain lines (the summary and
the ``--statistics`` table) go to the job log as they are.
"""

from __future__ import annotations

import re

from claimcheck.documents.base import Document
from claimcheck.model import Finding, Severity
from claimcheck.reporters.base import Reporter, Summary, relative_path
from claimcheck.reporters.text import statistics_table
from claimcheck.terminal import printable

_UNDECODED = re.compile("[\ud800-\udfff]")  # bytes of a file name that is not UTF-8
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a workflow command's message (see the runner's ``escapeData``)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command property value (see the runner's ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    # The message is escaped for the log first (controls, ANSI, direction marks), then for the command
    # syntax ('%', CR, LF: a multi-line annotation; also ':' and ',' in properties). '::' in a message
    # needs nothing more: with line breaks escaped it cannot start a command, and the runner would show
    # '%3A' there literally. The file keeps its real name, so the annotation finds the file, unless it is
    # not UTF-8 (then no name would).
    path = relative_path(finding.path)
    properties = [("file", printable(path) if _UNDECODED.search(path) else path),
                  ("line", str(finding.position.line))]
    if not finding.document_level:
        properties += [("col", str(finding.position.column)), ("endLine", str(finding.end_position.line)),
                       ("endColumn", str(finding.end_position.column))]
    properties.append(("title", finding.code))
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    message = escape_data(printable(finding.message, keep="\r\n"))
    return f"::{COMMANDS[finding.severity]} {joined}::{message}\n"


class GithubReporter(Reporter):
    def finding(self, finding: Finding, document: Document) -> None:
        self.write(annotation(finding))

    def finish(self, summary: Summary) -> None:
        if self.options.statistics:
            self.write(statistics_table(summary, self.rules))
        if self.options.quiet:
            return
        line = summary.line()
        self.write(f"claimcheck: {line[0].lower()}{line[1:]}\n")
