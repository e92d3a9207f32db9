"""Path globs from the configuration and the command line (``exclude``, ``per-file-ignores``).

A glob is anchored where it was written: at the folder of the configuration file that declares it, or at
the working directory for ``--exclude``. So ``drafts/archive`` in ``site/.claimcheck.yaml`` means
``site/drafts/archive`` whatever folder claimcheck runs from. A glob without a ``/`` (``*.draft.md``,
``archive``) matches a file or folder name at any depth below that folder, as in ``.gitignore``. A glob that
names a folder covers everything in it. ``*`` also matches ``/`` (``drafts/*`` covers subfolders too).
"""

from __future__ import annotations

import fnmatch
import glob as globbing
import os
from collections.abc import Iterable
from pathlib import Path

ANY_DEPTH = "/**/"


def anchor(pattern: str, base: Path) -> str:
    """``pattern`` as an absolute glob: relative to ``base``; without a ``/``, at any depth below it."""
    glob = pattern.strip().rstrip("/") or "."
    if glob.startswith("./"):
        glob = glob[2:]
    root = globbing.escape(os.path.abspath(base))  # a folder named "[draft]" is not a character class
    if os.path.isabs(glob):
        return os.path.normpath(glob)
    if "/" not in glob:
        return os.path.join(root, "**", glob)
    if glob.startswith("**/"):
        return os.path.join(root, glob)
    return os.path.normpath(os.path.join(root, glob))


def _glob_matches(candidate: str, glob: str) -> bool:
    if ANY_DEPTH in glob:  # "root/**/name": name directly below root, or deeper
        head, tail = glob.split(ANY_DEPTH, 1)
        return fnmatch.fnmatch(candidate, f"{head}/{tail}") or fnmatch.fnmatch(candidate, f"{head}/*/{tail}")
    return fnmatch.fnmatch(candidate, glob)


def matches(path: str, glob: str) -> bool:
    """Whether ``path`` (relative to the working directory, or absolute) or a folder above it matches."""
    candidate = os.path.abspath(path)
    while True:
        if _glob_matches(candidate, glob):
            return True
        parent = os.path.dirname(candidate)
        if parent == candidate:
            return False
        candidate = parent


def first_match(path: str, globs: Iterable[str]) -> str | None:
    return next((glob for glob in globs if matches(path, glob)), None)


def shown(glob: str) -> str:
    """An anchored glob as the user would write it: relative to the working directory when below it."""
    cwd = globbing.escape(os.getcwd())
    if glob.startswith(cwd + os.sep):
        return glob[len(cwd) + 1:].removeprefix(f"**{os.sep}")
    return glob
