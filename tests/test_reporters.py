"""Reporters: golden output for every ``--format`` on the same drafts, and what each CI consumer needs.

The drafts are in ``tests/golden/inputs/``; each format's expected output is ``tests/golden/<format>.golden``.
After an intended change to a reporter (or to a rule's message), regenerate and review the diff:

    UPDATE_GOLDEN=1 python -m pytest -q tests/test_reporters.py

The command runs with the repository root as working directory and relative paths, so the golden files hold
stable, relative paths. The SARIF golden file replaces the version and the rules' long texts (which come from
the rule files and are tested here separately) with placeholders, so editing a rule description does not
break it.
"""

from __future__ import annotations

import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from claimcheck import __version__
from claimcheck.cli import OUTPUT_FORMATS, cli
from claimcheck.documents import parse
from claimcheck.model import Finding, Position, Severity
from claimcheck.reporters import REPORTERS, ReportOptions, Summary, reporter_class
from claimcheck.reporters.github import annotation, escape_data, escape_property
from claimcheck.reporters.junit import JunitReporter
from claimcheck.reporters.sarif import SarifReporter

from conftest import ROOT, default_engine

GOLDEN = ROOT / "tests" / "golden"
INPUTS = [f"tests/golden/inputs/{name}" for name in ("clean.html", "fda-page.md", "outcomes.txt")]
# The content rules only, so that adding a rule family elsewhere does not change the SARIF rule list.
SELECT = ("--select", "CC1,CC2,CC3")
# The OASIS SARIF 2.1.0 schema, kept in the repository so the test runs in every checkout.
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check(*args: str) -> Result:
    """``claimcheck check --isolated --select CC1,CC2,CC3 ARGS`` in-process, from the repository root."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        # COLUMNS unset: the frames are 100 columns wide whatever terminal runs the tests.
        return CliRunner().invoke(cli, ["check", "--isolated", *SELECT, *args],
                                  env={"NO_COLOR": "1", "COLUMNS": None})
    finally:
        os.chdir(cwd)


def normalized(fmt: str, output: str) -> str:
    if fmt == "html":
        return output.replace(f"Made by claimcheck {__version__}.", "Made by claimcheck <version>.")
    if fmt != "sarif":
        return output
    log = json.loads(output)
    driver = log["runs"][0]["tool"]["driver"]
    driver["version"] = driver["semanticVersion"] = "<version>"
    for rule in driver["rules"]:
        rule["fullDescription"]["text"] = "<first paragraph of the rule's description>"
        rule["help"] = {"text": "<from the rule file>", "markdown": "<from the rule file>"}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


_RUNS: dict[tuple[str, ...], Result] = {}


def cached_check(*args: str) -> Result:
    """The golden runs serve several tests; lint once per argument list."""
    if args not in _RUNS:
        _RUNS[args] = check(*args)
    return _RUNS[args]


def test_every_format_is_registered_and_offered() -> None:
    assert set(REPORTERS) == set(OUTPUT_FORMATS) == {"text", "concise", "json", "sarif", "github", "junit",
                                                      "markdown", "html"}


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_golden_output(fmt: str) -> None:
    result = cached_check("--format", fmt, *INPUTS)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    actual = normalized(fmt, result.stdout)
    golden = GOLDEN / f"{fmt}.golden"
    if UPDATE:
        golden.write_text(actual, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden file {golden}; run with UPDATE_GOLDEN=1 to create it"
    assert actual == golden.read_text(encoding="utf-8"), \
        f"{fmt} output changed; if intended, rerun with UPDATE_GOLDEN=1 and review the diff"


# --- SARIF ------------------------------------------------------------------------------------------


def sarif_log() -> dict[str, Any]:
    return json.loads(cached_check("--format", "sarif", *INPUTS).stdout)  # type: ignore[no-any-return]


def test_sarif_validates_against_the_schema() -> None:
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema) if "draft-07" in schema.get("$schema", "") else \
        jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif_log()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_results_point_at_described_rules() -> None:
    run = sarif_log()["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "claimcheck" and driver["version"] == __version__
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(rule.meta.code for rule in default_engine().rules if rule.meta.code < "CC4")
    assert run["results"]
    for result in run["results"]:
        assert result["ruleId"] in ids
        assert ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] == "error"
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["artifactLocation"]["uri"].startswith("tests/golden/inputs/")
        region = location["region"]
        assert {"startLine", "startColumn", "endLine", "endColumn"} <= set(region)


def test_sarif_rules_carry_their_help() -> None:
    rules = {rule["id"]: rule for rule in sarif_log()["runs"][0]["tool"]["driver"]["rules"]}
    for rule in default_engine().rules:
        if rule.meta.code not in rules:
            continue
        descriptor = rules[rule.meta.code]
        assert descriptor["name"] == rule.meta.name
        first_words = " ".join(rule.meta.description.split()[:8])
        assert descriptor["fullDescription"]["text"].startswith(first_words)
        assert "What to write instead" in descriptor["help"]["text"]
        assert first_words in descriptor["help"]["markdown"]
        assert descriptor["defaultConfiguration"]["level"] in {"error", "warning", "note"}


def sarif_for(source: str, path: str = "drafts/page.txt") -> dict[str, Any]:
    engine = default_engine()
    document = parse(path, source, None)
    stream = io.StringIO()
    reporter = SarifReporter(stream, engine.rules, ReportOptions())
    reporter.start()
    findings = engine.lint(document)
    reporter.file(path, document, findings)
    summary = Summary()
    summary.add(findings)
    reporter.finish(summary)
    return json.loads(stream.getvalue())  # type: ignore[no-any-return]


def fingerprints(log: dict[str, Any]) -> dict[tuple[str, int], str]:
    """{(rule, line): fingerprint}"""
    return {(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]):
            r["partialFingerprints"]["claimcheck/v1"] for r in log["runs"][0]["results"]}


CLAIMS = ("Welcome to the clinic.\n\n"
          "In our survey, 81% of patients reported relief after treatment.\n\n"
          "Parking is behind the building.\n\n"
          "In our survey, 81% of patients reported relief after treatment.\n")


def test_sarif_fingerprints_survive_an_unrelated_edit_above() -> None:
    before = fingerprints(sarif_for(CLAIMS))
    after = fingerprints(sarif_for("A new opening paragraph about our hours.\n\n" + CLAIMS))
    assert [k[0] for k in before] == [k[0] for k in after]
    assert list(before.values()) == list(after.values())
    assert [line for _, line in before] != [line for _, line in after]  # the lines did move


def test_sarif_fingerprints_tell_repeated_claims_apart() -> None:
    claims = [v for (code, _), v in fingerprints(sarif_for(CLAIMS)).items() if code == "CC101"]
    assert len(claims) == 2 and len(set(claims)) == 2
    assert claims[0].split(":")[0] == claims[1].split(":")[0]  # same wording, different occurrence


# --- GitHub workflow commands --------------------------------------------------------------------------


def make_finding(severity: Severity = Severity.ERROR, path: str = "drafts/a, b.md",
                 message: str = "100% sure: line one\nline two\r") -> Finding:
    return Finding(path, "CC999", "test-rule", severity, message, 10, 20, Position(2, 3), Position(2, 13),
                   excerpt="0123456789")


def test_github_escapes_data_and_properties() -> None:
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    line = annotation(make_finding())
    assert line == ("::error file=drafts/a%2C b.md,line=2,col=3,endLine=2,endColumn=13,title=CC999::"
                    "100%25 sure: line one%0Aline two%0D\n")


@pytest.mark.parametrize(("severity", "command"),
                         [(Severity.ERROR, "error"), (Severity.WARNING, "warning"),
                          (Severity.INFO, "notice")])
def test_github_command_follows_severity(severity: Severity, command: str) -> None:
    assert annotation(make_finding(severity)).startswith(f"::{command} file=")


def test_github_document_level_findings_have_no_columns() -> None:
    lines = cached_check("--format", "github", *INPUTS).stdout.splitlines()
    cc301 = [line for line in lines if "title=CC301" in line]
    assert cc301 == [cc301[0]] and "line=1,title=CC301::" in cc301[0] and "col=" not in cc301[0]


# --- JUnit ------------------------------------------------------------------------------------------


def test_junit_has_one_case_per_file_and_correct_counts() -> None:
    root = ET.fromstring(cached_check("--format", "junit", *INPUTS).stdout)
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert list(cases) == INPUTS
    assert cases[INPUTS[0]].findall("failure") == []  # the clean draft passes
    failures = {name: len(case.findall("failure")) for name, case in cases.items()}
    assert failures == {INPUTS[0]: 0, INPUTS[1]: 3, INPUTS[2]: 4}
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors")) == ("3", "2", "0")
    first = cases[INPUTS[2]].findall("failure")[0]
    assert first.get("type") == "CC301" and first.text and first.text.startswith(f"{INPUTS[2]}:1:1: CC301")


def test_junit_output_is_valid_xml_even_with_control_characters() -> None:
    stream = io.StringIO()
    reporter = JunitReporter(stream, default_engine().rules, ReportOptions())
    reporter.start()
    finding = make_finding(message="bad \x0b char & <tag>")
    document = parse("drafts/a.txt", "x" * 30, None)
    reporter.file("drafts/a.txt", document, [finding])
    summary = Summary(errors=["missing.txt: error: no such file or directory"])
    summary.add([finding])
    reporter.finish(summary)
    root = ET.fromstring(stream.getvalue())
    assert root.get("tests") == "2" and root.get("errors") == "1" and root.get("failures") == "1"
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "CC999 bad \ufffd char & <tag>"


# --- options with every format ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_output_file_and_exit_zero_work_with_every_format(fmt: str, tmp_path: Path) -> None:
    target = tmp_path / f"report.{fmt}"
    result = check("--format", fmt, "--output-file", str(target), "--exit-zero", *INPUTS)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    golden = (GOLDEN / f"{fmt}.golden").read_text("utf-8")
    assert normalized(fmt, target.read_text(encoding="utf-8")) == golden


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_quiet_and_statistics_with_every_format(fmt: str) -> None:
    golden = (GOLDEN / f"{fmt}.golden").read_text("utf-8")
    quiet = normalized(fmt, check("--format", fmt, "--quiet", *INPUTS).stdout)
    stats = normalized(fmt, check("--format", fmt, "--statistics", "--quiet", *INPUTS).stdout)
    table = "    3  CC101  unqualified-outcome-claim\n    2  CC201  fda-approval-overreach\n" \
            "    1  CC301  missing-medical-disclaimer\n    1  CC302  missing-fda-scope-statement\n"
    if fmt in {"text", "concise"}:
        assert quiet == re.sub(r"Found .*\n(?:.* fixable with .*\n)?\Z", "", golden)
        assert stats == table  # the table instead of the findings
    elif fmt == "github":
        assert quiet == re.sub(r"claimcheck: found .*\n\Z", "", golden)
        assert stats == quiet + table  # annotations, then the table in the log
    elif fmt == "markdown":  # the table and its summary line; --statistics adds nothing to it
        assert quiet == stats == re.sub(r"Found .*\n\Z", "", golden)
    else:  # machine-readable formats have no summary and ignore --statistics
        assert quiet == stats == golden


def test_text_is_coloured_only_when_asked() -> None:
    plain = check("--format", "concise", INPUTS[2]).stdout
    coloured = check("--format", "concise", "--color", "always", INPUTS[2]).stdout
    assert "\x1b[" not in plain and "\x1b[" in coloured


def test_unknown_format_is_a_usage_error() -> None:
    result = check("--format", "xml", *INPUTS)
    assert result.exit_code == 2 and "xml" in result.output


def test_reporter_classes_load() -> None:
    for name in REPORTERS:
        assert reporter_class(name).__name__.lower().startswith(name)
