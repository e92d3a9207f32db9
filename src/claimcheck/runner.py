"""One ``claimcheck check`` run: load rules, find drafts, lint each, feed the reporter, pick the exit status."""

from __future__ import annotations

import io
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import click

from claimcheck.config import Config
from claimcheck.documents import Document, format_for_path, parse
from claimcheck.engine import Engine
from claimcheck.errors import ClaimcheckError, InputError, UsageError
from claimcheck.files import STDIN, decode, discover, read_bytes
from claimcheck.gitdiff import ChangedLines
from claimcheck.model import Finding, Severity
from claimcheck.reporters import ReportOptions, Summary, reporter_class

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class RunOptions:
    paths: list[str]
    output_format: str = "text"
    extend_rules: list[str] = field(default_factory=list)
    input_format: str | None = None
    stdin_filename: str | None = None
    encoding: str | None = None
    output_file: str | None = None
    color: str = "auto"
    show_source: bool = True
    statistics: bool = False
    quiet: bool = False
    diff_base: str | None = None  # report only findings on lines changed since this git revision


def build_engine(config: Config, extend_rules: list[str]) -> Engine:
    from claimcheck.cli import load_ruleset
    from claimcheck.nlp import build_pipeline

    ruleset = load_ruleset(config, extend_rules)
    ruleset.check_prefixes(config.select or [], "select")
    ruleset.check_prefixes(config.ignore, "ignore")
    selected = ruleset.selected(config.select, config.ignore)
    if not len(selected):
        raise UsageError("the configuration selects no rule; check 'select' and 'ignore'")
    return Engine(selected, lambda: build_pipeline(config.model))


def load_document(path: str, config: Config, options: RunOptions) -> Document:
    if path == STDIN:
        display = options.stdin_filename or "<stdin>"
        data = sys.stdin.buffer.read()
        fmt = options.input_format or (format_for_path(display) if options.stdin_filename else "text")
    else:
        display = path
        data = read_bytes(path, config.max_file_size * 1024 * 1024)
        fmt = options.input_format or format_for_path(path)
    return parse(display, decode(data, display, options.encoding), fmt)


def lint_paths(engine: Engine, config: Config, options: RunOptions,
               errors: list[str]) -> Iterator[tuple[Document, list[Finding]]]:
    for item in discover(options.paths, config.exclude):
        if isinstance(item, InputError):
            errors.append(str(item))
            click.echo(f"{item}", err=True)
            continue
        try:
            document = load_document(item, config, options)
        except InputError as exc:
            errors.append(str(exc))
            click.echo(f"{exc}", err=True)
            continue
        yield document, engine.lint(document)


def run(config: Config, options: RunOptions) -> int:
    engine = build_engine(config, options.extend_rules)
    target: TextIO = io.StringIO() if options.output_file else sys.stdout
    color = options.color == "always" or (options.color == "auto" and not options.output_file
                                          and target.isatty() and "NO_COLOR" not in os.environ)
    report_options = ReportOptions(color=color, quiet=options.quiet, statistics=options.statistics,
                                   show_source=options.show_source)
    reporter = reporter_class(options.output_format)(target, engine.rules, report_options)
    summary = Summary()
    threshold = Severity.parse(config.fail_on)
    failing = False
    changed = ChangedLines.since(options.diff_base) if options.diff_base else None
    reporter.start()
    for document, findings in lint_paths(engine, config, options, summary.errors):
        if changed is not None:
            from_stdin = STDIN in options.paths and document.path == (options.stdin_filename or "<stdin>")
            findings = changed.filter(document.path, findings, is_stdin=from_stdin)
        summary.add(findings)
        failing = failing or any(f.severity >= threshold for f in findings)
        reporter.file(document.path, document, findings)
    reporter.finish(summary)
    if options.output_file:
        write_atomically(Path(options.output_file), target.getvalue())  # type: ignore[attr-defined]
    if summary.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so an interrupted run never leaves a partial report."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        raise ClaimcheckError(f"cannot write output file: {exc.strerror or exc}", path=str(path)) from None
