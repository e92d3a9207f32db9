"""``--diff-base REF``: which lines of which drafts changed since a git revision.

A pull request should be judged on what it changes, so legacy pages do not block it. The diff is taken from
the merge base of REF and HEAD to the working tree (what a pull request's "Files changed" shows, plus any
uncommitted edits); if there is no merge base, from REF itself. Untracked files, files outside the repository
and standard input count as entirely changed.

A finding is kept when any line it spans was added or changed. A finding about the whole document (a missing
statement, reported at 1:1) is kept when the file changed at all. Limitation: deleting lines changes no line
that remains, so a claim whose qualifier was deleted (on another line) is not reported.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from claimcheck.errors import UsageError
from claimcheck.model import Finding

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", '"': '"', "\\": "\\"}


def _git(args: Sequence[str], cwd: str | None = None) -> subprocess.CompletedProcess[bytes]:
    command = ["git", "-c", "core.quotePath=false", *args]
    try:
        return subprocess.run(command, cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("--diff-base needs git, and no 'git' command was found") from None


def _unquote(path: bytes) -> str:
    """A path from a diff header; git C-quotes paths with unusual characters (octal escapes are bytes)."""
    if not path.startswith(b'"'):
        return os.fsdecode(path)
    raw, out, i = path[1:-1], bytearray(), 0
    while i < len(raw):
        char = raw[i:i + 1]
        if char == b"\\" and i + 1 < len(raw):
            following = raw[i + 1:i + 2].decode("latin-1")
            if following.isdigit():
                out.append(int(raw[i + 1:i + 4], 8))
                i += 4
                continue
            out += _ESCAPES.get(following, following).encode("latin-1")
            i += 2
            continue
        out += char
        i += 1
    return os.fsdecode(bytes(out))


def parse_diff(diff: bytes) -> dict[str, set[int]]:
    """``git diff --unified=0`` output -> {path relative to the repository root: added or changed lines}."""
    changed: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in diff.split(b"\n"):
        if line.startswith(b"+++ "):
            # git ends a name holding a space with a tab; names with tabs or quotes are C-quoted instead.
            target = line[4:].rstrip(b"\r").removesuffix(b"\t")
            if target == b"/dev/null":  # a deleted file
                current = None
                continue
            name = _unquote(target)
            current = changed.setdefault(name[2:] if name.startswith("b/") else name, set())
        elif line.startswith(b"@@ ") and current is not None:
            match = _HUNK.match(line.decode("ascii", "replace"))
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                current.update(range(start, start + count))
    return changed


@dataclass
class ChangedLines:
    """The added or changed lines of every file in a git working tree since a revision."""

    root: str
    tracked: set[str]
    lines: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def since(cls, ref: str, cwd: str | None = None) -> ChangedLines:
        top = _git(["rev-parse", "--show-toplevel"], cwd)
        if top.returncode != 0:
            raise UsageError("--diff-base needs a git repository, and the working directory is not in one")
        root = os.fsdecode(top.stdout.strip())
        verified = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root)
        if verified.returncode != 0:
            raise UsageError(f"--diff-base: {ref!r} is not a known git revision (a branch, tag or commit); "
                             "in CI, fetch it first (e.g. actions/checkout with fetch-depth: 0)")
        base = verified.stdout.strip().decode()
        merge_base = _git(["merge-base", base, "HEAD"], root)
        if merge_base.returncode == 0 and merge_base.stdout.strip():
            base = merge_base.stdout.strip().decode()
        diff = _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-textconv", "-M",
                     "--src-prefix=a/", "--dst-prefix=b/", base, "--"], root)
        if diff.returncode != 0:
            message = diff.stderr.decode(errors="replace").strip().splitlines()
            raise UsageError(f"--diff-base: git diff failed: {message[-1] if message else diff.returncode}")
        files = _git(["ls-files", "-z"], root)
        tracked = {os.fsdecode(name) for name in files.stdout.split(b"\0") if name}
        return cls(os.path.realpath(root), tracked, parse_diff(diff.stdout))

    def _key(self, path: str) -> str | None:
        """``path`` relative to the repository root (folders resolved, the file itself not), or None."""
        absolute = os.path.abspath(path)
        folder = os.path.realpath(os.path.dirname(absolute))
        relative = os.path.relpath(os.path.join(folder, os.path.basename(absolute)), self.root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return None
        return relative.replace(os.sep, "/")

    def changed(self, path: str) -> set[int] | None:
        """Changed line numbers of ``path``; None when the whole file counts as changed."""
        key = self._key(path)
        if key is None or key not in self.tracked:
            return None
        return self.lines.get(key, set())

    def filter(self, path: str, findings: Iterable[Finding], is_stdin: bool = False) -> list[Finding]:
        """The findings that stand on changed lines."""
        findings = list(findings)
        if is_stdin:
            return findings
        lines = self.changed(path)
        if lines is None:
            return findings
        return [f for f in findings
                if (f.document_level and lines) or any(n in lines for n in _span_lines(f))]


def _span_lines(finding: Finding) -> range:
    last = finding.end_position.line
    if last > finding.position.line and finding.end_position.column == 1:
        last -= 1  # the end is exclusive: a span ending at a line break does not touch the next line
    return range(finding.position.line, last + 1)
