"""Find the drafts to lint and decode them. Only ever reads: claimcheck never writes a linted file."""

from __future__ import annotations

import codecs
import fnmatch
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from claimcheck.documents import EXTENSIONS
from claimcheck.errors import InputError

STDIN = "-"
SKIP_DIRS = {".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Source:
    """A draft to lint: its display path and, for stdin, its already-read bytes."""

    path: str
    data: bytes | None = None


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    parts = Path(path).parts
    return any(fnmatch.fnmatch(path, pattern) or any(fnmatch.fnmatch(part, pattern) for part in parts)
               for pattern in patterns)


def discover(paths: Sequence[str], exclude: Sequence[str] = ()) -> Iterator[str | InputError]:
    """Yield draft paths (and errors for paths that cannot be walked), each real file once, sorted."""
    seen: set[str] = set()
    for given in paths:
        if given == STDIN:
            yield STDIN
            continue
        if not os.path.lexists(given):
            yield InputError("no such file or directory", path=given)
            continue
        if not os.path.isdir(given):
            if not _excluded(given, exclude):
                real = os.path.realpath(given)
                if real not in seen:
                    seen.add(real)
                    yield given
            continue
        # followlinks=False: a symlinked folder is not entered, so symlink loops cannot trap the walk.
        for root, dirs, names in os.walk(given, followlinks=False, onerror=None):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not _excluded(os.path.join(root, d), exclude))
            for name in sorted(names):
                path = os.path.normpath(os.path.join(root, name))
                if Path(name).suffix.lower() not in EXTENSIONS or _excluded(path, exclude):
                    continue
                real = os.path.realpath(path)
                if real in seen or not os.path.isfile(path):
                    continue
                seen.add(real)
                yield path


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(f"file is {size / 1048576:.1f} MiB, over the {max_bytes / 1048576:g} MiB limit "
                             "(raise it with --max-file-size)", path=path)
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise InputError("is a directory", path=path) from None
    except PermissionError:
        raise InputError("permission denied", path=path) from None
    except FileNotFoundError:
        raise InputError("no such file or directory", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", path=path) from None


def decode(data: bytes, path: str, encoding: str | None = None) -> str:
    """Decode a draft: a BOM decides (UTF-8, UTF-16, UTF-32); otherwise ``encoding`` or strict UTF-8."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {codec} at byte {exc.start}", path=path) from None
    if b"\x00" in data[:8192]:
        raise InputError("binary file, not a text draft", path=path)
    try:
        return data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        hint = "" if encoding else " (pass --encoding if the file uses another encoding)"
        raise InputError(f"not valid {encoding or 'UTF-8'} at byte {exc.start}{hint}", path=path) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path) from None
