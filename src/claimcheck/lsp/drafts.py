"""Lint the text of an open draft, as ``claimcheck check`` would lint the saved file.

The configuration's ``exclude`` and ``per-file-ignores`` apply as in the CLI. A draft that cannot be linted
(a pattern that backtracks past the draft's time budget, markup nested too deeply, a bug) is a
:class:`Linted` with a ``failure``, never an exception out of the server.

Results are memoised by text (bounded): undo and redo, a save after an edit, and the re-lints that code
actions and hovers ask for cost nothing. Below that, each engine keeps a :class:`~claimcheck.memo.LintMemo`
across lints, so a keystroke in one paragraph parses and scans only that paragraph again.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import PurePath

from claimcheck.documents import EXTENSIONS, Document, parse
from claimcheck.errors import ClaimcheckError, InputError
from claimcheck.files import too_large
from claimcheck.lsp.settings import Settings
from claimcheck.lsp.warmup import ENGINE_LOCK
from claimcheck.memo import LintMemo
from claimcheck.model import Finding
from claimcheck.pathglobs import first_match

# Language identifiers editors use for the formats claimcheck reads (VS Code, Neovim, Helix, Zed).
LANGUAGE_FORMATS = {
    "plaintext": "text", "text": "text", "txt": "text",
    "markdown": "markdown", "md": "markdown",
    "html": "html", "htm": "html",
}
MEMO_ENTRIES = 32


def draft_format(language_id: str | None, path: str | None) -> str | None:
    """The format to read a document in, by its language id, else its extension; None: not a draft."""
    if language_id and language_id.lower() in LANGUAGE_FORMATS:
        return LANGUAGE_FORMATS[language_id.lower()]
    if path:
        return EXTENSIONS.get(PurePath(path).suffix.lower())
    return None


@dataclass(frozen=True)
class Linted:
    """A draft's findings (and the document they were found in), or why it could not be linted."""

    findings: list[Finding]
    document: Document | None = None
    failure: ClaimcheckError | None = None
    excluded: str | None = None  # the ``exclude`` glob that leaves this draft out


class DraftLinter:
    """Lints drafts with the settings that govern them, remembering recent results."""

    def __init__(self, entries: int = MEMO_ENTRIES) -> None:
        self._memo: OrderedDict[tuple[int, str, str, str], Linted] = OrderedDict()
        self._entries = entries
        # One block memo per engine (a new configuration brings a new engine, whose rules differ).
        self._block_memos: OrderedDict[int, tuple[object, LintMemo]] = OrderedDict()

    def block_memo(self, engine: object) -> LintMemo:
        """The block memo of ``engine``, kept for the few most recent engines."""
        known = self._block_memos.get(id(engine))
        if known is not None and known[0] is engine:
            self._block_memos.move_to_end(id(engine))
            return known[1]
        memo = LintMemo()
        self._block_memos[id(engine)] = (engine, memo)
        if len(self._block_memos) > 4:
            self._block_memos.popitem(last=False)
        return memo

    def lint(self, settings: Settings, path: str, fmt: str, text: str, on_disk: bool) -> Linted:
        """``path`` names the draft in findings; ``on_disk``: it is a file path, so the configuration's
        path globs apply to it."""
        key = (settings.generation, path, fmt, text)
        known = self._memo.get(key)
        if known is not None:
            self._memo.move_to_end(key)
            return known
        with ENGINE_LOCK:
            linted = self._lint(settings, path, fmt, text, on_disk, self.block_memo(settings.engine))
        self._memo[key] = linted
        if len(self._memo) > self._entries:
            self._memo.popitem(last=False)
        return linted

    def findings(self, settings: Settings, path: str, fmt: str, text: str, on_disk: bool) -> list[Finding]:
        """The findings of ``text``; raises the failure (for :func:`claimcheck.fixes.fix_source`)."""
        linted = self.lint(settings, path, fmt, text, on_disk)
        if linted.failure is not None:
            raise linted.failure
        return linted.findings

    @staticmethod
    def _lint(settings: Settings, path: str, fmt: str, text: str, on_disk: bool, memo: LintMemo) -> Linted:
        config = settings.config
        if on_disk:
            glob = first_match(path, config.exclude)
            if glob is not None:
                return Linted([], excluded=glob)
        limit = config.max_file_size * 1024 * 1024
        if len(text) > limit // 4 and len(text.encode("utf-8", "surrogatepass")) > limit:
            size = len(text.encode("utf-8", "surrogatepass"))
            return Linted([], failure=InputError(too_large(size, limit).replace(
                "--max-file-size", "'max-file-size' in the configuration"), path=path))
        try:
            try:
                document = parse(path, text, fmt)
            except RecursionError:
                raise InputError("markup is nested too deeply to read", path=path) from None
            findings = settings.engine.lint(document, memo)
        except ClaimcheckError as exc:
            return Linted([], failure=exc)
        except Exception as exc:  # a bug must cost this draft's diagnostics, not the editor's server
            detail = next(iter(str(exc).strip().splitlines()), "")
            return Linted([], failure=ClaimcheckError(
                f"internal error: {type(exc).__name__}: {detail}. This is a bug; please report it with "
                "the draft that causes it"))
        return Linted(config.reported(path, findings) if on_disk else findings, document)
