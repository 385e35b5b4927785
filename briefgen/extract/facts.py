"""Facts: quantities with units, qualifiers, changes and the exact quotes that state them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Final, Mapping, Sequence

from mypy_extensions import mypyc_attr

from briefgen.extract.dates import time_basis
from briefgen.extract.kinds import fact_kind
from briefgen.documents import Document
from briefgen.extract.metrics import describe_counted, match_metric, metric_fits
from briefgen.extract.quantities import find_quantities, link_changes, load_quantity_rules
from briefgen.extract.scan import CLAUSE_END, SENTENCE_END, Offsets, TextScan
from briefgen.extract.segment import Segmentation, passage_index
from briefgen.extract.subjects import find_subject, quote_span
from briefgen.extract.tagger import topic_finder, topic_tags
from briefgen.extract.years import YearMarks, stated_year

FIELDS = ("doc", "region", "region_en", "province", "region_level", "region_path", "year", "basis", "kind", "topic", "topics",
          "subject", "metric", "counted", "counted_zh", "value", "unit", "qualifier", "change", "quote", "start", "end")
# How a region's chain is written in the region_path field: 浙江省 › 宁波市 › 鄞州区.
PATH_SEPARATOR: Final = " › "
# How far back in its sentence a number's time basis is read (三年来，…累计…): a long sentence's whole
# opening, re-read for each of its clauses, cost a fifth of extraction.
_BASIS_REACH: Final = 80

@mypyc_attr(native_class=False)  # see briefgen/native.py
# Not frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, 1.5 µs for
# 15 fields where a plain one takes 0.2 µs (~15 % of extraction over thousands a corpus). unsafe_hash
# keeps the hash over the fields that frozen gave, equality and pickling are the same; nothing sets
# a field after construction.
@dataclass(unsafe_hash=True)
class Fact:
    """One stated quantity, normalized, with the exact quote and span it came from."""

    doc: str
    region: str | None
    region_en: str | None
    province: str | None
    region_level: str | None
    region_path: str | None
    year: int | None
    basis: str  # point, period or multi_year: what time the number refers to (dates.time_basis)
    kind: str  # stock, flow, activity, cumulative, plan, subset, share, change, money or other (kinds.py)
    topic: str | None
    # Every topic with a keyword in the fact's sentence or section heading, "|"-joined: open tags, each
    # topic's found on its own, that a brief selects its facts by (tagger.topic_tags).
    topics: str
    subject: str
    metric: str | None
    counted: str  # what the number counts, in English: from metric, kind and year, else the Chinese subject
    counted_zh: str
    value: float
    unit: str
    qualifier: str
    change: dict | None
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)



def extract_facts(doc: Document, seg: Segmentation, lex: Mapping[str, Sequence[str]],
                  scan: TextScan | None = None) -> list[Fact]:
    """Every quantity in the document's passages, normalized, with its quote and clause-level topic.

    `scan` is the document text's TextScan when the caller has one (initiatives scans the same text).
    """
    rules, text = load_quantity_rules(), doc.text
    scan = scan if scan is not None else TextScan(text)
    qs = find_quantities(scan, rules)
    link_changes(scan, qs, rules)
    passage_starts, passages = passage_index(seg.passages)
    size, by_passage = len(text), Offsets(passage_starts)
    clauses, sentences = Offsets(scan.delimiters(CLAUSE_END), size), Offsets(scan.delimiters(SENTENCE_END), size)
    year_marks, best, tags_in = YearMarks(scan), topic_finder(lex), topic_tags(lex)
    # Topics asked for again by later numbers of the same sentence, passage or section. Numbers
    # come in text order, so one of the same clause follows it: that topic is the last one.
    wider: dict[object, str | None] = {}
    last_clause: tuple[int, int] = (-1, -1)
    topic: str | None = None

    def topic_of(key, span: str | None) -> str | None:
        if key not in wider:
            wider[key] = best(text, *key) if span is None else best(span, 0, len(span))
        return wider[key]

    facts, prev_end, name, at = [], 0, doc.name, -1
    subjects, subject_at = seg.sentence_regions, 0
    bases: dict[int, str] = {}
    sentence_tags: dict[int, frozenset[str]] = {}
    for q in qs:
        if q.consumed:
            continue
        i = by_passage.left(q.num_start + 1) - 1  # passage_at, without a bisect per number
        if i < 0:
            continue
        if i != at:  # a passage's fields are dict look-ups (a non-native class): once per passage
            at, passage = i, passages[i]
            p_start, p_end, p_year = passage.start, passage.end, passage.year
        if q.num_start >= p_end:
            continue
        while subject_at < len(subjects) and subjects[subject_at][1] <= q.num_start:
            subject_at += 1
        in_subject = subject_at < len(subjects) and subjects[subject_at][0] <= q.num_start
        region = subjects[subject_at][2] if in_subject else passage.region
        key = c_start, c_end = clauses.bounds(q.num_start)
        lo = max(max(c_start, prev_end), p_start)  # two-argument max is compiled inline, three a generic call
        if q.head >= lo:
            # 党员从7万名增长到11万名 / 数量比去年增加38%: the subject precedes the change phrase.
            subject, s, _ = find_subject(text, lo, q.head, q.head, q.head)
            e = q.end
        else:
            subject, s, e = find_subject(text, lo, q.pre_start, q.end, min(c_end, p_end))
        prev_end = max(q.end, e)  # a subject written after this number is not the next one's
        s, e = quote_span(scan, min(s, q.pre_start), max(e, q.quote_end), (q.num_start, q.end), key)
        if key != last_clause:
            last_clause, topic = key, (best(text, c_start, c_end)
                                       or topic_of(sentences.bounds(q.num_start), None)
                                       or topic_of(("p", p_start), passage.text)
                                       or topic_of(("s", passage.section), passage.section))
        year = stated_year(text, year_marks, sentences, q.pre_start, p_year)
        s_start, s_end = sentences.bounds(q.num_start)
        # The time basis of the sentence up to the number's clause, once per clause (its numbers share it).
        basis = bases.get(c_end)
        if basis is None:
            basis = bases[c_end] = time_basis(text[max(s_start, c_end - _BASIS_REACH):c_end], seg.year)
        kind = fact_kind(text[max(s_start, p_start):q.pre_start], text[max(c_start, p_start):q.pre_start],
                         text[q.end:min(c_end, q.end + 30)], q.unit, subject, basis,
                         q.change.get("kind") if q.change else None)
        metric = match_metric(subject, q.unit) if subject else None
        metric = metric if metric_fits(metric, kind, text[c_start:c_end]) else None
        counted, counted_zh = describe_counted(metric, kind, year, subject)
        tags = sentence_tags.get(s_start)
        if tags is None:  # once per sentence: its numbers share their tags
            tags = sentence_tags[s_start] = tags_in(text, s_start, s_end) | tags_in(passage.section, 0,
                                                                                    len(passage.section))
        fact = Fact(name, region.name if region else None, region.en if region else None,
                    region.province if region else None, region.level if region else None,
                    PATH_SEPARATOR.join(region.path) if region and region.path else None, year, basis, kind, topic, "|".join(sorted(tags)), subject,
                    metric, counted, counted_zh, q.value, q.unit, q.qualifier, q.change,
                    text[s:e], s, e)
        facts.append(fact)
    return facts


__all__ = ["FIELDS", "Fact", "extract_facts", "CLAUSE_END"]
