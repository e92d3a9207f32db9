"""One time budget per draft, shared by everything that can take long on it: rule patterns, spaCy and the
suppression filter. When it runs out, the draft is reported as an error saying what was running, and the
run goes on with the other drafts.

The budget is ``seconds_per_mib`` for each MiB of the draft's source, and never less than that for a small
draft, so it grows with the work a linear linter must do and a hostile draft cannot take longer.
"""

from __future__ import annotations

from time import monotonic

from claimcheck.errors import TimeBudgetExceeded

# The default rules lint about 30 s of prose per MiB on a slow, busy machine (their long alternations
# are scanned at every position); twice that leaves room, and a hostile draft still cannot run on.
DEFAULT_SECONDS_PER_MIB = 60.0
MIB = 1024 * 1024


class Budget:
    """The deadline for linting one draft."""

    __slots__ = ("deadline", "path", "seconds")

    def __init__(self, seconds: float, path: str | None = None) -> None:
        self.seconds = seconds
        self.path = path
        self.deadline = monotonic() + seconds

    @classmethod
    def for_source(cls, source: str, seconds_per_mib: float, path: str | None = None) -> Budget:
        return cls(seconds_per_mib * max(1.0, len(source) / MIB), path)

    def remaining(self) -> float:
        return self.deadline - monotonic()

    def check(self, doing: str) -> None:
        """Raise :class:`TimeBudgetExceeded` if the deadline has passed; ``doing`` says what was running."""
        if monotonic() >= self.deadline:
            raise self.exceeded(doing)

    def exceeded(self, doing: str) -> TimeBudgetExceeded:
        return TimeBudgetExceeded(f"linting ran out of its time budget ({self.seconds:.3g}s for this draft) "
                                  f"while {doing}; raise it with --time-budget or 'time-budget' in the "
                                  "configuration (seconds per MiB)", path=self.path)
