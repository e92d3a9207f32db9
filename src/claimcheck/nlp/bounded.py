"""Tokenize a block in time that grows linearly with its length, keeping its text (and offsets) exact.

spaCy's tokenizer strips prefixes and suffixes off each white-space-free chunk one at a time, copying the
rest every time: a chunk of n punctuation marks costs n² (20,000 ``=`` after a claim took 83 s, 10,000
``[`` 40 s). Prose never has chunks that long, so a chunk over ``MAX_CHUNK`` characters is cut into pieces
of at most ``PIECE`` characters where letters or digits meet punctuation (so a word stuck to a punctuation
run stays a token of its own), and each piece is tokenized alone. The pieces are joined
without adding white space, so the document's text is the block's text, character for character.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import regex

from claimcheck.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MAX_CHUNK = 200
PIECE = 100
CHECK_EVERY = 256  # parts tokenized between two calls of ``check``
_LONG_CHUNK = regex.compile(rf"\S{{{MAX_CHUNK + 1},}}")
_SPACE = regex.compile(r"\s*")
_RUN = regex.compile(r"[^\W_]+|[\W_]+")  # letters and digits, or anything else


def check_length(nlp: Language, text: str, path: str) -> None:
    """spaCy's ``max_length`` guards models whose parser or entity recogniser needs about 1 GB per 100,000
    characters. The blank pipeline (a tokenizer and a sentencizer) needs memory in proportion to the text, so
    only a named model's limit holds; a longer block then fails its draft alone."""
    if len(text) > nlp.max_length and set(nlp.pipe_names) - {"sentencizer"}:
        raise InputError(f"a block of {len(text):,} characters is longer than the spaCy model's max_length "
                         f"({nlp.max_length:,}); split it, or lint without 'model'", path=path)


def make_doc(nlp: Language, text: str, check: Callable[[], None] | None = None) -> Doc:
    """``nlp.make_doc(text)``, but linear in ``len(text)`` and without spaCy's ``max_length`` refusal (see
    :func:`check_length`). ``check`` is called between the parts of a long text (to stop at a deadline)."""
    long_chunks = [match.span() for match in _LONG_CHUNK.finditer(text)]
    if not long_chunks:
        return nlp.tokenizer(text)
    from spacy.tokens import Doc

    parts: list[tuple[int, int]] = []  # spans of the text, each tokenized alone
    done = 0
    for start, end in long_chunks:
        if start > done:
            parts.append((done, start))
        spans = pieces(text, start, end)
        # The white space after the chunk goes with its last piece, as the whole text's tokenizer would
        # attach it, instead of starting the next part with a white-space token.
        space = _SPACE.match(text, end)  # always matches (possibly empty)
        done = space.end() if space is not None else end
        spans[-1] = (spans[-1][0], done)
        parts.extend(spans)
    if done < len(text):
        parts.append((done, len(text)))
    docs = []
    for number, (a, b) in enumerate(parts):
        if check is not None and number % CHECK_EVERY == 0:
            check()
        docs.append(nlp.tokenizer(text[a:b]))
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    assert doc.text == text  # offsets into the block must hold exactly
    return doc


def pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut into spans of at most ``PIECE`` characters where letters or digits meet other
    characters (a hard cut inside a longer run). The first and the last run stay pieces of their own: they
    are the words stuck to the chunk's ends ("improved.====", "====Results"), which a rule may match."""
    runs: list[tuple[int, int]] = []
    for match in _RUN.finditer(text, start, end):
        a, b = match.span()
        while b - a > PIECE:
            runs.append((a, a + PIECE))
            a += PIECE
        runs.append((a, b))
    spans: list[tuple[int, int]] = []
    last = len(runs) - 1
    for index, (a, b) in enumerate(runs):
        if spans and index not in (1, last) and b - spans[-1][0] <= PIECE:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans
