"""Start-up work done before the editor asks for it, so the first diagnostics come quickly.

An editor starts the server and opens a draft at once; importing spaCy, building its pipeline and loading the
rules take most of a second each. They start in a background thread as the server process starts, while
the protocol library is imported and the editor's ``initialize`` is answered, and the first lint waits only
for what is left. The pipeline is shared by every engine the server builds (one per configuration file):
it holds no state between documents.

Linting is not thread-safe (pattern scans share module state within a draft), so every use of an engine or
a pipeline holds :data:`ENGINE_LOCK`.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

ENGINE_LOCK = threading.RLock()
_pipelines: dict[str | None, Language] = {}


def pipeline(model: str | None) -> Language:
    """The shared pipeline for ``model`` (None: the blank English one), built on first use."""
    with ENGINE_LOCK:
        if model not in _pipelines:
            from claimcheck.nlp import build_pipeline

            _pipelines[model] = build_pipeline(model)
        return _pipelines[model]


def in_background(work: Callable[[], object]) -> threading.Thread:
    """Run ``work`` in a daemon thread; a failure is left for the real use to report."""

    def guarded() -> None:
        # On failure, the same step runs again when a draft needs it, and reports its error then.
        with contextlib.suppress(Exception):
            work()

    thread = threading.Thread(target=guarded, name="claimcheck-warmup", daemon=True)
    thread.start()
    return thread
