"""``claimcheck serve``: a local web page that checks one draft, for writers who do not use a terminal.

Needs the optional extra ``claimcheck-lint[serve]`` (Starlette and uvicorn; see :mod:`claimcheck.serve.app`).
"""

from __future__ import annotations

import importlib.util
from typing import TYPE_CHECKING

import click

from claimcheck.config import Config
from claimcheck.errors import UsageError

if TYPE_CHECKING:
    from starlette.applications import Starlette

INSTALL_HINT = ("claimcheck serve needs the optional 'serve' extra (Starlette and uvicorn); install it with "
                "pip install 'claimcheck-lint[serve]' (or: pipx inject claimcheck-lint starlette uvicorn)")


def require_extra() -> None:
    missing = [name for name in ("starlette", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        raise UsageError(f"{INSTALL_HINT}; missing: {', '.join(missing)}")


def exposure_warning(host: str) -> str | None:
    """The warning for a server that other computers can reach, or None on a loopback address."""
    from claimcheck.serve.app import is_loopback

    if is_loopback(host):
        return None
    return (f"claimcheck serve: warning: listening on {host}, not only on this computer: anyone who can "
            "reach this address can send drafts to check; use --host 127.0.0.1 unless that is intended")


def build_app(config: Config, extend_rules: list[str], host: str) -> Starlette:
    """The application for ``config`` (the engine and its pipeline built now, so the first check is as fast
    as the others)."""
    require_extra()
    from claimcheck.runner import build_engine
    from claimcheck.serve.app import allowed_hosts, create_app
    from claimcheck.serve.checker import Checker

    engine = build_engine(config, extend_rules)
    engine.nlp  # noqa: B018  (a property that builds the pipeline)
    return create_app(Checker(engine, config), allowed_hosts(host))


def serve(config: Config, extend_rules: list[str], host: str, port: int) -> None:
    """Serve the page until interrupted."""
    require_extra()
    import uvicorn

    from claimcheck.serve.app import MAX_CONCURRENT

    app = build_app(config, extend_rules, host)
    warning = exposure_warning(host)
    if warning:
        click.echo(warning, err=True)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, limit_concurrency=MAX_CONCURRENT,
                                           timeout_keep_alive=5, log_level="warning", access_log=False,
                                           server_header=False))
    try:
        sock = server.config.bind_socket()
    except SystemExit:  # uvicorn logs the reason and exits when it cannot bind
        raise UsageError(f"cannot listen on {host}:{port} (the port may be in use)") from None
    shown = f"[{host}]" if ":" in host else host
    bound = sock.getsockname()[1]
    click.echo(f"claimcheck serve: open http://{shown}:{bound}/ in a browser (Ctrl-C stops it)", err=True)
    server.run(sockets=[sock])
