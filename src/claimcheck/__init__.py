"""claimcheck: a compliance linter for medical marketing drafts."""

__version__ = "0.1.0"
