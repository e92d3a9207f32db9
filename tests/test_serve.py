"""``claimcheck serve``: the page's endpoints, in process (Starlette's test client), with the default rules.

The browser test (``test_serve_browser.py``) drives the same page in Chromium; these tests check each
answer exactly: escaping, the limits, the messages for bad input, the fixes, and the configuration of the
folder the server starts in.
"""

from __future__ import annotations

import re
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the 'serve' extra is not installed (pip install -e '.[serve]')")
pytest.importorskip("httpx", reason="Starlette's test client needs httpx")

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2; the client works the same with httpx
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient

from claimcheck.cli import main
from claimcheck.config import Config, resolve_config
from claimcheck.serve import build_app, exposure_warning
from claimcheck.serve.app import create_app
from claimcheck.serve.checker import Checker

from conftest import default_engine, lint_text

CLAIM = "In our spring survey, 81% of patients reported less pain after the injection."
DISCLAIMER = ("This content is for general informational purposes only and does not constitute medical "
              "advice, diagnosis, or treatment.")


def client(config: Config | None = None, wait_seconds: float = 30.0) -> tuple[TestClient, Checker]:
    checker = Checker(default_engine(), config or Config(), wait_seconds=wait_seconds)
    return TestClient(create_app(checker, ["testserver"]), raise_server_exceptions=False), checker


def post(test: TestClient, path: str, body: bytes | str, **query: str) -> tuple[int, dict[str, Any]]:
    response = test.post(path, params={"format": "text", "name": "draft.txt", **query},
                         content=body.encode() if isinstance(body, str) else body)
    return response.status_code, response.json()


def test_the_page_and_its_script_are_served_with_a_strict_policy() -> None:
    test, _ = client()
    page = test.get("/")
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "connect-src 'self'" in policy
    assert '<textarea id="draft"' in page.text and '<select id="format">' in page.text
    assert '<button type="submit" id="check" class="primary">Check</button>' in page.text
    assert 'id="fix-all">Apply all safe fixes</button>' in page.text
    assert 'id="download" disabled>Download the fixed draft</button>' in page.text
    assert '<script src="/app.js" defer></script>' in page.text and "http:" not in page.text.replace(
        "http://", "")  # no resource from elsewhere
    script = test.get("/app.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "/api/fix-all" in script.text


def test_check_answers_the_count_and_the_escaped_draft() -> None:
    test, _ = client()
    status, data = post(test, "/api/check", f"<script>alert(1)</script> {CLAIM}\n\n{DISCLAIMER}\n")
    assert status == 200
    assert data["count"] == 1 and data["safe_fixes"] == 1
    assert data["summary"] == "1 finding (1 error); 1 safe fix available."
    assert "<script" not in data["html"] and "&lt;script&gt;alert(1)&lt;/script&gt;" in data["html"]
    assert '<mark class="sev-error"' in data["html"]
    assert '<button type="button" class="apply-fix" data-anchor="f-' in data["html"]
    assert data["text"].startswith("<script>alert(1)</script> In our spring survey")


def test_a_clean_draft_says_so() -> None:
    test, _ = client()
    status, data = post(test, "/api/check", f"Plain words.\n\n{DISCLAIMER}\n")
    assert (status, data["count"], data["summary"]) == (200, 0, "No findings: the draft follows every rule "
                                                                "checked.")


def test_apply_all_safe_fixes_leaves_a_draft_that_lints_clean() -> None:
    test, _ = client()
    status, data = post(test, "/api/fix-all", f"{CLAIM}\n\nAnother paragraph.\n")
    assert status == 200, data
    assert data["fixed"] == 2 and data["count"] == 0
    assert "Individual outcomes vary." in data["text"] and DISCLAIMER.split(" only")[0] in data["text"]
    assert lint_text(data["text"]) == []


def test_apply_one_fix_fixes_that_finding_only() -> None:
    test, _ = client()
    draft = f"{CLAIM}\n\nAnother paragraph.\n"
    _, checked = post(test, "/api/check", draft)
    anchor = checked["html"].split('class="apply-fix" data-anchor="')[-1].split('"')[0]  # the CC101 one
    status, data = post(test, "/api/fix", draft, anchor=anchor)
    assert status == 200, data
    assert data["fixed"] == 1 and data["count"] == 1  # CC301 is still there
    assert [f.code for f in lint_text(data["text"])] == ["CC301"]
    status, data = post(test, "/api/fix", draft, anchor="f-0000")
    assert status == 400
    assert data == {"error": "that finding is no longer in the draft or has no safe fix; press Check again"}


@pytest.mark.parametrize(("body", "query", "status", "message"), [
    (b"x", {"format": "pdf"}, 400, "unknown format 'pdf' (one of: text, markdown, html)"),
    (b"\x00\x01\x02binary", {}, 400, "not a text draft: a binary file"),
    (b"caf\xe9", {}, 400, "not valid UTF-8 at byte 3 (pass --encoding if the file uses another encoding)"),
    (b"x", {"name": "../etc/passwd"}, 400, "the file name must be a plain name of at most 255 characters"),
    (b"x" * (1024 * 1024 + 1), {}, 413, "the draft is larger than the 1 MiB limit (--max-file-size)"),
])
def test_bad_input_gets_one_clear_message(body: bytes, query: dict[str, str], status: int, message: str) -> None:
    test, _ = client(Config(max_file_size=1))
    got, data = post(test, "/api/check", body, **query)
    assert (got, data) == (status, {"error": message})


def test_a_body_without_a_length_is_still_cut_at_the_limit() -> None:
    test, _ = client(Config(max_file_size=1))

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(2048):
            yield b"a" * 1024

    response = test.post("/api/check", params={"format": "text"}, content=chunks())
    assert response.status_code == 413


def test_a_bug_is_a_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    test, checker = client()
    monkeypatch.setattr(checker, "check", lambda draft: 1 / 0)
    status, data = post(test, "/api/check", "x")
    assert status == 500
    assert data == {"error": "internal error: ZeroDivisionError: division by zero. This is a bug; please "
                             "report it with the draft that caused it."}


def test_a_second_draft_waits_then_is_told_the_checker_is_busy() -> None:
    test, checker = client(wait_seconds=0.2)
    with checker._lock:  # another check holds the engine
        status, data = post(test, "/api/check", CLAIM)
    assert (status, data) == (503, {"error": "another draft is still being checked; try again in a moment"})


def test_concurrent_checks_all_get_their_own_answer() -> None:
    test, _ = client()
    answers: dict[int, int] = {}

    def one(number: int) -> None:
        _, data = post(test, "/api/check", f"Draft {number}. " + " ".join([CLAIM] * number))
        answers[number] = data["count"]

    threads = [threading.Thread(target=one, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == {1: 2, 2: 3, 3: 4, 4: 5}  # each draft's claims, plus the missing disclaimer


def test_other_host_names_are_refused_on_localhost() -> None:
    test, _ = client()
    assert test.get("/", headers={"host": "attacker.example"}).status_code == 400


def test_the_configuration_of_the_starting_folder_is_used(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".claimcheck.yaml").write_text("ignore: [CC301]\nmax-file-size: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = resolve_config(None, False, tmp_path)
    test = TestClient(build_app(config, [], "127.0.0.1"), base_url="http://127.0.0.1")
    response = test.post("/api/check", params={"format": "text"}, content=CLAIM.encode())
    assert response.json()["count"] == 1 and "CC101" in response.json()["html"]
    assert "CC301" not in response.json()["html"]
    too_big = test.post("/api/check", params={"format": "text"}, content=b"x" * (1024 * 1024 + 1))
    assert too_big.status_code == 413
    assert re.search(r"claimcheck [^,]+, \d+ rules, configuration \.claimcheck\.yaml\.", test.get("/").text)


def test_binding_beyond_localhost_warns() -> None:
    assert exposure_warning("127.0.0.1") is None and exposure_warning("::1") is None
    assert exposure_warning("localhost") is None
    assert exposure_warning("0.0.0.0") == (
        "claimcheck serve: warning: listening on 0.0.0.0, not only on this computer: anyone who can reach "
        "this address can send drafts to check; use --host 127.0.0.1 unless that is intended")


def test_without_the_extra_the_command_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *args: None if name == "uvicorn" else real(name, *args))
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--isolated"])
    assert exited.value.code == 2
    assert capsys.readouterr().err == (
        "claimcheck: error: claimcheck serve needs the optional 'serve' extra (Starlette and uvicorn); install "
        "it with pip install 'claimcheck-lint[serve]' (or: pipx inject claimcheck-lint starlette uvicorn); "
        "missing: uvicorn\n")


def test_a_check_that_takes_too_long_gets_a_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    import claimcheck.serve.app as app_module

    monkeypatch.setattr(app_module, "REQUEST_SECONDS", 0.3)
    test, checker = client()
    monkeypatch.setattr(checker, "check", lambda draft: time.sleep(2))
    status, data = post(test, "/api/check", CLAIM)
    assert (status, data) == (503, {"error": "checking took longer than 0.3 seconds; try a shorter draft"})
