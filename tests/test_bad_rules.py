"""Bad rule files and configurations: one error line naming the file, line and column; exit status 2.

Errors that stop the run print as ``FILE:LINE:COL: error: …``; a rule that times out on one draft
is reported like an input error (``FILE:LINE:COL: error: … (on DRAFT)``) and the other drafts are linted.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import run_cli

CLAIM = "In our clinic registry, 78% of patients reported meaningful relief within a year.\n"
HEADER = """code: XX201
name: my-rule
kind: restricted-wording
message: Say it differently.
description: A team rule.
"""


def lint_with(tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "good.txt").write_text(CLAIM, encoding="utf-8")
    result = run_cli("check", "--no-cache", "--format", "concise", *options, "good.txt", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    return result


def rules(tmp_path: Path, text: str, name: str = "team.yaml") -> subprocess.CompletedProcess[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return lint_with(tmp_path, "--isolated", "--extend-rules", name)


def config(tmp_path: Path, text: str, name: str = ".claimcheck.yaml") -> subprocess.CompletedProcess[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return lint_with(tmp_path, "--config", name)


def assert_error(result: subprocess.CompletedProcess[str], line: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines() == [line]


# --- rule files -----------------------------------------------------------------------------------------


def test_malformed_yaml(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, "code: XX201\nname: [unclosed\n"),
                 "team.yaml:3:1: error: invalid YAML: expected ',' or ']', but got '<stream end>'")


def test_tab_indentation(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording:\n\t- x\n"),
                 "team.yaml:7:1: error: invalid YAML: found character '\\t' that cannot start any token")


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: ['miracle cure']\nwordnig: x\n"),
                 "team.yaml:7:1: error: unknown key 'wordnig' in restricted-wording rule "
                 "(did you mean 'wording'?)")


def test_unknown_kind(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER.replace("restricted-wording", "banned-words") + "wording: [x]\n"),
                 "team.yaml:3:7: error: 'kind' in rule must be one of qualified-claim, "
                 "restricted-wording, required-statement, suppression-check, registered-claim, not "
                 "'banned-words'")


def test_wrong_type(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: 42\n"),
                 "team.yaml:6:10: error: 'wording' in restricted-wording rule must be a list of "
                 "strings, not int")


def test_wrong_item_type(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: [miracle, 3]\n"),
                 "team.yaml:6:10: error: 'wording' in restricted-wording rule must be a list of "
                 "strings, not a list holding int")


def test_missing_required_key(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER),
                 "team.yaml:1:1: error: restricted-wording rule is missing required key 'wording'")


def test_term_of_wrong_type(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "terms: {cure: 5}\nwording: ['{cure}']\n"),
                 "team.yaml:6:15: error: term 'cure' must be a pattern or a list of patterns, not int")


def test_unknown_term(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: ['{cure}']\n"),
                 "team.yaml:6:11: error: pattern uses unknown term {cure} (terms: none defined)")


def test_duplicate_code_in_one_file(tmp_path: Path) -> None:
    two = "- " + HEADER.replace("\n", "\n  ").rstrip() + "\n  wording: [x]\n"
    two += two.replace("my-rule", "other-rule")
    assert_error(rules(tmp_path, two),
                 "team.yaml:7:9: error: duplicate rule code XX201 (already defined at team.yaml:1:9)")


def test_duplicate_of_a_default_rule(tmp_path: Path) -> None:
    result = rules(tmp_path, HEADER.replace("XX201", "CC101") + "wording: [x]\n")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("team.yaml:1:7: error: duplicate rule code CC101 (already defined at ")
    assert line.endswith("CC101-unqualified-outcome-claim.yaml:1:7)")


def test_duplicate_key(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: [x]\nmessage: again\n"),
                 "team.yaml:7:1: error: duplicate key 'message'")


def test_invalid_regex(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording:\n  - fine\n  - '(unclosed'\n"),
                 "team.yaml:8:5: error: invalid pattern '(unclosed': missing ) at position 9")


def test_regex_matching_empty_text(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: ['x*']\n"),
                 "team.yaml:6:11: error: pattern 'x*' matches empty text")


def test_catastrophic_regex_times_out_names_the_rule_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "aaa.txt").write_text("a" * 40_000 + "!\n")
    (tmp_path / "slow.yaml").write_text(HEADER + "wording:\n  - '(a+)+$'\n")
    # Only the slow rule and CC101 (which needs a fraction of the budget here) run, so the slow rule is the
    # one that meets the deadline.
    result = lint_with(tmp_path, "--isolated", "--select", "XX2,CC101", "--time-budget", "3", "--extend-rules",
                       "slow.yaml", "aaa.txt")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "slow.yaml:7:5: error: pattern '(a+)+$' of rule XX201 (slow.yaml) used up the draft's time budget (3s); "
        "it probably backtracks catastrophically (on aaa.txt)"]
    assert "good.txt:1:25: CC101 " in result.stdout


def test_term_bomb_is_refused_at_the_term_that_grows_too_long(tmp_path: Path) -> None:
    """26 doubling terms (under 700 bytes) would expand to gigabytes; the first one past the cap is named."""
    terms = ["  t0: ab"] + [f"  t{n}: '{{t{n - 1}}}{{t{n - 1}}}'" for n in range(1, 26)]
    text = HEADER + "terms:\n" + "\n".join(terms) + "\nwording: ['{t25}']\n"
    assert len(text.encode()) < 700
    assert_error(rules(tmp_path, text),
                 "team.yaml:20:8: error: term 't13' is 81,912 characters long once its terms are expanded, over "
                 "the limit of 50,000 (do terms use each other many times over?)")


def test_alias_bomb(tmp_path: Path) -> None:
    bomb = ('a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
            "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
            "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
            "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n")
    assert_error(rules(tmp_path, bomb), "team.yaml:2:8: error: YAML aliases (*a) are not allowed")


def test_merge_key(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, "<<: {code: XX201}\n"),
                 "team.yaml:1:1: error: YAML merge keys ('<<') are not allowed")


def test_unsafe_tag_is_never_executed(tmp_path: Path) -> None:
    result = rules(tmp_path, HEADER + "wording: !!python/object/apply:os.system ['touch pwned']\n")
    assert_error(result, "team.yaml:6:10: error: invalid YAML value: could not determine a "
                         "constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'")
    assert not (tmp_path / "pwned").exists()


def test_deep_nesting(tmp_path: Path) -> None:
    result = rules(tmp_path, "[" * 5000 + "]" * 5000 + "\n")
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("team.yaml:1:") and line.endswith(
        ": error: YAML is nested too deeply (over 50 levels)")


def test_invalid_timestamp_value(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: [x]\nreferences: 2024-13-45\n"),
                 "team.yaml:7:13: error: invalid YAML value: month must be in 1..12")


def test_several_documents(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, HEADER + "wording: [x]\n---\n" + HEADER + "wording: [y]\n"),
                 "team.yaml:7:1: error: invalid YAML: expected a single document in the stream, "
                 "but found another document")


def test_empty_rule_file(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, "# nothing yet\n"), "team.yaml: error: rule file is empty")


def test_rule_file_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_bytes(HEADER.encode() + "wording: [caf\u00e9]\n".encode("latin-1"))
    assert_error(lint_with(tmp_path, "--isolated", "--extend-rules", "team.yaml"),
                 "team.yaml: error: rule file is not UTF-8 (byte 119)")


def test_rule_that_is_not_a_mapping(tmp_path: Path) -> None:
    assert_error(rules(tmp_path, "- just a string\n"),
                 "team.yaml:1:3: error: a rule must be a mapping of keys to values")


# --- configuration ---------------------------------------------------------------------------------------


def test_config_malformed_yaml(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "select: [CC1\n"), ".claimcheck.yaml:2:1: error: invalid YAML: "
                 "expected ',' or ']', but got '<stream end>'")


def test_config_unknown_key(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "select: [CC1]\nignroe: [CC2]\n"),
                 ".claimcheck.yaml:2:1: error: unknown key 'ignroe' in configuration "
                 "(did you mean 'ignore'?)")


def test_config_wrong_type(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "fail-on: 3\n"),
                 ".claimcheck.yaml:1:10: error: 'fail-on' in configuration must be a string, not int")


def test_config_alias(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "select: &s [CC1]\nignore: *s\n"),
                 ".claimcheck.yaml:2:9: error: YAML aliases (*s) are not allowed")


@pytest.mark.parametrize("text, line", [
    ("select: [CC1]\nignore: [CC1]\n", "1:9"),
    ("ignore: [CC]\n", "1:9"),
    ("select: []\n", "1:9"),
])
def test_config_that_selects_no_rule(tmp_path: Path, text: str, line: str) -> None:
    assert_error(config(tmp_path, text), f".claimcheck.yaml:{line}: error: the configuration "
                                         "selects no rule; check 'select' and 'ignore'")


def test_command_line_that_selects_no_rule(tmp_path: Path) -> None:
    assert_error(lint_with(tmp_path, "--isolated", "--select", "CC1", "--ignore", "CC1"),
                 "claimcheck: error: the configuration selects no rule; check 'select' and 'ignore'")


def test_config_selects_unknown_code(tmp_path: Path) -> None:
    result = config(tmp_path, "select: [CC1]\nignore: [CC999]\n")
    assert result.returncode == 2
    assert result.stderr.startswith(".claimcheck.yaml:2:9: error: ignore: 'CC999' matches no rule code")


def test_config_extend_rules_missing(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "extend-rules: [team.yaml]\n"),
                 ".claimcheck.yaml:1:16: error: 'extend-rules': team.yaml does not exist")


def test_config_extend_rules_with_a_bad_rule(tmp_path: Path) -> None:
    (tmp_path / "team.yaml").write_text(HEADER + "wording: ['(x']\n")
    assert_error(config(tmp_path, "extend-rules: team.yaml\n"),
                 "team.yaml:6:11: error: invalid pattern '(x': missing ) at position 2")


def test_config_empty_qualifiers(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "qualifiers: []\n"),
                 ".claimcheck.yaml:1:13: error: 'qualifiers' must list at least one qualifier")


def test_pyproject_invalid_toml(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "[tool.claimcheck]\nselect = [\"CC1\"\n", name="pyproject.toml"),
                 "pyproject.toml:3:1: error: invalid TOML: Unclosed array (at end of document)")


def test_pyproject_tool_not_a_table(tmp_path: Path) -> None:
    result = config(tmp_path, "tool = 5\n", name="pyproject.toml")
    assert result.returncode == 1 and result.stderr == ""  # no [tool.claimcheck]: the defaults apply


def test_pyproject_unknown_key(tmp_path: Path) -> None:
    assert_error(config(tmp_path, "[tool.claimcheck]\nselect = [\"CC1\"]\nfail_on = \"warning\"\n",
                        name="pyproject.toml"),
                 "pyproject.toml:3:1: error: unknown key 'fail_on' in [tool.claimcheck] "
                 "(did you mean 'fail-on'?)")


def test_negative_negation_window_is_refused(tmp_path: Path) -> None:
    rule = tmp_path / "neg.yaml"
    rule.write_text("code: XN101\nname: neg\nkind: restricted-wording\nmessage: m\ndescription: d\n"
                    "wording: ['miracle']\nnegation-window: -5\n")
    result = run_cli("check", "--isolated", "--extend-rules", str(rule), "-", input=b"x\n")
    assert result.returncode == 2
    assert f"{rule}:7:18: error: 'negation-window' must be 0 or more tokens" in result.stderr


def test_config_naming_a_missing_spacy_model(tmp_path: Path) -> None:
    (tmp_path / ".claimcheck.yaml").write_text("fail-on: error\nmodel: no_such_model_xyz\n")
    (tmp_path / "plain.txt").write_text("A draft without numbers.\n")
    result = run_cli("check", "plain.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (".claimcheck.yaml:2:8: error: spaCy model 'no_such_model_xyz' is not "
                                     "installed; install it or remove 'model' from the configuration "
                                     "(claimcheck never downloads models)")


# --- only regular files of bounded size are read ---------------------------------------------------------

def _special(tmp_path: Path, kind: str) -> str:
    """A path that would hang or flood a reader that trusts it: a FIFO, or a device that never ends."""
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("needs named pipes")
        os.mkfifo(tmp_path / "special.yaml")
        return "special.yaml"
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero")
    return "/dev/zero"


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_config_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path = _special(tmp_path, kind)
    started = time.monotonic()
    assert_error(lint_with(tmp_path, "--config", path),
                 f"{path}: error: cannot read configuration file: not a regular file (a pipe, socket or device)")
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_rule_file_that_is_not_a_regular_file(tmp_path: Path, kind: str) -> None:
    path = _special(tmp_path, kind)
    started = time.monotonic()
    for cached in ((), ("--cache-dir", "cache")):  # the cache key reads rule files too
        result = run_cli("check", "--isolated", *cached, "--extend-rules", path, "x.txt", cwd=tmp_path)
        assert_error(result, f"{path}: error: cannot read rule file: not a regular file (a pipe, socket or "
                             "device)")
    assert time.monotonic() - started < 60


def test_oversized_config_and_rule_file(tmp_path: Path) -> None:
    with open(tmp_path / "big.yaml", "wb") as handle:
        handle.truncate(3_000_000)
    assert_error(lint_with(tmp_path, "--config", "big.yaml"),
                 "big.yaml: error: cannot read configuration file: larger than 1000 kB")
    assert_error(lint_with(tmp_path, "--isolated", "--extend-rules", "big.yaml"),
                 "big.yaml: error: rule file is larger than 1000 kB")
