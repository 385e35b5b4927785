"""The national gazetteer: names, English names, attribution to cities, and mention finding."""

from __future__ import annotations

import pytest

from briefgen.extract.regions import load_gazetteer, make_functional_region, matches, split_name


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def test_gazetteer_is_national_and_cached(gaz):
    assert load_gazetteer() is gaz
    provinces = [r for r in gaz.regions if r.level == "province"]
    assert len(provinces) == 34
    assert sum(r.level == "prefecture" for r in gaz.regions) > 300
    assert sum(r.level == "county" for r in gaz.regions) > 2800
    assert not [r for r in gaz.regions if r.name in ("市辖区", "县", "省直辖县级行政区划")]


@pytest.mark.parametrize("query", ["中山", "中山市", "zhongshan", "ZhongShan", " Zhongshan "])
def test_lookup_by_short_full_or_pinyin_prefers_cities(gaz, query):
    best = gaz.lookup(query)[0]
    assert (best.name, best.short, best.en, best.province, best.level, best.code) == (
        "中山市", "中山", "Zhongshan", "广东省", "prefecture", "442000")


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


@pytest.mark.parametrize("county,city", [
    ("新会区", "江门市"), ("鹤山市", "江门市"), ("武侯区", "成都市"), ("朝阳区", "北京市"),
    ("仙桃市", "仙桃市"), ("神农架林区", "神农架林区"), ("襄阳市", "襄阳市"),
])
def test_counties_are_attributed_to_their_city(gaz, county, city):
    units = {gaz.unit_of(r).name for r in gaz.lookup(county)}
    assert city in units


def test_functional_area_is_named_after_its_city(gaz):
    area = make_functional_region("天府", "新区", gaz.lookup("成都")[0])
    assert (area.name, area.short, area.en, area.province, area.level) == (
        "成都市天府新区", "天府", "Tianfu New District", "四川省", "functional")
    assert matches(area, "天府") and matches(area, "tianfu") and matches(area, "成都市天府新区")
    assert not matches(area, "成都")



def test_matches_accepts_short_full_pinyin_and_english_names(gaz):
    jiangmen, xinhui = gaz.lookup("江门市")[0], gaz.lookup("新会区")[0]
    for _ in range(2):  # the second round answers from the per-region key cache
        for query in ("江门", "江门市", "jiangmen", " JiangMen ", "Jiang-men", "Jiangmen"):
            assert matches(jiangmen, query), query
        assert matches(xinhui, "新会") and matches(xinhui, "xinhui") and matches(xinhui, "新会区")
        assert not matches(jiangmen, "新会") and not matches(xinhui, "江门") and not matches(jiangmen, "jiang")

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

    sample = list(gaz.regions)[::37]
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
