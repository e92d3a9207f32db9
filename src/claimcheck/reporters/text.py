"""``--format text`` (default): ``path:line:col: CODE message``, the source line with the claim underlined,
and a summary. Colour only on a terminal without ``NO_COLOR``."""

from __future__ import annotations

import click

from claimcheck.documents.base import Document
from claimcheck.model import Finding, Severity
from claimcheck.reporters.base import Reporter, Summary, plural
from claimcheck.ruleset.registry import RuleSet
from claimcheck.terminal import printable, printable_path

WIDTH = 100  # characters of a long source line shown around the claim
SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def statistics_table(summary: Summary, rules: RuleSet) -> str:
    """``--statistics``: one line per rule code with its number of findings."""
    lines = []
    for code, count in sorted(summary.by_code.items()):
        rule = rules.get(code)
        lines.append(printable(f"{count:>5}  {code}  {rule.meta.name if rule else ''}") + "\n")
    return "".join(lines)


def shown_source(text: str) -> str:
    """Source text for the frame: a tab as one space (columns count it as one), controls escaped."""
    return printable(text.expandtabs(1))


class TextReporter(Reporter):
    def style(self, text: str, **styles: object) -> str:
        return click.style(text, **styles) if self.options.color else text  # type: ignore[arg-type]

    def finding(self, finding: Finding, document: Document) -> None:
        if self.options.statistics:
            return
        where = f"{printable_path(finding.path)}:{finding.position.line}:{finding.position.column}:"
        code = self.style(finding.code, fg=SEVERITY_COLORS[finding.severity], bold=True)
        self.write(f"{self.style(where, bold=True)} {code} {printable(finding.message)}\n")
        if self.options.show_source and not finding.document_level:
            self.write(self.frame(finding, document))

    def frame(self, finding: Finding, document: Document) -> str:
        """The first source line of the finding, cut to WIDTH around it, with the claim underlined."""
        line_number = finding.position.line
        line_start = document.lines.offset(type(finding.position)(line_number, 1))
        line_end = document.source.find("\n", line_start)
        line = document.source[line_start: len(document.source) if line_end == -1 else line_end].rstrip("\r")
        start = finding.position.column - 1
        end = len(line)
        if finding.end_position.line == line_number:
            end = max(start, min(finding.end - line_start, end))
        left = max(0, min(start - 30, len(line) - WIDTH))
        right = min(len(line), max(left + WIDTH, end))
        # Escaped piece by piece, so the carets stay under the claim when a control character widens.
        before = ("…" if left else "") + shown_source(line[left:start])
        claim = shown_source(line[start:end])
        shown = before + claim + shown_source(line[end:right]) + ("…" if right < len(line) else "")
        marks = "^" * max(1, len(claim))
        gutter = " " * len(str(line_number))
        return (f"{gutter} |\n{line_number} | {shown}\n"
                f"{gutter} | {' ' * len(before)}{self.style(marks, fg=SEVERITY_COLORS[finding.severity])}\n")

    def finish(self, summary: Summary) -> None:
        if self.options.statistics:
            self.write(statistics_table(summary, self.rules))
        if self.options.quiet:
            return
        files = plural(summary.files, "file")
        unread = summary.unread()
        if not summary.findings:
            color = "red" if summary.errors else "green"
            self.write(self.style(f"No problems found in {files}.", fg=color) + unread + "\n")
            return
        parts = [plural(summary.by_severity[s], str(s)) for s in sorted(summary.by_severity, reverse=True)]
        self.write(f"Found {plural(summary.findings, 'problem')} ({', '.join(parts)}) in {files}.{unread}\n")
