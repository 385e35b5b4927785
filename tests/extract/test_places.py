"""Places: a document's own region at its own level, and sentences about other regions."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.documents import Document
from briefgen.extract import extract_document
from briefgen.extract.places import level_words


def doc(text: str, name: str = "t.txt") -> Document:
    return Document(Path(name), name, "txt", "utf-8", text, "0" * 64)


def own(text: str):
    seg = extract_document(doc(text), {}).segmentation
    return seg.regions[0] if seg.regions else None


def test_a_district_named_once_by_its_short_name_is_the_documents_region():
    region = own("萧山：党建引领基层治理见实效\n"
                 "2023年，全区各级党组织扎实推进基层治理，区委组织部牵头建立联系制度。\n"
                 "全区新建党群服务中心18个，我区网格员队伍持续壮大。")
    assert (region.name, region.level, region.path) == ("萧山区", "county", ("浙江省", "杭州市", "萧山区"))
    assert region.en == "Xiaoshan District"


def test_a_county_report_stays_the_countys_though_its_prefecture_is_never_named():
    region = own("霍邱县：抓党建促乡村振兴\n霍邱县坚持把抓党建促乡村振兴作为一号工程，全县372个村全部完成换届。\n"
                 "全县培训村干部1100余人次。县委组织部统筹推进。")
    assert (region.name, region.level, region.parent) == ("霍邱县", "county", "六安市")


def test_a_county_named_with_its_prefecture_is_not_rolled_up():
    region = own("六安市霍邱县：党建引领产业发展\n近年来，霍邱县聚焦产业振兴，全县新建产业基地26个，县委书记带头抓。")
    assert region.name == "霍邱县"


def test_a_town_feature_is_the_towns():
    region = own("塘栖镇：古镇新颜\n塘栖镇地处余杭区北部。近年来，全镇坚持党建引领，镇党委推动全镇12个村集体经济全部超过100万元，"
                 "全镇党员1800余名。")
    assert (region.name, region.level, region.path[-2]) == ("塘栖镇", "township", "临平区")


def test_a_national_wire_is_the_countrys_and_its_provinces_keep_their_figures():
    x = extract_document(doc("新华社北京3月1日电 全国组织部长会议召开。截至2023年底，全国党员总数9900余万名，全国基层党组织"
                             "517万个。浙江省持续深化基层治理，新建党群服务中心2100个。全国各地积极推进。"), {})
    assert x.segmentation.regions[0].level == "country"
    by_value = {f.value: f.region for f in x.facts}
    assert by_value[5170000] == "中华人民共和国" and by_value[2100] == "浙江省"


def test_a_provincial_bulletin_gives_each_citys_sentence_to_that_city():
    x = extract_document(doc("全省人才工作综述\n全省上半年新引进各类人才21万名。赣州市聚焦产业发展，新引进人才1.9万名，"
                             "其中博士120名。九江市新建人才驿站15个。全省举办招聘会560场。"), {})
    assert x.segmentation.regions[0].name == "江西省"
    regions = {f.value: f.region for f in x.facts}
    assert regions == {210000: "江西省", 19000: "赣州市", 120: "赣州市", 15: "九江市", 560: "江西省"}
    levels = {f.value: f.region_level for f in x.facts}
    assert levels[19000] == "prefecture" and levels[210000] == "province"
    assert {f.region_path for f in x.facts if f.value == 15} == {"江西省 › 九江市"}


def test_a_helpers_inputs_are_the_helpers_and_outcomes_the_helped_places():
    x = extract_document(doc("铜仁市印江县东西部协作工作综述\n2021年，苏州市向印江县投入财政帮扶资金9000万元；"
                             "选派挂职干部8名到印江县开展帮扶。印江县全县新建扶贫车间21个，带动就业1300人。"
                             "全县农村居民人均可支配收入增长9.1%。县委统筹推进。"), {})
    assert x.segmentation.regions[0].name == "印江土家族苗族自治县"
    regions = {f.value: f.region for f in x.facts}
    assert regions[90000000] == "苏州市" and regions[8] == "苏州市"
    assert regions[21] == "印江土家族苗族自治县" and regions[1300] == "印江土家族苗族自治县"


def test_traditional_script_and_level_words():
    assert own("順德區：基層治理新探索\n全區各級黨組織積極行動，區委組織部牽頭，全區新建黨群服務站46個。").name == "顺德区"
    assert level_words("全縣…我縣…縣委…全省")["县"] > level_words("全縣…我縣…縣委…全省")["省"]


def test_a_former_name_is_its_successor():
    region = own("思茅市组织工作会议召开\n2006年，全市新发展党员1200名，市委组织部部署全市组织工作。")
    assert region.name == "普洱市"


@pytest.mark.parametrize("text", ["和平发展，平安中国\n全市推进", "新会议精神传达到全市。"])
def test_county_short_names_that_are_words_are_not_places(text):
    assert own(text) is None


def test_a_town_the_code_table_lacks_is_found_by_its_name_under_the_county_named():
    region = own("望湖镇：小镇大变化\n望湖镇位于霍邱县东部。近年来，全镇坚持党建引领，镇党委推动全镇新建产业基地6个，全镇党员900余名。")
    assert (region.name, region.level, region.path) == ("望湖镇", "township", ("安徽省", "六安市", "霍邱县", "望湖镇"))
    assert region.en == "Wanghu Town"


def test_a_village_report_is_the_villages_under_its_town():
    region = own("红星村：一个村的振兴路\n红星村位于塘栖镇西部。近年来，全村党员带头创业，我村集体经济收入突破200万元，"
                 "全村新建农家乐26家。")
    assert (region.name, region.level, region.parent) == ("红星村", "village", "塘栖镇")
    assert region.en == "Hongxing Village"
