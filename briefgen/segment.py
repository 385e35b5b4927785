"""Segment: split a document into passages with region, section and year (thin first version)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from briefgen.documents import Document
from briefgen.regions import Region, load_gazetteer

_YEAR = re.compile(r"(20[0-4]\d|19[5-9]\d)年")


@dataclass(frozen=True)
class Passage:
    """A paragraph of a document, attributed to a region and a year."""

    doc: str
    region: Region | None
    section: str
    text: str
    start: int
    end: int
    year: int | None


@dataclass(frozen=True)
class Segmentation:
    """A document's title, own regions, year and passages."""

    doc: str
    title: str
    regions: tuple[Region, ...]
    year: int | None
    passages: tuple[Passage, ...]


def _dominant_region(text: str) -> Region | None:
    gaz = load_gazetteer()
    counts: Counter[Region] = Counter()
    for r in gaz.regions:
        if r.level == "prefecture" and len(r.short) >= 2:
            n = text.count(r.short)
            if n:
                counts[r] = n
    return counts.most_common(1)[0][0] if counts else None


def segment_document(doc: Document) -> Segmentation:
    """Split into paragraphs; one region and one year for the whole document."""
    text = doc.text
    region = _dominant_region(text)
    years = Counter(int(y) for y in _YEAR.findall(text))
    year = years.most_common(1)[0][0] if years else None
    passages = []
    for m in re.finditer(r"[^\n]+", text):
        if m.group().strip():
            passages.append(Passage(doc.name, region, "", m.group(), m.start(), m.end(), year))
    title = next((p.text.strip() for p in passages), doc.name)
    return Segmentation(doc.name, title, (region,) if region else (), year, tuple(passages))
