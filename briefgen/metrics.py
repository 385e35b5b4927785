"""Metrics: canonical, comparable quantities that fact subjects map to."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Metric:
    """A comparable quantity with Chinese and English names and a unit family."""

    id: str
    zh: str
    en: str
    unit_family: str
    patterns: tuple[re.Pattern, ...]

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@functools.lru_cache(maxsize=1)
def load_metrics() -> dict[str, Metric]:
    """Metric id → Metric, from the package's data/metrics.toml."""
    data = tomllib.loads(resources.files("briefgen").joinpath("data/metrics.toml").read_text("utf-8"))
    return {
        key: Metric(key, v["zh"], v["en"], v["unit_family"], tuple(re.compile(p) for p in v["patterns"]))
        for key, v in data.items()
    }


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


@functools.lru_cache(maxsize=65536)
def match_metric(subject: str, unit: str | None = None) -> str | None:
    """The id of the first metric whose pattern matches the subject (and fits the unit), else None."""
    searches = _unit_searches(unit)
    if searches is None:
        for metric in load_metrics().values():
            if unit_fits(metric, unit) and any(p.search(subject) for p in metric.patterns):
                return metric.id
        return None
    return next((metric_id for search, metric_id in searches if search(subject)), None)


@functools.lru_cache(maxsize=256)
def _unit_searches(unit: str | None):
    """Per metric that fits the unit, in order, one search for any of its patterns (and its id),
    or None when the patterns cannot be joined.

    One search a metric instead of one a pattern (~130 of them). A search skips to where its
    patterns can start: one regex of a lookahead per metric, each scanning the subject lazily,
    tried every pattern at every character and cost a third more per subject.
    """
    fitting = [m for m in load_metrics().values() if unit_fits(m, unit)]
    pats = [p.pattern for m in fitting for p in m.patterns]
    # Back-references and group names would clash once joined; inline flags belong to one pattern.
    if any(re.search(r"\\[1-9]|\(\?P|\(\?[aiLmsux]", p) for p in pats) or any(
            p.flags & ~re.UNICODE for m in fitting for p in m.patterns):
        return None
    return [(re.compile("|".join(f"(?:{p.pattern})" for p in m.patterns)).search, m.id) for m in fitting]


@functools.lru_cache(maxsize=1)
def _equivalents() -> dict[str, str]:
    text = resources.files("briefgen").joinpath("data/unit_equivalents.toml").read_text("utf-8")
    return {unit: group for group, units in tomllib.loads(text).items() for unit in units}


def comparable_unit(unit: str) -> str:
    """A key equal for measure words that count the same thing (人, 名 and 位 all count persons)."""
    return _equivalents().get(unit, unit)
