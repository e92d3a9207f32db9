"""The command line as writers and hooks use it: output lines, exit statuses, selection, explain."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES, ROOT, run_cli

CLAIMS = "fixtures/text/outcome-claims.txt"
FDA = "fixtures/text/fda-wording.txt"
CLEAN = "fixtures/text/compliant.txt"


def finding_lines(stdout: str) -> list[str]:
    return [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in stdout.splitlines()
            if line.startswith("fixtures/") or line.startswith("<stdin>")]


def test_findings_are_reported_like_a_linter() -> None:
    result = run_cli("check", "--isolated", CLAIMS)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{CLAIMS}:7:34: CC101 [error] Numeric outcome claim ('81%' … 'success rate') without an \"Individual "
            "outcomes vary\" qualifier in "
        "its paragraph. Add \"Individual outcomes vary.\" to the same paragraph, or remove the number.")
    # the source line, and the claim underlined under it
    assert "7 | Across 310 treated patients, the reported success rate was 81%." in result.stdout
    assert "  |                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n" in result.stdout
    assert result.stdout.rstrip().endswith("Found 5 problems (5 errors) in 1 file.\n5 fixable with 'claimcheck check --fix'.")
    assert result.stderr == ""


def test_clean_draft_exits_zero() -> None:
    result = run_cli("check", "--isolated", CLEAN)
    assert result.returncode == 0
    assert result.stdout.strip() == "No problems found in 1 file."


def test_directory_is_searched_for_drafts() -> None:
    result = run_cli("check", "--isolated", "--no-source", "fixtures/text")
    assert result.returncode == 1
    assert f"{FDA}:2:20: CC201" in result.stdout
    assert "fixtures/text/missing-statements.txt:1:1: CC302" in result.stdout


def test_json_format_has_the_documented_fields() -> None:
    result = run_cli("check", "--isolated", "--format", "json", FDA)
    assert result.returncode == 1
    items = json.loads(result.stdout)
    assert [(i["line"], i["column"], i["code"]) for i in items] == [
        (2, 20, "CC201"), (4, 17, "CC201"), (6, 32, "CC201"), (7, 29, "CC201")]
    second = items[0]
    assert set(second) == {"path", "line", "column", "end_line", "end_column", "code", "rule", "severity",
                           "message", "excerpt", "fix"}
    assert second["excerpt"] == "FDA\u2011approved"
    assert (second["end_line"], second["end_column"]) == (2, 32)
    assert second["rule"] == "fda-approval-overreach" and second["severity"] == "error"


def test_select_and_ignore_by_prefix_longest_wins() -> None:
    only_fda = run_cli("check", "--isolated", "--no-source", "--select", "CC2", "fixtures/text")
    assert {line.split()[1] for line in only_fda.stdout.splitlines() if ": CC" in line} == {"CC201"}
    # CC101 is selected by the longer prefix even though CC1 is ignored
    mixed = run_cli("check", "--isolated", "--no-source", "--select", "CC,CC101", "--ignore", "CC1,CC3,CC9",
                    "fixtures/text")
    assert {line.split()[1] for line in mixed.stdout.splitlines() if ": CC" in line} == {"CC101", "CC201"}


def test_unknown_code_is_a_usage_error() -> None:
    result = run_cli("check", "--isolated", "--select", "CC999", CLEAN)
    assert result.returncode == 2
    assert result.stderr.startswith("claimcheck: error: select: 'CC999' matches no rule code")
    assert len(result.stderr.strip().splitlines()) == 1


def test_stdin_with_filename() -> None:
    text = (ROOT / FDA).read_bytes()
    result = run_cli("check", "--isolated", "--no-source", "--stdin-filename", "page.txt", "-", input=text)
    assert result.returncode == 1
    assert "page.txt:2:20: CC201" in result.stdout


def test_qualifier_and_scope_options() -> None:
    accepted = run_cli("check", "--isolated", "--no-source", "--qualifier", "Results may vary", CLAIMS)
    lines = [line.split()[0] for line in accepted.stdout.splitlines() if ": CC101" in line]
    assert f"{CLAIMS}:21:9:" not in lines and f"{CLAIMS}:7:34:" in lines
    # With document scope, the qualifier in the first paragraph covers every claim.
    document = run_cli("check", "--isolated", "--claim-scope", "document", CLAIMS)
    assert document.returncode == 0


def test_fail_on_and_exit_zero(tmp_path: Path) -> None:
    rule = tmp_path / "warn.yaml"
    rule.write_text(
        "code: XW101\nname: hedge-word\nkind: restricted-wording\nseverity: warning\n"
        "message: Avoid 'miracle'.\ndescription: Flags the word miracle.\n"
        "examples: {fail: ['A miracle cure.'], pass: ['A cure.']}\nwording: ['\\bmiracle\\b']\n")
    draft = tmp_path / "d.txt"
    draft.write_text("A miracle in a bottle.\n\nThis content is for general informational purposes only and "
                     "does not constitute medical advice, diagnosis, or treatment.\n")
    base = ("check", "--isolated", "--no-source", "--extend-rules", str(rule), str(draft))
    assert run_cli(*base).returncode == 0  # a warning does not fail by default
    assert run_cli(*base, "--fail-on", "warning").returncode == 1
    assert run_cli(*base, "--fail-on", "warning", "--exit-zero").returncode == 0
    assert f"{draft}:1:3: XW101 [warning] Avoid 'miracle'." in run_cli(*base).stdout


def test_rules_and_explain() -> None:
    listing = run_cli("rules")
    assert [line.split()[0] for line in listing.stdout.splitlines()][:7] == ["CC101", "CC110", "CC111", "CC112",
                                                                           "CC201", "CC301", "CC302"]
    explained = run_cli("explain", "CC201")
    assert explained.returncode == 0
    assert explained.stdout.startswith("CC201 fda-approval-overreach (error, kind: restricted-wording)")
    assert "Flagged:" in explained.stdout and "Fine:" in explained.stdout and "References:" in explained.stdout
    by_name = run_cli("explain", "unqualified-outcome-claim")
    assert by_name.stdout.startswith("CC101 unqualified-outcome-claim")
    unknown = run_cli("explain", "CC777")
    assert unknown.returncode == 2 and unknown.stderr.startswith("claimcheck: error: unknown rule 'CC777'")


def test_help_and_version() -> None:
    assert "Lint drafts" in run_cli("check", "--help").stdout
    assert run_cli("--version").stdout.startswith("claimcheck, version ")


def test_fixtures_dir_exists() -> None:
    assert (FIXTURES / "text").is_dir()
