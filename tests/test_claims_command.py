"""``claimcheck claims``: every outcome claim with its figure, subject, place and registry entry."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import CORPUS, run_cli

REGISTRY = """\
- id: fibrin-fbss-positive
  statement: "80% of patients with prior failed back surgery reported positive outcomes"
  figures: ["80%"]
  terms: ["failed back surgery", "positive outcome"]
  source: "Registry report 2023, table 4"
  expires: 2099-01-15
- id: old-shoulder
  statement: "Nine in ten shoulder patients returned to sport"
  figures: ["9 in 10"]
  terms: ["shoulder", "returned to sport"]
  source: "Survey 2018"
  expires: 2020-06-30
"""
DRAFT = """\
# Results

Eighty percent of failed-back-surgery patients reported positive outcomes. Individual outcomes vary.

Later, 83% of failed back surgery patients reported positive outcomes.

- Nine in ten shoulder patients returned to sport.
- Two in three hip patients reported less pain.

The clinic opened in 2009 and has 12 rooms.
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    (tmp_path / "compliance").mkdir()
    (tmp_path / "compliance" / "claims.yaml").write_text(REGISTRY, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.claimcheck]\nclaims-registry = "compliance/claims.yaml"\n')
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "results.md").write_text(DRAFT, encoding="utf-8")
    return tmp_path


def test_text_lists_each_claim_with_its_entry(project: Path) -> None:
    done = run_cli("claims", "drafts", cwd=project)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines() == [
        "drafts/results.md:3:1: 80% (failed back surgery; positive outcome) -> fibrin-fbss-positive",
        "drafts/results.md:5:8: 83% (failed back surgery; positive outcome) -> none (misquotes fibrin-fbss-positive)",
        "drafts/results.md:7:3: 9/10 (shoulder; returned to sport) -> old-shoulder (expired)",
        "drafts/results.md:8:3: 2/3 (reported) -> none",
        "Found 4 claims in 1 draft: 1 registered, 1 expired, 1 misquoted, 1 unregistered.",
    ]


def test_csv_has_one_row_per_claim(project: Path) -> None:
    done = run_cli("claims", "--format", "csv", "drafts/results.md", cwd=project)
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0]) == ["path", "line", "column", "figure", "quantity", "subject", "status", "claim_id", "text"]
    assert rows[0] == {"path": "drafts/results.md", "line": "3", "column": "1", "figure": "80%",
                       "quantity": "Eighty percent", "subject": "failed back surgery; positive outcome",
                       "status": "registered", "claim_id": "fibrin-fbss-positive",
                       "text": "Eighty percent of failed-back-surgery patients reported positive outcomes."}
    assert [(row["status"], row["claim_id"]) for row in rows[1:]] == [
        ("misquoted", "fibrin-fbss-positive"), ("expired", "old-shoulder"), ("unregistered", "")]


def test_json_is_an_array_of_claims(project: Path) -> None:
    done = run_cli("claims", "--format", "json", "drafts", cwd=project)
    items = json.loads(done.stdout)
    assert items[3] == {"path": "drafts/results.md", "line": 8, "column": 3, "figure": "2/3",
                        "quantity": "Two in three hip patients", "subject": ["reported"],
                        "status": "unregistered", "claim_id": None,
                        "text": "Two in three hip patients reported less pain."}


def test_without_a_registry_every_claim_is_unregistered(project: Path) -> None:
    done = run_cli("claims", "--isolated", "drafts", cwd=project)
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "Found 4 claims in 1 draft: 4 unregistered."
    assert all(line.endswith("-> none") for line in done.stdout.splitlines()[:-1])


def test_an_unreadable_draft_is_named_and_the_others_listed(project: Path) -> None:
    (project / "drafts" / "bad.txt").write_bytes(b"\xff\xfe\x00bad \x80\x81")
    done = run_cli("claims", "drafts", "missing.md", cwd=project)
    assert done.returncode == 2
    assert "missing.md: error: no such file or directory" in done.stderr
    assert done.stdout.splitlines()[-1] == "Found 4 claims in 1 draft: 1 registered, 1 expired, 1 misquoted, " \
        "1 unregistered."


def test_a_folder_without_drafts_is_an_error(tmp_path: Path) -> None:
    done = run_cli("claims", "--isolated", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "no drafts to lint" in done.stderr


def _labelled_lines() -> list[tuple[Path, int]]:
    """Every outcome line the corpus labels flag, and those it marks 'ok' (a qualified claim)."""
    lines = []
    for labels in sorted(CORPUS.rglob("labels.yaml")):
        text = labels.read_text(encoding="utf-8")
        for name, entry in yaml.safe_load(text)["files"].items():
            lines += [(labels.parent / name, line) for line in entry["outcome"]["flag"]]
            section = text.split(f"\n  {name}:", 1)[1]
            following = re.search(r"\n  \S", section)
            section = section[:following.start()] if following else section
            lines += [(labels.parent / name, int(n)) for n in re.findall(r"#\s+outcome ok\s+(\d+):", section)]
    return lines


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS / "labels.yaml").exists(), reason="../shared/corpus not present")
def test_claims_lists_every_labelled_outcome_claim_of_the_corpus() -> None:
    done = run_cli("claims", "--isolated", "--format", "json", str(CORPUS))
    assert done.returncode == 0, done.stderr
    found = {(Path(item["path"]).resolve(), item["line"]) for item in json.loads(done.stdout)}
    labelled = _labelled_lines()
    flagged = [(path, line) for path, line in labelled[:] if (path.resolve(), line) in found]
    assert len(flagged) / len(labelled) >= 0.95  # 263 of 275 (every flagged line; 71 of 83 qualified ones)
