"""``--diff-base REF``: which lines of which drafts changed since a git revision.

A pull request should be judged on what it changes, so legacy pages do not block it. The diff is taken from
the merge base of REF and HEAD to the working tree (what a pull request's "Files changed" shows, plus any
uncommitted edits); if there is no merge base, from REF itself. Untracked files, files outside the repository
and standard input count as entirely changed.

A finding is kept when any line it spans was added or changed, or when its block (paragraph, list item…, and
the blocks that share its qualifier scope) holds a changed line or lost one: deleting a qualifier sentence
changes no line that remains, yet exposes the claim next to it. A finding about the whole document (a missing
statement, reported at 1:1; a claim whose qualifier may stand anywhere) is kept when the file changed at all.

The diff is read with ``--text``: a pull request that marks drafts ``binary`` or ``-diff`` in .gitattributes
must not hide its changes, and a changed file for which git prints no line ranges anyway (a mode change, an
exact rename) counts as wholly changed.
"""

from __future__ import annotations

import bisect
import os
import re
import subprocess
from collections.abc import Callable, Collection, Iterable, Sequence
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


@dataclass
class FileChange:
    """How a file changed: its added or changed lines, and where lines were deleted (new line numbers)."""

    lines: set[int] = field(default_factory=set)
    deleted_after: set[int] = field(default_factory=set)  # n: lines were removed between line n and n + 1

    def __bool__(self) -> bool:
        return bool(self.lines or self.deleted_after)


def _any_between(values: list[int], low: int, high: int) -> bool:
    index = bisect.bisect_left(values, low)
    return index < len(values) and values[index] <= high


def parse_diff(diff: bytes) -> dict[str, FileChange]:
    """``git diff --unified=0`` output -> {path relative to the repository root: how it changed}."""
    changed: dict[str, FileChange] = {}
    current: FileChange | None = None
    for line in diff.split(b"\n"):
        if line.startswith(b"+++ "):
            # git ends a name holding a space with a tab; names with tabs or quotes are C-quoted instead.
            target = line[4:].rstrip(b"\r").removesuffix(b"\t")
            if target == b"/dev/null":  # a deleted file
                current = None
                continue
            name = _unquote(target)
            current = changed.setdefault(name[2:] if name.startswith("b/") else name, FileChange())
        elif line.startswith(b"@@ ") and current is not None:
            match = _HUNK.match(line.decode("ascii", "replace"))
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                if count == 0:  # only deletions: git names the line before them
                    current.deleted_after.add(start)
                current.lines.update(range(start, start + count))
    return changed


Region = tuple[int, int, int | None]  # a block's first and last line, and its qualifier group


@dataclass
class ChangedLines:
    """The added or changed lines of every file in a git working tree since a revision."""

    root: str
    tracked: set[str]
    lines: dict[str, FileChange] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)  # changed, but git gave no line ranges

    @classmethod
    def since(cls, ref: str, cwd: str | None = None) -> ChangedLines:
        if not ref.strip():
            raise UsageError("--diff-base: the revision is empty; name a branch, tag or commit")
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
        options = ["--no-color", "--no-ext-diff", "--no-textconv", "-M"]
        diff = _checked(_git(["diff", "--text", "--unified=0", *options, "--src-prefix=a/", "--dst-prefix=b/",
                              base, "--"], root))
        names = _checked(_git(["diff", "--name-only", "-z", *options, base, "--"], root))
        files = _git(["ls-files", "-z"], root)
        tracked = {os.fsdecode(name) for name in files.stdout.split(b"\0") if name}
        lines = parse_diff(diff.stdout)
        whole = {os.fsdecode(name) for name in names.stdout.split(b"\0") if name} - lines.keys()
        return cls(os.path.realpath(root), tracked, lines, whole)

    def _key(self, path: str) -> str | None:
        """``path`` relative to the repository root (folders resolved, the file itself not), or None."""
        absolute = os.path.abspath(path)
        folder = os.path.realpath(os.path.dirname(absolute))
        relative = os.path.relpath(os.path.join(folder, os.path.basename(absolute)), self.root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            return None
        return relative.replace(os.sep, "/")

    def changed(self, path: str) -> FileChange | None:
        """How ``path`` changed; None when the whole file counts as changed."""
        key = self._key(path)
        if key is None or key not in self.tracked or key in self.whole:
            return None
        return self.lines.get(key, FileChange())

    def filter(self, path: str, findings: Iterable[Finding], regions: Callable[[], Sequence[Region]],
               document_wide: Collection[str] = (), is_stdin: bool = False) -> list[Finding]:
        """The findings the change may have caused (see the module docstring). ``regions`` gives the
        draft's blocks (asked only when needed); findings of ``document_wide`` codes count like
        document-level ones."""
        findings = list(findings)
        if is_stdin:
            return findings
        change = self.changed(path)
        if change is None:
            return findings
        if not change:
            return []
        touched: list[Region] | None = None
        kept = []
        for finding in findings:
            if finding.document_level or finding.code in document_wide:
                kept.append(finding)
                continue
            if any(n in change.lines for n in _span_lines(finding)):
                kept.append(finding)
                continue
            if touched is None:
                touched = _touched_regions(regions(), change)
            line = finding.position.line
            if any(first <= line <= last for first, last, _ in touched):
                kept.append(finding)
        return kept


def _touched_regions(regions: Sequence[Region], change: FileChange) -> list[Region]:
    """The blocks that hold a changed line or lost one (inside or next to them), with every block of a
    touched qualifier group."""
    lines, deletions = sorted(change.lines), sorted(change.deleted_after)
    touched = {index for index, (first, last, _) in enumerate(regions)
               if _any_between(lines, first, last) or _any_between(deletions, first - 1, last)}
    groups = {regions[index][2] for index in touched} - {None}
    return [region for index, region in enumerate(regions) if index in touched or region[2] in groups]


def _checked(result: subprocess.CompletedProcess[bytes]) -> subprocess.CompletedProcess[bytes]:
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(f"--diff-base: git diff failed: {message[-1] if message else result.returncode}")
    return result


def _span_lines(finding: Finding) -> range:
    last = finding.end_position.line
    if last > finding.position.line and finding.end_position.column == 1:
        last -= 1  # the end is exclusive: a span ending at a line break does not touch the next line
    return range(finding.position.line, last + 1)
