"""Property: whatever the markup around a claim, every finding points at the claim's place in the source.

Documents are built from claim sentences with random markup (bold, links, entities, line breaks, lists,
tables, blockquotes, headings, comments). For every finding, the offsets lie inside the source, the source
at the start offset begins with the finding's excerpt, line:column agree with the offset, and the first
visible character of the claim is the source character it is mapped to.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.documents import Document, parse
from claimcheck.model import Finding

from conftest import lint_text

CLAIMS = [
    "In our audit 83% of patients reported lasting relief",
    "Nine out of ten patients would recommend the program",
    "Pain scores dropped from 7 to 2 after treatment",
    "Patients were twice as likely to return to work",
    "Our FDA-approved sealant is used at every visit",
    "The technique was cleared by the FDA in 2019",
    "Two-thirds of our golfers were back to golf",
    "About 64% of runners saw reduced pain",
]
FILLER = ["Call our front desk today", "Parking is free", "Our team answers within a day"]

settings.register_profile("readers", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

any_words = st.sampled_from(CLAIMS + FILLER).map(str.split)
claim_words = st.sampled_from(CLAIMS).map(str.split)


def check(source: str, findings: list[Finding]) -> None:
    assert any(not f.document_level for f in findings), "every generated draft holds a claim"
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(source)
        assert source.startswith(finding.excerpt, finding.start)
        line = source.count("\n", 0, finding.start) + 1
        column = finding.start - (source.rfind("\n", 0, finding.start) + 1) + 1
        assert (finding.position.line, finding.position.column) == (line, column)
        if finding.text and finding.text[0].isalnum():
            assert source[finding.start] == finding.text[0], (finding.text, finding.excerpt)


# Source that is markup, never visible text: link destinations and titles, comments, tags and their
# attributes, front-matter fences, keys and unpublished values, code, and the <script> of the generated
# head (a <title> is published metadata).
NOT_TEXT = {
    "x.md": re.compile(r"\]\([^)]*\)|<!--.*?-->|^(?:---|\+\+\+)$|^(?:tags|date) *[:=][^\n]*|^[a-z]+ *[:=] *[>|]?"
                       r"|```.*?```", re.DOTALL | re.MULTILINE),
    "x.html": re.compile(r"<!--.*?-->|<script>.*?</script>|<[^>]*>", re.DOTALL),
}
# Where the text of a metadata block may come from: a published attribute value or the <title>.
PUBLISHED = re.compile(r"""(?:alt|content)=(?:"([^"]*)"|'([^']*)')|<title>(.*?)</title>""", re.DOTALL)


def check_reader(path: str, source: str) -> None:
    """Every visible letter or digit maps to itself in the source (or to the "&" of its entity), never into
    markup (a metadata block: into a published attribute value or the title), and the text of a block is
    in source order; blocks come in source order."""
    document = parse(path, source)
    assert document.blocks
    markup = [match.span() for match in NOT_TEXT[path].finditer(source)]
    published = [match.span(match.lastindex or 0) for match in PUBLISHED.finditer(source)]
    starts = [block.source_start for block in document.blocks]
    assert starts == sorted(starts)
    for block in document.blocks:
        assert len(block.offsets) == len(block.text)
        previous = -1
        for index, char in enumerate(block.text):
            start = block.offsets.start(index)
            assert 0 <= start < len(source)
            assert start >= previous, (block.text, index)
            previous = start
            if char.isalnum():
                assert source[start] == char or source[start] == "&", (block.text, index, source[start])
                if block.kind == "metadata" and path.endswith(".html"):
                    assert any(low <= start < high for low, high in published), (block.text, index, start)
                else:
                    assert not any(low <= start < high for low, high in markup), (block.text, index, start)
    check_table_rows(document)


# What separates two tables: a blank line in Markdown, a table tag in HTML.
TABLE_BOUNDARY = {"x.md": re.compile(r"\n\n"), "x.html": re.compile(r"</?table\b")}


def check_table_rows(document: Document) -> None:
    """A row's " | " separators map onto the start of the cell after them, and rows share a group exactly
    when they belong to one table (nothing that ends a table between them; a row that goes on around a
    nested table, or a hidden part of a row, is another table's or its own row's business)."""
    boundary = TABLE_BOUNDARY[document.path]
    rows = [block for block in document.blocks if block.kind in ("table-header", "table-row")]
    for block in rows:
        assert block.group is not None
        for found in re.finditer(re.escape(" | "), block.text):
            separator, cell = found.start(), found.end()
            assert block.offsets.start(separator) == block.offsets.start(cell), (block.text, separator)
    for before, after in itertools.pairwise(rows):
        if before.source_end > after.source_start:
            continue
        between = document.source[before.source_end:after.source_start].replace("\r", "")
        assert (before.group == after.group) == (boundary.search(between) is None), (before.text, after.text)


# -- Markdown -------------------------------------------------------------------------------------------


@st.composite
def markdown_sentence(draw: st.DrawFn, breaks: bool = True, claim: bool = False) -> str:
    out = []
    sentence = draw(claim_words if claim else any_words)
    title = " ".join(sentence)
    for word in sentence:
        markup = draw(st.sampled_from(["plain"] * 4 + ["bold", "emphasis", "link", "code", "entity"]))
        if markup == "bold":
            word = f"**{word}**"
        elif markup == "emphasis":
            word = f"_{word}_"
        elif markup == "link":
            # The title repeats the sentence, so text found in it instead of after the link would show.
            word = f"[{word}](https://clinic.test/{draw(st.integers(0, 99))}%25 \"{word} {title}\")"
        elif markup == "code" and word.isalpha():
            word = f"`{word}`"
        elif markup == "entity" and word == "FDA-approved":
            word = "FDA&#8209;approved"
        separator = draw(st.sampled_from([" "] * 6 + (["\n", "  \n", " <!-- note -->\n"] if breaks else [])))
        out.append(word + separator)
    return "".join(out).rstrip() + draw(st.sampled_from([".", "!", ""]))


@st.composite
def yaml_value(draw: st.DrawFn) -> str:
    """A sentence as a YAML scalar in any style, for a front-matter key."""
    words = draw(any_words)
    style = draw(st.sampled_from(["plain", "single", "double", "folded", "literal", "wrapped"]))
    if style == "single":
        return "'" + " ".join(words).replace("'", "''") + "'"
    if style == "double":
        return '"' + " ".join(w.replace("-", "\\u2011") if w.startswith("FDA") else w for w in words) + '"'
    if style in ("folded", "literal"):
        half = len(words) // 2
        return (">" if style == "folded" else "|") + "\n  " + " ".join(words[:half]) + "\n  " + \
            " ".join(words[half:])
    if style == "wrapped":
        return " ".join(words[:2]) + "\n  " + " ".join(words[2:])
    return " ".join(words)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    keys = draw(st.lists(st.sampled_from(["title", "description", "summary", "excerpt", "tags", "date"]),
                         min_size=1, max_size=4, unique=True))
    lines = []
    for key in keys:
        if key == "tags":
            lines.append("tags: [93% club, recovery]")
        elif key == "date":
            lines.append("date: 2024-05-01")
        else:
            lines.append(f"{key}: {draw(yaml_value())}")
    return "---\n" + "\n".join(lines) + "\n---\n"


@st.composite
def markdown_table(draw: st.DrawFn) -> str:
    rows = draw(st.integers(1, 3))
    header = "| " + " | ".join(draw(markdown_sentence(breaks=False)).replace("|", "") for _ in range(2)) + " |"
    body = ["| " + " | ".join(draw(markdown_sentence(breaks=False)).replace("|", "") for _ in range(2)) + " |"
            for _ in range(rows)]
    return "\n".join([header, "| --- | ---: |", *body]) + "\n"


@st.composite
def markdown_document(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(draw(front_matter()))
    for _ in range(draw(st.integers(1, 4))):
        container = draw(st.sampled_from(["paragraph", "list", "quote", "heading", "table", "comment",
                                          "code"]))
        if container == "table":
            parts.append(draw(markdown_table()))
        elif container == "heading":
            parts.append(draw(st.sampled_from(["# ", "## ", "### "])) + draw(markdown_sentence(breaks=False)))
        elif container == "comment":
            parts.append("<!-- reviewer: 9 out of 10 patients improved -->")
        elif container == "code":
            parts.append("```\n80% of patients improved\n```")
        else:
            sentence = draw(markdown_sentence())
            if container == "list":
                marker = draw(st.sampled_from(["- ", "* ", "1. "]))
                lines = sentence.split("\n")
                sentence = marker + ("\n" + " " * len(marker)).join(lines)
            elif container == "quote":
                sentence = "> " + "\n> ".join(sentence.split("\n"))
            parts.append(sentence)
    parts.append(draw(markdown_sentence(claim=True)))  # always at least one plain paragraph with a claim
    return "\n\n".join(parts) + draw(st.sampled_from(["\n", "", "\r\n"]))


@settings(settings.get_profile("readers"))
@given(markdown_document())
def test_markdown_findings_point_at_the_source(source: str) -> None:
    check(source, lint_text(source, path="x.md"))


@settings(settings.get_profile("readers"))
@given(markdown_document())
def test_markdown_reader_maps_every_character(source: str) -> None:
    check_reader("x.md", source)


@settings(settings.get_profile("readers"))
@given(markdown_document())
def test_markdown_with_crlf_line_breaks(source: str) -> None:
    source = source.replace("\r\n", "\n").replace("\n", "\r\n")
    check(source, lint_text(source, path="x.md"))


# -- HTML -----------------------------------------------------------------------------------------------


@st.composite
def html_sentence(draw: st.DrawFn, claim: bool = False) -> str:
    out = []
    sentence = draw(claim_words if claim else any_words)
    for word in sentence:
        markup = draw(st.sampled_from(["plain"] * 4 + ["strong", "em", "link", "span", "comment"]))
        if word == "FDA-approved":
            word = draw(st.sampled_from(["FDA-approved", "FDA&#8209;approved", "<b>FDA</b>&#x2011;approved",
                                         "FDA&hyphen;approved"]))
        if markup in ("strong", "em", "span"):
            word = f"<{markup}>{word}</{markup}>"
        elif markup == "link":
            word = f"<a href=\"/r?p=90%25&amp;q=1\" title='{' '.join(sentence)}'>{word}</a>"
        elif markup == "comment":
            word = f"{word}<!-- {word} -->"
        separator = draw(st.sampled_from([" "] * 5 + ["\n", " \n   ", "&nbsp;", "\t", " <br>"]))
        out.append(word + separator)
    return "".join(out).rstrip() + draw(st.sampled_from([".", "&rsquo;", "!"]))


HIDING = ["<span hidden>", "<span style='DISPLAY : none'>", "<span class='x sr-only'>", "<del>",
          "<span style=\"font-size:0px\">", "<span class=gone>"]


def html_attribute(words: list[str], quote: str) -> str:
    """Words as an attribute value, with references a reader must decode by the attribute rules."""
    value = " ".join(words).replace("%", "&#37;").replace("-", "&hyphen;")
    return quote + value.replace(quote, "") + quote


@st.composite
def html_table(draw: st.DrawFn, depth: int = 0) -> str:
    rows = []
    if draw(st.booleans()):
        rows.append("<thead><tr><th scope=col>Measure</th><th scope='col'>Result</th></tr></thead>")
    for _ in range(draw(st.integers(1, 3))):
        cells = [draw(html_sentence()) for _ in range(draw(st.integers(1, 3)))]
        wrapped = [draw(st.sampled_from(["{}", "<p>{}</p>", "<div>{}</div>", "{}<br>", " {} "])).format(cell)
                   for cell in cells]
        if depth == 0 and draw(st.integers(0, 4)) == 0:
            wrapped.append(draw(html_table(depth + 1)))
        closing = draw(st.sampled_from(["</td>", ""]))
        rows.append("<tr>" + "".join(f"\n  <td>{cell}{closing}" for cell in wrapped) + "</tr>")
    caption = f"<caption>{draw(html_sentence())}</caption>" if draw(st.booleans()) else ""
    return f"<table>{caption}\n" + "\n".join(rows) + "\n</table>"


@st.composite
def html_document(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append("<!DOCTYPE html>\n<html><head><title>94% recommend &amp; return</title>"
                     "<style>.gone { display: none }</style>"
                     f"<meta name=description content={html_attribute(draw(any_words), chr(34))}>"
                     f"<meta property='og:title' content={html_attribute(draw(any_words), chr(39))}>"
                     "<script>var x = '<p>80% improved</p>';</script></head><body>")
    for _ in range(draw(st.integers(1, 4))):
        container = draw(st.sampled_from(["p", "li", "td", "h2", "blockquote", "div", "comment", "hidden",
                                          "table", "figure", "details", "svg", "math", "object", "xmp"]))
        sentence = draw(html_sentence())
        if container == "li":
            parts.append(f"<ul>\n  <li>{sentence}</li>\n</ul>")
        elif container == "td":
            parts.append(f"<table><tr><th>Measure</th>\n<td>{sentence}</td></tr></table>")
        elif container == "comment":
            parts.append("<!-- reviewer: 9 out of 10 patients improved -->")
        elif container == "hidden":
            hiding = draw(st.sampled_from(HIDING))
            close = "</del>" if hiding == "<del>" else "</span>"
            rule = "<style>.gone { display: none }</style>" if "gone" in hiding else ""
            parts.append(f"{rule}<p>{sentence} {hiding}Unseen {draw(html_sentence())}{close} "
                         f"{draw(html_sentence())}</p>")
        elif container == "table":
            parts.append(draw(html_table()))
        elif container == "figure":
            alt = html_attribute(draw(any_words), draw(st.sampled_from(["'", '"'])))
            parts.append(f"<figure><img src=a.png alt={alt}>\n<p>{sentence}</p>"
                         f"<figcaption>{draw(html_sentence())}</figcaption></figure>")
        elif container == "details":
            parts.append(f"<details{draw(st.sampled_from(['', ' open']))}><summary>{sentence}</summary>"
                         f"<p>{draw(html_sentence())}</p></details>")
        elif container == "svg":
            parts.append(f"<svg viewBox='0 0 9 9'><title>90% improved</title><text x=1>{sentence}</text>"
                         f"<foreignObject><p>{draw(html_sentence())}</p></foreignObject></svg>")
        elif container == "math":
            parts.append(f"<p>{sentence} <math><mn>42</mn><mtext>{draw(html_sentence())}</mtext></math></p>")
        elif container == "object":
            parts.append(f"<object data=chart.svg><p>{sentence}</p></object>")
        elif container == "xmp":
            parts.append(f"<xmp>{' '.join(draw(any_words))}</xmp>")
        else:
            parts.append(f"<{container}>{sentence}</{container}>")
    parts.append(f"<p>{draw(html_sentence(claim=True))}</p>")  # always at least one claim
    return "\n".join(parts) + draw(st.sampled_from(["\n", "", "\r\n", "</body></html>\n"]))


@settings(settings.get_profile("readers"))
@given(html_document())
def test_html_findings_point_at_the_source(source: str) -> None:
    check(source, lint_text(source, path="x.html"))


@settings(settings.get_profile("readers"))
@given(html_document())
def test_html_reader_maps_every_character(source: str) -> None:
    check_reader("x.html", source)


@settings(settings.get_profile("readers"))
@given(html_document())
def test_html_hidden_text_is_taken_out_of_its_paragraph(source: str) -> None:
    """Hidden text is never part of a visible block; it is a block of its own in the paragraph's group."""
    document = parse("x.html", source)
    for block in document.blocks:
        if block.visible:
            assert "Unseen" not in block.text
        elif block.text.startswith("Unseen"):
            assert block.group is not None
            assert [b for b in document.blocks if b.visible and b.group == block.group]
    assert source.count("Unseen") == sum(b.text.count("Unseen") for b in document.blocks if not b.visible)


# -- Markdown read in chunks ----------------------------------------------------------------------------


def reading(source: str) -> list[tuple[object, ...]]:
    """What the Markdown reader makes of ``source``, with group ids numbered by first appearance."""
    document = parse("x.md", source)
    groups: dict[int, int] = {}
    out: list[tuple[object, ...]] = [tuple((c.start, c.end) for c in document.comments)]
    for block in document.blocks:
        group = None if block.group is None else groups.setdefault(block.group, len(groups))
        out.append((block.kind, block.text, block.visible, group,
                    tuple(block.offsets.start(i) for i in range(len(block.text))), block.source_end))
    return out


@st.composite
def long_markdown_document(draw: st.DrawFn) -> str:
    """Several documents' worth of blocks, with the blocks that may hold blank lines and long tables."""
    parts = [draw(markdown_document()).rstrip("\r\n")]
    for _ in range(draw(st.integers(2, 8))):
        extra = draw(st.sampled_from(["doc", "fence", "comment", "reference", "long-table", "list",
                                      "long-list"]))
        if extra == "fence":
            parts.append("```\nfenced 80% of patients\n\n\nImproved in code\n```")
        elif extra == "comment":
            parts.append("<!-- a comment\n\nNine in ten improved, in a comment\n-->")
        elif extra == "reference":
            parts.append("See the [registry][reg] and [notes].\n\n[reg]: https://x.test/1 \"92% title\"")
        elif extra == "long-table":
            rows = draw(st.integers(5, 40))
            parts.append("| Measure | Result |\n| --- | ---: |\n" + "\n".join(
                f"| Row {n} relief | {n}% of patients |" for n in range(rows)))
        elif extra == "long-list":
            marker = draw(st.sampled_from(["- ", "* ", "1. "]))
            items = []
            for n in range(draw(st.integers(5, 40))):
                shape = draw(st.sampled_from(["item", "item", "continued", "nested", "lazy", "fence"]))
                item = f"{marker}Item {n}: {n}% of patients"
                if shape == "continued":
                    item += "\n" + " " * len(marker) + "improved after"
                elif shape == "nested":
                    item += "\n" + " " * len(marker) + "- nested item 75% relief"
                elif shape == "lazy":
                    item += "\nlazy continuation line"
                elif shape == "fence":
                    item += "\n" + " " * len(marker) + "```\n" + " " * len(marker) + "- 9% code\n" + \
                        " " * len(marker) + "```"
                items.append(item)
            parts.append("\n".join(items))
        elif extra == "list":
            parts.append("- item one\n\n- item two\n\n  continued 64% paragraph")
        else:
            parts.append(draw(markdown_document()).rstrip("\r\n"))
    return "\n\n".join(parts) + "\n\n[notes]: https://x.test/notes\n"


@settings(settings.get_profile("readers"))
@given(long_markdown_document(), st.integers(20, 200))
def test_markdown_read_in_chunks_is_read_as_a_whole(source: str, chunk_size: int) -> None:
    from claimcheck.documents import markdown

    whole = reading(source)
    saved = markdown.CHUNK_SIZE
    markdown.CHUNK_SIZE = chunk_size
    try:
        chunked = reading(source)
    finally:
        markdown.CHUNK_SIZE = saved
    assert chunked == whole


# -- OffsetMap ------------------------------------------------------------------------------------------


segment = st.tuples(st.integers(0, 4), st.integers(0, 3), st.integers(1, 6), st.booleans())


@settings(settings.get_profile("readers"))
@given(st.lists(segment, max_size=8), st.integers(0, 30), st.integers(0, 30))
def test_offset_map_agrees_with_a_character_by_character_model(segments: list[tuple[int, int, int, bool]],
                                                               low: int, high: int) -> None:
    """The compact map (one run, or packed arrays) answers as a list of every character's source span, and
    so does a copy of any range of it."""
    from claimcheck.documents import OffsetMap

    offsets, model, source = OffsetMap(), [], 0
    for text_length, gap, atomic_length, linear in segments:
        start = source + gap
        end = start + (text_length if linear else atomic_length)
        offsets.add(text_length, start, end)
        if text_length:
            model += [(start + k, start + k + 1) if end - start == text_length else (start, end)
                      for k in range(text_length)]
            source = end
    assert len(offsets) == len(model)
    for index, (start, end) in enumerate(model):
        assert (offsets.start(index), offsets.end(index + 1)) == (start, end)
    atomic = [(start, end) for start, end in set(model) if end - start > 1]
    if any(0 < sum(low <= i < high for i, span in enumerate(model) if span == run) < model.count(run)
           for run in atomic):
        return  # part of an entity keeps the whole entity's span: not a per-character model
    copy = OffsetMap()
    offsets.copy_range(copy, low, high)
    part = model[low:high]
    assert len(copy) == len(part)
    for index, (start, end) in enumerate(part):
        assert (copy.start(index), copy.end(index + 1)) == (start, end)
