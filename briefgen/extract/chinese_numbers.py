"""Chinese numbers: Arabic digits in any width and grouping, Chinese numerals, 万/亿 multipliers."""

from __future__ import annotations

import re
from typing import Final

# Constants are Final: compiled, each use is then a C static, not a look-up in the module's globals.
# Full-width digits and punctuation that appear inside numbers (１２．５, ３，０００).
_WIDTH: Final = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_DIGITS: Final = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
           "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS: Final = {"十": 10, "百": 100, "千": 1000}
_LARGE_UNITS: Final = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS: Final = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "十万": 100_000,
               "百万": 1_000_000, "千万": 10_000_000, "亿": 100_000_000}
# Longest first, so 千万 is one ten-million and not a thousand times 万.
_MULTIPLIERS_LONGEST_FIRST: Final = sorted(MULTIPLIERS, key=len, reverse=True)
CHINESE_NUMERAL_CHARS: Final = "零〇一二两三四五六七八九十百千万亿"
DECIMAL_POINT: Final = "点"  # 九千九百一十八点五: the digits after it are read one by one
# A Chinese numeral written the way it is read (for re.VERBOSE, inside a larger pattern). It is a
# grammar, not a run of numeral characters: 十四五 or 二〇二三 are no numbers (a plan's name, a year
# read digit by digit), and a match is at most a few dozen characters long, however long the run.
_D = "[一二两三四五六七八九]"
_Z = "[零〇]"
_SECTION = rf"""(?:                                 # a number below ten thousand:
      {_D}千 (?:{_Z}?{_D}百)? (?:{_Z}?{_D}十)? (?:{_Z}?{_D})?   # 两千三百, 一千零八
    | {_D}百 (?:{_Z}?{_D}十)? (?:{_Z}?{_D})?                    # 二百四十一, 一百零八
    | {_D}?十 {_D}?                                             # 十二, 二十五 (a bare 十 is one ten)
    | {_D} )                                                    # 三
"""
NUMERAL_PATTERN: Final = rf"""(?:
      {_SECTION} 亿 (?: {_Z}? {_SECTION} 万 )? (?: {_Z}? {_SECTION} )?   # 三亿五千万
    | {_SECTION} 万 (?: {_Z}? {_SECTION} )?                             # 一万二千, 二百四十一万
    | {_SECTION} )
  (?: {DECIMAL_POINT} [零〇一二三四五六七八九]++ | )   # 点五: digits given back never end on a unit
"""
# Everything that is not a digit or a decimal point is a separator: thousands commas, spaces
# and the line breaks of hard-wrapped text.
_NOT_NUMBER: Final = re.compile(r"[^0-9.]")


def to_halfwidth(text: str) -> str:
    """Full-width digits, point, comma and percent sign folded to ASCII."""
    return text.translate(_WIDTH)


def parse_arabic(text: str) -> float:
    """An Arabic number with optional full-width digits, thousands separators or spaces."""
    if text.isascii() and text.isdigit():  # the common case, nothing to clean
        return float(text)
    cleaned = _NOT_NUMBER.sub("", to_halfwidth(text))
    if not cleaned or cleaned.count(".") > 1 or cleaned in {"."}:
        raise ValueError(f"not a number: {text!r}")
    return float(cleaned)


def parse_chinese(text: str) -> int:
    """A Chinese numeral (三, 十二, 两千三百, 一万五千) as an integer; ValueError if not one."""
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    total, section, digit = 0, 0, None
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            # A bare 十 means one ten (十二 = 12).
            section += (1 if digit is None else digit) * _SMALL_UNITS[c]
            digit = None
        else:
            section += digit or 0
            total = (total + section) * _LARGE_UNITS[c] if c == "亿" else total + section * _LARGE_UNITS[c]
            section, digit = 0, None
    return total + section + (digit or 0)


def parse_chinese_decimal(text: str) -> float:
    """A Chinese numeral with optional decimals (三十二点四 → 32.4); ValueError if not one."""
    whole, point, decimals = text.partition(DECIMAL_POINT)
    if point and (not decimals or any(c not in _DIGITS for c in decimals)):
        raise ValueError(f"not a Chinese number: {text!r}")
    value = float(parse_chinese(whole))
    # The decimals as the string they spell, so that 点四 is 0.4 and not 0.4000000000000001.
    return float(f"{value:.0f}.{''.join(str(_DIGITS[c]) for c in decimals)}") if decimals else value


def parse_quantity(number: str, multiplier: str | None = None) -> float:
    """Arabic or Chinese number times an optional multiplier (1.24 万 → 12400, 九点五 万 → 95000)."""
    if not multiplier and number.isascii() and number.isdigit():
        return float(number)  # the common case: an integer float, which rounding leaves alone
    if number and not number.strip(CHINESE_NUMERAL_CHARS + DECIMAL_POINT):
        value = parse_chinese_decimal(number)  # parse_arabic would reject it, at an exception's cost
    else:
        try:
            value = parse_arabic(number)
        except ValueError:
            value = parse_chinese_decimal(number)
    rest = "".join(multiplier.split()) if multiplier else ""
    while rest:
        key = next((k for k in _MULTIPLIERS_LONGEST_FIRST if rest.startswith(k)), None)
        if key is None:
            raise ValueError(f"not a multiplier: {multiplier!r}")
        value, rest = value * MULTIPLIERS[key], rest[len(key):]
    # Round away binary noise such as 1.24 * 10000 = 12400.000000000002. A whole number (most of
    # them: 3万, 1.5万) rounds to itself; compiled, round() is a generic call on the builtins.
    return value if value.is_integer() else round(value, 6)
