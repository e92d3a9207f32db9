"""Build the one spaCy pipeline a run uses.

The default is ``spacy.blank("en")`` with a sentencizer: tokens and sentence boundaries are all the rules
need, and both are deterministic. Abbreviations common in clinical copy ("approx.", "vs.", "F.D.A.") become
single tokens so the sentencizer does not end a sentence at their period. An installed spaCy model may be
named in the configuration (``model``); it is used when present and never required or downloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimcheck.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language

# Lower-case forms; title and upper case are added too.
ABBREVIATIONS = (
    "approx.", "appt.", "avg.", "ca.", "cf.", "dept.", "est.", "etc.", "fig.", "figs.", "hrs.", "incl.",
    "max.", "min.", "mins.", "mos.", "no.", "nos.", "pts.", "ref.", "refs.", "resp.", "vol.", "vs.", "wk.",
    "wks.", "yr.", "yrs.", "f.d.a.", "u.s.", "e.g.", "i.e.", "et al.", "dr.", "drs.", "mr.", "mrs.", "ms.",
    "prof.", "st.", "ave.", "blvd.", "ste.", "inc.", "ltd.", "co.", "corp.",
)


def _add_abbreviations(nlp: Language) -> None:
    from spacy.symbols import ORTH

    for lower in ABBREVIATIONS:
        if " " in lower:
            continue
        for form in {lower, lower.capitalize(), lower.upper()}:
            # spaCy declares Language.tokenizer as a plain callable; the default one is a Tokenizer.
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])  # type: ignore[union-attr]


def blank_english() -> Language:
    """``spacy.blank("en")`` plus a sentencizer.

    ``English()`` is the object ``spacy.blank("en")`` returns; calling the class directly skips the
    registry lookup by language name, which in spaCy 3.8 imports every registered language first.
    """
    from spacy.lang.en import English

    nlp = English()
    nlp.add_pipe("sentencizer")
    return nlp


def build_pipeline(model: str | None = None) -> Language:
    """Blank English plus a sentencizer, or the named installed model (which must parse sentences)."""
    if not model:
        nlp = blank_english()
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
