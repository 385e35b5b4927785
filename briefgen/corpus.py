"""Corpus: every document of the input read, segmented and extracted, gathered before any brief."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pandas as pd

from briefgen.documents import Document, Failure, read_documents
from briefgen.facts import FIELDS as FACT_FIELDS, Fact, extract_facts
from briefgen.initiatives import FIELDS as INITIATIVE_FIELDS, Initiative, extract_initiatives
from briefgen.segment import Segmentation, segment_document


@dataclass(frozen=True)
class Extraction:
    """What one document yields: its segmentation, facts and initiatives."""

    document: Document
    segmentation: Segmentation
    facts: tuple[Fact, ...]
    initiatives: tuple[Initiative, ...]


def extract_document(doc: Document, lex: Mapping[str, Sequence[str]]) -> Extraction:
    """The pure per-document extraction: the unit that caching and parallel engines map over."""
    seg = segment_document(doc)
    return Extraction(doc, seg, tuple(extract_facts(doc, seg, lex)), tuple(extract_initiatives(doc, seg)))


@dataclass
class Corpus:
    """All extractions of one input, plus the files that could not be read."""

    extractions: list[Extraction]
    failures: list[Failure] = field(default_factory=list)

    @property
    def documents(self) -> list[Document]:
        return [x.document for x in self.extractions]

    def facts_frame(self) -> pd.DataFrame:
        rows = [f.to_dict() for x in self.extractions for f in x.facts]
        return pd.DataFrame(rows, columns=list(FACT_FIELDS))

    def initiatives_frame(self) -> pd.DataFrame:
        rows = [i.to_dict() for x in self.extractions for i in x.initiatives]
        return pd.DataFrame(rows, columns=list(INITIATIVE_FIELDS))


def load_corpus(paths: Iterable[str | Path], lex: Mapping[str, Sequence[str]]) -> Corpus:
    """Read and extract every input file; unreadable ones are kept as failures."""
    docs, failures = read_documents(paths)
    return Corpus([extract_document(d, lex) for d in docs], failures)
