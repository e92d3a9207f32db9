"""The hover on a finding: its message, then the rule's explanation as ``claimcheck explain`` gives it
(what it flags and why, with the regulation; examples; references), as Markdown."""

from __future__ import annotations

from claimcheck.families.base import RuleKind
from claimcheck.model import Finding


def hover_markdown(findings: list[Finding], rules: dict[str, RuleKind]) -> str:
    parts = []
    for finding in findings:
        rule = rules.get(finding.code)
        head = f"**{finding.code}** {_escape(finding.message)}"
        if finding.fix is not None:
            head += f"\n\nFix ({finding.fix.applicability}): {_escape(finding.fix.title)}"
        parts.append(head + ("\n\n" + explain_markdown(rule) if rule is not None else ""))
    return "\n\n---\n\n".join(parts)


def explain_markdown(rule: RuleKind) -> str:
    """Examples are quoted as code: they are drafts, and their own markup (``**``, ``<b>``) should show as
    written, not render."""
    meta = rule.meta
    parts = [f"`{meta.name}` ({meta.severity}, kind: {meta.kind})", _escape(meta.description.strip())]
    for title, examples in (("Flagged", meta.examples_fail), ("Fine", meta.examples_pass)):
        if examples:
            parts.append(f"{title}:\n\n" + "\n\n".join(_fenced(example.strip()) for example in examples))
    if meta.references:
        parts.append("References:\n\n" + "\n".join(f"- {_escape(ref)}" for ref in meta.references))
    parts.append(f"`claimcheck explain {meta.code}` · defined in `{meta.source}`")
    return "\n\n".join(parts)


def _fenced(text: str) -> str:
    fence = "```"
    while fence in text:
        fence += "`"
    return f"{fence}text\n{text}\n{fence}"


def _escape(text: str) -> str:
    """Plain text shown in Markdown as written: ``*``, ``_``, ``<`` and the like do not become markup."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text
