"""Every rule set this code can classify by, by version: the newest, and the frozen ones it
replaced (a database keeps classifying by the version in force there until the newest is
approved for it)."""

from __future__ import annotations

from typing import Final

from pipeline.classify import rules, rules_2026_11_1
from pipeline.classify.rule_terms import RuleSet

NEWEST: Final = rules.RULES_VERSION
"""The version the code proposes: `pipeline.classify.rules`."""
RULE_SETS: Final[dict[str, RuleSet]] = {
    rule_set.version: rule_set for rule_set in (rules_2026_11_1.RULES, rules.RULES)
}
"""Oldest first."""


class UnknownRulesVersionError(LookupError):
    """A rules version this code does not have."""


def rule_set(version: str) -> RuleSet:
    """The rule set of `version`; a clear error for a version this code does not have."""
    try:
        return RULE_SETS[version]
    except KeyError:
        known = ", ".join(RULE_SETS)
        msg = f"rules version {version!r} is not in this code (it has {known})"
        raise UnknownRulesVersionError(msg) from None


def every_field() -> tuple[str, ...]:
    """Every contract field any rule set here reads, once."""
    return tuple(dict.fromkeys(f for each in RULE_SETS.values() for f in each.fields))
