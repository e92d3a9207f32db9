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


@st.composite
def markdown_draft(draw: st.DrawFn) -> str:
    parts = []
    if draw(st.booleans()):
        parts.append(f"---\ntitle: {draw(st.sampled_from(SENTENCES))}\n---")
    for _ in range(draw(st.integers(1, 5))):
        text = draw(paragraph)
        shape = draw(st.sampled_from(["plain", "bold", "list", "heading", "quote", "table", "link", "code",
                                      "directive", "wrapped"]))
        if shape == "bold":
            text = f"**{text}**"
        elif shape == "list":
            text = f"- {text}\n- {draw(paragraph)}"
        elif shape == "heading":
            text = f"## {text} ##"
        elif shape == "quote":
            text = f"> {text}"
        elif shape == "table":
            text = f"| Outcome | Share |\n|---|---|\n| {text} | 80% |"
        elif shape == "link":
            text = f"[{text}](https://example.org)"
        elif shape == "code":
            text = f"```\n{text}\n```"
        elif shape == "directive":
            text = f"<!-- {draw(st.sampled_from(DIRECTIVES))} -->\n{text}"
        elif shape == "wrapped":
            text = text.replace(" ", "\n", 1)
        parts.append(text)
    return "\n\n".join(parts) + draw(st.sampled_from(["", "\n", "\n\n"]))


@st.composite
def html_draft(draw: st.DrawFn) -> str:
    body = []
    for _ in range(draw(st.integers(1, 5))):
        text = draw(paragraph).replace("&", "&amp;").replace("<", "&lt;")
        shape = draw(st.sampled_from(["p", "li", "strong", "td", "caption", "details", "meta", "directive",
                                      "div"]))
        if shape == "li":
            body.append(f"<ul><li>{text}</li></ul>")
        elif shape == "strong":
            body.append(f"<p>Results: <strong>{text}</strong></p>")
        elif shape == "td":
            body.append(f"<table><tr><th>Outcome</th></tr><tr><td>{text}</td></tr></table>")
        elif shape == "caption":
            body.append(f"<table><caption>Results</caption><tr><td>{text}</td></tr></table>")
        elif shape == "details":
            body.append(f"<details><summary>More</summary><p>{text}</p></details>")
        elif shape == "meta":
            body.append(f'<img src="a.png" alt="{text}">')
        elif shape == "directive":
            body.append(f"<!-- {draw(st.sampled_from(DIRECTIVES))} --><p>{text}</p>")
        else:
            body.append(f"<{shape}>{text}</{shape}>")
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
