"""``check --fix``, ``--unsafe-fixes``, ``--diff`` and ``--show-fixes`` on drafts of every format.

The drafts in fixtures/fixes hold findings of every default rule; each has the file ``--fix`` must write
(``.fixed``) next to it. The tests check what a writer relies on: the fixed draft re-lints clean for what
was fixed, a second ``--fix`` changes nothing, text outside the edits stays byte for byte, the fixed draft
reads as the same blocks plus the inserted text, encodings and line endings are kept, and nothing is
written without ``--fix``.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from claimcheck.documents import parse
from claimcheck.files import decode
from claimcheck.fixes import fixable
from claimcheck.model import Applicability

from conftest import FIXTURES, lint_text, run_cli

FIXES = FIXTURES / "fixes"
DRAFTS = sorted(p for p in FIXES.iterdir() if p.suffix in {".txt", ".md", ".html"})
DISCLAIMER = ("This content is for general informational purposes only and does not constitute medical "
              "advice, diagnosis, or treatment.")
SCOPE = ("The fibrin sealant used in the procedure is FDA-approved as a sealant. Specific clinical "
         "applications, candidacy, and outcomes vary by patient.")
QUALIFIER = "Individual outcomes vary."
FORMATS = {".txt": "text", ".md": "markdown", ".html": "html"}


def copy(draft: Path, tmp_path: Path) -> Path:
    target = tmp_path / draft.name
    shutil.copyfile(draft, target)
    return target


def fix(*args: str, cwd: Path):  # type: ignore[no-untyped-def]
    return run_cli("check", "--isolated", "--no-cache", *args, cwd=cwd)


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
def test_fix_writes_the_expected_draft_and_a_second_fix_changes_nothing(draft: Path, tmp_path: Path) -> None:
    target = copy(draft, tmp_path)
    fixed = draft.with_name(draft.name + ".fixed")
    remaining = lint_text(fixed.read_text(encoding="utf-8"), str(draft), FORMATS[draft.suffix])
    first = fix("--fix", target.name, cwd=tmp_path)
    assert first.returncode == (1 if remaining else 0), first.stderr  # what --fix must not fix remains
    assert target.read_bytes() == fixed.read_bytes()
    written = target.stat().st_mtime_ns
    second = fix("--fix", target.name, cwd=tmp_path)
    assert "Fixed" not in second.stdout
    assert target.stat().st_mtime_ns == written  # not even rewritten with the same bytes
    assert not [p.name for p in tmp_path.iterdir() if p != target]  # no temporary file left


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
def test_the_fixed_draft_relints_without_safe_fixes_and_only_unsafe_or_shown_ones_remain(draft: Path) -> None:
    fmt = FORMATS[draft.suffix]
    before = lint_text(draft.read_text(encoding="utf-8"), str(draft), fmt)
    after = lint_text(draft.with_name(draft.name + ".fixed").read_text(encoding="utf-8"), str(draft), fmt)
    assert fixable(before) and not fixable(after)
    assert {f.code for f in after} <= {"CC101", "CC201"}
    for finding in after:  # what is left is what --fix must not write
        assert finding.fix is not None
        assert finding.fix.applicability in (Applicability.UNSAFE, Applicability.DISPLAY_ONLY)


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
def test_text_outside_the_edits_is_byte_identical(draft: Path) -> None:
    """Taking the inserted texts out of the fixed draft gives the draft without its unused suppressions."""
    before = draft.read_text(encoding="utf-8")
    after = draft.with_name(draft.name + ".fixed").read_text(encoding="utf-8")
    unused = [line for line in before.splitlines(keepends=True) if "claimcheck:" in line]
    assert unused  # every fixture has one, and --fix deletes it with its line
    for line in unused:
        before = before.replace(line, "")
    for inserted in (f"<caption>{QUALIFIER}</caption>", f" {QUALIFIER}", f"    <p>{DISCLAIMER}</p>\n",
                     f"    <p>{SCOPE}</p>\n", f"\n\n{DISCLAIMER}", f"\n\n{SCOPE}"):
        after = after.replace(inserted, "")
    assert after == before


@pytest.mark.parametrize("draft", DRAFTS, ids=lambda p: p.name)
def test_the_fixed_draft_reads_as_the_same_blocks_plus_the_inserted_text(draft: Path) -> None:
    fmt = FORMATS[draft.suffix]
    before = [b.text for b in parse(str(draft), draft.read_text(encoding="utf-8"), fmt).blocks]
    after = [b.text for b in parse(str(draft), draft.with_name(draft.name + ".fixed").read_text(
        encoding="utf-8"), fmt).blocks]
    assert after[-2:] == [DISCLAIMER, SCOPE]  # the statements, as new final paragraphs
    rest = after[:-2]
    if "<caption>" in draft.with_name(draft.name + ".fixed").read_text(encoding="utf-8"):
        assert QUALIFIER in rest
        rest.remove(QUALIFIER)  # a table's new caption
    assert len(rest) == len(before)
    for old, new in zip(before, rest, strict=True):
        assert new in (old, f"{old} {QUALIFIER}"), (old, new)


def test_unsafe_fixes_apply_only_with_unsafe_fixes(tmp_path: Path) -> None:
    target = copy(FIXES / "spine-clinic-update.md", tmp_path)
    fix("--fix", target.name, cwd=tmp_path)
    assert "uses an FDA-approved fibrin sealant to close" in target.read_text(encoding="utf-8")
    done = fix("--fix", "--unsafe-fixes", target.name, cwd=tmp_path)
    text = target.read_text(encoding="utf-8")
    assert "The procedure uses a fibrin sealant, FDA-approved as a sealant, to close the tear." in text
    assert "Our FDA-cleared imaging suite" in text  # display-only: shown, never written
    assert "Fixed 1 problem in 1 file." in done.stdout
    assert [f.code for f in lint_text(text, "d.md")] == ["CC101", "CC201"]


def test_unsafe_rewrite_in_html_keeps_entities_and_markup(tmp_path: Path) -> None:
    target = copy(FIXES / "hearing-news.html", tmp_path)
    fix("--fix", "--unsafe-fixes", target.name, cwd=tmp_path)
    assert ("<p>Our clinic uses a fibrin sealant, FDA-approved as a sealant, in ear surgery &amp; repair.</p>"
            in target.read_text(encoding="utf-8"))


def test_diff_writes_nothing_and_shows_what_fix_would_write(tmp_path: Path) -> None:
    target = copy(FIXES / "weight-program.txt", tmp_path)
    before = target.read_bytes()
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    done = fix("--diff", target.name, cwd=tmp_path)
    assert done.returncode == 1
    assert target.read_bytes() == before and target.stat().st_mtime_ns == 1_000_000_000
    expected = difflib.unified_diff(before.decode().splitlines(keepends=True),
                                    (FIXES / "weight-program.txt.fixed").read_text().splitlines(keepends=True),
                                    fromfile="a/weight-program.txt", tofile="b/weight-program.txt")
    assert done.stdout == "".join(expected)
    assert "Would fix 5 problems in 1 file (run with --fix to apply)." in done.stderr
    shutil.copyfile(FIXES / "weight-program.txt.fixed", target)
    again = fix("--diff", target.name, cwd=tmp_path)
    assert (again.returncode, again.stdout) == (0, "")
    assert "No fixes to apply." in again.stderr


def test_crlf_and_byte_order_marks_are_kept(tmp_path: Path) -> None:
    text = "Patients lost 12 pounds on average.\r\nAsk us about the program.\r\n"
    utf8 = tmp_path / "a.txt"
    utf8.write_bytes(b"\xef\xbb\xbf" + text.encode())
    utf16 = tmp_path / "b.txt"
    utf16.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    done = fix("--fix", "a.txt", "b.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    expected = ("Patients lost 12 pounds on average. Individual outcomes vary.\r\nAsk us about the program."
                f"\r\n\r\n{DISCLAIMER}\r\n")
    assert utf8.read_bytes() == b"\xef\xbb\xbf" + expected.encode()
    assert utf16.read_bytes() == b"\xff\xfe" + expected.encode("utf-16-le")


def test_a_fixed_draft_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("Swelling fell by 40% in most patients.\n", encoding="utf-8")
    target.chmod(0o640)
    fix("--fix", "a.md", cwd=tmp_path)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert QUALIFIER in target.read_text(encoding="utf-8")


def test_a_read_only_draft_is_left_alone_with_an_error(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_text("Swelling fell by 40% in most patients.\n", encoding="utf-8")
    target.chmod(0o444)
    done = fix("--fix", "a.md", cwd=tmp_path)
    assert done.returncode == 2
    assert "a.md: error: cannot write the fixed draft: it is read-only (left as it was)" in done.stderr
    assert target.read_text(encoding="utf-8") == "Swelling fell by 40% in most patients.\n"


def test_stdin_with_fix_prints_the_fixed_text_and_reports_on_stderr() -> None:
    done = run_cli("check", "--isolated", "--fix", "--stdin-filename", "page.md", "-",
                   input=b"Swelling fell by 40% in most patients.\n")
    assert done.stdout == f"Swelling fell by 40% in most patients. {QUALIFIER}\n\n{DISCLAIMER}\n"
    assert "Fixed 2 problems in 1 file." in done.stderr
    assert done.returncode == 0


def test_show_fixes_lists_the_fixes_applied_per_draft(tmp_path: Path) -> None:
    target = copy(FIXES / "weight-program.txt", tmp_path)
    done = fix("--fix", "--show-fixes", target.name, cwd=tmp_path)
    assert done.stdout.splitlines()[-6:] == [
        "Fixed 5 problems:",
        "  weight-program.txt:",
        "    1 x CC301 Add the statement 'This content is for general informational purposes only …' at "
        "the end of the draft",
        "    1 x CC302 Add the statement 'The fibrin sealant used in the procedure is …' at the end of the "
        "draft",
        "    2 x CC101 Add 'Individual outcomes vary.' to this paragraph",
        "    1 x CC901 Remove the unused suppression",
    ]


@pytest.mark.parametrize("args, message", [
    (("--fix", "--diff"), "use one of the two"),
    (("--unsafe-fixes",), "--unsafe-fixes needs --fix"),
    (("--show-fixes",), "--show-fixes needs --fix"),
    (("--fix", "--diff-base", "HEAD"), "cannot be combined with --diff-base"),
])
def test_fix_options_that_cannot_go_together_are_usage_errors(args: tuple[str, ...], message: str,
                                                              tmp_path: Path) -> None:
    target = copy(FIXES / "weight-program.txt", tmp_path)
    before = target.read_bytes()
    done = fix(*args, target.name, cwd=tmp_path)
    assert done.returncode == 2 and message in done.stderr
    assert target.read_bytes() == before


def test_a_fix_that_never_settles_is_an_error_naming_the_rule_and_writes_nothing(tmp_path: Path) -> None:
    rule = tmp_path / "XX101.yaml"
    rule.write_text("""code: XX101
name: wants-a-source
kind: qualified-claim
severity: error
message: Say where the figure comes from.
description: A figure needs its source.
quantities: ['\\d+%']
qualifiers: ["Source: registry"]
fix:
  insert: "See our sources."
""", encoding="utf-8")
    target = tmp_path / "a.txt"
    target.write_text("Swelling fell by 40%.\n", encoding="utf-8")
    done = fix("--fix", "--select", "XX1", "--extend-rules", str(rule), "a.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert "error: the fix of rule XX101 does not converge" in done.stderr
    assert target.read_text(encoding="utf-8") == "Swelling fell by 40%.\n"


def test_json_and_sarif_carry_the_fix(tmp_path: Path) -> None:
    target = copy(FIXES / "weight-program.txt", tmp_path)
    items = json.loads(fix("--format", "json", target.name, cwd=tmp_path).stdout)
    claim = next(item for item in items if item["code"] == "CC101")
    assert claim["fix"] == {"applicability": "safe", "title": "Add 'Individual outcomes vary.' to this paragraph",
                            "edits": [{"line": 4, "column": 47, "end_line": 4, "end_column": 47,
                                       "text": " Individual outcomes vary."}]}
    log = json.loads(fix("--format", "sarif", target.name, cwd=tmp_path).stdout)
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "CC901")
    assert result["fixes"] == [{
        "description": {"text": "Remove the unused suppression"},
        "artifactChanges": [{"artifactLocation": {"uri": "weight-program.txt", "uriBaseId": "%SRCROOT%"},
                             "replacements": [{"deletedRegion": {"startLine": 6, "startColumn": 1,
                                                                 "endLine": 7, "endColumn": 1},
                                               "insertedContent": {"text": ""}}]}],
        "properties": {"applicability": "safe"}}]


def test_an_interrupted_write_leaves_the_original_and_no_temporary_file(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from claimcheck import fixing

    target = tmp_path / "a.txt"
    target.write_text("Swelling fell by 40%.\n", encoding="utf-8")

    def interrupted(source: str, destination: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fixing.write_fixed(str(target), "Swelling fell by 40%.\n", "Fixed.\n", None, "text", 1 << 20)
    assert target.read_text(encoding="utf-8") == "Swelling fell by 40%.\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_draft_changed_since_it_was_linted_is_not_overwritten(tmp_path: Path) -> None:
    from claimcheck import fixing
    from claimcheck.errors import InputError

    target = tmp_path / "a.txt"
    target.write_text("Edited by someone else.\n", encoding="utf-8")
    with pytest.raises(InputError, match="changed while it was being linted"):
        fixing.write_fixed(str(target), "Swelling fell by 40%.\n", "Fixed.\n", None, "text", 1 << 20)
    assert decode(target.read_bytes(), "a.txt") == "Edited by someone else.\n"


def test_explain_says_how_a_rule_fixes() -> None:
    assert "Fix: adds 'Individual outcomes vary.' (safe: applied by --fix)" in run_cli("explain", "CC101").stdout
    assert "(unsafe: applied only with --unsafe-fixes)" in run_cli("explain", "CC201").stdout
