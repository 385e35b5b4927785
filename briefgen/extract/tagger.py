"""Topic tagging: which topics' keywords a text holds, for every clause of every document."""

from __future__ import annotations

import functools
import re
from typing import Callable, Iterable, Mapping, Sequence

import ahocorasick_rs

from briefgen.extract.words import alternation


@functools.lru_cache(maxsize=32)
def _matcher(lex_key: tuple[tuple[str, tuple[str, ...]], ...]
             ) -> tuple[re.Pattern[str] | None, dict[str, list[int]]]:
    """One compiled alternation of every keyword (longest first) and the topics each belongs to.

    An empty keyword weighs nothing, so it is left out of the pattern.
    """
    owners: dict[str, list[int]] = {}
    for i, (_, words) in enumerate(lex_key):
        for w in words:
            if w:
                owners.setdefault(w, []).append(i)
    pattern = re.compile(alternation(owners)) if owners else None
    return pattern, owners


_KEYS: dict[int, tuple[Mapping, tuple]] = {}


def _lexicon_key(lex: Mapping[str, Sequence[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A hashable form of the lexicon, remembered per lexicon object (lexicons are never mutated).

    Rebuilding it cost more than tagging a short clause, and extraction tags every clause.
    """
    hit = _KEYS.get(id(lex))
    if hit is not None and hit[0] is lex:
        return hit[1]
    key = tuple((k, tuple(v)) for k, v in lex.items())
    if len(_KEYS) > 16:
        _KEYS.clear()
    _KEYS[id(lex)] = (lex, key)
    return key


def tag_topics(text: str, lex: Mapping[str, Sequence[str]]) -> list[str]:
    """Topics whose keywords occur in text, most weight first (ties keep lexicon order).

    A single regex pass over the text, whatever the number of topics and keywords: this runs
    once per sentence of every document.
    """
    key = _lexicon_key(lex)
    pattern, owners = _matcher(key)
    if pattern is None:
        return []
    scores = [0] * len(key)
    for m in pattern.finditer(text):
        word = m.group()
        for i in owners[word]:
            scores[i] += len(word)
    ranked = sorted((-score, i) for i, score in enumerate(scores) if score)
    return [key[i][0] for _, i in ranked]


def topic_filter(lex: Mapping[str, Sequence[str]], keys: Iterable[str]) -> Callable[[str], bool]:
    """A test of whether tag_topics(text, lex) would tag one of `keys`, built once for many texts.

    It stops at the first keyword of theirs that the whole lexicon's matcher finds (a longer
    keyword of another topic still hides a shorter one inside it, as in tag_topics).
    """
    key = _lexicon_key(lex)
    pattern, owners = _matcher(key)
    wanted = {i for i, (name, _) in enumerate(key) if name in set(keys)}
    if pattern is None or not wanted:
        return lambda text: False
    hits = {w for w, topics in owners.items() if not wanted.isdisjoint(topics)}
    return lambda text: any(m.group() in hits for m in pattern.finditer(text))


def best_topic(text: str, lex: Mapping[str, Sequence[str]]) -> str | None:
    """The topic whose keywords weigh most in text, or None (tag_topics' first)."""
    return topic_finder(lex)(text, 0, len(text))


def topic_finder(lex: Mapping[str, Sequence[str]]) -> Callable[[str, int, int], str | None]:
    """A function (text, start, end) → best_topic(text[start:end], lex), for many spans of a text.

    Extraction tags a clause per number: this skips the lexicon look-ups and the slice of
    each call, and the ranking of every topic when one keyword (the usual case) is found.
    """
    return _finder(_lexicon_key(lex))


@functools.lru_cache(maxsize=32)
def _finder(key: tuple[tuple[str, tuple[str, ...]], ...]) -> Callable[[str, int, int], str | None]:
    pattern, owners = _matcher(key)
    if pattern is None:
        return lambda text, start, end: None
    # What pattern.findall finds (at the leftmost place a keyword starts, the longest there, then on
    # past it), found by an Aho-Corasick automaton: the regex engine tries the alternation's ~90
    # branches one by one at every keyword's first character, a fifth of the text.
    find = ahocorasick_rs.AhoCorasick(list(owners), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
                                      store_patterns=True,
                                      implementation=ahocorasick_rs.Implementation.DFA).find_matches_as_strings
    names = [k for k, _ in key]
    # What tag_topics ranks first when only this keyword is found: the topic that lists it most
    # often (a lexicon may repeat a word), the earlier topic on a tie.
    first = {w: names[min(set(o), key=lambda i: (-o.count(i), i))] for w, o in owners.items()}

    def best(text: str, start: int, end: int) -> str | None:
        found: list[str] = find(text[start:end])
        if not found:
            return None
        if len(found) == 1:
            return first[found[0]]
        scores = [0] * len(names)
        for word in found:
            for i in owners[word]:
                scores[i] += len(word)
        return names[scores.index(max(scores))]

    return best


def topic_tags(lex: Mapping[str, Sequence[str]]) -> Callable[[str, int, int], frozenset[str]]:
    """A function (text, start, end) → every topic with a keyword in text[start:end], for many spans.

    Open tags: each topic's keywords are found on their own, overlapping ones included, so a topic's
    tags never depend on what other topics declare (a template added with overlapping keywords adds
    its own tag and takes none away).
    """
    return _tagger(_lexicon_key(lex))


@functools.lru_cache(maxsize=32)
def _tagger(key: tuple[tuple[str, tuple[str, ...]], ...]) -> Callable[[str, int, int], frozenset[str]]:
    _, owners = _matcher(key)
    if not owners:
        return lambda text, start, end: frozenset()
    words = list(owners)
    find = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.Standard).find_matches_as_indexes
    names = [k for k, _ in key]
    tags_of = [frozenset(names[i] for i in owners[w]) for w in words]

    def tags(text: str, start: int, end: int) -> frozenset[str]:
        found: set[str] = set()
        for index, _, _ in find(text[start:end], overlapping=True):
            found |= tags_of[index]
        return frozenset(found)

    return tags
