"""Initiatives: made-up sentences for names, kinds, definitions and exclusions."""

from __future__ import annotations

import pytest

from briefgen.extract.initiatives import FIELDS, extract_initiatives
from conftest import LAKE, TOWN, make


def found(text: str, **kw):
    doc, seg = make(text, **kw)
    return extract_initiatives(doc, seg)


def names(text: str):
    return [(i.name, i.kind) for i in found(text)]


@pytest.mark.parametrize("text, expected", [
    ("实施“党群连心”工程。", [("党群连心", "initiative")]),
    ("推行“街巷长制”,提升治理水平。", [("街巷长制", "mechanism")]),
    ("印发《青禾市人才安居办法》。", [("青禾市人才安居办法", "policy_document")]),
    ("打造“1+6+N”服务体系。", [("1+6+N", "mechanism")]),
    ("获评全国“五四红旗团委”称号。", [("五四红旗团委", "award")]),
    ("打造“邻里汇”服务品牌。", [("邻里汇", "brand")]),
    ("拍摄《山路上的党员》纪录片。", [("山路上的党员", "brand")]),
    ("建成暖“鹭”驿站20个。", [("暖“鹭”驿站", "brand")]),
    ("开展“三访三促”活动。", [("三访三促", "initiative")]),
    ("落实“五个一”工作法。", [("五个一", "mechanism")]),
])
def test_names_and_kinds(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "敢啃“硬骨头”。", "打通服务群众“最后一公里”。", "以“等不起”的劲头推进。",
    "“我们一定把事情办好。”一位书记说。", "新建“两新”组织党组织12个。", "不搞“一刀切”。",
    "经验被《人民日报》《青禾晚报》刊发。", "按照此《办法》执行。", "拨打热线“12345”。",
    "围绕“一、二、三”发展思路。", "坚持“两个维护”。", "营造“比学赶超”的浓厚氛围。",
])
def test_rhetoric_speech_media_and_generic_terms_are_not_initiatives(text):
    assert names(text) == []


def test_glossary_definition():
    text = "落实“三联三帮”机制。\n“三联三帮”机制:党员联系群众、干部联系村组、单位联系企业。"
    [i] = found(text)
    assert (i.name, i.kind, i.definition) == ("三联三帮", "mechanism", "党员联系群众、干部联系村组、单位联系企业。")
    assert i.quote == "落实“三联三帮”机制"


def test_parenthesis_and_ji_definitions():
    [a] = found("开展“四访”(访困难户、访老党员、访退役军人)活动。")
    assert a.definition == "访困难户、访老党员、访退役军人"
    [b] = found("推进“六个一”即一名书记、一支队伍、一个阵地、一套制度、一本台账、一项品牌。")
    assert b.definition == "一名书记、一支队伍、一个阵地、一套制度、一本台账、一项品牌"


def test_numbered_name_is_defined_by_the_list_it_summarizes():
    [i] = found("建立走访制度、议事制度、公示制度“三项制度”。")
    assert (i.name, i.definition) == ("三项制度", "走访制度、议事制度、公示制度")
    [j] = found("推行“党员带头、群众参与”的“双向发力”工作法。")
    assert (j.name, j.definition) == ("双向发力", "党员带头、群众参与")


def test_one_initiative_per_region_and_name_quoting_the_first_mention():
    text = "实施“稻香工程”。\n深化“稻香工程”建设。\n实施“稻香工程”。"
    got = [(i.region, i.region_en, i.name, i.quote) for i in found(text, regions=(TOWN, LAKE))]
    assert got == [("青禾市", "Qinghe", "稻香工程", "实施“稻香工程”"), ("澜湖县", "Lanhu", "稻香工程", "深化“稻香工程”建设")]


def test_a_name_counts_when_any_mention_marks_it():
    got = names("“红帆驿站”遍布社区。\n建成“红帆驿站”20个,开展“红帆驿站”评星活动。")
    assert got == [("红帆驿站", "brand")]


def test_name_nested_in_a_title_is_also_a_programme():
    got = names("出台《关于推进“金凤计划”的实施意见》。")
    assert got == [("关于推进“金凤计划”的实施意见", "policy_document"), ("金凤计划", "initiative")]


def test_unquoted_programmes_marked_by_verb_and_kind_word():
    [i] = found("深入实施乡村工匠培育工程,成效明显。")
    assert (i.name, i.quoted) == ("乡村工匠培育工程", False)


def test_quotes_are_exact_spans():
    text = "全面推行“网格吹哨、部门报到”工作机制,持续开展“邻里守望”志愿活动。"
    doc, seg = make(text)
    items = extract_initiatives(doc, seg)
    assert [i.name for i in items] == ["网格吹哨、部门报到", "邻里守望"]
    for i in items:
        assert text[i.start:i.end] == i.quote and i.name in i.quote
        assert set(FIELDS) <= set(i.to_dict())


def test_unquoted_search_near_suffixes_finds_what_a_whole_text_search_finds():
    from hypothesis import given, settings, strategies as st

    from briefgen.extract.initiative_rules import load_rules
    from briefgen.extract.mentions import _suffix_windows

    rules = load_rules().unquoted
    pattern = rules.pattern

    @settings(max_examples=300, deadline=None)
    @given(st.text(st.sampled_from("实施推进开展深入建立工程行动计划的人才党建新时代，。 a"), max_size=80))
    def check(text):
        near = [m.span("name") for lo, hi in _suffix_windows(text, rules.suffixes, rules.reach)
                for m in pattern.finditer(text, lo, hi)]
        assert near == [m.span("name") for m in pattern.finditer(text)]

    check()


def test_quoted_name_is_what_the_quoted_name_regex_matches():
    import re

    from hypothesis import given, settings, strategies as st

    from briefgen.extract.mentions import _MARKS, _quoted_name

    regex = re.compile(r"“([^“”\n]{1,300})”|《([^《》\n]{1,120})》|「([^「」\n]{1,120})」|‘([^‘’\n]{1,60})’"
                       r"|\"([^\"\n]{1,60})\"")

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(["“", "”", "《", "》", "「", "」", "‘", "’", '"', "\n", "名", "a" * 59, "b" * 120]),
                    max_size=12).map("".join))
    def check(text):
        for i, c in enumerate(text):
            if ord(c) in _MARKS:
                m = regex.match(text, i)
                assert _quoted_name(text, i, ord(c)) == (m.group(m.lastindex or 0) if m else None), (text, i)

    check()


def test_numbered_counts_the_runs_numeral_token_re_finds():
    from hypothesis import given, settings, strategies as st

    from briefgen.extract.initiative_rules import load_rules
    from briefgen.extract.initiatives import _numbered

    rules = load_rules()

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="一二两三个名大机、", max_size=8))
    def check(name):
        plain = (len(name) >= 2 and bool(rules.numbered_re.match(name))
                 or ("、" not in name or all(rules.numeral_token_re.search(p) for p in name.split("、")))
                 and len(rules.numeral_token_re.findall(name)) >= 2)
        assert _numbered(name, rules) == plain, name

    check()
