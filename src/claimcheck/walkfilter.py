"""What a folder walk leaves out, and why: files git ignores, hidden and build folders, and documents
claimcheck cannot read (which are named, with what to do, so a folder of Word files never "passes")."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import PurePath

# Version-control metadata is never walked.
VCS_DIRS = frozenset({".git", ".hg", ".svn"})
# Generated or third-party folders that are skipped with hidden ones unless --no-respect-gitignore: their
# drafts are copies (a rendered site) or not the project's (installed packages).
BUILD_DIRS = frozenset({"node_modules", "_site", "_build", "site-packages", "__pypackages__", "__pycache__",
                        "venv"})

SAVE_AS = "save it as .html or .txt (File > Save As), or export it as Markdown"
# Extension -> why a document with it is not linted and what to do instead.
UNSUPPORTED = {
    ".docx": f"a Word document; {SAVE_AS}",
    ".doc": f"a Word document; {SAVE_AS}",
    ".docm": f"a Word document; {SAVE_AS}",
    ".dotx": f"a Word template; {SAVE_AS}",
    ".odt": f"an OpenDocument text; {SAVE_AS}",
    ".rtf": f"an RTF document; {SAVE_AS}",
    ".pages": "a Pages document; export it as .txt or .html (File > Export To)",
    ".pdf": "a PDF; lint the document it was made from, or save its text as .txt",
    ".mdx": "MDX (Markdown with components) is not read in folders; name the file to lint it as Markdown "
            "with --input-format markdown",
}


@dataclass(frozen=True)
class Skipped:
    """A file a run did not lint, and why; ``excluded`` when the configuration or --exclude asked for it."""

    path: str
    reason: str
    excluded: bool = False

    def __str__(self) -> str:
        return f"{self.path}: skipped: {self.reason}"


def unsupported_reason(name: str) -> str | None:
    return UNSUPPORTED.get(PurePath(name).suffix.lower())


def skip_folder(name: str, respect_ignores: bool) -> bool:
    if name in VCS_DIRS:
        return True
    return respect_ignores and (name.startswith(".") or name in BUILD_DIRS)


def git_ignored(folder: str) -> frozenset[str] | None:
    """Absolute paths of the files and folders below ``folder`` that git ignores (.gitignore,
    .git/info/exclude, the global excludes file), or None outside a git work tree or without git.

    One ``git ls-files`` call per walked folder: git applies its own rules exactly (nested .gitignore files,
    negations, tracked files that match a pattern are not ignored), and ``--directory`` lists an ignored
    folder once instead of everything in it.
    """
    try:
        done = subprocess.run(["git", "-C", folder, "ls-files", "-z", "--others", "--ignored",
                               "--exclude-standard", "--directory", "--", "."],
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    root = os.path.abspath(folder)
    return frozenset(os.path.normpath(os.path.join(root, os.fsdecode(entry)))
                     for entry in done.stdout.split(b"\0") if entry)
