"""Subjects and quotes: the phrase naming what a number counts, and the span that states it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Final

from briefgen.extract.scan import TextScan
from briefgen.extract.words import ByLength, by_length

# Constants are Final: compiled, each use is then a C static, not a look-up in the module's globals.
_QUOTE_TRIM: Final = " \t\r\n\u3000\u00a0,，。;；:：、"
QUOTE_MIN: Final = 8
QUOTE_MAX: Final = 60


@dataclass(frozen=True)
class _Rules:
    # Word lists as (length, words) pairs, longest first: one slice and one set look-up per
    # length instead of a startswith/endswith per word (these run for every number).
    strip_leading: ByLength
    strip_trailing: ByLength
    verbs: ByLength
    after: re.Pattern  # the run of characters a subject after the number is made of
    after_stop: re.Pattern  # a word that ends it
    year_prefix: re.Pattern
    max_chars: int
    # The first characters of strip_leading words and the last of strip_trailing ones: most
    # phrases start and end with neither, and one set look-up then settles it.
    leading_firsts: frozenset[str]
    trailing_lasts: frozenset[str]
    verb_reach: int  # a subject longer than the longest verb plus 4 is never "verb only"
    verb_lasts: frozenset[str]


_RULES: Final[list[_Rules]] = []  # _rules() once built


def _rules() -> _Rules:
    """The subject rules, built once (find_subject asks for every number: a native call, not lru_cache's)."""
    if not _RULES:
        _RULES.append(_build_rules())
    return _RULES[0]


def _build_rules() -> _Rules:
    data = tomllib.loads(resources.files("briefgen").joinpath("data/facts_rules.toml").read_text("utf-8"))
    s = data["subject"]
    stops = "|".join(map(re.escape, sorted(s["after_stops"], key=len, reverse=True)))
    # The counted phrase after a number: Han characters and bracketed qualifications up to a stop
    # word. Two patterns, a run and a search for the first stop in it, not one with a lookahead
    # at every character: the search skips to the stops' first characters.
    after = re.compile(r"[\u4e00-\u9fff“”()（）]+")
    after_stop = re.compile(stops)
    year_prefix = re.compile(r"^(?:(?:19|20)\d\d年(?:以来|来|度|底|末|起)?|\d{1,2}月(?:份|底)?)+")
    return _Rules(
        strip_leading=by_length(s["strip_leading"]), strip_trailing=by_length(s["strip_trailing"]),
        verbs=by_length(s["verbs"]), after=after, after_stop=after_stop, year_prefix=year_prefix,
        max_chars=s["max_chars"], leading_firsts=frozenset(w[0] for w in s["strip_leading"] if w),
        trailing_lasts=frozenset(w[-1] for w in s["strip_trailing"] if w),
        verb_reach=max(map(len, s["verbs"]), default=-4) + 4, verb_lasts=frozenset(w[-1] for w in s["verbs"] if w))


def _strip(phrase: str, start: int, rules: _Rules) -> tuple[str, int]:
    """Drop clause-level words around a subject; return it with its new start offset."""
    changed = True
    while changed and phrase:
        changed = False
        first = phrase[0]  # read once for both tests: a Han character is a new string at each read
        # A year prefix starts with a digit (\d is a decimal digit).
        m = rules.year_prefix.match(phrase) if first.isdecimal() else None
        if m and m.end():
            phrase, start, changed = phrase[m.end():], start + m.end(), True
            first = phrase[:1]
        if first in rules.leading_firsts:
            for n, words in rules.strip_leading:
                if phrase[:n] in words:
                    phrase, start, changed = phrase[n:], start + n, True
                    break
        if phrase[-1:] in rules.trailing_lasts:
            for n, words in rules.strip_trailing:
                if len(phrase) > n and phrase[-n:] in words:
                    phrase, changed = phrase[:-n], True
                    break
    return phrase.strip(_QUOTE_TRIM), start


def find_subject(text: str, lo: int, num_start: int, tail_end: int, clause_end: int) -> tuple[str, int, int]:
    """Subject phrase of the number at num_start and the span it covers (before and/or after it).

    lo is where the subject may start (clause start or the end of the previous number).
    """
    rules = _rules()
    raw = text[lo:num_start]
    trimmed = raw.lstrip(_QUOTE_TRIM) if raw and raw[0] in _QUOTE_TRIM else raw  # a method call less, mostly
    before, b_start = _strip(trimmed, lo + len(raw) - len(trimmed), rules)
    # 开展131场次送学送课 / 吸引80名海内外博士参与: the counted thing follows the number.
    verb_only = not before
    if not verb_only and len(before) <= rules.verb_reach and before[-1] in rules.verb_lasts:
        verb_only = any(len(before) <= n + 4 and before[-n:] in words for n, words in rules.verbs)
    # Chinese puts the counted noun after number and measure word (建成驿站12个 / 建成12个驿站): when a
    # noun phrase follows, it is what is counted, whatever precedes the number.
    after = ""
    limit = min(clause_end, tail_end + rules.max_chars)
    m = rules.after.match(text, tail_end, limit)
    if m:
        stop = rules.after_stop.search(text, tail_end, limit)
        after = text[tail_end:min(m.end(), stop.start()) if stop else m.end()].rstrip("和及与或、")
    if after:
        subject, s, e = before + after, (b_start if before else num_start), tail_end + len(after)
    else:
        subject, s, e = before, (b_start if before else num_start), tail_end
    if len(subject) > rules.max_chars:
        subject = subject[-rules.max_chars:]
    return subject, s, e


def quote_span(scan: TextScan, start: int, end: int, must: tuple[int, int],
               clause: tuple[int, int] | None = None) -> tuple[int, int]:
    """Widen or narrow [start, end) of the scanned text to a readable 8–60 character quote that keeps `must`.

    `clause` is scan.clause_bounds(must[0]) when the caller already has it.
    """
    text = scan.text
    c_start, c_end = clause or scan.clause_bounds(must[0])
    if end - start < QUOTE_MIN:
        start = min(start, c_start)
    if end - start < QUOTE_MIN:
        end = max(end, c_end)
    if end - start < QUOTE_MIN:
        s_start, _ = scan.clause_bounds(max(c_start - 1, 0))
        start = min(start, s_start) if "\n" not in text[s_start:start] else start
    if end - start > QUOTE_MAX:
        # Keep the number and as much as fits of what precedes it (usually the subject).
        end = max(must[1], min(end, must[0] + QUOTE_MAX // 2))
        start = max(start, end - QUOTE_MAX)
        start = min(start, must[0])
    while start < must[0] and text[start] in _QUOTE_TRIM:
        start += 1
    while end > must[1] and text[end - 1] in _QUOTE_TRIM:
        end -= 1
    return start, end
