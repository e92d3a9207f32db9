"""Unit tests of the plain-text reader: paragraphs, one-paragraph-per-line copy, hard-wrapped lines."""

from __future__ import annotations

import pytest

from claimcheck.documents import Document
from claimcheck.documents.text import WRAP_LIMIT, continues, read_text

from conftest import lint_text


def blocks(document: Document) -> list[tuple[str, str, int, int]]:
    """(kind, text, line, column) of each block's start."""
    out = []
    for block in document.blocks:
        position = document.lines.position(block.source_start)
        assert document.source[block.source_start:block.source_end] == block.text
        out.append((block.kind, block.text, position.line, position.column))
    return out


def test_blank_lines_separate_paragraphs_and_join_their_lines() -> None:
    source = "First paragraph runs\nover two lines.\n\nSecond.\n- a bullet\n  and its wrap\n"
    assert blocks(read_text("x.txt", source)) == [
        ("paragraph", "First paragraph runs\nover two lines.", 1, 1), ("paragraph", "Second.", 4, 1),
        ("list-item", "a bullet\n  and its wrap", 5, 3),
    ]


def test_one_paragraph_per_line_copy_keeps_one_block_per_line() -> None:
    source = (
        "Why patients choose our clinic\n"
        "Our surgeons have treated knees for twenty years and answer every question before a procedure.\n"
        "Most patients go home the same day.\n"
        "Who we are\n"
        "A team of five surgeons, three physiotherapists and a nurse who calls you the day after.\n"
        "2024 results\n"
        "80% of our patients returned to work within six weeks.\n"
    )
    document = read_text("x.txt", source)
    assert [(line, text) for _, text, line, _ in blocks(document)] == list(enumerate(source.splitlines(), 1))


def test_hard_wrapped_sentences_without_blank_lines_are_one_block() -> None:
    source = (
        "Knee program\n"
        "In our registry, 80% of patients reported lasting relief. Individual outcomes\n"
        "vary.\n"
        "The program combines injections, physiotherapy and a home plan, and\n"
        "most patients finish it in eight weeks.\n"
        "Call us to book a first visit.\n"
    )
    assert blocks(read_text("x.txt", source)) == [
        ("paragraph", "Knee program", 1, 1),
        ("paragraph", "In our registry, 80% of patients reported lasting relief. Individual outcomes\nvary.", 2, 1),
        ("paragraph", "The program combines injections, physiotherapy and a home plan, and\nmost patients finish it "
         "in eight weeks.", 4, 1),
        ("paragraph", "Call us to book a first visit.", 6, 1),
    ]


def test_greedily_wrapped_file_joins_a_capitalized_line_the_width_pushed_down() -> None:
    # Wrapped at 60 columns: "Individual" did not fit after "from 7 to 3", so the break is the wrap's.
    source = (
        "Pain scores in our registry of knee patients fell from 7 to\n"
        "3 within a year for most of those who finished the program\n"
        "Individual outcomes vary by age, weight and activity level.\n"
        "Book a visit\n"
        "Our front desk answers every call within one working day.\n"
    )
    assert [text for _, text, _, _ in blocks(read_text("x.txt", source))] == [
        "Pain scores in our registry of knee patients fell from 7 to\n3 within a year for most of those who "
        "finished the program\nIndividual outcomes vary by age, weight and activity level.",
        "Book a visit",
        "Our front desk answers every call within one working day.",
    ]


def test_lines_of_varied_length_are_not_taken_for_greedy_wrapping() -> None:
    # "Individual" would not fit after the third line within the longest line's width, but most lines are
    # far shorter than that: this is one-paragraph-per-line copy, so the capital starts a block.
    source = ("Results\nWhy patients choose us\nMost of our knee patients improved considerably in the first year\n"
              "Individual outcomes vary by age, weight and activity level of each.\nCall us\n")
    assert [text for _, text, _, _ in blocks(read_text("x.txt", source))] == source.splitlines()
    wrapped = source.replace("Results\nWhy patients choose us\n", "")  # now most lines are near the width
    assert len(read_text("x.txt", wrapped).blocks) == 2


@pytest.mark.parametrize("previous, line, expected", [
    ("Individual outcomes", "vary.", True),  # lowercase start after an unfinished line
    ("Our non-", "Surgical option", True),  # hyphenated break
    ("Relief, mobility,", "Sleep", True),  # comma
    ("Pain fell in most patients (", "Seven in ten", True),  # opening bracket
    ("Results from our study of", "Eighty patients", True),  # a word no sentence ends with
    ("Most patients improved and", "Returned to work", True),
    ("Satisfaction was high.", "most patients", False),  # the sentence ended
    ("Who is a candidate?", "patients with", False),
    ("Benefits include:", "less pain", False),
    ('He said "it works."', "then left", False),
    ("Who we are", "Our team", False),  # a heading, then a capitalized paragraph
    ("2024 results", "80% of patients improved", False),  # a digit after an unfinished line: a new block
    ("", "text", False),
])
def test_continuation_evidence(previous: str, line: str, expected: bool) -> None:
    assert continues(previous, line) is expected


def test_continuation_by_wrap_width() -> None:
    assert continues("a" * 55 + " to", "Individual", width=60) is True  # 58 + 1 + 10 > 60
    assert continues("Book a visit", "Our front", width=60) is False


def test_long_lines_in_a_file_with_blank_lines_are_not_joined() -> None:
    long_line = "Most patients improved " * 6  # over WRAP_LIMIT: pasted, not wrapped by hand
    assert len(long_line) > WRAP_LIMIT
    source = f"{long_line}\nnext line\n\nOther.\n"
    assert [text for _, text, _, _ in blocks(read_text("x.txt", source))] == [long_line.rstrip(), "next line",
                                                                              "Other."]


def test_crlf_hard_wrap_keeps_columns() -> None:
    source = "Title line\r\nIn our registry 80% of patients reported lasting\r\nrelief.\r\nCall us.\r\n"
    assert blocks(read_text("x.txt", source)) == [
        ("paragraph", "Title line", 1, 1),
        ("paragraph", "In our registry 80% of patients reported lasting\r\nrelief.", 2, 1),
        ("paragraph", "Call us.", 4, 1),
    ]


def test_a_qualifier_wrapped_over_two_lines_covers_the_claim() -> None:
    qualified = ("Intro line\nIn our registry 80% of patients reported lasting relief. Individual outcomes\n"
                 "vary.\nCall us today.\n")
    assert [f.code for f in lint_text(qualified) if f.code == "CC101"] == []
    unqualified = "Intro line\nIn our registry 80% of patients reported lasting\nrelief.\nCall us today.\n"
    assert [(f.code, f.position.line, f.position.column) for f in lint_text(unqualified)
            if f.code == "CC101"] == [("CC101", 2, 17)]
