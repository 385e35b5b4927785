"""Metrics: the canonical comparable quantities and how subjects map to them."""

import pytest

from briefgen.extract.metrics import load_metrics, match_metric

REQUIRED = {"talent_introduced", "party_members", "grassroots_party_orgs", "party_branches",
            "cadres_trained", "members_trained"}


def test_at_least_25_metrics_with_names_and_families():
    metrics = load_metrics()
    assert len(metrics) >= 25
    assert REQUIRED <= set(metrics)
    for m in metrics.values():
        assert m.zh and m.en and m.unit_family and m.patterns
        assert m.name("zh") == m.zh and m.name("en") == m.en


@pytest.mark.parametrize("subject, unit, metric", [
    ("党员", "人", "party_members"),
    ("女党员", "人", None),  # a subgroup of the members, no total of its own
    ("基层党组织", "个", "grassroots_party_orgs"),
    ("党支部", "个", "party_branches"),
    ("基层党委", "个", "party_committees"),
    ("培训村级党员", "人次", "members_trained"),
    ("轮训科级干部", "人次", "cadres_trained"),
    ("引进急需紧缺人才", "名", "talent_introduced"),
    ("引进博士研究生", "名", "talent_introduced"),
    ("选派驻村第一书记", "名", "first_secretaries"),
    ("专职网格员", "人", "grid_workers"),
    ("划分基础网格", "个", "grid_cells"),
    ("注册志愿者", "人", "volunteers"),
    ("新建党群服务站", "个", "service_centres"),
    ("统筹乡村振兴资金", "元", "funds"),
    ("群众满意率", "%", "coverage_rate"),
    ("招录公务员", "名", "civil_servants_recruited"),
    ("人才公寓", "套", "talent_housing"),
    ("新发展党员", "名", "new_party_members"),
    ("两新组织党组织", "个", "new_sector_orgs"),
    ("选调优秀年轻干部", "名", "young_cadres"),
    ("村集体经营性收入", "元", "collective_income"),
])
def test_match_metric(subject, unit, metric):
    assert match_metric(subject, unit) == metric


def test_unit_must_fit_the_metric_family():
    # A count of funding programmes is not an amount of money, and a rate is not a head count.
    assert match_metric("统筹乡村振兴资金", "个") != "funds"
    assert match_metric("党员", "%") != "party_members"


def test_unknown_subject_has_no_metric():
    assert match_metric("新植苗木", "株") is None


def test_a_fact_counted_in_the_wrong_measure_word_is_not_a_value_of_the_metric():
    from briefgen.extract.metrics import load_metrics, unit_fits

    talent = load_metrics()["talent_introduced"]
    assert unit_fits(talent, "名") and unit_fits(talent, "人")
    assert not unit_fits(talent, "项") and not unit_fits(talent, "元")
    assert match_metric("引进高层次人才", "项") != "talent_introduced"
