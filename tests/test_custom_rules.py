"""Team rules as the README describes them: `rules --check` runs their examples, `rules` and `explain` load
them, and every mistake in them is reported in one run. Also the command line's first contact: no arguments,
a path given as a command, a mistyped rule code."""

from __future__ import annotations

from pathlib import Path

from claimcheck.ruleset import default_rules_dir, load_rules

from conftest import ROOT, run_cli

TEAM_RULE = """code: XX101
name: miracle-wording
kind: restricted-wording
severity: warning
message: Avoid "miracle"; describe what the treatment does.
description: Flags the word miracle.
examples:
  fail:
    - "A miracle cure for back pain."
  pass:
    - "A cure for back pain."
    - "Our miraculous staff."
wording: ['\\bmiracul\\w*|\\bmiracle\\b']
"""


def test_rules_check_reports_a_failing_example_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(TEAM_RULE)
    result = run_cli("rules", "--isolated", "--check", "--extend-rules", "team.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "team.yaml:12:7: error: passing example is flagged by XX101: 'Our miraculous staff.'\n"
    (tmp_path / "team.yaml").write_text(TEAM_RULE.replace("\\bmiracul\\w*|", ""))
    fixed = run_cli("rules", "--isolated", "--check", "--extend-rules", "team.yaml", cwd=tmp_path)
    assert (fixed.returncode, fixed.stderr) == (0, "")
    shipped = load_rules([default_rules_dir()])
    examples = sum(len(r.meta.examples_fail) + len(r.meta.examples_pass) for r in shipped) + 3  # and the team rule's three
    assert fixed.stdout == f"All {examples} examples of {len(shipped) + 1} rules hold.\n"


def test_rules_and_explain_accept_extend_rules(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(TEAM_RULE)
    listing = run_cli("rules", "--isolated", "--extend-rules", "team.yaml", cwd=tmp_path)
    assert listing.returncode == 0
    assert "XX101  miracle-wording                warning  Flags the word miracle" in listing.stdout.splitlines()
    explained = run_cli("explain", "--isolated", "--extend-rules", "team.yaml", "XX101", cwd=tmp_path)
    assert explained.stdout.splitlines()[0] == "XX101 miracle-wording (warning, kind: restricted-wording)"


def test_every_rule_file_error_of_a_run_is_reported(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.yaml").write_text(TEAM_RULE.replace("wording: [", "wordnig: ["))
    (tmp_path / "rules" / "b.yaml").write_text("- " + TEAM_RULE.replace("\n", "\n  ").replace("XX101", "XX201")
                                               .replace("kind: restricted-wording", "kind: restricted")
                                               + "\n- " + TEAM_RULE.replace("\n", "\n  ").replace("XX101", "XX101"))
    (tmp_path / "page.txt").write_text("Hello.\n")
    result = run_cli("check", "--isolated", "--extend-rules", "rules", "page.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "rules/a.yaml:13:1: error: unknown key 'wordnig' in restricted-wording rule (did you mean 'wording'?)",
        "rules/b.yaml:3:9: error: 'kind' in rule must be one of qualified-claim, restricted-wording, "
        "required-statement, suppression-check, registered-claim, not 'restricted'",
    ]


def test_readme_documents_every_key_of_every_rule_kind() -> None:
    from claimcheck.families import KINDS
    from claimcheck.ruleset.loader import COMMON_FIELDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Writing your own rules"):readme.index("## Formats")]
    for key in COMMON_FIELDS:
        assert f"`{key}`" in section, key
    for name, kind in KINDS.items():
        row = next(line for line in section.splitlines() if line.startswith(f"| `{name}`"))
        for key in kind.fields:
            assert f"`{key}`" in row, (name, key)


def test_no_arguments_prints_the_usual_help() -> None:
    result = run_cli()
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "Usage: claimcheck [OPTIONS] COMMAND [ARGS]..."
    assert "  check    Lint drafts (files, folders, or '-' for standard input)." in result.stdout.splitlines()


def test_a_path_given_as_a_command_suggests_check() -> None:
    result = run_cli("drafts/page.md")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("claimcheck: error: unknown command 'drafts/page.md'; to lint it, run "
                             "'claimcheck check drafts/page.md'\n")
    typo = run_cli("chek", "page.md")
    assert typo.stderr == "claimcheck: error: unknown command 'chek' (did you mean 'check'?)\n"


def test_explain_suggests_the_code_that_was_meant() -> None:
    for typed, meant in (("CC10", "CC101"), ("CC1O1", "CC101"), ("cc2O1", "CC201")):
        result = run_cli("explain", "--isolated", typed)
        assert result.returncode == 2
        assert result.stderr == f"claimcheck: error: unknown rule {typed!r} (did you mean {meant}?)\n"
