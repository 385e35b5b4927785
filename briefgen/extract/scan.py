"""Scan: one text's characters looked up by class, its clause bounds, quoted spans and word occurrences.

A TextScan is made once per document text and passed to what asks about it: facts and initiatives
ask for the bounds of thousands of positions in one document, so the text is scanned once.
"""

from __future__ import annotations

import bisect
import re
from typing import Final, Iterable

import numpy as np

# Constants are Final: compiled, each use is then a C static, not a look-up in the module's globals.
CLAUSE_END: Final = ",，。;；:：!！?？\n"
SENTENCE_END: Final = "。;；!！?？\n"
# Quoted names and titles. (Three str.find calls per quote instead of a regex match saved
# compiled code 0.7% and cost pure Python 1.8%.)
QUOTE_OPENS: Final = "“《「‘\""  # the first characters of _QUOTED's alternatives
_QUOTED: Final = re.compile(r"“[^“”\n]{0,300}”|《[^《》\n]{0,120}》|「[^「」\n]{0,120}」|‘[^‘’\n]{0,60}’|\"[^\"\n]{0,60}\"")

# Every character class asked about (delimiters, where numbers and quotes start) is a bit of
# one table over code points, for the whole process: a text is looked up in it once, not once
# per class, and each class is then a bitwise and (one look-up cost ~15 instructions a
# character, an and ~1). A class gets its bit the first time it is asked for.
_CLASSES: Final[list[str]] = []
_FLAGS: Final = np.zeros(0x110000, dtype=np.uint8)


def char_class(chars: str) -> int:
    """The bit that marks `chars` in TextScan.char_flags."""
    if chars not in _CLASSES:
        if len(_CLASSES) == 8:
            raise ValueError("more than 8 character classes for char_flags")
        _FLAGS[[ord(c) for c in chars]] |= 1 << len(_CLASSES)
        _CLASSES.append(chars)
    return 1 << _CLASSES.index(chars)


for _chars in (CLAUSE_END, SENTENCE_END, QUOTE_OPENS):
    char_class(_chars)


class TextScan:
    """One text and what is looked up in it, each part computed when first asked for."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._codes: np.ndarray | None = None
        self._at: np.ndarray | None = None
        self._bits: np.ndarray | None = None
        self._classes = 0  # how many classes _bits holds
        self._delimiters: dict[str, list[int]] = {}

    def code_points(self) -> np.ndarray:
        """The text's characters as code points (UTF-32: one unit a character), for flagging by table."""
        if self._codes is None:
            self._codes = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return self._codes

    def char_flags(self) -> tuple[np.ndarray, np.ndarray]:
        """The offsets of the characters of text that are in some char_class, and their bits.

        Most characters are in none: each class is then picked from a few hundred flagged ones.
        """
        if self._at is None or self._bits is None or self._classes != len(_CLASSES):
            # mode="wrap" skips take's bounds check per character: every code point is in the table.
            flags = _FLAGS.take(self.code_points(), mode="wrap")
            self._at = at = (flags != 0).nonzero()[0]  # numpy's nonzero is twice as fast on bools
            self._bits = flags[at]
            self._classes = len(_CLASSES)
            return at, self._bits
        return self._at, self._bits

    def flagged(self, bit: int) -> list[int]:
        """Offsets of the characters of text in the char_class that `bit` marks, in order."""
        at, bits = self.char_flags()
        return at[(bits & bit) != 0].tolist()

    def delimiters(self, ends: str) -> list[int]:
        """Offsets of the characters of `ends` in text, in order (for bounds_at)."""
        found = self._delimiters.get(ends)
        if found is None:
            # A clause is ~14 characters long: a regex match object per delimiter cost three times
            # what numpy takes to flag them all in the text's code points.
            found = self._delimiters[ends] = self.flagged(char_class(ends))
        return found

    def clause_bounds(self, pos: int, ends: str = CLAUSE_END) -> tuple[int, int]:
        """Start and end of the clause (or, with SENTENCE_END, the sentence) around pos.

        A clause is looked for at most 400 characters either side of pos.
        """
        return bounds_at(self.delimiters(ends), len(self.text), pos)

    def quoted_spans(self) -> tuple[list[int], list[int]]:
        """Starts and ends of _QUOTED.finditer(text)'s matches, trying only at opening quotes."""
        text, starts, ends, end, match = self.text, [], [], 0, _QUOTED.match
        for i in self.flagged(char_class(QUOTE_OPENS)):
            if i >= end and (m := match(text, i)):
                end = m.end()
                starts.append(i)
                ends.append(end)
        return starts, ends


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


def bounds_at(found: list[int], size: int, pos: int) -> tuple[int, int]:
    """clause_bounds from the text's delimiters and length."""
    return _bounds(found, bisect.bisect_left(found, pos), size, pos)


class Offsets:
    """Sorted offsets (of a text `size` long) asked about at positions in (mostly) increasing order,
    as numbers and names come in text order.

    Each answer walks an index on from the previous one, a step or two: compiled, a bisect call is a
    generic call with a boxed comparison per step, and cost ~3 % of extraction (facts ~50 → ~55 ms
    of ~105 ms on a generated 120-document corpus).
    """

    def __init__(self, offsets: list[int], size: int = 0) -> None:
        self.offsets = offsets
        self.size = size  # the text's length, for bounds
        self.i = 0

    def left(self, pos: int) -> int:
        """bisect.bisect_left(offsets, pos); bisect_right(offsets, pos) is left(pos + 1)."""
        a, i = self.offsets, self.i
        n = len(a)
        while i < n and a[i] < pos:
            i += 1
        while i > 0 and a[i - 1] >= pos:
            i -= 1
        self.i = i
        return i

    def bounds(self, pos: int) -> tuple[int, int]:
        """bounds_at(offsets, size, pos)."""
        return _bounds(self.offsets, self.left(pos), self.size, pos)


def _bounds(found: list[int], i: int, size: int, pos: int) -> tuple[int, int]:
    lo = pos - 400 if pos > 400 else 0
    start = found[i - 1] + 1 if i and found[i - 1] >= lo else lo
    hi = pos + 400 if pos + 400 < size else size
    return start, found[i] if i < len(found) and found[i] < hi else hi
