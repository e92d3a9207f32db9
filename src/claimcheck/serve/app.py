"""The web application of ``claimcheck serve``: one page, its script, and three JSON endpoints.

Starlette (the ASGI toolkit under FastAPI) and uvicorn serve it: both are widely used, maintained, small,
typed, and handle many connections at once, which the standard library's ``http.server`` does not do well.
They are the optional extra ``claimcheck-lint[serve]``, so the linter itself needs neither.

The draft is the raw request body (the bytes of the chosen file, or the text area as UTF-8) and is decoded
as ``claimcheck check`` decodes a file; the format and name come in the query. Every request is bounded:
its body by ``--max-file-size`` (read in pieces, refused past the limit), its time by ``REQUEST_SECONDS``
(the page gets a message; the lint itself stops at the engine's time budget), the number of requests at
once by uvicorn's ``limit_concurrency``. Every error is a JSON ``{"error": message}`` the page shows: never
a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from claimcheck.errors import ClaimcheckError, InputError
from claimcheck.serve.checker import Busy, Checker, Draft
from claimcheck.serve.page import PAGE_CSP, SCRIPT, page_html

REQUEST_SECONDS = 60.0
MAX_CONCURRENT = 8  # requests handled at once; uvicorn answers 503 past it
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                    "Cache-Control": "no-store"}


class TooLarge(InputError):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused as soon as it passes ``limit`` bytes (never read whole first)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the draft is larger than the {limit // (1024 * 1024)} MiB limit (--max-file-size)")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the draft is larger than the {limit // (1024 * 1024)} MiB limit "
                           "(--max-file-size)")
        chunks.append(chunk)
    return b"".join(chunks)


def error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)


def create_app(checker: Checker, hosts: list[str] | None = None) -> Starlette:
    """The application; ``hosts`` are the Host headers accepted (a page on localhost refuses other names,
    so a web site cannot reach it through DNS rebinding); None accepts any."""

    async def page(request: Request) -> Response:
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": PAGE_CSP}
        return Response(page_html(checker), media_type="text/html; charset=utf-8", headers=headers)

    async def script(request: Request) -> Response:
        return Response(SCRIPT, media_type="text/javascript; charset=utf-8", headers=SECURITY_HEADERS)

    def endpoint(action: Callable[[Draft, Request], dict[str, Any]]) -> Callable[[Request], Any]:
        async def handle(request: Request) -> Response:
            try:
                with anyio.fail_after(REQUEST_SECONDS):
                    data = await read_body(request, checker.max_bytes)
                    draft = Draft.from_request(data, request.query_params.get("format"),
                                               request.query_params.get("name"), checker.max_bytes)
                    result = await anyio.to_thread.run_sync(action, draft, request, abandon_on_cancel=True)
            except TooLarge as exc:
                return error(exc.message, 413)
            except Busy as exc:
                return error(exc.message, 503)
            except TimeoutError:
                return error(f"checking took longer than {REQUEST_SECONDS:g} seconds; try a shorter draft",
                             503)
            except ClaimcheckError as exc:  # bad input: one clear message
                return error(" ".join(exc.message.split()), 400)
            except Exception as exc:  # a bug: a message, not a traceback
                detail = next(iter(str(exc).strip().splitlines()), "")
                return error(f"internal error: {type(exc).__name__}: {detail}. This is a bug; please report "
                             "it with the draft that caused it.", 500)
            return JSONResponse(result, headers=SECURITY_HEADERS)

        return handle

    routes = [
        Route("/", page, methods=["GET"]),
        Route("/app.js", script, methods=["GET"]),
        Route("/api/check", endpoint(lambda draft, _: checker.check(draft)), methods=["POST"]),
        Route("/api/fix-all", endpoint(lambda draft, _: checker.fix_all(draft)), methods=["POST"]),
        Route("/api/fix", endpoint(lambda draft, request: checker.fix_one(
            draft, request.query_params.get("anchor", ""))), methods=["POST"]),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts)] if hosts else []
    return Starlette(routes=routes, middleware=middleware)


def allowed_hosts(host: str) -> list[str] | None:
    """Host headers to accept: the loopback names when bound to loopback, else any."""
    return LOOPBACK_HOSTS if is_loopback(host) else None


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
