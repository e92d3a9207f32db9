"""How one claim stands against the registry: registered, registered but expired, misquoted, or unregistered.

A claim matches an entry when every one of the entry's terms is found in the claim's sentence and the
claim's figure equals one of the entry's figures (compared in canonical form, see
:mod:`claimcheck.claims.figures`; a claim stating a share two ways, "71 of 97 (73%)", has both figures).
When the terms of some entry are found but no figure is the claim's,
the claim misquotes that entry. Otherwise it is unregistered, and the nearest entry is the one with the
largest share of its terms found (a figure in common breaks ties and counts alone when no term is found).
"""

from __future__ import annotations

from dataclasses import dataclass

from claimcheck.claims.registry import ClaimsRegistry, Entry

REGISTERED, EXPIRED, MISQUOTED, UNREGISTERED = "registered", "expired", "misquoted", "unregistered"


@dataclass(frozen=True)
class Verdict:
    status: str  # one of REGISTERED, EXPIRED, MISQUOTED, UNREGISTERED
    figure: str  # the claim's figure, canonical
    entry: Entry | None  # the entry matched or misquoted; for an unregistered claim, the nearest (if any)
    terms: tuple[str, ...] = ()  # the terms of ``entry`` found in the claim's sentence


def figure_matches(figure: str, registered: frozenset[str]) -> bool:
    """Whether a claim's canonical figure is a registered one: the whole figure, or one of its percentages
    or proportions ("71/97 73%", from "seventy-one of 97 patients (73%)", is both 71/97 and 73%)."""
    if figure in registered:
        return True
    return any(token in registered for token in figure.split() if "%" in token or "/" in token)


def judge(figure: str, subject: str, registry: ClaimsRegistry) -> Verdict:
    """The verdict on a claim with canonical ``figure`` whose sentence (a table row: with its header) is
    ``subject``."""
    misquoted: Entry | None = None
    nearest: tuple[tuple[float, bool], Entry, tuple[str, ...]] | None = None
    for entry in registry.entries:
        found = tuple(term.text for term in entry.terms if term.found_in(subject))
        same_figure = figure_matches(figure, entry.canonical)
        if len(found) == len(entry.terms):
            if same_figure:
                return Verdict(EXPIRED if entry.expired(registry.today) else REGISTERED, figure, entry, found)
            if misquoted is None:
                misquoted = entry
                misquoted_terms = found
            continue
        score = (len(found) / len(entry.terms), same_figure)
        if (found or same_figure) and (nearest is None or score > nearest[0]):
            nearest = (score, entry, found)
    if misquoted is not None:
        return Verdict(MISQUOTED, figure, misquoted, misquoted_terms)
    if nearest is not None:
        return Verdict(UNREGISTERED, figure, nearest[1], nearest[2])
    return Verdict(UNREGISTERED, figure, None)
