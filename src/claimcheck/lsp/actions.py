"""Code actions: a finding's own fix, fixing every safe finding of the draft, and a suppression with a reason.

Edits are computed in source offsets (claimcheck's :class:`~claimcheck.model.Edit`) and turned into LSP
text edits by the server. A suppression is a ``disable-next-block`` directive in the draft's own comment
syntax, on its own line above the finding's block, with a reason placeholder for the writer to replace (a
suppression says why; see :mod:`claimcheck.suppressions`). Only a suppression that, once inserted, does
silence the finding and reads as a valid directive is offered: each is checked by linting the result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from claimcheck.documents.base import Block, Document
from claimcheck.documents.frontmatter import read_front_matter
from claimcheck.model import Applicability, Edit, Finding

REASON_PLACEHOLDER = "<why this finding does not apply>"
UNSUPPRESSIBLE_PREFIX = "CC9"  # the suppression checks themselves are never suppressed
_LINE_PREFIX = re.compile(r"[ \t>]*")  # indentation and blockquote markers a directive line keeps


@dataclass(frozen=True)
class Action:
    title: str
    edits: tuple[Edit, ...]
    findings: tuple[Finding, ...]
    preferred: bool = False
    fix_all: bool = False


def fix_actions(findings: list[Finding]) -> list[Action]:
    """Each finding's fix that can be applied (display-only ones are advice, shown in the hover)."""
    actions = []
    for finding in findings:
        fix = finding.fix
        if fix is None or not fix.applies(unsafe=True):
            continue
        title = fix.title if fix.applicability is Applicability.SAFE else f"{fix.title} (changes the meaning)"
        actions.append(Action(f"{finding.code}: {title}", fix.edits, (finding,),
                              preferred=fix.applicability is Applicability.SAFE))
    return actions


def whole_text_edit(before: str, after: str) -> Edit:
    """One edit turning ``before`` into ``after``, trimmed to the part that differs (so the editor keeps
    the cursor and the undo step small)."""
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    return Edit(prefix, len(before) - suffix, after[prefix:len(after) - suffix])


def directive_line(fmt: str, action: str, code: str) -> str:
    body = f"claimcheck: {action} {code} -- {REASON_PLACEHOLDER}"
    return body if fmt == "text" else f"<!-- {body} -->"


def suppression_action(document: Document, finding: Finding,
                       still_found: Callable[[str], list[Finding] | None]) -> Action | None:
    """A directive above the finding's block (above the draft, for a finding about the whole draft),
    offered only when ``still_found`` (the findings of the edited text; None if it cannot be linted)
    shows that it silences the finding without an invalid-suppression finding of its own."""
    if finding.code.startswith(UNSUPPRESSIBLE_PREFIX):
        return None
    source = document.source
    if finding.document_level:
        at, prefix, action = _top_of_draft(document), "", "disable-file"
        what = "in this file"
    else:
        block = _block_of(document, finding)
        if block is None:
            return None
        at = source.rfind("\n", 0, block.source_start) + 1
        line_prefix = _LINE_PREFIX.match(source, at)
        prefix = line_prefix.group(0) if line_prefix else ""
        action, what = "disable-next-block", "in this block"
    newline = "\r\n" if "\r\n" in source else "\n"
    edit = Edit(at, at, prefix + directive_line(document.format, action, finding.code) + newline)
    after = still_found(source[:at] + edit.text + source[at:])
    if after is None:
        return None
    shifted = finding.start + len(edit.text) if finding.start >= at and not finding.document_level else None
    if any(f.code == finding.code and (f.document_level if shifted is None else f.start == shifted)
           for f in after):
        return None  # the directive does not reach it (a table row, a block the reader joins…)
    if any(f.rule == "invalid-suppression" and at <= f.start < at + len(edit.text) for f in after):
        return None
    return Action(f"Suppress {finding.code} {what} (with a reason)", (edit,), (finding,))


def _block_of(document: Document, finding: Finding) -> Block | None:
    for block in document.blocks:
        if block.text and block.source_start <= finding.start < max(block.source_end, block.source_start + 1):
            return block
    return None


def _top_of_draft(document: Document) -> int:
    """Where a file-wide directive goes: the first line, or after Markdown front matter."""
    if document.format == "markdown":
        front = read_front_matter(document.source)
        if front is not None:
            newline = document.source.find("\n", front.end)
            return len(document.source) if newline < 0 else newline + 1
    return 0
