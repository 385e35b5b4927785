"""Segment: split a document into passages, each with its section, region and year."""

from __future__ import annotations

import bisect
import functools
import re
from operator import attrgetter
from collections import Counter
from dataclasses import dataclass
from typing import Final

from mypy_extensions import mypyc_attr

from briefgen.documents import Document
from briefgen.extract.dates import DocDate, document_date, report_year
from briefgen.extract.places import own_region, sentence_regions
from briefgen.extract.regions import PlaceMention, Region, load_gazetteer


@mypyc_attr(native_class=False)  # see briefgen/native.py
# Not frozen, for the cost of its __init__: see facts.Fact.
@dataclass(unsafe_hash=True)
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


@mypyc_attr(native_class=False)  # see briefgen/native.py
@dataclass(frozen=True)
class Segmentation:
    """A document's title, own regions, year and passages."""

    doc: str
    title: str
    regions: tuple[Region, ...]
    year: int | None
    passages: tuple[Passage, ...]
    roundup: bool = False  # several regions, each under its own heading
    # Sentences about another region than their passage's (a city in a provincial bulletin, a helper
    # in a report on the place it helps): (start, end, region), in text order.
    sentence_regions: tuple[tuple[int, int, Region], ...] = ()
    date: str | None = None  # the document's own date (ISO, as precise as the text gives it)


_CJK_NUM: Final = "一二三四五六七八九十"
# Heading markers by level: region headings are level 0, then 一、 (一) 1. (1); with the first
# characters each can start with ("" for a digit), so a line is matched only against its own.
_NUMBERED: Final = [
    (1, _CJK_NUM, re.compile(rf"[{_CJK_NUM}]+[、.．]")),
    (2, "(（", re.compile(rf"[(（][{_CJK_NUM}]+[)）]")),
    (3, "", re.compile(r"\d{1,2}[.、．](?!\d)")),
    (4, "(（", re.compile(r"[(（]\d{1,2}[)）]")),
]
_BRACKET: Final = re.compile(r"【([^】\n]{1,30})】")
_MARKDOWN: Final = re.compile(r"(#{1,6})\s+")
_SENTENCE_END: Final = re.compile(r"[。！？!?；;]")
_CLAUSE_END: Final = re.compile(r"[。！？!?；;,，:：]")
_TITLE_MAX: Final = 60
_SHORT_HEADING_MAX: Final = 30
_SHORT_HEADING_MIN: Final = 6
_HEADING_END_FORBIDDEN: Final = "。！？!?；;…,，、:：”\"）)"
_CAPTION: Final = re.compile(r"图为|图片为|[(（]图[)）]")
_HEAD_PREFIX: Final = re.compile(rf"[#*\s]*【?\s*(?:[{_CJK_NUM}]+[、.．]|[(（][{_CJK_NUM}\d]{{1,3}}[)）]|\d{{1,2}}[.、．](?!\d))?\s*【?")
_REGION_HEAD_END: Final = re.compile(r"\s*(?:[:：丨|｜】]|$)")
# The first characters a heading marker can start with (besides digits): other lines skip the patterns.
_MARKER_FIRST: Final = frozenset("【#(（" + _CJK_NUM)

# A year: 1950–2049 followed by 年; a bare year in a dateline ("2020汉江…会议") is read only in openings.
# The not-after-a-digit check follows the first digit so that the pattern starts with a literal,
# which lets the regex engine skip to the next 1 or 2 instead of trying every position.
_YEAR: Final = re.compile(r"((?:1(?<![\d.]1)9[5-9]|2(?<![\d.]2)0[0-4])\d)年")
_BARE_YEAR: Final = re.compile(r"((?:1(?<![\d.]1)9[5-9]|2(?<![\d.]2)0[0-4])\d)(?=[\u4e00-\u9fff])(?![年多余万亿个名人次元件项场期平米])")
_RELATIVE: Final = re.compile(r"(?<![比较同与于由从])(今年|去年|上年|前年|明年)")
_RELATIVE_OFFSET: Final = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
# Markers of a text looking back over years (30年来, 2022年以来, 近年来).
_RETROSPECTIVE: Final = re.compile(r"以来|年来|近年")


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


def _leading_year(text: str) -> int | None:
    """The year a paragraph opens with (2023年,… / 一、2023年工作总结), if any."""
    # Most lines name no year, or only after their first clause: look for 年 before any regex.
    first = text.find("年")
    if first == -1 or _CLAUSE_END.search(text, 0, first):
        return None
    clause = text[: m.start()] if (m := _CLAUSE_END.search(text, first)) else text
    for m in _YEAR.finditer(clause):
        if _year_kind(clause, m.start(), m.end()) == "plain":
            return int(m.group(1))
    return None


def _document_year(lines: list[str], leads: list[int | None], text: str, title: str) -> int | None:
    # 1. The title or opening dates the document (dateline, "2023年,XX区…").
    opening = "\n".join(([title] if title else []) + lines[:2])[:600]
    for m in sorted([*_YEAR.finditer(opening), *_BARE_YEAR.finditer(opening)], key=lambda m: m.start()):
        if _year_kind(opening, m.start(), m.end()) == "plain":
            return int(m.group(1))
    # 2. Yearbook style: paragraphs that open with their year.
    # Quoted speech and photo captions are not the report's own voice.
    leading = Counter(y for line, y in zip(lines, leads) if y and line[0] not in "“\"「" and not _CAPTION.search(line))
    if leading and leading.most_common(1)[0][1] >= 2:
        return leading.most_common(1)[0][0]
    # 3. From the years it names: "X年以来" is said after X; a text that says 今年 reports on the
    # latest year it names; a retrospective that never says 今年 looks back from the year after.
    plain, since = [], []
    for m in _YEAR.finditer(text):
        kind = _year_kind(text, m.start(), m.end())
        if kind == "plain" or kind == "from":
            plain.append(int(m.group(1)))
        elif kind == "since":
            since.append(int(m.group(1)) + 1)
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


def passage_index(passages) -> tuple[list[int], list[Passage]]:
    """Passages sorted by start, with their starts, for passage_in."""
    ordered = sorted(passages, key=attrgetter("start"))  # a C key function, not a lambda called per passage
    return [p.start for p in ordered], ordered


def passage_in(index: tuple[list[int], list[Passage]], pos: int) -> Passage | None:
    """The passage of a passage_index whose span holds pos, or None when pos is outside every passage."""
    i = bisect.bisect_right(index[0], pos) - 1
    if i >= 0 and pos < index[1][i].end:
        return index[1][i]
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
    first = s[0]
    digit = first.isdecimal()  # \d is any Unicode decimal digit
    if first not in _MARKER_FIRST and not digit:
        return _short_heading(s, is_first)
    if first == "【" and (m := _BRACKET.match(s)):
        return 1, m.group(1).strip(), m.end() == len(s)
    if first == "#" and (m := _MARKDOWN.match(s)):
        return len(m.group(1)), s[m.end():].strip(), True
    for level, firsts, pattern in _NUMBERED:
        if (first in firsts if firsts else digit) and pattern.match(s):
            # An inline heading ends at its first sentence end: "(一)聚焦…持续增强。理论学习…"
            end = _SENTENCE_END.search(s)
            text = (s[: end.start()] if end else s)[:_SHORT_HEADING_MAX * 2]
            return level, text, text == s
    return _short_heading(s, is_first)


def _short_heading(s: str, is_first: bool) -> tuple[int, str, bool] | None:
    if (not is_first and _SHORT_HEADING_MIN <= len(s) <= _SHORT_HEADING_MAX
            and s[-1] not in _HEADING_END_FORBIDDEN and not _CAPTION.search(s) and not s[-1].isdigit()):
        return 1, s, True
    return None


def _heading_region(s: str, offset: int, line_mentions: list[PlaceMention]) -> Region | None:
    """The region a roundup heading names: "汉中市:开展…", "【汉中】", "一、汉中市"."""
    prefix = _HEAD_PREFIX.match(s)
    skip = prefix.end() if prefix else 0
    for m in line_mentions:
        if m.start - offset == skip and _REGION_HEAD_END.match(s, m.end - offset):
            return m.regions[0]
    return None


# ---------------------------------------------------------------- segmentation

def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stripped text) of each non-blank line."""
    spans, pos = [], 0
    for line in text.split("\n"):
        s = line.strip()
        if s:
            # s begins with the line's first non-space character; most lines have none to strip.
            start = pos if s is line else pos + line.find(s)
            spans.append((start, start + len(s), s))
        pos += len(line) + 1
    return spans


def segment_document(doc: Document) -> Segmentation:
    """Split a document into paragraphs with section headings, regions and years."""
    text = doc.text
    spans = _lines(text)
    first = spans[0][2] if spans else ""
    title = first if first and len(first) <= _TITLE_MAX and first[-1] not in "。！？!?；;" else ""
    title = _MARKDOWN.sub("", title, count=1)
    mentions = load_gazetteer().find_mentions(text)
    starts = [m.start for m in mentions]

    # Headings and roundup regions, one pass over the lines.
    heads, head_regions = [], []
    lo, count = 0, len(starts)
    for i, (start, end, s) in enumerate(spans):
        h = None if (i == 0 and title) else _heading(s, i == 0)
        region = None
        if h or len(s) <= _TITLE_MAX:
            # The line's mentions, from the first at or after its start (bisect_left): lines come in
            # order, so the index only moves on (compiled, a bisect is a generic call).
            while lo < count and starts[lo] < start:
                lo += 1
            if lo < count and starts[lo] < end:  # only a line that names a place can name a region
                hi = lo + 1
                while hi < count and starts[hi] < end:
                    hi += 1
                region = _heading_region(s, start, mentions[lo:hi])
        heads.append(h)
        head_regions.append(region)
    roundup_regions = list(dict.fromkeys(r for r in head_regions if r))
    roundup = len(roundup_regions) >= 2

    opening_end = spans[min(2, len(spans) - 1)][1] if spans else 0
    if roundup:
        regions = tuple(roundup_regions)
    else:
        own = own_region(text, spans[0][1] if title else 0, opening_end, mentions)
        regions = (own,) if own else ()

    # Each line's leading year, once: the document year counts them and each passage falls back on them.
    leads = [_leading_year(s) for _, _, s in spans]
    skip = 1 if title else 0
    # The date the document gives itself (发布日期, a dateline, a signature) anchors its report year;
    # without one, the years its paragraphs open with and name.
    dated = document_date(text, title)
    year = report_year(text, title, dated) if dated else None
    if year is None:
        year = _document_year([s for _, _, s in spans[skip:]], leads[skip:], text, title)

    passages: list[Passage] = []
    stack: list[tuple[int, str, int | None]] = []
    path: tuple[str, ...] = ()
    path_year = None
    region = None if roundup else (regions[0] if regions else None)
    doc_name = doc.name
    for (start, end, s), h, hr, lead in zip(spans, heads, head_regions, leads):
        if roundup and hr:
            region, stack = hr, [(0, s, lead)]
        elif h:
            stack = [x for x in stack if x[0] < h[0]] + [(h[0], h[1], lead if h[1] == s else _leading_year(h[1]))]
        if (roundup and hr) or h:
            path = tuple(x[1] for x in stack)
            path_year = next((x[2] for x in reversed(stack) if x[2]), None)
        p = Passage(doc_name, region, path[-1] if path else "", s, start, end, lead or path_year or year, path,
                    bool((roundup and hr) or (h and h[2])))
        passages.append(p)
    subjects = () if roundup or not regions else tuple(sentence_regions(text, regions[0], mentions))
    # The regions a document is about: its own, then those its sentences are about, in order.
    regions = tuple(dict.fromkeys([*regions, *(r for _, _, r in subjects)]))
    return Segmentation(doc.name, title, regions, year, tuple(passages), roundup, subjects, _iso(dated))


def _iso(d: DocDate | None) -> str | None:
    if d is None:
        return None
    return f"{d.year:04d}" + (f"-{d.month:02d}" if d.month else "") + (f"-{d.day:02d}" if d.month and d.day else "")
