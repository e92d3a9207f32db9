"""Fuzzing the readers, the decoder, the YAML loader and the engine with random input.

Whatever the input: no exception other than a ClaimcheckError escapes, every finding lies inside its file
(offsets within the source, line and column consistent with them), and linting twice gives the same findings.
The Markdown and HTML tests go through ``lint_text(source, path="x.md" / "x.html")`` so they exercise whatever
reader is current.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from claimcheck.documents.base import LineIndex
from claimcheck.engine import Engine
from claimcheck.errors import ClaimcheckError, InputError
from claimcheck.files import decode
from claimcheck.model import Finding
from claimcheck.ruleset import RuleSet, load_rules
from claimcheck.ruleset.yamlpos import load as load_yaml

from conftest import lint_text, shared_nlp

# Modest by default so CI stays fast; CLAIMCHECK_FUZZ_EXAMPLES=2000 for a long local run.
EXAMPLES = int(os.environ.get("CLAIMCHECK_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fragments that make rules fire, so findings (and their positions) are actually exercised.
PHRASES = [
    "78% of patients reported meaningful relief", "Nine out of ten patients would recommend us",
    "FDA approved", "FDA-cleared", "Individual outcomes vary.", "scores dropped from 46 to 19",
    "This content is for general informational purposes only and does not constitute medical advice, "
    "diagnosis, or treatment.", "claimcheck: disable-next-block CC101", "3x better outcomes", "L4-L5",
]
phrases = st.sampled_from(PHRASES)
words = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
prose = st.lists(st.one_of(phrases, words, st.sampled_from([" ", "\n", "\n\n", "\r\n", "\t", "é", "🙂", "\u200b",
                                                           "\u2028", "\x00", "&amp;", "&#x1F600;", "&bogus;"])),
                 max_size=25).map("".join)


def check_findings(source: str, findings: Sequence[Finding]) -> None:
    lines = LineIndex(source)
    for finding in findings:
        assert 0 <= finding.start <= finding.end <= len(source), finding
        assert finding.position == lines.position(finding.start), finding
        assert finding.end_position == lines.position(finding.end), finding
        for position in (finding.position, finding.end_position):
            assert 1 <= position.line <= lines.line_count
            assert position.column >= 1
        if not finding.document_level:
            assert finding.excerpt == source[finding.start:finding.end], finding


def lint_checked(source: str, path: str, engine: Engine | None = None) -> None:
    try:
        first = lint_text(source, path=path, engine=engine)
    except ClaimcheckError:
        event("ClaimcheckError while linting")
        return
    event(f"{path}: {'some' if any(not f.document_level for f in first) else 'no'} in-text findings")
    check_findings(source, first)
    assert lint_text(source, path=path, engine=engine) == first  # deterministic


# --- readers and engine -------------------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=300))
def test_random_unicode_text(source: str) -> None:
    for path in ("x.txt", "x.md", "x.html"):
        lint_checked(source, path)


@FUZZ
@given(prose)
def test_random_prose_with_claims(source: str) -> None:
    for path in ("x.txt", "x.md", "x.html"):
        lint_checked(source, path)


MD_BLOCK = st.one_of(
    prose,
    st.tuples(st.sampled_from(["# ", "## ", "###### ", "#"]), prose).map("".join),
    st.tuples(st.sampled_from(["- ", "* ", "1. ", "2) ", "  - ", "    - ", "> ", "> > ", ">- "]), prose).map("".join),
    st.tuples(st.sampled_from(["```\n", "~~~python\n", "    "]), prose, st.sampled_from(["\n```", "\n~~~", ""]))
      .map("".join),
    st.tuples(prose, st.sampled_from(["\n---", "\n===", "\n***"])).map("".join),
    st.tuples(st.just("| a | b |\n|---|---|\n| "), prose, st.just(" | "), prose, st.just(" |")).map("".join),
    st.tuples(st.sampled_from(["<div>", "<!-- ", "<p>", "<script>"]), prose,
              st.sampled_from(["</div>", " -->", "", "</script>"])).map("".join),
    st.tuples(st.sampled_from(["[", "**", "*", "_", "`", "![", "<"]), prose,
              st.sampled_from(["](http://x.test)", "**", "*", "_", "`", "][ref]", ">", ""])).map("".join),
    st.tuples(st.just("[ref]: http://x.test \""), prose, st.just("\"")).map("".join),
)


@FUZZ
@given(st.lists(MD_BLOCK, max_size=12), st.sampled_from(["\n", "\n\n", "\r\n\r\n", "\n\n\n"]))
def test_random_markdown_structure(blocks: list[str], separator: str) -> None:
    lint_checked(separator.join(blocks), "x.md")


TAGS = ["p", "div", "span", "b", "i", "a href='#'", "li", "ul", "ol", "h1", "h2", "table", "tr", "td", "th",
        "br", "img alt='80% better'", "script", "style", "title", "pre", "blockquote", "noscript", "template",
        "textarea", "sup", "svg", "math"]


@st.composite
def html_tree(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        kind = draw(st.integers(0, 5))
        if kind == 0 and depth < 6:
            tag = draw(st.sampled_from(TAGS))
            name = tag.split()[0]
            close = draw(st.sampled_from([f"</{name}>", "", f"</{name.upper()}>", "</p>"]))
            parts.append(f"<{tag}>" + draw(html_tree(depth + 1)) + close)
        elif kind == 1:
            parts.append(draw(st.sampled_from(["<!-- claimcheck: disable-next-block CC101 -->", "<!--", "-->",
                                               "<!DOCTYPE html>", "<![CDATA[x]]>", "<?xml?>", "&nbsp;", "&lt;",
                                               "&#8217;", "&#xZZ;", "<", ">", "&"])))
        else:
            parts.append(draw(prose))
    return "".join(parts)


@FUZZ
@given(html_tree())
def test_random_html_structure(source: str) -> None:
    lint_checked(source, "x.html")


# --- decoding and YAML --------------------------------------------------------------------------------


@FUZZ
@given(st.one_of(st.binary(max_size=200),
                 st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b""]),
                           st.binary(max_size=100)).map(b"".join)),
       st.sampled_from([None, "utf-8", "latin-1", "utf-16-le", "cp1252"]))
def test_decode_random_bytes(data: bytes, encoding: str | None) -> None:
    try:
        text = decode(data, "x.txt", encoding)
    except InputError as exc:
        assert str(exc).startswith("x.txt: error: ") and "\n" not in str(exc)
        return
    assert isinstance(text, str)


YAML_PIECES = ["a", "code", ":", ": ", "- ", "\n", "  ", "[", "]", "{", "}", ",", "'", '"', "&x ", "*x", "!!str ",
               "!!python/object:os.system ", "<<: ", "? ", "|", ">", "#", "---", "...", "1", "2024-13-45", "~",
               "\t", "é", "%YAML 1.1"]


@FUZZ
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=40).map("".join))
def test_yaml_loader_random_text(text: str) -> None:
    try:
        located = load_yaml(text, "r.yaml", ClaimcheckError)
    except ClaimcheckError as exc:
        assert str(exc).startswith("r.yaml") and "\n" not in str(exc)
        return
    for line, column in [*located.value_marks.values(), *located.key_marks.values()]:
        assert line >= 1 and column >= 1


# --- random rule files --------------------------------------------------------------------------------

REGEX_PIECES = ["a", "b", "patients", "%", r"\d", r"\d+", r"\w+", r"\s", "[a-z]", "(", ")", "(?:", "|", "?",
                "{2}", r"\b", ".", "x", " ", "{term}", "^", "$", "\\", "(?i)", "(?<=a)", "[", "]"]
regexes = st.one_of(
    st.sampled_from(["a", "ab", "b+", "patients", r"\d+%", "x", r"\bok\b", "required words", "{term}", "é"]),
    st.lists(st.sampled_from(REGEX_PIECES), min_size=1, max_size=8).map("".join))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 100), words, regexes)
values = st.one_of(scalars, st.lists(st.one_of(regexes, scalars), max_size=4),
                   st.dictionaries(st.sampled_from(["term", "fail", "pass", "x"]),
                                   st.one_of(regexes, st.lists(regexes, max_size=3), scalars), max_size=3))
KIND_KEYS = {
    "qualified-claim": ["terms", "quantities", "ignore-quantities", "outcomes", "ignore-outcomes", "qualifiers",
                        "scope"],
    "restricted-wording": ["terms", "wording", "allowed", "negation", "negation-window", "negation-stops"],
    "required-statement": ["terms", "statements", "patterns", "when"],
}
VALID_CORE = {"qualified-claim": ("quantities", "qualifiers"), "restricted-wording": ("wording",),
              "required-statement": ("statements",)}
COMMON_EXTRA = ["examples", "references", "severity"]


@st.composite
def rule_specs(draw: st.DrawFn) -> dict[str, object]:
    """Mostly well-formed rules with random patterns; sometimes a wrong key, type, code or kind."""
    kind = draw(st.sampled_from(sorted(KIND_KEYS)))
    spec: dict[str, object] = {
        "code": draw(st.sampled_from(["XX101", "XX102", "XX103", "XX104", "XX105", "XX106", "CC101", "bad"])),
        "name": draw(st.sampled_from(["fuzz-rule"] * 9 + ["Fuzz Rule"])),
        "kind": draw(st.sampled_from([kind] * 9 + ["nope"])),
        "severity": draw(st.sampled_from(["error", "warning", "info"] * 3 + ["fatal"])),
        "message": draw(st.sampled_from(["m", "{qualifier} in {scope}", "{0}", "{"])),
        "description": "d",
    }
    for key in VALID_CORE[kind]:
        spec[key] = [draw(regexes)] if key != "qualifiers" else [draw(words.filter(str.strip) | phrases)]
    for key in draw(st.lists(st.sampled_from(KIND_KEYS[kind]), max_size=3, unique=True)):
        spec[key] = draw(st.lists(regexes, min_size=1, max_size=3) if draw(st.integers(0, 4)) else values)
    if not draw(st.integers(0, 5)):
        spec[draw(st.sampled_from(COMMON_EXTRA + ["bogus"]))] = draw(values)
    if "terms" in spec and draw(st.booleans()):
        spec["terms"] = {"term": draw(st.one_of(regexes, st.lists(regexes, min_size=1, max_size=3)))}
    return spec


# Texts made of what the random patterns look for, so rules that load also find things.
rule_texts = st.lists(st.sampled_from(["a", "b", "ab", "patients", "78%", "x", "2", " ", " ", "\n", "\n\n", "ok.",
                                       "required words", "é", "- ", "# ", "<p>", "</p>"]), max_size=30).map("".join)


@settings(max_examples=EXAMPLES * 4 // 3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rule_specs(), min_size=1, max_size=2), rule_texts)
def test_random_rule_files(specs: list[dict[str, object]], source: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.yaml"
        path.write_text(yaml.safe_dump(specs, allow_unicode=True), encoding="utf-8")
        try:
            rules = RuleSet(load_rules([path]))
        except ClaimcheckError as exc:
            # One line per error (several rules of a file may each have one), each located in the file.
            for error in getattr(exc, "errors", [exc]):
                assert str(error).startswith(str(path)) and "\n" not in str(error)
            assert str(exc).splitlines() == [str(error) for error in getattr(exc, "errors", [exc])]
            event("rule file refused: " + str(exc).split("error: ")[1][:25])
            return
    event("rule file loaded")
    engine = Engine(rules, shared_nlp)
    for name in ("x.txt", "x.md", "x.html"):
        lint_checked(source, name, engine)
