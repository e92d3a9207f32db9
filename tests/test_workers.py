"""Worker processes (--jobs): a worker that dies costs only the draft it held; SIGTERM and Ctrl-C stop the
workers and exit quietly (143 and 130), never hanging and never printing a worker's traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimcheck.parallel import Failed, Linted, lint_all

LINUX_PROC = Path("/proc/self/task").is_dir()


class KilledOnOneDraft:
    """A stand-in linter: 'oom.txt' gets its worker killed by SIGKILL, as the out-of-memory killer would."""

    cache = None

    def __call__(self, path: str, keep_document: bool = False) -> Linted:
        if path == "oom.txt":
            os.kill(os.getpid(), signal.SIGKILL)
        return Linted(path, "", "text", [])


def test_a_killed_worker_fails_only_its_draft_and_the_run_finishes() -> None:
    paths = [f"d{n}.txt" for n in range(6)]
    paths[3:3] = ["oom.txt"]
    outcomes = list(lint_all(paths, KilledOnOneDraft(), jobs=2))  # type: ignore[arg-type]
    assert [o.path if isinstance(o, Linted) else o.message for o in outcomes] == [
        "d0.txt", "d1.txt", "d2.txt",
        "oom.txt: error: the worker process linting this draft was killed by SIGKILL (out of memory?); the "
        "other drafts were linted. Lint it alone, or with --jobs 1, to see more",
        "d3.txt", "d4.txt", "d5.txt"]
    assert isinstance(outcomes[3], Failed)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found += [int(child) for child in text.split()]
    return found


def _start_slow_run(tmp_path: Path) -> tuple[subprocess.Popen[str], list[int]]:
    """A --jobs 2 run over drafts that take a while, once both workers exist."""
    # numbers and outcomes, so every paragraph goes through the whole claim scan and spaCy
    slow = ("Plain prose about the clinic: 9 in 10 patients improved, written at length. " * 40 + "\n\n") * 150
    names = []
    for number in range(40):
        names.append(f"slow{number:02}.txt")
        (tmp_path / names[-1]).write_text(slow)
    command = [sys.executable, "-m", "claimcheck", "check", "--isolated", "--no-cache", "--jobs", "2", *names]
    process = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "NO_COLOR": "1"}, start_new_session=True)
    deadline = time.monotonic() + 120
    while len(children := _children(process.pid)) < 2:
        assert process.poll() is None and time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
    time.sleep(0.5)  # both are linting now
    return process, children


def _gone(pids: list[int]) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text().split("State:")[1].split("\n")[0].lower()
    except (OSError, IndexError):
        return "zombie"


@pytest.mark.skipif(not LINUX_PROC, reason="finds the worker processes through /proc")
def test_sigterm_stops_the_workers_and_exits_143_quietly(tmp_path: Path) -> None:
    process, workers = _start_slow_run(tmp_path)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    assert process.stderr is not None and process.stderr.read() == ""
    assert _gone(workers)


@pytest.mark.skipif(not LINUX_PROC, reason="finds the worker processes through /proc")
def test_ctrl_c_with_two_jobs_exits_130_without_worker_tracebacks(tmp_path: Path) -> None:
    process, workers = _start_slow_run(tmp_path)
    os.killpg(process.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the parent and its workers
    assert process.wait(timeout=60) == 130
    assert process.stderr is not None
    assert process.stderr.read().split() == ["claimcheck:", "interrupted"]
    assert _gone(workers)
