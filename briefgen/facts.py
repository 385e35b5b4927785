"""Facts: quantities with units, qualifiers and their exact quotes (thin first version)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Mapping, Sequence

from briefgen.documents import Document
from briefgen.metrics import match_metric
from briefgen.segment import Segmentation
from briefgen.topics import best_topic

FIELDS = ("doc", "region", "region_en", "province", "year", "topic", "subject", "metric",
          "value", "unit", "qualifier", "change", "quote", "start", "end")

_UNITS = "人次|场次|个|人|名|期|场|次|项|件|套|家|元|%"
_NUMBER = re.compile(
    r"(?P<subject>[\u4e00-\u9fff]{2,8}?)(?P<num>\d+(?:\.\d+)?)(?P<mult>[万亿])?(?P<qual>余|多)?"
    rf"(?P<unit>{_UNITS})"
)
_SENTENCE_END = "。;；!！?？\n"


@dataclass(frozen=True)
class Fact:
    """One stated quantity, normalized, with the exact quote and span it came from."""

    doc: str
    region: str | None
    region_en: str | None
    province: str | None
    year: int | None
    topic: str | None
    subject: str
    metric: str | None
    value: float
    unit: str
    qualifier: str
    change: dict | None
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    s = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    e = min((i for i in (text.find(c, end) for c in _SENTENCE_END) if i != -1), default=len(text))
    return s, e


def extract_facts(doc: Document, seg: Segmentation, lex: Mapping[str, Sequence[str]]) -> list[Fact]:
    """Every quantity in the document's passages, with its sentence-level topic."""
    facts = []
    for p in seg.passages:
        for m in _NUMBER.finditer(p.text):
            value = float(m["num"]) * {"万": 1e4, "亿": 1e8}.get(m["mult"] or "", 1)
            s, e = _sentence(p.text, m.start(), m.end())
            qs, qe = p.start + m.start("subject"), p.start + m.end()
            region = p.region
            facts.append(Fact(
                doc=doc.name, region=region.name if region else None,
                region_en=region.en if region else None, province=region.province if region else None,
                year=p.year, topic=best_topic(p.text[s:e], lex), subject=m["subject"],
                metric=match_metric(m["subject"]), value=value, unit=m["unit"],
                qualifier="over" if m["qual"] else "exact", change=None,
                quote=doc.text[qs:qe], start=qs, end=qe,
            ))
    return facts
