"""Segment: split a document into passages, each with its section, region and year."""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from dataclasses import dataclass

from briefgen.documents import Document
from briefgen.regions import Gazetteer, Mention, Region, load_gazetteer, load_rules, make_functional_region


@dataclass(frozen=True)
class Passage:
    """A paragraph of a document, attributed to a region and a year."""

    doc: str
    region: Region | None
    section: str
    text: str
    start: int
    end: int
    year: int | None
    headings: tuple[str, ...] = ()  # the path of section headings, outermost first
    is_heading: bool = False


@dataclass(frozen=True)
class Segmentation:
    """A document's title, own regions, year and passages."""

    doc: str
    title: str
    regions: tuple[Region, ...]
    year: int | None
    passages: tuple[Passage, ...]
    roundup: bool = False  # several regions, each under its own heading


_LINE = re.compile(r"[^\n]+")
_CJK_NUM = "一二三四五六七八九十"
# Heading markers by level: region headings are level 0, then 一、 (一) 1. (1).
_NUMBERED = [
    (1, re.compile(rf"[{_CJK_NUM}]+[、.．]")),
    (2, re.compile(rf"[(（][{_CJK_NUM}]+[)）]")),
    (3, re.compile(r"\d{1,2}[.、．](?!\d)")),
    (4, re.compile(r"[(（]\d{1,2}[)）]")),
]
_BRACKET = re.compile(r"【([^】\n]{1,30})】")
_MARKDOWN = re.compile(r"(#{1,6})\s+")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_CLAUSE_END = re.compile(r"[。！？!?；;,，:：]")
_TITLE_MAX, _SHORT_HEADING_MAX, _SHORT_HEADING_MIN = 60, 30, 6
_HEADING_END_FORBIDDEN = "。！？!?；;…,，、:：”\"）)"
_CAPTION = re.compile(r"图为|图片为|[(（]图[)）]")
_HEAD_PREFIX = re.compile(rf"[#*\s]*【?\s*(?:[{_CJK_NUM}]+[、.．]|[(（][{_CJK_NUM}\d]{{1,3}}[)）]|\d{{1,2}}[.、．](?!\d))?\s*【?")
_REGION_HEAD_END = re.compile(r"\s*(?:[:：丨|｜】]|$)")

# A year: 1950–2049 followed by 年; a bare year in a dateline ("2020汉江…会议") is read only in openings.
_YEAR = re.compile(r"(?<![\d.])((?:19[5-9]|20[0-4])\d)年")
_BARE_YEAR = re.compile(r"(?<![\d.])((?:19[5-9]|20[0-4])\d)(?=[\u4e00-\u9fff])(?![年多余万亿个名人次元件项场期平米])")
_RELATIVE = re.compile(r"(?<![比较同与于由从])(今年|去年|上年|前年|明年)")
_RELATIVE_OFFSET = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# Markers of a text looking back over years (30年来, 2022年以来, 近年来).
_RETROSPECTIVE = re.compile(r"以来|年来|近年")


def _year_kind(text: str, start: int, end: int) -> str:
    """How a year mention is used: 'since' (cumulative), 'from', 'compare', 'target' or 'plain'."""
    before, after = text[max(0, start - 2):start], text[end:end + 4]
    if after.startswith(("以来", "来", "至今")):
        return "since"
    if before.endswith(("比", "较", "同", "与")):
        return "compare"
    if before.endswith(("从", "由")):
        return "from"
    if before.endswith(("到", "至")) or after.startswith(("前", "底前")):
        return "target"
    return "plain"


def _explicit_years(text: str, kinds: tuple[str, ...] = ("plain",)) -> list[int]:
    return [int(m.group(1)) for m in _YEAR.finditer(text) if _year_kind(text, m.start(), m.end()) in kinds]


@functools.lru_cache(maxsize=4096)  # headings are asked again for every passage under them
def _leading_year(text: str) -> int | None:
    """The year a paragraph opens with (2023年,… / 一、2023年工作总结), if any."""
    clause = text[: m.start()] if (m := _CLAUSE_END.search(text)) else text
    years = _explicit_years(clause)
    return years[0] if years else None


def _document_year(lines: list[str], text: str, title: str) -> int | None:
    # 1. The title or opening dates the document (dateline, "2023年,XX区…").
    opening = "\n".join(([title] if title else []) + lines[:2])[:600]
    for m in sorted([*_YEAR.finditer(opening), *_BARE_YEAR.finditer(opening)], key=lambda m: m.start()):
        if _year_kind(opening, m.start(), m.end()) == "plain":
            return int(m.group(1))
    # 2. Yearbook style: paragraphs that open with their year.
    # Quoted speech and photo captions are not the report's own voice.
    leading = Counter(y for line in lines if line[0] not in "“\"「" and not _CAPTION.search(line)
                      and (y := _leading_year(line)))
    if leading and leading.most_common(1)[0][1] >= 2:
        return leading.most_common(1)[0][0]
    # 3. From the years it names: "X年以来" is said after X; a text that says 今年 reports on the
    # latest year it names; a retrospective that never says 今年 looks back from the year after.
    plain = _explicit_years(text, ("plain", "from"))
    since = [y + 1 for y in _explicit_years(text, ("since",))]
    if not plain and not since:
        return None
    if "今年" not in text and plain and _RETROSPECTIVE.search(text):
        return max([max(plain) + 1, *since])
    return max(plain + since)


def resolve_year(sentence_before: str, default: int | None) -> int | None:
    """The year a statement is tied to: the last explicit or relative year before it, else default."""
    best, best_at = default, -1
    for m in _YEAR.finditer(sentence_before):
        if _year_kind(sentence_before, m.start(), m.end()) in ("plain", "target") and m.start() > best_at:
            best, best_at = int(m.group(1)), m.start()
        elif sentence_before[m.end():m.end() + 1] == "起" and m.start() > best_at:  # 自2020年起: a plan's start
            best, best_at = int(m.group(1)), m.start()
    for m in _RELATIVE.finditer(sentence_before):
        if default is not None and m.start() > best_at and not sentence_before.startswith("以来", m.end()):
            best, best_at = default + _RELATIVE_OFFSET[m.group(1)], m.start()
    return best


def passage_at(seg: Segmentation, offset: int) -> Passage | None:
    """The passage whose span contains a document offset."""
    i = bisect.bisect_right([p.start for p in seg.passages], offset) - 1
    if i >= 0 and seg.passages[i].start <= offset < seg.passages[i].end:
        return seg.passages[i]
    return None


def region_at(seg: Segmentation, offset: int) -> Region | None:
    """The region of the passage containing a document offset."""
    p = passage_at(seg, offset)
    return p.region if p else None


def year_at(seg: Segmentation, text: str, offset: int) -> int | None:
    """The year a statement at `offset` describes: explicit in its sentence, else its passage's year."""
    p = passage_at(seg, offset)
    if p is None:
        return seg.year
    before = text[p.start:offset]
    cut = max((m.end() for m in _SENTENCE_END.finditer(before)), default=0)
    return resolve_year(before[cut:], p.year)


# ---------------------------------------------------------------- headings

def _heading(s: str, is_first: bool) -> tuple[int, str, bool] | None:
    """(level, heading text, whether it is the whole line) when a line is or starts with a heading."""
    if m := _BRACKET.match(s):
        return 1, m.group(1).strip(), m.end() == len(s)
    if m := _MARKDOWN.match(s):
        return len(m.group(1)), s[m.end():].strip(), True
    for level, pattern in _NUMBERED:
        if pattern.match(s):
            # An inline heading ends at its first sentence end: "(一)聚焦…持续增强。理论学习…"
            end = _SENTENCE_END.search(s)
            text = (s[: end.start()] if end else s)[:_SHORT_HEADING_MAX * 2]
            return level, text, text == s
    if (not is_first and _SHORT_HEADING_MIN <= len(s) <= _SHORT_HEADING_MAX
            and s[-1] not in _HEADING_END_FORBIDDEN and not _CAPTION.search(s) and not s[-1].isdigit()):
        return 1, s, True
    return None


def _heading_region(s: str, offset: int, line_mentions: list[Mention], gaz: Gazetteer) -> Region | None:
    """The region a roundup heading names: "汉中市:开展…", "【汉中】", "一、汉中市"."""
    skip = _HEAD_PREFIX.match(s).end()
    for m in line_mentions:
        if m.start - offset == skip and _REGION_HEAD_END.match(s, m.end - offset):
            return gaz.unit_of(m.regions[0])
    return None


# ---------------------------------------------------------------- own region

def _region_scores(text: str, title_end: int, opening_end: int, mentions: list[Mention], gaz: Gazetteer) -> Counter:
    """Weighted mentions per region unit (title, opening, organs count more; passing ones not at all)."""
    rules = load_rules()["matching"]
    scores: Counter[Region] = Counter()
    deferred = []
    for m in mentions:
        before, after = text[max(0, m.start - 2):m.start], text[m.end:m.end + 4]
        if any(before.endswith(w) for w in rules["passing_before"]) or after.startswith(tuple(rules["passing_after"])):
            continue
        weight = 4 if m.start < title_end else 2 if m.start < opening_end else 1
        if after.startswith(tuple(rules["own_after"])) or text[m.end - 1:m.end + 4].startswith(tuple(rules["own_after"])):
            weight += 2
        units = {gaz.unit_of(r) for r in m.regions}
        if len(units) > 1:  # a county name shared by several cities: settle after the clear mentions
            deferred.append((units, weight))
            continue
        unit = units.pop()
        # City reports name their province often ("全省", "省委"); a province report is the rarer case.
        scores[unit] += weight / 3 if unit.level == "province" else weight
    for units, weight in deferred:
        best = max(units, key=lambda u: scores[u])
        if scores[best] > 0:
            scores[best] += weight
    return scores


def _top(scores: Counter, mentions: list[Mention], gaz: Gazetteer) -> Region | None:
    """The best-scoring region; ties go to the region named first."""
    first: dict[Region, int] = {}
    for i, m in enumerate(mentions):
        first.setdefault(gaz.unit_of(m.regions[0]), i)
    return max(scores, key=lambda u: (scores[u], -first.get(u, len(mentions))), default=None)


def _functional_area(text: str, opening: str, parent: Region | None, parent_score: float) -> Region | None:
    """A new district or development zone that the opening names and the text keeps referring to."""
    rules = load_rules()
    stop, not_names = rules["functional"]["stop_chars"], rules["document"]["not_area_names"]
    best, best_score = None, parent_score
    for suffix in rules["functional"]["suffixes"]:
        for m in re.finditer(re.escape(suffix), opening):
            core = ""
            for ch in reversed(opening[max(0, m.start() - 4):m.start()]):
                if not "\u4e00" <= ch <= "\u9fff" or ch in stop:
                    break
                core = ch + core
            if len(core) < 2 or core in not_names or core[-2:] in not_names:
                continue
            # Named in the opening, then referred to by name or by the bare suffix (新区党工委).
            score = 3 + text.count(core + suffix) + (text.count(suffix) - text.count(core + suffix))
            if score > best_score:
                best, best_score = make_functional_region(core, suffix, parent), score
    return best


# ---------------------------------------------------------------- segmentation

def segment_document(doc: Document) -> Segmentation:
    """Split a document into paragraphs with section headings, regions and years."""
    text, gaz = doc.text, load_gazetteer()
    spans = []
    for m in _LINE.finditer(text):
        s = m.group().strip()
        if s:
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            spans.append((start, start + len(s), s))
    first = spans[0][2] if spans else ""
    title = first if first and len(first) <= _TITLE_MAX and first[-1] not in "。！？!?；;" else ""
    title = _MARKDOWN.sub("", title, count=1)
    mentions = gaz.find_mentions(text)
    starts = [m.start for m in mentions]

    # Headings and roundup regions, one pass over the lines.
    heads, head_regions = [], []
    for i, (start, end, s) in enumerate(spans):
        h = None if (i == 0 and title) else _heading(s, i == 0)
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)
        region = _heading_region(s, start, mentions[lo:hi], gaz) if (h or len(s) <= _TITLE_MAX) else None
        heads.append(h)
        head_regions.append(region)
    roundup_regions = list(dict.fromkeys(r for r in head_regions if r))
    roundup = len(roundup_regions) >= 2

    opening_end = spans[min(2, len(spans) - 1)][1] if spans else 0
    if roundup:
        regions = tuple(roundup_regions)
    else:
        scores = _region_scores(text, spans[0][1] if title else 0, opening_end, mentions, gaz)
        own = _top(scores, mentions, gaz)
        cities = Counter({u: v for u, v in scores.items() if u.level != "province"})
        parent = _top(cities, mentions, gaz)
        area = _functional_area(text, text[:min(opening_end, 600)], parent, cities[parent] if parent else 0)
        own = area or own
        regions = (own,) if own else ()

    lines = [s for _, _, s in spans[1 if title else 0:]]
    year = _document_year(lines, text, title)

    passages, stack = [], []
    region = None if roundup else (regions[0] if regions else None)
    for i, ((start, end, s), h, hr) in enumerate(zip(spans, heads, head_regions)):
        if roundup and hr:
            region, stack = hr, [(0, s)]
        elif h:
            stack = [x for x in stack if x[0] < h[0]] + [h[:2]]
        path = tuple(x[1] for x in stack)
        p_year = _leading_year(s) or next((y for y in map(_leading_year, reversed(path)) if y), None) or year
        passages.append(Passage(doc.name, region, path[-1] if path else "", s, start, end, p_year, path,
                                bool((roundup and hr) or (h and h[2]))))
    return Segmentation(doc.name, title, regions, year, tuple(passages), roundup)
