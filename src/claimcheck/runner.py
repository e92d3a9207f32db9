"""One ``claimcheck check`` run: load rules, find drafts, lint each, feed the reporter, pick the exit code."""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TextIO

import click

from claimcheck.cache import Cache
from claimcheck.config import Config
from claimcheck.documents import EXTENSIONS, Document, format_for_path, parse
from claimcheck.engine import Engine
from claimcheck.errors import ConfigError, InputError, UsageError
from claimcheck.files import STDIN, decode, discover, read_bytes, too_large
from claimcheck.gitdiff import ChangedLines, Region
from claimcheck.model import Finding, Severity
from claimcheck.output import names_one_of, write_report
from claimcheck.parallel import Loaded
from claimcheck.reading import read_stream
from claimcheck.reporters import ReportOptions, Summary, reporter_class
from claimcheck.reporters.base import plural
from claimcheck.terminal import printable
from claimcheck.walkfilter import Skipped

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
    jobs: int | None = None  # worker processes; None: one per CPU (one for a single file)
    use_cache: bool = True
    cache_dir: str | None = None  # default: $CLAIMCHECK_CACHE_DIR or ./.claimcheck_cache
    respect_ignores: bool = True  # folder walks skip what git ignores and hidden and build folders
    debug: bool = False  # a bug on one draft propagates (with its traceback) instead of failing that draft
    fix: bool = False  # apply the safe fixes and write the drafts (stdin: print the fixed text)
    unsafe_fixes: bool = False  # with fix or diff: the unsafe fixes too
    diff: bool = False  # print what fix would change as a unified diff; write nothing
    show_fixes: bool = False  # list the fixes applied


def build_engine(config: Config, extend_rules: list[str], validate: bool = True) -> Engine:
    """The run's engine. ``validate=False``: the rule files were loaded without error before (the results
    cache says so), so their patterns are compiled on first use, not now."""
    from claimcheck.nlp import build_pipeline
    from claimcheck.ruleset import load_ruleset

    ruleset = load_ruleset(config, extend_rules, validate)
    for key, prefixes in (("select", config.select or []), ("ignore", config.ignore)):
        try:
            ruleset.check_prefixes(prefixes, key)
        except UsageError as exc:  # point at the configuration file when the value came from there
            raise config.error(key, exc.message) from None
    for entry in config.per_file_ignores:
        try:
            ruleset.check_prefixes(entry.codes, f"'per-file-ignores' {entry.pattern!r}")
        except UsageError as exc:
            raise ConfigError(exc.message, path=config.path, line=entry.line, column=entry.column) from None
    selected = ruleset.selected(config.select, config.ignore)
    if not len(selected):
        raise config.error("select" if "select" in config.origins else "ignore",
                           "the configuration selects no rule; check 'select' and 'ignore'")
    if config.model:
        import importlib.util

        # Checked up front: the pipeline is built only when a paragraph needs it, and a wrong model name
        # must not depend on what the drafts say.
        if importlib.util.find_spec(config.model) is None:
            raise config.error("model", f"spaCy model {config.model!r} is not installed; install it or "
                               "remove 'model' from the configuration (claimcheck never downloads models)")
    return Engine(selected, lambda: build_pipeline(config.model), seconds_per_mib=config.time_budget)


def load_document(path: str, config: Config, options: RunOptions) -> Document:
    return parse_loaded(Reader(config, options)(path))


@dataclass(frozen=True)
class Reader:
    """Reads and decodes one draft (picklable, for worker processes)."""

    config: Config
    options: RunOptions

    def __call__(self, path: str) -> Loaded:
        options = self.options
        if path == STDIN:
            display = options.stdin_filename or "<stdin>"
            limit = self.config.max_file_size * 1024 * 1024
            stdin = read_stream(sys.stdin.buffer, limit)
            if stdin is None:
                raise InputError(too_large(-1, limit), path=display)
            data = stdin
            fmt = options.input_format or (format_for_path(display) if options.stdin_filename else "text")
        else:
            display = path
            data = read_bytes(path, self.config.max_file_size * 1024 * 1024)
            fmt = options.input_format or format_for_path(path)
        return Loaded(display, data, decode(data, display, options.encoding, fmt), fmt)


def parse_loaded(loaded: Loaded) -> Document:
    try:
        return parse(loaded.path, loaded.source, loaded.fmt)
    except RecursionError:  # a reader recursing on markup nested thousands deep: refuse this draft only
        raise InputError("markup is nested too deeply to read", path=loaded.path) from None


@dataclass(frozen=True)
class EngineFactory:
    """Builds the run's engine in a worker process (picklable)."""

    config: Config
    extend_rules: list[str]

    def __call__(self) -> Engine:
        return build_engine(self.config, self.extend_rules)


def open_cache(config: Config, options: RunOptions) -> Cache | None:
    if not options.use_cache or options.paths == [STDIN]:
        return None
    from claimcheck.cache import Cache, cache_root, config_settings, settings_key
    from claimcheck.claims.registry import registry_stamp
    from claimcheck.ruleset.loader import rule_paths

    settings = config_settings(config, input_format=options.input_format, encoding=options.encoding,
                               stdin_filename=options.stdin_filename,
                               claims_registry=registry_stamp(config.claims_registry))
    return Cache(cache_root(options.cache_dir, Path.cwd()),
                 settings_key(rule_paths(config, options.extend_rules), settings))


def lint_paths(engine: Engine, config: Config, options: RunOptions, items: list[str | InputError],
               summary: Summary, cache: Cache | None) -> Iterator[tuple[Document, list[Finding]]]:
    """Each draft's document and findings, in discovery order, whatever the number of jobs."""
    from claimcheck.parallel import Failed, Linter, default_jobs, lint_all, source_document

    errors = summary.errors
    files = sum(1 for item in items if not isinstance(item, InputError))
    jobs = options.jobs or (default_jobs() if files > 1 else 1)
    linter = Linter(EngineFactory(config, options.extend_rules), Reader(config, options), parse_loaded, cache,
                    debug=options.debug)
    linter.use_engine(engine)
    progress = Progress.create(files, options.quiet)
    try:
        for outcome in lint_all(items, linter, jobs, progress.step if progress else None):
            if isinstance(outcome, Failed):
                if progress:
                    progress.clear()
                errors.append(printable(outcome.message))  # it may end with a draft's path
                click.echo(errors[-1], err=True)
                continue
            if progress and outcome.findings and sys.stdout.isatty():
                progress.clear()  # the report goes to the same terminal; the bar is redrawn after it
            yield source_document(outcome), outcome.findings
    finally:
        if progress:
            progress.clear()


def no_drafts_message(paths: list[str], skipped: list[Skipped], shown: bool = True) -> str:
    """Why a run linted nothing: a gate must not pass on a folder of Word files or on an empty folder."""
    kinds = ", ".join(EXTENSIONS)
    what = f"; {plural(len(skipped), 'file')} skipped{' (see above)' if shown else ''}" if skipped else ""
    return str(InputError(f"no drafts to lint (claimcheck reads {kinds} files){what}",
                          path=", ".join(paths)))


class Progress:
    """A one-line progress bar on standard error, for runs over many files on a terminal."""

    MIN_FILES = 20
    WIDTH = 30

    def __init__(self, total: int) -> None:
        self.total = total
        self.done = 0
        self._shown = -1.0

    @classmethod
    def create(cls, total: int, quiet: bool) -> Progress | None:
        if quiet or total < cls.MIN_FILES or os.environ.get("CI") or not sys.stderr.isatty():
            return None
        return cls(total)

    def step(self) -> None:
        import time

        self.done += 1
        now = time.monotonic()
        if now - self._shown < 0.1 and self.done < self.total:
            return
        self._shown = now
        filled = self.WIDTH * self.done // self.total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.done}/{self.total} files")
        sys.stderr.flush()

    def clear(self) -> None:
        if self._shown >= 0:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self._shown = -1.0


def run(config: Config, options: RunOptions) -> int:
    cache = open_cache(config, options)
    # Rule files this code has loaded without error before need not be compiled up front: a run whose
    # drafts are all cached then never compiles a pattern.
    engine = build_engine(config, options.extend_rules,
                          validate=not (cache is not None and cache.rules_validated()))
    if cache is not None:
        cache.mark_rules_validated()
        cache.use_rules(engine.rules)
    # With --fix, the fixed text of standard input is the output; the report goes to standard error.
    fixes_stdin = options.fix and options.paths == [STDIN]
    target: TextIO = io.StringIO() if options.output_file else sys.stderr if fixes_stdin else sys.stdout
    color = options.color == "always" or (options.color == "auto" and not options.output_file
                                          and target.isatty() and "NO_COLOR" not in os.environ
                                          and os.environ.get("TERM") != "dumb")
    width = report_width(target, options)
    report_options = ReportOptions(color=color, quiet=options.quiet, statistics=options.statistics,
                                   show_source=options.show_source, width=width)
    reporter = reporter_class(options.output_format)(target, engine.rules, report_options)
    summary = Summary()
    threshold = Severity.parse(config.fail_on)
    failing = False
    changed = ChangedLines.since(options.diff_base) if options.diff_base is not None else None
    # Claims whose qualifier may stand anywhere in the draft: any change may expose them.
    document_wide = {rule.meta.code for rule in engine.rules if getattr(rule, "scope", None) == "document"}
    skipped: list[Skipped] = []
    # paths only; documents are streamed
    items = list(discover(options.paths, config.exclude, skipped, options.respect_ignores))
    summary.skipped = len(skipped)
    if not options.quiet:
        for skip in skipped:
            click.echo(str(skip), err=True)
    # Nothing to lint is an error, unless the configuration or --exclude left out everything named.
    if not items and not (skipped and all(skip.excluded for skip in skipped)):
        summary.no_drafts = no_drafts_message(options.paths, skipped, shown=not options.quiet)
        click.echo(summary.no_drafts, err=True)
    if options.output_file:
        refuse_draft_as_output(options.output_file, options, items)
    fixer = Fixer(engine, config, options, summary) if options.fix or options.diff else None
    summary.fixing = fixer is not None
    if not options.diff:
        reporter.start()
    for document, findings in lint_paths(engine, config, options, items, summary, cache):
        findings = config.reported(document.path, findings)
        if changed is not None:
            from_stdin = STDIN in options.paths and document.path == (options.stdin_filename or "<stdin>")
            findings = changed.filter(document.path, findings, partial(block_regions, document),
                                      document_wide, is_stdin=from_stdin)
        if fixer is not None:
            document, findings = fixer.fix(document, findings)
        if options.diff:
            continue
        summary.add(findings)
        failing = failing or any(f.severity >= threshold for f in findings)
        reporter.file(document.path, document, findings)
    if fixer is not None and options.diff:
        return fixer.finish_diff()
    reporter.finish(summary)
    if fixer is not None and options.show_fixes:
        fixer.show(sys.stdout if options.output_format in ("text", "concise") and not options.output_file
                   else sys.stderr)
    if options.output_file:
        write_report(options.output_file, target.getvalue())  # type: ignore[attr-defined]
    if summary.errors or summary.no_drafts:
        return EXIT_ERROR
    return EXIT_FINDINGS if failing else EXIT_CLEAN


class Fixer:
    """``--fix`` and ``--diff`` over a run: each draft with fixable findings is fixed in this process
    (see :mod:`claimcheck.fixing`); the fixed draft is written, printed (standard input) or shown as a
    diff."""

    def __init__(self, engine: Engine, config: Config, options: RunOptions, summary: Summary) -> None:
        self.engine, self.config, self.options, self.summary = engine, config, options, summary
        self.applied: list[tuple[str, list[Finding]]] = []  # per draft, the findings fixed
        self.diffs = 0

    def fix(self, document: Document, findings: list[Finding]) -> tuple[Document, list[Finding]]:
        """The document and findings to report for one draft (after its fixes, with --fix)."""
        from claimcheck.errors import ClaimcheckError
        from claimcheck.fixing import fix_document, unified_diff, write_fixed

        options = self.options
        path = document.path

        def lint(fixed: Document) -> list[Finding]:
            return self.config.reported(path, self.engine.lint(fixed))

        try:
            outcome = fix_document(document, findings, lint, options.unsafe_fixes)
            if not outcome.fixed.changed:
                return document, findings
            text = outcome.fixed.text
            if options.diff:
                sys.stdout.write(unified_diff(path, document.source, text))
                self.diffs += 1
            elif STDIN in options.paths and path == (options.stdin_filename or "<stdin>"):
                sys.stdout.write(text)
            else:
                write_fixed(path, document.source, text, options.encoding, document.format,
                            self.config.max_file_size * 1024 * 1024)
        except ClaimcheckError as exc:
            self.summary.errors.append(printable(str(exc)))
            click.echo(self.summary.errors[-1], err=True)
            return document, findings
        self.summary.fixed += len(outcome.fixed.fixed)
        self.summary.fixed_files += 1
        self.applied.append((path, outcome.fixed.fixed))
        return (outcome.document, outcome.remaining) if options.fix else (document, findings)

    def finish_diff(self) -> int:
        """--diff: say what would be fixed (on standard error: the diff is the output); the exit status, 1
        when something would change."""
        summary = self.summary
        if summary.fixed:
            files = plural(summary.fixed_files, "file")
            click.echo(f"Would fix {plural(summary.fixed, 'problem')} in {files} (run with --fix to apply).",
                       err=True)
        else:
            click.echo("No fixes to apply.", err=True)
        if summary.errors or summary.no_drafts:
            return EXIT_ERROR
        return EXIT_FINDINGS if summary.fixed else EXIT_CLEAN

    def show(self, stream: TextIO) -> None:
        """--show-fixes: the fixes applied, per draft."""
        if not self.applied:
            stream.write("No fixes applied.\n")
            return
        stream.write(f"Fixed {plural(self.summary.fixed, 'problem')}:\n")
        for path, fixed in self.applied:
            stream.write(f"  {printable(path)}:\n")
            counts: dict[tuple[str, str], int] = {}
            for finding in fixed:
                assert finding.fix is not None
                key = (finding.code, finding.fix.title)
                counts[key] = counts.get(key, 0) + 1
            for (code, title), count in counts.items():
                stream.write(f"    {count} x {code} {printable(title)}\n")


def report_width(target: TextIO, options: RunOptions) -> int:
    """Columns for source frames: $COLUMNS when set, else the terminal's; 100 for a file or a pipe, so
    that saved reports and CI logs do not depend on who ran them."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if options.output_file or not target.isatty():
        return 100
    return shutil.get_terminal_size((100, 24)).columns


def block_regions(document: Document) -> list[Region]:
    """Each block's first and last line and qualifier group (parsing again a draft read from the cache or
    in a worker, whose blocks did not come back)."""
    if not document.blocks and document.source.strip():
        document = parse(document.path, document.source, document.format)
    lines = document.lines
    return [(lines.position(block.source_start).line,
             lines.position(max(block.source_end - 1, block.source_start)).line, block.group)
            for block in document.blocks]


def refuse_draft_as_output(output_file: str, options: RunOptions, items: list[str | InputError]) -> None:
    """Never replace a draft with its own report: not one that was linted, nor one given or found that
    could not be read (too big, binary, not UTF-8), nor the name given for standard input."""
    drafts = [path for path in options.paths if path != STDIN]
    drafts += [item.path or "" if isinstance(item, InputError) else item for item in items]
    if options.stdin_filename and STDIN in options.paths:
        drafts.append(options.stdin_filename)
    if names_one_of(output_file, [draft for draft in drafts if draft]):
        raise UsageError(f"--output-file {output_file} is one of the drafts to lint; write the report "
                         "elsewhere")
