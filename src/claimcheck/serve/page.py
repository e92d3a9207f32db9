"""The page of ``claimcheck serve`` and its script (served from the same origin, so the page's policy can
forbid inline scripts: a draft's text can never run as code, even if escaping had a hole)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from claimcheck import __version__
from claimcheck.reporters.htmlrender import STYLE, escape

if TYPE_CHECKING:
    from claimcheck.serve.checker import Checker

PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

PAGE_STYLE = """
form { display: grid; gap: .6rem; }
textarea { width: 100%; min-height: 14rem; font: 15px/1.45 ui-monospace, Menlo, Consolas, monospace;
  padding: .6rem; border: 1px solid #b8b8c0; border-radius: 4px; }
.controls, .result-head { display: flex; flex-wrap: wrap; gap: .8rem; align-items: center; }
button { font: inherit; padding: .35rem .9rem; border-radius: 4px; border: 1px solid #5f6368;
  background: #fff; cursor: pointer; }
button.primary { background: #1f5aa6; border-color: #1f5aa6; color: #fff; }
button:disabled { opacity: .45; cursor: default; }
.note button { font-size: .8rem; padding: .15rem .5rem; margin: .2rem 0; }
#message { border: 1px solid var(--error); background: var(--error-bg); padding: .5rem .8rem; }
#message.info { border-color: var(--info); background: var(--info-bg); }
#count { font-weight: 600; margin: 0; }
#result { margin-top: 1rem; }
.config { color: var(--muted); font-size: .9rem; }
"""


def page_html(checker: Checker) -> str:
    config = checker.config
    where = f"configuration {escape(config.path)}" if config.path else "no configuration file (defaults)"
    accept = ".txt,.text,.md,.markdown,.mdown,.html,.htm"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>claimcheck: check a draft</title>
<style>{STYLE}{PAGE_STYLE}</style>
<script src="/app.js" defer></script>
</head>
<body>
<header><h1>Check a draft</h1>
<p class="config">claimcheck {escape(__version__)}, {len(checker.engine.rules)} rules, {where}.
Nothing leaves this computer.</p></header>
<form id="draft-form">
<label for="draft">Paste the draft, or choose a file:</label>
<textarea id="draft" name="draft" spellcheck="true"></textarea>
<div class="controls">
<label>File <input type="file" id="file" accept="{accept}"></label>
<label>Format <select id="format">
<option value="text">Plain text</option><option value="markdown">Markdown</option>
<option value="html">HTML</option></select></label>
<button type="submit" id="check" class="primary">Check</button>
</div>
</form>
<div id="message" role="alert" hidden></div>
<section id="result" hidden aria-live="polite">
<div class="result-head"><p id="count"></p>
<button type="button" id="fix-all">Apply all safe fixes</button>
<button type="button" id="download" disabled>Download the fixed draft</button></div>
<div id="rendered"></div>
</section>
</body>
</html>
"""


SCRIPT = r"""
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const draft = $("draft"), format = $("format"), file = $("file"), message = $("message");
  const result = $("result"), count = $("count"), rendered = $("rendered");
  const fixAll = $("fix-all"), download = $("download"), check = $("check");
  const formats = {txt: "text", text: "text", md: "markdown", markdown: "markdown", mdown: "markdown",
                   html: "html", htm: "html"};
  let name = "draft.txt", fixedSomething = false;

  function say(text, kind) {
    message.textContent = text;
    message.className = kind || "";
    message.hidden = !text;
  }

  function busy(on) {
    for (const button of document.querySelectorAll("button")) button.disabled = on;
    if (!on) download.disabled = !fixedSomething;
  }

  async function send(path, body, extra) {
    const query = new URLSearchParams({format: format.value, name: name, ...(extra || {})});
    busy(true);
    try {
      const response = await fetch(path + "?" + query, {method: "POST", body: body,
        headers: {"Content-Type": "application/octet-stream"}});
      let data;
      try { data = await response.json(); } catch (e) { data = {error: "the server sent no answer (" +
        response.status + ")"}; }
      if (!response.ok || data.error) { say("Could not check the draft: " + (data.error || response.status));
        return null; }
      say("");
      return data;
    } catch (e) {
      say("Could not reach claimcheck: is `claimcheck serve` still running?");
      return null;
    } finally {
      busy(false);
    }
  }

  function show(data) {
    draft.value = data.text;
    count.textContent = data.summary;
    count.dataset.count = data.count;
    rendered.innerHTML = data.html;  // escaped by the server; the page's policy forbids inline scripts
    fixAll.hidden = !data.safe_fixes;
    result.hidden = false;
    if (data.fixed) {
      fixedSomething = true;
      download.disabled = false;
      say("Applied " + data.fixed + (data.fixed === 1 ? " fix." : " fixes."), "info");
    }
  }

  $("draft-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = await send("/api/check", draft.value);
    if (data) show(data);
  });

  file.addEventListener("change", async () => {
    const chosen = file.files[0];
    if (!chosen) return;
    name = chosen.name;
    const extension = (name.split(".").pop() || "").toLowerCase();
    if (formats[extension]) format.value = formats[extension];
    fixedSomething = false;
    const data = await send("/api/check", chosen);  // the file's own bytes: decoded as the linter does
    if (data) show(data);
  });

  rendered.addEventListener("click", async (event) => {
    const button = event.target.closest("button.apply-fix");
    if (!button) return;
    const data = await send("/api/fix", draft.value, {anchor: button.dataset.anchor});
    if (data) show(data);
  });

  fixAll.addEventListener("click", async () => {
    const data = await send("/api/fix-all", draft.value);
    if (data) show(data);
  });

  download.addEventListener("click", () => {
    const blob = new Blob([draft.value], {type: "text/plain;charset=utf-8"});
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name.replace(/(\.[^.]*)?$/, (ext) => "-fixed" + (ext || ".txt"));
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
})();
"""
