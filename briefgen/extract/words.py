"""Word lists: grouped by length for look-ups at an offset, or written as one regex alternation."""

from __future__ import annotations

import re

# A word list grouped by length, longest first (by_length).
ByLength = tuple[tuple[int, frozenset[str]], ...]


def by_length(words) -> ByLength:
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


def ends_with_any(text: str, pos: int, table: ByLength) -> str | None:
    """The longest word of a by_length table that text[:pos] ends with, or None.

    A set look-up per word length: compiled, str.endswith of a tuple of words tries each in turn.
    """
    for n, words in table:
        if n <= pos and text[pos - n:pos] in words:
            return text[pos - n:pos]
    return None
