"""Find the drafts to lint and decode them. Only ever reads: claimcheck never writes a linted file."""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from claimcheck.documents import EXTENSIONS
from claimcheck.errors import InputError, UsageError
from claimcheck.pathglobs import first_match, shown
from claimcheck.reading import Unreadable, read_regular
from claimcheck.walkfilter import Skipped, git_ignored, skip_folder, unsupported_reason

STDIN = "-"
_SURROGATE = re.compile("[\ud800-\udfff]")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
BOMS = (  # byte-order mark, codec, name
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)
# Signatures of files people save next to drafts (exported PDFs, images, Word files) that may carry a draft's
# extension; they are refused by name instead of with a confusing decoding error.
_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (e.g. a Word .docx file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (e.g. a Word .doc file)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
)


def discover(paths: Sequence[str], exclude: Sequence[str] = (), skipped: list[Skipped] | None = None,
             respect_ignores: bool = True) -> Iterator[str | InputError]:
    """Yield draft paths (and errors for paths that cannot be walked), each real file once, sorted.

    ``exclude`` holds anchored globs (see :mod:`claimcheck.pathglobs`). Files left out that a user might
    expect to be linted (excluded ones, documents claimcheck cannot read) are appended to ``skipped``; with
    ``respect_ignores``, folder walks also leave out what git ignores and hidden and build folders.
    """
    seen: set[str] = set()
    skips: list[Skipped] = [] if skipped is None else skipped
    for given in paths:
        if given == STDIN:
            yield STDIN
            continue
        if not os.path.lexists(given):
            yield InputError("no such file or directory", path=given)
            continue
        glob = first_match(given, exclude)
        if glob is not None:  # named on the command line, so say why it is not linted
            skips.append(Skipped(given, f"excluded by {shown(glob)!r}", excluded=True))
            continue
        if not os.path.isdir(given):
            real = os.path.realpath(given)
            if real not in seen:
                seen.add(real)
                yield given
            continue
        ignored = (git_ignored(given) if respect_ignores else None) or frozenset()
        # A folder that cannot be listed is reported, not silently skipped: its drafts would go unchecked.
        unreadable: list[OSError] = []
        # followlinks=False: a symlinked folder is not entered, so symlink loops cannot trap the walk.
        for root, dirs, names in os.walk(given, followlinks=False, onerror=unreadable.append):
            while unreadable:
                failed = unreadable.pop(0)
                yield InputError(f"cannot read folder: {failed.strerror or failed}",
                                 path=os.path.normpath(failed.filename or root))
            dirs[:] = sorted(d for d in dirs
                             if not skip_folder(d, respect_ignores)
                             and os.path.abspath(os.path.join(root, d)) not in ignored
                             and first_match(os.path.join(root, d), exclude) is None)
            unsearchable = False
            for name in sorted(names):
                path = os.path.normpath(os.path.join(root, name))
                if (respect_ignores and name.startswith(".")) or os.path.abspath(path) in ignored:
                    continue
                if Path(name).suffix.lower() not in EXTENSIONS:
                    reason = unsupported_reason(name)
                    if reason is not None and first_match(path, exclude) is None:
                        skips.append(Skipped(path, reason))
                    continue
                if first_match(path, exclude) is not None:
                    continue
                try:
                    info = os.stat(path)
                except PermissionError:
                    if os.path.islink(path):  # a link into a folder that cannot be searched
                        yield InputError("permission denied", path=path)
                    else:  # this folder is readable but not searchable: it lists names none can open
                        unsearchable = True
                    continue
                except OSError:
                    if os.path.islink(path):
                        yield InputError("broken symbolic link", path=path)
                    continue  # else it vanished since the folder was listed
                real = os.path.realpath(path)
                if real in seen or not stat.S_ISREG(info.st_mode):
                    continue
                seen.add(real)
                yield path
            if unsearchable:
                yield InputError("cannot read folder: permission denied (its names can be listed, but its "
                                 "files cannot be opened)", path=os.path.normpath(root))
        for failed in unreadable:
            yield InputError(f"cannot read folder: {failed.strerror or failed}",
                             path=os.path.normpath(failed.filename or given))


def read_bytes(path: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A draft's bytes; only regular files are read (a FIFO or a device named ``.md`` would block forever)."""
    try:
        return read_regular(path, max_bytes)
    except Unreadable as exc:
        raise InputError(too_large(exc.size, max_bytes) if exc.size is not None else exc.reason,
                         path=path) from None


def too_large(size: int, max_bytes: int) -> str:
    limit = f"over the {max_bytes / 1048576:g} MiB limit (raise it with --max-file-size)"
    return f"file is {size / 1048576:.1f} MiB, {limit}" if size >= 0 else f"file is {limit}"


def _binary_kind(data: bytes) -> str | None:
    """What a file that is not text looks like, or None if it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" not in head:
        return None
    # Text in UTF-16 or UTF-32 without a BOM is mostly NUL bytes in every other (or every fourth) place.
    if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
        return "text in UTF-16 or UTF-32 without a byte-order mark (pass --encoding, e.g. utf-16-le)"
    return "a binary file"


def check_encoding(name: str) -> None:
    """Refuse an --encoding that Python does not know or that is not a text encoding (e.g. 'hex')."""
    try:
        if not codecs.lookup(name)._is_text_encoding:
            raise UsageError(f"--encoding: {name!r} is not a text encoding")
    except LookupError:
        raise UsageError(f"--encoding: unknown encoding {name!r}") from None


def _c1_controls(error: UnicodeError) -> tuple[str, int]:
    """Decode the five bytes Python's cp1252 leaves undefined as the C1 controls WHATWG's Windows-1252 has."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return "".join(chr(byte) for byte in error.object[error.start:error.end]), error.end


codecs.register_error("claimcheck-c1-controls", _c1_controls)


def _decode_declared(data: bytes, path: str) -> str | None:
    """An HTML file that is not UTF-8, decoded by the charset its <meta> declares (None: declares none)."""
    from claimcheck.documents.html_charset import declared_codec

    codec = declared_codec(data)
    if codec is None or codec == "utf-8":
        return None
    try:
        return data.decode(codec, errors="claimcheck-c1-controls" if codec == "cp1252" else "strict")
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {codec} (the charset its <meta> declares) at byte {exc.start}",
                         path=path) from None


def decode(data: bytes, path: str, encoding: str | None = None, fmt: str | None = None) -> str:
    """Decode a draft: a BOM decides (UTF-8, UTF-16, UTF-32); otherwise ``encoding`` or strict UTF-8, and an
    HTML draft (``fmt``) that is not UTF-8 by the charset it declares, as browsers read it.

    Error offsets count bytes from the start of the file, BOM included.
    """
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"not valid {name} at byte {exc.start + len(bom)} ({exc.reason})",
                                 path=path) from None
    if encoding is None:  # an explicit --encoding (e.g. utf-16-le) is trusted: its text may hold NUL bytes
        kind = _binary_kind(data)
        if kind is not None:
            raise InputError(f"not a text draft: {kind}", path=path)
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeError as exc:
        declared = _decode_declared(data, path) if fmt == "html" and encoding is None else None
        if declared is not None:
            return declared
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        hint = "" if encoding else " (pass --encoding if the file uses another encoding)"
        raise InputError(f"not valid {encoding or 'UTF-8'}{where}{hint}", path=path) from None
    except LookupError:
        raise InputError(f"unknown encoding {encoding!r}", path=path) from None
    surrogate = _SURROGATE.search(text)  # e.g. UTF-7's "+2D0-": half of a pair, not a character
    if surrogate is not None:
        at = surrogate.start()
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise InputError(f"not valid {encoding or 'UTF-8'}: it decodes to a lone surrogate "
                         f"(U+{ord(text[at]):04X}), which is not a character", path=path, line=line,
                         column=column)
    return text
