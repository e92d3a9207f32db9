"""How wide text is on a terminal, so a source frame fits the screen and its carets stand under the claim.

Columns in findings count characters; a terminal gives CJK ideographs and most emoji two cells and combining
marks none, so the frame measures cells. The standard library's East Asian Width and category data is
enough for the text drafts hold (Unicode as of the running Python), so no extra dependency is needed.
"""

from __future__ import annotations

import unicodedata

EMOJI_PRESENTATION = "\ufe0f"  # VS16: the character before it is drawn as a (two-cell) emoji


def printable(text: str) -> str:
    """``text`` with one printable character per character: a tab becomes a space, and control characters
    (which would move the cursor or recolour the terminal) become U+FFFD, so offsets stay the same."""
    return "".join(" " if char == "\t" else "\ufffd" if unicodedata.category(char) == "Cc" else char
                   for char in text)


def cell_widths(text: str) -> list[int]:
    """The terminal cells each character of ``text`` (already :func:`printable`) takes."""
    widths: list[int] = []
    for char in text:
        if char == EMOJI_PRESENTATION:
            widths.append(1 if widths and widths[-1] == 1 else 0)
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            widths.append(0)
        elif unicodedata.east_asian_width(char) in ("W", "F"):
            widths.append(2)
        else:
            widths.append(1)
    return widths


def window(widths: list[int], start: int, budget: int, context: int = 30) -> tuple[int, int]:
    """Characters ``[left, right)`` of a line to show in ``budget`` cells, counting one cell for each "…"
    added where the line is cut: up to ``context`` cells before ``start``, then as much as fits after."""
    count = len(widths)
    if sum(widths) <= budget:
        return 0, count
    left, before = start, 0
    while left > 0 and before + widths[left - 1] <= context:
        left -= 1
        before += widths[left]
    right, used = left, 0
    room = budget - (1 if left else 0) - 1  # the ellipses
    while right < count and used + widths[right] <= room:
        used += widths[right]
        right += 1
    if right == count:  # the end of the line is reached: use the room left for more context before
        left, used = count, 0
        while left > 0 and used + widths[left - 1] <= budget - 1:
            left -= 1
            used += widths[left]
    return left, right
