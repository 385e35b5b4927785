"""Subjects and quotes: the phrase naming what a number counts, and the span that states it."""

from __future__ import annotations

import bisect
import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from operator import attrgetter
from typing import Final, Iterable

import numpy as np

# Constants are Final: compiled, each use is then a C static, not a look-up in the module's globals.
CLAUSE_END: Final = ",，。;；:：!！?？\n"
SENTENCE_END: Final = "。;；!！?？\n"
_QUOTE_TRIM: Final = " \t\r\n\u3000\u00a0,，。;；:：、"
QUOTE_MIN: Final = 8
QUOTE_MAX: Final = 60


@dataclass(frozen=True)
class _Rules:
    # Word lists as (length, words) pairs, longest first: one slice and one set look-up per
    # length instead of a startswith/endswith per word (these run for every number).
    strip_leading: tuple[tuple[int, frozenset[str]], ...]
    strip_trailing: tuple[tuple[int, frozenset[str]], ...]
    verbs: tuple[tuple[int, frozenset[str]], ...]
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
    return _Rules(by_length(s["strip_leading"]), by_length(s["strip_trailing"]), by_length(s["verbs"]),
                  after, after_stop, year_prefix, s["max_chars"], frozenset(w[0] for w in s["strip_leading"] if w),
                  frozenset(w[-1] for w in s["strip_trailing"] if w), max(map(len, s["verbs"]), default=-4) + 4,
                  frozenset(w[-1] for w in s["verbs"] if w))


def by_length(words) -> tuple[tuple[int, frozenset[str]], ...]:
    """Words grouped by length, longest first: the longest match wins, as in a sorted alternation."""
    lengths = sorted({len(w) for w in words if w}, reverse=True)
    return tuple((n, frozenset(w for w in words if len(w) == n)) for n in lengths)


def alternation(words) -> str:
    """A regex of the words, longest first: the matches of "|".join of them sorted longest first.

    Written as a trie (两次|两轮 is 两(?:次|轮)), so that a character no word goes on with is tried
    once, not once per word; a word ending where a longer one goes on comes after it.
    """
    ends, heads = False, {}  # type: bool, dict[str, list[str]]
    for w in words:
        if w:
            heads.setdefault(w[0], []).append(w[1:])
        else:
            ends = True
    branches = [re.escape(c) + alternation(rest) for c, rest in heads.items()]
    branches += [""] if ends else []
    return "".join(branches) if len(branches) < 2 else "(?:" + "|".join(branches) + ")"


def ends_with_any(text: str, pos: int, table: tuple[tuple[int, frozenset[str]], ...]) -> str | None:
    """The longest word of a by_length table that text[:pos] ends with, or None.

    A set look-up per word length: compiled, str.endswith of a tuple of words tries each in turn.
    """
    for n, words in table:
        if n <= pos and text[pos - n:pos] in words:
            return text[pos - n:pos]
    return None


# The delimiter offsets of the text last asked about, per delimiter set: facts and initiatives
# ask for the bounds of thousands of positions in one document, so the text is scanned once.
_LAST_TEXT: Final[dict[str, tuple[str, list[int]]]] = {}


def delimiters(text: str, ends: str) -> list[int]:
    """Offsets of the characters of `ends` in text, in order (for bounds_at)."""
    hit = _LAST_TEXT.get(ends)
    if hit is not None and hit[0] is text:
        return hit[1]
    # A clause is ~14 characters long: a regex match object per delimiter cost three times
    # what numpy takes to flag them all in the text's code points.
    found = flagged(text, char_class(ends))
    _LAST_TEXT[ends] = (text, found)
    return found


# Every character class asked about (delimiters, where numbers and quotes start) is a bit of
# one table over code points: a text is looked up in it once, not once per class, and each
# class is then a bitwise and (one look-up cost ~15 instructions a character, an and ~1).
_CLASSES: Final[list[str]] = []
_FLAGS: Final = np.zeros(0x110000, dtype=np.uint8)
_LAST_FLAGS: Final[list] = [None, None, None, 0]  # the text last flagged, char_flags, how many classes it holds


def char_class(chars: str) -> int:
    """The bit that marks `chars` in char_flags (a class gets one the first time it is asked for)."""
    if chars not in _CLASSES:
        if len(_CLASSES) == 8:
            raise ValueError("more than 8 character classes for char_flags")
        _FLAGS[[ord(c) for c in chars]] |= 1 << len(_CLASSES)
        _CLASSES.append(chars)
    return 1 << _CLASSES.index(chars)


def char_flags(text: str) -> tuple[np.ndarray, np.ndarray]:
    """The offsets of the characters of text that are in some char_class, and their bits.

    Most characters are in none: each class is then picked from a few hundred flagged ones.
    """
    if _LAST_FLAGS[0] is not text or _LAST_FLAGS[3] != len(_CLASSES):
        # mode="wrap" skips take's bounds check per character: every code point is in the table.
        flags = _FLAGS.take(code_points(text), mode="wrap")
        at = (flags != 0).nonzero()[0]  # numpy's nonzero is twice as fast on bools
        _LAST_FLAGS[:] = text, at, flags[at], len(_CLASSES)
    return _LAST_FLAGS[1], _LAST_FLAGS[2]


def flagged(text: str, bit: int) -> list[int]:
    """Offsets of the characters of text in the char_class that `bit` marks, in order."""
    at, bits = char_flags(text)
    return at[(bits & bit) != 0].tolist()


_LAST_CODES: Final[list] = [None, None]  # the text last asked about and its code points


def code_points(text: str) -> np.ndarray:
    """The text's characters as code points (UTF-32: one unit a character), for flagging by table."""
    if _LAST_CODES[0] is not text:
        _LAST_CODES[:] = text, np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return _LAST_CODES[1]


def occurrences(text: str, words: Iterable[str]) -> list[int]:
    """Offsets where any of a few words (or the characters of a str) rare in text occurs, in order.

    A str.find per word skips through the text faster than a regex of them, and makes no match
    objects.
    """
    found: list[int] = []
    for w in words:
        i = text.find(w)
        while i != -1:
            found.append(i)
            i = text.find(w, i + 1)
    found.sort()
    return found


# Quoted names and titles. (Three str.find calls per quote instead of a regex match saved
# compiled code 0.7% and cost pure Python 1.8%.)
_QUOTE_OPENS: Final = "“《「‘\""  # the first characters of _QUOTED's alternatives
_QUOTED: Final = re.compile(r"“[^“”\n]{0,300}”|《[^《》\n]{0,120}》|「[^「」\n]{0,120}」|‘[^‘’\n]{0,60}’|\"[^\"\n]{0,60}\"")


def quoted_spans(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of _QUOTED.finditer(text)'s matches, trying only at opening quotes."""
    starts, ends, end, match = [], [], 0, _QUOTED.match
    for i in flagged(text, char_class(_QUOTE_OPENS)):
        if i >= end and (m := match(text, i)):
            end = m.end()
            starts.append(i)
            ends.append(end)
    return starts, ends


def clause_bounds(text: str, pos: int, ends: str = CLAUSE_END) -> tuple[int, int]:
    """Start and end of the clause (or, with SENTENCE_END, the sentence) around pos.

    A clause is looked for at most 400 characters either side of pos.
    """
    return bounds_at(delimiters(text, ends), len(text), pos)


def bounds_at(found: list[int], size: int, pos: int) -> tuple[int, int]:
    """clause_bounds from the text's delimiters and length, for callers that ask many times."""
    return _bounds(found, _bisect_left(found, pos) if _COMPILED else bisect.bisect_left(found, pos), size, pos)


# Whether this module runs compiled (its file is then the extension, not the .py).
_COMPILED: Final = not __file__.endswith(".py")


def _bisect_left(a: list[int], pos: int) -> int:
    """bisect.bisect_left(a, pos), for compiled code: a native loop, where a bisect call is a
    generic call (the module attribute looked up too) comparing boxed ints at each step."""
    lo, hi = 0, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


class Offsets:
    """Sorted offsets asked about at positions in (mostly) increasing order, as numbers come in text order.

    Compiled, each answer walks an index on from the previous one, a step or two, where a bisect
    call is a generic call with a boxed comparison per step. In pure Python bisect's C loop is
    cheaper than interpreted steps, so it bisects.
    """

    def __init__(self, offsets: list[int], size: int = 0) -> None:
        self.offsets = offsets
        self.size = size  # the text's length, for bounds
        self.i = 0

    def left(self, pos: int) -> int:
        """bisect.bisect_left(offsets, pos); bisect_right(offsets, pos) is left(pos + 1)."""
        a, i = self.offsets, self.i
        if not _COMPILED:
            return bisect.bisect_left(a, pos)
        n = len(a)
        while i < n and a[i] < pos:
            i += 1
        while i > 0 and a[i - 1] >= pos:
            i -= 1
        self.i = i
        return i

    def bounds(self, pos: int) -> tuple[int, int]:
        """bounds_at(offsets, size, pos)."""
        i = self.left(pos) if _COMPILED else bisect.bisect_left(self.offsets, pos)  # a call less in pure Python
        return _bounds(self.offsets, i, self.size, pos)


def _bounds(found: list[int], i: int, size: int, pos: int) -> tuple[int, int]:
    lo = pos - 400 if pos > 400 else 0
    start = found[i - 1] + 1 if i and found[i - 1] >= lo else lo
    hi = pos + 400 if pos + 400 < size else size
    return start, found[i] if i < len(found) and found[i] < hi else hi


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
    after = ""
    if verb_only:  # the phrase after the number only counts after a bare verb
        limit = min(clause_end, tail_end + rules.max_chars)
        m = rules.after.match(text, tail_end, limit)
        if m:
            stop = rules.after_stop.search(text, tail_end, limit)
            after = text[tail_end:min(m.end(), stop.start()) if stop else m.end()].rstrip("和及与或、")
    if after and verb_only:
        subject, s, e = before + after, (b_start if before else num_start), tail_end + len(after)
    else:
        subject, s, e = before, (b_start if before else num_start), tail_end
    if len(subject) > rules.max_chars:
        subject = subject[-rules.max_chars:] if not after or not verb_only else subject[: rules.max_chars]
    return subject, s, e


def quote_span(text: str, start: int, end: int, must: tuple[int, int],
               clause: tuple[int, int] | None = None) -> tuple[int, int]:
    """Widen or narrow [start, end) to a readable 8–60 character quote that keeps `must`.

    `clause` is clause_bounds(text, must[0]) when the caller already has it.
    """
    c_start, c_end = clause or clause_bounds(text, must[0])
    if end - start < QUOTE_MIN:
        start = min(start, c_start)
    if end - start < QUOTE_MIN:
        end = max(end, c_end)
    if end - start < QUOTE_MIN:
        s_start, _ = clause_bounds(text, max(c_start - 1, 0))
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


def passage_index(passages) -> tuple[list[int], list]:
    """Passages sorted by start, with their starts, for span lookups."""
    ordered = sorted(passages, key=attrgetter("start"))  # a C key function, not a lambda called per passage
    return [p.start for p in ordered], ordered


def passage_at(index: tuple[list[int], list], pos: int):
    """The passage whose span holds pos, or None when pos is outside every passage."""
    i = bisect.bisect_right(index[0], pos) - 1
    if i >= 0 and pos < index[1][i].end:
        return index[1][i]
    return None
