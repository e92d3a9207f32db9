"""``suppression-check``: problems with inline suppression directives (``claimcheck: disable …`` comments).

These rules find nothing on their own: suppression is a post-filter (see :mod:`claimcheck.suppressions`), and
only it knows which directives were used. A rule of this kind says which problem it ``reports``; when the
rule is selected, the post-filter turns that problem into findings under the rule's code. Selecting or
ignoring the rule (``--ignore CC901``) is therefore how the check is switched on or off.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from claimcheck.families import fixspec
from claimcheck.families.base import Context, Hit, RuleKind
from claimcheck.ruleset.schema import Field, string

UNUSED = "unused-suppression"  # a directive, or one of its codes, suppressed no finding
MISSING_REASON = "suppression-without-reason"  # no reason after "--" (always, if "--" is there but empty)
INVALID = "invalid-suppression"  # unknown action, no codes, unknown code, enable without disable
PROBLEMS = (UNUSED, MISSING_REASON, INVALID)


class SuppressionCheck(RuleKind):
    kind = "suppression-check"
    fields: ClassVar[dict[str, Field]] = {"reports": string(required=True, choices=PROBLEMS),
                                          "fix": fixspec.FIELD}
    # Whether a reason is required is a project decision, not a rule's: it comes from the configuration
    # ("require-reason") or "--require-reason", never from the rule file.
    overrides: ClassVar[dict[str, str]] = {"require-reason": "require-reason"}

    def configure(self, spec: Mapping[str, Any]) -> None:
        self.reports: str = spec["reports"]
        # Only a missing-reason rule reads this: without it, only an empty reason after "--" is reported.
        self.require_reason: bool = spec.get("require-reason", False)
        # Only an unused-suppression rule fixes: it deletes the directive, or the codes it does not need.
        self.fix_spec = self.read_fix(spec, ()) if self.reports == UNUSED else None

    def check(self, context: Context) -> Iterator[Hit]:
        return iter(())
