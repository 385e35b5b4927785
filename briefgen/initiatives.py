"""Initiatives: named programmes, mechanisms, brands and policy documents (thin first version)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from briefgen.documents import Document
from briefgen.segment import Segmentation

FIELDS = ("doc", "region", "name", "kind", "definition", "quote", "start", "end")

_QUOTED = re.compile(r"“([^”\n]{2,20})”|《([^》\n]{2,40})》")


@dataclass(frozen=True)
class Initiative:
    """A named programme or mechanism a region uses, with the clause that names it."""

    doc: str
    region: str | None
    name: str
    kind: str
    definition: str | None
    quote: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return asdict(self)


def extract_initiatives(doc: Document, seg: Segmentation) -> list[Initiative]:
    """Quoted names, once per (region, name), quoting the clause of their first mention."""
    seen: set[tuple[str | None, str]] = set()
    out = []
    for p in seg.passages:
        for m in _QUOTED.finditer(p.text):
            name = m.group(1) or m.group(2)
            region = p.region.name if p.region else None
            if (region, name) in seen:
                continue
            seen.add((region, name))
            s = max(p.text.rfind(c, 0, m.start()) for c in ",，。;；") + 1
            e = min((i for i in (p.text.find(c, m.end()) for c in ",，。;；") if i != -1), default=len(p.text))
            kind = "policy_document" if m.group(2) else "initiative"
            out.append(Initiative(doc.name, region, name, kind, None, p.text[s:e], p.start + s, p.start + e))
    return out
