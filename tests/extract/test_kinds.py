"""Kinds and metrics that mean one thing: what a number counts decides what it is compared with."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.documents import Document
from briefgen.extract import extract_document
from briefgen.extract.metrics import metric_fits


def facts_of(text: str) -> dict[float, object]:
    doc = Document(Path("k.txt"), "k.txt", "txt", "utf-8", text, "0" * 64)
    return {f.value: f for f in extract_document(doc, {}).facts}


@pytest.mark.parametrize("text,value,kind", [
    ("截至2023年底，全县共有党员3.2万名。", 32000, "stock"),
    ("全县基层党组织1260个，其中党支部1105个。", 1105, "subset"),
    ("2023年全县新发展党员486名。", 486, "flow"),
    ("全年举办培训班36期，培训干部5200人次。", 5200, "activity"),
    ("近五年来，全县累计引进各类人才2.1万名。", 21000, "cumulative"),
    ("力争到2026年引进高层次人才500名。", 500, "plan"),
    ("分3年招聘优秀村干部120名。", 120, "plan"),
    ("实施“青苗培养计划”，新选拔年轻干部86名。", 86, "flow"),  # 计划 ending a programme's name
    ("全县村级集体经济收入10万元以上的村占比达到86.5%。", 86.5, "share"),
    ("投入专项资金3200万元。", 32000000, "money"),
    ("全县党员从2.1万名增长到3.2万名。", 32000, "stock"),
    ("编制净增45名。", 45, "change"),
])
def test_each_kind(text, value, kind):
    assert facts_of(text)[value].kind == kind


def test_attendance_at_a_fair_is_no_intake_of_talents():
    facts = facts_of("举办人才招聘会，吸引120名博士参会。全年新引进博士86名。")
    assert facts[120].kind == "activity" and facts[120].metric is None
    assert facts[86].kind == "flow" and facts[86].metric == "talent_introduced"


def test_a_subgroup_is_no_total_and_a_plan_no_achievement():
    facts = facts_of("全县党员3.2万名。其中女党员9800名。计划到2026年新发展党员1500名。")
    assert facts[32000].metric == "party_members"
    assert facts[9800].kind == "subset" and facts[9800].metric is None
    assert facts[1500].kind == "plan" and facts[1500].metric is None


def test_the_counted_noun_after_the_measure_word_is_the_subject():
    facts = facts_of("创建红色教育遗址等12个县级党员教育基地。")
    assert "党员教育基地" in facts[12].subject and facts[12].metric == "education_bases"
    assert "党员教育基地" in facts[12].quote


def test_a_metric_refuses_what_its_data_says_it_is_not():
    assert metric_fits("talent_introduced", "flow", "新引进各类人才1200名")
    assert not metric_fits("talent_introduced", "flow", "聘任引才顾问30名")
    assert not metric_fits("talent_introduced", "plan", "计划引进人才1200名")
    assert not metric_fits(None, "flow", "")
