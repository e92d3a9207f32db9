"""``claimcheck claims``: every outcome claim of the drafts, with its figure, its subject, where it is and the
registry entry it matches: the inventory a reviewer starts from, and a way to seed the registry.

The claims are those the claims-registry rules judge (CC101's, qualified or not). The subject is the
entry's terms found in the claim's sentence when an entry's terms are all there (registered, expired or
misquoted), otherwise the outcome words that made it a claim.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from claimcheck.claims.figures import canonical_figure
from claimcheck.claims.matching import UNREGISTERED, judge
from claimcheck.claims.registry import ClaimsRegistry
from claimcheck.documents.base import Document
from claimcheck.engine import Engine, finding
from claimcheck.families.registered_claim import RegisteredClaim
from claimcheck.reporters.base import plural

if TYPE_CHECKING:
    from claimcheck.config import Config

FORMATS = ("text", "csv", "json")
COLUMNS = ("path", "line", "column", "figure", "quantity", "subject", "status", "claim_id", "text")


@dataclass(frozen=True)
class ListedClaim:
    path: str
    line: int
    column: int
    figure: str  # canonical ("80%", "9/10")
    quantity: str  # as written ("Eighty percent")
    subject: tuple[str, ...]
    status: str  # registered, expired, misquoted or unregistered
    claim_id: str | None  # the entry matched (registered, expired) or misquoted; None when unregistered
    text: str  # the claim's sentence as a reader sees it


def inventory_engine(rule: RegisteredClaim, nlp_engine: Engine) -> tuple[Engine, RegisteredClaim]:
    """An engine whose only rule judges claims against the rule's registry (an empty one if none is
    configured), so that every block holding a claim is split into sentences, qualified or not."""
    from claimcheck.ruleset.registry import RuleSet

    judging = rule.with_registry(rule.registry or ClaimsRegistry("", ()))
    return Engine(RuleSet([judging]), lambda: nlp_engine.nlp, nlp_engine.seconds_per_mib), judging


def list_claims(engine: Engine, rule: RegisteredClaim, document: Document) -> Iterator[ListedClaim]:
    context = engine.context(document)
    assert rule.claim_rule is not None and rule.registry is not None
    blocks = context.document.blocks
    for claim in rule.claim_rule.claims(context):
        if claim.hit.block is None:
            continue
        text = blocks[claim.hit.block].text
        quantity = text[claim.quantity[0]:claim.quantity[1]]
        verdict = judge(canonical_figure(quantity), claim.subject(text), rule.registry)
        found = finding(context, rule, claim.hit)
        subject = verdict.terms if verdict.status != UNREGISTERED else (" ".join(claim.outcome_text.split()),)
        entry = verdict.entry.id if verdict.entry is not None and verdict.status != UNREGISTERED else None
        yield ListedClaim(document.path, found.position.line, found.position.column, verdict.figure,
                          " ".join(quantity.split()), subject, verdict.status, entry,
                          " ".join(text[claim.sentence[0]:claim.sentence[1]].split()))


def text_line(claim: ListedClaim) -> str:
    entry = {"registered": f"-> {claim.claim_id}", "expired": f"-> {claim.claim_id} (expired)",
             "misquoted": f"-> none (misquotes {claim.claim_id})"}.get(claim.status, "-> none")
    return f"{claim.path}:{claim.line}:{claim.column}: {claim.figure} ({'; '.join(claim.subject)}) {entry}"


def summary(claims: list[ListedClaim], drafts: int) -> str:
    counts = Counter(claim.status for claim in claims)
    parts = [f"{counts[status]} {status}" for status in ("registered", "expired", "misquoted", "unregistered")
             if counts[status]]
    return (f"Found {plural(len(claims), 'claim')} in {plural(drafts, 'draft')}"
            + (f": {', '.join(parts)}." if parts else "."))


def render(claims: Iterable[ListedClaim], output_format: str) -> str:
    """The whole listing in ``text`` (without the summary), ``csv`` or ``json``."""
    claims = list(claims)
    if output_format == "json":
        return json.dumps([{**asdict(claim), "subject": list(claim.subject)} for claim in claims], indent=2,
                          ensure_ascii=False) + "\n"
    if output_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for claim in claims:
            row = asdict(claim)
            row["subject"] = "; ".join(claim.subject)
            row["claim_id"] = claim.claim_id or ""
            writer.writerow([row[column] for column in COLUMNS])
        return out.getvalue()
    return "".join(text_line(claim) + "\n" for claim in claims)


def run(config: Config, paths: list[str], output_format: str, extend_rules: list[str]) -> int:
    """List the claims of ``paths``; the exit status is 2 when a draft could not be read (it is named on
    standard error, and the others are listed) or there was no draft, else 0."""
    import click

    from claimcheck.errors import ClaimcheckError, UsageError
    from claimcheck.files import STDIN, discover
    from claimcheck.nlp import build_pipeline
    from claimcheck.ruleset import load_ruleset
    from claimcheck.runner import Reader as DraftReader
    from claimcheck.runner import RunOptions, no_drafts_message, parse_loaded
    from claimcheck.terminal import printable
    from claimcheck.walkfilter import Skipped

    if STDIN in paths:
        raise UsageError("claimcheck claims reads files and folders, not standard input")
    ruleset = load_ruleset(config, extend_rules)
    rule = next((r for r in ruleset if isinstance(r, RegisteredClaim)), None)
    if rule is None:
        raise UsageError("no registered-claim rule is loaded (the default CC110-CC112 define which claims "
                         "there are)")
    nlp_engine = Engine(ruleset, lambda: build_pipeline(config.model), config.time_budget)
    engine, judging = inventory_engine(rule, nlp_engine)
    reader = DraftReader(config, RunOptions(paths=paths))
    skipped: list[Skipped] = []
    listed: list[ListedClaim] = []
    drafts, failed = 0, False
    for item in discover(paths, config.exclude, skipped):
        try:
            if isinstance(item, ClaimcheckError):
                raise item
            document = parse_loaded(reader(item))
            listed.extend(list_claims(engine, judging, document))
            drafts += 1
        except ClaimcheckError as exc:
            click.echo(printable(str(exc)), err=True)
            failed = True
    for skip in skipped:
        click.echo(str(skip), err=True)
    if not drafts and not failed and not (skipped and all(skip.excluded for skip in skipped)):
        click.echo(no_drafts_message(paths, skipped), err=True)
        failed = True
    click.echo(render(listed, output_format), nl=False)
    if output_format == "text":
        click.echo(summary(listed, drafts))
    return 2 if failed else 0
