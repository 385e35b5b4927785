"""Dates: when a Chinese government document was issued, which year its facts describe, and
whether a sentence's number is a point, period or multi-year figure (DESIGN.md `year`, `basis`)."""

from __future__ import annotations

import re
from typing import Final, NamedTuple


class DocDate(NamedTuple):
    """A date found in a document; month and day are None when the text does not give them."""

    year: int
    month: int | None
    day: int | None
    source: str  # 'label', 'top', 'bottom', 'dateline', 'bracket' (document_date) or 'text' (find_dates)
    start: int  # span of the date in the text
    end: int


MIN_YEAR: Final = 1949
MAX_YEAR: Final = 2049
TOP_LINES: Final = 5  # a date line standing alone counts only here or in the last BOTTOM_LINES
BOTTOM_LINES: Final = 3
LABEL_LINES: Final = 8  # publication labels are looked for in this many lines at each end
LABEL_LINE_MAX: Final = 100  # a longer line is running text, whatever words it has
TITLE_MAX: Final = 60  # report_year takes a first line this short with no sentence end for the title

# Full-width digits and separators, mapped one to one so that spans in the mapped text stay valid.
_HALF_WIDTH: Final = str.maketrans("０１２３４５６７８９－／．：", "0123456789-/.:")
_FULL_WIDTH: Final = re.compile("[０-９－／．：]")  # what _HALF_WIDTH changes
_CN_ZEROS: Final = "〇○零OＯ"  # all seen for zero in years (二〇二一, 二○二二, 二零二一, 二O二一)
_CN_ONES: Final = "一二三四五六七八九"

# ---------------------------------------------------------------- word lists

PUBLICATION_LABELS: Final = (
    "发布日期", "发布时间", "发文日期", "成文日期", "印发日期", "公开日期", "发表日期", "发表时间",
    "更新日期", "更新时间", "日期", "时间", "信息来源", "来源", "稿源",
)
REVIEW_WORDS: Final = ("过去一年", "过去的一年", "一年来", "全年", "去年", "上一年")
# time_basis rules, tried in this order; the first that matches decides.
PERIOD_SINCE: Final = ("今年以来", "年初以来", "开年以来", "本年度以来", "上半年以来", "一季度以来",
                       "入春以来", "入夏以来", "入秋以来", "入冬以来")
MULTI_YEAR_WORDS: Final = ("累计", "先后", "历年", "历届", "多年来", "十八大以来", "十九大以来",
                           "二十大以来", "成立以来", "改革开放以来", "新时代以来", "换届以来", "脱贫攻坚以来")
POINT_WORDS: Final = ("截至", "截止", "目前", "现有", "共有", "总数", "年底", "年末", "月底", "月末",
                      "季末", "季度末")
PERIOD_WORDS: Final = ("全年", "当年", "年内", "今年", "本年", "年度", "上半年", "下半年", "季度", "新增",
                       "新建", "新引进", "新发展", "新招录", "新录用")
STOCK_WORDS: Final = ("达到", "总量", "拥有", "保有", "规模")


def _words(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in words)


# ---------------------------------------------------------------- patterns

_YEAR: Final = r"(?:19|20)\d\d"  # range-checked in code: MIN_YEAR..MAX_YEAR
_DATE: Final = re.compile(
    rf"""
    (?<![\d.])                                  # not the tail of a longer number or a decimal
    (?P<y>{_YEAR})
    (?: \s*年                                   # 2023年 …
        (?: \s*(?P<m>1[0-2]|0?[1-9])(?!\d)\s*月  # … 12月 (stray spaces allowed)
            (?: \s*(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)\s*[日号] )?  # … 31 日
        )?
      | (?P<sep>[-/])(?P<im>1[0-2]|0?[1-9])(?!\d)            # ISO-ish 2024-07, 2024/7 …
        (?: (?P=sep)(?P<id>3[01]|[12]\d|0?[1-9])(?!\d) )?   # … -02, same separator
      | \.(?P<dm>1[0-2]|0[1-9]|[1-9](?=\.))(?!\d)           # 2024.07, 2024.7.2 (2023.5 is a decimal)
        (?: \.(?P<dd>3[01]|[12]\d|0?[1-9])(?!\d) )?
      | (?P<cm>0[1-9]|1[0-2])(?P<cd>0[1-9]|[12]\d|3[01])(?!\d)\s*日?  # compact: 20211231日, 20240702
    )
    """,
    re.VERBOSE,
)
_CN_D: Final = f"[{_CN_ZEROS}{_CN_ONES}]"
_CN_DATE: Final = re.compile(
    rf"""
    (?P<y>{_CN_D}{{4}})\s*年                                   # 二〇二一年
    (?: \s*(?P<m>十[一二]?|[{_CN_ONES}])\s*月                   # 七月, 十二月
        (?: \s*(?P<d>[二三]?十[{_CN_ONES}]?|[{_CN_ONES}])\s*日 )? # 五日, 二十三日
    )?
    """,
    re.VERBOSE,
)
_LABEL: Final = re.compile(
    rf"""
    (?<![^\s|丨【\[(（])(?:{_words(PUBLICATION_LABELS)})\s*:  # a label opening the line or a field (not 会议时间:)
  | 发布于                                          # "发布于 2024-07-02"
    """,
    re.VERBOSE,
)
_FILLER: Final = re.compile(
    r"""
    \d{1,2}:\d{2}(?::\d{2})?       # a clock time: 10:32, 10:32:05
  | (?:星期|周)[一二三四五六日天]    # a weekday
  | [上下]午
  | [\s\-—|丨·,，、:]               # separators
    """,
    re.VERBOSE,
)
_DATELINE: Final = re.compile(
    rf"""
    [^\d\s，。,()（）]{{2,16}}?                                 # agency and place: 新华社北京
    (?P<date> (?:(?P<y>{_YEAR})年)?                             # a year, seldom given
              (?P<m>1[0-2]|0?[1-9])月(?P<d>3[01]|[12]\d|0?[1-9])日 )
    [电讯](?=[\s(（【]|$)                                       # 电/讯 marks wire copy (not 日电视台)
    """,
    re.VERBOSE,
)
_ISSUE: Final = re.compile(rf"(?<!\d)(?P<y>{_YEAR})\s*年?\s*第\s*\d{{1,3}}\s*期")  # 2024年第6期
_CLOSE: Final = re.compile(r"[^（()）【】\[\]]{0,60}[）)】\]]")  # the rest of a bracket a date opens
# A bracket opened by a date, in a title: the issue date of a speech, not the year it reports on.
_TITLE_BRACKET: Final = re.compile(rf"[（(]\s*(?:{_YEAR}|{_CN_D}{{4}})\s*[年\-/.][^）)]{{0,60}}[）)]")
_YEAR_NAMED: Final = re.compile(
    rf"""
    (?<![\d.])(?P<a>{_YEAR}|{_CN_D}{{4}})               # a year, Arabic or Chinese numerals
    (?: \s*年?\s*[—–\-~～至到]\s*(?P<b>{_YEAR}) )?       # … the end of a range: 2019—2023年
    \s*年(?!以来|来)                                    # not a since-year (2012年以来)
    """,
    re.VERBOSE,
)
_LEADING_YEAR: Final = re.compile(
    rf"""
    (?: [一二三四五六七八九十]+[、.] | [（(][一二三四五六七八九十\d]{{1,2}}[)）] | \d{{1,2}}[.、](?!\d)
      | 【[^】]{{0,12}}】 )?                               # a heading marker: 一、 （二） 3. 【…】
    \s*(?P<y>{_YEAR})\s*年
    (?!\s*(?:以来|来|[—–\-~～至到]))                     # not a since-year nor a range's start
    """,
    re.VERBOSE,
)
_CUTOFF: Final = re.compile(r"(?:截至|截止)(?:到|于|至)?\s*")  # 截至2021年6月底
_ANY_YEAR: Final = re.compile(rf"(?<![\d.])(?P<y>{_YEAR})\s*年")
_WITHIN_YEAR: Final = re.compile(  # a span inside the current year: 今年以来, 3月以来
    rf"{_words(PERIOD_SINCE)}|(?<![\d年])(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})月份?以来")
# time_basis's ordered (basis, pattern) rules, after its 'X年以来' rule and before its year rule.
_BASIS_RULES: Final = (
    ("multi_year", re.compile(
        rf"""
        {_words(MULTI_YEAR_WORDS)}
      | (?<!\d)(?:[2-9]|[1-9]\d)年(?:以)?来          # 30年来 (1年来 is one year)
      | (?<![两二三四五六七八九十])[两二三四五六七八九十]++年(?:以)?来  # 三年来, 十年来 (tried at a
                                                   # run's first numeral: a long run is read once)
      | 近年来 | 近(?:几|[两二三四五六七八九十]|\d{{1,2}})年  # 近年来, 近三年, 近5年 (not 接近年底)
      | 至今(?!年)                                     # 至今 (not 至今年6月)
      | 建[市区县州镇省]以来
      | [“"]?十[一二三四五]五[”"]?(?:以来|期间)        # “十三五”以来
      | (?<![\d.]){_YEAR}\s*年?\s*[—–\-~～至到]\s*(?:{_YEAR}|\d\d)\s*年  # 2019—2023年
        """,
        re.VERBOSE,
    )),
    ("point", re.compile(_words(POINT_WORDS))),
    ("period", re.compile(_words(PERIOD_WORDS))),
)


# ---------------------------------------------------------------- numerals and dates

def _cn_digit(ch: str) -> int:
    """0–9 for a Chinese digit, else -1."""
    if ch in _CN_ZEROS:
        return 0
    i = _CN_ONES.find(ch)
    return i + 1 if i >= 0 else -1


def _cn_small(s: str) -> int:
    """A Chinese numeral below 100: 七, 十二, 二十三, 三十."""
    if "十" not in s:
        return _cn_digit(s)
    tens, _, ones = s.partition("十")
    return (_cn_digit(tens) if tens else 1) * 10 + (_cn_digit(ones) if ones else 0)


def cn_numeral_year(s: str) -> int | None:
    """The year written digit by digit in Chinese numerals (二〇二一, 二零二一年), if valid."""
    s = s.strip().removesuffix("年").strip()
    if len(s) != 4:
        return None
    year = 0
    for ch in s:
        digit = _cn_digit(ch)
        if digit < 0:
            return None
        year = year * 10 + digit
    return year if MIN_YEAR <= year <= MAX_YEAR else None


def _dates_in(norm: str, start: int, end: int) -> list[DocDate]:
    """Every valid date in norm[start:end] (norm already half-width), in text order."""
    found: list[DocDate] = []
    for m in _DATE.finditer(norm, start, end):
        year = int(m.group("y"))
        month = m.group("m") or m.group("im") or m.group("dm") or m.group("cm")
        day = m.group("d") or m.group("id") or m.group("dd") or m.group("cd")
        if MIN_YEAR <= year <= MAX_YEAR:
            found.append(DocDate(year, int(month) if month else None, int(day) if day else None,
                                 "text", m.start(), m.end()))
    for m in _CN_DATE.finditer(norm, start, end):
        cn_year = cn_numeral_year(m.group("y"))
        if cn_year is not None:
            month, day = m.group("m"), m.group("d")
            found.append(DocDate(cn_year, _cn_small(month) if month else None,
                                 _cn_small(day) if day else None, "text", m.start(), m.end()))
    found.sort(key=lambda d: d.start)
    return found


def find_dates(text: str) -> list[DocDate]:
    """Every date in a text, whatever its place (source 'text'): the parser behind document_date."""
    return _dates_in(text.translate(_HALF_WIDTH), 0, len(text))


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, stripped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.find(stripped)
            spans.append((start, start + len(stripped)))
        pos += len(line) + 1
    return spans


def _normalized(text: str, windows: list[tuple[int, int]]) -> str:
    """The text with full-width digits and punctuation made half-width inside `windows` only (one
    character for one, so offsets hold): translating a whole document cost more than reading its dates."""
    parts, at = [], 0
    for start, end in sorted(windows):
        start = max(start, at)
        # Most lines have no full-width character the table changes: a C search skips them.
        if start < end and _FULL_WIDTH.search(text, start, end):
            parts += [text[at:start], text[start:end].translate(_HALF_WIDTH)]
            at = end
    parts.append(text[at:])
    return "".join(parts)


def _edge_lines(text: str, n: int) -> list[tuple[int, int]]:
    """The first n and the last n non-blank lines (as _lines gives them), without reading the middle."""
    head: list[tuple[int, int]] = []
    pos = 0
    while len(head) < n and pos <= len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        head += _lines_in(text, pos, end)
        pos = end + 1
    tail: list[tuple[int, int]] = []
    stop = len(text)
    while len(tail) < n and stop > pos:
        start = text.rfind("\n", pos, stop) + 1 or pos
        start = max(start, pos)
        tail = _lines_in(text, start, stop) + tail
        stop = start - 1
    return head + tail[-n:]


def _lines_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    line = text[start:end]
    stripped = line.strip()
    return [(start + line.find(stripped), start + line.find(stripped) + len(stripped))] if stripped else []


def _as(d: DocDate, source: str) -> DocDate:
    return DocDate(d.year, d.month, d.day, source, d.start, d.end)


def _label_date(norm: str, start: int, end: int) -> DocDate | None:
    """The first date of a short labelled line (发布时间：…, 来源：… 2024年7月2日)."""
    if end - start > LABEL_LINE_MAX or "。" in norm[start:end] or not _LABEL.search(norm, start, end):
        return None
    found = _dates_in(norm, start, end)
    return _as(found[0], "label") if found else None


def _alone_date(norm: str, start: int, end: int) -> DocDate | None:
    """The date of a line that holds nothing else but a clock time, a weekday or separators."""
    found = _dates_in(norm, start, end)
    if len(found) != 1:
        return None
    d = found[0]
    return d if not _FILLER.sub("", norm[start:d.start] + norm[d.end:end]) else None


def document_date(text: str, title: str = "") -> DocDate | None:
    """The date the document was issued: a labelled line, a date line at the top or bottom, a
    wire dateline with a year near it, or a bracketed date after the title; never running text."""
    edge = max(TOP_LINES, LABEL_LINES, BOTTOM_LINES)
    lines = _edge_lines(text, edge)  # a document's own date is in its first or last lines only
    n = len(lines)
    top, bottom = lines[:TOP_LINES], lines[max(TOP_LINES, n - BOTTOM_LINES):]
    norm = _normalized(text, lines)
    for start, end in lines[:LABEL_LINES] + lines[max(LABEL_LINES, n - LABEL_LINES):]:
        if (d := _label_date(norm, start, end)) is not None:
            return d
    for where, zone in (("top", top), ("bottom", bottom)):
        for start, end in zone:
            if (d := _alone_date(norm, start, end)) is not None:
                return _as(d, where)
    for start, end in top:
        if m := _DATELINE.match(norm, start, end):
            # A wire dateline (新华社北京3月12日电) rarely names its year: take an issue line's (2024年第6期).
            issues = [hit.group("y") for s, e in top if (hit := _ISSUE.search(norm, s, e))]
            year_text = m.group("y") or (issues[0] if issues else "")
            if year_text and MIN_YEAR <= int(year_text) <= MAX_YEAR:
                return DocDate(int(year_text), int(m.group("m")), int(m.group("d")), "dateline",
                               m.start("date"), m.end("date"))
    # The title is the line holding the given title, else the first; a bracket may follow on the next two.
    first = 0
    for i, (start, end) in enumerate(top):
        if title.strip() and title.strip() in norm[start:end]:
            first = i
            break
    for start, end in top[first:first + 3]:
        for d in _dates_in(norm, start, end):
            if norm[start:d.start].rstrip().endswith(("（", "(", "【", "[")) and _CLOSE.match(norm, d.end, end):
                return _as(d, "bracket")
    return None


# ---------------------------------------------------------------- report year

def _title_year(title: str) -> int | None:
    """The first year a title names (a range's end), leaving out a bracketed issue date."""
    for m in _YEAR_NAMED.finditer(_TITLE_BRACKET.sub("", title.translate(_HALF_WIDTH))):
        a = m.group("a")
        year = int(m.group("b")) if m.group("b") else int(a) if a.isdigit() else cn_numeral_year(a)
        if year is not None and MIN_YEAR <= year <= MAX_YEAR:
            return year
    return None


_LINE_HEAD: Final = 24  # how far into a paragraph its leading year is looked for


def report_year(text: str, title: str = "", doc_date: DocDate | None = None) -> int | None:
    """The year the document's facts describe.

    In order: a year in the title (the first line when no title is given); a 截至/截止 date in the
    first three body lines; the most frequent plain year opening a paragraph (ties: the first seen);
    the publication year, less one when published in January–March about a year under review.
    """
    lines = _lines(text)
    # Dates are read in the first lines and at the start of each paragraph (its leading year).
    norm = _normalized(text, lines[:4] + [(s, min(e, s + _LINE_HEAD)) for s, e in lines])
    if title:
        head, body = title, [(s, e) for s, e in lines if norm[s:e] != title.strip()]
    elif lines and (first := norm[lines[0][0]:lines[0][1]]) and len(first) <= TITLE_MAX \
            and not any(ch in first for ch in "。；;！!？?"):  # a short first line with no sentence end
        head, body = first, lines[1:]
    else:
        head, body = "", lines
    if (year := _title_year(head)) is not None:
        return year
    # Date and label lines are the document's own dates, not what its paragraphs report on.
    body = [(s, e) for s, e in body if _label_date(norm, s, e) is None and _alone_date(norm, s, e) is None]
    for start, end in body[:3]:
        for cut in _CUTOFF.finditer(norm, start, end):
            found = _dates_in(norm, cut.end(), end)
            if found and found[0].start == cut.end():
                return found[0].year
    counts: dict[int, int] = {}
    for start, end in body:
        if (m := _LEADING_YEAR.match(norm, start, end)) and MIN_YEAR <= int(m.group("y")) <= MAX_YEAR:
            counts[int(m.group("y"))] = counts.get(int(m.group("y")), 0) + 1
    if counts:
        return max(counts, key=lambda y: counts[y])  # dicts keep first-seen order: ties go to it
    doc_date = doc_date or document_date(text, title)
    if doc_date is None:
        return None
    if doc_date.month is not None and doc_date.month <= 3 and any(w in text for w in REVIEW_WORDS):
        return doc_date.year - 1
    return doc_date.year


# ---------------------------------------------------------------- basis

def time_basis(sentence: str, ref_year: int | None = None) -> str:
    """'point', 'period' or 'multi_year': what time a sentence's number refers to.

    Rules, first match wins (pass the number's clause when a sentence mixes them):
    1. within-year since-words (今年以来, 3月以来) -> period;
    2. 'X年以来' -> multi_year unless X is not before the reference year (ref_year, else the
       latest other year named; with neither it counts as multi_year);
    3. MULTI_YEAR_WORDS, 三年来, 近年来, “十三五”以来, 2019—2023年 -> multi_year;
    4. POINT_WORDS (截至, 目前, 年底…) -> point; 5. PERIOD_WORDS (全年, 新增…) -> period;
    6. any year named -> period; 7. STOCK_WORDS (达到, 总量…) -> point; 8. else period.
    """
    s = sentence.translate(_HALF_WIDTH) if _FULL_WIDTH.search(sentence) else sentence
    if _WITHIN_YEAR.search(s):
        return "period"
    years = [(int(m.group("y")), s.startswith(("以来", "来"), m.end())) for m in _ANY_YEAR.finditer(s)]
    for since, is_since in years:
        others = [y for y, y_since in years if not y_since]
        ref = ref_year if ref_year is not None else max(others, default=None)
        if is_since and (ref is None or since < ref):
            return "multi_year"
    for basis, pattern in _BASIS_RULES:
        if pattern.search(s):
            return basis
    if any(MIN_YEAR <= y <= MAX_YEAR for y, _ in years):
        return "period"
    if any(w in s for w in STOCK_WORDS):
        return "point"
    return "period"
