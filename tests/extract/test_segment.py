"""Passages with sections, regions and years: the seeds against gold, and made-up documents."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from briefgen.documents import Document, read_document
from briefgen.extract.segment import passage_at, region_at, resolve_year, segment_document, year_at
from conftest import DATA, ROOT

GOLD = [json.loads(line) for line in (DATA / "gold_seeds.jsonl").open(encoding="utf-8")]
GOLD_DOCS = {r["doc"]: r for r in GOLD if r["type"] == "doc"}
FACTS = [r for r in GOLD if r["type"] == "fact"]


def _doc(text: str, name: str = "made_up.txt") -> Document:
    return Document(Path(name), name, "txt", "utf-8", text, hashlib.sha256(text.encode()).hexdigest())


@pytest.fixture(scope="module")
def seeds():
    out = {}
    for name in GOLD_DOCS:
        doc = read_document(ROOT / "seeds" / name)
        out[name] = (doc, segment_document(doc))
    return out


@pytest.mark.parametrize("name", sorted(GOLD_DOCS), ids=lambda n: n[:3])
def test_seed_regions_and_year_equal_gold(seeds, name):
    _, seg = seeds[name]
    assert [r.name for r in seg.regions] == GOLD_DOCS[name]["regions"]
    assert seg.year == GOLD_DOCS[name]["year"]


@pytest.mark.parametrize("name", sorted(GOLD_DOCS), ids=lambda n: n[:3])
def test_passages_are_exact_spans_in_order(seeds, name):
    doc, seg = seeds[name]
    assert seg.passages and all(p.doc == name for p in seg.passages)
    for p in seg.passages:
        assert p.text == doc.text[p.start:p.end] and p.text == p.text.strip() and p.text
    assert [p.start for p in seg.passages] == sorted(p.start for p in seg.passages)
    covered = "".join(p.text for p in seg.passages)
    assert covered == re.sub(r"\s*\n\s*", "", doc.text.strip())  # nothing but white space is left out


def test_roundup_facts_lie_in_passages_of_their_city(seeds):
    doc, seg = seeds["004_cdb9b270fe56c2aa.txt"]
    checked = 0
    for fact in (f for f in FACTS if f["doc"] == doc.name and f["region"]):
        assert region_at(seg, doc.text.find(fact["quote"])).name == fact["region"], fact["quote"]
        checked += 1
    assert checked >= 20
    assert seg.roundup and seg.passages[0].region is None  # the introduction belongs to no city
    headings = [p for p in seg.passages if p.is_heading]
    assert [p.region.name for p in headings] == GOLD_DOCS[doc.name]["regions"]
    assert all(p.section == p.text for p in headings)


def test_region_of_every_gold_fact(seeds):
    hits = [region_at(seeds[f["doc"]][1], seeds[f["doc"]][0].text.find(f["quote"])) for f in FACTS]
    agree = sum((r.name if r else None) == f["region"] for r, f in zip(hits, FACTS))
    assert agree / len(FACTS) >= 0.97


def _number_offset(doc: Document, quote: str) -> int:
    number = re.search(r"\d+(?![\d年])", quote) or re.search(".", quote)
    return doc.text.find(quote) + number.start()


def test_year_of_every_gold_fact(seeds):
    years = [year_at(seeds[f["doc"]][1], seeds[f["doc"]][0].text, _number_offset(seeds[f["doc"]][0], f["quote"]))
             for f in FACTS]
    assert sum(y == f["year"] for y, f in zip(years, FACTS)) / len(FACTS) >= 0.97
    explicit = {f["quote"]: y for y, f in zip(years, FACTS) if f["year"] != GOLD_DOCS[f["doc"]]["year"]}
    assert explicit and all(y == next(f["year"] for f in FACTS if f["quote"] == q) for q, y in explicit.items())


def test_sections_from_bracket_and_numbered_headings(seeds):
    _, yearbook = seeds["000_3309f5557c47b381.txt"]
    assert yearbook.title == "组织工作"
    sections = [p.section for p in yearbook.passages]
    assert "组织工作概况" in sections and "人才工作" in sections
    _, summary = seeds["003_f4f9dd9e7aee0637.txt"]
    plan = [p for p in summary.passages if p.headings and p.headings[0] == "二、2024年工作安排"]
    assert plan and all(p.year == 2024 for p in plan)
    assert plan[2].section == "(一)深入实施“凝心铸魂”工程"
    assert all(p.year == 2023 for p in summary.passages if p.headings and p.headings[0].startswith("一、"))


# ---------------------------------------------------------------- documents from other regions

CITY_REPORT = """成都市2023年组织工作综述

2023年，成都市委组织部坚持以高质量党建引领高质量发展。我市深化“向基层倾斜”行动，全市新建党群服务中心120个。

一、抓基层强基础
武侯区推动社区发展治理，全区建成小区党支部300个。本市各级党组织向深圳学习先进经验，江苏代表团来蓉考察。

二、育人才聚人才
全市引进青年人才5万名，比上年增长12%。
"""


def test_city_report_own_region_and_districts():
    seg = segment_document(_doc(CITY_REPORT))
    # The city's report; the sentence about one of its districts is that district's, never rolled up.
    assert [r.name for r in seg.regions] == ["成都市", "武侯区"]
    assert seg.year == 2023 and seg.title == "成都市2023年组织工作综述"
    assert {p.region.name for p in seg.passages} == {"成都市"}
    ((start, end, district),) = seg.sentence_regions
    assert district.name == "武侯区" and CITY_REPORT[start:end].startswith("武侯区推动") and "300" in CITY_REPORT[start:end]
    assert [p.section for p in seg.passages if p.is_heading] == ["一、抓基层强基础", "二、育人才聚人才"]


def test_passing_mentions_do_not_win_against_the_dateline():
    text = ("长沙市委组织部召开会议。\n学习借鉴深圳经验，赴深圳、赴深圳、向深圳学习，与深圳对标。\n"
            "我市党员干部到深圳考察，深圳代表团来访。全市党组织4000个。\n")
    assert [r.name for r in segment_document(_doc(text)).regions] == ["长沙市"]


ROUNDUP = """今日，本刊展示三个城市的基层治理经验。

绵阳市：推行“网格+”治理模式
绵阳市深化网格化管理，划分网格3200个。

宜宾市：打造社区服务品牌
今年以来，宜宾市建成社区服务站150个。

乐山市：建强村级组织
乐山市选派第一书记420名。
"""


def test_roundup_of_other_cities_with_full_width_colons():
    doc = _doc(ROUNDUP)
    seg = segment_document(doc)
    assert seg.roundup and [r.name for r in seg.regions] == ["绵阳市", "宜宾市", "乐山市"]
    for quote, city in [("划分网格3200个", "绵阳市"), ("建成社区服务站150个", "宜宾市"), ("选派第一书记420名", "乐山市")]:
        assert region_at(seg, doc.text.find(quote)).name == city
    assert region_at(seg, 0) is None
    assert [r.en for r in seg.regions] == ["Mianyang", "Yibin", "Leshan"]


def test_roundup_headings_in_brackets_and_numbers():
    text = "【绵阳】\n划分网格3200个。\n【宜宾】\n建成服务站150个。\n"
    assert [r.name for r in segment_document(_doc(text)).regions] == ["绵阳市", "宜宾市"]
    text = "一、绵阳市：划分网格\n划分网格3200个。\n二、宜宾市：建服务站\n建成服务站150个。\n"
    assert [r.name for r in segment_document(_doc(text)).regions] == ["绵阳市", "宜宾市"]


def test_traditional_characters_county_is_its_own_region():
    text = ("臺山市基層黨建工作報告\n2022年，臺山市委組織部推動全市鎮村黨組織規範化建設。\n"
            "本市各鄉鎮建成黨群服務中心20個，開平市、恩平市同步推進。\n")
    seg = segment_document(_doc(text))
    # 台山 is a county-level city of Jiangmen: its report is its own, with Jiangmen as its parent.
    assert [(r.name, r.path) for r in seg.regions] == [("台山市", ("广东省", "江门市", "台山市"))]
    assert seg.year == 2022


def test_functional_area_is_the_document_region_when_it_is_the_subject():
    text = ("2022年，天府新区党工委党群工作部深入推进基层党建。\n新区建成党群服务中心56个，新区党员报到率95%。\n"
            "新区干部赴成都市区学习，成都市委组织部予以肯定。成都高校与新区合作。\n")
    seg = segment_document(_doc(text))
    (area,) = seg.regions
    # A state-level new area of the functional-area table, named as the table names it.
    assert (area.name, area.short, area.en, area.level) == ("天府新区", "天府", "Tianfu New District", "functional")
    assert all(p.region == area for p in seg.passages)


def test_functional_area_mentioned_in_passing_is_not_the_region():
    text = ("2023年，成都市委组织部部署全年工作，支持天府新区发展。\n全市发展党员1.2万名。\n"
            "成都市推进城乡社区发展治理，全市建成社区党组织3000个。我市人才工作成效明显。\n")
    assert [r.name for r in segment_document(_doc(text)).regions] == ["成都市"]


def test_document_without_any_place_has_no_region():
    seg = segment_document(_doc("工作总结\n我们坚持学习，全年开展培训10次。\n"))
    assert seg.regions == () and all(p.region is None for p in seg.passages) and seg.year is None


# ---------------------------------------------------------------- years

@pytest.mark.parametrize("text,year", [
    ("10月22日，2021长江流域城市党建工作会议召开。\n会议计划到2025年建成示范点。\n", 2021),
    ("全市近年来推进党建。\n2019年以来，全市共建成站点30个。\n", 2020),
    ("建区20年来，全区组织系统不断发展。\n组织工作成效明显。\n2022年全区发展党员500名。\n2021年以来新增人才1万名。\n", 2023),
    ("今年以来，全市推进党建工作。\n2022年以来建成站点12个，2023年新建8个。\n", 2023),
    ("【概况】 2018年，全县党员2万名。\n【人才】 2018年，全县引进人才300名。\n", 2018),
])
def test_document_year_rules(text, year):
    assert segment_document(_doc(text)).year == year


def test_year_at_resolves_explicit_and_relative_years():
    text = ("工作报告\n2021年，市委推进党建工作。计划到2023年建成驿站10个。今年新增党员300名，去年新增280名，"
            "比上年增长7%。\n2019年以来累计培训干部5000人次，从2015年的800人增长到2000人。\n")
    doc = _doc(text)
    seg = segment_document(doc)
    assert seg.year == 2021

    def at(s: str) -> int | None:
        return year_at(seg, text, text.find(s))

    assert at("10个") == 2023
    assert at("300名") == 2021 and at("280名") == 2020
    assert at("7%") == 2020  # the sentence's 去年 still governs; 比上年 is a comparison, not a year
    assert at("5000人次") == 2021 and at("2000人。") == 2021
    assert resolve_year("由去年个位数增加到", 2023) == 2023
    assert resolve_year("自2016年起，明确用3年时间引进", 2023) == 2016


def test_passage_at_and_region_at_outside_passages():
    doc = _doc("成都市组织工作\n\n全市党员50万名。\n")
    seg = segment_document(doc)
    assert passage_at(seg, doc.text.find("50万")).text == "全市党员50万名。"
    assert passage_at(seg, doc.text.find("\n\n") + 1) is None and region_at(seg, len(doc.text)) is None


def test_markdown_headings_are_sections():
    seg = segment_document(_doc("# 杭州市组织工作\n\n## 基层党建\n\n全市党组织2万个。\n\n## 人才工作\n\n引进人才3万名。\n"))
    assert seg.title == "杭州市组织工作"
    assert [p.section for p in seg.passages[1:] if not p.is_heading] == ["基层党建", "人才工作"]
    assert [r.name for r in seg.regions] == ["杭州市"]
