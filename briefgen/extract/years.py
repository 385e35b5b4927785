"""Years: the explicit year a number's sentence states (2023年共引进…), for facts."""

from __future__ import annotations

import re
from typing import Final

from briefgen.extract.scan import Offsets, TextScan

# A year after 从/由 dates the start of a change (从2019年的300名增长到428名), not the figure.
_NOT_AFTER = ("以来", "来", "度以来", "前")
# The 从/由 test sits after the digits (which it re-reads) so that the scan starts at a 1 or 2.
YEAR: Final = re.compile(rf"((?:19|20)\d\d)(?<![从由]\d{{4}})年(?!{'|'.join(_NOT_AFTER)})")
# Where text ends matters to that lookahead only when a character of its words follows.
_NEXT: Final = frozenset("".join(_NOT_AFTER))


class YearMarks:
    """Starts, ends and years of every YEAR match in the text, for stated_year.

    A match is five characters ending in 年 (so two never overlap): the pattern is tried four
    characters before each 年 instead of at every 1 and 2 of the text.
    """

    def __init__(self, scan: TextScan) -> None:
        text = scan.text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.years: list[str] = []
        match = YEAR.match
        for i in (scan.code_points() == ord("年")).nonzero()[0].tolist():
            if i >= 4 and (m := match(text, i - 4)):
                self.starts.append(i - 4)
                self.ends.append(i + 1)
                self.years.append(m[1])
        # stated_year asks at each number and at the start of its sentence, both in text order.
        self.at_number, self.at_sentence = Offsets(self.ends), Offsets(self.ends)


def stated_year(text: str, marks: YearMarks, sentences: Offsets, pos: int, default: int | None) -> int | None:
    """The explicit year tied to the number in its sentence (2023年共引进…), else the passage year.

    That is the last YEAR match of text[s:pos], s the start of pos's sentence. The whole text's
    matches (marks) give it unless one straddles s or pos, or the text at pos would end a word
    the pattern must not be followed by.
    """
    starts = marks.starts
    i = marks.at_number.left(pos + 1) - 1  # the last match ending by pos
    n = len(starts)
    exact = not (i + 1 < n and starts[i + 1] < pos) and text[pos:pos + 1] not in _NEXT
    if exact and i < 0:
        return default
    s = sentences.bounds(pos)[0]
    j = marks.at_sentence.left(s + 1)  # the first match ending after s
    if exact and not (j < n and starts[j] < s):
        return int(marks.years[i]) if i >= j else default
    found = YEAR.findall(text, s, pos)
    return int(found[-1]) if found else default
