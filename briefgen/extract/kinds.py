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
        self.subset_words = tuple(data["subset_words"])
        self.subset_subject = re.compile("|".join(data["subset_subjects"]))
        self.change_before = tuple(sorted(data["change_before"], key=len, reverse=True))
        self.activity_verbs = tuple(data["activity_verbs"])
        self.activity_after = tuple(data["activity_after"])
        self.flow_after = tuple(data["flow_after"])
        self.other_verbs = tuple(data["other_verbs"])
        self.flow_verbs = tuple(data["flow_verbs"])
        self.stock_words = tuple(data["stock_words"])


@functools.lru_cache(maxsize=1)
def load_kind_rules() -> KindRules:
    """The rules of briefgen/data/kinds.toml, each word also in its traditional spellings (選派, 引進)."""
    data = tomllib.loads(resources.files("briefgen").joinpath("data/kinds.toml").read_text("utf-8"))
    lists = ("_words", "_verbs", "_after", "_before", "_units")
    return KindRules({key: sorted({v for w in value for v in _variants(w)}) if key.endswith(lists) else value
                      for key, value in data.items()})


def _variants(word: str) -> set[str]:
    from briefgen.extract.regions import convert

    return {word} | {convert(word, locale) for locale in ("zh-hant", "zh-tw", "zh-hk")}


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
    if (change == "yoy_pct" and unit in rules.share_units) or tail.endswith(rules.change_before):
        return "change"  # 数量比去年增加38%, 净增860名, 比上年增加2600万元
    if rules.plan_sentence.search(before) or rules.plan_clause.search(clause_before):
        return "plan"
    if any(w in clause_before for w in rules.subset_words):  # 其中经营性收入5.12亿元
        return "subset"
    if unit == "元":
        return "money"
    if unit in rules.share_units or unit == "成":
        return "share"
    if any(w in before for w in rules.subset_words) or (subject and rules.subset_subject.search(subject)):
        return "subset"
    if unit in rules.activity_units:  # person-times are an attendance, over one year or several
        return "activity"
    if basis == "multi_year":
        return "cumulative"
    near_after = after[:_AFTER_REACH]
    if any(w in clause_before for w in rules.other_verbs):
        return "other"
    if unit in rules.event_units or any(w in clause_before for w in rules.activity_verbs) \
            or any(w in after for w in rules.activity_after):
        return "activity"
    if any(w in clause_before for w in rules.flow_verbs) or any(w in near_after for w in rules.flow_after):
        return "flow"
    # What is left is a count stated as it stands: 全市有党员12万人, 基层党组织8537个, 建强23个基地.
    return "stock"
