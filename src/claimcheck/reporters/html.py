"""``--format html``: one self-contained page for a reviewer who does not use a terminal.

A summary (drafts, findings per severity and per rule, drafts that could not be read), a table of contents,
then every draft as a reader sees it with its findings highlighted and explained in the margin (see
:mod:`claimcheck.reporters.htmlrender`). Drafts without findings are collapsed, so a run over hundreds of
drafts opens quickly. The page has its style inline and loads nothing: no script, font or image, so it opens
from disk, can be mailed, and prints as it shows. Each finding has a stable anchor, ``#f-…`` (see
:func:`~claimcheck.reporters.htmlrender.finding_anchors`).
"""

from __future__ import annotations

from collections import Counter

from claimcheck import __version__
from claimcheck.documents import parse
from claimcheck.documents.base import Document
from claimcheck.model import Finding, Severity
from claimcheck.reporters.base import Reporter, Summary, plural, relative_path, run_errors
from claimcheck.reporters.htmlrender import (
    SEVERITY_CLASS,
    STYLE,
    draft_anchor,
    escape,
    render_draft,
    suppression_of,
)


def reader_view(path: str, document: Document) -> Document:
    """The document with its blocks: drafts linted in a worker process or answered from the cache come
    back without them, and are parsed again here."""
    if document.blocks or not document.source.strip():
        return document
    return parse(path, document.source, document.format)


class HtmlReporter(Reporter):
    def start(self) -> None:
        self._drafts: list[str] = []
        self._contents: list[str] = []

    def file(self, path: str, document: Document, findings: list[Finding]) -> None:
        shown = relative_path(path)
        anchor = draft_anchor(shown)
        body = render_draft(reader_view(path, document), findings, self.rules)
        # Suppressed findings are shown (greyed, with their reason) but are not problems.
        problems = [finding for finding in findings if suppression_of(finding) is None]
        counts = Counter(finding.severity for finding in problems)
        said = ", ".join(f"{plural(counts[severity], str(severity))}" for severity in
                         sorted(counts, reverse=True))
        if len(problems) < len(findings):
            said += (", " if said else "") + f"{len(findings) - len(problems)} suppressed"
        said = said or "no findings"
        title = f'<span class="path">{escape(shown)}</span> <span class="count">{escape(said)}</span>'
        self._contents.append(f'<li><a href="#{anchor}">{escape(shown)}</a> <span class="count">'
                              f"{escape(said)}</span></li>")
        if findings:
            self._drafts.append(f'<section class="draft" id="{anchor}"><h2>{title}</h2>{body}</section>')
        else:
            self._drafts.append(f'<details class="draft" id="{anchor}"><summary>{title}</summary>{body}'
                                "</details>")

    def finish(self, summary: Summary) -> None:
        self.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                   # Nothing may load from anywhere, whatever a draft says.
                   "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "style-src 'unsafe-inline'\">\n"
                   f"<title>claimcheck report: {escape(summary.line())}</title>\n"
                   f"<style>{STYLE}</style>\n</head>\n<body>\n")
        self.write(f"<header><h1>claimcheck report</h1><p>{escape(summary.line())}</p></header>\n")
        self.write(self.summary_section(summary))
        if self._contents:
            self.write('<nav id="contents"><h2>Drafts</h2><ol>\n' + "\n".join(self._contents)
                       + "\n</ol></nav>\n")
        self.write("<main>\n" + "\n".join(self._drafts) + "\n</main>\n")
        self.write(f'<footer><p class="count">Made by claimcheck {escape(__version__)}.</p></footer>\n'
                   "</body>\n</html>\n")

    def summary_section(self, summary: Summary) -> str:
        rows = [f'<tr><td class="{SEVERITY_CLASS[severity]}"><span class="sev">{severity}</span></td>'
                f'<td class="n">{summary.by_severity[severity]}</td></tr>'
                for severity in sorted(Severity, reverse=True) if summary.by_severity[severity]]
        parts = ['<section id="summary"><h2>Summary</h2>',
                 f"<p>{plural(summary.files, 'draft')} linted, {plural(summary.files_with_findings, 'draft')}"
                 f" with findings, {plural(summary.findings, 'finding')}.</p>"]
        if rows:
            parts.append("<table><thead><tr><th>Severity</th><th>Findings</th></tr></thead><tbody>"
                         + "".join(rows) + "</tbody></table>")
        if summary.by_code:
            rule_rows = []
            for code, count in sorted(summary.by_code.items()):
                rule = self.rules.get(code)
                name = escape(rule.meta.name) if rule else ""
                rule_rows.append(f'<tr><td>{escape(code)}</td><td>{name}</td><td class="n">{count}</td></tr>')
            parts.append("<table><thead><tr><th>Rule</th><th>Name</th><th>Findings</th></tr></thead><tbody>"
                         + "".join(rule_rows) + "</tbody></table>")
        errors = run_errors(summary)
        if errors:
            parts.append(f"<h3>{plural(len(errors), 'draft')} could not be read or linted</h3>"
                         '<ul class="errors">')
            for error in errors:
                where = escape(relative_path(error.path)) + ": " if error.path else ""
                parts.append(f'<li><span class="path">{where}</span>{escape(error.message)} '
                             f"({escape(error.code)})</li>")
            parts.append("</ul>")
        if summary.skipped:
            said = plural(summary.skipped, "file")
            parts.append(f"<p>{said} skipped (not a draft format, or excluded).</p>")
        parts.append("</section>\n")
        return "".join(parts)
