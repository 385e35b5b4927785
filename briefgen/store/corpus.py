"""Corpus: every document of the input read, segmented and extracted, gathered before any brief.

In memory, everything comes from the extractions. Over the store (see ingest.py), a brief's tables,
passages and document list are read from Parquet instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Protocol, Sequence

from briefgen.documents import Document, Failure
from briefgen.extract import Extraction
from briefgen.extract.facts import FIELDS as FACT_FIELDS
from briefgen.extract.initiatives import FIELDS as INITIATIVE_FIELDS
from briefgen.extract.regions import Region

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DocumentInfo:
    """What a brief says of one source document: its name, format, title, year and regions."""

    name: str
    format: str
    title: str
    year: int | None
    regions: tuple[Region, ...]


@dataclass(frozen=True)
class PassageRow:
    """A passage a brief may quote: its document, region, year, offset in the document and text."""

    doc: str
    region: str
    year: int | None
    start: int
    text: str


class CorpusView(Protocol):
    """A corpus as the store holds it (ingest.StoreView): tables read on demand, not extractions."""

    def load_extractions(self) -> list[Extraction]: ...
    def document_infos(self) -> list[DocumentInfo]: ...
    def passages(self, regions: Iterable[str], mentioning: re.Pattern | None = None) -> list[PassageRow]: ...
    def facts_frame(self, regions: Iterable[str] | None = None) -> pd.DataFrame: ...
    def initiatives_frame(self, regions: Iterable[str] | None = None) -> pd.DataFrame: ...


class Corpus:
    """All documents of one input and what was extracted from them, plus the files that could not be read.

    In memory, everything comes from the extractions. Over the store, a brief's tables, passages
    and document list are read from Parquet, and the full extractions are unpickled only when
    something asks for them (`briefgen facts`, say), which a brief never does.
    """

    def __init__(self, extractions: list[Extraction] | None, failures: list[Failure] | None = None,
                 view: CorpusView | None = None):
        self._extractions = extractions
        self.failures = list(failures or [])
        self._view = view

    @property
    def extractions(self) -> list[Extraction]:
        if self._extractions is None:
            self._extractions = self._view.load_extractions()
        return self._extractions

    @property
    def documents(self) -> list[Document]:
        return [x.document for x in self.extractions]

    def document_infos(self) -> list[DocumentInfo]:
        """Every readable document, in input order."""
        if self._view is not None:
            return self._view.document_infos()
        return [DocumentInfo(x.document.name, x.document.format, x.segmentation.title, x.segmentation.year,
                             x.segmentation.regions) for x in self.extractions]

    def passages(self, regions: Iterable[str], mentioning: re.Pattern | None = None) -> list[PassageRow]:
        """The passages attributed to one of `regions` (official names), in document order; with
        `mentioning`, only those in which it finds a match."""
        if self._view is not None:
            return self._view.passages(regions, mentioning)
        wanted = set(regions)
        return [PassageRow(x.document.name, p.region.name, p.year, p.start, p.text)
                for x in self.extractions for p in x.segmentation.passages
                if p.region is not None and p.region.name in wanted
                and (mentioning is None or mentioning.search(p.text))]

    def facts_frame(self, regions: Iterable[str] | None = None) -> pd.DataFrame:
        """Every fact, or those of `regions` (official names), in document order."""
        if self._view is not None:
            return self._view.facts_frame(regions)
        return _frame((f for x in self.extractions for f in x.facts), FACT_FIELDS, regions)

    def initiatives_frame(self, regions: Iterable[str] | None = None) -> pd.DataFrame:
        """Every initiative, or those of `regions` (official names), in document order."""
        if self._view is not None:
            return self._view.initiatives_frame(regions)
        return _frame((i for x in self.extractions for i in x.initiatives), INITIATIVE_FIELDS, regions)


def _frame(items: Iterable, fields: Sequence[str], regions: Iterable[str] | None) -> pd.DataFrame:
    """A table of facts or initiatives (anything with .region and .to_dict()), optionally of some regions."""
    import pandas as pd

    wanted = None if regions is None else set(regions)
    rows = [item.to_dict() for item in items if wanted is None or item.region in wanted]
    return pd.DataFrame(rows, columns=list(fields))
