"""Scan: one text's character classes, clause bounds and quoted spans, held by a TextScan made for it."""

from __future__ import annotations

import bisect
import re

from briefgen.extract.scan import CLAUSE_END, SENTENCE_END, Offsets, TextScan, bounds_at, occurrences
from briefgen.extract.words import alternation, by_length, ends_with_any


def test_each_text_has_its_own_scan():
    a, b = TextScan("一，二。三"), TextScan("甲。乙，丙，丁")
    assert a.delimiters(CLAUSE_END) == [1, 3]
    assert b.delimiters(CLAUSE_END) == [1, 3, 5]
    assert a.delimiters(SENTENCE_END) == [3] and b.delimiters(SENTENCE_END) == [1]
    assert a.clause_bounds(4) == (4, 5) and b.clause_bounds(4) == (4, 5)


def test_quoted_spans_are_the_quote_regex_matches():
    text = "实施“红色引擎”工程，印发《关于…的意见》和「品牌」，“未闭合"
    pattern = re.compile(r"“[^“”\n]{0,300}”|《[^《》\n]{0,120}》|「[^「」\n]{0,120}」|‘[^‘’\n]{0,60}’|\"[^\"\n]{0,60}\"")
    starts, ends = TextScan(text).quoted_spans()
    assert list(zip(starts, ends)) == [m.span() for m in pattern.finditer(text)]


def test_offsets_answer_as_bisect_in_any_order():
    found = [3, 8, 8, 15, 40]
    offsets = Offsets(found, 50)
    for pos in [0, 9, 8, 41, 2, 15, 16, 60, 3]:
        assert offsets.left(pos) == bisect.bisect_left(found, pos)
        assert offsets.bounds(pos) == bounds_at(found, 50, pos)


def test_word_lists():
    words = ["两次", "两轮", "两", "三"]
    assert re.findall(alternation(words), "两轮两三两次") == ["两轮", "两", "三", "两次"]
    assert ends_with_any("开展两轮", 4, by_length(words)) == "两轮"
    assert ends_with_any("开展", 2, by_length(words)) is None
    assert occurrences("各村每户各", "各每") == [0, 2, 4]
