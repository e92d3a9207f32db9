"""A draft as a reader sees it, with its findings highlighted in place and explained in the margin.

Shared by ``--format html`` (a static report) and ``claimcheck serve`` (the page that checks one draft).
Every piece of a draft's text goes through :func:`escape`, so a draft cannot add markup to the page: its
``<script>`` or ``</textarea>`` arrive as text.

Findings carry source offsets; a block's :class:`~claimcheck.documents.base.OffsetMap` maps its text to the
source, so the text range of a finding is found by bisecting that map (the inverse direction). A finding
that lies in no block (a suppression comment, a whole-draft finding at 1:1) is listed above the draft.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from claimcheck.documents.base import Block, Document
from claimcheck.model import Applicability, Finding, Severity
from claimcheck.reporters.base import relative_path
from claimcheck.reporters.sarif import claim_fingerprints
from claimcheck.ruleset.registry import RuleSet

SEVERITY_CLASS = {Severity.ERROR: "sev-error", Severity.WARNING: "sev-warning", Severity.INFO: "sev-info"}
FIX_LABELS = {Applicability.SAFE: "Fix (safe)", Applicability.UNSAFE: "Fix (unsafe: changes the wording)",
              Applicability.DISPLAY_ONLY: "Suggestion"}
BLOCK_TAGS = {"heading": "h3", "list-item": "li", "blockquote": "blockquote"}
BLOCK_LABELS = {"metadata": "page metadata", "table-row": "table row", "caption": "caption"}
# C0 controls other than tab and line feed (and DEL) are not allowed in an HTML document: shown as U+FFFD.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
ADVICE_PREFIX = re.compile(r"^\s*What to write instead:\s*", re.IGNORECASE)


def escape(text: str) -> str:
    """``text`` as HTML text or attribute value: markup characters and quotes escaped, controls replaced."""
    return html.escape(_CONTROLS.sub("\ufffd", text), quote=True)


def finding_anchors(path: str, findings: Sequence[Finding]) -> list[str]:
    """Each finding's anchor, ``f-<file>-<SARIF fingerprint>``: the SARIF ``partialFingerprints`` value (rule
    code and claim wording, then the claim's index among its repeats; no line numbers, so an anchor survives
    edits elsewhere in the draft) prefixed with a short hash of the draft's path, since one report holds many
    drafts that may make the same claim."""
    file_hash = hashlib.sha256(relative_path(path).encode("utf-8", "surrogateescape")).hexdigest()[:8]
    return [f"f-{file_hash}-{fingerprint.replace(':', '-')}" for fingerprint in claim_fingerprints(findings)]


def draft_anchor(path: str) -> str:
    return "d-" + hashlib.sha256(relative_path(path).encode("utf-8", "surrogateescape")).hexdigest()[:12]


def rule_advice(rules: RuleSet, code: str) -> str:
    """The rule's "What to write instead" paragraph (its description's), without that lead-in."""
    rule = rules.get(code)
    if rule is None:
        return ""
    for paragraph in rule.meta.description.split("\n\n"):
        if ADVICE_PREFIX.match(paragraph):
            return " ".join(ADVICE_PREFIX.sub("", paragraph).split())
    return ""


def suppression_of(finding: Finding) -> tuple[str, str] | None:
    """(reason, reviewer) of a finding an inline suppression silenced, when the finding records one.

    Findings record suppressions once the audit trail lands (``finding.suppression`` with ``reason`` and
    ``by``); until then no finding reaching a reporter is suppressed, and this returns None.
    """
    suppression = getattr(finding, "suppression", None)
    if suppression is None or getattr(finding, "suppressed", True) is False:
        return None
    return str(getattr(suppression, "reason", "") or ""), str(getattr(suppression, "by", "") or "")


@dataclass(frozen=True)
class Placed:
    """A finding placed in a block: its number in the draft, anchor, and range of the block's text."""

    number: int
    anchor: str
    finding: Finding
    start: int
    end: int

    @property
    def css(self) -> str:
        return "sup-finding" if suppression_of(self.finding) else SEVERITY_CLASS[self.finding.severity]


def text_index(block: Block, source_offset: int) -> int:
    """The first index of ``block.text`` whose character stands at or after ``source_offset``."""
    low, high = 0, len(block.text)
    while low < high:
        middle = (low + high) // 2
        if block.offsets.start(middle) < source_offset:
            low = middle + 1
        else:
            high = middle
    return low


def place(block: Block, finding: Finding) -> tuple[int, int] | None:
    """The range of ``block.text`` the finding covers, or None when it does not start in this block."""
    if not block.text or not block.source_start <= finding.start < block.source_end:
        return None
    start = text_index(block, finding.start)
    if start >= len(block.text) or block.offsets.start(start) >= max(finding.end, finding.start + 1):
        return None  # the finding's start is markup between two pieces of this block's text
    end = max(text_index(block, finding.end), start + 1)
    return start, end


class BlockFinder:
    """Finds the block a finding starts in by bisecting the blocks' source starts (a draft may have
    thousands of blocks); blocks out of source order (HTML metadata, image alt text) are tried in turn."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.blocks = blocks
        self.order = sorted(range(len(blocks)), key=lambda index: blocks[index].source_start)
        self.starts = [blocks[index].source_start for index in self.order]

    def find(self, finding: Finding) -> tuple[int, tuple[int, int]] | None:
        at = bisect.bisect_right(self.starts, finding.start) - 1
        candidates = [self.order[at]] if at >= 0 else []
        for index in [*candidates, *range(len(self.blocks))]:
            where = place(self.blocks[index], finding)
            if where is not None:
                return index, where
        return None


def marked_text(text: str, placed: Sequence[Placed]) -> str:
    """The block's text, escaped, with each finding's range in ``<mark>`` (overlaps split into pieces).

    One sweep over the cut points, keeping the findings that cover the current piece: a paragraph with
    thousands of claims costs what its text and claims cost, not their product.
    """
    starting: dict[int, list[Placed]] = {}
    ending: dict[int, list[Placed]] = {}
    for p in placed:
        starting.setdefault(p.start, []).append(p)
        ending.setdefault(p.end, []).append(p)
    cuts = sorted({0, len(text), *starting, *ending})
    active: dict[str, Placed] = {}  # by anchor, in the order they started
    parts: list[str] = []
    for low, high in itertools.pairwise(cuts):
        for p in ending.get(low, ()):
            active.pop(p.anchor, None)
        for p in starting.get(low, ()):
            active[p.anchor] = p
            parts.append(f'<span class="target" id="{p.anchor}"></span>')
        piece = escape(text[low:high])
        if active:
            covering = list(active.values())
            worst = max(covering, key=lambda p: (not suppression_of(p.finding), p.finding.severity))
            names = " ".join(active)
            title = escape(", ".join(f"{p.finding.code} ({p.number})" for p in covering))
            piece = f'<mark class="{worst.css}" data-findings="{names}" title="{title}">{piece}</mark>'
        parts.append(piece)
        parts.extend(f'<sup class="ref"><a href="#n-{p.anchor}">{p.number}</a></sup>'
                     for p in ending.get(high, ()))
    return "".join(parts)


def note(placed: Placed, rules: RuleSet, advice: dict[str, str], fix_buttons: bool,
         located: bool = True) -> str:
    """The margin note of one finding: code and severity, message, what to write instead (``advice``, by
    code), the fix."""
    finding = placed.finding
    rule = rules.get(finding.code)
    name = f" {escape(rule.meta.name)}" if rule else ""
    where = f"{finding.position.line}:{finding.position.column}"
    # A note of a finding in no block is itself the finding's anchor; otherwise the anchor is in the text.
    link = f'<a href="#{placed.anchor}">{placed.number}</a>' if located else str(placed.number)
    identity = f"n-{placed.anchor}" if located else placed.anchor
    parts = [f'<div class="note {placed.css}" id="{identity}">'
             f'<p class="head"><span class="num">{link}</span> <strong>{escape(finding.code)}</strong>{name} '
             f'<span class="sev">{finding.severity}</span> <span class="where">line {where}</span></p>',
             f'<p class="msg">{escape(finding.message)}</p>']
    suppressed = suppression_of(finding)
    if suppressed:
        reason, by = suppressed
        said = escape(reason) if reason else "no reason given"
        parts.append(f'<p class="suppressed">Suppressed: {said}{f" (by {escape(by)})" if by else ""}</p>')
    instead = advice.get(finding.code, "")
    if instead:
        parts.append('<p class="advice"><span class="label">What to write instead:</span> '
                     f"{escape(instead)}</p>")
    if finding.fix is not None:
        fix = finding.fix
        parts.append(f'<p class="fix"><span class="label">{FIX_LABELS[fix.applicability]}:</span> '
                     f'{escape(fix.title)}</p>')
        if fix_buttons and fix.applies() and not suppressed:
            parts.append(f'<button type="button" class="apply-fix" data-anchor="{placed.anchor}">'
                         f'Apply this fix</button>')
    parts.append("</div>")
    return "".join(parts)


def render_draft(document: Document, findings: Sequence[Finding], rules: RuleSet,
                 fix_buttons: bool = False) -> str:
    """The draft's blocks as HTML, each beside the notes of the findings that start in it; findings in no
    block (whole-draft ones, those in comments) are listed first."""
    anchors = finding_anchors(document.path, findings)
    ordered = sorted(zip(findings, anchors, strict=True), key=lambda pair: pair[0].sort_key)
    numbers = {anchor: number for number, (_, anchor) in enumerate(ordered, 1)}
    by_block: dict[int, list[Placed]] = {}
    unplaced: list[Placed] = []
    blocks = BlockFinder(document.blocks)
    for finding, anchor in ordered:
        spot = None if finding.document_level else blocks.find(finding)
        if spot is None:
            unplaced.append(Placed(numbers[anchor], anchor, finding, 0, 0))
        else:
            index, (start, end) = spot
            by_block.setdefault(index, []).append(Placed(numbers[anchor], anchor, finding, start, end))
    advice = {code: rule_advice(rules, code) for code in {finding.code for finding in findings}}
    parts: list[str] = []
    if unplaced:
        parts.append('<div class="whole"><p class="whole-head">About the whole draft, or not in its visible '
                     'text:</p>')
        parts.extend(note(p, rules, advice, fix_buttons, located=False) for p in unplaced)
        parts.append("</div>")
    for index, block in enumerate(document.blocks):
        placed = by_block.get(index, [])
        parts.append(render_block(block, placed, rules, advice, fix_buttons))
    if not document.blocks:
        parts.append('<p class="empty">This draft has no text a reader sees.</p>')
    return "\n".join(parts)  # a line per block: a changed report reads well in a diff


def render_block(block: Block, placed: Sequence[Placed], rules: RuleSet, advice: dict[str, str],
                 fix_buttons: bool) -> str:
    tag = BLOCK_TAGS.get(block.kind, "p")
    label = BLOCK_LABELS.get(block.kind, "")
    if not block.visible:
        label = "hidden from readers" + (f", {label}" if label else "")
    classes = "block" + ("" if block.visible else " hidden") + (" flagged" if placed else "")
    tagged = f'<span class="kind">{label}</span> ' if label else ""
    text = f"<{tag}>{tagged}{marked_text(block.text, placed)}</{tag}>"
    if tag == "li":
        text = f"<ul>{text}</ul>"
    notes = "".join(note(p, rules, advice, fix_buttons) for p in placed)
    aside = f'<aside class="notes">{notes}</aside>' if notes else ""
    return f'<div class="{classes}"><div class="text">{text}</div>{aside}</div>'


# One style sheet for the report and the page; print media drop the colours' backgrounds for outlines.
STYLE = """
:root { --error: #b3261e; --error-bg: #fde7e4; --warning: #8a5a00; --warning-bg: #fff1cc;
  --info: #1f5aa6; --info-bg: #e3eefc; --muted: #5f6368; --line: #d9d9de; }
* { box-sizing: border-box; }
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f;
  margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; } h2 { font-size: 1.25rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid var(--line);
  padding: .2rem .6rem; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.draft { border-top: 2px solid var(--line); margin-top: 1.5rem; padding-top: .5rem; }
/* Drafts off screen are not laid out until scrolled to: a report of hundreds of drafts opens quickly. */
main > .draft { content-visibility: auto; contain-intrinsic-size: auto 40rem; }
.draft > summary, .draft > h2 { font-size: 1.15rem; font-weight: 600; margin: .5rem 0; }
.draft > summary { cursor: pointer; }
.path { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.count { color: var(--muted); font-weight: normal; font-size: .95rem; }
.block { display: grid; grid-template-columns: minmax(0, 1fr) 20rem; gap: 1rem; }
.block .text > * { margin: .4rem 0; } .block ul { padding-left: 1.2rem; }
.block h3 { font-size: 1.1rem; }
.block blockquote { border-left: 3px solid var(--line); padding-left: .8rem; }
.block.hidden .text { color: var(--muted); font-style: italic; }
.kind { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted);
  font-style: normal; }
mark { border-radius: 2px; padding: 0 1px; color: inherit; }
mark.sev-error { background: var(--error-bg); box-shadow: inset 0 -2px var(--error); }
mark.sev-warning { background: var(--warning-bg); box-shadow: inset 0 -2px var(--warning); }
mark.sev-info { background: var(--info-bg); box-shadow: inset 0 -2px var(--info); }
mark.sup-finding { background: #eeeeee; box-shadow: inset 0 -2px #9e9e9e; }
sup.ref a { text-decoration: none; font-weight: 600; }
.target:target + mark, .note:target { outline: 3px solid #1d1d1f; }
.notes { font-size: .85rem; }
.note { border-left: 4px solid var(--line); background: #fafafa; padding: .3rem .6rem; margin: .4rem 0;
  break-inside: avoid; }
.note p { margin: .15rem 0; } .note .head { font-size: .9rem; }
.note.sev-error { border-left-color: var(--error); } .note.sev-warning { border-left-color: var(--warning); }
.note.sev-info { border-left-color: var(--info); }
.note.sup-finding { border-left-color: #9e9e9e; color: var(--muted); }
.sev { text-transform: uppercase; font-size: .72rem; font-weight: 700; letter-spacing: .04em; }
.sev-error .sev { color: var(--error); } .sev-warning .sev { color: var(--warning); }
.sev-info .sev { color: var(--info); }
.where, .label { color: var(--muted); } .suppressed { font-style: italic; }
.whole { border: 1px dashed var(--line); padding: .3rem .8rem; margin: .5rem 0; }
.whole-head { font-weight: 600; margin: .2rem 0; }
.errors li, .empty { color: var(--error); }
nav ol { columns: 2; padding-left: 1.5rem; } nav li { break-inside: avoid; }
@media (max-width: 48rem) { .block { grid-template-columns: 1fr; } nav ol { columns: 1; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .block { grid-template-columns: minmax(0, 1fr) 36%; }
  mark { box-shadow: none; border-bottom: 2px solid #000; }
  main > .draft { content-visibility: visible; }  /* contained boxes do not split across pages */
  section.draft { break-before: page; } nav a, sup.ref a { color: inherit; }
  .block { break-inside: avoid; }
  button { display: none; }
}
"""
