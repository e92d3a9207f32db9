"""The code that understands rule files: schema, loader and the registry of loaded rules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from claimcheck.ruleset.loader import default_rules_dir, load_rules, load_ruleset
    from claimcheck.ruleset.registry import RuleSet

__all__ = ["RuleSet", "default_rules_dir", "load_rules", "load_ruleset"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the loader imports the rule kinds, which import ruleset.patterns; importing the
    # loader here eagerly made `import claimcheck.engine` (or any families module first) a circular import.
    if name == "RuleSet":
        from claimcheck.ruleset.registry import RuleSet

        return RuleSet
    if name in ("default_rules_dir", "load_rules", "load_ruleset"):
        from claimcheck.ruleset import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'claimcheck.ruleset' has no attribute {name!r}")
