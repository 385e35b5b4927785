"""Quantities: every number a text states with its unit and qualifier, found in one pass (Arabic or
Chinese numerals, 万/亿, shares), and the from→to starts and growth rates that modify them."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Final

from briefgen.extract.chinese_numbers import CHINESE_NUMERAL_CHARS, DECIMAL_POINT, NUMERAL_PATTERN, parse_quantity
from briefgen.extract.scan import SENTENCE_END, Offsets, TextScan, char_class, occurrences
from briefgen.extract.words import ByLength, alternation, by_length, ends_with_any

# Constants are Final: compiled, each use is then a C static, not a look-up in the module's globals.
_DIGIT = "0-9０-９"
_DIGITS: Final = "0123456789０１２３４５６７８９"
_NUMERALS: Final = "一二两三四五六七八九十百"  # those a Chinese number starts with (百 in 百分之)
# Digits with decimals, thousands commas or spaces (3,000 / 3 000) and hard-wrap line breaks.
# A number never starts right after a digit (it would have been matched from that digit on):
# _numbers only tries a run's first digit, and the pattern says so too, after the first digit
# so that it still starts with a character class. The repetitions are possessive: giving digits
# back never helps, as a shorter number is followed by a digit or separator and no unit starts
# with one (checked in _rules). Digits run in a loop of their own, without the separators'
# alternation: a one-character loop costs the regex engine far less per digit.
_ARABIC = (rf"[{_DIGIT}](?<![{_DIGIT}]{{2}})[{_DIGIT}]*+(?:(?:[.．](?=[{_DIGIT}])"
           rf"|[,，](?=[{_DIGIT}]{{3}}(?![{_DIGIT}]))|[ \u00a0](?=[{_DIGIT}]{{3}}(?![{_DIGIT}]))"
           rf"|[ \t]*\n[ \t]*(?=[{_DIGIT}]))[{_DIGIT}]*+)*+")
_SPACE = " \t\u00a0\u3000"
# Optional parts are written (?:x|) rather than (?:x)?, which is the same match: the engine
# runs a ? on anything wider than a character as a general repeat, with a context allocated
# per attempt. (An optional group then matches "" where (?:x)? left it None.)
_WRAP = f"[{_SPACE}]*(?:\n[{_SPACE}]*|)"
_ENDS_SPACED = frozenset(_SPACE + "\n")
_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789０１２３４５６７８９.．")
_LIST_MARK: Final = re.compile(r"[,，。;；、]")
_DIGIT_RE: Final = re.compile(r"\d")


class Quantity:
    """A number candidate while its relations (from→to, year-over-year) are worked out."""

    # A plain class, not a dataclass: compiled, its __init__ is then native too (a dataclass's
    # generated one stays interpreted, a third of the cost of a quantity).
    def __init__(self, pre_start: int, num_start: int, end: int, value: float, unit: str, qualifier: str) -> None:
        self.pre_start = pre_start  # includes a qualifier written before the number
        self.num_start = num_start
        self.end = end
        self.value = value
        self.unit = unit
        self.qualifier = qualifier
        self.change: dict | None = None
        self.consumed = False
        self.quote_end = 0
        self.head = -1  # where the subject ends when a change phrase sits between it and the number


@dataclass(frozen=True)
class QuantityRules:
    # Arabic and Chinese numbers are two patterns: each starts with a character class, which
    # lets the regex engine skip to candidate characters instead of trying every position.
    # Their matches cannot overlap (no Arabic match holds a Chinese numeral and vice versa).
    arabic: re.Pattern
    chinese: re.Pattern
    chinese_units: frozenset[str]  # those a single Chinese digit may count with
    not_before: ByLength
    not_before_last: frozenset[str]  # the last characters of not_before words
    not_prev: frozenset[str]  # a Latin letter, digit or formula character right before
    formula: str
    distributive: str  # any one of these characters
    distributive_not: tuple[str, ...]
    gap: int
    cn_not_before: str
    before_q: ByLength
    before_last: frozenset[str]  # the last characters of before_q words
    before_qual: dict[str, str]
    false_q: ByLength
    inner_q: dict[str, str]
    after_q: dict[str, str]
    governing: dict[str, str]
    yoy: re.Pattern
    down: tuple[str, ...]
    to_verb: re.Pattern
    from_markers: str
    # char_flags bits: where a number (a run's first digit or numeral) may start.
    number_digits: int
    number_numerals: int  # any Chinese numeral: a number starts at a run's first, never inside
    numeral_next: int  # a character that may follow a Chinese number's first: a numeral or a unit's first
    # The characters yoy and to_verb can end on (their last word's, spacing, or a newline that
    # $ matches before): a number preceded by none of them needs no search.
    yoy_last: frozenset[str]
    to_verb_last: frozenset[str]


@functools.lru_cache(maxsize=1)
def load_quantity_rules() -> QuantityRules:
    d = tomllib.loads(resources.files("briefgen").joinpath("data/facts_rules.toml").read_text("utf-8"))
    q, c = d["qualifiers"], d["change"]
    not_after = alternation(d["not_after"])
    # What may follow the digits in a match (spacing, a multiplier or qualifier, a unit's first):
    # looked ahead for at once, it fails a quarter of the tries (2023年, 5+2, “3”) before the
    # optional parts are gone through.
    follow = "".join(sorted({*_SPACE, "\n", *"千百万亿", *(w[0] for w in [*q["inner"], *d["units"]] if w)}))
    arabic = re.compile(
        rf"(?P<ar>{_ARABIC})(?=[{re.escape(follow)}])"
        rf"{_WRAP}(?P<m1>千万|百万|万|亿|)(?P<q1>{alternation(q['inner'])}|)(?P<m2>万|亿|){_WRAP}"
        rf"(?!{not_after})(?P<unit>{alternation(d['units'])})(?P<q2>{alternation(q['after'])}|)")
    # A Chinese number is a grammar (chinese_numbers.NUMERAL_PATTERN), not a run of numerals, so
    # a match is short however long the run; _numbers tries only a run's first numeral.
    chinese = re.compile(rf"""
        (?: {re.escape(d['chinese_percent'])} (?P<pct> {NUMERAL_PATTERN} )  # 百分之三十二点四
          | (?P<tenths> [一二两三四五六七八九] ) {re.escape(d['chinese_tenths'])}  # 六成: sixty percent
            (?! {alternation(d['chinese_tenths_not_after'])} )               # …but not 一成不变
          | (?P<cn> {NUMERAL_PATTERN} )     # 九千九百一十八点五, 二百四十一万, 两千, 三
            (?P<cq1> {alternation(q['inner'])} | )  # 一千多万, 两千余个
            (?P<cm> 万|亿 | )               # 九千九百一十八点五万
            (?! {not_after} )               # 三年来, 一季度, 三点 (o'clock): no quantity
            (?P<cunit> {alternation(d['units'])} ) )  # the measure word (a digit's: chinese_units)
        (?P<cq2> {alternation(q['after'])} | )      # 六成以上, 三十人左右
        """, re.VERBOSE)
    # The split into two patterns is exact only while no word after an Arabic number holds a
    # Chinese numeral and no Chinese unit holds a digit (then their matches cannot overlap).
    after_words = [*d["units"], *q["inner"], *q["after"], "千万百万万亿"]
    if any(c in "一二两三四五六七八九十" for w in after_words for c in w) or re.search(
            f"[{_DIGIT}]", "".join(d["chinese_units"])):
        raise ValueError("facts_rules.toml: a unit or qualifier word holds a numeral")
    if any(w[:1] in "0123456789０１２３４５６７８９.．,，" for w in [*d["units"], *q["inner"]] if w):
        raise ValueError("facts_rules.toml: a unit or qualifier word starts like a number")
    if not set(d["chinese_units"]) <= set(d["units"]):
        raise ValueError("facts_rules.toml: a chinese_units word is not in units")
    if not all(d["chinese_units"]) or not all(d["units"]):  # a unit's first must follow a number (follow)
        raise ValueError("facts_rules.toml: an empty unit")
    ws = f"[{_SPACE}]*"
    return QuantityRules(
        arabic=arabic, chinese=chinese, chinese_units=frozenset(d["chinese_units"]),
        not_before=by_length(d["not_before"]),
        not_before_last=frozenset(w[-1] for w in d["not_before"] if w),
        not_prev=_LATIN | frozenset(d["formula_chars"]), formula=d["formula_chars"],
        distributive="".join(sorted(set("".join(d["distributive"])))),
        gap=d["distributive_gap"],
        distributive_not=tuple(d["distributive_not"]),
        cn_not_before=d["chinese_not_before"], before_q=by_length(q["before"]), before_qual=q["before"],
        before_last=frozenset(w[-1] for w in q["before"] if w),
        false_q=by_length(q.get("false_markers", ())), inner_q=q["inner"], after_q=q["after"],
        governing=q["governing"],
        yoy=re.compile(rf"(?:{alternation(c['yoy_bases'])}){ws}(?P<dir>{alternation(c['up'] + c['down'])})了?{ws}$"),
        down=tuple(c["down"]),
        to_verb=re.compile(rf"(?:{alternation(c['to_verbs'])})(?:{alternation(c['to_markers'])}){ws}(?:(?:19|20)\d\d年的?)?$"),
        from_markers="".join(c["from_markers"]),
        number_digits=char_class(_DIGITS), number_numerals=char_class(CHINESE_NUMERAL_CHARS),
        numeral_next=char_class("".join(sorted({*CHINESE_NUMERAL_CHARS, DECIMAL_POINT, d["chinese_percent"][1],
                                                d["chinese_tenths"][0], *(w[0] for w in [*q["inner"], *d["units"]])}))),
        yoy_last=frozenset(w[-1] for w in c["up"] + c["down"] + ["了"] if w) | _ENDS_SPACED,
        to_verb_last=frozenset(w[-1] for w in c["to_markers"] + ["年", "的"] if w) | _ENDS_SPACED,
    )


def _qualifier(scan: TextScan, q1: str, q2: str, unit: str, prev: str, pos: int,
               rules: QuantityRules) -> tuple[str, int]:
    """The qualifier and where the quantity's phrase starts (before a leading 超/近/约).

    q1 is the marker between number and measure word (余, 多), q2 the one after it (以上, 左右).
    """
    text = scan.text
    if prev in rules.before_last and ends_with_any(text, pos, rules.false_q) is None:
        word = ends_with_any(text, pos, rules.before_q)
        if word is not None:
            return rules.before_qual[word], pos - len(word)
    if q1:
        return rules.inner_q[q1], pos
    if q2:
        return rules.after_q[q2], pos
    if unit in ("%", "％") and text.endswith("的", 0, pos):
        # 按不低于上年收入的2%: the threshold word governs the whole "…的N%" phrase.
        lo, _ = scan.clause_bounds(pos)
        window = text[max(lo, pos - 25):pos]
        for word, qual in rules.governing.items():
            i = window.rfind(word)
            if i != -1 and not _DIGIT_RE.search(window[i:]):
                return qual, pos
    return "exact", pos


def find_quantities(scan: TextScan, rules: QuantityRules) -> list[Quantity]:
    """Every number-with-unit match that is a quantity, in text order."""
    text = scan.text
    # Numbers inside quoted names and titles name something (“15分钟党群服务圈”, 《…60问》).
    quoted_starts, quoted_ends = scan.quoted_spans()
    quoted = Offsets(quoted_starts)
    marks = occurrences(text, rules.distributive)  # 各/每
    by_mark = Offsets(marks)
    # Bound once per document: the loop runs for every number.
    size, not_prev, formula, not_before_last = len(text), rules.not_prev, rules.formula, rules.not_before_last
    chinese, gap, found = rules.chinese, rules.gap + 1, []
    matches, starts, ends = _numbers(scan, rules)
    for k in range(len(matches)):  # indexing typed lists, not a m.span() call per number
        m, pos, end = matches[k], starts[k], ends[k]
        prev = text[pos - 1] if pos else ""
        if prev in not_prev or (end < size and text[end] in formula):
            continue
        # Most numbers follow none of the words' last characters: one set look-up settles it.
        if prev in not_before_last and ends_with_any(text, pos, rules.not_before) is not None:
            continue
        i = quoted.left(pos + 1) - 1  # the last quote starting at or before pos
        if i >= 0 and pos < quoted_ends[i]:
            continue
        lo = pos - gap if pos > gap else 0
        i = by_mark.left(pos) - 1
        if i >= 0 and marks[i] >= lo:  # a 各/每 shortly before: is it this number's?
            window = text[lo:pos]
            if (not _LIST_MARK.search(window, marks[i] - lo)
                    and not any(w in window for w in rules.distributive_not)):
                continue
        if m.re is chinese:
            # Chinese numerals are no ordinals (第三, 前十) and no part of a slogan that counts on
            # (三个一批, 十个一).
            if (prev and prev in rules.cn_not_before) or (end < size and text[end] in CHINESE_NUMERAL_CHARS):
                continue
            cn, q1, q2 = m["cn"], m["cq1"] or "", m["cq2"] or ""
            if cn is None:  # a share: 百分之三十二点四, 六成
                value = parse_quantity(m["pct"]) if m["pct"] else parse_quantity(m["tenths"]) * 10
                unit = "%"
            else:
                value, unit = parse_quantity(cn, m["cm"]), m["cunit"]
                # A single digit counts (三个街道, 两轮) unless it is a one-off (一次, 一批), names
                # a kind of thing (三种, 两张) or sums up a list just given (领导机制、排查机制、
                # 联动机制三项机制); larger numbers (十二万人次, 两千余个) are read like Arabic ones.
                if len(cn) == 1 and not m["cm"]:
                    lo, _ = scan.clause_bounds(pos)
                    before = text[lo:pos]
                    if (value < 2 or unit not in rules.chinese_units
                            or "、" in before or before.endswith("等") or before.endswith("的")):
                        continue
        else:
            ar, m1, q1, m2, unit, q2 = m.groups()
            value = parse_quantity(ar, m1 + m2)
        if value == 0:
            continue
        qual, pre_start = _qualifier(scan, q1, q2, unit, prev, pos, rules)
        found.append(Quantity(pre_start, pos, end, value, "%" if unit == "％" else unit, qual))
    return found


def link_changes(scan: TextScan, qs: list[Quantity], rules: QuantityRules) -> None:
    """Attach from→to starts and year-over-year rates to the quantity they modify."""
    text = scan.text
    to_verb_last, yoy_last = rules.to_verb_last, rules.yoy_last
    for i, q in enumerate(qs):
        prev = text[q.pre_start - 1] if q.pre_start else ""
        if prev not in to_verb_last and (prev not in yoy_last or q.unit != "%"):
            continue
        lo = max(0, q.pre_start - 14)
        to = rules.to_verb.search(text, lo, q.pre_start) if prev in to_verb_last else None
        if to:
            s_start, _ = scan.clause_bounds(to.start(), SENTENCE_END)
            f = max(text.rfind(c, max(s_start, to.start() - 30), to.start()) for c in rules.from_markers)
            if f != -1:
                starts = [p for p in qs[:i] if not p.consumed and p.pre_start >= f and p.end <= to.start()]
                q.change = {"kind": "from_to", "from": starts[-1].value if starts else None}
                q.head = f
                for p in starts:
                    p.consumed = True
                continue
        if q.unit != "%" or prev not in yoy_last:
            continue
        yoy = rules.yoy.search(text, lo, q.pre_start)
        if not yoy:
            continue
        rate = -q.value if yoy["dir"] in rules.down else q.value
        change = {"kind": "yoy_pct", "value": rate}
        target = next((p for p in reversed(qs[:i]) if not p.consumed), None)
        gap = text[target.end:yoy.start()] if target else ""
        if (target and target.end <= yoy.start() and len(gap) <= 14 and not re.search(r"[\d。;；!！?？\n]", gap)
                and (not gap.strip() or gap.rstrip()[-1] in ",，(（")):
            target.change, q.consumed = change, True
            target.quote_end = q.end + (1 if text[q.end:q.end + 1] in ")）" else 0)
        else:
            q.change, q.head = change, yoy.start()


def _numbers(scan: TextScan, rules: QuantityRules) -> tuple[list[re.Match], list[int], list[int]]:
    """Every number-with-unit match, its start and its end, in text order (the two patterns never overlap).

    The same matches as both patterns' finditer, but each pattern is only tried where numpy
    found its first character: the regex engine's own scan tested every character in turn.
    """
    text = scan.text
    at, bits = scan.char_flags()
    adjacent = at[1:] - at[:-1] == 1  # the next flagged character is the next character
    # A number never starts right after a digit (see _ARABIC), nor a Chinese one inside a run of
    # numerals (十四五, 二〇二三: no number, and a run is then tried once, not once a numeral).
    # It needs a numeral or a unit after its first numeral (most numerals start words such as
    # 一步 or 三大), and starts with one that can start a number (not 千万, 零).
    first = (bits & rules.number_digits) != 0
    first[1:] &= ~(first[:-1] & adjacent)
    in_run = (bits & rules.number_numerals) != 0
    numeral = in_run.copy()
    numeral[1:] &= ~(in_run[:-1] & adjacent)
    numeral[:-1] &= adjacent & ((bits[1:] & rules.numeral_next) != 0)
    numeral[-1:] = False
    arabic, chinese, found, starts, ends, end = rules.arabic.match, rules.chinese.match, [], [], [], 0
    candidates: list[int] = at[first | numeral].tolist()  # typed: compiled, i is then a native int
    for i in candidates:
        if i < end:
            continue
        c = text[i]
        m = arabic(text, i) if c in _DIGITS else chinese(text, i) if c in _NUMERALS else None
        if m:
            end = m.end()
            found.append(m)
            starts.append(i)
            ends.append(end)
    return found, starts, ends
