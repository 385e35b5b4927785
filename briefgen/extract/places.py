"""Places: which region a document speaks for, and which of its paragraphs speak for a region below it.

A report names many places; its own region is the one it keeps naming where it counts (the title,
the opening, before its organs: 区委, 组织部) at the level its self-references give (全区, 我县, 全省).
Nothing is rolled up: a county's report is the county's, never its prefecture's.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from briefgen.extract.scan import SENTENCE_END
from briefgen.extract.regions import (COUNTRY, PlaceMention, Region, load_gazetteer, load_rules, make_functional_region,
                                      make_township_region)

# Self-references and the level suffix each points to (traditional spellings folded to simplified).
# 全X and 我X speak for the document's own region; X委 is weaker (a district report cites its 市委).
_SELF_WORDS: Final = (("全", 2), ("我", 2), ("本", 1))
_LEVEL_CHARS: Final = {"省": "省", "市": "市", "区": "区", "區": "区", "县": "县", "縣": "县", "州": "州",
                       "旗": "旗", "盟": "盟", "镇": "镇", "鎮": "镇", "乡": "乡", "鄉": "乡", "村": "村", "国": "国", "國": "国"}
_ORGAN_LEVELS: Final = (("省委", "省"), ("市委", "市"), ("区委", "区"), ("區委", "区"), ("县委", "县"),
                        ("縣委", "县"), ("州委", "州"), ("旗委", "旗"), ("镇党委", "镇"), ("乡党委", "乡"),
                        ("街道党工委", "街道"))
# 全国 is said by every report ("全国首个"): it makes a national document only when it dominates.
_COUNTRY_MARGIN: Final = 3.0
# After a county's short name, what makes it a place (鄞州区委, 鄞州：, 孟津党员): in a title or opening.
_SHORT_CONTEXT: Final = ("区委", "县委", "市委", "党委", "委", "党员", "组织部", "：", ":", "丨", "|", "｜", " ",
                         "\u3000", "，", ",", "区", "县", "市")


@functools.lru_cache(maxsize=1)
def _matching_words() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    rules = load_rules()["matching"]
    return tuple(rules["passing_before"]), tuple(rules["passing_after"]), tuple(rules["own_after"])


def level_words(text: str) -> dict[str, float]:
    """How strongly the text refers to itself as each level: {"区": 14.0, "市": 2.0, …}."""
    counts: dict[str, float] = {}
    for word, weight in _SELF_WORDS:
        at = text.find(word)
        while at != -1:
            nxt = text[at + 1:at + 3]
            level = "街道" if nxt == "街道" else _LEVEL_CHARS.get(nxt[:1])
            if level is not None and not (level == "国" and word != "全"):
                counts[level] = counts.get(level, 0.0) + weight
            at = text.find(word, at + 1)
    for organ, level in _ORGAN_LEVELS:
        n = text.count(organ)
        if n:
            counts[level] = counts.get(level, 0.0) + n
    return counts


def _fits(region: Region, level: str) -> bool:
    """Whether a region is of the level a self-reference names (全县 → a 县 or 自治县, 全市 → a 市)."""
    if level == "国":
        return region.level == "country"
    if level == "州":
        return region.name.endswith("州")
    return region.name.endswith(level) or (level == "区" and region.level == "functional")


def context_mentions(text: str, title_end: int, opening_end: int) -> list[PlaceMention]:
    """County and district short names where the context makes them places: in the title or the
    opening, followed by an organ, a separator or a level word (鄞州：…, 孟津党员…, 仪陇县委…)."""
    found = []
    for m in load_gazetteer().find_short_mentions(text, 0, opening_end):
        # A title may open with the name (鄞州：…, 鄞州党员…); elsewhere it needs what follows it.
        if (m.start == 0 and title_end > 0) or text.startswith(_SHORT_CONTEXT, m.end):
            found.append(m)
    return found


def region_scores(text: str, title_end: int, opening_end: int, mentions: list[PlaceMention]) -> dict[Region, float]:
    """Weighted mentions per region (title, opening, organs count more; passing ones not at all)."""
    passing_before, passing_after, own_after = _matching_words()
    scores: dict[Region, float] = {}
    deferred = []
    for start, end, regions in mentions:
        after = text[end:end + 4]
        if text[max(0, start - 2):start].endswith(passing_before) or after.startswith(passing_after):
            continue
        weight = 4.0 if start < title_end else 2.0 if start < opening_end else 1.0
        if after.startswith(own_after) or text[end - 1:end + 4].startswith(own_after):
            weight += 2
        if len(regions) > 1:  # a name shared by several places (城关镇, 长安区): settled by the others
            deferred.append((regions, weight))
            continue
        scores[regions[0]] = scores.get(regions[0], 0.0) + weight
    for regions, weight in deferred:
        # The candidate that lies within (or holds) the places named plainly, if any does.
        support = {r: sum(v for other, v in scores.items() if r.within(other) or other.within(r)) for r in regions}
        best = max(regions, key=lambda r: support[r])
        if support[best] > 0:
            scores[best] = scores.get(best, 0.0) + weight
    return scores


def _top(scores: dict[Region, float], mentions: list[PlaceMention]) -> Region | None:
    """The best-scoring region; ties go to the region named first."""
    if not scores:
        return None
    high = max(scores.values())
    tied = [r for r, v in scores.items() if v == high]
    if len(tied) == 1:
        return tied[0]
    first: dict[Region, int] = {}
    for i, m in enumerate(mentions):
        for r in m.regions:
            first.setdefault(r, i)
    return min(tied, key=lambda r: first.get(r, len(mentions)))


def own_region(text: str, title_end: int, opening_end: int, mentions: list[PlaceMention]) -> Region | None:
    """The region a document speaks for: the best-named region of the level its self-references give."""
    all_mentions = sorted([*mentions, *context_mentions(text, title_end, opening_end)], key=lambda m: m.start)
    scores = region_scores(text, title_end, opening_end, all_mentions)
    levels = level_words(text)
    others = max((v for k, v in levels.items() if k != "国"), default=0.0)
    if levels.get("国", 0.0) > _COUNTRY_MARGIN * max(others, 1.0) and not any(
            m.start < title_end for m in all_mentions):
        return COUNTRY
    level = max((k for k in levels if k != "国"), key=lambda k: levels[k], default=None)
    own = None
    if level is not None:
        # Of the regions of that level, the best named; a region of another level wins only when the
        # text names it far more (a city report that says 全区 of one of its districts, once).
        fitting = {r: v for r, v in scores.items() if _fits(r, level)}
        own = _top(fitting, all_mentions) or _named_through_parts(scores, level)
        if own is None and level in _PATTERN_LEVELS:
            own = _place_by_pattern(text[:opening_end], level, scores)
    if own is None:
        # No self-reference to go by: city reports name their province often ("全省第一"), so a
        # province counts a third.
        own = _top({r: v / 3 if r.level == "province" else v for r, v in scores.items()}, all_mentions)
    cities = {r: v for r, v in scores.items() if r.level not in ("province", "country")}
    parent = _top(cities, all_mentions)
    area = functional_area(text, text[:min(opening_end, 600)], parent, cities[parent] if parent else 0.0)
    return area or own


# Levels whose places the code table may lack (a new town) or never lists (villages), found by name.
_PATTERN_LEVELS: Final = ("镇", "乡", "街道", "村")
# Such a place's name as a text writes it: two to four Han characters before 镇, 乡, 街道 or 村, not the
# start of a generic word (镇政府, 村民, 村级).
_PLACE_NAME: Final = re.compile(r"([\u4e00-\u9fff]{2,4}?)(镇|乡|街道|村)(?!政府|企业|村|民|级|委会|集体)")


def _place_by_pattern(opening: str, level: str, scores: dict[Region, float]) -> Region | None:
    """A town the code table lacks, or a village, named in the title or opening of a text that
    speaks as one (全镇, 全村); its parent is the township or county the text names most, if any."""
    stop = load_rules()["functional"]["stop_chars"]
    for m in _PLACE_NAME.finditer(opening):
        core = m.group(1).lstrip(stop)
        if m.group(2) != level or len(core) < 2:
            continue
        above = ("township", "county") if level == "村" else ("county",)
        for parent_level in above:
            candidates = {r: v for r, v in scores.items() if r.level == parent_level}
            if candidates:
                return make_township_region(core, level, _top(candidates, []))
        return make_township_region(core, level, None)
    return None


def _named_through_parts(scores: dict[Region, float], level: str) -> Region | None:
    """The region of that level that holds the places a text names, when the text never names it
    (a provincial bulletin that says 全省 and names only its cities)."""
    gazetteer = load_gazetteer()
    held: dict[str, float] = {}
    for region, score in scores.items():
        for name in region.path[:-1]:
            held[name] = held.get(name, 0.0) + score
    fitting = [(v, name) for name, v in held.items() if name.endswith(level)]
    if not fitting:
        return None
    best = max(fitting)[1]
    candidates = [r for r in gazetteer.lookup(best) if r.name == best]
    return candidates[0] if len(candidates) == 1 else None


def functional_area(text: str, opening: str, parent: Region | None, parent_score: float) -> Region | None:
    """A new district or development zone that the opening names and the text keeps referring to."""
    rules = load_rules()
    stop, not_names = rules["functional"]["stop_chars"], rules["document"]["not_area_names"]
    best, best_score = None, parent_score
    for suffix in rules["functional"]["suffixes"]:
        at = opening.find(suffix)
        while at != -1:
            core, found, at = "", at, opening.find(suffix, at + len(suffix))
            for ch in reversed(opening[max(0, found - 4):found]):
                if not "\u4e00" <= ch <= "\u9fff" or ch in stop:
                    break
                core = ch + core
            if len(core) < 2 or core in not_names or core[-2:] in not_names:
                continue
            # Named in the opening, then referred to by name or by the bare suffix (新区党工委).
            score = 3 + text.count(core + suffix) + (text.count(suffix) - text.count(core + suffix))
            if score > best_score:
                best, best_score = (core, suffix), float(score)
    if best is None:
        return None
    known = [r for r in load_gazetteer().lookup(best[0] + best[1]) if r.level == "functional"]
    return known[0] if known else make_functional_region(*best, parent)


# A sentence may open with when it happened before whom it is about: "2020年，厦门市向…", "上半年，绵阳市…".
_TIME_OPENERS: Final = ("年", "月", "以来", "上半年", "下半年", "季度", "期间")
_MAX_TIME_OPENER: Final = 12
# After a region that is the sentence's subject comes what it did, not a joining word or a possessive.
_NOT_SUBJECT_AFTER: Final = ("的", "与", "和", "及", "、", "等", "人", "籍", "企业", "代表")
# A helper region's sentence gives to the document's region: 厦门市向和政县投入…, 选派…到和政县开展帮扶.
_HELPING: Final = ("向", "对口", "帮扶", "援", "支援", "协作", "捐")
_FULL_STOPS: Final = "。！!？?\n"


def sentence_regions(text: str, own: Region | None, mentions: list[PlaceMention]) -> list[tuple[int, int, Region]]:
    """Sentences whose subject is another region than the document's own: a city in a provincial
    bulletin (绵阳市聚焦…), a province in a national wire, a helper in a report on the place it helps.

    Each is (start, end, region); what those sentences state is that region's, not the document's.
    """
    if own is None:
        return []
    found: list[tuple[int, int, Region]] = []
    for m in mentions:
        region = m.regions[0]
        if len(m.regions) > 1 or region == own or own.within(region) or region.level == "country":
            continue
        start = _sentence_start(text, m.start)
        if start < 0 or text.startswith(_NOT_SUBJECT_AFTER, m.end):
            continue
        # A semicolon goes on with the same subject (厦门市选派…；动员…): the span runs to the full stop.
        end = min((i for i in (text.find(c, m.end) for c in _FULL_STOPS) if i != -1), default=len(text))
        sentence = text[start:end]
        helps = any(w in sentence for w in _HELPING) and (own.name in sentence or own.short in sentence)
        if region.within(own) or helps:
            if not found or found[-1][1] <= start:
                found.append((start, end, region))
    return found


def _sentence_start(text: str, at: int) -> int:
    """Where the sentence opens if a mention at `at` is its subject (after a time opener), else -1."""
    start = at
    while start > 0 and text[start - 1] not in SENTENCE_END:
        start -= 1
    opener = text[start:at].strip()
    if not opener:
        return start
    if opener[-1] in "，," and len(opener) <= _MAX_TIME_OPENER and any(w in opener for w in _TIME_OPENERS):
        return start
    return -1
