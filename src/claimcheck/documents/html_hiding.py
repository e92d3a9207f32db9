"""Which HTML elements a visitor does not see: the hiding attributes, inline styles and simple style rules.

A qualifier or a required statement must be clear and conspicuous, so the HTML reader marks text in hidden
elements as not visible. This module answers "does this element hide its content?" from its attributes:

- ``hidden`` (any value), and the ``sr-only`` / ``visually-hidden`` / ``screen-reader-text`` classes that
  show text to screen readers only;
- an inline ``style`` with ``display: none``, ``visibility: hidden`` (or ``collapse``), a zero
  ``font-size`` (or ``font: 0/0 …``) or ``opacity: 0``, in any case and spacing, with or without
  ``!important``;
- a class or id hidden by a rule of a ``<style>`` element anywhere in the page, when the rule's selector is a
  simple one (``.note``, ``p.note``, ``.a.b``, ``#promo``, or a comma list of those) and its declarations
  hide as above. Rules inside at-rules (``@media print { … }``) apply only sometimes and are not used.

``aria-hidden="true"`` does not hide text from a sighted visitor, and struck text (``<s>``) is still shown:
neither counts. Element-specific cases (``<del>``, a closed ``<details>``, a ``<dialog>`` without ``open``)
are decided by the reader, which knows the tree.

Every scan here reads its input a bounded number of times (``str.find`` from a moving position, no
backtracking patterns), so a page of unterminated comments or braces is still read in linear time.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

SCREEN_READER_CLASSES = frozenset({"sr-only", "visually-hidden", "screen-reader-text"})

_ZERO_LENGTH = re.compile(r"[+-]?(?:0+(?:\.0*)?|\.0+)(?:[a-z]+|%)?")
_SIMPLE_SELECTOR = re.compile(r"([a-z][a-z0-9-]*|\*)?((?:[.#][A-Za-z0-9_-]+)+)")
_SELECTOR_PART = re.compile(r"[.#][A-Za-z0-9_-]+")
_PRELUDE_START = re.compile(r"[;}]")


def _without_comments(css: str) -> str:
    """CSS with its ``/* … */`` comments removed (an unclosed comment runs to the end)."""
    pieces = []
    pos = 0
    while True:
        start = css.find("/*", pos)
        if start < 0:
            pieces.append(css[pos:])
            return "".join(pieces)
        pieces.append(css[pos:start])
        end = css.find("*/", start + 2)
        if end < 0:
            return "".join(pieces)
        pos = end + 2


def declarations_hide(declarations: str) -> bool:
    """Whether CSS declarations (``a: b; c: d``, comments allowed) hide the element's text."""
    for declaration in _without_comments(declarations).split(";"):
        name, colon, value = declaration.partition(":")
        if not colon:
            continue
        name = "".join(name.split()).lower()
        value = " ".join(value.lower().replace("!important", " ").split())
        if ((name == "display" and value == "none")
                or (name == "visibility" and value in ("hidden", "collapse"))
                or (name in ("font-size", "opacity") and _ZERO_LENGTH.fullmatch(value) is not None)
                or (name == "font" and _zero_font_size(value))):
            return True
    return False


def _zero_font_size(font: str) -> bool:
    """Whether a ``font`` shorthand sets a zero size (``font: 0/0 a``, the image-replacement trick)."""
    return any(_ZERO_LENGTH.fullmatch(word.split("/")[0]) for word in font.split()
               if word[:1].isdigit() or word[:1] in ".+-")


@dataclass(frozen=True, slots=True)
class _Selector:
    tag: str | None
    classes: frozenset[str]
    id: str | None


@dataclass(slots=True)
class HidingRules:
    """The simple hiding rules of a page's ``<style>`` elements, indexed for a lookup per tag."""

    by_class: dict[str, list[_Selector]] = field(default_factory=dict)
    by_id: dict[str, list[_Selector]] = field(default_factory=dict)

    def add_style_sheet(self, css: str) -> None:
        css = _without_comments(css)
        pos, length = 0, len(css)
        while pos < length:
            brace = css.find("{", pos)
            if brace < 0:
                return
            # What follows the last ";" or "}" (an @import, a stray brace) is this rule's prelude.
            prelude = _PRELUDE_START.split(css[pos:brace])[-1].strip()
            if prelude.startswith("@"):
                pos = _block_end(css, brace)  # at-rules apply only sometimes (print, a screen width…)
                continue
            close = css.find("}", brace + 1)
            if close < 0:
                close = length
            if declarations_hide(css[brace + 1:close]):
                for selector in prelude.split(","):
                    self._add(selector.strip())
            pos = close + 1

    def _add(self, selector: str) -> None:
        match = _SIMPLE_SELECTOR.fullmatch(selector)
        if match is None:
            return
        tag = match.group(1) if match.group(1) not in (None, "*") else None
        parts = _SELECTOR_PART.findall(match.group(2).lower())
        ids = [part[1:] for part in parts if part[0] == "#"]
        if len(ids) > 1:
            return
        rule = _Selector(tag and tag.lower(), frozenset(part[1:] for part in parts if part[0] == "."),
                         ids[0] if ids else None)
        if rule.id is not None:
            self.by_id.setdefault(rule.id, []).append(rule)
        else:
            self.by_class.setdefault(next(iter(rule.classes)), []).append(rule)

    def hide(self, tag: str, classes: frozenset[str], element_id: str | None) -> bool:
        candidates: list[_Selector] = []
        if element_id is not None:
            candidates.extend(self.by_id.get(element_id, ()))
        for name in classes:
            candidates.extend(self.by_class.get(name, ()))
        return any((rule.tag is None or rule.tag == tag) and rule.classes <= classes
                   and (rule.id is None or rule.id == element_id) for rule in candidates)


def _block_end(css: str, brace: int) -> int:
    """Offset after the ``}`` that closes the block opened at ``brace`` (nested blocks included)."""
    depth = 0
    for index in range(brace, len(css)):
        char = css[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index + 1
    return len(css)


def attribute_value(source: str, span: tuple[int, int] | None) -> str | None:
    """The decoded value of an attribute at ``span`` of ``source`` (None: no such attribute)."""
    if span is None:
        return None
    value = source[span[0]:span[1]]
    return html.unescape(value) if "&" in value else value


def hides(tag: str, attributes: dict[str, tuple[int, int]], source: str, rules: HidingRules) -> bool:
    """Whether an element with these attributes (name -> value span in ``source``) hides its content."""
    if "hidden" in attributes:
        return True
    style = attribute_value(source, attributes.get("style"))
    if style and declarations_hide(style):
        return True
    class_value = attribute_value(source, attributes.get("class"))
    # Compared ignoring case (browsers compare class names exactly): erring on "hidden" only keeps a
    # qualifier from counting, while the claims in the text are linted all the same.
    classes = frozenset(class_value.lower().split()) if class_value else frozenset()
    if classes and not classes.isdisjoint(SCREEN_READER_CLASSES):
        return True
    element_id = attribute_value(source, attributes.get("id"))
    element_id = element_id.lower() if element_id else None
    if not (rules.by_class or rules.by_id) or not (classes or element_id):
        return False
    return rules.hide(tag, classes, element_id)
