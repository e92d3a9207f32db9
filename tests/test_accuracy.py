"""Accuracy on the labelled corpus in ../shared/corpus: every rule family keeps precision and recall >= 0.95.

The figures and every miss and false alarm: ``python3 dev.py accuracy``.
"""

from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import accuracy

LABELS = accuracy.default_labels()
pytestmark = pytest.mark.skipif(not LABELS, reason="../shared/corpus not present")
FLOOR = 0.95


@pytest.fixture(scope="module")
def families() -> dict[str, accuracy.Family]:
    return accuracy.score(accuracy.load_labels(LABELS))


@pytest.mark.parametrize("name", ["outcome", "fda", "disclaimer"])
def test_family_precision_and_recall(families: dict[str, accuracy.Family], name: str) -> None:
    family = families[name]
    detail = accuracy.report({name: family})
    assert family.tp > 0, detail
    assert family.precision >= FLOOR, detail
    assert family.recall >= FLOOR, detail
