"""The code that understands rule files: schema, loader and the registry of loaded rules."""

from claimcheck.ruleset.loader import default_rules_dir, load_rules
from claimcheck.ruleset.registry import RuleSet

__all__ = ["RuleSet", "default_rules_dir", "load_rules"]
