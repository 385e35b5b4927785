"""Profiles: the most informative sentences of each region on a topic, quoted verbatim."""

from __future__ import annotations

import re
from typing import Mapping, Sequence

from briefgen.store import Corpus
from briefgen.extract.regions import Region
from briefgen.extract.tagger import topic_finder

_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
# Dates are not the figures a reader looks for: 2023年 and 3月5日 neither score nor stand out.
_FIGURE = re.compile(r"\d[\d.,]*(?![\d.,]*[年月日号])")
_MAX_QUOTE = 140
_CLAUSE_BREAKS = "，,、：:"


def _trim(sentence: str) -> tuple[int, int]:
    """Span of the sentence cut back to a clause boundary when it is too long to quote."""
    s = len(sentence) - len(sentence.lstrip())
    e = len(sentence.rstrip())
    if e - s <= _MAX_QUOTE:
        return s, e
    cut = max(sentence.rfind(c, s, s + _MAX_QUOTE) for c in _CLAUSE_BREAKS)
    return s, (cut + 1 if cut > s + 20 else s + _MAX_QUOTE)


def topic_sentences(corpus: Corpus, topic_keys: Sequence[str], lex: Mapping[str, Sequence[str]],
                    regions: Sequence[Region]) -> dict[str, list[dict]]:
    """Region name → candidate sentences of the topic, scored by numbers and keyword weight."""
    wanted = {r.name for r in regions}
    out: dict[str, list[dict]] = {r.name: [] for r in regions}
    words = [w for k in topic_keys for w in lex.get(k, ())]
    if not words:
        return out
    # One search per passage skips the many passages that never mention the topic.
    mentions = re.compile("|".join(map(re.escape, sorted(set(words), key=len, reverse=True))))
    best_topic, keys = topic_finder(lex), set(topic_keys)
    for p in corpus.passages(wanted, mentioning=mentions):
        for m in _SENTENCE.finditer(p.text):
            if best_topic(p.text, m.start(), m.end()) not in keys:
                continue
            s, e = _trim(m.group())
            # A passage's text is its document's text from p.start on, so offsets carry over.
            quote = p.text[m.start() + s:m.start() + e]
            if len(quote) < 12:
                continue
            score = 2 * len(_FIGURE.findall(quote)) + sum(quote.count(w) for k in topic_keys
                                                          for w in lex.get(k, ()))
            out[p.region].append({"doc": p.doc, "quote": quote, "start": p.start + m.start() + s,
                                  "year": p.year, "score": score})
    for name in out:
        out[name].sort(key=lambda c: (-c["score"], c["doc"], c["start"]))
    return out


def emphasize_numbers(quote: str) -> list[tuple[str, bool]]:
    """Split a quote into (text, is_number) pieces so templates can bold the numbers."""
    pieces, last = [], 0
    for m in _FIGURE.finditer(quote):
        if m.start() > last:
            pieces.append((quote[last:m.start()], False))
        pieces.append((m.group(), True))
        last = m.end()
    if last < len(quote):
        pieces.append((quote[last:], False))
    return pieces
