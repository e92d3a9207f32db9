#!/usr/bin/env python3
"""Developer tasks that need nothing but Python: each sets up ./.venv first (once, and again when
pyproject.toml changes).

    python3 dev.py demo     run claimcheck on the bundled fixtures
    python3 dev.py test     run the whole test suite on all cores (extra arguments go to pytest)
    python3 dev.py lint     ruff check and mypy --strict (the code-health gate CI runs)
    python3 dev.py bench    run the benchmark (extra arguments go to bench/benchmark.py)
    python3 dev.py accuracy score the default rules on ../shared/corpus (extra arguments: bench/accuracy.py)
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".claimcheck-installed"


def ensure_environment() -> None:
    """Create .venv and install the project with its test and dev extras (pytest; ruff, mypy and type
    stubs), unless already done for this pyproject."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists():
        return
    if not PYTHON.exists():
        print("Creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    print("Installing claimcheck and its test and lint dependencies into .venv ...", flush=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,dev]"], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"demo", "test", "lint", "bench", "accuracy"}:
        print(__doc__.strip())
        return 2
    task, rest = argv[0], argv[1:]
    ensure_environment()
    if task == "lint":
        ruff = subprocess.run([str(PYTHON), "-m", "ruff", "check", "src", "tests", "bench", "dev.py", *rest],
                              cwd=ROOT).returncode
        mypy = subprocess.run([str(PYTHON), "-m", "mypy", "--strict", "src"], cwd=ROOT).returncode
        return ruff or mypy
    if task == "demo":
        command = [str(PYTHON), "-m", "claimcheck", "check", "fixtures", *rest]
    elif task == "test":
        # Both cores: most tests start a claimcheck process, and each pays for importing spaCy.
        parallel = [] if any(arg.startswith("-n") for arg in rest) else ["-n", "auto"]
        command = [str(PYTHON), "-m", "pytest", *parallel, *rest]
    elif task == "accuracy":
        command = [str(PYTHON), str(ROOT / "bench" / "accuracy.py"), *rest]
    else:
        command = [str(PYTHON), str(ROOT / "bench" / "benchmark.py"), *rest]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
