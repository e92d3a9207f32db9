"""Applying fixes: the edits of the findings' fixes, in source order and never overlapping.

A fix is all or nothing: its edits apply together or not at all. Two fixes conflict when their edits
overlap (a replacement and anything inside or at the start of it); the later one waits for the next pass,
after the file has been linted again (see :func:`fix_source`). Insertions at one place do not conflict:
they are written in the order of their findings (two missing statements, each a new final paragraph),
text that continues a line before text that starts a new one. Several
findings may carry the same fix (every claim of one paragraph asks for the same qualifier): it is applied
once and fixes them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from claimcheck.errors import FixError
from claimcheck.model import Edit, Finding, Fix

MAX_PASSES = 8  # a fix changes its own finding away; a few passes settle fixes that waited for others


@dataclass(frozen=True)
class Applied:
    """The text after one pass of fixes, and the findings those fixes fixed (in source order)."""

    text: str
    fixed: list[Finding]


def fixable(findings: Iterable[Finding], unsafe: bool = False) -> list[Finding]:
    """The findings whose fix ``--fix`` (and ``--unsafe-fixes`` when ``unsafe``) would apply."""
    return [f for f in findings if f.fix is not None and f.fix.applies(unsafe)]


def apply_fixes(source: str, findings: Iterable[Finding], unsafe: bool = False) -> Applied:
    """Apply the fixes of ``findings`` that apply (see :meth:`Fix.applies`) and do not conflict."""
    by_fix: dict[Fix, list[Finding]] = {}
    for finding in fixable(findings, unsafe):
        assert finding.fix is not None
        by_fix.setdefault(finding.fix, []).append(finding)
    chosen: list[Edit] = []
    fixed: list[Finding] = []
    for fix in sorted(by_fix, key=lambda fix: min(edit.start for edit in fix.edits)):
        edits = sorted(fix.edits, key=lambda edit: edit.start)
        if _self_overlap(edits) or _conflicts(edits, chosen):
            continue
        chosen.extend(edits)
        fixed.extend(by_fix[fix])
    # Stable: insertions at one place keep the order of their fixes, except that text continuing a line
    # ("… felt better. Individual outcomes vary.") goes before text that starts a new one (a new paragraph).
    chosen.sort(key=lambda edit: (edit.start, edit.end, edit.text[:1] in "\r\n" and edit.text != ""))
    return Applied(_apply(source, chosen), sorted(fixed, key=lambda f: f.sort_key))


def _conflicts(edits: list[Edit], chosen: list[Edit]) -> bool:
    return any(_clash(a, b) for a in edits for b in chosen)


def _self_overlap(edits: list[Edit]) -> bool:
    return any(_clash(a, b) for i, a in enumerate(edits) for b in edits[i + 1:])


def _clash(a: Edit, b: Edit) -> bool:
    """Whether two edits cannot both apply: their ranges overlap, or a replacement starts where the other
    edit does (which goes first would be a guess)."""
    if a.start == a.end and b.start == b.end:
        return False
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def _apply(source: str, edits: list[Edit]) -> str:
    parts = []
    position = 0
    for edit in edits:
        parts.append(source[position:edit.start])
        parts.append(edit.text)
        position = edit.end
    parts.append(source[position:])
    return "".join(parts)


@dataclass
class Fixed:
    """The outcome of fixing one draft: its fixed text, what was fixed and what remains."""

    text: str
    fixed: list[Finding] = field(default_factory=list)  # in the order they were fixed
    remaining: list[Finding] = field(default_factory=list)  # findings of the fixed text

    @property
    def changed(self) -> bool:
        return bool(self.fixed)


def fix_source(lint: Callable[[str], list[Finding]], source: str, unsafe: bool = False,
               max_passes: int = MAX_PASSES, findings: list[Finding] | None = None) -> Fixed:
    """Lint ``source``, apply the fixes that apply, lint the result again, and repeat until no fix applies.

    ``lint`` turns a text into its findings (the caller's reader and engine); ``findings``, when given, are
    those of ``source`` already. A fix that is still asked for after ``max_passes`` does not converge:
    :class:`FixError` names its rule.
    """
    result = Fixed(source)
    findings = lint(source) if findings is None else findings
    for _ in range(max_passes):
        if not fixable(findings, unsafe):
            break
        applied = apply_fixes(result.text, findings, unsafe)
        if applied.text == result.text:
            break  # fixes that change nothing (already there): nothing more to do
        result.text = applied.text
        result.fixed.extend(applied.fixed)
        findings = lint(result.text)
    else:
        if fixable(findings, unsafe):
            codes = sorted({f.code for f in fixable(findings, unsafe)})
            raise FixError(f"the fix of rule {', '.join(codes)} does not converge: after {max_passes} passes "
                           "the fixed text still needs it (please report this)")
    result.remaining = findings
    return result
