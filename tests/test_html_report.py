"""``--format html``: a self-contained report that a draft cannot inject markup into, with findings in place.

The golden file (``tests/golden/html.golden``) is checked with the other formats in ``test_reporters.py``;
these tests check what a golden file cannot show on its own: escaping of hostile drafts, that nothing is
loaded from anywhere, stable and unique anchors, collapsed clean drafts, and the reader's view coming back
for drafts linted in worker processes or answered from the cache.
"""

from __future__ import annotations

import io
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from claimcheck.cli import cli
from claimcheck.documents import parse
from claimcheck.model import Applicability, Edit, Finding, Fix
from claimcheck.reporters import ReportOptions, Summary
from claimcheck.reporters.html import HtmlReporter
from claimcheck.reporters.htmlrender import finding_anchors, rule_advice, suppression_of
from claimcheck.reporters.sarif import claim_fingerprints

from conftest import default_engine, lint_text

CLAIM = "In our spring survey, 81% of patients reported less pain after the injection."
DISCLAIMER = ("This content is for general informational purposes only and does not constitute medical "
              "advice, diagnosis, or treatment.")
# Every tag the report itself writes; anything else would have come from a draft.
REPORT_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2", "h3", "p", "section",
               "table", "thead", "tbody", "tr", "th", "td", "nav", "ol", "ul", "li", "a", "main", "details",
               "summary", "div", "span", "mark", "sup", "aside", "strong", "blockquote", "footer"}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <mark>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.marks: list[str] = []
        self._in_mark = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "mark":
            self._in_mark = True
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark = False

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks[-1] += data


def tags_of(report: str) -> Tags:
    parser = Tags()
    parser.feed(report)
    return parser


def report_for(tmp_path: Path, files: dict[str, str], *args: str) -> tuple[int, str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = tmp_path / "report.html"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["check", "--isolated", "--no-cache", "--format", "html",
                                          "--output-file", str(out), *args, *files])
    finally:
        os.chdir(cwd)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, out.read_text(encoding="utf-8")


def test_a_draft_cannot_inject_markup(tmp_path: Path) -> None:
    hostile = ('<script>alert("x")</script> ' + CLAIM + ' </textarea><img src=x onerror="alert(1)"> '
               '"quoted" & <!-- not a comment --> \x01')
    status, report = report_for(tmp_path, {"hostile.txt": hostile + "\n\n" + DISCLAIMER + "\n"})
    assert status == 1
    parsed = tags_of(report)
    assert {tag for tag, _ in parsed.tags} <= REPORT_TAGS
    assert "<script" not in report and "</textarea>" not in report and "<img" not in report
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in report
    assert "&lt;/textarea&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in report
    assert "&lt;!-- not a comment --&gt; \ufffd" in report  # a control character cannot reach the page
    assert parsed.marks == ["81% of patients reported less pain after the injection"]


def test_a_hostile_file_name_is_escaped(tmp_path: Path) -> None:
    name = 'a"><b onmouseover=x>.txt'
    _, report = report_for(tmp_path, {name: CLAIM + "\n\n" + DISCLAIMER + "\n"})
    assert "<b " not in report and "a&quot;&gt;&lt;b onmouseover=x&gt;.txt" in report


def test_the_report_loads_nothing(tmp_path: Path) -> None:
    markdown = (f"# Results\n\n![chart](http://example.invalid/chart.png)\n\n[our study](https://example.invalid)"
                f"\n\n{CLAIM}\n\n<img src=\"//cdn.example.invalid/x.png\">\n\n{DISCLAIMER}\n")
    _, report = report_for(tmp_path, {"page.md": markdown})
    parsed = tags_of(report)
    assert all("src" not in attrs for _, attrs in parsed.tags)
    hrefs = [attrs["href"] for tag, attrs in parsed.tags if "href" in attrs]
    assert hrefs and all(href is not None and href.startswith("#") for href in hrefs)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:|//)""", report)
    assert "<link" not in report and "@import" not in report and "url(" not in report
    assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; " \
           "style-src 'unsafe-inline'\">" in report


def test_anchors_are_the_sarif_fingerprints_per_file_and_survive_edits_above(tmp_path: Path) -> None:
    text = f"{CLAIM}\n\n{CLAIM}\n\n{DISCLAIMER}\n"
    findings = lint_text(text, "a.txt")
    anchors = finding_anchors("a.txt", findings)
    fingerprints = claim_fingerprints(findings)
    assert [a.split("-", 2)[2] for a in anchors] == [f.replace(":", "-") for f in fingerprints]
    assert anchors[0].endswith("-0") and anchors[1].endswith("-1") and len(set(anchors)) == 2
    # A paragraph added above moves every line but keeps every anchor.
    moved = lint_text("A new opening paragraph.\n\n" + text, "a.txt")
    assert finding_anchors("a.txt", moved) == anchors
    # The same claim in another draft is another anchor: one report holds both.
    assert set(finding_anchors("b.txt", findings)).isdisjoint(anchors)
    _, report = report_for(tmp_path, {"a.txt": text, "b.txt": text})
    ids = [attrs["id"] for _, attrs in tags_of(report).tags if "id" in attrs]
    assert len(ids) == len(set(ids))
    for anchor in anchors:
        assert f'<span class="target" id="{anchor}"></span><mark' in report
        assert f'<div class="note sev-error" id="n-{anchor}">' in report
        assert f'href="#{anchor}"' in report and f'href="#n-{anchor}"' in report


def test_clean_drafts_are_collapsed_and_drafts_with_findings_open(tmp_path: Path) -> None:
    _, report = report_for(tmp_path, {"clean.txt": "Plain words.\n\n" + DISCLAIMER + "\n",
                                      "claim.txt": CLAIM + "\n\n" + DISCLAIMER + "\n"})
    assert re.search(r'<details class="draft" id="d-[0-9a-f]{12}"><summary><span class="path">clean\.txt'
                     r'</span> <span class="count">no findings</span></summary>', report)
    assert re.search(r'<section class="draft" id="d-[0-9a-f]{12}"><h2><span class="path">claim\.txt</span> '
                     r'<span class="count">1 error</span></h2>', report)
    assert "<p>2 drafts linted, 1 draft with findings, 1 finding.</p>" in report


def test_summary_lists_drafts_that_could_not_be_read(tmp_path: Path) -> None:
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    status, report = report_for(tmp_path, {"claim.txt": CLAIM + "\n\n" + DISCLAIMER + "\n"}, "binary.txt")
    assert status == 2
    assert "<h3>1 draft could not be read or linted</h3>" in report
    assert re.search(r'<li><span class="path">binary\.txt: </span>[^<]+ \(E004\)</li>', report)


def test_markup_is_rendered_as_the_reader_sees_it(tmp_path: Path) -> None:
    markdown = ("# How it is regulated\n\nOur team uses an **FDA-approved** technique.\n\n"
                f"- {CLAIM}\n\n{DISCLAIMER}\n")
    _, report = report_for(tmp_path, {"page.md": markdown})
    parsed = tags_of(report)
    assert parsed.marks == ["FDA-approved", "81% of patients reported less pain after the injection"]
    assert "**" not in report and "<h3>How it is regulated</h3>" in report
    assert "<ul><li>In our spring survey, <span class=\"target\"" in report  # a list item stays one
    # The rule's "what to write instead", without its lead-in, is in the note.
    advice = rule_advice(default_engine().rules, "CC201")
    assert advice and not advice.startswith("What to write")
    assert f'<span class="label">What to write instead:</span> {advice.replace(chr(34), "&quot;")}' in report


def test_hidden_text_is_shown_and_labelled(tmp_path: Path) -> None:
    page = (f'<p>{DISCLAIMER}</p><p style="display:none">{CLAIM}</p>')
    _, report = report_for(tmp_path, {"page.html": page})
    assert '<div class="block hidden flagged"><div class="text"><p><span class="kind">hidden from readers' \
           "</span> In our spring survey" in report


@pytest.mark.parametrize("args", [["--jobs", "2"], []])
def test_drafts_linted_elsewhere_or_cached_come_back_with_their_text(tmp_path: Path, args: list[str]) -> None:
    # Worker processes and the cache return findings without the parsed blocks: the reporter reads again.
    drafts = {f"d{n}.txt": f"Draft {n}.\n\n{CLAIM}\n\n{DISCLAIMER}\n" for n in range(3)}
    _, plain = report_for(tmp_path, drafts)
    for name in drafts:
        (tmp_path / name).write_text(drafts[name], encoding="utf-8")
    out = tmp_path / "again.html"
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for _ in range(2):  # the second run is answered from the cache
            CliRunner().invoke(cli, ["check", "--isolated", "--format", "html", "-o", str(out), *args, *drafts])
            assert out.read_text(encoding="utf-8") == plain
    finally:
        os.chdir(cwd)
    assert plain.count("<mark ") == 3


def make_report(findings: list[Finding], source: str, path: str = "draft.txt") -> str:
    stream = io.StringIO()
    reporter = HtmlReporter(stream, default_engine().rules, ReportOptions())
    reporter.start()
    reporter.file(path, parse(path, source), findings)
    summary = Summary()
    summary.add(findings)
    reporter.finish(summary)
    return stream.getvalue()


def test_the_fix_title_is_shown_when_a_finding_has_a_fix() -> None:
    source = CLAIM + "\n\n" + DISCLAIMER + "\n"
    finding = next(f for f in lint_text(source) if f.code == "CC101")
    fix = Fix("Add 'Individual outcomes vary.' <here>", Applicability.SAFE,
              (Edit(len(CLAIM), len(CLAIM), " Individual outcomes vary."),))
    report = make_report([Finding(**{**{s: getattr(finding, s) for s in Finding.__slots__}, "fix": fix})],
                         source)
    assert ('<p class="fix"><span class="label">Fix (safe):</span> Add &#x27;Individual outcomes vary.&#x27; '
            "&lt;here&gt;</p>") in report
    assert "<button" not in report  # the static report has nothing to press


class AuditedFinding(Finding):
    """A finding as the audit trail records a suppressed one (a subclass: ``Finding`` has slots)."""


def test_suppressed_findings_are_greyed_with_their_reason_and_reviewer() -> None:
    source = CLAIM + "\n\n" + DISCLAIMER + "\n"
    finding = next(f for f in lint_text(source) if f.code == "CC101")
    audited = AuditedFinding(**{s: getattr(finding, s) for s in Finding.__slots__})
    object.__setattr__(audited, "suppressed", True)  # frozen: set as the dataclass's own __init__ does
    object.__setattr__(audited, "suppression", SimpleNamespace(reason="registry <figure>", by="compliance-team"))
    assert suppression_of(audited) == ("registry <figure>", "compliance-team")
    assert suppression_of(finding) is None
    report = make_report([audited], source)
    assert '<mark class="sup-finding"' in report and '<div class="note sup-finding"' in report
    assert '<p class="suppressed">Suppressed: registry &lt;figure&gt; (by compliance-team)</p>' in report
    # Shown, not counted as a problem; CC301 still is.
    cc301 = next(f for f in lint_text(CLAIM + "\n") if f.code == "CC301")
    both = make_report([cc301, audited], source)
    assert '<span class="count">1 error, 1 suppressed</span></h2>' in both


def render_seconds(claims: int) -> float:
    """Best-of-three time to render one paragraph holding ``claims`` claims (linting not timed)."""
    import time

    from claimcheck.reporters.htmlrender import render_draft

    source = " ".join(f"In survey {n}, 8{n % 10}% of patients reported less pain." for n in range(claims))
    document = parse("big.txt", source + "\n\n" + DISCLAIMER + "\n")
    findings = default_engine().lint(document)
    assert len(findings) == claims
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        render_draft(document, findings, default_engine().rules)
        best = min(best, time.perf_counter() - started)
    return best


def test_a_paragraph_with_many_claims_renders_in_linear_time() -> None:
    # 4x the claims: linear growth is 4, quadratic 16; the bound leaves room for a noisy shared machine.
    assert render_seconds(1600) / render_seconds(400) < 8
