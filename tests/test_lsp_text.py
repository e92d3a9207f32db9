"""Positions in the editor's code units, and incremental changes, on the server's copy of a draft."""

from __future__ import annotations

import pytest

from claimcheck.lsp.text import UTF8, UTF16, UTF32, Position, SourceText

LINE = "Café 🙂 patients: 81% improved"  # é: 1 UTF-16 unit, 2 bytes; 🙂: 2 UTF-16 units, 4 bytes


@pytest.mark.parametrize(("encoding", "column"), [(UTF16, 17 + 1), (UTF8, 17 + 1 + 3), (UTF32, 17)])
def test_a_column_counts_the_negotiated_units(encoding: str, column: int) -> None:
    text = SourceText("Title\n" + LINE + "\n", encoding)
    offset = text.text.index("81%")
    assert LINE.index("81%") == 17
    assert text.position(offset) == Position(1, column)
    assert text.offset(Position(1, column)) == offset


def test_lines_end_only_at_lf_crlf_and_cr() -> None:
    # A form feed and U+2028 are not line breaks to an editor speaking LSP (Python's splitlines says they are).
    text = SourceText("one\r\ntwo\rthree\x0cstill three\u2028and still\nfour")
    assert list(text.line_starts) == [0, 5, 9, 37]
    assert text.line_text(0) == "one" and text.line_text(1) == "two"
    assert text.line_text(2) == "three\x0cstill three\u2028and still"
    assert text.position(text.text.index("four")) == Position(3, 0)
    assert text.offset(Position(2, 6)) == text.text.index("still")


def test_positions_past_the_end_are_clamped() -> None:
    text = SourceText("ab\ncd")
    assert text.offset(Position(0, 99)) == 2  # the end of the line, before its break
    assert text.offset(Position(7, 0)) == 5
    assert text.position(99) == Position(1, 2)


def test_a_column_inside_a_surrogate_pair_is_the_character_after_it() -> None:
    text = SourceText("🙂x")
    assert text.offset(Position(0, 1)) == 1
    assert text.offset(Position(0, 2)) == 1
    assert text.offset(Position(0, 3)) == 2


def test_incremental_changes_replace_the_range_in_client_units() -> None:
    text = SourceText("a🙂b\nsecond line\n", UTF16)
    text = text.replaced(Position(0, 1), Position(0, 3), "é")  # the emoji: two UTF-16 units
    assert text.text == "aéb\nsecond line\n"
    text = text.replaced(Position(1, 0), Position(1, 6), "2nd")
    assert text.text == "aéb\n2nd line\n"
    text = text.replaced(Position(2, 0), Position(2, 0), "end")  # at the very end
    assert text.text == "aéb\n2nd line\nend"
    crlf = SourceText("x\r\ny", UTF8).replaced(Position(0, 1), Position(1, 0), "")
    assert crlf.text == "xy"


def test_line_starts_are_linear_in_the_text() -> None:
    text = SourceText("line\n" * 200_000)
    assert len(text.line_starts) == 200_001
    assert text.position(len(text.text)) == Position(200_000, 0)
