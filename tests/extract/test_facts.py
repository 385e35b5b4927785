"""Facts: made-up sentences for each number form, qualifier, change, list and exclusion."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from briefgen.documents import Document
from briefgen.extract.facts import FIELDS, extract_facts
from briefgen.extract.regions import Region
from briefgen.extract.segment import Passage, Segmentation
from conftest import LAKE, TOWN, make

def facts_of(text: str, lex=None, **kw):
    doc, seg = make(text, **kw)
    return extract_facts(doc, seg, lex or {})


def values(text: str):
    return [(f.value, f.unit, f.qualifier, f.change) for f in facts_of(text)]


@pytest.mark.parametrize("text, expected", [
    ("全县共有村级活动场所356个。", [(356, "个", "exact", None)]),
    ("全年发展新党员1,234名。", [(1234, "名", "exact", None)]),
    ("接待游客3 500人次。", [(3500, "人次", "exact", None)]),
    ("培训乡村医生１２０名。", [(120, "名", "exact", None)]),
    ("安排专项经费3.6亿元。", [(360000000, "元", "exact", None)]),
    ("服务居民2.15万人次。", [(21500, "人次", "exact", None)]),
    ("撬动社会资本800万元。", [(8000000, "元", "exact", None)]),
    ("群众满意率达97.5%。", [(97.5, "%", "exact", None)]),
    ("参保率提高2.3个百分点。", [(2.3, "个百分点", "exact", None)]),
    ("改造老旧小区4200平方米。", [(4200, "平方米", "exact", None)]),
])
def test_number_forms(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("新增就业岗位800余个。", [(800, "个", "over", None)]),
    ("建成农家书屋超过40家。", [(40, "家", "over", None)]),
    ("吸引青年人才逾300人。", [(300, "人", "over", None)]),
    ("覆盖学校接近50所。", [(50, "所", "under", None)]),
    ("空置床位不足20张。", [(20, "张", "under", None)]),
    ("组织志愿者约1500名。", [(1500, "名", "about", None)]),
    ("召开座谈会60场左右。", [(60, "场", "about", None)]),
    ("新建活动中心5000平方米以上。", [(5000, "平方米", "over", None)]),
    ("统筹奖补资金3000多万元。", [(30000000, "元", "over", None)]),
    ("覆盖群众4.6万多人次。", [(46000, "人次", "over", None)]),
    ("各村集体收入均超过20万元。", [(200000, "元", "over", None)]),
    ("按不低于年度财政收入的3%安排。", [(3, "%", "over", None)]),
    # 将近 + 三年 is "in the last three years"; the 18 itself is exact.
    ("将近三年立功受奖的18名干部获得表彰。", [(18, "名", "exact", None)]),
    ("签约12家企业。", [(12, "家", "exact", None)]),
])
def test_qualifiers(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("选派三个工作组。", [(3, "个", "exact", None)]),
    ("连续开展两轮督查。", [(2, "轮", "exact", None)]),
    ("先后五次获得通报表扬。", [(5, "次", "exact", None)]),
    ("实施八大行动。", []),
    ("学习党的二十大精神。", []),
    ("开展“百名干部进千村”活动。", []),
    ("建立考核机制、激励机制、保障机制三项机制。", []),
    ("统筹推进一批项目。", []),
    ("落实市县镇村四级联动。", []),
])
def test_chinese_numerals_count_but_do_not_name(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("全国党员总数为九千九百一十八点五万名。", [(99185000, "名", "exact", None)]),
    ("全年共发展党员二百四十一万名。", [(2410000, "名", "exact", None)]),
    ("统筹各级资金一千多万元。", [(10000000, "元", "over", None)]),
    ("女党员占党员总数的百分之三十二点四。", [(32.4, "%", "exact", None)]),
    ("村集体经济收入增长百分之五十。", [(50, "%", "exact", None)]),
    ("大专以上学历的占六成。", [(60, "%", "exact", None)]),
    ("大专以上学历的占比接近六成。", [(60, "%", "under", None)]),
    ("近六成群众参与评议。", [(60, "%", "under", None)]),
    ("三成村集体实现增收。", [(30, "%", "exact", None)]),
    ("建成党群服务站点两千余个。", [(2000, "个", "over", None)]),
    ("服务群众十二万人次。", [(120000, "人次", "exact", None)]),
    ("培训党员一万二千人。", [(12000, "人", "exact", None)]),
    ("覆盖率均超过百分之九十九点九。", [(99.9, "%", "over", None)]),
    ("按不低于上年收入的百分之二安排。", [(2, "%", "over", None)]),
    ("参保率提高三个百分点。", [(3, "个百分点", "exact", None)]),
])
def test_numbers_written_in_chinese_numerals_read_like_arabic_ones(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text", [
    "学习贯彻党的二十大精神。", "全省排名第三。", "实施九大行动。", "践行三严三实。", "开展两学一做学习教育。",
    "开展十万党员进党校活动。", "当好一把手。", "深入一线调研。", "推出一批项目。", "推进一体化发展。",
    "三年来成效明显。", "五年来累计投入。", "一季度完成任务。", "十四五期间建成。", "二〇二三年召开会议。",
    "履行三大职能。", "建立考核机制、激励机制、保障机制三项机制。", "建强四级党组织。", "一个也不能少。",
    "一是加强领导,二是完善制度。", "推进百县千镇万村高质量发展。", "组织万名党员下基层。",
    "实施“十万党员进党校”工程。", "出台《二十项措施》。", "开展三个一批行动。", "坚持一成不变。",
    "评选前十名。", "每十名党员编为一组。",
])
def test_chinese_numerals_that_name_order_or_date_are_no_quantities(text):
    assert values(text) == []


def test_quotes_of_chinese_numerals_are_exact_spans_that_hold_the_numeral():
    text = "全国党员总数为九千九百一十八点五万名,占比接近六成;女党员占百分之三十点四。"
    doc, seg = make(text)
    fs = extract_facts(doc, seg, {})
    assert [(f.value, f.quote) for f in fs] == [
        (99185000, "党员总数为九千九百一十八点五万名"), (60, "全国党员总数为九千九百一十八点五万名,占比接近六成"),
        (30.4, "女党员占百分之三十点四")]
    assert all(text[f.start:f.end] == f.quote for f in fs)


def test_a_run_of_numerals_is_read_once_as_a_number_is_read_aloud():
    # A run is read once, from its first numeral, as a number is read aloud: 五五五…五个 is none,
    # and no number starts inside it (its last 五个 is none either).
    assert values("五" * 10_000 + "个") == []
    assert values("九点" + "五" * 10_000 + "万名") == [(95555.555556, "名", "exact", None)]


@pytest.mark.parametrize("text", [
    "2022年5月8日召开会议。", "选拔35岁以下干部。", "获评全省第12名。", "地铁8号线开通。",
    "为期3天的培训。", "用2年时间完成改造。", "建区20年来变化巨大。", "拨打热线12345反映问题。",
    "升级到4.0版。", "构建“1+2+N”体系。", "推进“30分钟服务圈”建设。", "每个社区配备2名专干。",
    "订阅后阅读全文(剩余60%)", "已有0人参与评论", "连续第8年举办。", "位于A3栋。", "开展2024年度评议。",
    "历时3个月完成。", "出台《乡村振兴20条》。",
])
def test_exclusions(text):
    assert values(text) == []


def test_year_over_year_growth_attaches_to_the_quantity_it_modifies():
    assert values("志愿者8600人,比上年增长12.5%。") == [(8600, "人", "exact", {"kind": "yoy_pct", "value": 12.5})]
    assert values("完成投资逾15亿元(同比增长40%)。") == [
        (1500000000, "元", "over", {"kind": "yoy_pct", "value": 40})]


def test_a_rate_modifying_no_quantity_is_its_own_fact():
    assert values("专利授权量同比增长15%。") == [(15, "%", "exact", {"kind": "yoy_pct", "value": 15})]
    assert values("事故数量较去年下降4%。") == [(4, "%", "exact", {"kind": "yoy_pct", "value": -4})]


def test_from_to_growth():
    assert values("村级集体收入从30万元增长到85万元。") == [
        (850000, "元", "exact", {"kind": "from_to", "from": 300000})]
    assert values("注册志愿者由2019年的3000多人增加到2023年的1.2万人。") == [
        (12000, "人", "exact", {"kind": "from_to", "from": 3000})]
    assert values("示范点由原来的个位数增加到12个。") == [(12, "个", "exact", {"kind": "from_to", "from": None})]
    assert values("覆盖率从45%跃升至90%。") == [(90, "%", "exact", {"kind": "from_to", "from": 45})]


def test_lists_give_one_fact_per_item_with_subjects():
    fs = facts_of("全区有街道党工委6个、社区党委42个、小区党支部310个。")
    assert [(f.subject, f.value, f.unit) for f in fs] == [
        ("街道党工委", 6, "个"), ("社区党委", 42, "个"), ("小区党支部", 310, "个")]


def test_subject_before_or_after_the_number():
    fs = facts_of("培训村干部2300人次,开展75场次普法宣讲,组建12支巡河队伍。")
    assert [(f.subject, f.value) for f in fs] == [("培训村干部", 2300), ("开展普法宣讲", 75), ("组建巡河队伍", 12)]


def test_hard_wrapped_numbers():
    assert values("培训基层干部12\n345人次。") == [(12345, "人次", "exact", None)]
    assert values("服务群众1.24\n万人。") == [(12400, "人", "exact", None)]


def test_distributive_counts_are_skipped_but_kinds_of_things_are_not():
    assert values("为56个村各选派1名专干。") == [(56, "个", "exact", None)]
    assert values("收集各类意见300余条。") == [(300, "条", "over", None)]


def test_explicit_year_overrides_the_passage_year_but_since_does_not():
    fs = facts_of("2021年共培训干部300名。\n2019年以来累计培训干部900名。", year=2023)
    assert [(f.value, f.year) for f in fs] == [(300, 2021), (900, 2023)]


def test_region_comes_from_the_passage_and_metric_from_the_subject():
    fs = facts_of("新发展党员120名。\n引进急需紧缺人才45名。", regions=(TOWN, LAKE))
    assert [(f.region, f.region_en, f.province, f.metric) for f in fs] == [
        ("青禾市", "Qinghe", "某某省", "new_party_members"), ("澜湖县", "Lanhu", "某某省", "talent_introduced")]


def test_topic_is_the_best_topic_of_the_clause():
    lex = {"talent": ["人才", "博士"], "organization": ["党员", "党组织"]}
    fs = facts_of("新发展党员120名,引进博士人才45名。", lex=lex)
    assert [f.topic for f in fs] == ["organization", "talent"]


def test_quotes_are_exact_spans_that_state_the_number():
    text = "全年举办各类培训班32期,培训党员干部6500人次;新建党群服务站18个。\n人才公寓300套。"
    doc, seg = make(text)
    fs = extract_facts(doc, seg, {})
    assert len(fs) == 4
    for f in fs:
        assert text[f.start:f.end] == f.quote
        assert 8 <= len(f.quote) <= 60
        assert f"{f.value:g}" in f.quote
    assert fs[0].to_dict()["quote"] == "举办各类培训班32期"
    assert tuple(fs[0].to_dict()) == FIELDS


def test_numbers_outside_every_passage_are_ignored():
    doc, seg = make("新建党群服务站18个。")
    seg = Segmentation(seg.doc, seg.title, seg.regions, seg.year, ())
    assert extract_facts(doc, seg, {}) == []


def test_malformed_numbers_do_not_break_extraction():
    # Found by fuzzing: a multiplier written twice, a dangling decimal point, empty text.
    assert values("共3万余万人。") == [(300000000, "人", "over", None)]
    assert values("增长了。5.个") == []
    assert values("") == []


def test_a_from_year_does_not_date_the_end_value():
    from briefgen.documents import Document
    from briefgen.extract.segment import segment_document

    text = "2023年,某市选派驻村第一书记,从2019年的300多名增长到428名。"
    doc = Document(Path("x.txt"), "x.txt", "txt", "utf-8", text, "0")
    facts = extract_facts(doc, segment_document(doc), {})
    grown = [f for f in facts if f.change and f.change["kind"] == "from_to"]
    assert [(f.value, f.year, f.change["from"]) for f in grown] == [(428, 2023, 300)]
