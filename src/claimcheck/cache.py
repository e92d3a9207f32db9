"""Findings cached per file, so a second run over unchanged drafts does no linting.

Like ruff's cache: entries live under one folder per *settings key* (claimcheck's version and code, the
content of every loaded rule file, the configuration that affects findings), and each entry is keyed by the
file's path and content. An entry holds every field of the file's findings; reporters re-read the source
(cheap) for their excerpts, so no parsing and no spaCy is needed on a hit. Entries are written atomically
(temporary file, then rename); an unreadable or corrupt entry is a miss, never an error.

Cached results decide what passes, so they are not trusted blindly: the folder is made private (0700,
entries 0600), and one that another user owns, that group or others may write, or that others may read
(a checkout or copy, never made by claimcheck) is refused; no symbolic link inside it is followed; and an
entry is used only when it is private and every finding in it is one this run's rules could have produced
at that very place in the file (anything else is a miss, and the draft is linted).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimcheck import __version__
from claimcheck.documents.base import LineIndex
from claimcheck.errors import UsageError
from claimcheck.model import Applicability, ClaimRef, Edit, Finding, Fix, Severity
from claimcheck.reading import Unreadable, read_regular

if TYPE_CHECKING:
    from claimcheck.families import RuleKind

ENV_VAR = "CLAIMCHECK_CACHE_DIR"
DEFAULT_DIR = ".claimcheck_cache"
ENTRY_FORMAT = 3  # 3: findings carry their fix
VALIDATED = "rules-validated"  # stamp: the rule files of this key loaded without error
MAX_ENTRY_BYTES = 64 * 1024 * 1024  # far above any real entry; a bigger file is not ours
_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
        "# This file is a cache directory tag created by claimcheck.\n")
_GITIGNORE = "# Created by claimcheck.\n*\n"
LIBRARIES = ("spacy", "markdown-it-py", "PyYAML")  # besides regex: their versions are part of the key
# The names claimcheck creates: key folders, shard folders, entries and their temporary files.
_KEY_NAME = re.compile(r"[0-9a-f]{32}")
_SHARD_NAME = re.compile(r"[0-9a-f]{2}")
_ENTRY_NAME = re.compile(r"[0-9a-f]{62}\.json|\.tmp-[A-Za-z0-9_]+\.json")
# Never follow a symbolic link inside the cache: whoever planted it would choose where entries are written.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_SAFE = bool(_NOFOLLOW and _DIRECTORY) and os.open in os.supports_dir_fd  # else: no cache at all


def is_claimcheck_cache(root: Path) -> bool:
    """Whether ``root`` is a folder claimcheck made for its cache (it holds claimcheck's CACHEDIR.TAG)."""
    try:
        return (not root.is_symlink() and root.is_dir() and not (root / "CACHEDIR.TAG").is_symlink()
                and (root / "CACHEDIR.TAG").read_text(encoding="utf-8") == _TAG)
    except (OSError, UnicodeDecodeError):
        return False


def check_usable(root: Path) -> None:
    """Refuse a cache folder that is a link, that another user owns, that others may write or read, or that
    holds something else: cached results decide what passes, so only their owner may have written them, and
    the cache never writes among a user's files. claimcheck makes its folder 0700, which a git checkout or
    an ordinary copy never does, so a cache committed by someone else is refused rather than believed."""
    try:
        info = os.lstat(root)
    except FileNotFoundError:
        return  # made private when the first entry is written
    except OSError:
        return  # unreadable: writing will fail quietly and only cost speed
    advice = "choose another folder with --cache-dir, or pass --no-cache"
    shown = repr(str(root))
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(f"cache folder {shown} is a symbolic link; claimcheck never follows links in its "
                         f"cache: {advice}")
    try:
        empty = stat.S_ISDIR(info.st_mode) and not any(root.iterdir())
        ours = is_claimcheck_cache(root)
    except OSError:
        return
    if stat.S_ISDIR(info.st_mode):
        mode = stat.S_IMODE(info.st_mode)
        if info.st_uid != os.geteuid():
            raise UsageError(f"cache folder {shown} belongs to another user: {advice}")
        if mode & 0o022:
            raise UsageError(f"cache folder {shown} is writable by other users (mode {mode:o}): make it "
                             f"private (chmod 700), or {advice}")
        if mode & 0o077 and ours and not empty:
            raise UsageError(f"cache folder {shown} is not private (mode {mode:o}), so claimcheck did not "
                             "make it (it makes its cache 0700; this one was checked out or copied) and "
                             f"cannot trust its results: remove it with 'claimcheck clean', or {advice}")
    if ours or empty:
        return
    raise UsageError(f"cache folder {shown} is not a claimcheck cache (it holds other files); "
                     "choose a new or empty folder with --cache-dir, or pass --no-cache")


def _private(descriptor: int) -> bool:
    """Whether an open folder or entry is this user's alone, as all claimcheck creates in its cache."""
    info = os.fstat(descriptor)
    return info.st_uid == os.geteuid() and not info.st_mode & 0o077


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
    for library in LIBRARIES:  # an upgraded tokenizer or parser may read the same draft differently
        digest.update(f"{library} {_version(library)}\n".encode())
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


def _version(distribution: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


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
        "notes": list(finding.notes), "fix": _fix_to_dict(finding.fix),
        "claim": None if finding.claim is None else dataclasses.astuple(finding.claim),
    }


def _fix_to_dict(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {"title": fix.title, "applicability": fix.applicability.value,
            "edits": [[edit.start, edit.end, edit.text] for edit in fix.edits]}


def _fix_from_dict(data: object, source: str) -> tuple[bool, Fix | None]:
    """(valid, fix) from an entry's ``fix`` field: null, or a fix whose every edit stays inside ``source``."""
    if data is None:
        return True, None
    if not isinstance(data, dict) or data.keys() != {"title", "applicability", "edits"}:
        return False, None
    title, applicability, edits = data["title"], data["applicability"], data["edits"]
    if not isinstance(title, str) or applicability not in {a.value for a in Applicability} or \
            not isinstance(edits, list):
        return False, None
    read = []
    for edit in edits:
        if not (isinstance(edit, list) and len(edit) == 3 and all(type(v) is int for v in edit[:2])
                and isinstance(edit[2], str) and 0 <= edit[0] <= edit[1] <= len(source)):
            return False, None
        read.append(Edit(edit[0], edit[1], edit[2]))
    return True, Fix(title, Applicability(applicability), tuple(read))


_FIELDS: dict[str, type | tuple[type, ...]] = {
    "path": str, "code": str, "rule": str, "severity": int, "message": str, "start": int, "end": int,
    "position": list, "end_position": list, "excerpt": str, "document_level": bool, "text": str,
    "notes": list, "fix": object,
    "claim": (list, type(None)),  # the claims-registry entry: [id, path, line, column, source]
}


def finding_from_dict(data: object, path: str, source: str, lines: LineIndex,
                      rules: dict[str, tuple[str, Severity]]) -> Finding | None:
    """The finding an entry holds, or None unless it is exactly what linting ``source`` could have found:
    every field of its type, a rule of this run with its name and severity, and a place inside the file
    whose line, column and excerpt are the file's own."""
    if not isinstance(data, dict) or data.keys() != _FIELDS.keys():
        return None
    for name, kind in _FIELDS.items():
        value = data[name]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return None
    if data["path"] != path or rules.get(data["code"]) != (data["rule"], data["severity"]):
        return None
    start, end = data["start"], data["end"]
    if not 0 <= start <= end <= len(source) or source[start:end] != data["excerpt"]:
        return None
    position, end_position = lines.position(start), lines.position(end)
    if data["position"] != [position.line, position.column]:
        return None
    if data["end_position"] != [end_position.line, end_position.column]:
        return None
    if data["document_level"] and end != 0:
        return None
    if not all(isinstance(note, str) for note in data["notes"]):
        return None
    valid, fix = _fix_from_dict(data["fix"], source)
    if not valid:
        return None
    claim = data["claim"]
    if claim is not None and [type(part) for part in claim] != [str, str, int, int, str]:
        return None
    return Finding(path=path, code=data["code"], rule=data["rule"], severity=Severity(data["severity"]),
                   message=data["message"], start=start, end=end, position=position,
                   end_position=end_position, excerpt=data["excerpt"], document_level=data["document_level"],
                   text=data["text"], notes=tuple(data["notes"]), fix=fix,
                   claim=ClaimRef(*claim) if claim is not None else None)


class Cache:
    """The entries of one settings key under ``root``.

    Every file is reached through folder descriptors opened with O_NOFOLLOW, so a symbolic link anywhere in
    the cache (a key or shard folder, an entry) is never followed: an entry behind one is a miss and is
    not written.
    """

    def __init__(self, root: Path, key: str) -> None:
        check_usable(root)
        self.root = root
        self.key = key
        self.directory = root / key
        prune_if_due(root)
        self.rules: dict[str, tuple[str, Severity]] = {}  # code -> (name, severity) an entry may hold

    def use_rules(self, rules: Iterable[RuleKind]) -> None:
        """The rules of this run: a cached finding of any other rule, name or severity is a miss."""
        self.rules = {rule.meta.code: (rule.meta.name, rule.meta.severity) for rule in rules}

    @staticmethod
    def file_key(path: str, data: bytes) -> str:
        digest = hashlib.sha256(path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    @contextlib.contextmanager
    def _folder(self, parts: Sequence[str], create: bool = False) -> Iterator[int | None]:
        """A descriptor of ``root/parts…`` (made 0700 when ``create``), or None if any part is missing, is not
        a real folder, or is a link."""
        if not _SAFE:
            yield None
            return
        opened: list[int] = []
        flags = os.O_RDONLY | _DIRECTORY | _NOFOLLOW
        try:
            opened.append(os.open(self.root, flags))
            for part in parts:
                if create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, 0o700, dir_fd=opened[-1])
                opened.append(os.open(part, flags, dir_fd=opened[-1]))
            private = all(_private(descriptor) for descriptor in opened)
        except OSError:
            yield None
        else:
            yield opened[-1] if private else None
        finally:
            for descriptor in opened:
                os.close(descriptor)

    def _read(self, parts: Sequence[str], name: str) -> bytes | None:
        with self._folder(parts) as folder:
            if folder is None:
                return None
            try:
                # O_NONBLOCK: a FIFO planted as an entry must not block the run.
                descriptor = os.open(name, os.O_RDONLY | _NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
            except OSError:
                return None
            with os.fdopen(descriptor, "rb") as stream:
                info = os.fstat(descriptor)
                if (not stat.S_ISREG(info.st_mode) or info.st_size > MAX_ENTRY_BYTES
                        or not _private(descriptor)):
                    return None
                return stream.read(MAX_ENTRY_BYTES + 1)

    def _write(self, parts: Sequence[str], name: str, data: bytes) -> None:
        with self._folder(parts, create=True) as folder:
            if folder is None:
                return
            temporary = f".tmp-{secrets.token_hex(8)}.json"
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600,
                                 dir_fd=folder)
            try:
                with os.fdopen(descriptor, "wb") as stream:
                    stream.write(data)
                os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary, dir_fd=folder)
                raise

    def _exists(self, parts: Sequence[str], name: str) -> bool:
        with self._folder(parts) as folder:
            if folder is None:
                return False
            try:
                return stat.S_ISREG(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
            except OSError:
                return False

    def rules_validated(self) -> bool:
        """Whether these rule files were loaded (patterns compiled and checked) under this key before."""
        return self._exists([self.key], VALIDATED)

    def mark_rules_validated(self) -> None:
        if self.rules_validated():
            with contextlib.suppress(OSError):
                os.utime(self.directory / VALIDATED)  # this key is in use: see prune()
            return
        with contextlib.suppress(OSError):
            self._prepare()
            self._write([self.key], VALIDATED, b"rule files compiled and checked\n")

    def _where(self, key: str) -> tuple[list[str], str]:
        return [self.key, key[:2]], f"{key[2:]}.json"

    def has(self, key: str) -> bool:
        """Whether an entry exists (it may still turn out unusable: ``get`` decides)."""
        return self._exists(*self._where(key))

    def get(self, key: str, path: str, source: str) -> list[Finding] | None:
        """The cached findings of ``path`` (whose decoded text is ``source``), or None: missing, corrupt, or
        not what linting this text with these rules could have found (see ``finding_from_dict``)."""
        try:
            raw = self._read(*self._where(key))
            if raw is None or len(raw) > MAX_ENTRY_BYTES:
                return None
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("format") != ENTRY_FORMAT or data.get("key") != key:
                return None
            items = data.get("findings")
            if not isinstance(items, list):
                return None
            lines = LineIndex(source)
            findings = [finding_from_dict(item, path, source, lines, self.rules) for item in items]
        except (OSError, ValueError, RecursionError):
            return None  # missing, corrupt, or nested past what the JSON reader follows: lint again
        if any(finding is None for finding in findings):
            return None
        return findings  # type: ignore[return-value]

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        # ASCII JSON: a path that is not UTF-8 (a lone surrogate) is written as an escape, not an error.
        text = json.dumps({"format": ENTRY_FORMAT, "key": key,
                           "findings": [finding_to_dict(f) for f in findings]}, ensure_ascii=True)
        with contextlib.suppress(OSError):  # a read-only or full disk only costs speed
            self._prepare()
            self._write(*self._where(key), text.encode("ascii"))

    def _prepare(self) -> None:
        """Make the root a private, tagged cache folder, unless it already is one."""
        if is_claimcheck_cache(self.root):
            return
        check_usable(self.root)  # it was new or empty when the run started; still only ours to fill
        self.root.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(self.root, 0o700)
        if _SAFE:  # an adopted empty folder becomes private too
            descriptor = os.open(self.root, os.O_RDONLY | _DIRECTORY | _NOFOLLOW)
            try:
                os.fchmod(descriptor, 0o700)
            finally:
                os.close(descriptor)
        with self._folder([]) as folder:
            if folder is None:
                return
            for name, text in (("CACHEDIR.TAG", _TAG), (".gitignore", _GITIGNORE)):
                with contextlib.suppress(OSError):
                    descriptor = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600,
                                         dir_fd=folder)
                    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
                        stream.write(text)


@dataclass
class Cleaned:
    """What ``claimcheck clean`` did."""

    entries: int = 0  # entry files and stamps removed
    left: list[str] = field(default_factory=list)  # what claimcheck did not create, relative to the root
    removed_root: bool = False


def clean(root: Path) -> Cleaned | None:
    """Remove what claimcheck created in the cache folder (its tag, key folders, shard folders and entries)
    and nothing else; None when there is no cache. Only a folder claimcheck tagged as its cache."""
    if not os.path.lexists(root):
        return None
    if root.is_symlink() or not is_claimcheck_cache(root):
        raise UsageError(f"{str(root)!r} is not a claimcheck cache folder (it has no CACHEDIR.TAG written by "
                         "claimcheck); not removing it")
    cleaned = Cleaned()
    for key in sorted(os.scandir(root), key=lambda e: e.name):
        if key.name in ("CACHEDIR.TAG", ".gitignore"):
            continue
        if key.name == PRUNED and key.is_file(follow_symlinks=False):  # the date of the last prune
            os.unlink(key.path)
            continue
        if not (_KEY_NAME.fullmatch(key.name) and key.is_dir(follow_symlinks=False)):
            cleaned.left.append(key.name)
            continue
        for shard in sorted(os.scandir(key.path), key=lambda e: e.name):
            where = f"{key.name}/{shard.name}"
            if shard.name == VALIDATED and shard.is_file(follow_symlinks=False):
                os.unlink(shard.path)
                cleaned.entries += 1
            elif _SHARD_NAME.fullmatch(shard.name) and shard.is_dir(follow_symlinks=False):
                for entry in sorted(os.scandir(shard.path), key=lambda e: e.name):
                    if _ENTRY_NAME.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)
                        cleaned.entries += 1
                    else:
                        cleaned.left.append(f"{where}/{entry.name}")
                _remove_if_empty(shard.path)
            else:
                cleaned.left.append(where)
        _remove_if_empty(key.path)
    for name, text in ((".gitignore", _GITIGNORE), ("CACHEDIR.TAG", _TAG)):
        # Once only the user's files remain the folder is no longer a cache: it must not stay hidden from
        # git and backups, nor be adopted again.
        path = root / name
        try:
            ours = not path.is_symlink() and path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            ours = False
        if ours:
            path.unlink()
        elif path.exists() or path.is_symlink():
            cleaned.left.append(name)
    cleaned.removed_root = _remove_if_empty(str(root))
    return cleaned


def _remove_if_empty(folder: str) -> bool:
    try:
        os.rmdir(folder)
    except OSError:  # not empty: something claimcheck did not create is left in it
        return False
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
