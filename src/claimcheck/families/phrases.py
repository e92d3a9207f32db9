"""Tolerant matching of fixed statements: case, white space, punctuation and curly quotes do not matter."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable

import regex

_NOT_WORD = regex.compile(r"[^\p{L}\p{N}]+")


@functools.lru_cache(maxsize=8)  # each required-statement rule normalises the same document text
def normalize(text: str) -> str:
    """Lower-case words separated by single spaces.

    "FDA‑approved, as a ‘sealant’" -> "fda approved as a sealant".
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = text.replace("’", "'").replace("‘", "'").replace("'", "")
    return _NOT_WORD.sub(" ", text).strip()


def phrase_regex(phrases: Iterable[str]) -> regex.Pattern[str] | None:
    """One case-insensitive regex matching any phrase, with any run of spaces or dashes between words."""
    alternatives = []
    for phrase in phrases:
        words = normalize(phrase).split()
        if words:
            alternatives.append(r"[\s\p{Pd}'’]+".join(regex.escape(w) for w in words))
    if not alternatives:
        return None
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(alternatives) + r")(?![\p{L}\p{N}])",
                         regex.IGNORECASE)
