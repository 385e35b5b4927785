"""Regions: the places a text names, at every level, as regions with their chain of parents.

The divisions come from gazetteer.py (the national code table, functional areas, former names); this
module finds them in a text. Nothing is rolled up: a county's name is the county, a town's the town.
Which of the places named is a document's own region, and which passage is whose, is segment.py's.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Final, NamedTuple

import ahocorasick_rs
from mypy_extensions import mypyc_attr
from pypinyin import lazy_pinyin

from briefgen.extract.gazetteer import Division, Gazetteer as Divisions, load_gazetteer as load_divisions
from briefgen.extract.gazetteer import load_rules as load_naming

LEVELS: Final = ("country", "province", "prefecture", "county", "township", "village", "functional")
# The levels whose official names are matched anywhere in a text (townships too: 禾洞镇, 秀全街道).
_MATCHED_LEVELS: Final = ("province", "prefecture", "county", "township", "functional")
# A township name this short (镇, 乡 plus one character) is too often part of a phrase.
_MIN_TOWNSHIP_NAME: Final = 3


@mypyc_attr(native_class=False)  # see briefgen/native.py
@dataclass(frozen=True)
class Region:
    """A region at any level, with its official, short and English names and the chain above it."""

    name: str
    short: str
    en: str
    province: str
    level: str
    code: str | None = None
    # Official names from the outermost region down to this one (浙江省, 宁波市, 鄞州区), and their English.
    path: tuple[str, ...] = ()
    path_en: tuple[str, ...] = ()

    @property
    def parent(self) -> str | None:
        """The official name of the region right above this one, if any."""
        return self.path[-2] if len(self.path) > 1 else None

    def within(self, other: Region) -> bool:
        """Whether this region lies inside `other` (a county inside its province, any region in the country)."""
        if other.level == "country":
            return self.level != "country"
        return other.name in self.path[:-1]


COUNTRY: Final = Region("中华人民共和国", "中国", "China", "", "country", "000000", ("中华人民共和国",), ("China",))


class PlaceMention(NamedTuple):
    """A place name found in a text: its span and the regions it may denote (best first)."""

    start: int
    end: int
    regions: tuple[Region, ...]


@functools.lru_cache(maxsize=1)
def load_rules() -> dict:
    """The matching rules of briefgen/data/regions_names.toml."""
    text = resources.files("briefgen").joinpath("data/regions_names.toml").read_text("utf-8")
    return tomllib.loads(text)


def split_name(name: str) -> tuple[str, str]:
    """Split an official name into its short name and its suffix (深圳市 → 深圳, 市)."""
    core, suffix, _ = load_naming().split_name(name)
    return (core, suffix) if len(core) >= 2 else (name, "")


def make_functional_region(core: str, suffix: str, parent: Region | None) -> Region:
    """A functional area the code table does not list, named parent city + own name: 成都市天府新区."""
    own = core + suffix
    name = (parent.name + own) if parent else own
    province = parent.province if parent else ""
    en = load_naming().english_name(own, "functional", split_name(province)[0] if province else "")
    path = (parent.path if parent else ()) + (name,)
    path_en = (parent.path_en if parent else ()) + (en,)
    return Region(name, core, en, province, "functional", None, path, path_en)


def make_township_region(core: str, suffix: str, parent: Region | None) -> Region:
    """A place the code table does not list, named by a text: a township (…镇, …乡, …街道) under its
    county, or a village (…村) under its township or county."""
    name = core + suffix
    province = parent.province if parent else ""
    level = "village" if suffix == "村" else "township"
    en = load_naming().english_name(name, "township", split_name(province)[0] if province else "")
    if level == "village":  # the code table's naming rules know no 村: pinyin plus "Village"
        en = load_naming().english_name(core + "镇", "township", split_name(province)[0] if province else "")
        en = en.rsplit(" ", 1)[0] + " Village"
    return Region(name, core, en, province, level, None, (parent.path if parent else ()) + (name,),
                  (parent.path_en if parent else ()) + (en,))


class Gazetteer:
    """The divisions as regions, and a finder of their names in a text (traditional spellings too)."""

    def __init__(self, divisions: Divisions):
        self.divisions = divisions
        self._regions: dict[str, Region] = {}
        rules = load_rules()["matching"]
        self._not_place_after = tuple(rules["not_place_after"])
        self._automaton, self._values = self._build_automaton(rules)
        self._short_automaton, self._short_values = self._build_short_automaton(rules)

    def region(self, code: str) -> Region:
        """The region of a division code, made once."""
        region = self._regions.get(code)
        if region is None:
            chain = self.divisions.path(code)
            d = chain[-1]
            province = chain[0].name if chain[0].level == "province" else ""
            region = Region(d.name, d.short, self.divisions.english(d), province, d.level,
                            None if d.code.startswith("F:") else d.code, tuple(x.name for x in chain),
                            tuple(self.divisions.english(x) for x in chain))
            self._regions[code] = region
        return region

    def regions(self, levels: tuple[str, ...] = ("province", "prefecture", "county")) -> list[Region]:
        """Every region of these levels, in code-table order."""
        return [self.region(d.code) for d in self.divisions.divisions if d.level in levels]

    def lookup(self, query: str) -> list[Region]:
        """The regions an official or short name (or a former name) stands for, higher levels first."""
        q = query.strip()
        found = [self.region(d.code) for d in self.divisions.find_by_name(q)]
        former = self.divisions.former.get(q)
        if former is not None:
            found.append(self.region(former.successor_code))
        return list(dict.fromkeys(found))

    def find_mentions(self, text: str) -> list[PlaceMention]:
        """Every full place name in the text, leftmost-longest, traditional characters included."""
        return self._find(self._automaton, self._values, text, 0, len(text))

    def find_short_mentions(self, text: str, start: int, end: int) -> list[PlaceMention]:
        """County and district names without their suffix (鄞州, 孟津) in text[start:end]: a caller
        takes them only where the context makes them places (a title, 鄞州区委, 全区 after it)."""
        return self._find(self._short_automaton, self._short_values, text, start, end)

    def _find(self, automaton: ahocorasick_rs.AhoCorasick, values: list[tuple[str, ...]], text: str,
              start: int, end: int) -> list[PlaceMention]:
        found = []
        for key, s, e in automaton.find_matches_as_indexes(text[start:end]):
            codes = values[key]
            if codes and not text.startswith(self._not_place_after, start + e):
                found.append(PlaceMention(start + s, start + e, tuple(self.region(c) for c in codes)))
        return found

    def _build_automaton(self, rules: dict) -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[str, ...]]]:
        """The automaton over every full name key, and for each key (by index) the codes it stands for."""
        keys: dict[str, list[Division]] = {}
        for d in self.divisions.divisions:
            if d.level not in _MATCHED_LEVELS or (d.level == "township" and len(d.name) < _MIN_TOWNSHIP_NAME):
                continue
            keys.setdefault(d.name, []).append(d)
            # Only provinces and prefectures match by short name: county short names collide with words.
            if d.level in ("province", "prefecture") and d.short not in rules["ambiguous_shorts"]:
                keys.setdefault(d.short, []).append(d)
                if d.name.endswith("自治州"):
                    keys.setdefault(d.short + "州", []).append(d)  # 恩施州, the usual form
        for area in self.divisions.functional:
            keys.setdefault(area.own, []).append(area.division)
        # A former name (莱芜市, 孟津县) stands for its successor; a current name of the same spelling wins.
        for former in self.divisions.former.values():
            if former.name not in keys:
                keys[former.name] = [self.divisions.by_code[former.successor_code]]
        values: dict[str, tuple[str, ...]] = {}
        for key, divisions in keys.items():
            if len(key) >= 2:
                codes = tuple(d.code for d in sorted(set(divisions), key=_rank))
                # Traditional spellings (新會區, 臺灣) are keys of their own: no text conversion at match time.
                for variant in traditional_variants(key):
                    values.setdefault(variant, codes)
        # Phrases that contain a place name but are not one (the longest match wins).
        for phrase in rules["not_places"]:
            for variant in traditional_variants(phrase):
                values[variant] = ()
        return _automaton(values), list(values.values())

    def _build_short_automaton(self, rules: dict) -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[str, ...]]]:
        keys: dict[str, list[str]] = {}
        for d in self.divisions.divisions:
            if d.level == "county" and d.short != d.name and len(d.short) >= 2 \
                    and d.short not in rules["ambiguous_shorts"]:
                keys.setdefault(d.short, []).append(d.code)
        values: dict[str, tuple[str, ...]] = {}
        for key, codes in keys.items():
            for variant in traditional_variants(key):
                values.setdefault(variant, tuple(codes))
        return _automaton(values), list(values.values())


def _automaton(values: dict[str, tuple[str, ...]]) -> ahocorasick_rs.AhoCorasick:
    # A contiguous NFA: the DFA of 40,000 names with their traditional spellings takes seconds to build.
    return ahocorasick_rs.AhoCorasick(list(values), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)


def _rank(d: Division) -> tuple[int, str]:
    return LEVELS.index(d.level), d.code


_HAN_RE: Final = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]")


def _ascii_key(s: str) -> str:
    return re.sub(r"[\s'’-]+", "", s).lower()


def traditional_variants(key: str) -> set[str]:
    """A word with its traditional spellings (新會區, 選派), for matching texts in either script."""
    return {key} | {convert(key, locale) for locale in ("zh-hant", "zh-tw", "zh-hk")}


def convert(text: str, locale: str) -> str:
    """zhconv's conversion; zhconv imports pkg_resources, whose deprecation warning is no user's business."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from zhconv import convert as zhconv_convert
    return str(zhconv_convert(text, locale))


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The national gazetteer: every current division, functional area and former name."""
    return Gazetteer(load_divisions())


# English level words a user may put after a name (Yunfu City, Yinzhou District): the name matches
# with or without them.
_LEVEL_WORDS: Final = re.compile(
    r"(?:autonomous|special|new|forestry|mining|ethnic)?"
    r"(?:city|district|county|prefecture|banner|league|town|township|subdistrict|province|region|area|sar)$")


def matches(region: Region, query: str) -> bool:
    """Whether a user's query names this region: its official or short name, pinyin or English name,
    with or without an English level word ("Yunfu City", "Yinzhou District", "yinzhou")."""
    q = query.strip()
    a = _ascii_key(q)
    if q == region.name or q == region.short or a == region.name or a == region.short:
        return True
    if not a.isascii() and _HAN_RE.search(a):
        # The other keys, English and pinyin, have no Han characters: a Chinese query is answered
        # without the pinyin of every region it is tried against (a large corpus has a thousand).
        return False
    keys = _match_keys(region)
    return q in keys or a in keys or _LEVEL_WORDS.sub("", a) in keys


# Keyed by Region, never by text: the gazetteer and a corpus's functional areas are a few thousand
# regions, and a brief asks about each of them thousands of times (pinyin is the costly part).
@functools.lru_cache(maxsize=16384)
def _match_keys(region: Region) -> frozenset[str]:
    en = _ascii_key(region.en)
    return frozenset({region.name, region.short, en, _LEVEL_WORDS.sub("", en) or en,
                      _ascii_key("".join(lazy_pinyin(region.short)))})


def choose_regions(known: list[Region], queries: list[str]) -> tuple[list[Region], list[str]]:
    """The regions of `known` that `queries` name, at any level, and the queries that name none.

    A query names a region by any of its names (matches); or names a region above it (宁波 chooses
    every district of Ningbo that `known` holds), found through each region's chain.
    """
    chosen: list[Region] = []
    unknown: list[str] = []
    for query in (q.strip() for q in queries if q.strip()):
        hits = [r for r in known if matches(r, query)] or [r for r in known if _names_a_parent(r, query)]
        if not hits:
            unknown.append(query)
        chosen.extend(h for h in hits if h not in chosen)
    return chosen, unknown


def _names_a_parent(region: Region, query: str) -> bool:
    gazetteer = load_gazetteer()
    for name in region.path[:-1]:
        parents = [r for r in gazetteer.lookup(name) if r.name == name]
        if any(matches(p, query) for p in parents):
            return True
    return False


def closest_names(known: list[Region], query: str, n: int = 3) -> list[str]:
    """The names of `known` most like a query that names none of them (for the error message)."""
    import difflib

    labels = {key: f"{r.short} ({r.en})" for r in known for key in (r.name, r.short, r.en.lower())}
    return list(dict.fromkeys(labels[k] for k in difflib.get_close_matches(query.strip().lower() if query.isascii()
                                                                           else query.strip(), list(labels), n, 0.5)))
