"""A small synchronous LSP client: starts ``claimcheck server`` and talks JSON-RPC over its stdio, as an
editor does. Used by ``bench/lsp_benchmark.py`` and by the server's end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any


class Server:
    """One server process; messages from it are read by a thread into a queue, with their arrival time."""

    def __init__(self, *, cwd: Path | None = None, env: dict[str, str] | None = None,
                 command: list[str] | None = None) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command or [sys.executable, "-m", "claimcheck", "server"], cwd=cwd,
            env={**os.environ, **(env or {})}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        self._next_id = 0
        self._messages: deque[tuple[float, dict[str, Any]]] = deque()
        self._arrived = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    # -- wire -------------------------------------------------------------------------------------------

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while True:
                line = stream.readline()
                if not line:
                    with self._arrived:
                        self._arrived.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            assert length is not None, "a message without Content-Length"
            message = json.loads(stream.read(length).decode("utf-8"))
            with self._arrived:
                self._messages.append((time.perf_counter(), message))
                self._arrived.notify_all()

    def send(self, message: dict[str, Any]) -> float:
        """Send one message; returns when it was written (perf_counter)."""
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return time.perf_counter()

    def notify(self, method: str, params: dict[str, Any] | None = None) -> float:
        return self.send({"method": method, "params": params or {}})

    def request(self, method: str, params: dict[str, Any] | None = None, timeout: float = 60) -> Any:
        """Send a request and return its result (answering the server's own requests meanwhile)."""
        self._next_id += 1
        number = self._next_id
        self.send({"id": number, "method": method, "params": params})
        _, reply = self.wait(lambda m: m.get("id") == number and "method" not in m, timeout)
        if "error" in reply:
            raise RuntimeError(f"{method} failed: {reply['error']}")
        return reply.get("result")

    def wait(self, wanted: Any, timeout: float = 60) -> tuple[float, dict[str, Any]]:
        """The first message (and its arrival time) for which ``wanted(message)`` holds, removed from the
        queue; requests from the server (registerCapability…) are answered with null as they come."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for item in list(self._messages):
                    message = item[1]
                    if "method" in message and "id" in message:
                        self._messages.remove(item)
                        self.send({"id": message["id"], "result": None})
                        continue
                    if wanted(message):
                        self._messages.remove(item)
                        return item
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    raise TimeoutError(f"no matching message within {timeout} s; the server's stderr: "
                                       f"{self._stderr_tail()}")
                self._arrived.wait(min(left, 0.5))

    def diagnostics(self, uri: str, timeout: float = 60) -> tuple[float, dict[str, Any]]:
        """The next publishDiagnostics for ``uri``: its arrival time and its params."""
        at, message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["uri"] == uri, timeout)
        return at, message["params"]

    def pending(self, method: str) -> list[dict[str, Any]]:
        """Messages of ``method`` already received (left in the queue)."""
        with self._arrived:
            return [m for _, m in self._messages if m.get("method") == method]

    def _stderr_tail(self) -> str:
        if self.process.poll() is None or self.process.stderr is None:
            return "(still running)"
        return self.process.stderr.read().decode("utf-8", "replace")[-2000:]

    # -- conversation -------------------------------------------------------------------------------------

    def initialize(self, root: Path | None = None, encodings: list[str] | None = None,
                   options: dict[str, Any] | None = None) -> Any:
        capabilities: dict[str, Any] = {
            "textDocument": {"publishDiagnostics": {"versionSupport": True},
                             "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
                                 "quickfix", "source.fixAll"]}}},
                             "hover": {"contentFormat": ["markdown", "plaintext"]}},
            "workspace": {"workspaceEdit": {"documentChanges": True},
                          "didChangeWatchedFiles": {"dynamicRegistration": True}},
        }
        if encodings:
            capabilities["general"] = {"positionEncodings": encodings}
        folders = [{"uri": root.as_uri(), "name": root.name}] if root else None
        result = self.request("initialize", {
            "processId": os.getpid(), "rootUri": root.as_uri() if root else None,
            "capabilities": capabilities, "workspaceFolders": folders,
            "initializationOptions": options or {}})
        self.notify("initialized")
        return result

    def open(self, uri: str, text: str, language: str = "markdown", version: int = 1) -> float:
        return self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": version, "text": text}})

    def change(self, uri: str, version: int, changes: list[dict[str, Any]]) -> float:
        return self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                      "contentChanges": changes})

    def close(self, timeout: float = 30) -> int:
        """shutdown, then exit; the exit status."""
        self.request("shutdown")
        self.notify("exit")
        try:
            return self.process.wait(timeout)
        finally:
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream is not None:
                    stream.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def edit(start: tuple[int, int], end: tuple[int, int], text: str) -> dict[str, Any]:
    """An incremental change replacing LSP positions ``start``..``end`` (line, character) with ``text``."""
    return {"range": {"start": {"line": start[0], "character": start[1]},
                      "end": {"line": end[0], "character": end[1]}}, "text": text}


def apply_text_edits(text: str, edits: list[dict[str, Any]], encoding: str = "utf-16") -> str:
    """Apply LSP text edits as an editor does (positions in ``encoding`` units, lines split at \\n only)."""
    lines = text.split("\n")

    def offset(position: dict[str, int]) -> int:
        line = position["line"]
        before = sum(len(piece) + 1 for piece in lines[:line])
        if line >= len(lines):
            return len(text)
        counted = 0
        for index, char in enumerate(lines[line]):
            if counted >= position["character"]:
                return before + index
            counted += len(char.encode(encoding.replace("utf-16", "utf-16-le").replace(
                "utf-32", "utf-32-le"))) // (2 if encoding == "utf-16" else 4 if encoding == "utf-32" else 1)
        return before + len(lines[line])

    spans = sorted(((offset(e["range"]["start"]), offset(e["range"]["end"]), e["newText"]) for e in edits),
                   reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text
