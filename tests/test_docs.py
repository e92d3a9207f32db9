"""The documented install, pre-commit and CI snippets work on first contact: no pin to a tag that does not
exist, a paths filter that sees every draft and rule change, an upload that cannot fail where code scanning
is off, and a job summary that lists every finding."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from claimcheck.documents import EXTENSIONS

from conftest import ROOT, run_cli

DOCS = [ROOT / "README.md", ROOT / "docs" / "ci.md", ROOT / ".pre-commit-hooks.yaml"]


def ci_workflow() -> dict:  # type: ignore[type-arg]
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text[text.index("## GitHub Actions"):]
    block = section[section.index("```yaml") + len("```yaml"):]
    return yaml.safe_load(block[:block.index("```")])  # type: ignore[no-any-return]


def test_no_document_pins_the_missing_release_tag() -> None:
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"rev: v\d|@v0\.", text), path
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "git ls-remote https://github.com/OWNER/claimcheck HEAD" in readme
    assert "pipx install" in readme and "python3 -m venv" in readme and "claimcheck-lint" in readme


def test_ci_paths_filter_covers_every_draft_extension_and_the_rule_inputs() -> None:
    paths = ci_workflow()[True]["pull_request"]["paths"]  # YAML 1.1 reads the key 'on' as true
    assert {f"**{extension}" for extension in EXTENSIONS} <= set(paths)
    assert {".claimcheck.yaml", ".claimcheck.yml", "pyproject.toml"} <= set(paths)


def test_ci_uploads_sarif_only_where_code_scanning_is_on_and_writes_a_job_summary() -> None:
    steps = ci_workflow()["jobs"]["claimcheck"]["steps"]
    upload = next(step for step in steps if str(step.get("uses", "")).startswith("github/codeql-action"))
    assert "env.CODE_SCANNING == 'true'" in upload["if"]
    summaries = [step for step in steps if "$GITHUB_STEP_SUMMARY" in str(step.get("run", ""))]
    assert summaries and all("--format markdown" in step["run"] for step in summaries)


def test_markdown_report_lists_every_finding_and_error_in_one_table(tmp_path: Path) -> None:
    (tmp_path / "a|b.txt").write_text("Nine in ten patients improved.\n\nNine in ten patients improved.\n")
    result = run_cli("check", "--isolated", "--format", "markdown", "--select", "CC101", "a|b.txt", "gone.md",
                     cwd=tmp_path)
    assert result.returncode == 2
    message = ("Numeric outcome claim ('Nine in ten patients' … 'improved') without an \"Individual outcomes "
               "vary\" qualifier in its paragraph. Add \"Individual outcomes vary.\" to the same paragraph, or "
               "remove the number.")
    assert result.stdout.splitlines() == [
        "## claimcheck",
        "",
        "| File | Line | Column | Code | Severity | Message |",
        "|------|-----:|-------:|------|----------|---------|",
        f"| a\\|b.txt | 1 | 1 | CC101 | error | {message} |",
        f"| a\\|b.txt | 3 | 1 | CC101 | error | {message} |",
        "| gone.md |  |  | E004 | error | no such file or directory |",
        "",
        "Found 2 problems in 1 file. 1 file could not be linted.",
    ]
