"""Regions: the national gazetteer of administrative divisions, its names and a fast mention finder."""

from __future__ import annotations

import csv
import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Final, NamedTuple

import ahocorasick_rs
from mypy_extensions import mypyc_attr
from pypinyin import lazy_pinyin

LEVELS = ("province", "prefecture", "county", "functional")
# Municipalities directly under the central government: their districts belong to them.
_MUNICIPALITIES = ("11", "12", "31", "50")
# Placeholder rows of the code table ("市辖区", "县", "省直辖县级行政区划") are not regions.
_PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@mypyc_attr(native_class=False)  # see briefgen/native.py
@dataclass(frozen=True)
class Region:
    """An administrative or functional region with its official and English names."""

    name: str
    short: str
    en: str
    province: str
    level: str
    code: str | None = None


class PlaceMention(NamedTuple):
    """A place name found in a text: its span and the regions it may denote (best first)."""

    # A named tuple, not a dataclass: a document has hundreds and they are built ~2x faster.
    start: int
    end: int
    regions: tuple[Region, ...]
    units: tuple[Region, ...] = ()  # unit_of each region, without repeats, in the same order


# What a gazetteer key stands for: its regions, best first, and their units.
_KeyValue = tuple[tuple[Region, ...], tuple[Region, ...]]


@functools.lru_cache(maxsize=1)
def load_rules() -> dict:
    """The naming and matching rules of briefgen/data/regions_names.toml."""
    text = resources.files("briefgen").joinpath("data/regions_names.toml").read_text("utf-8")
    return tomllib.loads(text)


@functools.lru_cache(maxsize=1)
def _ethnic_names() -> tuple[str, ...]:
    # Autonomous areas carry ethnic names (恩施土家族苗族自治州 → 恩施); strip them for the short name.
    text = resources.files("cpca").joinpath("resources/56_nations.csv").read_text("utf-8")
    names = {n.strip() for n in text.split() if n.strip().endswith("族")}
    names |= {n[:-1] for n in names if len(n) > 2}  # 维吾尔自治区 drops the 族
    return tuple(sorted(names, key=len, reverse=True))


def split_name(name: str) -> tuple[str, str]:
    """Split an official name into its short name and its suffix (深圳市 → 深圳, 市)."""
    for suffix in load_rules()["suffixes"]:
        core = name[: -len(suffix)]
        if name.endswith(suffix) and len(core) >= 2:
            if suffix.startswith("自治"):
                core = _strip_ethnic(core)
            return core, suffix
    return name, ""


def _strip_ethnic(core: str) -> str:
    changed = True
    while changed:
        changed = False
        for ethnic in _ethnic_names():
            if core.endswith(ethnic) and len(core) - len(ethnic) >= 2:
                core, changed = core[: -len(ethnic)], True
                break
    return core


def english_name(short: str, suffix: str = "") -> str:
    """English name: pinyin of the short name, capitalized, plus a suffix word for non-cities."""
    base = load_rules()["english"].get(short)
    if base is None:
        syllables = lazy_pinyin(short)
        # An apostrophe marks a syllable that starts with a vowel (Xi'an, Lu'an).
        base = "".join(s if i == 0 or s[0] not in "aoe" else "'" + s for i, s in enumerate(syllables))
        base = base.capitalize()
    word = load_rules()["suffixes"].get(suffix, "")
    return f"{base} {word}" if word else base


def make_functional_region(core: str, suffix: str, parent: Region | None) -> Region:
    """A functional area (新区, 开发区, 高新区) named parent city + own name: 深圳市大鹏新区."""
    own = core + suffix
    name = (parent.name + own) if parent else own
    province = parent.province if parent else ""
    return Region(name, core, english_name(core, suffix), province, "functional", None)


class Gazetteer:
    """Every province, prefecture and county; look-up by name, and a mention finder."""

    def __init__(self, regions: list[Region]):
        self.regions = regions
        self._by_code = {r.code: r for r in regions if r.code}
        self._index: dict[str, list[Region]] = {}
        for r in regions:
            for key in {r.name, r.short, _ascii_key(r.en), _ascii_key("".join(lazy_pinyin(r.short)))}:
                self._index.setdefault(key, []).append(r)
        for hits in self._index.values():
            hits.sort(key=_rank)
        self._automaton, self._values = self._build_automaton()
        self._not_place_after = tuple(load_rules()["matching"]["not_place_after"])

    def lookup(self, query: str) -> list[Region]:
        """All regions whose name, short name or pinyin equals the query, higher levels first."""
        q = query.strip()
        return list(self._index.get(q) or self._index.get(_ascii_key(q), []))

    def unit_of(self, region: Region) -> Region:
        """The region a passage is attributed to: a county's prefecture, else the region itself."""
        code = region.code
        if region.level != "county" or not code:
            return region
        if code[:2] in _MUNICIPALITIES:
            return self._by_code.get(code[:2] + "0000", region)
        # Counties administered by the province directly (仙桃市, 神农架林区) stand for themselves.
        return self._by_code.get(code[:4] + "00", region)

    def find_mentions(self, text: str) -> list[PlaceMention]:
        """Every place name in the text, leftmost-longest, traditional characters included."""
        institutions = self._not_place_after
        found = []
        for key, start, end in self._automaton.find_matches_as_indexes(text):
            regions, units = self._values[key]
            if regions and not text.startswith(institutions, end):
                found.append(PlaceMention(start, end, regions, units))
        return found

    def _build_automaton(self) -> tuple[ahocorasick_rs.AhoCorasick, list[_KeyValue]]:
        """The automaton over every name key, and for each key (by index) its regions and their units."""
        rules = load_rules()["matching"]
        keys: dict[str, list[Region]] = {}
        for r in self.regions:
            keys.setdefault(r.name, []).append(r)
            # Only provinces and prefectures match by short name: county short names collide with words.
            if r.level in ("province", "prefecture") and r.short not in rules["ambiguous_shorts"]:
                keys.setdefault(r.short, []).append(r)
                if r.name.endswith("自治州"):
                    keys.setdefault(r.short + "州", []).append(r)  # 恩施州, the usual form
        values: dict[str, _KeyValue] = {}
        for key, regions in keys.items():
            if len(key) >= 2:
                candidates = tuple(sorted(set(regions), key=_rank))
                units = tuple(dict.fromkeys(self.unit_of(r) for r in candidates))
                # Traditional spellings (新會區, 臺灣) are keys of their own: no text conversion at match time.
                for variant in _traditional_variants(key):
                    values[variant] = (candidates, units)
        # Phrases that contain a place name but are not one (a later key of the same text wins).
        for phrase in rules["not_places"]:
            for variant in _traditional_variants(phrase):
                values[variant] = ((), ())
        # A DFA: 40% fewer instructions per search than the default (a contiguous NFA), for 18 MB more
        # memory and 50 ms more to build, once per process.
        automaton = ahocorasick_rs.AhoCorasick(list(values), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                                               implementation=ahocorasick_rs.Implementation.DFA)
        return automaton, list(values.values())


def _rank(r: Region) -> tuple[int, str]:
    return LEVELS.index(r.level), r.code or ""


_HAN_RE: Final = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


def _ascii_key(s: str) -> str:
    return re.sub(r"[\s'’-]+", "", s).lower()


def _traditional_variants(key: str) -> set[str]:
    from zhconv import convert

    return {key} | {convert(key, locale) for locale in ("zh-hant", "zh-tw", "zh-hk")}


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The national gazetteer from the cpca package's administrative-division codes."""
    text = resources.files("cpca").joinpath("resources/adcodes.csv").read_text("utf-8")
    rows = [r for r in csv.DictReader(text.splitlines()) if r["name"] not in _PLACEHOLDERS]
    provinces = {r["adcode"][:2]: r["name"] for r in rows if r["adcode"][2:] == "0" * 10}
    regions = []
    for r in rows:
        code = r["adcode"][:6]
        level = "province" if code[2:] == "0000" else "prefecture" if code[4:] == "00" else "county"
        short, suffix = split_name(r["name"])
        # Provinces go by their bare name in English (Guangxi, not Guangxi Autonomous Region).
        regions.append(Region(r["name"], short, english_name(short, "" if level == "province" else suffix),
                              provinces.get(code[:2], ""), level, code))
    return Gazetteer(regions)


def matches(region: Region, query: str) -> bool:
    """Whether a user's query (short, full or pinyin name, any case) names this region."""
    q = query.strip()
    a = _ascii_key(q)
    if q == region.name or q == region.short or a == region.name or a == region.short:
        return True
    if not a.isascii() and _HAN_RE.search(a):
        # The other keys, English and pinyin, have no Han characters: a Chinese query is answered
        # without the pinyin of every region it is tried against (a large corpus has a thousand).
        return False
    keys = _match_keys(region)
    return q in keys or a in keys


# Keyed by Region, never by text: the gazetteer and a corpus's functional areas are a few thousand
# regions, and a brief asks about each of them thousands of times (pinyin is the costly part).
@functools.lru_cache(maxsize=16384)
def _match_keys(region: Region) -> frozenset[str]:
    return frozenset({region.name, region.short, _ascii_key(region.en), _ascii_key("".join(lazy_pinyin(region.short)))})
