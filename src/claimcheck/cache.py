"""Findings cached per file, so a second run over unchanged drafts does no linting.

Like ruff's cache: entries live under one folder per *settings key* (claimcheck's version and code, the
content of every loaded rule file, the configuration that affects findings), and each entry is keyed by the
file's path and content. An entry holds every field of the file's findings; reporters re-read the source
(cheap) for their excerpts, so no parsing and no spaCy is needed on a hit. Entries are written atomically
(temporary file, then rename); an unreadable or corrupt entry is a miss, never an error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from claimcheck import __version__
from claimcheck.errors import UsageError
from claimcheck.model import Finding, Position, Severity
from claimcheck.reading import Unreadable, read_regular

ENV_VAR = "CLAIMCHECK_CACHE_DIR"
DEFAULT_DIR = ".claimcheck_cache"
ENTRY_FORMAT = 1
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # findings of a draft within the size limit fit easily
VALIDATED = "rules-validated"  # stamp: the rule files of this key loaded without error
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by claimcheck.\n")


def is_claimcheck_cache(root: Path) -> bool:
    """Whether ``root`` is a folder claimcheck made for its cache (it holds claimcheck's CACHEDIR.TAG)."""
    try:
        return root.is_dir() and (root / "CACHEDIR.TAG").read_text(encoding="utf-8") == _TAG
    except (OSError, UnicodeDecodeError):
        return False


def check_usable(root: Path) -> None:
    """Refuse a cache folder that holds something else: the cache never writes among a user's files."""
    try:
        if not root.exists() or is_claimcheck_cache(root) or (root.is_dir() and not any(root.iterdir())):
            return
    except OSError:
        return  # unreadable: writing will fail quietly and only cost speed
    raise UsageError(f"cache folder {str(root)!r} is not a claimcheck cache (it holds other files); "
                     "choose a new or empty folder with --cache-dir, or pass --no-cache")


def cache_root(option: str | None, cwd: Path) -> Path:
    """--cache-dir, else $CLAIMCHECK_CACHE_DIR, else .claimcheck_cache in the working directory."""
    chosen = option or os.environ.get(ENV_VAR)
    return Path(chosen) if chosen else cwd / DEFAULT_DIR


def _code_stamp() -> Iterable[str]:
    """claimcheck's own modules (size and mtime): an edited checkout must not reuse old results."""
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        yield f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns}"


def settings_key(rule_paths: Sequence[Path], settings: dict[str, Any]) -> str:
    """Digest of everything besides a file's content that decides its findings."""
    import platform

    import regex

    from claimcheck.ruleset.loader import MAX_RULE_FILE_BYTES, rule_files

    digest = hashlib.sha256()
    digest.update(f"claimcheck {__version__} regex {regex.__version__} python {platform.python_version()}\n"
                  .encode())
    for stamp in _code_stamp():
        digest.update(stamp.encode() + b"\n")
    for root in rule_paths:
        try:
            files = rule_files(Path(root))
        except OSError:
            files = [Path(root)]
        for path in files:
            digest.update(f"rule file {path}\n".encode())
            try:  # bounded: loading the rules reports a device or an oversized file by name
                digest.update(read_regular(path, MAX_RULE_FILE_BYTES))
            except Unreadable:
                digest.update(b"<unreadable>")
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:32]


def config_settings(config: Any, **extra: Any) -> dict[str, Any]:
    """The configuration as the cache key sees it (all fields but where it was read from)."""
    values = {k: v for k, v in dataclasses.asdict(config).items() if k != "path"}
    values.update(extra)
    return values


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "path": finding.path, "code": finding.code, "rule": finding.rule, "severity": int(finding.severity),
        "message": finding.message, "start": finding.start, "end": finding.end,
        "position": [finding.position.line, finding.position.column],
        "end_position": [finding.end_position.line, finding.end_position.column],
        "excerpt": finding.excerpt, "document_level": finding.document_level, "text": finding.text,
        "notes": list(finding.notes),
    }


def finding_from_dict(data: dict[str, Any]) -> Finding:
    return Finding(
        path=str(data["path"]), code=str(data["code"]), rule=str(data["rule"]),
        severity=Severity(int(data["severity"])), message=str(data["message"]), start=int(data["start"]),
        end=int(data["end"]), position=Position(*map(int, data["position"])),
        end_position=Position(*map(int, data["end_position"])), excerpt=str(data["excerpt"]),
        document_level=bool(data["document_level"]), text=str(data["text"]),
        notes=tuple(str(note) for note in data["notes"]),
    )


class Cache:
    """The entries of one settings key under ``root``."""

    def __init__(self, root: Path, key: str) -> None:
        check_usable(root)
        self.root = root
        self.directory = root / key
        prune_if_due(root)

    @staticmethod
    def file_key(path: str, data: bytes) -> str:
        digest = hashlib.sha256(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def rules_validated(self) -> bool:
        """Whether these rule files were loaded (patterns compiled and checked) under this key before."""
        return (self.directory / VALIDATED).is_file()

    def mark_rules_validated(self) -> None:
        if self.rules_validated():
            with contextlib.suppress(OSError):
                os.utime(self.directory / VALIDATED)  # this key is in use: see prune()
            return
        with contextlib.suppress(OSError):
            self._prepare(self.directory)
            (self.directory / VALIDATED).write_text("rule files compiled and checked\n", encoding="utf-8")

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key[2:]}.json"

    def has(self, key: str) -> bool:
        """Whether an entry exists (it may still turn out unreadable: ``get`` decides)."""
        return self._entry(key).is_file()

    def get(self, key: str) -> list[Finding] | None:
        try:
            # Only a regular file of bounded size (a FIFO planted as an entry would block the run).
            data = json.loads(read_regular(self._entry(key), MAX_ENTRY_BYTES).decode("utf-8"))
            if data.get("format") != ENTRY_FORMAT or data.get("key") != key:
                return None
            findings = [finding_from_dict(item) for item in data["findings"]]
            with contextlib.suppress(OSError):
                os.utime(self._entry(key))  # used: kept by prune()
            return findings
        except (Unreadable, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None  # missing, corrupt or absurdly nested: lint again

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        entry = self._entry(key)
        text = json.dumps({"format": ENTRY_FORMAT, "key": key,
                           "findings": [finding_to_dict(f) for f in findings]})  # ASCII: any path fits
        try:
            if not entry.parent.is_dir():
                self._prepare(entry.parent)
            handle, temporary = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=entry.parent)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as stream:
                    stream.write(text)
                os.replace(temporary, entry)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
        except OSError:
            pass  # a read-only or full disk only costs speed

    def _prepare(self, directory: Path) -> None:
        if not is_claimcheck_cache(self.root):
            check_usable(self.root)  # it was new or empty when the run started; still only ours to fill
            self.root.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(OSError):
                (self.root / "CACHEDIR.TAG").write_text(_TAG, encoding="utf-8")
                (self.root / ".gitignore").write_text("# Created by claimcheck.\n*\n", encoding="utf-8")
        directory.mkdir(parents=True, exist_ok=True)


def clean(root: Path) -> bool:
    """Remove the cache folder; whether there was one. Only a folder claimcheck tagged as its cache."""
    if not root.exists() and not root.is_symlink():
        return False
    if root.is_symlink() or not is_claimcheck_cache(root):
        raise UsageError(f"{str(root)!r} is not a claimcheck cache folder (it has no CACHEDIR.TAG written by "
                         "claimcheck); not removing it")
    shutil.rmtree(root)
    return True


# Eviction, as ruff does it: what no run used for 30 days goes. An entry's modification time is when it was
# last written or read; a settings key's is its VALIDATED stamp's, touched by every run that uses the key.
PRUNE_AFTER = 30 * 24 * 3600
PRUNE_EVERY = 24 * 3600  # walk the cache at most once a day
PRUNED = "last-pruned"


def prune(root: Path, now: float | None = None, max_age: float = PRUNE_AFTER) -> int:
    """Remove entries and settings-key folders of the cache at ``root`` that were not used for ``max_age``
    seconds; the number of entries removed. Only touches a folder claimcheck tagged as its cache, and in it
    only what claimcheck writes (32-hex-digit key folders, their ``.json`` entries)."""
    import re
    import time

    if not is_claimcheck_cache(root):
        return 0
    cutoff = (time.time() if now is None else now) - max_age
    removed = 0
    with contextlib.suppress(OSError):
        for key_dir in root.iterdir():
            ours = re.fullmatch(r"[0-9a-f]{32}", key_dir.name) is not None
            if not ours or key_dir.is_symlink() or not key_dir.is_dir():
                continue
            stamp = key_dir / VALIDATED
            try:
                used = (stamp if stamp.is_file() else key_dir).stat().st_mtime
            except OSError:
                continue
            entries = list(key_dir.glob("??/*.json"))
            if used < cutoff:
                shutil.rmtree(key_dir, ignore_errors=True)
                removed += len(entries)
                continue
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.stat().st_mtime < cutoff:
                        entry.unlink()
                        removed += 1
    return removed


def prune_if_due(root: Path) -> None:
    """Prune once a day at most (the walk costs a stat per entry), recorded in ``root/last-pruned``."""
    import time

    marker = root / PRUNED
    try:
        if time.time() - marker.stat().st_mtime < PRUNE_EVERY:
            return
    except FileNotFoundError:
        pass
    except OSError:
        return
    if not is_claimcheck_cache(root):
        return
    prune(root)
    with contextlib.suppress(OSError):
        marker.write_text("claimcheck removes cache entries not used for 30 days\n", encoding="utf-8")
