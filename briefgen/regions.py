"""Regions: a national gazetteer of administrative divisions (thin first version)."""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources

_SUFFIXES = ("自治州", "林区", "新区", "地区", "盟", "市", "区", "县", "省")


@dataclass(frozen=True)
class Region:
    """An administrative or functional region with its official and English names."""

    name: str
    short: str
    en: str
    province: str
    level: str
    code: str | None = None


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _english(short: str) -> str:
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(short)).capitalize()


class Gazetteer:
    """Look regions up by official name, short name or pinyin."""

    def __init__(self, regions: list[Region]):
        self.regions = regions
        self._index: dict[str, list[Region]] = {}
        for r in regions:
            for key in {r.name, r.short, r.en.lower()}:
                self._index.setdefault(key, []).append(r)

    def lookup(self, query: str) -> list[Region]:
        """All regions whose name, short name or pinyin equals the query."""
        q = query.strip()
        return self._index.get(q) or self._index.get(q.lower().replace(" ", ""), [])


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The national gazetteer from the cpca package's administrative-division codes."""
    text = resources.files("cpca").joinpath("resources/adcodes.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    provinces = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:6] == "0000"}
    regions = []
    for r in rows:
        code = r["adcode"]
        level = "province" if code[2:6] == "0000" else "prefecture" if code[4:6] == "00" else "county"
        short = _short(r["name"])
        regions.append(Region(r["name"], short, _english(short), provinces.get(code[:2], ""), level, code))
    return Gazetteer(regions)
