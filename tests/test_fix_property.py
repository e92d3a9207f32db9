"""A property of --fix: on any draft, fixing never raises, and linting the fixed draft finds nothing that
--fix would fix (the fixes converge), whatever the format and the markup around the claims."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimcheck.documents import parse
from claimcheck.fixes import fix_source, fixable
from claimcheck.model import Finding

from conftest import default_engine

SENTENCES = [
    "82% of patients reported less pain after the procedure.",
    "Nine in ten patients would recommend the treatment.",
    "Members lost an average of 14 pounds by week twelve.",
    "Hearing in noise improved by 35% after the fitting.",
    "Visual acuity reached 20/20 in 3 of 4 eyes.",
    "Individual outcomes vary.",
    "Our clinic uses an FDA-approved fibrin sealant.",
    "The FDA has approved the fibrin sealant as a sealant.",
    "Our FDA-cleared laser shortens each visit.",
    "Book a visit to learn more.",
    "Swelling fell from 46 mm to 19 mm & stayed down.",
    "Use *care* with <tags> and [brackets] in 2 of 3 cases of success.",
]
DIRECTIVES = ["claimcheck: disable-next-block CC101 -- reviewed",
              "claimcheck: disable-next-block CC101, CC201 -- label wording",
              "claimcheck: disable-file CC302 -- not about the sealant"]

paragraph = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map(" ".join)


# How a paragraph is written in each format: "{}" is its text, "{2}" a second paragraph, "{d}" a directive.
MARKDOWN_SHAPES = ["{}", "**{}**", "- {}\n- {2}", "## {} ##", "> {}", "| Outcome | Share |\n|---|---|\n| {} | 80% |",
                   "[{}](https://example.org)", "```\n{}\n```", "<!-- {d} -->\n{}"]
HTML_SHAPES = ["<p>{}</p>", "<ul><li>{}</li></ul>", "<p>Results: <strong>{}</strong></p>",
               "<table><tr><th>Outcome</th></tr><tr><td>{}</td></tr></table>",
               "<table><caption>Results</caption><tr><td>{}</td></tr></table>",
               "<details><summary>More</summary><p>{}</p></details>", '<img src="a.png" alt="{}">',
               "<!-- {d} --><p>{}</p>", "<div>{}</div>"]


def shaped(draw: st.DrawFn, shapes: list[str], text: str, second: str) -> str:
    return draw(st.sampled_from(shapes)).replace("{2}", second).replace("{d}", draw(
        st.sampled_from(DIRECTIVES))).replace("{}", text)


@st.composite
def markdown_draft(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(f"---\ntitle: {draw(st.sampled_from(SENTENCES))}\n---")
    for _ in range(draw(st.integers(1, 5))):
        text = draw(paragraph)
        if draw(st.booleans()) and " " in text:
            text = text.replace(" ", "\n", 1)  # hard-wrapped
        parts.append(shaped(draw, MARKDOWN_SHAPES, text, draw(paragraph)))
    return "\n\n".join(parts) + draw(st.sampled_from(["", "\n", "\n\n"]))


@st.composite
def html_draft(draw: st.DrawFn) -> str:
    body = [shaped(draw, HTML_SHAPES, draw(paragraph).replace("&", "&amp;").replace("<", "&lt;"), "")
            for _ in range(draw(st.integers(1, 5)))]
    wrapper = draw(st.sampled_from(["main", "article", "body", "none"]))
    inner = "\n".join(body)
    if wrapper == "none":
        return inner
    if wrapper == "body":
        return f"<html><body>\n{inner}\n</body></html>\n"
    return f"<html><body><{wrapper}>\n{inner}\n</{wrapper}></body></html>\n"


@st.composite
def text_draft(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(paragraph)
        if draw(st.booleans()):
            text = f"{draw(st.sampled_from(DIRECTIVES))}\n{text}"
        blocks.append(text)
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(f"{b}{newline}" for b in blocks).replace("\n", newline).replace("\r\r", "\r")


def check_converges(source: str, fmt: str, unsafe: bool) -> None:
    engine = default_engine()

    def lint(text: str) -> list[Finding]:
        return engine.lint(parse(f"draft.{fmt}", text, fmt))

    result = fix_source(lint, source, unsafe)
    assert not fixable(lint(result.text), unsafe), result.text
    assert not fixable(result.remaining, unsafe)


PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(markdown_draft(), st.booleans())
def test_fixing_markdown_converges(source: str, unsafe: bool) -> None:
    check_converges(source, "markdown", unsafe)


@PROPERTY
@given(html_draft(), st.booleans())
def test_fixing_html_converges(source: str, unsafe: bool) -> None:
    check_converges(source, "html", unsafe)


@PROPERTY
@given(text_draft(), st.booleans())
def test_fixing_text_converges(source: str, unsafe: bool) -> None:
    check_converges(source, "text", unsafe)
