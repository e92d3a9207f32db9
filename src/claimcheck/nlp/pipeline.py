"""Build the one spaCy pipeline a run uses.

The default is ``spacy.blank("en")`` with a sentencizer: tokens and sentence boundaries are all the rules need,
and both are deterministic. Abbreviations common in clinical copy ("approx.", "vs.", "F.D.A.") become single
tokens so the sentencizer does not end a sentence at their period. An installed spaCy model may be named in
the configuration (``model``); it is used when present and never required or downloaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from claimcheck.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Lower-case forms; title and upper case are added too.
ABBREVIATIONS = (
    "approx.", "appt.", "avg.", "ca.", "cf.", "dept.", "est.", "etc.", "fig.", "figs.", "hrs.", "incl.",
    "max.", "min.", "mins.", "mos.", "no.", "nos.", "pts.", "ref.", "refs.", "resp.", "vol.", "vs.", "wk.",
    "wks.", "yr.", "yrs.", "f.d.a.", "u.s.", "e.g.", "i.e.", "et al.", "dr.", "drs.", "mr.", "mrs.", "ms.",
    "prof.", "st.", "ave.", "blvd.", "ste.", "inc.", "ltd.", "co.", "corp.",
)


def _add_abbreviations(nlp: Language | BlankEnglish) -> None:
    from spacy.symbols import ORTH

    for lower in ABBREVIATIONS:
        if " " in lower:
            continue
        for form in {lower, lower.capitalize(), lower.upper()}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


class BlankEnglish:
    """``spacy.blank("en")`` plus a sentencizer, built from the same parts without spaCy's registries.

    ``spacy.blank`` resolves its config through the function registry, which in spaCy 3.8 first imports
    every registered language module (Thai, Japanese...): over 0.1 s of a pre-commit run. The tokenizer
    (English defaults: exceptions, prefixes, suffixes, infixes, token and URL matches), the vocabulary
    (``create_vocab``, so lexical attributes such as ``is_punct`` are the same) and the sentencizer are
    the very objects ``spacy.blank("en")`` + ``add_pipe("sentencizer")`` build, so tokens and sentence
    boundaries are identical (tests/test_performance_features.py compares them).
    """

    def __init__(self) -> None:
        from spacy.lang.en import English
        from spacy.pipeline import Sentencizer
        from spacy.tokenizer import Tokenizer
        from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
        from spacy.vocab import create_vocab

        defaults = English.Defaults
        self.vocab = create_vocab("en", defaults)
        self.tokenizer = Tokenizer(
            self.vocab, rules=defaults.tokenizer_exceptions,
            prefix_search=compile_prefix_regex(defaults.prefixes).search,
            suffix_search=compile_suffix_regex(defaults.suffixes).search,
            infix_finditer=compile_infix_regex(defaults.infixes).finditer,
            token_match=defaults.token_match, url_match=defaults.url_match,
        )
        self.sentencizer = Sentencizer()

    def has_pipe(self, name: str) -> bool:
        return name == "sentencizer"

    def __call__(self, text: str) -> Doc:
        return self.sentencizer(self.tokenizer(text))

    def pipe(self, texts: Iterable[str], batch_size: int = 64, **_: Any) -> Iterator[Doc]:
        tokenizer, sentencizer = self.tokenizer, self.sentencizer
        for text in texts:
            yield sentencizer(tokenizer(text))


def build_pipeline(model: str | None = None) -> Language | BlankEnglish:
    """Blank English plus a sentencizer, or the named installed model (which must parse sentences)."""
    if not model:
        nlp = BlankEnglish()
        _add_abbreviations(nlp)
        return nlp
    import spacy

    try:
        nlp = spacy.load(model, exclude=["ner", "lemmatizer", "textcat"])
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {model!r} is not installed; install it or remove 'model' from the "
            "configuration (claimcheck never downloads models)"
        ) from exc
    _add_abbreviations(nlp)
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter") and not nlp.has_pipe("sentencizer"):
        nlp.add_pipe("sentencizer")
    return nlp
