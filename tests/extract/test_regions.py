"""Regions: the gazetteer as regions at every level, their names, chains and mention finding."""

from __future__ import annotations

import pytest

from briefgen.extract.regions import load_gazetteer, make_functional_region, matches, split_name


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_gazetteer_is_national_and_cached(gaz):
    assert load_gazetteer() is gaz
    regions = gaz.regions(("province", "prefecture", "county", "township"))
    assert sum(r.level == "province" for r in regions) >= 33
    assert sum(r.level == "prefecture" for r in regions) > 300
    assert sum(r.level == "county" for r in regions) > 2800
    assert sum(r.level == "township" for r in regions) > 38000
    assert not [r for r in regions if r.name in ("市辖区", "县", "省直辖县级行政区划")]


@pytest.mark.parametrize("query", ["中山", "中山市", " 中山 "])
def test_lookup_by_short_or_full_name_prefers_cities(gaz, query):
    best = gaz.lookup(query)[0]
    assert (best.name, best.short, best.en, best.province, best.level, best.code, best.path) == (
        "中山市", "中山", "Zhongshan", "广东省", "prefecture", "442000", ("广东省", "中山市"))


@pytest.mark.parametrize("name,en,level", [
    ("神农架林区", "Shennongjia Forestry District", "county"),
    ("仙桃市", "Xiantao", "county"),
    ("襄阳市", "Xiangyang", "prefecture"),
    ("汉中市", "Hanzhong", "prefecture"),
    ("西安市", "Xi'an", "prefecture"),
    ("陕西省", "Shaanxi", "province"),
    ("新会区", "Xinhui District", "county"),
    ("恩施土家族苗族自治州", "Enshi Autonomous Prefecture", "prefecture"),
    ("广西壮族自治区", "Guangxi", "province"),
])
def test_english_names(gaz, name, en, level):
    region = gaz.lookup(name)[0]
    assert (region.name, region.en, region.level) == (name, en, level)


def test_short_names_drop_suffix_and_ethnic_names():
    assert split_name("深圳市") == ("深圳", "市")
    assert split_name("恩施土家族苗族自治州") == ("恩施", "自治州")
    assert split_name("新疆维吾尔自治区") == ("新疆", "自治区")
    assert split_name("神农架林区") == ("神农架", "林区")
    assert split_name("忠县") == ("忠县", "")  # a one-character core keeps its suffix


@pytest.mark.parametrize("name,level,path", [
    ("新会区", "county", ("广东省", "江门市", "新会区")), ("武侯区", "county", ("四川省", "成都市", "武侯区")),
    ("仙桃市", "county", ("湖北省", "仙桃市")), ("孟津区", "county", ("河南省", "洛阳市", "孟津区")),
    ("禾洞镇", "township", ("广东省", "清远市", "连山壮族瑶族自治县", "禾洞镇")),
])
def test_every_level_keeps_its_own_name_and_the_chain_above_it(gaz, name, level, path):
    # Nothing is rolled up: a county is the county, its prefecture only its parent.
    (region,) = [r for r in gaz.lookup(name) if r.name == name]
    assert (region.level, region.path, region.parent) == (level, path, path[-2])


@pytest.mark.parametrize("former,current", [("孟津县", "孟津区"), ("莱芜市", "济南市"), ("思茅市", "普洱市")])
def test_a_former_name_is_found_as_its_successor(gaz, former, current):
    (mention,) = gaz.find_mentions(f"{former}召开会议")
    assert mention.regions[0].name == current


def test_township_names_are_found_and_ambiguous_ones_keep_every_candidate(gaz):
    found = gaz.find_mentions("禾洞镇和城关镇")
    assert [m.regions[0].name for m in found] == ["禾洞镇", "城关镇"]
    assert len(found[1].regions) > 50 and found[0].regions[0].level == "township"


@pytest.mark.parametrize("name,en", [("乌鲁木齐市", "Urumqi"), ("呼和浩特市", "Hohhot"), ("拉萨市", "Lhasa"),
                                     ("齐齐哈尔市", "Qiqihar"), ("哈尔滨市", "Harbin"), ("鄂尔多斯市", "Ordos"),
                                     ("泰安市", "Tai'an"), ("鄞州区", "Yinzhou District")])
def test_conventional_english_names(gaz, name, en):
    assert gaz.lookup(name)[0].en == en


def test_functional_area_is_named_after_its_city(gaz):
    area = make_functional_region("天府", "新区", gaz.lookup("成都")[0])
    assert (area.name, area.short, area.en, area.province, area.level, area.path) == (
        "成都市天府新区", "天府", "Tianfu New District", "四川省", "functional", ("四川省", "成都市", "成都市天府新区"))
    assert matches(area, "天府") and matches(area, "tianfu") and matches(area, "成都市天府新区")
    assert not matches(area, "成都")



def test_matches_accepts_short_full_pinyin_and_english_names(gaz):
    jiangmen, xinhui = gaz.lookup("江门市")[0], gaz.lookup("新会区")[0]
    for _ in range(2):  # the second round answers from the per-region key cache
        for query in ("江门", "江门市", "jiangmen", " JiangMen ", "Jiang-men", "Jiangmen"):
            assert matches(jiangmen, query), query
        assert matches(xinhui, "新会") and matches(xinhui, "xinhui") and matches(xinhui, "新会区")
        assert not matches(jiangmen, "新会") and not matches(xinhui, "江门") and not matches(jiangmen, "jiang")
        assert matches(jiangmen, "Jiangmen City") and matches(xinhui, "Xinhui District") and matches(xinhui, "xinhui district")

def test_find_mentions_longest_match_traditional_and_not_places(gaz):
    text = "孙中山故居位于中山市。臺山市與新會區、恩施州、江苏代表团，广州市越秀區。"
    found = [(text[m.start:m.end], m.regions[0].name) for m in gaz.find_mentions(text)]
    assert found == [("中山市", "中山市"), ("臺山市", "台山市"), ("新會區", "新会区"),
                     ("恩施州", "恩施土家族苗族自治州"), ("江苏", "江苏省"), ("广州市", "广州市"),
                     ("越秀區", "越秀区")]


def test_matches_answers_as_every_key_would(gaz):
    # A Chinese query is answered from the two Chinese names alone; that must agree with the
    # whole key set (names, English, pinyin) for every kind of query.
    from briefgen.extract.regions import _ascii_key, _match_keys

    sample = gaz.regions()[::37]
    queries = [q for r in sample[::5] for q in (r.name, r.short, f" {r.short} ", r.en, r.en.upper(),
                                                 "".join(_match_keys(r) - {r.name, r.short, _ascii_key(r.en)}))]
    assert len(sample) > 50 and len(queries) > 60
    for region in sample:
        keys = _match_keys(region)
        for query in queries:
            assert matches(region, query) == (query.strip() in keys or _ascii_key(query) in keys), (region, query)


def test_county_short_names_do_not_match_words(gaz):
    # 新会 (a county) and 和平 (several districts) are ordinary words without their suffix.
    assert gaz.find_mentions("新会议精神，和平发展") == []


def test_ambiguous_county_names_keep_every_candidate(gaz):
    (mention,) = gaz.find_mentions("鼓楼区")
    assert len({r.code for r in mention.regions}) >= 3


def test_a_place_name_that_names_an_institution_is_not_a_mention():
    gaz = load_gazetteer()
    assert gaz.find_mentions("与四川大学、绵阳师范学院合作,举办绵阳杯竞赛") == []
    assert [m.regions[0].name for m in gaz.find_mentions("成都公园城市建设,绵阳市委部署")] == ["成都市", "绵阳市"]
