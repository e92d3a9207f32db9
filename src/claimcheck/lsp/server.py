"""The language server: pygls over stdio, one process keeping the rules and the spaCy pipeline warm.

Drafts are linted when opened and saved, and after each change once the writer pauses (``DEBOUNCE``
seconds; a newer change cancels the pending lint). Everything a handler does is guarded: a draft that
cannot be linted gets one diagnostic saying why, a broken configuration one diagnostic on its file and a
window message, and the server carries on.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from claimcheck import __version__
from claimcheck.errors import ClaimcheckError
from claimcheck.fixes import fix_source, fixable
from claimcheck.lsp import actions
from claimcheck.lsp.diagnostics import error_diagnostic, failure_diagnostic, finding_range, to_diagnostic
from claimcheck.lsp.drafts import DraftLinter, Linted, draft_format
from claimcheck.lsp.hover import hover_markdown
from claimcheck.lsp.settings import CONFIG_NAMES, RULE_SUFFIXES, BrokenSettings, Settings, SettingsCache
from claimcheck.lsp.text import UTF8, UTF16, UTF32, Position, SourceText
from claimcheck.lsp.warmup import in_background
from claimcheck.model import Edit, Finding

DEBOUNCE = 0.2  # seconds after the last change before a draft is linted again
ENCODINGS = {types.PositionEncodingKind.Utf8: UTF8, types.PositionEncodingKind.Utf16: UTF16,
             types.PositionEncodingKind.Utf32: UTF32}
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.claimcheck"
WATCHED = ["**/.claimcheck.yaml", "**/.claimcheck.yml", "**/pyproject.toml", "**/*.yaml", "**/*.yml"]

WARM_UP_TEXT = "# Warm-up\n\nIn one survey 80% of patients reported relief; the device is FDA-approved.\n"

log = logging.getLogger(__name__)


@dataclass
class OpenDraft:
    uri: str
    text: SourceText
    language_id: str
    version: int | None = None
    pending: asyncio.Task[None] | None = None
    linted: Linted | None = None
    linted_text: str | None = None  # the text ``linted`` belongs to
    settings: Settings | None = None

    @property
    def path(self) -> Path | None:
        return _fs_path(self.uri)

    @property
    def name(self) -> str:
        """The draft's name in findings: its file path, or the URI of a draft never saved."""
        path = self.path
        return str(path) if path is not None else self.uri

    @property
    def format(self) -> str | None:
        return draft_format(self.language_id, str(self.path) if self.path else self.uri)


@dataclass
class State:
    drafts: dict[str, OpenDraft] = field(default_factory=dict)
    settings: SettingsCache = field(default_factory=SettingsCache)
    linter: DraftLinter = field(default_factory=DraftLinter)
    debounce: float = DEBOUNCE
    encoding: str = UTF16
    shut_down: bool = False
    versioned_edits: bool = False  # the client takes edits tied to a document version (documentChanges)
    # Configuration and rule files with error diagnostics published, by the configuration they belong to.
    error_files: dict[str | None, set[str]] = field(default_factory=dict)
    shown: dict[str | None, str] = field(default_factory=dict)  # the window message last shown for each


class ClaimcheckServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("claimcheck", __version__,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.state = State()

    def warm_up(self) -> None:
        """Load the rules of the first workspace folder and lint a line with a claim (compiling the
        patterns and tokenizing once), before the editor opens its first draft."""
        folders = self.state.settings.folders
        settings = self.state.settings.for_draft(folders[0] / "draft.md" if folders else None)
        if isinstance(settings, Settings):
            self.state.linter.lint(settings, "<warm-up>", "markdown", WARM_UP_TEXT, on_disk=False)

    # -- linting -------------------------------------------------------------------------------------

    def current(self, draft: OpenDraft) -> tuple[Linted, Settings | BrokenSettings]:
        """The draft's findings for its text as it is now (linted again only if it changed)."""
        settings = self.state.settings.for_draft(draft.path)
        if isinstance(settings, BrokenSettings):
            draft.linted, draft.linted_text, draft.settings = None, None, None  # nothing to act on
            return Linted([]), settings
        fmt = draft.format or "text"
        linted = self.state.linter.lint(settings, draft.name, fmt, draft.text.text, draft.path is not None)
        draft.linted, draft.linted_text, draft.settings = linted, draft.text.text, settings
        return linted, settings

    def lint_and_publish(self, draft: OpenDraft) -> None:
        if draft.pending is not None:
            draft.pending.cancel()
            draft.pending = None
        if draft.format is None:
            return
        try:
            linted, settings = self.current(draft)
            diagnostics = self.diagnostics(linted, settings, draft)
        except Exception as exc:  # a bug: the writer sees it on the draft, the server goes on
            log.exception("linting %s failed", draft.uri)
            error = ClaimcheckError(f"internal error: {type(exc).__name__}: {exc}")
            diagnostics = [failure_diagnostic(error)]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=draft.uri, diagnostics=diagnostics, version=draft.version))

    def diagnostics(self, linted: Linted, settings: Settings | BrokenSettings,
                    draft: OpenDraft) -> list[types.Diagnostic]:
        key = settings.config_path if isinstance(settings, BrokenSettings) else settings.config.path
        if isinstance(settings, BrokenSettings):
            self.publish_settings_errors(settings)
            return []  # the configuration's diagnostic says why this draft is not linted
        self.clear_settings_errors(key)
        if linted.failure is not None:
            return [failure_diagnostic(linted.failure)]
        return [to_diagnostic(finding, draft.text, settings) for finding in linted.findings]

    def publish_settings_errors(self, broken: BrokenSettings) -> None:
        by_file: dict[str, list[types.Diagnostic]] = {}
        for error in broken.errors:
            path = error.path or broken.config_path
            if path is None:
                continue
            uri = from_fs_path(str(Path(path).resolve())) or path
            by_file.setdefault(uri, []).append(error_diagnostic(error, self.state.encoding))
        stale = self.state.error_files.get(broken.config_path, set()) - set(by_file)
        for uri in stale:
            self._publish(uri, [])
        for uri, diagnostics in by_file.items():
            self._publish(uri, diagnostics)
        self.state.error_files[broken.config_path] = set(by_file)
        message = ("claimcheck: drafts under this configuration are not linted until it is fixed: "
                   f"{broken.summary}")
        if self.state.shown.get(broken.config_path) != message:
            self.state.shown[broken.config_path] = message
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def clear_settings_errors(self, key: str | None) -> None:
        for uri in self.state.error_files.pop(key, set()):
            self._publish(uri, [])
        self.state.shown.pop(key, None)

    def _publish(self, uri: str, diagnostics: list[types.Diagnostic]) -> None:
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri,
                                                                              diagnostics=diagnostics))

    def schedule(self, draft: OpenDraft) -> None:
        """Lint the draft once the writer pauses; a lint already waiting is cancelled."""
        if draft.pending is not None:
            draft.pending.cancel()
        draft.pending = asyncio.get_running_loop().create_task(self._lint_later(draft, draft.version))

    async def _lint_later(self, draft: OpenDraft, version: int | None) -> None:
        await asyncio.sleep(self.state.debounce)
        if self.state.drafts.get(draft.uri) is not draft or draft.version != version:
            return
        draft.pending = None
        self.lint_and_publish(draft)

    def relint_all(self) -> None:
        for draft in list(self.state.drafts.values()):
            self.lint_and_publish(draft)

    def settings_changed(self, paths: list[Path]) -> bool:
        cache = self.state.settings
        relevant = [path for path in paths if path.name in CONFIG_NAMES or cache.governs(path)]
        if relevant:
            if any(path.name in CONFIG_NAMES for path in relevant):
                cache.forget_locations()
            self.relint_all()
        return bool(relevant)

    # -- editor requests -------------------------------------------------------------------------------

    def findings_at(self, draft: OpenDraft, start: types.Position, end: types.Position) -> list[Finding]:
        linted, _ = self.current(draft)
        low, high = (start.line, start.character), (end.line, end.character)
        found = []
        for finding in linted.findings:
            where = finding_range(finding, draft.text)
            first, last = (where.start.line, where.start.character), (where.end.line, where.end.character)
            if first <= high and low <= last:
                found.append(finding)
        return found

    def hover(self, draft: OpenDraft, position: types.Position) -> types.Hover | None:
        findings = self.findings_at(draft, position, position)
        settings = draft.settings
        if not findings or settings is None:
            return None
        rules = {rule.meta.code: rule for rule in settings.engine.rules}
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                        value=hover_markdown(findings, rules)),
                           range=finding_range(findings[0], draft.text))

    def code_actions(self, draft: OpenDraft, params: types.CodeActionParams) -> list[types.CodeAction]:
        if draft.format is None:
            return []
        findings = self.findings_at(draft, params.range.start, params.range.end)
        linted, settings = draft.linted, draft.settings
        if linted is None or settings is None or linted.document is None:
            return []
        wanted = [kind.value if isinstance(kind, types.CodeActionKind) else str(kind)
                  for kind in params.context.only or []]
        result: list[actions.Action] = []
        if not wanted or any(kind.startswith("quickfix") for kind in wanted):
            result += actions.fix_actions(findings)
            fmt, name, on_disk = draft.format, draft.name, draft.path is not None

            def still_found(text: str) -> list[Finding] | None:
                relinted = self.state.linter.lint(settings, name, fmt, text, on_disk)
                return None if relinted.failure is not None else relinted.findings

            for finding in findings:
                suppression = actions.suppression_action(linted.document, finding, still_found)
                if suppression is not None:
                    result.append(suppression)
        fix_all = self.fix_all(draft, settings, linted)
        if fix_all is not None and (not wanted or any(
                FIX_ALL_KIND.startswith(kind) or kind.startswith("quickfix") for kind in wanted)):
            result.append(fix_all)
        return [self._code_action(draft, action) for action in result]

    def fix_all(self, draft: OpenDraft, settings: Settings, linted: Linted) -> actions.Action | None:
        if not fixable(linted.findings):
            return None
        fmt, name, on_disk = draft.format or "text", draft.name, draft.path is not None
        try:
            fixed = fix_source(lambda text: self.state.linter.findings(settings, name, fmt, text, on_disk),
                               draft.text.text)
        except ClaimcheckError:
            return None
        if not fixed.changed:
            return None
        edit = actions.whole_text_edit(draft.text.text, fixed.text)
        return actions.Action("Fix all safe claimcheck findings in this document", (edit,),
                              tuple(fixed.fixed), fix_all=True)

    def _code_action(self, draft: OpenDraft, action: actions.Action) -> types.CodeAction:
        edits = [types.TextEdit(range=self._edit_range(draft, edit), new_text=edit.text)
                 for edit in sorted(action.edits)]
        diagnostics = [to_diagnostic(f, draft.text, draft.settings) for f in action.findings
                       if draft.settings is not None]
        kind = FIX_ALL_KIND if action.fix_all else types.CodeActionKind.QuickFix
        return types.CodeAction(title=action.title, kind=kind, diagnostics=diagnostics or None,
                                is_preferred=action.preferred or None,
                                edit=self._workspace_edit(draft, edits))

    def _edit_range(self, draft: OpenDraft, edit: Edit) -> types.Range:
        start, end = draft.text.position(edit.start), draft.text.position(edit.end)
        return types.Range(types.Position(line=start.line, character=start.character),
                           types.Position(line=end.line, character=end.character))

    def _workspace_edit(self, draft: OpenDraft, edits: list[types.TextEdit]) -> types.WorkspaceEdit:
        if self.state.versioned_edits and draft.version is not None:
            # Tied to the version the edits were computed for: an editor refuses them once the text moved on.
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=draft.uri,
                                                                            version=draft.version),
                edits=list(edits))])
        return types.WorkspaceEdit(changes={draft.uri: list(edits)})


def create_server() -> ClaimcheckServer:
    server = ClaimcheckServer()
    state = server.state

    @server.feature(types.INITIALIZE)
    def initialize(ls: ClaimcheckServer, params: types.InitializeParams) -> None:
        state.encoding = ENCODINGS.get(ls.workspace.position_encoding or "", UTF16)  # type: ignore[call-overload]
        options: Any = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("debounce"), int | float):
            state.debounce = max(float(options["debounce"]), 0.0) / 1000  # milliseconds, as editors write
        state.settings.folders = [path for folder in params.workspace_folders or []
                                  if (path := _fs_path(folder.uri)) is not None]
        if not state.settings.folders and params.root_uri and (root := _fs_path(params.root_uri)):
            state.settings.folders = [root]
        workspace = params.capabilities.workspace
        state.versioned_edits = bool(workspace and workspace.workspace_edit
                                     and workspace.workspace_edit.document_changes)
        in_background(ls.warm_up)

    @server.feature(types.INITIALIZED)
    def initialized(ls: ClaimcheckServer, params: types.InitializedParams) -> None:
        capabilities = ls.client_capabilities.workspace
        watch = capabilities.did_change_watched_files if capabilities else None
        if watch is not None and watch.dynamic_registration:
            ls.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
                id="claimcheck-settings", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                register_options=types.DidChangeWatchedFilesRegistrationOptions(
                    watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in WATCHED]))]))

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: ClaimcheckServer, params: None) -> None:
        state.shut_down = True
        for draft in state.drafts.values():
            if draft.pending is not None:
                draft.pending.cancel()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: ClaimcheckServer, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        draft = OpenDraft(document.uri, SourceText(document.text, state.encoding), document.language_id,
                          document.version)
        state.drafts[document.uri] = draft
        ls.lint_and_publish(draft)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: ClaimcheckServer, params: types.DidChangeTextDocumentParams) -> None:
        draft = state.drafts.get(params.text_document.uri)
        if draft is None:
            return
        text = draft.text
        for change in params.content_changes:
            if isinstance(change, types.TextDocumentContentChangePartial):
                start, end = change.range.start, change.range.end
                text = text.replaced(Position(start.line, start.character), Position(end.line, end.character),
                                     change.text)
            else:
                text = SourceText(change.text, state.encoding)
        draft.text, draft.version = text, params.text_document.version
        if draft.format is not None:
            ls.schedule(draft)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: ClaimcheckServer, params: types.DidSaveTextDocumentParams) -> None:
        path = _fs_path(params.text_document.uri)
        if path is not None and ls.settings_changed([path]):
            return  # every open draft was linted again
        draft = state.drafts.get(params.text_document.uri)
        if draft is not None:
            ls.lint_and_publish(draft)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: ClaimcheckServer, params: types.DidCloseTextDocumentParams) -> None:
        draft = state.drafts.pop(params.text_document.uri, None)
        if draft is None:
            return
        if draft.pending is not None:
            draft.pending.cancel()
        if draft.format is not None:
            ls._publish(draft.uri, [])

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: ClaimcheckServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [path for change in params.changes if (path := _fs_path(change.uri)) is not None]
        ls.settings_changed([path for path in paths if path.name in CONFIG_NAMES
                             or path.suffix in RULE_SUFFIXES])

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: ClaimcheckServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        removed = {_fs_path(folder.uri) for folder in params.event.removed}
        kept = [folder for folder in state.settings.folders if folder not in removed]
        added = [path for folder in params.event.added if (path := _fs_path(folder.uri)) is not None]
        state.settings.folders = kept + added
        state.settings.forget_locations()
        ls.relint_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: ClaimcheckServer, params: types.HoverParams) -> types.Hover | None:
        draft = state.drafts.get(params.text_document.uri)
        if draft is None or draft.format is None:
            return None
        return ls.hover(draft, params.position)

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION, types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    def code_action(ls: ClaimcheckServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        draft = state.drafts.get(params.text_document.uri)
        if draft is None:
            return None
        return ls.code_actions(draft, params) or None

    return server


def _fs_path(uri: str) -> Path | None:
    """The file a ``file:`` URI names (None for an unsaved draft's ``untitled:`` and the like)."""
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None
