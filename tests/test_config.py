"""Configuration files: discovery, keys, overrides, and errors that point at file:line:col."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, run_cli

FINDING = re.compile(r"\S+:\d+:\d+: [A-Z]+\d{3}")

DRAFT = (ROOT / "fixtures/text/outcome-claims.txt").read_text(encoding="utf-8")


def setup_project(tmp_path: Path, config_name: str, config_text: str) -> Path:
    (tmp_path / config_name).write_text(config_text)
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "claims.txt").write_text(DRAFT)
    (drafts / "skip-me.txt").write_text("An FDA-approved procedure.\n")
    return drafts


def codes(stdout: str) -> list[str]:
    """The "path:line:col: CODE" part of each finding line."""
    return [match.group(0) for line in stdout.splitlines() if (match := FINDING.match(line))]


def test_yaml_config_is_found_upward(tmp_path: Path) -> None:
    drafts = setup_project(tmp_path, ".claimcheck.yaml",
                           "select: [CC101]\nexclude: ['skip-*']\nqualifiers: ['Results may vary']\n")
    result = run_cli("check", "--no-source", ".", cwd=drafts)
    # Only "Results may vary" is accepted now: line 4's "Individual outcomes vary" no longer qualifies (the
    # claim is reported where its sentence starts, on line 3),
    # line 21's "Results may vary" does; skip-me.txt is excluded and CC2/CC3 are not selected.
    assert codes(result.stdout) == ["claims.txt:3:63: CC101", "claims.txt:7:34: CC101", "claims.txt:9:25: CC101",
                                    "claims.txt:11:3: CC101", "claims.txt:29:1: CC101"]


def test_pyproject_table(tmp_path: Path) -> None:
    drafts = setup_project(tmp_path, "pyproject.toml",
                           "[project]\nname = 'x'\n\n[tool.claimcheck]\nignore = ['CC1', 'CC3']\n")
    result = run_cli("check", "--no-source", ".", cwd=drafts)
    assert codes(result.stdout) == ["skip-me.txt:1:4: CC201"]


def test_cli_overrides_config(tmp_path: Path) -> None:
    drafts = setup_project(tmp_path, ".claimcheck.yaml", "select: [CC101]\n")
    result = run_cli("check", "--no-source", "--select", "CC201", ".", cwd=drafts)
    assert codes(result.stdout) == ["skip-me.txt:1:4: CC201"]
    isolated = run_cli("check", "--no-source", "--isolated", "skip-me.txt", cwd=drafts)
    # document-level findings sit at 1:1, so they sort first
    assert [c.split()[1] for c in codes(isolated.stdout)] == ["CC301", "CC302", "CC201"]


def test_unknown_key_points_at_yaml_position(tmp_path: Path) -> None:
    drafts = setup_project(tmp_path, ".claimcheck.yaml", "select: [CC101]\nqualifers: [x]\n")
    result = run_cli("check", ".", cwd=drafts)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"{tmp_path}/.claimcheck.yaml:2:1: error: unknown key "
                                     "'qualifers' in configuration (did you mean 'qualifiers'?)")


def test_unknown_key_points_at_toml_position(tmp_path: Path) -> None:
    drafts = setup_project(tmp_path, "pyproject.toml", "[tool.claimcheck]\nselect = ['CC1']\n  selcet = 1\n")
    result = run_cli("check", ".", cwd=drafts)
    assert result.returncode == 2
    assert result.stderr.strip() == (f"{tmp_path}/pyproject.toml:3:3: error: unknown key "
                                     "'selcet' in [tool.claimcheck] (did you mean 'select'?)")


def test_wrong_type_and_bad_choice(tmp_path: Path) -> None:
    drafts = setup_project(tmp_path, ".claimcheck.yaml", "claim-scope: chapter\n")
    result = run_cli("check", ".", cwd=drafts)
    assert result.returncode == 2
    assert ".claimcheck.yaml:1:14: error: 'claim-scope' in configuration must be one of sentence, paragraph, " \
           "document, not 'chapter'" in result.stderr


def test_extend_rules_relative_to_config(tmp_path: Path) -> None:
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "miracle.yaml").write_text(
        "code: HR101\nname: miracle-word\nkind: restricted-wording\nmessage: Do not promise miracles.\n"
        "description: Flags the word miracle.\nexamples: {fail: ['A miracle.'], pass: ['A cure.']}\n"
        "wording: ['\\bmiracles?\\b']\n")
    drafts = setup_project(tmp_path, ".claimcheck.yaml", "extend-rules: [house]\nselect: [HR]\n")
    (drafts / "m.txt").write_text("We sell miracles. We do not sell miracles.\n")
    result = run_cli("check", "--no-source", "m.txt", cwd=drafts)
    assert codes(result.stdout) == ["m.txt:1:9: HR101"]  # the negated second sentence is exempt
    assert "HR101" in run_cli("rules", cwd=drafts).stdout


def test_pyproject_table_is_found_however_it_is_written(tmp_path: Path) -> None:
    for name in ("spaced", "inline", "broken"):
        (tmp_path / name).mkdir()
    spaced = tmp_path / "spaced"
    drafts = setup_project(spaced, "pyproject.toml", "[ tool . claimcheck ]\nselect = ['CC201']\n")
    assert codes(run_cli("check", "--no-source", ".", cwd=drafts).stdout) == ["skip-me.txt:1:4: CC201"]
    inline = tmp_path / "inline"
    drafts = setup_project(inline, "pyproject.toml", "[tool]\nclaimcheck = { select = ['CC201'] }\n")
    assert codes(run_cli("check", "--no-source", ".", cwd=drafts).stdout) == ["skip-me.txt:1:4: CC201"]
    broken = tmp_path / "broken"
    drafts = setup_project(broken, "pyproject.toml", "[tool.claimcheck]\nselect = ['CC201'\n")
    result = run_cli("check", ".", cwd=drafts)  # not silently ignored: the TOML error is reported
    assert result.returncode == 2
    assert result.stderr.startswith(f"{broken}/pyproject.toml:")


def test_yaml_and_pyproject_in_one_folder_say_which_is_used(tmp_path: Path) -> None:
    drafts = setup_project(tmp_path, ".claimcheck.yaml", "select: [CC201]\n")
    (tmp_path / "pyproject.toml").write_text("[tool.claimcheck]\nselect = ['CC101']\n")
    result = run_cli("check", "--no-source", ".", cwd=tmp_path)
    assert result.stderr.splitlines()[0] == ("claimcheck: note: using .claimcheck.yaml; [tool.claimcheck] in "
                                             "pyproject.toml is ignored (configuration files are not merged)")
    assert codes(result.stdout) == ["drafts/skip-me.txt:1:4: CC201"]
    assert drafts.is_dir()


def test_per_file_ignores_turn_rules_off_below_a_glob(tmp_path: Path) -> None:
    (tmp_path / ".claimcheck.yaml").write_text(
        "select: [CC2, CC3]\nper-file-ignores:\n  'other-product/**': [CC302]\n  legacy.txt: CC2\n")
    for folder in ("other-product", "fibrin"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text("Ask us about FDA approval.\n")
    (tmp_path / "fibrin" / "legacy.txt").write_text("Ask us about FDA approval.\n")
    result = run_cli("check", "--no-source", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert codes(result.stdout) == [
        "fibrin/legacy.txt:1:1: CC301", "fibrin/legacy.txt:1:1: CC302",
        "fibrin/page.txt:1:1: CC301", "fibrin/page.txt:1:1: CC302", "fibrin/page.txt:1:14: CC201",
        "other-product/page.txt:1:1: CC301", "other-product/page.txt:1:14: CC201"]


def test_per_file_ignores_in_pyproject_are_validated(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.claimcheck.per-file-ignores]\n\"other/**\" = [\"CC302\"]\n\"legacy/*\" = [\"CC9XX\"]\n")
    (tmp_path / "page.txt").write_text("Hello.\n")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("pyproject.toml:3:14: error: 'per-file-ignores' 'legacy/*': 'CC9XX' matches no "
                             "rule code (known: CC101, CC110, CC111, CC112, CC201, CC301, CC302, CC901, "
                             "CC902, CC903; see 'claimcheck rules')\n")
    (tmp_path / "pyproject.toml").write_text("[tool.claimcheck]\nper-file-ignores = ['CC302']\n")
    wrong = run_cli("check", ".", cwd=tmp_path)
    assert (wrong.returncode, wrong.stderr) == (2, "pyproject.toml:2:20: error: 'per-file-ignores' in "
                                                   "[tool.claimcheck] must be a mapping of path globs to lists "
                                                   "of rule codes, not a list\n")
