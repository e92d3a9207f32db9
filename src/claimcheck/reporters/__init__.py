"""One module per output format behind the :class:`~claimcheck.reporters.base.Reporter` interface."""

from __future__ import annotations

import importlib

from claimcheck.reporters.base import Reporter, ReportOptions, Summary

# format name -> "module:Class"; imported only when chosen.
REPORTERS = {
    "text": "claimcheck.reporters.text:TextReporter",
    "concise": "claimcheck.reporters.concise:ConciseReporter",
    "json": "claimcheck.reporters.json:JsonReporter",
    "sarif": "claimcheck.reporters.sarif:SarifReporter",
    "github": "claimcheck.reporters.github:GithubReporter",
    "junit": "claimcheck.reporters.junit:JunitReporter",
    "markdown": "claimcheck.reporters.markdown:MarkdownReporter",
    "html": "claimcheck.reporters.html:HtmlReporter",
}


def reporter_class(name: str) -> type[Reporter]:
    module, _, cls = REPORTERS[name].partition(":")
    return getattr(importlib.import_module(module), cls)  # type: ignore[no-any-return]


__all__ = ["REPORTERS", "ReportOptions", "Reporter", "Summary", "reporter_class"]
