"""Read a file claimcheck was pointed at only if it is a regular file of bounded size.

A FIFO blocks forever and a device such as /dev/zero or /dev/urandom never ends, so each would hang a run or
fill its memory; a path to one (as a draft, a configuration or a rule file) is refused instead.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import BinaryIO

NOT_REGULAR = "not a regular file (a pipe, socket or device)"


class Unreadable(Exception):
    """Why a file was not read, as a phrase ("is a directory", "permission denied", ...)."""

    def __init__(self, reason: str, *, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size  # too large: its size in bytes, or -1 when it grew past the limit while being read


def read_regular(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The file's bytes, or :class:`Unreadable` if it is not a regular file or holds over ``max_bytes``.

    The file is opened without blocking and checked on the open descriptor, so a FIFO swapped in after a
    check cannot block the read.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except IsADirectoryError:
        raise Unreadable("is a directory") from None
    except PermissionError:
        raise Unreadable("permission denied") from None
    except FileNotFoundError:
        raise Unreadable("no such file or directory") from None
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror or exc}") from None
    with os.fdopen(descriptor, "rb") as handle:
        return _read_open(handle, max_bytes)


def _read_open(handle: BinaryIO, max_bytes: int) -> bytes:
    try:
        info = os.fstat(handle.fileno())
        if stat.S_ISDIR(info.st_mode):
            raise Unreadable("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable(NOT_REGULAR)
        if info.st_size > max_bytes:
            raise Unreadable("too large", size=info.st_size)
        data = read_stream(handle, max_bytes, expected=info.st_size)  # it may grow after fstat()
    except OSError as exc:
        raise Unreadable(f"cannot read file: {exc.strerror or exc}") from None
    if data is None:
        raise Unreadable("too large", size=-1)
    return data


_CHUNK = 1 << 20


def read_stream(stream: BinaryIO, max_bytes: int, expected: int = 0) -> bytes | None:
    """All of a stream (standard input, an open file), or None when it holds over ``max_bytes``.

    Read in pieces: a single ``read(max_bytes + 1)`` allocates that much up front, which fails for a huge
    limit. ``expected`` is the size the stream is likely to have (one read then does).
    """
    max_bytes = min(max_bytes, sys.maxsize - 1)
    pieces: list[bytes] = []
    total = 0
    want = min(max_bytes, expected) + 1
    while total <= max_bytes:
        piece = stream.read(min(want, max_bytes + 1 - total))
        if not piece:
            break
        pieces.append(piece)
        total += len(piece)
        want = _CHUNK
    return None if total > max_bytes else b"".join(pieces)
