"""A non-editable install into a fresh virtual environment works from any directory (rules ship inside)."""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_install_runs_from_another_directory(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    # The distribution is claimcheck-lint ("claimcheck" on PyPI is another project); package and command
    # keep the name claimcheck.
    [wheel] = wheels.glob("*.whl")
    assert wheel.name == "claimcheck_lint-0.1.0-py3-none-any.whl"
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True)
    shown = subprocess.run([str(python), "-m", "pip", "show", "claimcheck-lint"], capture_output=True, text=True)
    assert "Name: claimcheck-lint" in shown.stdout.splitlines()

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    draft = elsewhere / "page.txt"
    draft.write_text("Our FDA-cleared treatment has a 92% success rate.\n", encoding="utf-8")
    claimcheck = env_dir / "bin" / "claimcheck"
    result = subprocess.run([str(claimcheck), "check", "--isolated", "--no-source", "page.txt"], cwd=elsewhere,
                            capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    lines = [line.split(" ")[0] + " " + line.split(" ")[1] for line in result.stdout.splitlines() if ": CC" in line]
    assert lines == ["page.txt:1:1: CC301", "page.txt:1:1: CC302", "page.txt:1:5: CC201", "page.txt:1:33: CC101"]

    rules = subprocess.run([str(claimcheck), "rules", "--isolated"], cwd=elsewhere, capture_output=True, text=True)
    assert "CC101" in rules.stdout and "CC302" in rules.stdout
    where = subprocess.run([str(claimcheck), "explain", "CC101"], cwd=elsewhere, capture_output=True, text=True)
    # the rule file comes from the installed package, not from this source tree
    assert "site-packages/claimcheck/rules/CC101" in where.stdout
