"""Chinese numbers: numerals, digit widths, separators and multipliers."""

import pytest

from briefgen.extract.chinese_numbers import parse_arabic, parse_chinese, parse_quantity, to_halfwidth


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


def test_to_halfwidth():
    assert to_halfwidth("９８．５％") == "98.5%"
