"""Lint many drafts: cached results first, the rest in one process or a pool, streamed in input order.

Each worker builds the engine (rules, and the spaCy pipeline on first need) once and lints paths it is sent;
results come back in the order the paths were given, so the report is identical for any ``--jobs``. Only
paths travel to the workers and one result per file comes back, so memory does not grow with the number
of files. The pool is started only when more than one draft needs linting.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from claimcheck.cache import Cache
from claimcheck.documents import Document
from claimcheck.errors import InputError, PatternTimeout
from claimcheck.files import STDIN
from claimcheck.model import Finding

CHUNK = 4  # paths per message to a worker


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
                 parse: Callable[[Loaded], Document], cache: Cache | None) -> None:
        self._make_engine = make_engine
        self._engine: object | None = None
        self.load = load
        self.parse = parse
        self.cache = cache

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
        if self.cache is not None and key is not None:
            self.cache.put(key, findings)
        return Linted(loaded.path, loaded.source, loaded.fmt, findings, document if keep_document else None)

    def __call__(self, path: str, keep_document: bool = False) -> Outcome:
        """The path's findings from the cache or by linting; a worker sends no document back, and
        standard input is never cached."""
        try:
            loaded = self.load(path)
        except InputError as exc:
            return Failed(str(exc))
        key = Cache.file_key(loaded.path, loaded.data) if self.cache is not None and path != STDIN else None
        if key is not None and self.cache is not None:
            cached = self.cache.get(key, loaded.path, loaded.source)
            if cached is not None:
                return Linted(loaded.path, loaded.source, loaded.fmt, cached)
        return self.lint_loaded(loaded, key, keep_document)


_WORKER: Linter | None = None


def _init_worker(linter: Linter | None) -> None:
    global _WORKER
    if linter is not None:  # spawn: the linter arrives pickled; fork: it is inherited
        _WORKER = linter


def _work(path: str) -> Outcome:
    assert _WORKER is not None
    return _WORKER(path)


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
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "darwin"
                                              else "spawn")
        inherit = context.get_start_method() == "fork"
        pool = context.Pool(min(jobs, remote_count), initializer=_init_worker,
                            initargs=(None if inherit else linter,))
        remote = pool.imap(_work, (entry[0] for entry in plan
                                   if not isinstance(entry, Failed) and entry[1] == "pool"), chunksize=CHUNK)
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
            pool.terminate()
            pool.join()


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
