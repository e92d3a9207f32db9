"""Unit tests of the Markdown and HTML readers: blocks, their text, offsets back to the source, comments."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from markdown_it.token import Token

from claimcheck.documents import Block, Document, markdown, parse
from claimcheck.documents.html import read_html
from claimcheck.documents.markdown import MAX_NESTING, read_markdown
from claimcheck.errors import InputError


def texts(document: Document) -> list[str]:
    return [block.text for block in document.blocks]


def kinds(document: Document) -> list[tuple[str, str]]:
    return [(block.kind, block.text) for block in document.blocks]


def source_of(document: Document, block: Block, text_start: int, text_end: int) -> str:
    """The source a span of a block's text comes from."""
    return document.source[block.offsets.start(text_start):block.offsets.end(text_end)]


def where(document: Document, block: Block) -> tuple[int, int]:
    """Line and column of the block's first character."""
    position = document.lines.position(block.source_start)
    return position.line, position.column


def at(document: Document, block: Block, needle: str) -> int:
    """Source offset of the first character of ``needle`` in the block's text."""
    return block.offsets.start(block.text.index(needle))


def assert_offsets_inside(document: Document) -> None:
    size = len(document.source)
    for block in document.blocks:
        assert len(block.offsets) == len(block.text)
        for index in range(len(block.text)):
            assert 0 <= block.offsets.start(index) < max(size, 1)
            assert 0 < block.offsets.end(index + 1) <= size
    for comment in document.comments:
        assert document.source[comment.start:comment.end] == comment.text


# -- Markdown -------------------------------------------------------------------------------------------


class TestMarkdown:
    def test_dispatch_format_and_source(self) -> None:
        source = "# Title\r\n\r\nBody text.\r\n"
        document = parse("draft.md", source)
        assert document.format == "markdown"
        assert document.source == source
        assert texts(document) == ["Title", "Body text."]

    def test_block_kinds(self) -> None:
        source = (
            "# Heading one\n\nA paragraph.\n\n- first item\n- second item\n\n> quoted line\n\n"
            "| Measure | Result |\n| --- | --- |\n| Relief | 64% |\n\nSetext heading\n---\n"
        )
        assert kinds(read_markdown("x.md", source)) == [
            ("heading", "Heading one"), ("paragraph", "A paragraph."), ("list-item", "first item"),
            ("list-item", "second item"), ("blockquote", "quoted line"), ("table-header", "Measure | Result"),
            ("table-row", "Relief | 64%"), ("heading", "Setext heading"),
        ]

    def test_each_paragraph_of_a_list_item_is_a_block(self) -> None:
        document = read_markdown("x.md", "1. First paragraph.\n\n   Second paragraph.\n")
        assert kinds(document) == [("list-item", "First paragraph."), ("list-item", "Second paragraph.")]

    def test_bold_text_maps_to_its_letters_not_the_asterisks(self) -> None:
        source = "Our charts show **nine out of ten** patients improved."
        document = read_markdown("x.md", source)
        block = document.blocks[0]
        assert block.text == "Our charts show nine out of ten patients improved."
        assert at(document, block, "nine") == source.index("nine")
        assert at(document, block, "patients") == source.index("patients")
        start = block.text.index("nine")
        assert source_of(document, block, start, start + len("nine out of ten patients")) == \
            "nine out of ten** patients"

    def test_link_text_is_read_and_its_destination_is_not(self) -> None:
        source = 'See [how 85% of runners recovered](https://x.test/85-percent "92% title") today.'
        document = read_markdown("x.md", source)
        block = document.blocks[0]
        assert block.text == "See how 85% of runners recovered today."
        assert at(document, block, "85%") == source.index("85%")
        assert at(document, block, "today") == source.index("today")

    def test_link_whose_title_repeats_the_text_after_it(self) -> None:
        source = '[a](https://x.test "a c") c'
        block = read_markdown("x.md", source).blocks[0]
        assert block.text == "a c"
        assert block.offsets.start(2) == source.rindex("c")

    def test_reference_links_and_definitions(self) -> None:
        source = "Read the [registry][reg] report.\n\n[reg]: https://x.test/99 \"99% of patients\"\n"
        document = read_markdown("x.md", source)
        assert texts(document) == ["Read the registry report."]
        assert at(document, document.blocks[0], "report") == source.index("report")

    def test_images_and_autolinks_are_not_prose(self) -> None:
        source = "Before ![chart: 90% improved](c.png) after <https://x.test/90> end."
        # the image's alt text is published copy: a block of its own, after its paragraph
        assert texts(read_markdown("x.md", source)) == ["Before  after  end.", "chart: 90% improved"]

    def test_soft_break_maps_to_the_source_line_break(self) -> None:
        source = "In our survey 70% of them reported\nlasting relief."
        document = read_markdown("x.md", source)
        block = document.blocks[0]
        assert block.text == source
        newline = block.text.index("\n")
        assert block.offsets.start(newline) == source.index("\n")
        assert at(document, block, "lasting") == source.index("lasting")

    def test_crlf_line_breaks_and_containers(self) -> None:
        source = "> 75% of patients\r\n> improved.\r\n\r\n- item one\r\n  continued\r\n"
        document = read_markdown("x.md", source)
        assert kinds(document) == [("blockquote", "75% of patients\nimproved."),
                                   ("list-item", "item one\ncontinued")]
        assert at(document, document.blocks[0], "improved") == source.index("improved")
        assert at(document, document.blocks[1], "continued") == source.index("continued")

    def test_hard_breaks(self) -> None:
        source = "first line  \nsecond\\\nthird<br>fourth"
        block = read_markdown("x.md", source).blocks[0]
        assert block.text == "first line\nsecond\nthird\nfourth"
        assert block.offsets.start(block.text.index("third")) == source.index("third")

    def test_heading_text_after_its_markers(self) -> None:
        source = "## 90% of patients improved ##\n"
        document = read_markdown("x.md", source)
        assert texts(document) == ["90% of patients improved"]
        assert document.blocks[0].source_start == 3

    def test_entities_and_escapes_are_decoded_and_mapped(self) -> None:
        source = "Relief &amp; comfort\u00a0for 100\\% of &nbsp;visits"
        document = read_markdown("x.md", source)
        block = document.blocks[0]
        assert block.text == "Relief & comfort\u00a0for 100% of \u00a0visits"
        amp = block.text.index("&")
        assert source_of(document, block, amp, amp + 1) == "&amp;"
        percent = block.text.index("%")
        assert source[block.offsets.start(percent)] == "%"  # the escaped character, not the backslash
        nbsp = block.text.index("\u00a0visits")
        assert source_of(document, block, nbsp, nbsp + 1) == "&nbsp;"

    def test_code_spans_are_text_and_code_blocks_are_not(self) -> None:
        source = "Use `the 90%\nrule` today.\n\n```\n80% of patients improved\n```\n\n    70% indented code\n"
        document = read_markdown("x.md", source)
        assert texts(document) == ["Use the 90% rule today."]
        assert at(document, document.blocks[0], "rule") == source.index("rule")

    def test_table_rows_are_blocks_with_cells_joined(self) -> None:
        source = "| Measure | Result |\n|---|---:|\n| Relief \\| pain | Reduced for 64% of patients |\n"
        document = read_markdown("x.md", source)
        header, row = document.blocks
        assert (header.kind, header.text) == ("table-header", "Measure | Result")
        assert (row.kind, row.text) == ("table-row", "Relief | pain | Reduced for 64% of patients")
        assert at(document, row, "Reduced") == source.index("Reduced")
        assert at(document, row, "pain") == source.index("pain")
        separator = row.text.index(" | Reduced")
        # The separator maps onto the start of the next cell, never into the markup between cells.
        assert [row.offsets.start(separator + i) for i in range(3)] == [source.index("Reduced")] * 3
        assert header.group == row.group is not None

    def test_table_rows_start_lines_groups_and_empty_cells(self) -> None:
        source = (
            "Intro.\n\n"
            "| Outcome | Share |\n| --- | --- |\n| Back to golf | 81% |\n|  | Individual outcomes vary |\n\n"
            "> | Quoted | Table |\n> |---|---|\n> | Relief **for** | 7 in 10 |\n"
        )
        document = read_markdown("x.md", source)
        rows = [(b.kind, b.text, b.group, where(document, b)) for b in document.blocks]
        assert [(kind, text, line, column) for kind, text, _, (line, column) in rows] == [
            ("paragraph", "Intro.", 1, 1),
            ("table-header", "Outcome | Share", 3, 3), ("table-row", "Back to golf | 81%", 5, 3),
            ("table-row", "Individual outcomes vary", 6, 6),
            ("table-header", "Quoted | Table", 8, 5), ("table-row", "Relief for | 7 in 10", 10, 5),
        ]
        groups = [group for _, _, group, _ in rows]
        assert groups[0] is None
        assert groups[1] == groups[2] == groups[3] and groups[4] == groups[5] and groups[1] != groups[4]
        assert all(block.visible for block in document.blocks)

    def test_html_blocks_groups_are_renumbered_to_stay_unique(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = markdown.HtmlBlocks.read

        def grouped(self: markdown.HtmlBlocks) -> markdown.HtmlBlocks:
            original(self)
            self.blocks = [dataclasses.replace(block, group=1) for block in self.blocks]  # as the HTML reader's
            return self

        monkeypatch.setattr(markdown.HtmlBlocks, "read", grouped)
        source = ("| A | B |\n|---|---|\n| c | d |\n\n<table><tr><td>e</td><td>f</td></tr></table>\n\n"
                  "<p>g</p>\n")
        document = read_markdown("x.md", source)
        assert [(b.text, b.group) for b in document.blocks] == [("A | B", 1), ("c | d", 1), ("e | f", 2),
                                                                ("g", 3)]

    @pytest.mark.parametrize("front_matter", [
        "---\ntitle: Relief\nsummary: 92% of patients improved\n---\n",
        "---\r\ntitle: Relief\r\nsummary: 92% of patients improved\r\n...\r\n",
        "+++\ntitle = \"Relief\"\nsummary = \"92% of patients improved\"\n+++\n",
    ])
    def test_front_matter_published_keys_are_metadata(self, front_matter: str) -> None:
        source = front_matter + "\nBody text.\n"
        document = read_markdown("x.md", source)
        assert kinds(document) == [("metadata", "Relief"), ("metadata", "92% of patients improved"),
                                   ("paragraph", "Body text.")]
        assert at(document, document.blocks[1], "92%") == source.index("92%")
        assert at(document, document.blocks[2], "Body") == source.index("Body")

    def test_front_matter_scalar_styles_map_exactly(self) -> None:
        source = (
            "---\n"
            "title: 'Nine in ten ''returned'' to work'\n"
            "description: \"An FDA\\u2011approved sealant\\tused\"\n"
            "summary: Most patients\n  improved within\n\n  a year\n"
            "excerpt: >\n  Folded 64% of\n  patients\n"
            "tags: [93% club]\n"
            "date: 2024-05-01\n"
            "author: Dr 85%\n"
            "---\n"
        )
        document = read_markdown("x.md", source)
        assert [(b.kind, b.text, where(document, b)) for b in document.blocks] == [
            ("metadata", "Nine in ten 'returned' to work", (2, 9)),
            ("metadata", "An FDA\u2011approved sealant\tused", (3, 15)),
            ("metadata", "Most patients improved within\na year", (4, 10)),
            ("metadata", "Folded 64% of patients", (9, 3)),
        ]
        title, description, summary, excerpt = document.blocks
        quote = title.text.index("'")
        assert source_of(document, title, quote, quote + 1) == "''"
        hyphen = description.text.index("\u2011")
        assert source_of(document, description, hyphen, hyphen + 1) == "\\u2011"
        assert at(document, description, "approved") == source.index("approved")
        fold = summary.text.index(" improved")
        assert source_of(document, summary, fold, fold + 1) == "\n  "
        assert at(document, summary, "a year") == source.index("a year")
        assert at(document, excerpt, "patients") == source.index("  patients") + 2
        assert_offsets_inside(document)

    @pytest.mark.parametrize("source, expected", [
        # A thematic break, prose, a thematic break: not front matter, so the prose is linted.
        ("---\nIn our study 80% improved.\n\nMore text.\n---\n",
         [("paragraph", "In our study 80% improved."), ("heading", "More text.")]),
        ("---\nOur results: 80% improved\n---\nBody.\n", [("heading", "Our results: 80% improved"),
                                                           ("paragraph", "Body.")]),
        ("---\n- 80% improved\n---\n", [("list-item", "80% improved")]),
        ("+++\n80% improved\n+++\n", [("paragraph", "+++\n80% improved\n+++")]),
        ("---\n---\nBody.\n", [("paragraph", "Body.")]),  # empty front matter
    ])
    def test_leading_fence_is_front_matter_only_when_it_holds_a_mapping(
            self, source: str, expected: list[tuple[str, str]]) -> None:
        assert kinds(read_markdown("x.md", source)) == expected

    def test_unclosed_front_matter_fence_is_a_thematic_break(self) -> None:
        assert texts(read_markdown("x.md", "---\n92% of patients improved\n")) == ["92% of patients improved"]

    def test_comments_inline_and_in_html_blocks_in_source_order(self) -> None:
        source = (
            "<!-- claimcheck: disable-next-block CC101 -->\n"
            "Text <!-- inline\nover two lines --> more.\n\n"
            "```\n<!-- not a comment: code -->\n```\n\n"
            "> <!-- quoted -->\n"
        )
        document = read_markdown("x.md", source)
        assert [c.text for c in document.comments] == [
            "<!-- claimcheck: disable-next-block CC101 -->", "<!-- inline\nover two lines -->", "<!-- quoted -->",
        ]
        assert all(source[c.start:c.end] == c.text for c in document.comments)
        assert texts(document) == ["Text  more."]

    def test_inline_html_tags_are_dropped(self) -> None:
        document = read_markdown("x.md", "A <span class=\"stat\">90%</span> rate.")
        assert texts(document) == ["A 90% rate."]

    def test_html_blocks_are_read_as_html(self) -> None:
        source = "Intro.\n\n<div class=\"box\">\n<p><strong>60%</strong>&nbsp;relief</p>\n</div>\n\n> <p>quoted 5%</p>\n"
        document = read_markdown("x.md", source)
        assert texts(document) == ["Intro.", "60%\u00a0relief", "quoted 5%"]
        assert at(document, document.blocks[1], "60%") == source.index("60%")
        assert at(document, document.blocks[2], "quoted") == source.index("quoted")

    def test_front_matter_and_nul_characters_keep_offsets(self) -> None:
        source = "---\na: 1\n---\nA\0B \r\nnext\rline"
        document = read_markdown("x.md", source)
        assert_offsets_inside(document)
        assert document.blocks[0].text.startswith("A\ufffdB")

    @pytest.mark.parametrize("source", [
        "", "\n", "***", "[", "<!--", "<", "`", "- ", "> " * 200 + "deep", "*" * 1000 + "a", "[" * 500 + "a",
        "|a|\n|-|\n" * 50, "\ud800", "\t- \tx\n\t\t- y", "#" * 10 + " x", "&#99999999999999;", "\x0b\x0c\u2028",
        "---\n---", "+++\n", "<div>\n" * 200, "1. a\n" * 200,
    ])
    def test_never_raises_and_offsets_stay_inside(self, source: str) -> None:
        assert_offsets_inside(read_markdown("x.md", source))

    def test_large_inputs(self) -> None:
        items = "- 90% of patients improved\n" * 10_000
        document = read_markdown("x.md", items)
        assert len(document.blocks) == 10_000
        assert document.blocks[-1].source_start == len(items) - len("90% of patients improved\n")

    def test_claim_in_120_nested_blockquotes_is_read(self) -> None:
        source = "Intro.\n\n" + "> " * 120 + "Nine in ten patients improved.\n"
        document = read_markdown("x.md", source)
        block = document.blocks[1]
        assert (block.kind, block.text) == ("blockquote", "Nine in ten patients improved.")
        assert where(document, block) == (3, 241)

    def test_claim_in_a_list_nested_50_deep_is_read(self) -> None:
        source = "".join("  " * depth + f"- level {depth}\n" for depth in range(50)) + \
            "  " * 50 + "- Nine in ten patients improved.\n"
        document = read_markdown("x.md", source)
        block = document.blocks[-1]
        assert (block.kind, block.text) == ("list-item", "Nine in ten patients improved.")
        assert where(document, block) == (51, 103)
        assert len(document.blocks) == 51

    def test_nesting_past_the_limit_is_a_located_error(self) -> None:
        source = "Intro.\n\n  " + "> " * (MAX_NESTING + 5) + "Nine in ten patients improved.\n"
        with pytest.raises(InputError) as raised:
            read_markdown("deep.md", source)
        assert str(raised.value) == (f"deep.md:3:3: error: markup is nested more than {MAX_NESTING} levels "
                                     "deep (quotes, lists); claimcheck cannot read what is nested below that")

    def test_a_failure_inside_the_reader_is_a_located_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def broken(self: object, token: object, kind: str) -> None:
            raise ValueError("boom")

        monkeypatch.setattr(markdown._Reader, "_inline", broken)
        with pytest.raises(InputError) as raised:
            read_markdown("x.md", "# Title\n\n  Body line.\n")
        assert str(raised.value) == ("x.md:1:1: error: cannot read this Markdown (ValueError: boom); please "
                                     "report this draft")

    def test_a_block_whose_offsets_do_not_fit_is_a_located_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = markdown._Reader._content_map

        def short(self: markdown._Reader, token: Token, kind: str) -> markdown._ContentMap | None:
            content_map = original(self, token, kind)
            if content_map is not None and "claim" in token.content:
                content_map.length -= 1
            return content_map

        monkeypatch.setattr(markdown._Reader, "_content_map", short)
        with pytest.raises(InputError) as raised:
            read_markdown("x.md", "Fine.\n\n- 80% claim\n")
        assert str(raised.value) == ("x.md:3:1: error: cannot map this block's text back to the source; please "
                                     "report this draft")

    def test_an_html_block_that_does_not_fit_is_a_located_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        original = markdown.HtmlBlocks.read

        def truncated(self: markdown.HtmlBlocks) -> markdown.HtmlBlocks:
            self.text = self.text[:-1]
            return original(self)

        monkeypatch.setattr(markdown.HtmlBlocks, "read", truncated)
        with pytest.raises(InputError) as raised:
            read_markdown("x.md", "Fine.\n\n<div>\n<p>80% improved</p>\n</div>\n")
        assert str(raised.value) == ("x.md:3:1: error: cannot map this HTML block back to the source; please "
                                     "report this draft")


# -- HTML -----------------------------------------------------------------------------------------------


class TestHtml:
    def test_dispatch_format_and_source(self) -> None:
        source = "<p>Body text.</p>"
        document = parse("page.htm", source)
        assert document.format == "html"
        assert document.source == source

    def test_block_kinds(self) -> None:
        source = (
            "<h2>Heading</h2><p>Paragraph</p><ul><li>Item</li></ul><table><tr><th>Head</th><td>Cell</td></tr>"
            "<caption>Table caption</caption></table><blockquote>Quote</blockquote><figure><img src=x>"
            "<figcaption>Figure caption</figcaption></figure><dl><dt>Term</dt><dd>Definition</dd></dl>"
            "<details><summary>Summary</summary>Details text</details>"
        )
        document = read_html("x.html", source)
        assert kinds(document) == [
            ("heading", "Heading"), ("paragraph", "Paragraph"), ("list-item", "Item"),
            ("table-row", "Head | Cell"), ("caption", "Table caption"), ("blockquote", "Quote"),
            ("caption", "Figure caption"), ("term", "Term"), ("definition", "Definition"),
            ("summary", "Summary"), ("paragraph", "Details text"),
        ]
        assert [block.visible for block in document.blocks] == [True] * 10 + [False]  # a closed <details>

    def test_loose_text_is_split_at_block_tags(self) -> None:
        source = "<body>Loose text<div>in a div <p>a paragraph</p> tail</div><section>more</section>end"
        assert texts(read_html("x.html", source)) == ["Loose text", "in a div", "a paragraph", "tail", "more",
                                                     "end"]

    def test_implied_end_tags(self) -> None:
        source = "<ul><li>one<li>two<p>para<li>three</ul><p>next"
        assert kinds(read_html("x.html", source)) == [
            ("list-item", "one"), ("list-item", "two"), ("paragraph", "para"), ("list-item", "three"),
            ("paragraph", "next"),
        ]

    def test_inline_tags_do_not_break_a_claim(self) -> None:
        source = "<p><strong>83%</strong> of patients reported\n   lasting <a href='/r'>relief</a>.</p>"
        document = read_html("x.html", source)
        block = document.blocks[0]
        assert block.text == "83% of patients reported lasting relief."
        assert at(document, block, "83%") == source.index("83%")
        assert at(document, block, "lasting") == source.index("lasting")
        space = block.text.index(" lasting")
        assert block.offsets.start(space) == source.index("\n")  # the first character of the run

    def test_white_space_collapses_and_trims(self) -> None:
        source = "<p>\n   a \t\n b <br> c&#32;&#32;d  </p>"
        document = read_html("x.html", source)
        assert texts(document) == ["a b c d"]

    @pytest.mark.parametrize("entity, decoded", [
        ("&nbsp;", "\u00a0"), ("&#8209;", "\u2011"), ("&amp;", "&"), ("&rsquo;", "\u2019"), ("&#x2011;", "\u2011"),
        ("&amp", "&"), ("&notit;", "\u00acit;"), ("&#0;", "\ufffd"), ("&#x110000;", "\ufffd"),
        ("&#999999999999999999999999;", "\ufffd"), ("&#128;", "\u20ac"), ("&bogus;", "&bogus;"), ("&", "&"),
    ])
    def test_character_references(self, entity: str, decoded: str) -> None:
        source = f"<p>x{entity}y</p>"
        document = read_html("x.html", source)
        block = document.blocks[0]
        assert block.text == f"x{decoded}y"
        assert at(document, block, "y") == source.index("y</p>")
        if len(decoded) == 1 and decoded != entity:
            assert source_of(document, block, 1, 2) == entity

    def test_fda_wording_across_tags_and_a_nonbreaking_hyphen(self) -> None:
        source = "<li>An <b>FDA</b>&#8209;approved\n  sealant</li>"
        document = read_html("x.html", source)
        block = document.blocks[0]
        assert block.text == "An FDA\u2011approved sealant"
        start = block.text.index("FDA")
        assert source_of(document, block, start, start + len("FDA\u2011approved")) == "FDA</b>&#8209;approved"

    def test_non_prose_elements_are_skipped(self) -> None:
        source = (
            "<html><head><title>94% recommend</title><meta charset=utf-8><style>p{width:75%}</style>"
            "<script>var s = '<p>80% improved</p>';</script></head><body>"
            "<template><p>90% success</p></template><noscript><p>88% improved</p></noscript>"
            "<pre>9 out of 10</pre><svg><title>70%</title><rect/></svg><svg/><select><option>60%</option>"
            "</select><img alt='50% improved'><p>Visible</p><textarea>40%</textarea></body></html>"
        )
        assert kinds(read_html("x.html", source)) == [
            ("metadata", "94% recommend"), ("metadata", "50% improved"), ("paragraph", "Visible")]

    def test_text_ends_an_unclosed_head(self) -> None:
        source = "<head><title>T</title><meta charset=utf-8>Visible 20%<p>Para</p>"
        assert texts(read_html("x.html", source)) == ["T", "Visible 20%", "Para"]
        assert texts(read_html("x.html", "<head><link rel=x><div>Block</div>")) == ["Block"]

    def test_comments_in_source_order(self) -> None:
        source = (
            "<!-- first -->\n<p>Text<!-- claimcheck: disable-next-block CC101 -->more</p>"
            "<script>'<!-- not a comment -->'</script><!--><!---><!-- a --!><!-- unclosed"
        )
        document = read_html("x.html", source)
        assert [c.text for c in document.comments] == [
            "<!-- first -->", "<!-- claimcheck: disable-next-block CC101 -->", "<!-->", "<!--->",
            "<!-- a --!>", "<!-- unclosed",
        ]
        assert all(source[c.start:c.end] == c.text for c in document.comments)
        assert texts(document) == ["Textmore"]

    def test_doctype_processing_instructions_and_bogus_markup(self) -> None:
        source = "<!DOCTYPE html><?xml version='1.0'?><![CDATA[x]]></3 junk><p>a < b</>c</p>"
        document = read_html("x.html", source)
        assert texts(document) == ["a < bc"]  # each bogus construct runs to its first ">"
        assert document.comments == []

    def test_attributes_with_markup_characters(self) -> None:
        source = "<p title='a > b' data-x=\"<p>\" class=x/y>Text</p><p x=a'b>Second</p><a href=>Link</a>"
        assert texts(read_html("x.html", source)) == ["Text", "Second", "Link"]

    def test_tag_cut_off_by_the_end_of_file(self) -> None:
        assert texts(read_html("x.html", "<p>Kept</p><a href='unclosed>gone")) == ["Kept"]

    @pytest.mark.parametrize("source", [
        "", "<", "&", "<!", "</", "</>", "<a", "<!--", "<p>&#", "&#x", "\ud800", "<p>\x00</p>", "<" * 100,
        "<script>", "<title>", "<plaintext><p>x", "</br>", "<p/>", "<li>" * 300, "\r\n\r\n", "<a b='",
        "<div>" * 10_000 + "deep" + "</div>" * 5000, "</span>" * 1000, "<![CDATA[<p>x]]>",
    ])
    def test_never_raises_and_offsets_stay_inside(self, source: str) -> None:
        assert_offsets_inside(read_html("x.html", source))

    def test_large_inputs(self) -> None:
        items = "<ul>" + "<li>90% of patients improved" * 100_000 + "</ul>"
        document = read_html("x.html", items)
        assert len(document.blocks) == 100_000
        assert document.blocks[-1].source_start == items.rindex("90%")

    @pytest.mark.parametrize("unit", ["<!--x", "<a x='", "</a", "<!x", "<?x", "&#", "<", "<a "])
    def test_unterminated_markup_is_read_in_linear_time(self, unit: str) -> None:
        source = unit * 40_000  # html.parser on Python 3.11 needs about a minute for 40,000 "<!--x"
        started = time.perf_counter()
        assert_offsets_inside(read_html("x.html", source))
        assert time.perf_counter() - started < 5


def test_markdown_claim_nested_fifty_levels_deep_is_linted() -> None:
    from conftest import lint_text

    findings = lint_text("> " * 50 + "Nine in ten patients improved.\n", path="deep.md")
    assert [(f.code, f.position.line, f.position.column) for f in findings if f.code == "CC101"] == [
        ("CC101", 1, 101)]


@pytest.mark.parametrize("name, draft, line", [
    ("quotes.md", "> " * 120 + "Nine in ten patients improved.\n", "quotes.md:1:241: CC101 "),
    ("lists.md", "".join("  " * d + "- level\n" for d in range(50)) + "  " * 50 + "- Nine in ten patients "
     "improved.\n", "lists.md:51:103: CC101 "),
])
def test_deeply_nested_claims_are_reported_by_the_command(tmp_path: Path, name: str, draft: str,
                                                          line: str) -> None:
    from conftest import run_cli

    (tmp_path / name).write_text(draft)
    result = run_cli("check", "--isolated", "--no-cache", "--no-source", "--format", "concise", name,
                     cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert next(entry for entry in result.stdout.splitlines() if "CC101" in entry).startswith(line)


def test_markdown_nested_past_the_limit_fails_that_draft_with_exit_2(tmp_path: Path) -> None:
    from conftest import run_cli

    (tmp_path / "deep.md").write_text("> " * 5000 + "Nine in ten patients improved.\n")
    (tmp_path / "good.md").write_text("Nine in ten patients improved.\n")
    result = run_cli("check", "--isolated", "--no-cache", "--no-source", "--format", "concise", "deep.md",
                     "good.md", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"deep.md:1:1: error: markup is nested more than {MAX_NESTING} levels deep (quotes, lists); "
        "claimcheck cannot read what is nested below that")
    assert "good.md:1:1: CC101 " in result.stdout


def test_markdown_image_alt_text_is_a_metadata_block_in_source_order() -> None:
    source = ("![She lost 46 pounds](a.jpg)\n\nText with ![a 40% drop](b.png) inside.\n\n"
              "| Photo | Note |\n|---|---|\n| ![9 in 10 improved](c.png) | ok |\n")
    document = read_markdown("x.md", source)
    described = [(b.kind, b.text, str(document.lines.position(b.source_start))) for b in document.blocks]
    assert [(kind, text) for kind, text, _ in described] == [
        ("metadata", "She lost 46 pounds"), ("paragraph", "Text with  inside."), ("metadata", "a 40% drop"),
        ("table-header", "Photo | Note"), ("metadata", "9 in 10 improved"), ("table-row", "ok")]
    alt = document.blocks[4]
    assert document.source[alt.source_start:alt.source_end] == "9 in 10 improved"
    assert document.lines.position(alt.source_start).line == 7
