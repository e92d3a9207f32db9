"""Typed, coded errors. Only the CLI turns them into exit statuses and one-line messages."""

from __future__ import annotations


class ClaimcheckError(Exception):
    """Base class for every error claimcheck reports to the user (exit status 2)."""

    code = "E000"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def location(self) -> str:
        parts = [p for p in (self.path, self.line, self.column) if p is not None]
        return ":".join(str(p) for p in parts)

    def __str__(self) -> str:
        from claimcheck.terminal import printable, printable_path

        # Always one line: messages may quote user text or library errors that hold line breaks, and a file
        # name may hold anything (shown escaped).
        message = printable(" ".join(line.strip() for line in self.message.strip().splitlines()))
        where = printable_path(self.location())
        return f"{where}: error: {message}" if where else f"error: {message}"


class UsageError(ClaimcheckError):
    """The command line asks for something impossible (unknown code, bad option value)."""

    code = "E001"


class ConfigError(ClaimcheckError):
    """A configuration file is malformed or has unknown keys or wrong types."""

    code = "E002"


class RuleError(ClaimcheckError):
    """A rule file is malformed: unknown keys, wrong types, invalid patterns, duplicate codes."""

    code = "E003"


class RuleErrors(RuleError):
    """Several rule-file errors of one run, reported together (one line each) so that a user fixing rule
    files does not discover them one run at a time."""

    def __init__(self, errors: list[RuleError]) -> None:
        first = errors[0]
        super().__init__(first.message, path=first.path, line=first.line, column=first.column)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


class InputError(ClaimcheckError):
    """A draft cannot be read or decoded."""

    code = "E004"


class TimeBudgetExceeded(ClaimcheckError):
    """Linting one draft ran past its time budget (see :mod:`claimcheck.budget`)."""

    code = "E006"


class PatternTimeout(TimeBudgetExceeded):
    """A rule's regular expression used up a draft's time budget (catastrophic backtracking); located at the
    pattern in its rule file."""

    code = "E005"


class FixError(ClaimcheckError):
    """A rule's fix does not converge: after as many passes as allowed, linting the fixed text still asks
    for the same fixes (a bug in the rule's fix, reported naming the rule)."""

    code = "E007"
