"""Chinese numbers: numerals, digit widths, separators and multipliers."""

import re

import pytest

from briefgen.extract.chinese_numbers import (NUMERAL_PATTERN, parse_arabic, parse_chinese, parse_chinese_decimal,
                                              parse_quantity, to_halfwidth)


@pytest.mark.parametrize("text, value", [
    ("三", 3), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("二十五", 25), ("一百零八", 108),
    ("三百", 300), ("两千三百", 2300), ("一万五千", 15000), ("十万", 100000), ("三亿", 300000000),
    ("一亿二千万", 120000000), ("〇", 0),
])
def test_parse_chinese(text, value):
    assert parse_chinese(text) == value


@pytest.mark.parametrize("text", ["", "三a", "第三", "百分"])
def test_parse_chinese_rejects_non_numerals(text):
    with pytest.raises(ValueError):
        parse_chinese(text)


@pytest.mark.parametrize("text, value", [
    ("42", 42.0), ("3,000", 3000.0), ("3 000", 3000.0), ("1,234,567", 1234567.0), ("１２．５", 12.5),
    ("３，０００", 3000.0), ("12\n345", 12345.0), ("0.75", 0.75),
])
def test_parse_arabic(text, value):
    assert parse_arabic(text) == value


@pytest.mark.parametrize("number, mult, value", [
    ("1.24", "万", 12400.0), ("12", "万", 120000.0), ("22", "亿", 2200000000.0), ("5050", "万", 50500000.0),
    ("147.6", "万", 1476000.0), ("3", "千万", 30000000.0), ("七", None, 7.0), ("8", None, 8.0),
])
def test_parse_quantity_folds_multipliers(number, mult, value):
    assert parse_quantity(number, mult) == value


@pytest.mark.parametrize("number, mult, value", [
    ("九千九百一十八点五", "万", 99185000.0), ("二百四十一万", None, 2410000.0), ("三十二点四", None, 32.4),
    ("九十九点九", None, 99.9), ("一万二千", None, 12000.0), ("十二", "万", 120000.0), ("一千", "万", 10000000.0),
])
def test_parse_quantity_reads_chinese_decimals(number, mult, value):
    assert parse_quantity(number, mult) == value


@pytest.mark.parametrize("text", ["三点", "点五", "三点十", "三点五点五"])
def test_parse_chinese_decimal_rejects_malformed_decimals(text):
    with pytest.raises(ValueError):
        parse_chinese_decimal(text)


@pytest.mark.parametrize("text, number", [
    ("九千九百一十八点五万名", "九千九百一十八点五"), ("二百四十一万名", "二百四十一万"), ("一万二千人", "一万二千"),
    ("三亿五千万元", "三亿五千万"), ("一百零八将", "一百零八"), ("两千余个", "两千"),
    # Written digit by digit or run together, the numerals are no number beyond the first well-formed part.
    ("十四五期间", "十四"), ("二〇二三年", "二"),
])
def test_numeral_pattern_is_a_grammar_not_a_run(text, number):
    assert re.compile(NUMERAL_PATTERN, re.VERBOSE).match(text)[0] == number


def test_to_halfwidth():
    assert to_halfwidth("９８．５％") == "98.5%"
