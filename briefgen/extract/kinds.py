"""Kinds: what sort of number a fact is — a stock, a year's flow, an activity, a plan, a part of
another figure — so that a brief compares only like with like.

The rules read the fact's unit, its time basis (dates.time_basis) and the words of its sentence
before the number and right after it; the word lists are data (briefgen/data/kinds.toml).
"""

from __future__ import annotations

import functools
import re
import tomllib
from importlib import resources
from typing import Final

from briefgen.extract.regions import traditional_variants
from briefgen.extract.words import alternation

KINDS: Final = ("stock", "flow", "activity", "cumulative", "plan", "subset", "share", "change", "money", "other")
# How far after the number a word can still say what kind of count it is (吸引80名博士参与).
_AFTER_REACH: Final = 12


class KindRules:
    """The word lists and patterns of kinds.toml."""

    def __init__(self, data: dict) -> None:
        self.activity_units = frozenset(data["activity_units"])
        self.event_units = frozenset(data["event_units"])
        self.share_units = frozenset(data["share_units"])
        self.plan_sentence = re.compile("|".join(data["plan_sentence"]))
        self.plan_clause = re.compile("|".join(data["plan_patterns"]))
        # Each word list is one regex (a trie of its words): a search per list, not a test per word.
        self.subset_words = _any_of(data["subset_words"])
        self.subset_subject = re.compile("|".join(data["subset_subjects"]))
        self.change_before = re.compile("(?:" + alternation(data["change_before"]) + ")$")
        self.activity_verbs = _any_of(data["activity_verbs"])
        self.activity_after = _any_of(data["activity_after"])
        self.flow_after = _any_of(data["flow_after"])
        self.other_verbs = _any_of(data["other_verbs"])
        self.flow_verbs = _any_of(data["flow_verbs"])


def _any_of(words: list[str]) -> re.Pattern:
    return re.compile(alternation(words))


@functools.lru_cache(maxsize=1)
def load_kind_rules() -> KindRules:
    """The rules of briefgen/data/kinds.toml, each word also in its traditional spellings (選派, 引進)."""
    data = tomllib.loads(resources.files("briefgen").joinpath("data/kinds.toml").read_text("utf-8"))
    lists = ("_words", "_verbs", "_after", "_before", "_units")
    return KindRules({key: sorted({v for w in value for v in traditional_variants(w)}) if key.endswith(lists) else value
                      for key, value in data.items()})


def fact_kind(before: str, clause_before: str, after: str, unit: str, subject: str, basis: str,
              change: str | None) -> str:
    """The kind of a number from its context.

    `before` is its sentence up to the number, `clause_before` its clause up to the number (both
    without the number's own qualifier), `after` the rest of its clause after its unit; `change` the
    kind of change linked to it (yoy_pct, from_to) or None.
    """
    rules = load_kind_rules()
    tail = clause_before.rstrip("约近超逾达到了共计")
    if change == "from_to" and unit not in rules.share_units:  # 从3500多个增长到5879个: the total it grew to
        return "stock"
    if (change == "yoy_pct" and unit in rules.share_units) or rules.change_before.search(tail):
        return "change"  # 数量比去年增加38%, 净增860名, 比上年增加2600万元
    if rules.plan_sentence.search(before) or rules.plan_clause.search(clause_before):
        return "plan"
    if rules.subset_words.search(clause_before):  # 其中经营性收入5.12亿元
        return "subset"
    if unit == "元":
        return "money"
    if unit in rules.share_units or unit == "成":
        return "share"
    if rules.subset_words.search(before) or (subject and rules.subset_subject.search(subject)):
        return "subset"
    if unit in rules.activity_units:  # person-times are an attendance, over one year or several
        return "activity"
    if basis == "multi_year":
        return "cumulative"
    near_after = after[:_AFTER_REACH]
    if rules.other_verbs.search(clause_before):
        return "other"
    if unit in rules.event_units or rules.activity_verbs.search(clause_before) or rules.activity_after.search(after):
        return "activity"
    if rules.flow_verbs.search(clause_before) or rules.flow_after.search(near_after):
        return "flow"
    # What is left is a count stated as it stands: 全市有党员12万人, 基层党组织8537个, 建强23个基地.
    return "stock"
