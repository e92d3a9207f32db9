"""The claims registry (``claims-registry`` in the configuration) and CC110-CC112: validation, matching,
expiry, links from findings to entries in JSON and SARIF, and the cost of the rules without a registry."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from claimcheck.claims.figures import canonical_figure
from claimcheck.claims.registry import RegistryError, load_registry
from claimcheck.config import Config, load_config
from claimcheck.model import ClaimRef

from conftest import ROOT, default_engine, lint_text, make_engine, run_cli

REGISTRY = """\
- id: fibrin-fbss-positive
  statement: "80% of patients with prior failed back surgery reported positive outcomes"
  figures: ["80%"]
  terms: ["failed back surgery", "positive outcome"]
  source: "Registry report 2023, table 4"
  approved-by: "compliance team"
  approved: 2025-01-15
  expires: 2027-01-15
- id: knee-prp-function
  statement: "72% of knee patients treated with PRP reported improved function"
  figures: ["72%"]
  terms: ["knee", "PRP"]
  source: "Outcomes audit 2024"
"""
QUALIFIED = " Individual outcomes vary."
REGISTERED = "Eighty percent of failed-back-surgery patients reported positive outcomes." + QUALIFIED
MISQUOTED = "83% of failed back surgery patients reported positive outcomes." + QUALIFIED
UNREGISTERED = "Among our knee patients, 64% reported less pain." + QUALIFIED


def registry_file(tmp_path: Path, text: str = REGISTRY) -> Path:
    path = tmp_path / "claims.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def registry_lint(tmp_path: Path, draft: str, today: date = date(2026, 6, 1), registry: str = REGISTRY):
    path = registry_file(tmp_path, registry)
    engine = make_engine(overrides={"claims-registry": load_registry(path, today=today)})
    return [f for f in lint_text(draft, engine=engine) if f.code.startswith("CC11")]


# --- figures ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["80%", "80 %", "80 percent", "eighty percent", "Eighty per cent",
                                     "80％", "80.0%", "80 per-cent"])
def test_the_ways_of_writing_eighty_percent_are_one_figure(written: str) -> None:
    assert canonical_figure(written) == "80%"


@pytest.mark.parametrize("written,canonical", [
    ("9 out of 10 patients", "9/10"), ("nine in ten", "9/10"), ("9/10", "9/10"),
    ("seventy-one of 97 patients (73%)", "71/97 73%"), ("from 46 to 19", "46 19"),
    ("between 80 and 85 percent", "80 85%"), ("80-85%", "80 85%"), ("1,200", "1200"), ("cut in half", "cut in half"),
])
def test_canonical_figures(written: str, canonical: str) -> None:
    assert canonical_figure(written) == canonical


# --- matching -----------------------------------------------------------------------------------------


def test_a_registered_claim_written_another_way_is_not_reported(tmp_path: Path) -> None:
    assert registry_lint(tmp_path, REGISTERED) == []


def test_a_misquoted_figure_names_the_entry_and_its_source(tmp_path: Path) -> None:
    [finding] = registry_lint(tmp_path, MISQUOTED)
    assert (finding.code, finding.severity.name, finding.position.column, finding.excerpt) == (
        "CC111", "ERROR", 1, "83% of failed")
    assert finding.message.startswith("Claim '83%' misquotes registered claim 'fibrin-fbss-positive' (80%; "
                                      "source: Registry report 2023, table 4).")
    assert finding.claim == ClaimRef("fibrin-fbss-positive", str(tmp_path / "claims.yaml"), 1, 7,
                                     "Registry report 2023, table 4")


def test_an_unregistered_claim_names_its_figure_and_the_nearest_entry(tmp_path: Path) -> None:
    [finding] = registry_lint(tmp_path, UNREGISTERED)
    assert (finding.code, finding.severity.name, finding.excerpt, finding.claim) == (
        "CC110", "WARNING", "64% reported less pain", None)
    assert finding.message.startswith("Outcome claim '64%' matches no entry of the claims registry (nearest "
                                      "entry: 'knee-prp-function', 72%).")


def test_an_unregistered_claim_with_nothing_near_suggests_nothing(tmp_path: Path) -> None:
    [finding] = registry_lint(tmp_path, "Two in three hip patients reported less pain." + QUALIFIED)
    assert finding.code == "CC110"
    assert "nearest" not in finding.message and "'2/3'" in finding.message


def test_a_claim_past_its_entrys_expiry_is_reported_on_the_day_after(tmp_path: Path) -> None:
    assert registry_lint(tmp_path, REGISTERED, today=date(2027, 1, 15)) == []
    [finding] = registry_lint(tmp_path, REGISTERED, today=date(2027, 1, 16))
    assert (finding.code, finding.severity.name, finding.claim.id if finding.claim else None) == (
        "CC112", "WARNING", "fibrin-fbss-positive")
    assert "expired on 2027-01-15 (source: Registry report 2023, table 4)" in finding.message


def test_terms_must_all_be_in_the_claims_sentence(tmp_path: Path) -> None:
    # "positive outcome" is in the next sentence only: not this entry's subject, so not a misquote.
    draft = "After failed back surgery, 83% improved. Most reported a positive outcome." + QUALIFIED
    assert [f.code for f in registry_lint(tmp_path, draft)] == ["CC110"]


def test_a_term_may_be_a_pattern(tmp_path: Path) -> None:
    registry = REGISTRY.replace('terms: ["knee", "PRP"]', r"""terms: ['\bknees?\b', 'PRP|platelet-rich plasma']""")
    draft = "Knees treated with platelet-rich plasma: 72% reported improved function." + QUALIFIED
    assert registry_lint(tmp_path, draft, registry=registry) == []
    assert [f.code for f in registry_lint(tmp_path, draft.replace("72%", "70%"), registry=registry)] == ["CC111"]


def test_two_claims_in_one_sentence_are_judged_one_by_one(tmp_path: Path) -> None:
    draft = ("80% of failed back surgery patients reported positive outcomes, and 9 out of 10 would "
             "recommend us." + QUALIFIED)
    assert [(f.code, f.excerpt) for f in registry_lint(tmp_path, draft)] == [("CC110", "9 out of 10 would recommend")]


# --- no registry: the rules are off and cost nothing ---------------------------------------------------


def test_without_a_registry_the_rules_are_not_in_the_run() -> None:
    codes = default_engine().rules.codes()
    assert not {"CC110", "CC111", "CC112"} & set(codes)
    assert {"CC110", "CC111", "CC112"} <= {rule.meta.code for rule in default_engine().rules.known}
    assert [f.code for f in lint_text(MISQUOTED)] == ["CC301"]


def test_without_a_registry_json_has_no_claim_id(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(MISQUOTED.replace(QUALIFIED, ""), encoding="utf-8")
    done = run_cli("check", "--isolated", "--no-cache", "--format", "json", "a.txt", cwd=tmp_path)
    assert done.returncode == 1
    assert all("claim_id" not in item for item in json.loads(done.stdout))


# --- configuration and validation -----------------------------------------------------------------------


def test_the_registry_path_is_relative_to_the_configuration_file(tmp_path: Path) -> None:
    (tmp_path / "compliance").mkdir()
    registry_file(tmp_path / "compliance")
    (tmp_path / "pyproject.toml").write_text('[tool.claimcheck]\nclaims-registry = "compliance/claims.yaml"\n')
    assert load_config(tmp_path / "pyproject.toml").claims_registry == tmp_path / "compliance" / "claims.yaml"
    (tmp_path / ".claimcheck.yaml").write_text("claims-registry: compliance/claims.yaml\n")
    assert load_config(tmp_path / ".claimcheck.yaml").claims_registry == tmp_path / "compliance" / "claims.yaml"


def test_a_missing_registry_is_an_error_at_the_configuration_key(tmp_path: Path) -> None:
    (tmp_path / ".claimcheck.yaml").write_text("fail-on: error\nclaims-registry: nowhere.yaml\n")
    (tmp_path / "a.txt").write_text("Hello.\n")
    done = run_cli("check", "a.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ".claimcheck.yaml:2:18: error: 'claims-registry': nowhere.yaml does not exist\n"


@pytest.mark.parametrize("entry,error", [
    ('  figure: ["80%"]\n', "2:3: error: unknown key 'figure' in claims registry entry (did you mean 'figures'?)"),
    ("  approved: 2025-13-01\n", "2:13: error: invalid YAML value: month must be in 1..12"),
    ('  expires: "soon"\n', "2:12: error: 'expires' in claims registry entry must be a date (YYYY-MM-DD, unquoted), "
                            "not str"),
    ("  figures: [80]\n", "2:12: error: 'figures' in claims registry entry must be a list of strings, not a list "
                          "holding int"),
    ("  approved: 2025-02-01\n  expires: 2024-02-01\n",
     "3:12: error: 'expires' (2024-02-01) is before 'approved' (2025-02-01)"),
    ("  terms: ['(unclosed']\n", "2:11: error: invalid pattern '(unclosed': missing ) at position 9"),
])
def test_a_bad_entry_is_an_error_at_its_line_and_column(tmp_path: Path, entry: str, error: str) -> None:
    base = {"id": "x", "statement": '"s"', "figures": '["80%"]', "terms": '["knee"]', "source": '"a"'}
    key = entry.split(":")[0].strip()
    lines = [f"  {k}: {v}\n" for k, v in base.items() if k not in (key, "id")]
    path = registry_file(tmp_path, "".join(["- id: x\n", entry, *lines]))
    with pytest.raises(RegistryError) as caught:
        load_registry(path)
    assert str(caught.value) == f"{path}:{error}"


def test_every_entrys_errors_are_reported_at_once_with_exit_status_2(tmp_path: Path) -> None:
    registry = REGISTRY + REGISTRY.split("- id: knee-prp-function")[0].replace("expires: 2027", "expire: 2027")
    registry += "- id: knee-prp-function\n  statement: s\n  figures: 72%\n  terms: knee\n  source: t\n"
    registry_file(tmp_path, registry)
    (tmp_path / ".claimcheck.yaml").write_text("claims-registry: claims.yaml\n")
    (tmp_path / "a.txt").write_text("Hello.\n")
    done = run_cli("check", "a.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "claims.yaml:21:3: error: unknown key 'expire' in claims registry entry (did you mean 'expires'?)",
        "claims.yaml:22:7: error: duplicate claim id 'knee-prp-function' (already defined at claims.yaml:9:7)",
    ]


# --- links from findings to entries -------------------------------------------------------------------


def test_json_and_sarif_link_findings_to_the_entry(tmp_path: Path) -> None:
    import jsonschema

    registry_file(tmp_path)
    (tmp_path / ".claimcheck.yaml").write_text("claims-registry: claims.yaml\n")
    (tmp_path / "a.txt").write_text(f"{MISQUOTED}\n\n{UNREGISTERED}\n", encoding="utf-8")
    done = run_cli("check", "--no-cache", "--format", "json", "--select", "CC11", "a.txt", cwd=tmp_path)
    items = json.loads(done.stdout)
    assert [(item["code"], item.get("claim_id")) for item in items] == [
        ("CC111", "fibrin-fbss-positive"), ("CC110", None)]
    assert "claim_id" not in items[1]
    sarif = json.loads(run_cli("check", "--no-cache", "--format", "sarif", "--select", "CC11", "a.txt",
                               cwd=tmp_path).stdout)
    schema = json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    assert not list(jsonschema.validators.validator_for(schema)(schema).iter_errors(sarif))
    misquote, unregistered = sarif["runs"][0]["results"]
    assert misquote["relatedLocations"] == [{
        "id": 0,
        "physicalLocation": {"artifactLocation": {"uri": "claims.yaml", "uriBaseId": "%SRCROOT%"},
                             "region": {"startLine": 1, "startColumn": 7}},
        "message": {"text": "claims registry entry 'fibrin-fbss-positive' (source: Registry report 2023, table 4)"},
    }]
    assert "relatedLocations" not in unregistered


def test_cached_findings_keep_their_link_and_a_changed_registry_is_seen(tmp_path: Path) -> None:
    registry_file(tmp_path)
    (tmp_path / ".claimcheck.yaml").write_text("claims-registry: claims.yaml\n")
    (tmp_path / "a.txt").write_text(MISQUOTED + "\n", encoding="utf-8")
    command = ("check", "--format", "json", "--select", "CC11", "--cache-dir", str(tmp_path / "cache"), "a.txt")
    first = run_cli(*command, cwd=tmp_path).stdout
    assert run_cli(*command, cwd=tmp_path).stdout == first  # from the cache
    assert json.loads(first)[0]["claim_id"] == "fibrin-fbss-positive"
    registry_file(tmp_path, REGISTRY.replace('["80%"]', '["83%"]'))
    assert json.loads(run_cli(*command, cwd=tmp_path).stdout) == []


def test_claims_from_must_name_a_qualified_claim_rule(tmp_path: Path) -> None:
    rule = (ROOT / "rules" / "CC110-unregistered-claim.yaml").read_text(encoding="utf-8")
    (tmp_path / "mine.yaml").write_text(rule.replace("code: CC110", "code: XX110").replace(
        "claims-from: CC101", "claims-from: CC201"), encoding="utf-8")
    done = run_cli("rules", "--isolated", "--extend-rules", str(tmp_path / "mine.yaml"))
    assert done.returncode == 2
    line = next(n for n, text in enumerate(rule.splitlines(), 1) if text.startswith("claims-from"))
    assert done.stderr == (f"{tmp_path}/mine.yaml:{line}:14: error: 'claims-from' must name a qualified-claim "
                           "rule; 'CC201' is a restricted-wording rule\n")


def test_explain_cites_the_substantiation_guidance() -> None:
    for code in ("CC110", "CC111", "CC112"):
        done = run_cli("explain", code, "--isolated")
        assert done.returncode == 0
        assert "FTC Health Products Compliance Guidance (December 2022), section 3 (substantiation" in done.stdout


def test_config_default_has_no_registry() -> None:
    assert Config().claims_registry is None
    assert Config().rule_overrides()["claims-registry"] is None
