"""Ingest: an input set brought up to date in the store, and a corpus read back from its tables."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from briefgen.documents import Failure, list_input_files
from briefgen.extract import Extraction, extract_document
from briefgen.extract.regions import Region
from briefgen.store.cache import ExtractionStore, FileKeys
from briefgen.store.corpus import Corpus, DocumentInfo, PassageRow
from briefgen.store.schema import (PASSAGE_FIELDS, REGION_FIELDS, REGION_TYPES, facts_frame_from_table, initiatives_frame_from_table,
                                   rows_table)
from briefgen.store.workers import chunk_tables, map_chunks, read_input

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Ingest:
    """An input set brought into the store: its files' keys, failures and Parquet tables."""

    store: ExtractionStore
    digest: str
    files: list[tuple[Path, str]]
    failures: list[Failure]
    index: dict[str, dict]
    _regions: dict[str, Region] | None = field(default=None, repr=False)

    def facts_frame(self, docs: Sequence[str] | None = None, regions: Iterable[str] | None = None) -> pd.DataFrame:
        return facts_frame_from_table(self.store.read_table(self.digest, "facts", docs, regions))

    def initiatives_frame(self, docs: Sequence[str] | None = None,
                          regions: Iterable[str] | None = None) -> pd.DataFrame:
        return initiatives_frame_from_table(self.store.read_table(self.digest, "initiatives", docs, regions))

    def select(self, regions: Sequence[str] | None) -> list[tuple[Path, str]] | None:
        """Files whose passages name one of `regions`; None when a name is unknown here.

        Names are matched as the brief matches them (regions.choose_regions: any name, at any level)
        against the corpus's own regions table.
        """
        if not regions:
            return None
        from briefgen.extract.regions import choose_regions

        chosen, unknown = choose_regions(list(self.regions().values()), list(regions))
        if unknown:
            return None  # let the brief report the unknown region with the full list
        wanted = {r.name for r in chosen}
        return [(p, k) for p, k in self.files if wanted.intersection(self.index[k]["regions"])]

    def regions(self) -> dict[str, Region]:
        """Every region of the corpus by official name."""
        if self._regions is None:
            table = self.store.read_table(self.digest, "regions")
            rows = zip(*(table[c].to_pylist() for c in REGION_FIELDS))
            self._regions = {row[0]: Region(*row[:-2], tuple(row[-2] or ()), tuple(row[-1] or ())) for row in rows}
        return self._regions

    def corpus(self, regions: Sequence[str] | None = None) -> Corpus:
        """Every readable file (or those naming `regions`), read from the store's tables."""
        ok = [(p, k) for p, k in self.files if self.index[k]["status"] == "ok"]
        selected = self.select(regions)
        chosen = ok if selected is None else [(p, k) for p, k in selected if self.index[k]["status"] == "ok"]
        docs = None if len(chosen) == len(ok) else [self.index[k]["doc"] for _, k in chosen]
        return Corpus(None, list(self.failures), StoreView(self, chosen, docs))


@dataclass
class StoreView:
    """The documents of one corpus as the store holds them: Parquet tables, pickles on demand."""

    ingest: Ingest
    chosen: list[tuple[Path, str]]
    docs: list[str] | None  # None: every readable document of the ingest

    def load_extractions(self) -> list[Extraction]:
        ing, out = self.ingest, []
        for path, key in self.chosen:
            x = ing.store.load(key, path)
            if x is None:  # removed from the cache since the ingest: extract it again
                x = extract_document(read_input(path, None), ing.store.lex)
                ing.store.save(key, x)
            out.append(x)
        return out

    def document_infos(self) -> list[DocumentInfo]:
        regions = self.ingest.regions()
        rows = (self.ingest.index[k] for _, k in self.chosen)
        return [DocumentInfo(r["doc"], r["format"], r["title"], r["year"], tuple(regions[n] for n in r["own"]))
                for r in rows]

    def passages(self, regions: Iterable[str], mentioning: re.Pattern | None = None) -> list[PassageRow]:
        import pyarrow as pa

        table = self.ingest.store.read_table(self.ingest.digest, "passages", self.docs, regions=regions)
        if mentioning is not None:
            # Tested on the text column alone: the other columns, the sort and the rows are built
            # for the few passages a brief on one topic reads (~4k of ~54k over a large store).
            found = [mentioning.search(text) is not None for text in table["text"].to_pylist()]
            table = table.filter(pa.array(found, pa.bool_()))
        rows = sorted(zip(*(table[c].to_pylist() for c in PASSAGE_FIELDS)), key=self._order())
        return [PassageRow(*row) for row in rows]

    def _order(self):
        # The file is sorted by region; a brief reads passages in document order, as in memory.
        position = {r["doc"]: i for i, r in enumerate(self.ingest.index[k] for _, k in self.chosen)}
        return lambda row: (position.get(row[0], len(position)), row[3])

    def facts_frame(self, regions: Iterable[str] | None = None) -> pd.DataFrame:
        return self.ingest.facts_frame(self.docs, regions)

    def initiatives_frame(self, regions: Iterable[str] | None = None) -> pd.DataFrame:
        return self.ingest.initiatives_frame(self.docs, regions)


def ingest_inputs(paths: Iterable[str | Path], lex: Mapping[str, Sequence[str]], *, cache: str | Path,
           jobs: int | None = None, progress: bool | None = None, max_bytes: int | None = None) -> Ingest:
    """Extract the files the store does not hold yet (on all cores) and write the corpus tables."""
    store = ExtractionStore(cache, lex)
    store.prune()
    files, failures = _scan(list_input_files(paths), FileKeys(cache))
    digest = hashlib.sha256(json.dumps([max_bytes, [k for _, k in files]]).encode()).hexdigest()[:24]
    if not store.has_tables(digest):
        _build_tables(store, digest, files, lex, jobs, progress, max_bytes)
    index = {row["key"]: row for row in store.read_table(digest, "index").to_pylist()}
    by_key = dict((k, p) for p, k in files)
    failures += [Failure(by_key[k], row["reason"]) for k, row in index.items()
                 if row["status"] != "ok" and k in by_key]
    return Ingest(store, digest, files, failures, index)


def _scan(paths: list[Path], keys: FileKeys) -> tuple[list[tuple[Path, str]], list[Failure]]:
    """Each file's cache key from its raw bytes, or from its unchanged stat (no parsing either way)."""
    files, failures, seen = [], [], set()
    for path in paths:
        try:
            key = keys.key(path)
        except OSError as exc:
            failures.append(Failure(path, f"cannot read file ({exc.strerror or exc})"))
            continue
        if key in seen:  # the same file listed twice (e.g. a folder and a file in it)
            continue
        seen.add(key)
        files.append((path, key))
    keys.save()
    return files, failures


def _build_tables(store: ExtractionStore, digest: str, files: list[tuple[Path, str]],
                  lex: Mapping[str, Sequence[str]], jobs, progress, max_bytes) -> None:
    """Every file's table rows, from its stored extraction or a new one, gathered in input order."""
    import pyarrow as pa

    parts: dict[str, list] = {}
    regions: dict[str, tuple] = {}
    for tables, region_rows in map_chunks(files, lex, store, jobs, progress, max_bytes):
        for name, table in tables.items():
            parts.setdefault(name, []).append(table)
        for row in region_rows:
            regions.setdefault(row[0], row)
    if not parts:  # no input files: empty tables, with their columns
        parts = {name: [table] for name, table in chunk_tables([], lex, None, max_bytes)[0].items()}
    out = {name: pa.concat_tables(tables) for name, tables in parts.items()}
    out["regions"] = rows_table(list(regions.values()), REGION_FIELDS, REGION_TYPES)
    store.write_tables(digest, out)
