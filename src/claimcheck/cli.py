"""Command line: click commands only. Linting lives in the engine; exit statuses are decided here.

Exit status: 0 nothing at or above --fail-on, 1 findings, 2 usage/config/rule/input errors, 130 interrupted,
143 terminated (SIGTERM).
"""

from __future__ import annotations

import io
import re
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from claimcheck import __version__
from claimcheck.errors import ClaimcheckError, UsageError

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
INPUT_FORMATS = ("text", "markdown", "html")
OUTPUT_FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "markdown", "html")


def split_codes(values: Sequence[str]) -> list[str]:
    """``--select CC1,CC2 --select CC3`` -> ["CC1", "CC2", "CC3"]."""
    return [code.strip() for value in values for code in value.split(",") if code.strip()]


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="claimcheck")
def cli() -> None:
    """A compliance linter for medical marketing drafts.

    It flags numeric outcome claims without an "Individual outcomes vary" qualifier, FDA wording beyond
    what is true, and missing disclaimers, in plain text, Markdown and HTML.

    \b
    Examples:
      claimcheck check drafts/            lint every draft in a folder
      claimcheck check --format json a.md machine-readable findings
      claimcheck explain CC101            what a rule flags and how to fix it
    """


@cli.command(context_settings=CONTEXT)
# readable=False: an unreadable draft is one draft's error (reported, the others linted), not a usage error.
@click.argument("paths", nargs=-1, type=click.Path(path_type=str, readable=False))
@click.option("--format", "output_format", type=click.Choice(OUTPUT_FORMATS), default="text",
              show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these rule codes or prefixes (comma-separated; longest prefix wins).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes.")
@click.option("--extend-rules", multiple=True, type=click.Path(exists=True), metavar="PATH",
              help="Add your own rule file or folder of rule files.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="Lowest severity that makes the exit status 1.  [default: error]")
@click.option("--qualifier", "qualifiers", multiple=True, metavar="TEXT",
              help="Accepted outcome qualifier (repeatable); replaces the configured list.")
@click.option("--claim-scope", type=click.Choice(["sentence", "paragraph", "document"]), default=None,
              help="Where a claim's qualifier must stand.  [default: paragraph]")
@click.option("--exclude", multiple=True, metavar="GLOB",
              help="Skip paths matching this glob (relative to the working directory; a folder skips "
                   "everything in it).")
@click.option("--no-respect-gitignore", is_flag=True,
              help="Also walk what git ignores, and hidden and build folders (_site, node_modules, ...).")
@click.option("--input-format", type=click.Choice(INPUT_FORMATS), default=None,
              help="Read drafts as this format (default: by extension; stdin: text).")
@click.option("--stdin-filename", metavar="NAME", default=None,
              help="Path to report for stdin ('-'); its extension chooses the input format.")
@click.option("--encoding", default=None, metavar="NAME",
              help="Encoding of drafts without a BOM.  [default: utf-8]")
@click.option("--max-file-size", type=click.IntRange(min=1), default=None, metavar="MIB",
              help="Refuse drafts larger than this.  [default: 20]")
@click.option("--time-budget", type=click.FloatRange(min=0, min_open=True, max=1e9), default=None,
              metavar="SECONDS",
              help="Seconds per MiB (at least that long per draft) before linting a draft stops with an "
                   "error.  [default: 60]")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report.")
@click.option("--no-source", is_flag=True, help="Do not show the source line under each finding.")
@click.option("--statistics", is_flag=True,
              help="Print the number of findings per rule (text, concise: instead of the findings; "
                   "github: after them; json, sarif, junit, markdown, html: ignored).")
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--exit-zero", is_flag=True, help="Exit with status 0 even when there are findings.")
@click.option("--require-reason", is_flag=True,
              help="Report a suppression comment without a reason after '--' (CC902).")
@click.option("--diff-base", metavar="REF", default=None,
              help="Report only findings on lines added or changed since this git revision "
                   "(from its merge base with HEAD; untracked files count as changed).")
@click.option("--fix", is_flag=True,
              help="Apply the safe fixes and write the drafts (standard input: print the fixed text); the "
                   "report then lists what remains.")
@click.option("--unsafe-fixes", is_flag=True,
              help="With --fix or --diff: also apply fixes that change regulated wording (review them).")
@click.option("--diff", is_flag=True,
              help="Print what --fix would change as a unified diff and write nothing (exit status 1 when "
                   "something would change).")
@click.option("--show-fixes", is_flag=True, help="With --fix: list the fixes applied, per draft.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Lint in N processes; the report is the same.  [default: CPU count; 1 for one file]")
@click.option("--no-cache", is_flag=True, help="Neither read nor write cached results.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="Where cached results live.  [default: $CLAIMCHECK_CACHE_DIR or ./.claimcheck_cache]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration file instead of searching for one.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--debug", is_flag=True, help="Show a traceback for unexpected errors.")
def check(paths: tuple[str, ...], output_format: str, select: tuple[str, ...], ignore: tuple[str, ...],
          extend_rules: tuple[str, ...], fail_on: str | None, qualifiers: tuple[str, ...],
          claim_scope: str | None, exclude: tuple[str, ...], no_respect_gitignore: bool,
          input_format: str | None,
          stdin_filename: str | None, encoding: str | None, max_file_size: int | None,
          time_budget: float | None, output_file: str | None, color: str, no_source: bool,
          statistics: bool, quiet: bool, exit_zero: bool, require_reason: bool, diff_base: str | None,
          fix: bool, unsafe_fixes: bool, diff: bool, show_fixes: bool,
          jobs: int | None, no_cache: bool, cache_dir: str | None, config_path: str | None, isolated: bool,
          debug: bool) -> None:
    """Lint drafts (files, folders, or '-' for standard input).

    Folders are searched for .txt, .md, .markdown, .html and .htm files. Findings print as
    'path:line:col: CODE message'. Exit status: 0 clean, 1 findings at or above --fail-on,
    2 usage, configuration or input errors.
    """
    from claimcheck.config import resolve_config
    from claimcheck.files import STDIN, check_encoding
    from claimcheck.pathglobs import anchor
    from claimcheck.runner import RunOptions, run

    if encoding:
        check_encoding(encoding)
    if paths.count(STDIN) > 1:
        raise UsageError("'-' (standard input) may be given only once: it can be read only once")
    check_fix_options(fix, unsafe_fixes, diff, show_fixes, diff_base, paths)
    if any(not qualifier.strip() for qualifier in qualifiers):
        raise UsageError("--qualifier: a qualifier must not be empty")
    config = resolve_config(config_path, isolated, Path.cwd())
    if qualifiers:
        config.qualifiers = list(qualifiers)
    if claim_scope:
        config.claim_scope = claim_scope
    if select:
        config.select = split_codes(select)
    if ignore:
        config.ignore = split_codes(ignore)
    config.exclude += [anchor(glob, Path.cwd()) for glob in exclude]
    if fail_on:
        config.fail_on = fail_on
    if max_file_size:
        config.max_file_size = max_file_size
    if time_budget:
        config.time_budget = time_budget
    if require_reason:
        config.require_reason = True
    options = RunOptions(
        paths=list(paths) or ["."], output_format=output_format, extend_rules=list(extend_rules),
        input_format=input_format, stdin_filename=stdin_filename, encoding=encoding,
        output_file=output_file, color=color, show_source=not no_source, statistics=statistics,
        quiet=quiet, diff_base=diff_base, jobs=jobs, use_cache=not no_cache, cache_dir=cache_dir,
        respect_ignores=not no_respect_gitignore,
        debug=debug, fix=fix, unsafe_fixes=unsafe_fixes, diff=diff, show_fixes=show_fixes,
    )
    status = run(config, options)
    sys.exit(EXIT_CLEAN if exit_zero and status == EXIT_FINDINGS else status)


def check_fix_options(fix: bool, unsafe_fixes: bool, diff: bool, show_fixes: bool, diff_base: str | None,
                      paths: Sequence[str]) -> None:
    """Combinations of the fix options that cannot mean what they say."""
    if fix and diff:
        raise UsageError("--fix writes the fixes and --diff shows them without writing: use one of the two")
    if unsafe_fixes and not (fix or diff):
        raise UsageError("--unsafe-fixes needs --fix (to apply them) or --diff (to see them)")
    if show_fixes and not fix:
        raise UsageError("--show-fixes needs --fix (with --diff, the diff shows the fixes)")
    if (fix or diff) and diff_base is not None:
        raise UsageError("--fix and --diff fix whole drafts; they cannot be combined with --diff-base")
    if fix and "-" in paths and len(paths) > 1:
        raise UsageError("with --fix, '-' (standard input) must be the only path: its fixed text is printed")


@cli.command(context_settings=CONTEXT)
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, metavar="DIR",
              help="The cache folder to remove.  [default: $CLAIMCHECK_CACHE_DIR or ./.claimcheck_cache]")
def clean(cache_dir: str | None) -> None:
    """Remove the cache of results (.claimcheck_cache): only what claimcheck created in it."""
    from claimcheck.cache import cache_root
    from claimcheck.cache import clean as remove
    from claimcheck.reporters.base import plural
    from claimcheck.terminal import printable, printable_path

    root = cache_root(cache_dir, Path.cwd())
    try:
        cleaned = remove(root)
    except OSError as exc:
        raise ClaimcheckError(f"cannot remove the cache: {exc.strerror or exc}", path=str(root)) from None
    shown_root = printable_path(str(root))
    if cleaned is None:
        click.echo(f"No cache at {shown_root}")
    elif cleaned.removed_root:
        click.echo(f"Removed {shown_root}")
    else:
        shown = printable(", ".join(cleaned.left[:5]) + (", …" if len(cleaned.left) > 5 else ""))
        click.echo(f"Removed {plural(cleaned.entries, 'cache entry', 'cache entries')} from {shown_root}; "
                   f"left {plural(len(cleaned.left), 'path')} claimcheck did not create: {shown}")


RULE_FILES = click.option("--extend-rules", multiple=True, type=click.Path(exists=True), metavar="PATH",
                          help="Also load your own rule file or folder of rule files.")


@cli.command(context_settings=CONTEXT)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration file (its extend-rules are listed too).")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@RULE_FILES
@click.option("--check", "check_examples", is_flag=True,
              help="Lint every rule's own examples: a failing example must be flagged, a passing one not.")
def rules(output_format: str, config_path: str | None, isolated: bool, extend_rules: tuple[str, ...],
          check_examples: bool) -> None:
    """List the rules: code, name, severity and what each flags."""
    import json

    from claimcheck.config import resolve_config
    from claimcheck.ruleset import load_ruleset

    config = resolve_config(config_path, isolated, Path.cwd())
    ruleset = load_ruleset(config, extend_rules)
    if check_examples:
        from claimcheck.engine import Engine
        from claimcheck.errors import RuleErrors
        from claimcheck.nlp import build_pipeline
        from claimcheck.rulecheck import check_examples as run_examples

        checked, errors = run_examples(Engine(ruleset, lambda: build_pipeline(config.model)))
        if errors:
            raise errors[0] if len(errors) == 1 else RuleErrors(errors)
        click.echo(f"All {checked} examples of {len(ruleset)} rules hold.")
        return
    if output_format == "json":
        click.echo(json.dumps([{"code": r.meta.code, "name": r.meta.name, "kind": r.meta.kind,
                                "severity": str(r.meta.severity), "message": r.message(),
                                "source": r.meta.source} for r in ruleset], indent=2))
        return
    for rule in ruleset:
        meta = rule.meta
        # The first sentence of the description; 'claimcheck explain CODE' has the rest.
        summary = " ".join(meta.description.split("\n\n")[0].split())
        first = re.split(r"[.:] ", re.sub(r"\s*\([^()]*\)", "", summary))[0].rstrip(".:")
        click.echo(f"{meta.code}  {meta.name:<30} {meta.severity!s:<8} {first}")


@cli.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but a loopback address lets other computers in.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8750, show_default=True)
@click.option("--max-file-size", type=click.IntRange(min=1), default=None, metavar="MIB",
              help="Refuse drafts larger than this.  [default: 20]")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration file instead of searching for one.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@RULE_FILES
def serve(host: str, port: int, max_file_size: int | None, config_path: str | None, isolated: bool,
          extend_rules: tuple[str, ...]) -> None:
    """Start a local web page to check a draft: paste or choose a file, see the findings, apply fixes.

    Uses the configuration of the folder it starts in. Needs the 'serve' extra:
    pip install 'claimcheck-lint[serve]'.
    """
    from claimcheck.config import resolve_config
    from claimcheck.serve import require_extra
    from claimcheck.serve import serve as run_server

    require_extra()
    config = resolve_config(config_path, isolated, Path.cwd())
    if max_file_size:
        config.max_file_size = max_file_size
    run_server(config, list(extend_rules), host, port)


@cli.command(context_settings=CONTEXT)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str, readable=False))
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "json"]), default="text",
              show_default=True, help="Output format.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Use this configuration file (its claims-registry) instead of searching for one.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@RULE_FILES
def claims(paths: tuple[str, ...], output_format: str, config_path: str | None, isolated: bool,
           extend_rules: tuple[str, ...]) -> None:
    """List every outcome claim: figure, subject, file:line:col and the registry entry it matches.

    The claims are CC101's, qualified or not; the registry is 'claims-registry' in the configuration.
    """
    from claimcheck.claims.inventory import run
    from claimcheck.config import resolve_config

    config = resolve_config(config_path, isolated, Path.cwd())
    sys.exit(run(config, list(paths) or ["."], output_format, list(extend_rules)))


def unknown_rule(key: str, codes: Sequence[str], names: Sequence[str]) -> str:
    """"unknown rule 'CC10' (did you mean CC101?)": codes it starts, else close codes or names (a letter O
    typed for a zero counts as close)."""
    import difflib

    wanted = key.upper()
    close = [code for code in codes if code.startswith(wanted)] if len(wanted) >= 3 else []
    digits = re.sub(r"(?<=\d)O|O(?=\d)", "0", wanted)
    if not close:
        close = [digits] if digits in codes else difflib.get_close_matches(digits, codes, n=3, cutoff=0.7)
    if not close:
        close = difflib.get_close_matches(key.lower(), names, n=1, cutoff=0.6)
    if close:
        return f"unknown rule {key!r} (did you mean {' or '.join(close)}?)"
    return f"unknown rule {key!r} (known: {', '.join(codes)}; see 'claimcheck rules')"


@cli.command(context_settings=CONTEXT)
@click.argument("code")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None)
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@RULE_FILES
def explain(code: str, config_path: str | None, isolated: bool, extend_rules: tuple[str, ...]) -> None:
    """Explain a rule: what it flags, why, an example, and what to write instead."""
    from claimcheck.config import resolve_config
    from claimcheck.ruleset import load_ruleset

    ruleset = load_ruleset(resolve_config(config_path, isolated, Path.cwd()), extend_rules)
    rule = ruleset.get(code)
    if rule is None:
        raise UsageError(unknown_rule(code, ruleset.codes(), [r.meta.name for r in ruleset]))
    meta = rule.meta
    click.echo(f"{meta.code} {meta.name} ({meta.severity}, kind: {meta.kind})\n")
    click.echo(f"Message: {rule.message()}\n")
    click.echo(meta.description + "\n")
    for title, examples in (("Flagged", meta.examples_fail), ("Fine", meta.examples_pass)):
        if examples:
            click.echo(f"{title}:")
            for example in examples:
                click.echo("  " + example.strip().replace("\n", "\n  "))
            click.echo()
    if meta.references:
        click.echo("References:")
        for reference in meta.references:
            click.echo(f"  - {reference}")
        click.echo()
    fix = rule.describe_fix()
    click.echo(f"Fix: {fix}" if fix else "Fix: none (check --fix leaves these findings to the writer)")
    click.echo()
    click.echo(f"Defined in: {meta.source}")


@cli.command(context_settings=CONTEXT)
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default and only "
              "transport; accepted because editors pass it).")
def server(stdio: bool) -> None:
    """Run the language server for editors (LSP over standard input and output).

    Needs the 'lsp' extra: pip install 'claimcheck-lint[lsp]'. Exit status: 0 after the editor's
    shutdown and exit, 1 when the editor went away without them.
    """
    from claimcheck.lsp.warmup import in_background, pipeline

    in_background(lambda: pipeline(None))  # spaCy loads while the protocol library does
    try:
        from claimcheck.lsp.server import create_server
    except ImportError as exc:
        if str(exc.name).split(".")[0] not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        from claimcheck.lsp import INSTALL_HINT

        raise UsageError(INSTALL_HINT) from None
    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything printed by accident must not corrupt the protocol stream
    language_server = create_server()
    language_server.start_io(sys.stdin.buffer, protocol_out)
    sys.exit(EXIT_CLEAN if language_server.state.shut_down else EXIT_FINDINGS)


def no_such_command(name: str) -> str:
    """The error for ``claimcheck NAME``: a path was probably meant for ``check``."""
    import difflib

    close = difflib.get_close_matches(name, list(cli.commands), n=1)
    if close:
        return f"unknown command {name!r} (did you mean {close[0]!r}?)"
    if "/" in name or "." in name or Path(name).exists():
        return f"unknown command {name!r}; to lint it, run 'claimcheck check {name}'"
    return f"unknown command {name!r} (commands: {', '.join(sorted(cli.commands))})"
def _terminated(signum: int, frame: object) -> NoReturn:
    # Unwinding stops the worker processes and removes temporary files; the exit is quiet, as for a
    # process killed by the signal, but with the conventional status 128 + 15.
    raise SystemExit(EXIT_TERMINATED)


def main(argv: Sequence[str] | None = None) -> NoReturn:
    args = list(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _terminated)
    # A file name that is not UTF-8 arrives with surrogate escapes; printed as \udcXX instead of crashing
    # the report (standard error already does this).
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="backslashreplace")
    debug = "--debug" in args
    if not args:  # the usual help, not a one-line usage error
        args = ["--help"]
    command = next((arg for arg in args if not arg.startswith("-")), None)
    if command is not None and command not in cli.commands and args[0] == command:
        click.echo(f"claimcheck: error: {no_such_command(command)}", err=True)
        sys.exit(EXIT_ERROR)
    try:
        cli.main(args=args, prog_name="claimcheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        # One line, like every other error; --help shows the full usage.
        ctx: click.Context | None = getattr(exc, "ctx", None)  # only usage errors carry the command
        command = " ".join(["claimcheck", *(ctx.command_path.split()[1:] if ctx else [])])
        message = " ".join(exc.format_message().split())
        click.echo(f"claimcheck: error: {message} (see '{command} --help')", err=True)
        sys.exit(EXIT_ERROR)
    except click.exceptions.Abort:
        click.echo("claimcheck: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except ClaimcheckError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        # A located error starts with path:line:col, so editors and CI problem matchers pick it up.
        click.echo(str(exc) if exc.location() else f"claimcheck: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        click.echo("claimcheck: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        # The reader went away (e.g. piped into `head`): not our error.
        sys.stderr.close()
        sys.exit(EXIT_ERROR)
    except SystemExit:
        raise
    except Exception as exc:  # a bug: one line, unless --debug
        if debug:
            import traceback

            traceback.print_exc()  # then exit 2 like any other error (a raised exception would exit 1)
            sys.exit(EXIT_ERROR)
        detail = next(iter(str(exc).strip().splitlines()), "")  # one line, whatever the exception says
        click.echo(f"claimcheck: internal error: {type(exc).__name__}: {detail}. "
                   "This is a bug; please report it with the output of the same command run with --debug.",
                   err=True)
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_CLEAN)
