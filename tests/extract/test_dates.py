"""Tests for dates.py: every text here is invented, about regions outside the seeds and unseen sets."""

from __future__ import annotations

import pytest

from briefgen.extract.dates import DocDate, cn_numeral_year, document_date, find_dates, report_year, time_basis


def _ymd(d: DocDate | None) -> tuple[int, int | None, int | None, str] | None:
    return None if d is None else (d.year, d.month, d.day, d.source)


# ---------------------------------------------------------------- document_date: forms found

DOCUMENT_CASES = [
    # ISO-ish line with a clock time and a source label (label wins: it is a labelled line)
    ("柯桥区：党建联盟激活产业链\n\n2024-07-02 10:32　　来源：区委组织部　　浏览次数：933\n\n今年以来，柯桥区……",
     (2024, 7, 2, "label")),
    # slashes, no padding, standing alone under the title
    ("泉州市推进“红色物业”全覆盖\n2024/7/2\n泉州市把物业服务企业纳入社区治理体系。", (2024, 7, 2, "top")),
    # dots, with a weekday
    ("赣州市人才工作简报\n2024.07.02 星期二\n一、总体情况", (2024, 7, 2, "top")),
    # publication label with a full-width colon and full-width digits
    ("遵义市组织部门开展“双联系”活动\n发布日期：２０２４－０３－１８\n遵义市各级组织部门……", (2024, 3, 18, "label")),
    # 发布时间 in brackets at the end of the head block
    ("包头市：以“小网格”撬动“大治理”\n【发布时间：2023-11-06 09:15】\n包头市深化党建引领网格化治理……",
     (2023, 11, 6, "label")),
    # 来源 first, the date later in the same line
    ("延吉市选派干部驻村工作纪实\n来源：延吉市融媒体中心　　2024年7月2日\n春耕时节，延吉市……", (2024, 7, 2, "label")),
    # 时间: as a field label
    ("德清县2023年度组织工作情况\n时间：2024年1月9日　作者：县委组织部\n一年来，德清县委组织部……",
     (2024, 1, 9, "label")),
    # 日期: without padding
    ("晋江市人才新政解读\n日期:2022-9-5\n为进一步……", (2022, 9, 5, "label")),
    # Chinese-numeral signature date at the end
    ("昆山市关于加强村级组织建设的意见\n各镇党委：\n现将有关意见印发给你们，请结合实际认真贯彻落实。\n"
     "一、总体要求\n……\n二、重点任务\n……\n中共昆山市委组织部\n二〇二一年七月五日",
     (2021, 7, 5, "bottom")),
    # ○ and 零 for zero, and a two-character day
    ("常德市委组织部关于做好年度考核工作的通知\n各区县（市）委组织部：\n一、考核对象\n……\n二、考核内容\n"
     "……请认真贯彻执行。\n\n二○二二年十二月二十三日", (2022, 12, 23, "bottom")),
    ("九江市组织工作要点\n二零一九年三月\n一、指导思想", (2019, 3, None, "top")),
    # a year alone, in Chinese numerals
    ("丽水市组织工作年鉴\n二〇〇七年\n概述", (2007, None, None, "top")),
    # bracketed date on the line after the title
    ("安顺市委组织部2021年上半年工作总结\n（2021年6月）\n今年以来，安顺市委组织部……", (2021, 6, None, "bracket")),
    # bracketed date opening a longer bracket on the title line itself
    ("北海市委组织部工作报告（2022年1月10日在全市组织工作会议上）\n同志们：\n过去一年……",
     (2022, 1, 10, "bracket")),
    # a stray space inside a signature date
    ("玉溪市某镇党委书记抓基层党建述职报告\n一、履职情况\n……\n二、存在问题\n……\n三、下步打算\n……\n"
     "述职人：某某\n2023年12月31 日", (2023, 12, 31, "bottom")),
    # full-width digits in a signature line
    ("榆林市党员教育培训计划\n一、目标\n……\n二、内容\n……\n三、保障\n……\n２０２３年１２月",
     (2023, 12, None, "bottom")),
    # wire dateline with the year inside it
    ("新华社贵阳2024年3月12日电（记者 某某）遵义市日前……", (2024, 3, 12, "dateline")),
    # wire dateline whose year comes from the periodical issue line above it
    ("《组织建设》2024年第6期\n铜陵：网格连心\n新华社合肥3月12日电 铜陵市……", (2024, 3, 12, "dateline")),
    # label beats a standalone line lower down
    ("莆田市人才工作\n2023年12月1日\n发布时间：2023-12-05\n正文", (2023, 12, 5, "label")),
    # top beats bottom
    ("嘉兴市组织工作\n2024-01-05\n一、概况\n……\n二、做法\n……\n三、成效\n……\n2024-02-01", (2024, 1, 5, "top")),
    # compact digits after a label, and 号 for 日
    ("赣州市发布人才公告\n发布日期：20240702\n根据……", (2024, 7, 2, "label")),
    ("铜陵市委组织部\n2024年7月2号　星期二\n铜陵市……", (2024, 7, 2, "top")),
]


@pytest.mark.parametrize("text, expected", DOCUMENT_CASES)
def test_document_date_forms(text: str, expected: tuple[int, int | None, int | None, str]) -> None:
    assert _ymd(document_date(text)) == expected


def test_document_date_span_points_at_the_date_in_the_original_text() -> None:
    text = "衢州市组织工作简报\n发布日期：２０２４－０３－１８\n正文"
    d = document_date(text)
    assert d is not None and text[d.start:d.end] == "２０２４－０３－１８"


def test_title_argument_locates_the_title_line_for_brackets() -> None:
    text = "衢州日报\n大理州推进“党建+边境治理”\n（2023年8月）\n大理州……"
    assert _ymd(document_date(text, title="大理州推进“党建+边境治理”")) == (2023, 8, None, "bracket")


# ---------------------------------------------------------------- document_date: what is not a date

NO_DOCUMENT_DATE = [
    # a date in the body's running text
    "曲靖市召开组织工作会议\n2023年3月5日，曲靖市委召开全市组织工作会议，部署全年任务。\n会议指出……",
    # a date mid-paragraph near the end
    "荆楚某县工作动态\n正文……\n该县于2023年3月5日召开会议，研究部署相关工作。",
    # a wire dateline with no year near it
    "新华社北京3月12日电（记者 某某）记者12日获悉，截至2023年12月31日，全国……",
    # a meeting time is not a publication label
    "柯桥区关于召开党建工作推进会的通知\n会议时间：2024年5月8日上午9:00\n地点：区行政中心",
    # out of range: 2050
    "衢州市面向2050年远景目标\n2050年\n正文",
    # ordinals, counts and hotlines are not years
    "第20届党员代表大会\n20个\n2023人\n举报电话：12380",
    # 日电 of 电视台 is not a wire dateline
    "某县新闻\n2024年3月12日电视台播出专题片，介绍该县“村播”带富经验。",
    "",
    "\n\n  \n",
]


@pytest.mark.parametrize("text", NO_DOCUMENT_DATE)
def test_document_date_not_taken(text: str) -> None:
    assert document_date(text) is None


# ---------------------------------------------------------------- find_dates: the parser

@pytest.mark.parametrize("text, expected", [
    ("截至20211231日，全县共有党员", [(2021, 12, 31)]),
    ("２０２３年", [(2023, None, None)]),
    ("2023年12月31 日", [(2023, 12, 31)]),
    ("二O二一年", [(2021, None, None)]),
    ("比2022年增长3.5%，党员2023人", [(2022, None, None)]),
    ("第20届、20个、12380、2023人、1949年、1948年", [(1949, None, None)]),
    ("金额12023.5万元，增长2023.5万", []),
    ("2024.7.2、2024.07、2024/07/02", [(2024, 7, 2), (2024, 7, None), (2024, 7, 2)]),
])
def test_find_dates(text: str, expected: list[tuple[int, int | None, int | None]]) -> None:
    assert [(d.year, d.month, d.day) for d in find_dates(text)] == expected


# ---------------------------------------------------------------- cn_numeral_year

@pytest.mark.parametrize("text, expected", [
    ("二〇二一", 2021), ("二零二一", 2021), ("一九九九", 1999), ("二○二二年", 2022),
    ("二〇五〇", None), ("一九四八", None), ("二〇二", None), ("二十二年", None), ("2021", None),
])
def test_cn_numeral_year(text: str, expected: int | None) -> None:
    assert cn_numeral_year(text) == expected


# ---------------------------------------------------------------- report_year: one test per branch

def test_report_year_from_title() -> None:
    assert report_year("正文……", title="包头市2023年组织工作总结") == 2023


def test_report_year_from_first_line_when_no_title() -> None:
    assert report_year("泉州市二〇二二年人才工作综述\n一年来，全市……") == 2022


def test_report_year_title_range_takes_its_end() -> None:
    assert report_year("", title="赣州市2021—2023年基层党建三年行动总结") == 2023


def test_report_year_title_ignores_bracketed_issue_date() -> None:
    # a speech given in January 2022 about 2021: the bracketed date is the issue date
    text = "北海市委组织部工作报告（2022年1月10日在全市组织工作会议上）\n2021年，全市组织系统……\n2021年，全市……"
    assert report_year(text) == 2021


def test_report_year_title_skips_since_year_and_out_of_range() -> None:
    assert report_year("2019年，……", title="面向2050年远景 2012年以来的变化") == 2019


def test_report_year_from_cutoff_in_opening() -> None:
    text = "遵义市党内统计公报\n截至2021年6月底，全市共有党员25.3万名。\n2020年，全市发展党员……"
    assert report_year(text) == 2021


def test_report_year_from_damaged_cutoff() -> None:
    assert report_year("玉溪市党员队伍情况\n截至20211231日，全市共有党员……") == 2021


def test_report_year_most_frequent_paragraph_year() -> None:
    text = ("延吉市组织工作情况\n一、2022年，延吉市深入推进……\n2023年，计划……\n"
            "（二）2022年，全市新发展党员……\n2022年，全市培训干部……")
    assert report_year(text) == 2022


def test_report_year_paragraph_years_skip_since_and_dates() -> None:
    text = "德清县组织工作\n2024年1月9日\n2018年以来，德清县……\n2019—2023年，全县……\n2023年，全县……"
    assert report_year(text) == 2023


def test_report_year_publication_minus_one_in_early_year_review() -> None:
    text = "昆山市委组织部工作回顾\n发布时间：2024-02-20\n过去一年，昆山市委组织部……"
    assert report_year(text) == 2023


def test_report_year_publication_year_otherwise() -> None:
    text = "昆山市委组织部动态\n发布时间：2024-06-20\n今年以来，昆山市委组织部……"
    assert report_year(text) == 2024


def test_report_year_given_doc_date_is_used() -> None:
    given = DocDate(2020, 1, 15, "label", 0, 0)
    assert report_year("九江市工作回顾\n一年来，九江市……", doc_date=given) == 2019


def test_report_year_none_without_any_year() -> None:
    assert report_year("常德市组织工作\n全市组织系统坚持……") is None


# ---------------------------------------------------------------- time_basis

@pytest.mark.parametrize("sentence, expected", [
    # point
    ("截至2023年底，全市共有党员12.6万名", "point"),
    ("目前，全县有农村党支部312个", "point"),
    ("全区现有社区“两委”干部1480人", "point"),
    ("莆田市党员总数为21万名", "point"),
    ("年末全市人才资源总量达到86万人", "point"),
    ("全市人才资源总量达到86万人", "point"),
    # period
    ("全年新发展党员1860名", "period"),
    ("2023年，全市培训基层干部1.2万人次", "period"),
    ("今年以来，共排查整顿软弱涣散村党组织47个", "period"),
    ("3月以来，全县选派驻村工作队员260人", "period"),
    ("上半年新建党群服务中心18个", "period"),
    ("一季度新引进博士42名", "period"),
    ("今年新增“两新”组织党组织56个", "period"),
    ("举办培训班26期", "period"),
    ("接近年底时，全县开展培训班12期", "point"),  # 年底: 接近年底 is not 近年
    ("从年初至今年6月，新建党群服务站15个", "period"),  # 至今年 is not 至今
    # multi_year
    ("三年来，全市累计选派第一书记620名", "multi_year"),
    ("五年来，全县发展党员3400名", "multi_year"),
    ("近年来，全区建成党建示范点85个", "multi_year"),
    ("30年来，全市干部队伍结构持续优化", "multi_year"),
    ("党的十八大以来，全省共查处违规选人用人问题230件", "multi_year"),
    ("建市以来，先后引进各类人才8万余人", "multi_year"),
    ("2019—2023年，全市新建村级活动场所410个", "multi_year"),
    ("2018年以来，全市新建党群服务中心120个", "multi_year"),  # no reference year: looks back
    ("历年来共表彰优秀共产党员1.6万名", "multi_year"),
    ("截至2023年底，累计培训党员干部8.7万人次", "multi_year"),
    ("“十三五”以来，全市引进高层次人才530名", "multi_year"),
    # not years: ordinals, counts, hotlines
    ("第20届运动会设20个项目，2023人参赛", "period"),
    ("开通12380举报平台，现有受理员6名", "point"),
])
def test_time_basis(sentence: str, expected: str) -> None:
    assert time_basis(sentence) == expected


def test_time_basis_since_year_against_reference() -> None:
    sentence = "2022年以来，全区新建红色驿站32个"
    assert time_basis(sentence, ref_year=2022) == "period"
    assert time_basis(sentence, ref_year=2024) == "multi_year"
    assert time_basis(sentence) == "multi_year"  # no reference: a since-year looks back over years
    assert time_basis("2023年以来，比2022年新增社区党组织6个") == "period"


# ---------------------------------------------------------------- never raises

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies
DATEY = "0123456789０１２３年月日号-/.:：（）()【】〇○零一二三四五六七八九十 \n截至止发布时间日期来源新华社北京电第期以来"


@hypothesis.given(st.text(alphabet=DATEY) | st.text(), st.text(max_size=30))
@hypothesis.settings(max_examples=400, deadline=None)
def test_functions_never_raise(text: str, title: str) -> None:
    d = document_date(text, title)
    if d is not None:
        assert 1949 <= d.year <= 2049 and 0 <= d.start < d.end <= len(text)
    y = report_year(text, title)
    assert y is None or 1948 <= y <= 2049
    assert time_basis(text) in ("point", "period", "multi_year")
    for found in find_dates(text):
        assert 1949 <= found.year <= 2049
