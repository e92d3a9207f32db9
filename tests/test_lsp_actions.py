"""The server's code actions and hover, in process: fixes as quick fixes, fix-all, suppressions."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types

from claimcheck.lsp import actions
from claimcheck.lsp.server import ClaimcheckServer, OpenDraft, create_server
from claimcheck.lsp.text import SourceText
from claimcheck.model import Applicability, Edit

from conftest import lint_text, run_cli

QUALIFIER = " Individual outcomes vary."
DISCLAIMER = ("This content is for general informational purposes only and does not constitute medical advice, "
              "diagnosis, or treatment.")
SCOPE = ("The fibrin sealant used in the procedure is FDA-approved as a sealant. Specific clinical applications, "
         "candidacy, and outcomes vary by patient.")
DRAFT = ("# Disc care\n\n"
         "In our registry 81% of patients reported relief.\n\n"
         "Our FDA-approved fibrin sealant closes the tear.\n\n"
         "Later, 9 out of 10 patients were satisfied.\n")


@pytest.fixture
def server(tmp_path: Path) -> ClaimcheckServer:
    made = create_server()
    made.state.settings.folders = [tmp_path]
    made.text_document_publish_diagnostics = lambda params: None  # type: ignore[method-assign]
    return made


def open_draft(server: ClaimcheckServer, tmp_path: Path, text: str, name: str = "draft.md",
               language: str = "markdown") -> OpenDraft:
    draft = OpenDraft((tmp_path / name).as_uri(), SourceText(text), language, version=1)
    server.state.drafts[draft.uri] = draft
    return draft


def request(draft: OpenDraft, line: int, character: int, end: int | None = None,
            only: list[str] | None = None) -> types.CodeActionParams:
    return types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=draft.uri),
        range=types.Range(types.Position(line=line, character=character),
                          types.Position(line=line, character=character if end is None else end)),
        context=types.CodeActionContext(diagnostics=[], only=only))


def apply(text: str, action: types.CodeAction, uri: str) -> str:
    assert action.edit is not None and action.edit.changes is not None
    source = SourceText(text)
    edits = sorted(((source.offset(e.range.start), source.offset(e.range.end), e.new_text)  # type: ignore[arg-type]
                    for e in action.edit.changes[uri]), reverse=True)
    for start, end, new in edits:
        text = text[:start] + new + text[end:]
    return text


def test_a_finding_fix_is_a_quick_fix_and_a_safe_one_is_preferred(server: ClaimcheckServer,
                                                                   tmp_path: Path) -> None:
    draft = open_draft(server, tmp_path, DRAFT)
    [fix, suppress, fix_all] = server.code_actions(draft, request(draft, 2, 20))
    assert fix.title == "CC101: Add 'Individual outcomes vary.' to this paragraph"
    assert fix.kind == types.CodeActionKind.QuickFix and fix.is_preferred is True
    assert [d.code for d in fix.diagnostics or []] == ["CC101"]
    assert apply(DRAFT, fix, draft.uri) == DRAFT.replace("relief.", "relief." + QUALIFIER)
    assert suppress.title == "Suppress CC101 in this block (with a reason)"
    assert fix_all.title == "Fix all safe claimcheck findings in this document"
    assert fix_all.kind == "source.fixAll.claimcheck"
    # Both claims get their qualifier and the draft its two statements; the unsafe CC201 rewrite waits.
    fixed = apply(DRAFT, fix_all, draft.uri)
    assert fixed == (DRAFT.replace("relief.", "relief." + QUALIFIER).replace("satisfied.", "satisfied." + QUALIFIER)
                     .rstrip("\n") + f"\n\n{DISCLAIMER}\n\n{SCOPE}\n")
    assert [f.code for f in lint_text(fixed, "draft.md")] == ["CC201"]

    [unsafe, suppress_201, _] = server.code_actions(draft, request(draft, 4, 8))
    assert unsafe.title == "CC201: Rewrite to 'A fibrin sealant, FDA-approved as a sealant' (changes the meaning)"
    assert unsafe.is_preferred is None
    assert apply(DRAFT, unsafe, draft.uri) == DRAFT.replace(
        "Our FDA-approved fibrin sealant", "A fibrin sealant, FDA-approved as a sealant,")
    assert suppress_201.title == "Suppress CC201 in this block (with a reason)"


def test_only_the_kinds_asked_for(server: ClaimcheckServer, tmp_path: Path) -> None:
    draft = open_draft(server, tmp_path, DRAFT)
    [fix_all] = server.code_actions(draft, request(draft, 0, 0, only=["source.fixAll"]))
    assert fix_all.kind == "source.fixAll.claimcheck"
    assert server.code_actions(draft, request(draft, 0, 0, only=["refactor"])) == []
    # Kinds as the protocol library hands them over (enum members), hierarchical as LSP says.
    [fix_all] = server.code_actions(draft, request(draft, 0, 0, only=[types.CodeActionKind.Source]))
    assert fix_all.kind == "source.fixAll.claimcheck"
    quick = server.code_actions(draft, request(draft, 2, 20, only=[types.CodeActionKind.QuickFix]))
    assert [a.title for a in quick] == ["CC101: Add 'Individual outcomes vary.' to this paragraph",
                                        "Suppress CC101 in this block (with a reason)",
                                        "Fix all safe claimcheck findings in this document"]


def test_display_only_fixes_are_not_actions() -> None:
    [finding] = [f for f in lint_text("FDA-cleared.", "a.txt") if f.code == "CC201"]
    assert finding.fix is not None and finding.fix.applicability is Applicability.DISPLAY_ONLY
    advice = dataclasses.replace(finding, fix=dataclasses.replace(finding.fix, edits=(Edit(0, 0, "x"),)))
    assert actions.fix_actions([advice]) == []


@pytest.mark.parametrize(("name", "language", "text", "directive"), [
    ("page.txt", "plaintext", "Intro.\n\n  The sealant is FDA-cleared.\n",
     "  claimcheck: disable-next-block CC201 -- <why this finding does not apply>\n"),
    ("page.md", "markdown", "Intro.\n\n> The sealant is FDA-cleared.\n",
     "> <!-- claimcheck: disable-next-block CC201 -- <why this finding does not apply> -->\n"),
    ("page.html", "html", "<p>Intro.</p>\n  <p>The sealant is FDA-cleared.</p>\n",
     "  <!-- claimcheck: disable-next-block CC201 -- <why this finding does not apply> -->\n"),
])
def test_suppression_in_the_drafts_comment_syntax_silences_the_finding(
        server: ClaimcheckServer, tmp_path: Path, name: str, language: str, text: str, directive: str) -> None:
    draft = open_draft(server, tmp_path, text, name, language)
    line = text.count("\n", 0, text.index("FDA-cleared"))
    [suppress] = [a for a in server.code_actions(draft, request(draft, line, 20)) if "Suppress" in a.title]
    fixed = apply(text, suppress, draft.uri)
    lines = text.splitlines(keepends=True)
    assert fixed == "".join(lines[:line]) + directive + "".join(lines[line:])
    assert "CC201" not in [f.code for f in lint_text(fixed, name)]
    assert not [f for f in lint_text(fixed, name) if f.code.startswith("CC9")]


def test_a_finding_about_the_whole_draft_is_suppressed_for_the_file_after_front_matter(
        server: ClaimcheckServer, tmp_path: Path) -> None:
    text = "---\ntitle: Disc care\n---\nPlain words about the clinic.\n"
    draft = open_draft(server, tmp_path, text)
    [suppress] = [a for a in server.code_actions(draft, request(draft, 0, 0)) if "Suppress" in a.title]
    assert suppress.title == "Suppress CC301 in this file (with a reason)"
    fixed = apply(text, suppress, draft.uri)
    assert fixed == ("---\ntitle: Disc care\n---\n<!-- claimcheck: disable-file CC301 -- "
                     "<why this finding does not apply> -->\nPlain words about the clinic.\n")
    assert lint_text(fixed, "draft.md") == []


def test_suppression_findings_are_not_suppressible(server: ClaimcheckServer, tmp_path: Path) -> None:
    text = "<!-- claimcheck: disable-next-block CC201 -->\nNothing here.\n"
    draft = open_draft(server, tmp_path, text)
    found = server.findings_at(draft, types.Position(line=0, character=5), types.Position(line=0, character=5))
    assert [f.code for f in found] == ["CC301", "CC901"]
    titles = [a.title for a in server.code_actions(draft, request(draft, 0, 5))]
    assert "Suppress CC301 in this file (with a reason)" in titles
    assert "CC901: Remove the unused suppression" in titles  # its own fix, yes; a suppression, never
    assert not [title for title in titles if title.startswith("Suppress CC901")]


def test_hover_shows_the_message_the_fix_and_the_rules_explanation(server: ClaimcheckServer,
                                                                    tmp_path: Path) -> None:
    draft = open_draft(server, tmp_path, DRAFT)
    hover = server.hover(draft, types.Position(line=2, character=20))
    assert hover is not None and isinstance(hover.contents, types.MarkupContent)
    value = hover.contents.value
    assert value.startswith("**CC101** Numeric outcome claim ('81%' … 'reported') without an ")
    assert "Fix (safe): Add 'Individual outcomes vary.' to this paragraph" in value
    assert "`unqualified-outcome-claim` (error, kind: qualified-claim)" in value
    assert "Flagged:\n\n```text\nIn our clinic registry, «78% of patients reported»" in value
    assert "- FTC Act section 5, 15 U.S.C. 45 (deceptive acts or practices)" in value
    assert hover.range == types.Range(types.Position(line=2, character=16), types.Position(line=2, character=47))
    assert server.hover(draft, types.Position(line=2, character=2)) is None


def test_whole_text_edit_is_trimmed_to_what_differs() -> None:
    assert actions.whole_text_edit("abcXdef", "abcYYdef") == Edit(3, 4, "YY")
    assert actions.whole_text_edit("aaa", "aaaa") == Edit(3, 3, "a")
    assert actions.whole_text_edit("same", "same") == Edit(4, 4, "")


def test_without_pygls_the_command_says_how_to_install_it(tmp_path: Path) -> None:
    (tmp_path / "pygls").mkdir()
    (tmp_path / "pygls" / "__init__.py").write_text(
        "raise ImportError(\"No module named 'pygls'\", name='pygls')\n")
    result = run_cli("server", env={"PYTHONPATH": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "claimcheck: error: the language server needs pygls and lsprotocol: install claimcheck with its "
        "'lsp' extra, e.g. pip install 'claimcheck-lint[lsp]' (or pipx install '.[lsp]' from a clone)")
    assert result.stdout == ""
