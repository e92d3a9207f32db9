"""Which HTML elements a visitor does not see: the hiding attributes, inline styles and simple style rules.

A qualifier or a required statement must be clear and conspicuous, so the HTML reader marks text in hidden
elements as not visible. This module answers "does this element hide its content?" from its attributes:

- ``hidden`` (any value), and the ``sr-only`` / ``visually-hidden`` / ``screen-reader-text`` classes that
  show text to screen readers only;
- an inline ``style`` with ``display: none``, ``visibility: hidden`` (or ``collapse``), a zero
  ``font-size`` (or ``font: 0/0 …``) or ``opacity: 0``, in any case and spacing, with or without
  ``!important``; also the other ways pages hide text: ``color: transparent``, a ``clip: rect(…)`` or
  ``clip-path: inset(50%)`` that leaves no area, and ``left``/``top``/``text-indent``/``margin`` of
  -999px or less (off-screen); a descendant shows text again with ``visibility: visible``, a colour or an
  absolute font size (``font-size: 16px``, the inline-block spacing trick), never after the others;
- a class or id hidden by a rule of a ``<style>`` element anywhere in the page, when the rule's selector is a
  simple one (``.note``, ``p.note``, ``.a.b``, ``#promo``, or a comma list of those) and its declarations
  hide as above. Rules inside at-rules (``@media print { … }``) apply only sometimes and are not used.

Where a rule and the inline style disagree, the inline style wins; among rules, the later one. Descendant
selectors (``.row > li``) are not read, so a child shown again only by such a rule stays hidden: that errs
on keeping a qualifier from counting, never on letting a hidden one count.

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

# Rules kept per class or id name: real pages have a handful; the bound keeps a page of thousands of rules
# on one class from making every element of that class cost thousands of comparisons.
MAX_RULES_PER_NAME = 64
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


# Why an element's text is hidden. A child can show again what ``visibility: hidden``, a zero font size or a
# transparent colour hid (``visibility: visible``, ``font-size: 16px``: the inline-block spacing trick);
# nothing can show what ``display: none``, ``opacity: 0``, a clip, an off-screen position, ``hidden`` or a
# screen-reader-only class hid.
GONE = "gone"
DISPLAY = "display"
OPACITY = "opacity"
VISIBILITY = "visibility"
FONT_SIZE = "font-size"
COLOR = "color"
CLIP = "clip"
OFF_SCREEN = "off-screen"
NOTHING: frozenset[str] = frozenset()
# Reasons a descendant can undo; the others it can only undo on the same element (an inline
# ``display: block`` over a rule's ``display: none``).
RESTORABLE = frozenset({VISIBILITY, FONT_SIZE, COLOR})
_LENGTH = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# Pushed this far off the page, text is where no visitor sees it (the off-screen screen-reader trick).
OFF_SCREEN_PIXELS = 999.0
_OFF_SCREEN_PROPERTIES = frozenset({"left", "top", "text-indent", "margin-left", "margin-top"})
# Font sizes that do not depend on the parent's (a relative size of a zero font is still zero).
_ABSOLUTE_SIZE = re.compile(r"[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:px|pt|pc|cm|mm|in|q|rem|vw|vh|vmin|vmax)"
                            r"|xx-small|x-small|small|medium|large|x-large|xx-large|xxx-large")

Effect = tuple[frozenset[str], frozenset[str]]  # (reasons it hides, reasons it shows again)


def _font_size_state(size: str) -> bool | None:
    """True: a zero size; False: a size that shows text again; None: relative or unknown (inherits)."""
    if _ZERO_LENGTH.fullmatch(size):
        return True
    return False if _ABSOLUTE_SIZE.fullmatch(size) else None


def _shorthand_font_size(font: str) -> bool | None:
    """The size state a ``font`` shorthand sets (``font: 0/0 a``, the image-replacement trick, is zero)."""
    for word in font.split():
        state = _font_size_state(word.split("/")[0])
        if state is not None:
            return state
    return None


def _clipped_away(value: str) -> bool:
    """Whether ``clip: rect(…)`` leaves no area or ``clip-path: inset(…)`` of 50% or more leaves none."""
    numbers = [float(number) for number in _LENGTH.findall(value)]
    if value.startswith("rect(") and len(numbers) == 4:
        top, right, bottom, left = numbers
        return bottom <= top or right <= left
    if value.startswith("inset(") and numbers and "%" in value:
        return numbers[0] >= 50
    return False


def _far_negative(value: str) -> bool:
    """Whether a length moves text off the page (``left: -9999px``, ``text-indent: -100em``)."""
    match = _LENGTH.match(value)
    if match is None:
        return False
    number, unit = float(match.group()), value[match.end():].strip()
    if unit not in ("px", "em", "rem"):
        return False
    return number * (1 if unit == "px" else 16) <= -OFF_SCREEN_PIXELS  # an em is about 16 pixels


def declarations_effect(declarations: str) -> Effect:
    """What CSS declarations (``a: b; c: d``, comments allowed) do to the visibility of an element's text;
    a later declaration of the same property wins."""
    states: dict[str, bool] = {}  # reason -> hides (True) or shows again (False)
    for declaration in _without_comments(declarations).split(";"):
        name, colon, value = declaration.partition(":")
        if not colon:
            continue
        name = "".join(name.split()).lower()
        value = " ".join(value.lower().replace("!important", " ").split())
        if name == "display" and value:
            states[DISPLAY] = value == "none"
        elif name == "opacity" and value:
            states[OPACITY] = _ZERO_LENGTH.fullmatch(value) is not None
        elif name == "visibility" and value in ("hidden", "collapse", "visible"):
            states[VISIBILITY] = value != "visible"
        elif name in ("font-size", "font"):
            state = _font_size_state(value) if name == "font-size" else _shorthand_font_size(value)
            if state is not None:
                states[FONT_SIZE] = state
        elif name == "color" and value:
            states[COLOR] = value == "transparent"
        elif name in ("clip", "clip-path") and value:
            states[CLIP] = _clipped_away(value)
        elif name in _OFF_SCREEN_PROPERTIES and value:
            states[OFF_SCREEN] = _far_negative(value)
    return (frozenset(reason for reason, hidden in states.items() if hidden),
            frozenset(reason for reason, hidden in states.items() if not hidden))


@dataclass(frozen=True, slots=True)
class _Selector:
    tag: str | None
    classes: frozenset[str]
    id: str | None
    effect: Effect
    order: int


@dataclass(slots=True)
class HidingRules:
    """The simple hiding rules of a page's ``<style>`` elements, indexed for a lookup per tag."""

    by_class: dict[str, list[_Selector]] = field(default_factory=dict)
    by_id: dict[str, list[_Selector]] = field(default_factory=dict)
    count: int = 0

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
            effect = declarations_effect(css[brace + 1:close])
            if effect[0] or effect[1]:
                for selector in prelude.split(","):
                    self._add(selector.strip(), effect)
            pos = close + 1

    def _add(self, selector: str, effect: Effect) -> None:
        match = _SIMPLE_SELECTOR.fullmatch(selector)
        if match is None:
            return
        tag = match.group(1) if match.group(1) not in (None, "*") else None
        parts = _SELECTOR_PART.findall(match.group(2).lower())
        ids = [part[1:] for part in parts if part[0] == "#"]
        if len(ids) > 1:
            return
        rule = _Selector(tag and tag.lower(), frozenset(part[1:] for part in parts if part[0] == "."),
                         ids[0] if ids else None, effect, self.count)
        self.count += 1
        index = self.by_id if rule.id is not None else self.by_class
        rules = index.setdefault(rule.id if rule.id is not None else min(rule.classes), [])
        if len(rules) < MAX_RULES_PER_NAME:  # keeps the lookup per element bounded on any page
            rules.append(rule)

    def effect(self, tag: str, classes: frozenset[str], element_id: str | None) -> Effect:
        """The combined effect of the rules that match, later rules winning per reason."""
        candidates: list[_Selector] = []
        if element_id is not None:
            candidates.extend(self.by_id.get(element_id, ()))
        for name in classes:
            candidates.extend(self.by_class.get(name, ()))
        states: dict[str, bool] = {}
        for rule in sorted(candidates, key=lambda rule: rule.order):
            if ((rule.tag is None or rule.tag == tag) and rule.classes <= classes
                    and (rule.id is None or rule.id == element_id)):
                states.update(dict.fromkeys(rule.effect[0], True))
                states.update(dict.fromkeys(rule.effect[1], False))
        return (frozenset(reason for reason, hidden in states.items() if hidden),
                frozenset(reason for reason, hidden in states.items() if not hidden))


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


def effect(tag: str, attributes: dict[str, tuple[int, int]], source: str, rules: HidingRules) -> Effect:
    """What an element with these attributes (name -> value span in ``source``) does to the visibility of
    its content: (reasons it hides it, reasons it shows it again)."""
    class_value = attribute_value(source, attributes.get("class"))
    # Compared ignoring case (browsers compare class names exactly): erring on "hidden" only keeps a
    # qualifier from counting, while the claims in the text are linted all the same.
    classes = frozenset(class_value.lower().split()) if class_value else NOTHING
    if "hidden" in attributes or (classes and not classes.isdisjoint(SCREEN_READER_CLASSES)):
        return frozenset({GONE}), NOTHING
    element_id = attribute_value(source, attributes.get("id"))
    element_id = element_id.lower() if element_id else None
    hidden, shown = NOTHING, NOTHING
    if (rules.by_class or rules.by_id) and (classes or element_id):
        hidden, shown = rules.effect(tag, classes, element_id)
    style = attribute_value(source, attributes.get("style"))
    if style:  # the inline style wins over the page's rules
        style_hidden, style_shown = declarations_effect(style)
        hidden, shown = (hidden - style_shown) | style_hidden, (shown - style_hidden) | style_shown
    return hidden, shown
