"""``--format text`` (default): ``path:line:col: CODE message``, the source line with the claim underlined,
and a summary. Colour only on a terminal without ``NO_COLOR``."""

from __future__ import annotations

import click

from claimcheck.documents.base import Document
from claimcheck.model import Finding, Severity
from claimcheck.reporters.base import Reporter, Summary, plural
from claimcheck.reporters.display import cell_widths, window
from claimcheck.reporters.display import printable as one_cell_each
from claimcheck.ruleset.registry import RuleSet
from claimcheck.terminal import printable, printable_path

MIN_WIDTH = 40  # a frame narrower than this would show too little of the line to recognise it
SEVERITY_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def statistics_table(summary: Summary, rules: RuleSet) -> str:
    """``--statistics``: one line per rule code with its number of findings."""
    lines = []
    for code, count in sorted(summary.by_code.items()):
        rule = rules.get(code)
        lines.append(printable(f"{count:>5}  {code}  {rule.meta.name if rule else ''}") + "\n")
    return "".join(lines)


class TextReporter(Reporter):
    def style(self, text: str, **styles: object) -> str:
        return click.style(text, **styles) if self.options.color else text  # type: ignore[arg-type]

    def finding(self, finding: Finding, document: Document) -> None:
        if self.options.statistics:
            return
        position = finding.position
        where = self.style(f"{printable_path(finding.path)}:{position.line}:{position.column}:",
                           bold=True)
        color = SEVERITY_COLORS[finding.severity]
        code = self.style(finding.code, fg=color, bold=True)
        # The severity in words, not only as a colour: logs, screen readers and NO_COLOR terminals see it too.
        severity = self.style(f"[{finding.severity}]", fg=color)
        self.write(f"{where} {code} {severity} {printable(finding.message)}\n")
        if self.options.show_source and not finding.document_level:
            self.write(self.frame(finding, document))

    def frame(self, finding: Finding, document: Document) -> str:
        """The first source line of the finding, cut to the report's width around it, with the claim
        underlined; both measured in terminal cells, so wide characters do not shift the carets."""
        line_number = finding.position.line
        line_start = document.lines.offset(type(finding.position)(line_number, 1))
        line_end = document.source.find("\n", line_start)
        line = document.source[line_start: len(document.source) if line_end == -1 else line_end].rstrip("\r")
        line = one_cell_each(line)  # offsets stay the same, so the carets stay under the claim
        start = min(finding.position.column - 1, len(line))
        end = len(line)
        if finding.end_position.line == line_number:
            end = min(finding.end - line_start, end)
        gutter = " " * len(str(line_number))
        widths = cell_widths(line)
        left, right = window(widths, start, max(MIN_WIDTH, self.options.width) - len(gutter) - 3)
        shown = ("…" if left else "") + line[left:right] + ("…" if right < len(line) else "")
        pad = sum(widths[left:start]) + (1 if left else 0)
        marks = "^" * max(1, sum(widths[start:min(end, right)]) + (1 if end > right else 0))
        return (f"{gutter} |\n{line_number} | {shown}\n"
                f"{gutter} | {' ' * pad}{self.style(marks, fg=SEVERITY_COLORS[finding.severity])}\n")

    def finish(self, summary: Summary) -> None:
        if self.options.statistics:
            self.write(statistics_table(summary, self.rules))
        if self.options.quiet:
            return
        unread = summary.unread()
        fixes = f"\n{summary.fix_line()}" if summary.fix_line() else ""  # a line of its own, as in ruff
        if not summary.files:
            self.write(self.style("No draft was linted.", fg="red") + unread + "\n")
            return
        if not summary.findings:
            color = "red" if summary.errors else "green"
            self.write(self.style(f"No problems found in {plural(summary.files, 'file')}.", fg=color)
                       + unread + fixes + "\n")
            return
        parts = [plural(summary.by_severity[s], str(s)) for s in sorted(summary.by_severity, reverse=True)]
        self.write(f"Found {plural(summary.findings, 'problem')} ({', '.join(parts)}) {summary.where()}."
                   f"{unread}{fixes}\n")
