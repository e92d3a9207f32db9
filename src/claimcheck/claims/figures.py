"""A claim's figure written one way, so that "80 %", "80 percent", "eighty per cent" and "80％" compare equal.

The canonical form keeps what a reader compares: each number (digits, without thousands separators or
trailing decimal zeros), a percent sign where the text has one, and proportions as ``a/b`` ("9 out of 10",
"nine in ten", "9/10" are all ``9/10``). Several numbers are kept in order and joined by spaces, so a change
"from 46 to 19" is ``46 19`` and a range "80-85%" is ``80 85%`` like "between 80 and 85 percent". A figure
without a number ("cut in half") is its words, lower-cased.
"""

from __future__ import annotations

import unicodedata

import regex

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNIT_VALUES = {word: value for value, word in enumerate(_UNITS)}
_TEN_VALUES = {word: 20 + 10 * index for index, word in enumerate(_TENS)}
_NUMBER_WORD = regex.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})(?:[\s\p{{Pd}}]+(?P<unit>{'|'.join(_UNITS[1:10])}))?"
    rf"|(?P<small>{'|'.join(_UNITS)})|(?P<hundred>a|one))(?P<times>\s+hundred)?\b")
_THOUSANDS = regex.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_PERCENT = regex.compile(r"(\d)\s*(?:%|percent\b|per[\s\p{Pd}]?cent\b)")
_PROPORTION = regex.compile(r"(\d+)\s*(?:/|\bout\s+of\b|\bin\b|\bof\b)\s*(?:the\s+)?(\d+)(?![\d.%])")
_TOKEN = regex.compile(r"\d+(?:\.\d+)?(?:%|/\d+)?")


def _spelled(match: regex.Match[str]) -> str:
    if match.group("hundred") and not match.group("times"):
        return match.group(0)  # "a" or "one" alone is not a number here ("one of the first")
    if match.group("tens"):
        value = _TEN_VALUES[match.group("tens")] + _UNIT_VALUES.get(match.group("unit") or "", 0)
    elif match.group("small"):
        value = _UNIT_VALUES[match.group("small")]
    else:
        value = 1
    return str(value * 100 if match.group("times") else value)


def _number(token: str) -> str:
    if "." in token:
        digits = token.rstrip("%")
        whole, _, fraction = digits.partition(".")
        fraction = fraction.rstrip("0")
        return (f"{whole}.{fraction}" if fraction else whole) + token[len(digits):]
    return token


def canonical_figure(text: str) -> str:
    """The canonical form of a figure (see the module docstring)."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2212", "-")
    text = _NUMBER_WORD.sub(_spelled, text)
    text = _THOUSANDS.sub("", text)
    text = _PERCENT.sub(r"\1%", text)
    text = _PROPORTION.sub(r"\1/\2", text)
    tokens = [_number(token) for token in _TOKEN.findall(text)]
    if tokens:
        return " ".join(tokens)
    return " ".join(text.split())
