"""Rule kinds: the code behind the YAML rules. Each kind takes any number of rule files."""

from __future__ import annotations

from claimcheck.families.base import Context, Hit, RuleKind, RuleMeta
from claimcheck.families.qualified_claim import QualifiedClaim
from claimcheck.families.registered_claim import RegisteredClaim
from claimcheck.families.required_statement import RequiredStatement
from claimcheck.families.restricted_wording import RestrictedWording
from claimcheck.families.suppression_check import SuppressionCheck

KINDS: dict[str, type[RuleKind]] = {
    kind.kind: kind for kind in (QualifiedClaim, RestrictedWording, RequiredStatement, SuppressionCheck,
                                 RegisteredClaim)
}

__all__ = ["KINDS", "Context", "Hit", "RuleKind", "RuleMeta"]
