"""``--output-file``: write the report without ever destroying what the path names.

A regular file is replaced atomically (temporary file, then rename), so an interrupted run leaves neither a
partial report nor a temporary file. Renaming over anything else would destroy it, so:

- a symbolic link is followed: its target is the file written, and the link stays a link;
- a device, FIFO or socket (``/dev/null``, ``/dev/full``, a named pipe another process reads) is written in
  place, and a failed write (``/dev/full``: no space left) is an error;
- an existing file keeps its permissions, and a read-only file is refused rather than replaced (a rename
  only needs a writable folder, and root may write anything: the file's own mode decides).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile

from claimcheck.errors import ClaimcheckError

ENCODING_ERRORS = "backslashreplace"  # a name that is not UTF-8 is written as \udcXX, as on stdout


def names_one_of(path: str, drafts: list[str]) -> bool:
    """Whether ``path`` names one of ``drafts``: the same real path, or the same file by another name (a
    hard link)."""
    real = os.path.realpath(path)
    identity = _identity(path)
    return any(os.path.realpath(draft) == real or (identity is not None and _identity(draft) == identity)
               for draft in drafts)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def write_report(path: str, text: str) -> None:
    """Write ``text`` to ``path`` (see the module docstring); errors name ``path`` as the user gave it."""
    real = os.path.realpath(path)
    try:
        info: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _error(path, exc) from None
    try:
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise ClaimcheckError("cannot write output file: it is a directory", path=path)
        if info is not None and not stat.S_ISREG(info.st_mode):
            _write_in_place(real, text)
            return
        if info is not None and (not info.st_mode & 0o222 or not os.access(real, os.W_OK)):
            raise ClaimcheckError("cannot write output file: it is read-only (not replacing it)", path=path)
        _replace(real, text.encode("utf-8", ENCODING_ERRORS), info)
    except OSError as exc:
        raise _error(path, exc) from None


def replace_file(path: str, data: bytes) -> None:
    """Replace the regular file at ``path`` (through symbolic links) with ``data``, atomically, keeping its
    permissions and owner: how a fixed draft is written. Anything but a writable regular file is refused."""
    real = os.path.realpath(path)
    try:
        info = os.stat(real)
        if not stat.S_ISREG(info.st_mode):
            raise ClaimcheckError("cannot write the fixed draft: not a regular file", path=path)
        if not info.st_mode & 0o222 or not os.access(real, os.W_OK):
            raise ClaimcheckError("cannot write the fixed draft: it is read-only (left as it was)", path=path)
        _replace(real, data, info)
    except OSError as exc:
        raise ClaimcheckError(f"cannot write the fixed draft: {exc.strerror or exc}", path=path) from None


def _error(path: str, exc: OSError) -> ClaimcheckError:
    return ClaimcheckError(f"cannot write output file: {exc.strerror or exc}", path=path)


def _write_in_place(real: str, text: str) -> None:
    # No O_CREAT or O_TRUNC: the node is written as it is. A FIFO blocks until a reader opens it, as with
    # the shell's '>'.
    descriptor = os.open(real, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "w", encoding="utf-8", errors=ENCODING_ERRORS) as stream:
        stream.write(text)  # closing flushes: a full device fails here, inside the caller's OSError handler


def _replace(real: str, data: bytes, existing: os.stat_result | None) -> None:
    directory, name = os.path.split(real)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=directory or ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # on disk before the rename: a crash leaves the old file or the new
            if existing is not None:
                os.fchmod(stream.fileno(), stat.S_IMODE(existing.st_mode))
                if (existing.st_uid, existing.st_gid) != (os.geteuid(), os.getegid()):
                    with contextlib.suppress(OSError):  # only root may give a file away; others keep theirs
                        os.fchown(stream.fileno(), existing.st_uid, existing.st_gid)
            else:
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(stream.fileno(), 0o666 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(temporary, real)
        temporary = ""
    finally:  # also on Ctrl-C: never leave the temporary file behind
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
