"""Extraction: one document's text in, its regions, passages, facts and initiatives out.

The per-document pipeline, in order: segment (regions, years, passages) → facts (numbers, units,
subjects, metrics, topics) → initiatives (named programmes and their definitions). It is a pure
function of one document and the topic lexicons, which is what the cache and the parallel and
distributed engines map over. These modules are the ones `make setup` compiles with mypyc
(briefgen/native.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from briefgen.documents import Document
from briefgen.extract.facts import Fact, extract_facts
from briefgen.extract.initiatives import Initiative, extract_initiatives
from briefgen.extract.scan import TextScan
from briefgen.extract.segment import Segmentation, segment_document


@dataclass(frozen=True)
class Extraction:
    """What one document yields: its segmentation, facts and initiatives."""

    document: Document
    segmentation: Segmentation
    facts: tuple[Fact, ...]
    initiatives: tuple[Initiative, ...]


def extract_document(doc: Document, lex: Mapping[str, Sequence[str]]) -> Extraction:
    """The pure per-document extraction: the unit that caching and parallel engines map over."""
    segmentation = segment_document(doc)
    scan = TextScan(doc.text)  # the text's character classes and clause bounds, found once for both
    facts = tuple(extract_facts(doc, segmentation, lex, scan))
    initiatives = tuple(extract_initiatives(doc, segmentation, scan))
    return Extraction(doc, segmentation, facts, initiatives)
