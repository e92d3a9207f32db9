"""--jobs, the results cache and 'claimcheck clean', through the command line; and the pattern shortcut."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import regex

from claimcheck.ruleset import default_rules_dir, load_rules
from claimcheck.ruleset.patterns import FLAGS, PatternSet, merge

from conftest import FIXTURES, ROOT, run_cli

RULE = """\
code: CC777
name: test-wording
kind: restricted-wording
severity: warning
message: Test wording.
description: For the cache tests.
examples:
  fail: ["{word}"]
  pass: ["nothing"]
wording: ['\\b{word}\\b']
"""


def check(*args: str, cache: Path | None = None, cwd: Path | None = None) -> tuple[int, str]:
    extra = ["--cache-dir", str(cache)] if cache else ["--no-cache"]
    result = run_cli("check", "--isolated", "--format", "json", *extra, *args, cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, result.stdout


def test_jobs_2_output_equals_jobs_1() -> None:
    one = run_cli("check", "--isolated", "--no-cache", "--jobs", "1", str(FIXTURES))
    two = run_cli("check", "--isolated", "--no-cache", "--jobs", "2", str(FIXTURES))
    assert one.returncode == two.returncode
    assert one.stdout == two.stdout
    assert one.stderr == two.stderr


def test_cached_run_returns_the_same_findings(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    uncached = check(str(FIXTURES))
    first = check(str(FIXTURES), cache=cache)
    second = check(str(FIXTURES), cache=cache)
    assert uncached == first == second
    assert list(cache.glob("*/*/*.json")), "no cache entries written"
    text_first = run_cli("check", "--isolated", "--cache-dir", str(cache), str(FIXTURES))
    text_uncached = run_cli("check", "--isolated", "--no-cache", str(FIXTURES))
    assert text_first.stdout == text_uncached.stdout  # source frames come back from a cache hit too


def test_changing_a_rule_file_invalidates_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    draft = tmp_path / "draft.txt"
    draft.write_text("We say alpha and beta here.\n", encoding="utf-8")
    rule = tmp_path / "CC777.yaml"
    rule.write_text(RULE.replace("{word}", "alpha"), encoding="utf-8")
    _, before = check("--extend-rules", str(rule), "--select", "CC777", str(draft), cache=cache)
    assert [f["excerpt"] for f in json.loads(before)] == ["alpha"]
    rule.write_text(RULE.replace("{word}", "beta"), encoding="utf-8")
    _, after = check("--extend-rules", str(rule), "--select", "CC777", str(draft), cache=cache)
    assert [f["excerpt"] for f in json.loads(after)] == ["beta"]


def test_changing_the_config_invalidates_the_cache(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    draft = tmp_path / "draft.txt"
    draft.write_text("In our registry, 80% of patients reported relief. Results may vary.\n", encoding="utf-8")
    _, strict = check(str(draft), cache=cache)
    assert "CC101" in {f["code"] for f in json.loads(strict)}
    _, relaxed = check("--qualifier", "Results may vary", str(draft), cache=cache)
    assert "CC101" not in {f["code"] for f in json.loads(relaxed)}
    _, ignored = check("--ignore", "CC3", str(draft), cache=cache)
    assert not {f["code"] for f in json.loads(ignored)} & {"CC301", "CC302"}


def test_changed_file_is_linted_again(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    draft = tmp_path / "draft.txt"
    draft.write_text("Nothing to see.\n", encoding="utf-8")
    _, first = check("--select", "CC101", str(draft), cache=cache)
    draft.write_text("In our registry, 80% of patients reported relief.\n", encoding="utf-8")
    _, second = check("--select", "CC101", str(draft), cache=cache)
    assert json.loads(first) == [] and [f["code"] for f in json.loads(second)] == ["CC101"]


@pytest.mark.parametrize("damage", ["garbage", "truncate", "wrong-shape", "empty"])
def test_corrupt_cache_entries_are_ignored(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "cache"
    expected = check(str(FIXTURES), cache=cache)
    entries = list(cache.glob("*/*/*.json"))
    assert entries
    for entry in entries:
        text = entry.read_text(encoding="utf-8")
        entry.write_text({"garbage": "\x00not json{", "truncate": text[: len(text) // 2],
                          "wrong-shape": json.dumps({"format": 1, "key": entry.parent.name + entry.stem,
                                                     "findings": [{"path": 3}]}),
                          "empty": ""}[damage], encoding="utf-8")
    assert check(str(FIXTURES), cache=cache) == expected
    assert check(str(FIXTURES), cache=cache) == expected  # and the entries were repaired


def test_clean_removes_the_cache_dir(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Nothing to see.\n", encoding="utf-8")
    check(str(draft), cache=None)
    assert not (tmp_path / ".claimcheck_cache").exists()  # --no-cache writes nothing
    result = run_cli("check", "--isolated", "draft.txt", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert (tmp_path / ".claimcheck_cache").is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".claimcheck_cache", "draft.txt"]
    cleaned = run_cli("clean", cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert not (tmp_path / ".claimcheck_cache").exists()


def test_cache_dir_from_environment(tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text("Nothing to see.\n", encoding="utf-8")
    where = tmp_path / "elsewhere"
    result = run_cli("check", "--isolated", str(draft), cwd=tmp_path, env={"CLAIMCHECK_CACHE_DIR": str(where)})
    assert result.returncode in (0, 1), result.stderr
    assert where.is_dir() and not (tmp_path / ".claimcheck_cache").exists()
    assert run_cli("clean", cwd=tmp_path, env={"CLAIMCHECK_CACHE_DIR": str(where)}).returncode == 0
    assert not where.exists()


def test_no_progress_bar_when_piped(tmp_path: Path) -> None:
    result = run_cli("check", "--isolated", "--no-cache", str(FIXTURES))
    assert "files" not in result.stderr and "\r" not in result.stderr


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*")) if p.suffix in {".txt", ".md"}]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))]
    texts += ["About 50% of patients improved", "ſeventy percent better", "İ 20% better", "K 30 x better",
              "someone said one in 5 patients; at least 3 of 4; a  hundred people; 3,500 procedures",
              "approx. 40 pct improved, up to 2-fold; twice as likely", "x" * 50 + " 7 out of 10"]
    return [paragraph for text in texts for paragraph in [text, *text.split("\n\n")]]


def test_pattern_shortcut_finds_exactly_what_a_full_scan_finds() -> None:
    texts = _texts()
    for rule in load_rules([default_rules_dir()]):
        for value in vars(rule).values():
            if not isinstance(value, PatternSet) or not value:  # not a rule it builds on (claims-from)
                continue
            combined = regex.compile("|".join(f"(?:{p.pattern})" for p in value.patterns), FLAGS)
            for text in texts:
                spans = merge([m.span() for p in value.patterns for m in p.finditer(text) if m.end() > m.start()])
                assert value.spans(text) == spans, (rule.meta.code, text[:80])
                assert value.search(text) == (combined.search(text) is not None)


def test_blank_english_matches_spacy_blank() -> None:
    import spacy

    from claimcheck.nlp.pipeline import _add_abbreviations, build_pipeline

    reference = spacy.blank("en")
    _add_abbreviations(reference)
    reference.add_pipe("sentencizer")
    ours = build_pipeline()
    texts = _texts() + ["Dr. Smith vs. Dr. Jones, e.g. approx. 5 mm. F.D.A. approved! Fig. 3 (p<0.05).",
                        "Mr. X said: “Hi.” Then left... OK?! See https://x.example/a.b or mail a@b.org."]
    for text, expected in zip(texts, reference.pipe(texts), strict=True):
        got = ours(text)
        assert [(t.text, t.idx, t.is_sent_start) for t in got] == \
               [(t.text, t.idx, t.is_sent_start) for t in expected], text[:80]
