"""Sentences: the English and Chinese wording of what the tables compute (findings, caveats, values).

tables.py decides what is said (which region leads, which figures cannot be ranked); this module only
words it, in one place per sentence and language, so that no sentence is written anywhere else.
"""

from __future__ import annotations

from typing import Sequence

from briefgen.extract.metrics import Metric

_QUALIFIER_MARK = {"over": "{}+", "under": "<{}", "about": "~{}", "exact": "{}"}
_UNIT_EN = {"人次": " person-times", "%": "%", "个百分点": " pp", "平方米": " m²", "平方公里": " km²", "亩": " mu"}


def format_value(value: float, unit: str, qualifier: str, lang: str = "zh") -> str:
    """A number as a reader sees it: separators, unit and its qualifier (250+, ~600, <400).

    In English, measure words of plain counts (个 名 套 …) are left to the metric's name, and
    money is written in millions of yuan.
    """
    if unit == "元":
        if lang == "en":
            number, unit_text = _number(value / 1e6, 2), " million yuan"
        elif value >= 1e8:
            number, unit_text = _number(value / 1e8, 2), " 亿元"
        else:
            number, unit_text = _number(value / 1e4, 1), " 万元"
    else:
        number = _number(value, 2)
        if lang == "en":
            unit_text = _UNIT_EN.get(unit, "")
        else:
            unit_text = "%" if unit == "%" else ("" if unit in ("个", "名", "人") else f" {unit}")
    return _QUALIFIER_MARK.get(qualifier, "{}").format(number) + unit_text


def _number(value: float, decimals: int) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def _t(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _lower(name: str) -> str:
    """Lower-case a metric name inside a sentence, but keep acronyms (R&D) as written."""
    return " ".join(w if any(c.isupper() for c in w[1:]) else w.lower() for w in name.split())


def _zh_year(year: int | None) -> str:
    return f"（{year}年）" if year is not None else ""


def _en_year(year: int | None) -> str:
    return f" in {year}" if year is not None else ""


def units_caveat(lang: str, metric: Metric, units: Sequence[str]) -> str:
    return _t(lang, f"{metric.en}: counted in different units ({', '.join(units)}); "
                    "such figures are shown side by side and not ranked.",
              f"{metric.zh}：计量单位不同（{'、'.join(units)}），并列展示，不作排序。")


def years_caveat(lang: str, metric: Metric, years: Sequence[int]) -> str:
    return _t(lang, f"{metric.en}: figures are from different years ({', '.join(map(str, years))}).",
              f"{metric.zh}：数据年份不同（{'、'.join(map(str, years))}）。")


LEVEL_LABELS = {"country": ("country", "全国"), "province": ("province", "省级"), "prefecture": ("prefecture", "地级"),
                "county": ("county", "县级"), "township": ("township", "乡镇级"), "village": ("village", "村级"),
                "functional": ("functional area", "功能区")}


def level_label(lang: str, level: str | None) -> str:
    en, zh = LEVEL_LABELS.get(level or "", (level or "", level or ""))
    return _t(lang, en, zh)


def levels_caveat(lang: str, levels: Sequence[str]) -> str:
    labels = [level_label(lang, level) for level in levels]
    return _t(lang, "Regions are of different levels (" + ", ".join(labels) +
                    "); totals of a city and of a district are not directly comparable.",
              "地区层级不同（" + "、".join(labels) + "），市与区的总量不宜直接比较。")


def where(lang: str, level: str | None, parent: str | None) -> str:
    """A region's level and the region above it: "county, Ningbo" / "县级，宁波市"."""
    label = level_label(lang, level)
    return _t(lang, f"{label}, {parent}", f"{label}，{parent}") if parent else label


def unranked_finding(lang: str, metric_name: str, listed: Sequence[tuple[str, str]]) -> str:
    """Figures in units that cannot be ranked against each other, listed as (region, value)."""
    listing = ", ".join(f"{region} {value}" for region, value in listed)
    listing_zh = "、".join(f"{region}{value}" for region, value in listed)
    return _t(lang, f"{metric_name} are reported in different units, so they are not ranked: {listing}.",
              f"各地区{metric_name}的计量单位不同，不作排序：{listing_zh}。")


def only_finding(lang: str, metric_name: str, who: str, value: str, year: int | None) -> str:
    return _t(lang, f"Only {who} reports {_lower(metric_name)}: {value}{_en_year(year)}.",
              f"仅{who}报告了{metric_name}：{value}{_zh_year(year)}。")


def most_finding(lang: str, metric_name: str, who: str, value: str, year: int | None, n: int, total: int) -> str:
    return _t(lang, f"{who} reports the most {_lower(metric_name)}: {value}{_en_year(year)} "
                    f"({n} of {total} regions report this).",
              f"{who}的{metric_name}最多：{value}{_zh_year(year)}（{total}个地区中{n}个有报告）。")
