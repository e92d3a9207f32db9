"""Small immutable values shared by every layer: severities, positions and findings."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``>=`` means "at least as severe"."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A 1-based line and column; columns count characters (code points) of the original file."""

    line: int
    column: int


class Applicability(enum.Enum):
    """How far a fix may be trusted (as in ruff): ``safe`` fixes keep the meaning and are applied by
    ``--fix``; ``unsafe`` ones change regulated wording and need ``--unsafe-fixes``; ``display-only`` ones are
    suggestions shown to the writer and never applied."""

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True, order=True)
class Edit:
    """Replace ``source[start:end]`` of the original (decoded) file with ``text``: an insertion when
    ``start == end``, a deletion when ``text`` is empty."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """What to change to fix one finding: edits in source offsets, their safety, and a title a writer reads
    ("Add 'Individual outcomes vary.' to this paragraph")."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...]

    def applies(self, unsafe: bool = False) -> bool:
        """Whether ``--fix`` (with ``--unsafe-fixes`` when ``unsafe``) applies this fix: one with edits
        that is safe, or unsafe when unsafe fixes are asked for."""
        if not self.edits:
            return False
        if self.applicability is Applicability.SAFE:
            return True
        return unsafe and self.applicability is Applicability.UNSAFE


@dataclass(frozen=True, slots=True)
class ClaimRef:
    """The claims-registry entry a finding is about: its id, where it stands in the registry file (1-based),
    and the source that substantiates it."""

    id: str
    path: str
    line: int
    column: int
    source: str


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    ``start``/``end`` are character offsets into the original (decoded) source; ``end`` is exclusive,
    and so is ``end_position.column`` (as in SARIF and most linters' JSON).
    """

    path: str
    code: str
    rule: str
    severity: Severity
    message: str
    start: int
    end: int
    position: Position
    end_position: Position
    excerpt: str
    document_level: bool = False
    # The text a reader sees (markup removed, entities decoded); equals ``excerpt`` for plain text.
    text: str = ""
    notes: tuple[str, ...] = field(default=())
    fix: Fix | None = None
    claim: ClaimRef | None = None  # set by the claims-registry rules (CC111, CC112)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.position.line, self.position.column, self.code)
