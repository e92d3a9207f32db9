"""The rules of one run, chosen by ``select``/``ignore`` code prefixes (the longest matching prefix wins)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from claimcheck.errors import UsageError
from claimcheck.families import RuleKind


def _longest(code: str, prefixes: Sequence[str]) -> int:
    return max((len(p) for p in prefixes if code.startswith(p)), default=-1)


class RuleSet:
    def __init__(self, rules: Sequence[RuleKind], known: Sequence[RuleKind] | None = None) -> None:
        self.rules = sorted(rules, key=lambda rule: rule.meta.code)
        # Every rule loaded, selected or not: a suppression naming an unselected rule is not an unknown code.
        self.known: tuple[RuleKind, ...] = tuple(known) if known is not None else tuple(self.rules)
        self._by_key = {rule.meta.code: rule for rule in self.rules}
        self._by_key.update({rule.meta.name: rule for rule in self.rules})

    def __iter__(self) -> Iterator[RuleKind]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def get(self, key: str) -> RuleKind | None:
        """A rule by code (``CC101``) or name (``unqualified-outcome-claim``), case-insensitive for codes."""
        return self._by_key.get(key) or self._by_key.get(key.upper())

    def codes(self) -> list[str]:
        return [rule.meta.code for rule in self.rules]

    def check_prefixes(self, prefixes: Sequence[str], option: str) -> None:
        for prefix in prefixes:
            if prefix.upper() != "ALL" and not any(code.startswith(prefix) for code in self.codes()):
                raise UsageError(f"{option}: {prefix!r} matches no rule code "
                                 f"(known: {', '.join(self.codes())}; see 'claimcheck rules')")

    def selected(self, select: Sequence[str] | None, ignore: Sequence[str] = ()) -> RuleSet:
        """Rules enabled by ``select`` (default: all) and not disabled by a longer ``ignore`` prefix, among
        those that can run (see ``RuleKind.enabled``: the claims-registry rules need a registry).

        On a tie between a select and an ignore prefix of the same length, ``ignore`` wins.
        """
        select = ["" if p.upper() == "ALL" else p for p in (select if select is not None else [""])]
        ignore = ["" if p.upper() == "ALL" else p for p in ignore]
        chosen = [rule for rule in self.rules if rule.enabled()
                  and (s := _longest(rule.meta.code, select)) >= 0 and s > _longest(rule.meta.code, ignore)]
        return RuleSet(chosen, known=self.known)
