"""The HTML reader's view of hidden text, published metadata, tables and figures, and what browsers show.

Each test reads a small page and asserts every block: kind, text, whether it is visible, its group (named
A, B… in order of appearance, ``-`` for none) and the line:column of its first character in the source.
"""

from __future__ import annotations

import time

import pytest

from claimcheck.documents import Document
from claimcheck.documents.html import read_html


def describe(source: str) -> list[tuple[str, str, bool, str, str]]:
    document = read_html("x.html", source)
    names: dict[int, str] = {}
    described = []
    for block in document.blocks:
        group = "-" if block.group is None else names.setdefault(block.group, "ABCDEFGH"[len(names)])
        position = document.lines.position(block.source_start)
        described.append((block.kind, block.text, block.visible, group, f"{position.line}:{position.column}"))
    return described


def source_of(document: Document, index: int, text: str) -> str:
    """The source that ``text`` in block ``index`` comes from."""
    block = document.blocks[index]
    start = block.text.index(text)
    return document.source[block.offsets.start(start):block.offsets.end(start + len(text))]


# -- hidden text ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("opening, closing", [
    ("<span hidden>", "</span>"),
    ("<span hidden=until-found>", "</span>"),
    ("<span style='DISPLAY : None !important'>", "</span>"),
    ("<span style=\"color:red;visibility:hidden\">", "</span>"),
    ("<span style='font-size: 0'>", "</span>"),
    ("<span style='font-size:0.0em'>", "</span>"),
    ("<span style='opacity:0'>", "</span>"),
    ("<span style='color:TRANSPARENT'>", "</span>"),
    ("<span style='position:absolute; clip: rect(0 0 0 0)'>", "</span>"),
    ("<span style='clip:rect(1px, 1px, 1px, 1px)'>", "</span>"),
    ("<span style='clip-path: inset(50%)'>", "</span>"),
    ("<span style='text-indent:-9999px'>", "</span>"),
    ("<span style='position: absolute; left: -100em'>", "</span>"),
    ("<span style='display&#58;none'>", "</span>"),
    ("<span class='note sr-only'>", "</span>"),
    ("<b class=visually-hidden>", "</b>"),
    ("<span class=screen-reader-text>", "</span>"),
    ("<del>", "</del>"),
    ("<span class=fine>", "</span>"),  # hidden by the page's <style> rule
    ("<span id=Legal>", "</span>"),  # hidden by an id rule
])
def test_hidden_text_inside_a_paragraph_is_a_hidden_block_of_its_own(opening: str, closing: str) -> None:
    style = "<style>p { margin: 0 } .Fine, .other{display:none} #legal { visibility: hidden }</style>\n"
    source = f"{style}<p>80% improved. {opening}Individual results vary.{closing} Call us.</p>"
    column = len("<p>80% improved. ") + len(opening) + 1
    assert describe(source) == [
        ("paragraph", "80% improved. Call us.", True, "A", "2:4"),
        ("paragraph", "Individual results vary.", False, "A", f"2:{column}"),
    ]


@pytest.mark.parametrize("opening, closing", [
    ("<span aria-hidden='true'>", "</span>"),  # hidden from screen readers only: a visitor sees it
    ("<s>", "</s>"),  # struck text is still shown
    ("<span style='display:block;font-size:10px;opacity:0.5'>", "</span>"),
    ("<span class='sr-only-focusable'>", "</span>"),
    ("<span class=print>", "</span>"),  # hidden only by an @media rule
    ("<span data-hidden>", "</span>"),
    ("<span style='clip: rect(0, 100px, 20px, 0); margin-left: -20px; clip-path: inset(10%)'>", "</span>"),
    ("<span style='color: transparent'><b style='color:#333'>", "</b></span>"),
])
def test_text_a_visitor_sees_stays_in_its_paragraph(opening: str, closing: str) -> None:
    source = f"<style>@media print {{ .print {{ display: none }} }}</style><p>80% {opening}improved{closing}.</p>"
    assert [(kind, text, visible) for kind, text, visible, _, _ in describe(source)] == [
        ("paragraph", "80% improved.", True)]


def test_a_descendant_shows_again_what_visibility_or_a_zero_font_size_hid() -> None:
    source = ("<style>.row { font-size: 0 } .cell { font-size: 14PX } .x { display: none }</style>\n"
              "<ul style='font-size:0'><li style='font-size: 16px'>A</li><li>B</li><li style='font-size:2em'>C</li>"
              "</ul>\n<div class=row><span class=cell>D</span>E</div>\n"
              "<div style='visibility:hidden'><b style='visibility:visible'>F</b> G</div>\n"
              "<div style='display:none'><p style='display:block;visibility:visible;font-size:16px'>H</p></div>\n"
              "<p class=x style='display: block'>I</p><p class=x style='font-size:16px'>J</p>")
    assert [(text, visible) for _, text, visible, _, _ in describe(source)] == [
        ("A", True), ("B", False), ("C", False), ("D", True), ("E", False), ("F", True), ("G", False),
        ("H", False), ("I", True), ("J", False)]


def test_a_style_rule_after_the_element_still_hides_it() -> None:
    source = "<div class='a b'>Individual outcomes vary.</div><p>Visible</p>\n<style>.a.b{font: 0/0 a}</style>"
    assert describe(source) == [
        ("paragraph", "Individual outcomes vary.", False, "-", "1:18"),
        ("paragraph", "Visible", True, "-", "1:52"),
    ]


def test_a_hidden_container_hides_every_block_in_it() -> None:
    source = "<div hidden>\n<p>One 90%</p>\n<ul><li>Two</li></ul>\n</div>\n<p>Shown</p>"
    assert describe(source) == [
        ("paragraph", "One 90%", False, "-", "2:4"),
        ("list-item", "Two", False, "-", "3:9"),
        ("paragraph", "Shown", True, "-", "5:4"),
    ]


def test_nested_hidden_elements_end_where_their_element_ends() -> None:
    source = "<p>a <span hidden>b <span>c</span> d <i>e</i></span> f <span hidden>g</span>h</p>"
    assert describe(source) == [
        ("paragraph", "a f h", True, "A", "1:4"),
        ("paragraph", "b c d e", False, "A", "1:19"),
        ("paragraph", "g", False, "A", "1:69"),
    ]


def test_an_inline_end_tag_does_not_close_across_a_block() -> None:
    # </span> inside the <div> is ignored (as browsers do), so the hidden span goes on to the </section>.
    source = "<section><span hidden>a<div>b</span>c</div>d</section><p>e</p>"
    assert [(text, visible) for _, text, visible, _, _ in describe(source)] == [
        ("a", False), ("bc", False), ("d", False), ("e", True)]


def test_closed_details_show_only_their_summary() -> None:
    source = ("<details><summary>Results</summary><p>Individual results vary.</p></details>\n"
              "<details open><summary>More</summary>Shown</details>\n"
              "<dialog><p>Closed dialog</p></dialog><dialog open>Open dialog</dialog>")
    assert describe(source) == [
        ("summary", "Results", True, "-", "1:19"),
        ("paragraph", "Individual results vary.", False, "-", "1:39"),
        ("summary", "More", True, "-", "2:24"),
        ("paragraph", "Shown", True, "-", "2:38"),
        ("paragraph", "Closed dialog", False, "-", "3:12"),
        ("paragraph", "Open dialog", True, "-", "3:51"),
    ]


def test_hidden_cells_leave_the_row_and_share_the_table_group() -> None:
    source = "<table><tr><th>Relief</th><td hidden>Individual results vary</td><td>80%</td></tr></table>"
    document = read_html("x.html", source)
    assert describe(source) == [
        ("table-row", "Relief | 80%", True, "A", "1:16"),
        ("table-row", "Individual results vary", False, "A", "1:38"),
    ]
    assert source_of(document, 0, " | ") == "8"  # the first character of the next cell


# -- what browsers show -----------------------------------------------------------------------------------


def test_fallback_content_and_raw_text_that_browsers_show() -> None:
    source = ("<object data=x.swf><param name=a value=b><p>Object fallback</p></object>\n"
              "<map name=m><area href=/a alt='Area &amp; alt'><a href=/b>Map link</a></map>\n"
              "<xmp>Raw <b>&amp;</b> text</xmp>\n"
              "<p>Before <svg/> after</p>\n"
              "<svg><title>Tooltip</title><g><text x=1>SVG <tspan>text</tspan></text></g>"
              "<foreignObject><p>Foreign <b>object</b></p></foreignObject><desc>Skipped</desc></svg>\n"
              "<p>Sum <math><mi>x</mi><mtext>nine in ten</mtext></math> end</p>")
    assert describe(source) == [
        ("paragraph", "Object fallback", True, "-", "1:45"),
        ("metadata", "Area & alt", True, "-", "2:32"),
        ("paragraph", "Map link", True, "-", "2:59"),
        ("paragraph", "Raw <b>&amp;</b> text", True, "-", "3:6"),
        ("paragraph", "Before after", True, "-", "4:4"),
        ("paragraph", "SVG text", True, "-", "5:41"),
        ("paragraph", "Foreign object", True, "-", "5:93"),
        ("paragraph", "Sum nine in ten end", True, "-", "6:4"),
    ]


def test_plaintext_makes_the_rest_of_the_file_text() -> None:
    source = "<p>First</p><plaintext>Rest <p>of &amp; the</p>\nfile"
    assert describe(source) == [
        ("paragraph", "First", True, "-", "1:4"),
        ("paragraph", "Rest <p>of &amp; the</p> file", True, "-", "1:24"),
    ]


def test_a_self_closing_or_unclosed_pre_does_not_hide_the_page() -> None:
    source = "<pre/><p>After an empty pre</p><pre>code 90%\n<div>After unclosed pre</div>"
    assert describe(source) == [
        ("paragraph", "After an empty pre", True, "-", "1:10"),
        ("paragraph", "After unclosed pre", True, "-", "2:6"),
    ]


# -- published metadata -----------------------------------------------------------------------------------


def test_title_meta_descriptions_and_alt_text_are_metadata_blocks() -> None:
    source = ("<html><head>\n<title>94&#37; recommend &amp; return</title>\n"
              "<meta charset=utf-8><meta name=keywords content='not copy'>\n"
              "<meta name=\"Description\" content=\"Nine in ten &mdash; FDA\">\n"
              "<meta name=viewport property='og:title' content='OG title'><meta content=\"OG desc\" property=og:description>\n"
              "<meta name=twitter:title content=TT><meta name=twitter:description content='TD &copy=x'>\n"
              "</head><body><p>Body <img src=a.png alt=\"80% &amp; more\"> text</p>"
              "<div hidden><img alt='Hidden image'></div></body></html>")
    document = read_html("x.html", source)
    assert describe(source) == [
        ("metadata", "94% recommend & return", True, "-", "2:8"),
        ("metadata", "Nine in ten \u2014 FDA", True, "-", "4:35"),
        ("metadata", "OG title", True, "-", "5:50"),
        ("metadata", "OG desc", True, "-", "5:75"),
        ("metadata", "TT", True, "-", "6:34"),
        ("metadata", "TD &copy=x", True, "-", "6:77"),  # "&copy" before "=" is not a reference here
        ("paragraph", "Body text", True, "-", "7:17"),
        ("metadata", "80% & more", True, "-", "7:42"),
        ("metadata", "Hidden image", False, "-", "7:89"),
    ]
    assert source_of(document, 0, "%") == "&#37;"
    assert source_of(document, 1, "\u2014") == "&mdash;"
    assert source_of(document, 7, "& more") == "&amp; more"


# -- tables and figures -----------------------------------------------------------------------------------


def test_each_row_is_a_block_and_the_table_is_one_group() -> None:
    source = ("<table>\n<caption>Outcomes at one year</caption>\n"
              "<thead><tr><th>Measure<th>Result</thead>\n"
              "<tr><th scope=col>Group</th><th scope=\"COL\">Share</th></tr>\n"
              "<tr><th scope=row>Patients reaching 20/20</th>\n  <td> <p>94%</p> </td><td></td><td>n = 80</td></tr>\n"
              "<tr><td>Relief</td><td>72%</td>\n</table>\n"
              "<table><tr><td>Second table</td></tr></table>")
    document = read_html("x.html", source)
    assert describe(source) == [
        ("caption", "Outcomes at one year", True, "A", "2:10"),
        ("table-header", "Measure | Result", True, "A", "3:16"),
        ("table-header", "Group | Share", True, "A", "4:19"),
        ("table-row", "Patients reaching 20/20 | 94% | n = 80", True, "A", "5:19"),
        ("table-row", "Relief | 72%", True, "A", "7:9"),
        ("table-row", "Second table", True, "B", "9:16"),
    ]
    row = document.blocks[3]
    first = row.text.index(" | ")
    assert row.offsets.start(first) == row.offsets.end(first + 3) - 1 == source.index("94%")
    second = row.text.index(" | ", first + 1)
    assert row.offsets.start(second) == row.offsets.end(second + 3) - 1 == source.index("n = 80")
    assert row.offsets.start(row.text.index("n = 80")) == source.index("n = 80")
    assert row.group == source.index("<table>")


def test_a_row_of_header_cells_heads_the_table_unless_they_head_rows() -> None:
    source = ("<table><tr><th>Measure</th><th>Result</th></tr><tr><th scope=row>Relief</th><td>80%</td></tr>"
              "<tr><th scope=row>Pain</th><th scope=ROW>Less</th></tr></table>")
    assert [(kind, text) for kind, text, _, _, _ in describe(source)] == [
        ("table-header", "Measure | Result"), ("table-row", "Relief | 80%"), ("table-row", "Pain | Less")]


def test_a_nested_table_has_its_own_group_and_the_enclosing_row_goes_on() -> None:
    source = ("<table><tr><td>Outer start<table><tr><td>Inner</td><td>row</td></tr></table>"
              "outer end</td><td>next</td></tr></table>")
    assert describe(source) == [
        ("table-row", "Outer start outer end | next", True, "A", "1:16"),
        ("table-row", "Inner | row", True, "B", "1:42"),
    ]


def test_cells_outside_a_row_and_unclosed_rows() -> None:
    source = "<table><td>a<td>b<tr><td>c</table><p>after"
    assert describe(source) == [
        ("table-row", "a | b", True, "A", "1:12"),
        ("table-row", "c", True, "A", "1:26"),
        ("paragraph", "after", True, "-", "1:38"),
    ]


def test_a_figure_and_everything_in_it_share_one_group() -> None:
    source = ("<figure><img src=c.png alt='Chart of 80%'><p>Most patients improved.</p>"
              "<table><tr><td>Relief</td><td>80%</td></tr></table>"
              "<figcaption>Individual results vary.</figcaption></figure><p>Outside</p>"
              "<figure><figcaption>Second</figcaption></figure>")
    assert describe(source) == [
        ("metadata", "Chart of 80%", True, "A", "1:29"),
        ("paragraph", "Most patients improved.", True, "A", "1:46"),
        ("table-row", "Relief | 80%", True, "A", "1:88"),
        ("caption", "Individual results vary.", True, "A", "1:136"),
        ("paragraph", "Outside", True, "-", "1:185"),
        ("caption", "Second", True, "B", "1:216"),
    ]


# -- growth -----------------------------------------------------------------------------------------------


def _seconds(source: str) -> float:
    """CPU seconds of the best of two reads (CPU time, so other processes on the machine do not count)."""
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        read_html("x.html", source)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("unit", [
    "<span hidden>a ", "<table><tr><td>x", "<td>x", "<details>x", "<style>", "<style>/*", "<style>.a{",
    "<svg><text>x", "<math><mtext>x", "<figure><p>x", "<img alt='a &amp; b'>", "<pre>", "<b><p>x",
])
def test_new_structures_are_read_in_linear_time(unit: str) -> None:
    small, large = unit * 10_000, unit * 40_000
    ratio = _seconds(large) / max(_seconds(small), 0.01)  # below 10 ms, timer noise dominates
    assert ratio < 12, ratio  # linear growth is 4x; quadratic would be 16x


# -- layout tables ----------------------------------------------------------------------------------------


def test_a_layout_table_is_read_as_divisions_not_as_one_table() -> None:
    """E-mail templates lay the page out with role="presentation" tables: each heading and paragraph in a
    cell is its own block, with no table group (a qualifier in one cell must not cover the whole e-mail);
    a data table inside one is still a table."""
    source = ('<table role="presentation"><tr>\n'
              '<td><h2>Body contouring</h2>\n<p>Fat fell 25% per session.</p></td>\n'
              '<td><p>Individual results vary.</p>\n'
              '<table><tr><th scope="row">Kept</th><td>96%</td></tr></table></td>\n'
              '</tr></table>\n<p>After.</p>\n')
    assert describe(source) == [
        ("heading", "Body contouring", True, "-", "2:9"),
        ("paragraph", "Fat fell 25% per session.", True, "-", "3:4"),
        ("paragraph", "Individual results vary.", True, "-", "4:8"),
        ("table-row", "Kept | 96%", True, "A", "5:28"),
        ("paragraph", "After.", True, "-", "7:4"),
    ]
