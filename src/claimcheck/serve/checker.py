"""What the page does with a draft, apart from HTTP: decode it, lint it, fix it, and describe the result.

One :class:`Checker` serves every request of ``claimcheck serve``. Its engine is built once from the
configuration of the folder the server started in; lints run one at a time (the engine and its spaCy
pipeline are not shared between threads), each under the engine's time budget.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from claimcheck.config import Config
from claimcheck.documents import FORMATS, Document, parse
from claimcheck.engine import Engine
from claimcheck.errors import ClaimcheckError, InputError, UsageError
from claimcheck.files import decode
from claimcheck.fixes import apply_fixes, fix_source, fixable
from claimcheck.model import Finding, Severity
from claimcheck.reporters.base import plural
from claimcheck.reporters.htmlrender import finding_anchors, render_draft, suppression_of


class Busy(ClaimcheckError):
    """Another draft is being checked and did not finish in time."""


@dataclass(frozen=True)
class Draft:
    """One draft a request sends: its decoded text, format and the name it is reported under."""

    text: str
    fmt: str
    name: str

    @classmethod
    def from_request(cls, data: bytes, fmt: str | None, name: str | None, max_bytes: int) -> Draft:
        name = (name or "").strip() or "draft"
        if len(name) > 255 or any(char in name for char in "/\\\0"):
            raise UsageError("the file name must be a plain name of at most 255 characters")
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
        if len(data) > max_bytes:
            raise InputError(f"the draft is larger than the {max_bytes // (1024 * 1024)} MiB limit "
                             "(--max-file-size)")
        return cls(decode(data, name, None, fmt), fmt, name)


class Checker:
    def __init__(self, engine: Engine, config: Config, wait_seconds: float = 30.0) -> None:
        self.engine = engine
        self.config = config
        self.wait_seconds = wait_seconds
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int:
        return self.config.max_file_size * 1024 * 1024

    def lint(self, draft: Draft, text: str | None = None) -> tuple[Document, list[Finding]]:
        """The draft's (or ``text`` in its place) document and findings, with ``per-file-ignores``."""
        document = parse(draft.name, draft.text if text is None else text, draft.fmt)
        if not self._lock.acquire(timeout=self.wait_seconds):
            raise Busy("another draft is still being checked; try again in a moment")
        try:
            findings = self.engine.lint(document)
        finally:
            self._lock.release()
        return document, self.config.reported(draft.name, findings)

    def check(self, draft: Draft) -> dict[str, Any]:
        document, findings = self.lint(draft)
        return self.describe(draft, document, findings)

    def fix_all(self, draft: Draft) -> dict[str, Any]:
        """Apply every safe fix until none applies (``fix_source``), and describe the fixed draft."""
        fixed = fix_source(lambda text: self.lint(draft, text)[1], draft.text, unsafe=False)
        result = Draft(fixed.text, draft.fmt, draft.name)
        described = self.describe(result, parse(draft.name, fixed.text, draft.fmt), fixed.remaining)
        described["fixed"] = len(fixed.fixed)
        return described

    def fix_one(self, draft: Draft, anchor: str) -> dict[str, Any]:
        """Apply the safe fix of the finding with this anchor, and describe the draft after it."""
        _, findings = self.lint(draft)
        anchors = finding_anchors(draft.name, findings)
        chosen = [finding for finding, at in zip(findings, anchors, strict=True)
                  if at == anchor and suppression_of(finding) is None]
        if not fixable(chosen):
            raise UsageError("that finding is no longer in the draft or has no safe fix; press Check again")
        applied = apply_fixes(draft.text, chosen)
        result = Draft(applied.text, draft.fmt, draft.name)
        described = self.check(result)
        described["fixed"] = len(applied.fixed)
        return described

    def describe(self, draft: Draft, document: Document, findings: list[Finding]) -> dict[str, Any]:
        """What the page shows: the count, the highlighted draft, and the text it was made from."""
        problems = [finding for finding in findings if suppression_of(finding) is None]
        counts = {severity: sum(f.severity is severity for f in problems) for severity in Severity}
        said = ", ".join(plural(counts[s], str(s)) for s in sorted(Severity, reverse=True) if counts[s])
        safe = len({f.fix for f in fixable(problems)})
        if problems:
            summary = f"{plural(len(problems), 'finding')} ({said})"
            summary += f"; {plural(safe, 'safe fix', 'safe fixes')} available." if safe else "."
        else:
            summary = "No findings: the draft follows every rule checked."
        if len(problems) < len(findings):
            summary += f" {len(findings) - len(problems)} suppressed (shown greyed)."
        return {
            "text": draft.text,
            "name": draft.name,
            "format": draft.fmt,
            "count": len(problems),
            "safe_fixes": safe,
            "summary": summary,
            "html": render_draft(document, findings, self.engine.rules, fix_buttons=True),
        }
