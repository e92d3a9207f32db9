"""``claimcheck server`` end to end: a subprocess spoken to over stdio, as an editor speaks to it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT

pytest.importorskip("pygls")
sys.path.insert(0, str(ROOT / "bench"))

from lsp_driver import Server, apply_text_edits, edit

CLAIM_LINE = "Our café registry 🙂 shows that 81% of patients reported relief after one visit."
FDA_LINE = "The sealant we use is FDA-cleared for disc repair."
SCOPE = ("The fibrin sealant used in the procedure is FDA-approved as a sealant. Specific clinical applications, "
         "candidacy, and outcomes vary by patient.")
SECOND_CLAIM = "Nine out of ten patients would recommend the clinic."
DISCLAIMER = ("This content is for general informational purposes only and does not constitute medical advice, "
              "diagnosis, or treatment.")
DRAFT = f"# Disc care at Northgate\n\n{CLAIM_LINE}\n\n{FDA_LINE}\n\n{SCOPE}\n"
SESSION_DRAFT = f"# Disc care at Northgate\n\n{CLAIM_LINE}\n\n{FDA_LINE}\n\n{SECOND_CLAIM}\n\n{SCOPE}\n"


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def span(line: int, text: str, start: str, end: str, units: Any = utf16) -> dict[str, Any]:
    """The LSP range of ``text[index(start) : index(end) + len(end)]`` on ``line``, counted by ``units``."""
    low = text.index(start)
    high = text.index(end, low) + len(end)
    return {"start": {"line": line, "character": units(text[:low])},
            "end": {"line": line, "character": units(text[:high])}}


def by_code(params: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["code"]: d for d in params["diagnostics"]}


@pytest.fixture
def server(tmp_path: Path) -> Any:
    started = Server(cwd=tmp_path)
    yield started
    started.kill()


def test_an_editor_session_from_open_to_exit(tmp_path: Path, server: Server) -> None:
    result = server.initialize(tmp_path, options={"debounce": 0})
    capabilities = result["capabilities"]
    assert capabilities["positionEncoding"] == "utf-16"
    assert capabilities["textDocumentSync"]["change"] == 2  # incremental
    assert capabilities["hoverProvider"] is True
    uri = (tmp_path / "draft.md").as_uri()
    text = SESSION_DRAFT

    server.open(uri, text)
    _, params = server.diagnostics(uri)
    assert params["version"] == 1
    assert [(d["code"], d["range"]["start"]["line"]) for d in params["diagnostics"]] == [
        ("CC301", 0), ("CC101", 2), ("CC201", 4), ("CC101", 6)]
    found = by_code(params)
    claim = params["diagnostics"][1]
    # The emoji before the claim is two UTF-16 units, "é" one: the range counts as the editor does.
    assert claim["range"] == span(2, CLAIM_LINE, "81%", "one visit") == {
        "start": {"line": 2, "character": 32}, "end": {"line": 2, "character": 79}}
    assert claim["severity"] == 1 and claim["source"] == "claimcheck"
    assert claim["message"].startswith("Numeric outcome claim ('81%' … 'reported') without an")
    assert found["CC201"]["range"] == span(4, FDA_LINE, "FDA-cleared", "FDA-cleared")
    assert found["CC301"]["range"] == {"start": {"line": 0, "character": 0},
                                       "end": {"line": 0, "character": len("# Disc care at Northgate")}}
    assert "codeDescription" not in claim  # no documentation URL configured

    # The writer types the qualifier after the first claim: an incremental change at the end of line 2.
    end_of_claim = utf16(CLAIM_LINE)
    server.change(uri, 2, [edit((2, end_of_claim), (2, end_of_claim), " Individual outcomes vary.")])
    text = text.replace(CLAIM_LINE, CLAIM_LINE + " Individual outcomes vary.")
    _, params = server.diagnostics(uri)
    assert params["version"] == 2
    assert [(d["code"], d["range"]["start"]["line"]) for d in params["diagnostics"]] == [
        ("CC301", 0), ("CC201", 4), ("CC101", 6)]

    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": 4, "character": 25}})
    assert hover["contents"]["kind"] == "markdown"
    value = hover["contents"]["value"]
    assert value.startswith("**CC201** FDA wording goes beyond what the FDA actually approved.")
    assert "`fda-approval-overreach` (error, kind: restricted-wording)" in value
    assert "References:" in value and "`claimcheck explain CC201`" in value
    assert server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": 2, "character": 3}}) is None

    # The light bulb on the second claim: CC101's own fix, preferred, tied to the document's version.
    second = by_code(params)["CC101"]
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": second["range"], "context": {"diagnostics": [second]}})
    assert [a["title"] for a in actions] == [
        "CC101: Add 'Individual outcomes vary.' to this paragraph",
        "Suppress CC101 in this block (with a reason)",
        "Fix all safe claimcheck findings in this document"]
    fix = actions[0]
    assert fix["kind"] == "quickfix" and fix["isPreferred"] is True
    assert [d["code"] for d in fix["diagnostics"]] == ["CC101"]
    [change] = fix["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": uri, "version": 2}
    end_of_second = utf16(SECOND_CLAIM)
    assert change["edits"] == [{"range": {"start": {"line": 6, "character": end_of_second},
                                          "end": {"line": 6, "character": end_of_second}},
                                "newText": " Individual outcomes vary."}]
    # Applying its edit, as the editor does (sending the result back as a full-text change), clears it.
    text = apply_text_edits(text, change["edits"])
    assert SECOND_CLAIM + " Individual outcomes vary." in text
    server.change(uri, 3, [{"text": text}])
    _, params = server.diagnostics(uri)
    assert params["version"] == 3
    assert sorted(by_code(params)) == ["CC201", "CC301"]

    # Fix all: the disclaimer is added at the end (CC201's advice has no edit to apply).
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                "end": {"line": 0, "character": 0}},
        "context": {"diagnostics": [], "only": ["source.fixAll"]}})
    [fix_all] = actions
    assert fix_all["kind"] == "source.fixAll.claimcheck"
    text = apply_text_edits(text, fix_all["edit"]["documentChanges"][0]["edits"])
    assert text.endswith(SCOPE + "\n\n" + DISCLAIMER + "\n")
    server.change(uri, 4, [{"text": text}])
    _, params = server.diagnostics(uri)
    assert sorted(by_code(params)) == ["CC201"]

    # CC201 is suppressed with a reason to fill in.
    cc201 = by_code(params)["CC201"]
    actions = server.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": cc201["range"], "context": {"diagnostics": [cc201]}})
    [suppress] = actions
    assert suppress["title"] == "Suppress CC201 in this block (with a reason)"
    [change] = suppress["edit"]["documentChanges"]
    assert change["edits"] == [{"range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}},
                                "newText": "<!-- claimcheck: disable-next-block CC201 -- "
                                           "<why this finding does not apply> -->\n"}]
    text = apply_text_edits(text, change["edits"])
    server.change(uri, 5, [{"text": text}])
    _, params = server.diagnostics(uri)
    assert params == {"uri": uri, "diagnostics": [], "version": 5}

    assert server.close() == 0


def test_exit_without_shutdown_is_status_1(server: Server) -> None:
    server.initialize()
    server.notify("exit")
    assert server.process.wait(30) == 1


def test_positions_in_utf8_when_the_client_offers_it(tmp_path: Path, server: Server) -> None:
    result = server.initialize(tmp_path, encodings=["utf-8", "utf-16"], options={"debounce": 0})
    assert result["capabilities"]["positionEncoding"] == "utf-8"
    uri = (tmp_path / "draft.txt").as_uri()
    server.open(uri, DRAFT.replace("# ", ""), language="plaintext")
    _, params = server.diagnostics(uri)

    def utf8(text: str) -> int:
        return len(text.encode("utf-8"))

    # é is two bytes and the emoji four: the claim starts at byte 35 (character 31).
    assert by_code(params)["CC101"]["range"] == span(2, CLAIM_LINE, "81%", "one visit", utf8)
    assert by_code(params)["CC101"]["range"]["start"]["character"] == 35
    # An incremental change in UTF-8 units: replace "81%" (bytes 35-38) with "82%".
    server.change(uri, 2, [edit((2, 35), (2, 38), "82%")])
    _, params = server.diagnostics(uri)
    assert by_code(params)["CC101"]["message"].startswith("Numeric outcome claim ('82%'")
    assert server.close() == 0


def test_a_broken_configuration_is_one_diagnostic_and_the_server_goes_on(tmp_path: Path,
                                                                          server: Server) -> None:
    config = tmp_path / ".claimcheck.yaml"
    config.write_text("select: [CC1]\nqualifier: [Results vary]\n", encoding="utf-8")
    server.initialize(tmp_path, options={"debounce": 0})
    uri = (tmp_path / "drafts" / "page.md").as_uri()
    server.open(uri, DRAFT)

    _, on_config = server.diagnostics(config.as_uri())
    [problem] = on_config["diagnostics"]
    assert problem["code"] == "E002" and problem["severity"] == 1
    assert problem["range"]["start"] == {"line": 1, "character": 0}
    assert "qualifier" in problem["message"]
    _, on_draft = server.diagnostics(uri)
    assert on_draft["diagnostics"] == []
    _, shown = server.wait(lambda m: m.get("method") == "window/showMessage")
    assert shown["params"]["type"] == 1
    assert "not linted until it is fixed" in shown["params"]["message"]
    assert ".claimcheck.yaml:2:1" in shown["params"]["message"]

    # Still answering; then the writer fixes the file: the config diagnostic goes, the draft is linted
    # under the fixed configuration (select CC1: only CC101).
    assert server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": 2, "character": 33}}) is None
    config.write_text("select: [CC1]\n", encoding="utf-8")
    server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    _, cleared = server.diagnostics(config.as_uri())
    assert cleared["diagnostics"] == []
    _, relinted = server.diagnostics(uri)
    assert sorted(by_code(relinted)) == ["CC101"]
    assert server.close() == 0


def test_configured_rule_docs_url_links_each_diagnostic(tmp_path: Path, server: Server) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.claimcheck]\nrule-docs-url = "https://wiki.example/rules/{code}-{name}"\n', encoding="utf-8")
    server.initialize(tmp_path, options={"debounce": 0})
    uri = (tmp_path / "page.md").as_uri()
    server.open(uri, DRAFT)
    _, params = server.diagnostics(uri)
    assert by_code(params)["CC201"]["codeDescription"] == {
        "href": "https://wiki.example/rules/CC201-fda-approval-overreach"}
    assert server.close() == 0


def test_a_draft_that_fails_to_lint_gets_one_diagnostic_saying_why(tmp_path: Path, server: Server) -> None:
    (tmp_path / "slow.yaml").write_text(
        "code: XX201\nname: slow-rule\nkind: restricted-wording\nmessage: m\ndescription: d\n"
        "wording:\n  - '(a+)+$'\n", encoding="utf-8")
    (tmp_path / ".claimcheck.yaml").write_text(
        "extend-rules: [slow.yaml]\nselect: [XX2]\ntime-budget: 0.5\n", encoding="utf-8")
    server.initialize(tmp_path, options={"debounce": 0})
    slow, fine = (tmp_path / "aaa.txt").as_uri(), (tmp_path / "fine.txt").as_uri()
    server.open(slow, "a" * 40_000 + "!\n", language="plaintext")
    _, params = server.diagnostics(slow)
    [diagnostic] = params["diagnostics"]
    assert diagnostic["code"] == "E005"
    assert diagnostic["range"] == {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}
    assert diagnostic["message"].startswith("claimcheck could not lint this draft: pattern '(a+)+$' of rule "
                                            "XX201")
    # The next draft is linted as usual.
    server.open(fine, "Nothing to see here.\n", language="plaintext")
    _, params = server.diagnostics(fine)
    assert params["diagnostics"] == []
    assert server.close() == 0


def test_documents_that_are_not_drafts_are_left_alone(tmp_path: Path, server: Server) -> None:
    server.initialize(tmp_path, options={"debounce": 0})
    server.open((tmp_path / "tool.py").as_uri(), "x = '81% of patients improved'\n", language="python")
    uri = (tmp_path / "notes").as_uri()  # no extension, but the editor says it is plain text
    server.open(uri, "FDA-cleared.\n", language="plaintext")
    _, params = server.diagnostics(uri)
    assert "CC201" in by_code(params)
    assert not [m for m in server.pending("textDocument/publishDiagnostics")
                if m["params"]["uri"].endswith("tool.py")]
    assert server.close() == 0


def test_a_newer_change_cancels_the_pending_lint(tmp_path: Path, server: Server) -> None:
    server.initialize(tmp_path, options={"debounce": 300})
    uri = (tmp_path / "draft.md").as_uri()
    server.open(uri, DRAFT)
    server.diagnostics(uri)  # on open: at once
    sent = server.change(uri, 2, [edit((2, 0), (2, 0), "A")])
    server.change(uri, 3, [edit((2, 0), (2, 0), "B")])
    arrived, params = server.diagnostics(uri)
    assert params["version"] == 3  # version 2 was never linted
    assert arrived - sent >= 0.3  # after the pause
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    _, params = server.diagnostics(uri)  # on save: at once, for the same text
    assert params["version"] == 3
    assert not server.pending("textDocument/publishDiagnostics")
    assert server.close() == 0


def test_a_changed_rule_file_relints_the_open_drafts(tmp_path: Path, server: Server) -> None:
    rules = tmp_path / "team-rules"
    rules.mkdir()
    rule = rules / "miracle.yaml"
    rule.write_text("code: XX101\nname: miracle-wording\nkind: restricted-wording\nmessage: No miracles.\n"
                    "description: d\nwording: ['\\bmiracle\\b']\n", encoding="utf-8")
    (tmp_path / ".claimcheck.yaml").write_text("extend-rules: [team-rules]\nselect: [XX]\n", encoding="utf-8")
    server.initialize(tmp_path, options={"debounce": 0})
    uri = (tmp_path / "page.txt").as_uri()
    server.open(uri, "A miracle cure and a wonder cure.\n", language="plaintext")
    _, params = server.diagnostics(uri)
    assert [(d["code"], d["range"]["start"]["character"]) for d in params["diagnostics"]] == [("XX101", 2)]
    rule.write_text(rule.read_text(encoding="utf-8").replace("miracle\\b", "(?:miracle|wonder)\\b"),
                    encoding="utf-8")
    server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": rule.as_uri(), "type": 2}]})
    _, params = server.diagnostics(uri)
    assert [(d["code"], d["range"]["start"]["character"]) for d in params["diagnostics"]] == [
        ("XX101", 2), ("XX101", 21)]
    # A broken rule file: one diagnostic at its line, and the draft waits.
    rule.write_text(rule.read_text(encoding="utf-8") + "colour: red\n", encoding="utf-8")
    server.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": rule.as_uri(), "type": 2}]})
    _, on_rule = server.diagnostics(rule.as_uri())
    [problem] = on_rule["diagnostics"]
    assert problem["code"] == "E003" and problem["range"]["start"]["line"] == 6
    _, params = server.diagnostics(uri)
    assert params["diagnostics"] == []
    assert server.close() == 0
