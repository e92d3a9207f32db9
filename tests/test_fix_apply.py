"""Applying fixes: source order, no overlap, one application for a fix shared by several findings."""

from __future__ import annotations

from claimcheck.fixes import apply_fixes, fixable
from claimcheck.model import Applicability, Edit, Finding, Fix, Position, Severity

SAFE, UNSAFE, SHOWN = Applicability.SAFE, Applicability.UNSAFE, Applicability.DISPLAY_ONLY


def finding(start: int, fix: Fix | None, code: str = "CC101") -> Finding:
    where = Position(1, start + 1)
    return Finding("d.txt", code, "rule", Severity.ERROR, "message", start, start, where, where, "", fix=fix)


def fix(*edits: tuple[int, int, str], applicability: Applicability = SAFE) -> Fix:
    return Fix("title", applicability, tuple(Edit(*edit) for edit in edits))


def test_edits_apply_in_source_order_whatever_the_findings_order() -> None:
    source = "alpha beta gamma"
    findings = [finding(11, fix((16, 16, "!"))), finding(0, fix((0, 5, "ALPHA")))]
    applied = apply_fixes(source, findings)
    assert applied.text == "ALPHA beta gamma!"
    assert [f.start for f in applied.fixed] == [0, 11]


def test_a_fix_shared_by_several_findings_applies_once_and_fixes_them_all() -> None:
    shared = fix((10, 10, " Individual outcomes vary."))
    applied = apply_fixes("80% felt better.", [finding(0, shared), finding(4, shared)])
    assert applied.text == "80% felt b Individual outcomes vary.etter."
    assert len(applied.fixed) == 2


def test_overlapping_fixes_leave_the_later_one_for_the_next_pass() -> None:
    first, second = fix((0, 5, "A")), fix((3, 8, "B"))
    applied = apply_fixes("0123456789", [finding(3, second), finding(0, first)])
    assert applied.text == "A56789"
    assert [f.fix for f in applied.fixed] == [first]


def test_insertions_at_one_place_keep_the_findings_order_and_touching_replacements_both_apply() -> None:
    applied = apply_fixes("abcd", [finding(0, fix((4, 4, "X"))), finding(1, fix((4, 4, "Y")))])
    assert applied.text == "abcdXY"
    applied = apply_fixes("abcd", [finding(0, fix((2, 3, "X"))), finding(1, fix((2, 2, "Y")))])
    assert applied.text == "abXd"  # an insertion where a replacement starts waits
    applied = apply_fixes("abcd", [finding(0, fix((0, 2, "X"))), finding(1, fix((2, 4, "Y")))])
    assert applied.text == "XY"


def test_all_edits_of_a_fix_or_none() -> None:
    blocked = fix((1, 2, "B"), (3, 4, "D"))
    applied = apply_fixes("abcd", [finding(1, blocked), finding(0, fix((0, 2, "Z")))])
    assert applied.text == "Zcd"  # the D of the blocked fix waits with its B


def test_unsafe_fixes_need_the_flag_and_display_only_ones_never_apply() -> None:
    findings = [finding(0, fix((0, 1, "A"), applicability=UNSAFE)),
                finding(2, fix((2, 3, "C"), applicability=SHOWN)), finding(3, None)]
    assert apply_fixes("abcd", findings).text == "abcd"
    assert apply_fixes("abcd", findings, unsafe=True).text == "Abcd"
    assert len(fixable(findings, unsafe=True)) == 1


def test_fix_source_relints_until_no_fix_applies() -> None:
    from claimcheck.fixes import fix_source

    def lint(text: str) -> list[Finding]:  # wants one "!" after each of the first two words
        words = [w for w in text.split(" ") if not w.endswith("!")][:2]
        found = []
        for word in words:
            end = text.index(word) + len(word)
            found.append(finding(text.index(word), fix((end, end, "!"))))
        return found

    result = fix_source(lint, "a b c")
    assert result.text == "a! b! c!"  # two per pass, the third waited for the second pass
    assert len(result.fixed) == 3 and len(result.remaining) == 0


def test_a_fix_that_never_settles_is_an_error_naming_its_rule() -> None:
    import pytest

    from claimcheck.errors import FixError
    from claimcheck.fixes import fix_source

    def lint(text: str) -> list[Finding]:
        return [finding(0, fix((0, 0, "x")), code="CC999")]

    with pytest.raises(FixError, match="CC999"):
        fix_source(lint, "abc")
