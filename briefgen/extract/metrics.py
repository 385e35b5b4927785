"""Metrics: canonical, comparable quantities that fact subjects map to."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Final

from mypy_extensions import mypyc_attr


@mypyc_attr(native_class=False)  # see briefgen/native.py
@dataclass(frozen=True)
class Metric:
    """A comparable quantity with Chinese and English names and a unit family."""

    id: str
    zh: str
    en: str
    unit_family: str
    patterns: tuple[re.Pattern, ...]
    kinds: frozenset[str] = frozenset()  # the kinds of number it accepts
    not_words: tuple[str, ...] = ()  # words of a clause that make its number something else

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@functools.lru_cache(maxsize=1)
def load_metrics() -> dict[str, Metric]:
    """Metric id → Metric, from the package's data/metrics.toml."""
    data = tomllib.loads(resources.files("briefgen").joinpath("data/metrics.toml").read_text("utf-8"))
    return {
        key: Metric(key, v["zh"], v["en"], v["unit_family"], tuple(re.compile(p) for p in v["patterns"]),
                    frozenset(v.get("kinds", DEFAULT_KINDS)), tuple(v.get("not", ())))
        for key, v in data.items()
    }


# What a metric accepts unless it says otherwise: never a plan, a part of another figure, a change
# of one, or an "other" (an area, a media count, measures issued).
DEFAULT_KINDS: Final = ("stock", "flow", "activity", "cumulative", "share", "money")


def metric_fits(metric_id: str | None, kind: str, clause: str) -> bool:
    """Whether a fact whose subject matched a metric is a genuine value of it: its kind is one the
    metric accepts and its clause holds none of the words that make it something else."""
    if metric_id is None:
        return False
    metric = load_metrics()[metric_id]
    return kind in metric.kinds and not any(w in clause for w in metric.not_words)


# Units that only measure one family: a 元 amount is never a head count, a % never a total.
_STRICT_UNITS = {"元": "money", "%": "percent", "个百分点": "percent", "平方米": "area", "平方公里": "area"}


@functools.lru_cache(maxsize=1)
def load_unit_families() -> dict[str, frozenset[str]]:
    """Unit family → the measure words it accepts, from data/unit_families.toml."""
    text = resources.files("briefgen").joinpath("data/unit_families.toml").read_text("utf-8")
    return {family: frozenset(units) for family, units in tomllib.loads(text).items()}


def unit_fits(metric: Metric, unit: str | None) -> bool:
    """Whether a fact in this unit can be a value of the metric (money in 元, rates in %, people in 人)."""
    if unit is None:
        return True
    strict = _STRICT_UNITS.get(unit)
    if strict or metric.unit_family in ("money", "percent", "area"):
        return strict == metric.unit_family
    accepted = load_unit_families().get(metric.unit_family)
    return accepted is None or unit in accepted


# match_metric's answers per unit and subject: subjects repeat within and across documents.
# Dicts, not an lru_cache: compiled, facts then calls match_metric directly, where the cache's
# wrapper was a generic call that hashed a tuple of the arguments.
_MATCHED: Final[dict[str | None, dict[str, str | None]]] = {}  # Final: compiled, a static, not a globals look-up
_MATCHED_MAX: Final = 65536  # answers kept per unit (the lru_cache's bound); past it that unit's are dropped


def match_metric(subject: str, unit: str | None = None) -> str | None:
    """The id of the first metric whose pattern matches the subject (and fits the unit), else None."""
    known = _MATCHED.get(unit)
    if known is None:
        known = _MATCHED[unit] = {}
    found = known.get(subject, "")  # "" is no metric id: not asked yet
    if found != "":
        return found
    if len(known) >= _MATCHED_MAX:
        known.clear()
    found = known[subject] = next((metric_id for searches, metric_id in _unit_searches(unit)
                                   if any(search(subject) for search in searches)), None)
    return found


@functools.lru_cache(maxsize=256)
def _unit_searches(unit: str | None) -> list[tuple[tuple[Callable[[str], object], ...], str]]:
    """The searches and id of each metric that fits the unit, in order (see _searches)."""
    return [(searches, metric.id) for searches, metric in _searches() if unit_fits(metric, unit)]


@functools.lru_cache(maxsize=1)
def _searches() -> list[tuple[tuple[Callable[[str], object], ...], Metric]]:
    """Per metric, in order, one search for any of its patterns, or one a pattern when they cannot be joined.

    One search a metric instead of one a pattern (~130 of them). A search skips to where its
    patterns can start: one regex of a lookahead per metric, each scanning the subject lazily,
    tried every pattern at every character and cost a third more per subject. Built once for
    all units: a unit's metrics are then picked, not compiled and checked again.
    """
    found: list[tuple[tuple[Callable[[str], object], ...], Metric]] = []
    for m in load_metrics().values():
        # Back-references and group names would clash once joined; inline flags belong to one pattern.
        if any(re.search(r"\\[1-9]|\(\?P|\(\?[aiLmsux]", p.pattern) or p.flags & ~re.UNICODE for p in m.patterns):
            found.append((tuple(p.search for p in m.patterns), m))
        else:
            found.append(((re.compile("|".join(f"(?:{p.pattern})" for p in m.patterns)).search,), m))
    return found


@functools.lru_cache(maxsize=1)
def _equivalents() -> dict[str, str]:
    text = resources.files("briefgen").joinpath("data/unit_equivalents.toml").read_text("utf-8")
    return {unit: group for group, units in tomllib.loads(text).items() for unit in units}


def comparable_unit(unit: str) -> str:
    """A key equal for measure words that count the same thing (人, 名 and 位 all count persons)."""
    return _equivalents().get(unit, unit)


# How each kind reads after a metric's name, in English and Chinese ({y}: the fact's year).
_KIND_PHRASES: Final = {
    "stock": ("total{in_y}", "总量{y_zh}"), "flow": ("new{in_y}", "新增{y_zh}"),
    "activity": ("activity{in_y}", "活动量{y_zh}"), "cumulative": ("cumulative{to_y}", "累计{to_y_zh}"),
    "plan": ("target{for_y}", "目标{y_zh}"), "subset": ("part of a stated total", "其中部分"),
    "share": ("share{in_y}", "占比{y_zh}"), "change": ("change{in_y}", "变化{y_zh}"),
    "money": ("amount{in_y}", "金额{y_zh}"), "other": ("{y}", "{y_zh}"),
}


def describe_counted(metric_id: str | None, kind: str, year: int | None, subject: str) -> tuple[str, str]:
    """What a fact counts, in English and Chinese: "Talents introduced, new in 2023" / "引进人才，新增（2023年）";
    without a metric, its Chinese subject in both (never an invented English one)."""
    if metric_id is None:
        return subject, subject
    metric = load_metrics()[metric_id]
    en, zh = _KIND_PHRASES.get(kind, _KIND_PHRASES["other"])
    y = "" if year is None else str(year)
    fill = {"y": y, "in_y": f" in {y}" if y else "", "to_y": f" to {y}" if y else "",
            "for_y": f" for {y}" if y else "", "y_zh": f"（{y}年）" if y else "", "to_y_zh": f"（至{y}年）" if y else ""}
    en_text, zh_text = en.format(**fill), zh.format(**fill)
    return (f"{metric.en}, {en_text}" if en_text else metric.en), (f"{metric.zh}，{zh_text}" if zh_text else metric.zh)
