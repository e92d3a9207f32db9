"""``--format markdown``: one Markdown table of every finding and error, for a CI job summary.

GitHub shows at most 10 error and 10 warning annotations per step, so a pull request with more findings
loses the rest from the "Files changed" view; appending this report to ``$GITHUB_STEP_SUMMARY`` lists all of
them on the run's page. Table cells are escaped (``|``, line breaks, HTML) so a draft's text cannot break
the table or inject markup.
"""

from __future__ import annotations

import html

from claimcheck.documents.base import Document
from claimcheck.model import Finding
from claimcheck.reporters.base import Reporter, Summary, relative_path, run_errors


def cell(text: str) -> str:
    return html.escape(" ".join(text.split()), quote=False).replace("|", "\\|")


class MarkdownReporter(Reporter):
    def start(self) -> None:
        self._rows: list[str] = []

    def finding(self, finding: Finding, document: Document) -> None:
        self._rows.append(f"| {cell(relative_path(finding.path))} | {finding.position.line} | "
                          f"{finding.position.column} | {finding.code} | {finding.severity} | "
                          f"{cell(finding.message)} |")

    def finish(self, summary: Summary) -> None:
        for error in run_errors(summary):
            where = [str(part) if part is not None else "" for part in (error.line, error.column)]
            self._rows.append(f"| {cell(relative_path(error.path) if error.path else '')} | {where[0]} | "
                              f"{where[1]} | {error.code} | error | {cell(error.message)} |")
        self.write("## claimcheck\n\n")
        if self._rows:
            self.write("| File | Line | Column | Code | Severity | Message |\n")
            self.write("|------|-----:|-------:|------|----------|---------|\n")
            self.write("".join(row + "\n" for row in self._rows))
            self.write("\n")
        if not self.options.quiet:
            self.write(summary.line() + "\n")
