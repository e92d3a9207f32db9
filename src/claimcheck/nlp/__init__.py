"""The spaCy pipeline: built once per run, rule-based only, never downloads anything."""

from claimcheck.nlp.pipeline import build_pipeline

__all__ = ["build_pipeline"]
