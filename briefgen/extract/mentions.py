"""Mentions: the names a text marks, as found before initiatives decides what they are.

Quoted names and 《》 titles in one pass over the opening marks, runs of adjacent quotes, and
names marked without quotes by a verb and a kind word (实施…工程).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from briefgen.extract.scan import QUOTE_OPENS, TextScan, char_class

# A quoted name or title: “…” up to 300 characters, 《…》 and 「…」 up to 120, ‘…’ and "…" up to 60, no
# newline or mark of its own kind inside; the regex r"“([^“”\n]{1,300})”|《([^《》\n]{1,120})》|…" (see
# _quoted_name). By the opening mark's code point: the mark, its closing mark and the longest name.
_MARKS: Final = {ord(o): (o, c, n) for o, c, n in [("“", "”", 300), ("《", "》", 120), ("「", "」", 120),
                                                    ("‘", "’", 60), ("\"", "\"", 60)]}
_TITLE_OPEN: Final = ord("《")
_HAN: Final = re.compile(r"[\u4e00-\u9fff]")
_CHAIN_GAP: Final = re.compile(r"(?:[、和与及+＋]?[\u4e00-\u9fff]{0,3}|[\u4e00-\u9fff]{0,3}[、和与及+＋])")
_CHAIN_GAP_MAX: Final = 4  # the longest gap _CHAIN_GAP matches


class NameMention:
    """A quoted name or title as found in the text, then what the checks decide about it."""

    # A plain class with its defaults on the class: a document has dozens of mentions, built at
    # half a slotted dataclass's cost.
    accepted = False
    definition: str | None = None
    quoted = True
    kind = "initiative"
    key = ""  # the normalized name, computed once

    def __init__(self, name: str, start: int, open_: int, close: int, title: bool = False, nested: bool = False):
        self.name = name
        self.start = start  # of the name's first character in the document
        self.open = open_  # of the opening mark (or of the name when unquoted)
        self.close = close  # just past the closing mark
        self.title = title  # a 《》 title
        self.nested = nested  # a “” name inside a 《》 title
        self.chain = (open_, close)  # open of the first and close of the last quote in a row


def normalize(name: str) -> str:
    """A name with width folded and whitespace removed, for deduplication."""
    # str.split() splits on exactly the characters \s matches, at a third of re.sub's cost.
    return "".join(unicodedata.normalize("NFKC", name).split())


def marked_names(scan: TextScan, single_suffix: re.Pattern[str]) -> list[NameMention]:
    """Every quoted name and 《》 title in the text's order, single-character quotes widened to their phrase
    (暖“蜂”驿站) when `single_suffix` matches the words after them."""
    text = scan.text
    out: list[NameMention] = []
    title: NameMention | None = None  # the last title so far: a quote that closes inside it is nested
    end = 0  # past the last quoted name: quotes opening before it are inside it
    # One pass over the opening marks, in order: titles may hold quotes, quotes never overlap.
    for open_ in scan.flagged(char_class(QUOTE_OPENS)):
        mark = ord(text[open_])  # compiled, read in place (text[open_] would make a string)
        if mark == _TITLE_OPEN:
            if (name := _quoted_name(text, open_, mark)) is not None:
                title = NameMention(name, open_ + 1, open_, open_ + len(name) + 2, True)
                out.append(title)
            continue
        if open_ < end or (name := _quoted_name(text, open_, mark)) is None:
            continue
        end = open_ + len(name) + 2
        if len(name.strip()) != 1:
            out.append(NameMention(name, open_ + 1, open_, end, False, title is not None and end < title.close))
        else:
            # 暖“蜂”驿站, “新”聚力行动: the quote marks one character of a longer name.
            suf = single_suffix.match(text, end)
            if not suf:
                continue
            start = open_
            if suf.end() - end <= 2 and start and _HAN.match(text[start - 1]) and text[start - 1] not in "的和与及在等":
                start -= 1
            out.append(NameMention(text[start:suf.end()], start, start, suf.end()))
    return out


def _quoted_name(text: str, open_: int, code: int) -> str | None:
    """The name between the mark at open_ (code point `code`) and its closing mark, or None if none closes it.

    A str.find and a slice, not a regex match: compiled, they are direct calls, and a match and its
    end() two generic ones.
    """
    mark, close, longest = _MARKS[code]
    end = text.find(close, open_ + 1, open_ + longest + 2)  # the first close, at most `longest` on
    if end <= open_ + 1:
        return None  # empty, or not closed within `longest`
    name = text[open_ + 1:end]
    return None if mark in name or "\n" in name else name  # another mark or a line end comes first


def chain_runs(text: str, ms: list[NameMention]) -> None:
    """Mark runs of adjacent quotes (“A”“B”、“C”机制) that share their context words."""
    # A mention's chain is its own span unless it turns out to be part of a longer run.
    runs: list[list[NameMention]] = []
    for m in ms:
        if m.title:
            continue
        last = runs[-1][-1] if runs else None
        if last and m.open - last.close <= _CHAIN_GAP_MAX and _CHAIN_GAP.fullmatch(text, last.close, m.open):
            runs[-1].append(m)
        else:
            runs.append([m])
    for run in runs:
        if len(run) > 1:
            for m in run:
                m.chain = (run[0].open, run[-1].close)


class UnquotedRules:
    """What marks a name written without quotes (实施…工程): `pattern`, whose group "name" ends with one
    of `suffixes` and starts at most `reach` characters before it; names starting with `bad_starts` are none."""

    def __init__(self, pattern: re.Pattern[str], bad_starts: tuple[str, ...], suffixes: tuple[str, ...],
                 reach: int) -> None:
        self.pattern = pattern
        self.bad_starts = bad_starts
        self.suffixes = suffixes
        self.reach = reach


def unquoted_names(text: str, taken: set[str], rules: UnquotedRules) -> list[NameMention]:
    """Programmes named without quotes but marked by a verb and a kind word (实施…工程): matches of
    the rules' pattern not starting with a bad start nor already `taken` by a quoted mention."""
    unquoted_re, bad_starts = rules.pattern, rules.bad_starts
    out: list[NameMention] = []
    for lo, hi in _suffix_windows(text, rules.suffixes, rules.reach):
        for u in unquoted_re.finditer(text, lo, hi):
            name = u["name"]
            core = name[:-2]
            if len(core) < 4 or name.startswith(bad_starts) or core in taken:
                continue
            m = NameMention(name, u.start("name"), u.start("name"), u.end("name"))
            m.chain, m.accepted, m.quoted, m.key = (u.start(), u.end()), True, False, normalize(name)
            out.append(m)
    return out


def _suffix_windows(text: str, suffixes: tuple[str, ...], reach: int) -> list[list[int]]:
    """Disjoint spans, in order, that hold every match of unquoted_re: what its finditer finds in them.

    Its scan stopped at every common verb (推进, 建立) to try a dozen names; a match ends with a
    suffix, so only the `reach` characters before each are searched. A span runs one character
    past its last suffix, so the (?![\u4e00-\u9fff]) after a match always sees the text; spans that
    overlap or touch are merged, so no suffix ends where a span does.
    """
    spans = []
    for suffix in suffixes:
        i = text.find(suffix)
        while i != -1:
            spans.append((i - reach if i > reach else 0, i + len(suffix) + 1))
            i = text.find(suffix, i + 1)
    spans.sort()
    windows: list[list[int]] = []
    for lo, hi in spans:
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], hi)
        else:
            windows.append([lo, hi])
    return windows
