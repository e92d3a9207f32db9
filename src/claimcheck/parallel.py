"""Lint many drafts: cached results first, the rest in one process or a pool, streamed in input order.

Each worker builds the engine (rules, and the spaCy pipeline on first need) once and lints paths it is sent;
results come back in the order the paths were given, so the report is identical for any ``--jobs``. Only
paths travel to the workers and one result per file comes back, so memory does not grow with the number
of files. The pool is started only when more than one draft needs linting; a worker that dies costs only
the draft it held (see :class:`WorkerPool`).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from claimcheck.cache import Cache
from claimcheck.documents import Document
from claimcheck.errors import InputError, PatternTimeout, TimeBudgetExceeded
from claimcheck.files import STDIN
from claimcheck.model import Finding


@dataclass(frozen=True)
class Loaded:
    """A draft read and decoded: what the cache key and the reporters need."""

    path: str
    data: bytes
    source: str
    fmt: str


@dataclass(frozen=True)
class Linted:
    path: str
    source: str
    fmt: str
    findings: list[Finding]
    document: Document | None = None  # the parsed draft, when linted in this process


@dataclass(frozen=True)
class Failed:
    message: str


Outcome = Linted | Failed


class Linter:
    """Lints one path (reading it, consulting the cache); one per process."""

    def __init__(self, make_engine: Callable[[], object], load: Callable[[str], Loaded],
                 parse: Callable[[Loaded], Document], cache: Cache | None, debug: bool = False) -> None:
        self._make_engine = make_engine
        self._engine: object | None = None
        self.load = load
        self.parse = parse
        self.cache = cache
        self.debug = debug

    def use_engine(self, engine: object) -> None:
        """Reuse the engine the caller already built (worker processes forked from it inherit it)."""
        self._engine = engine

    def __getstate__(self) -> dict[str, object]:
        state = self.__dict__.copy()
        state["_engine"] = None  # a spawned worker builds its own
        return state

    def lint_loaded(self, loaded: Loaded, key: str | None, keep_document: bool) -> Outcome:
        if self._engine is None:
            self._engine = self._make_engine()
        try:
            document = self.parse(loaded)
            findings = self._engine.lint(document)  # type: ignore[attr-defined]
        except InputError as exc:
            return Failed(str(exc))
        except PatternTimeout as exc:  # the rule's fault, on this draft: report it and lint the others
            return Failed(f"{exc} (on {loaded.path})")
        except TimeBudgetExceeded as exc:  # spaCy or the suppressions ran out of the draft's budget
            return Failed(str(exc))
        if self.cache is not None and key is not None:
            self.cache.put(key, findings)
        return Linted(loaded.path, loaded.source, loaded.fmt, findings, document if keep_document else None)

    def __call__(self, path: str, keep_document: bool = False) -> Outcome:
        """The path's findings from the cache or by linting; a worker sends no document back, and
        standard input is never cached. A bug met on one draft fails that draft alone (unless debugging:
        then it propagates, with its traceback)."""
        try:
            return self._outcome(path, keep_document)
        except Exception as exc:
            if self.debug:
                raise
            detail = next(iter(str(exc).strip().splitlines()), "")
            return Failed(str(InputError(f"internal error: {type(exc).__name__}: {detail}. This is a bug; "
                                         "please report it with the output of the same command run with "
                                         "--debug", path=path)))

    def _outcome(self, path: str, keep_document: bool) -> Outcome:
        try:
            loaded = self.load(path)
        except InputError as exc:
            return Failed(str(exc))
        key = Cache.file_key(loaded.path, loaded.data) if self.cache is not None and path != STDIN else None
        if key is not None and self.cache is not None:
            cached = self.cache.get(key, loaded.path, loaded.source)
            if cached is not None and fit(cached, loaded.source):
                return Linted(loaded.path, loaded.source, loaded.fmt, cached)
        return self.lint_loaded(loaded, key, keep_document)


def fit(findings: list[Finding], source: str) -> bool:
    """Whether cached findings lie inside ``source`` and quote it (an entry that does not is a miss: the
    reporters would otherwise read lines the draft does not have)."""
    lines = source.count("\n") + 1
    return all(0 <= f.start <= f.end <= len(source) and f.excerpt == source[f.start:f.end]
               and 1 <= f.position.line <= f.end_position.line <= lines for f in findings)


_WORKER: Linter | None = None


def _worker_main(connection: Connection, linter: Linter | None) -> None:
    """A worker: lint each path received, send back (index, outcome), until told to stop."""
    global _WORKER
    # Ctrl-C reaches the whole process group: only the parent reacts (and stops the workers); SIGTERM from
    # the parent ends a worker at once, without a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if linter is not None:  # spawn: the linter arrives pickled; fork: it is inherited
        _WORKER = linter
    assert _WORKER is not None
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        connection.send((index, _WORKER(path)))


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    task: tuple[int, str] | None = None  # (index, path) being linted


class WorkerPool:
    """``jobs`` processes that lint one path at a time each, so the parent knows which draft every worker
    holds: a worker that dies (killed by the out-of-memory killer, say) costs only that draft, reported as
    an error, and a new worker takes its place. ``multiprocessing.Pool`` loses such a task and waits for it
    forever."""

    def __init__(self, linter: Linter, jobs: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        self._context: Any = multiprocessing.get_context(
            "fork" if "fork" in methods and sys.platform != "darwin" else "spawn")
        self._linter = linter
        self._inherit = self._context.get_start_method() == "fork"
        self._workers = [self._start() for _ in range(jobs)]

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(target=_worker_main, daemon=True,
                                        args=(child_end, None if self._inherit else self._linter))
        # Started with SIGINT ignored, so a Ctrl-C during start-up cannot make it print a traceback.
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            process.start()
        finally:
            signal.signal(signal.SIGINT, previous)
        child_end.close()
        return _Worker(process, parent_end)

    def imap(self, paths: list[str]) -> Iterator[Outcome]:
        """Outcomes for ``paths``, in their order; at most a few per worker are linted ahead."""
        results: dict[int, Outcome] = {}
        ahead = 4 * len(self._workers)
        sent = 0
        for wanted in range(len(paths)):
            while wanted not in results:
                for worker in self._workers:
                    if worker.task is None and sent < len(paths) and sent < wanted + ahead:
                        worker.task = (sent, paths[sent])
                        worker.connection.send(worker.task)
                        sent += 1
                self._collect(results)
            yield results.pop(wanted)

    def _collect(self, results: dict[int, Outcome]) -> None:
        busy = [worker for worker in self._workers if worker.task is not None]
        ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy]))
        for position, worker in enumerate(self._workers):
            task = worker.task
            if task is None:
                continue
            if worker.connection in ready or worker.process.sentinel in ready:
                try:
                    if worker.connection.poll():
                        index, outcome = worker.connection.recv()
                        results[index] = outcome
                        worker.task = None
                        continue
                except (EOFError, OSError):
                    pass
                if worker.process.is_alive():
                    continue
                index, path = task
                results[index] = Failed(str(InputError(_death(worker.process.exitcode), path=path)))
                worker.connection.close()
                self._workers[position] = self._start()

    def close(self) -> None:
        for worker in self._workers:
            if worker.process.is_alive():
                worker.process.terminate()
        for worker in self._workers:
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.connection.close()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            how = f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"was killed by signal {-exitcode}"
    else:
        how = f"exited with status {exitcode}"
    return (f"the worker process linting this draft {how} (out of memory?); the other drafts were linted. "
            "Lint it alone, or with --jobs 1, to see more")


def source_document(result: Linted) -> Document:
    """What reporters get for a draft not parsed here: its path, source and format (no blocks)."""
    return result.document or Document(path=result.path, source=result.source, format=result.fmt, blocks=[])


def lint_all(items: Iterable[str | InputError], linter: Linter, jobs: int,
             progress: Callable[[], None] | None = None) -> Iterator[Outcome]:
    """Outcomes for ``items`` (paths, or discovery errors passed through) in their order.

    Cached files are answered here; the others go to ``jobs`` worker processes when more than one needs
    linting, else they are linted in this process.
    """
    plan: list[tuple[str, str] | Failed] = []  # (path, where: "hit", "here" or "pool"), in input order
    remote_count = 0
    for item in items:
        if isinstance(item, InputError):
            plan.append(Failed(str(item)))
            continue
        if item == STDIN:
            plan.append((item, "here"))  # read once, in this process, never cached
            continue
        where = "pool"
        if linter.cache is not None:
            try:
                loaded = linter.load(item)
            except InputError:
                pass  # reported when it is linted
            else:
                if linter.cache.has(Cache.file_key(loaded.path, loaded.data)):
                    where = "hit"  # read when its turn comes; a corrupt entry is linted then
        plan.append((item, where))
        remote_count += where == "pool"
    pool = None
    remote: Iterator[Outcome] | None = None
    if jobs > 1 and remote_count > 1:
        global _WORKER
        _WORKER = linter
        pool = WorkerPool(linter, min(jobs, remote_count))
        remote = pool.imap([entry[0] for entry in plan
                            if not isinstance(entry, Failed) and entry[1] == "pool"])
    try:
        for entry in plan:
            if isinstance(entry, Failed):
                yield entry
                continue
            path, where = entry
            if where == "pool" and remote is not None:
                yield next(remote)
            elif where == "hit":
                yield linter(path)  # read again: the file may have changed since planning
            else:
                yield linter(path, keep_document=True)
            if progress is not None:
                progress()
    finally:
        if pool is not None:
            pool.close()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
