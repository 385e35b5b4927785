"""Corpus: every document of the input read, segmented and extracted, gathered before any brief.

With a cache folder, each document is extracted once per content (see store.py); the misses
are extracted on all cores. Without one, everything is read and extracted on every run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence

from briefgen.documents import Document, Failure, list_input_files, read_document
from briefgen.errors import DocumentError
from briefgen.facts import FIELDS as FACT_FIELDS, Fact, extract_facts
from briefgen.initiatives import FIELDS as INITIATIVE_FIELDS, Initiative, extract_initiatives
from briefgen.segment import Segmentation, segment_document
from briefgen.regions import Region
from briefgen.store import (PASSAGE_FIELDS, REGION_FIELDS, ExtractionStore, FileKeys, extraction_tables, facts_frame_from_table,
                            initiatives_frame_from_table, rows_table)

if TYPE_CHECKING:
    import pandas as pd

# Below this many documents to extract (or 10 times as many to load from the store), worker
# start-up costs more than it saves.
_MIN_PARALLEL = 24
# Above this many documents, a progress bar is shown (when standard error is a terminal).
_MIN_PROGRESS = 200
# Documents per task sent to a worker: its table rows come back as one set of Arrow tables.
_CHUNK = 64


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


class Corpus:
    """All documents of one input and what was extracted from them, plus the files that could not be read.

    In memory, everything comes from the extractions. Over the store, a brief's tables, passages
    and document list are read from Parquet, and the full extractions are unpickled only when
    something asks for them (`briefgen facts`, say), which a brief never does.
    """

    def __init__(self, extractions: list[Extraction] | None, failures: list[Failure] | None = None,
                 view: _StoreView | None = None):
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


def load_corpus(paths: Iterable[str | Path], lex: Mapping[str, Sequence[str]], *,
                cache: str | Path | None = None, jobs: int | None = None, progress: bool | None = None,
                max_bytes: int | None = None, regions: Sequence[str] | None = None) -> Corpus:
    """Read and extract every input file; unreadable ones are kept as failures.

    With `cache`, extractions come from the store when the file's bytes are unchanged, and
    `regions` (short, full or pinyin names) loads only the documents that mention them.
    """
    if cache is None:
        return _load_uncached(list_input_files(paths), lex, jobs, progress, max_bytes)
    ing = ingest(paths, lex, cache=cache, jobs=jobs, progress=progress, max_bytes=max_bytes)
    return ing.corpus(regions)


# -- ingest: bring the store up to date with an input set ---------------------------------

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

        Names are matched as the brief matches them (regions.matches: short, full or pinyin) against
        the corpus's own regions table, so no gazetteer has to be built for a brief.
        """
        if not regions:
            return None
        from briefgen.regions import matches

        known = self.regions().values()
        wanted: set[str] = set()
        for query in (q.strip() for q in regions if q.strip()):
            names = {r.name for r in known if matches(r, query)}
            if not names:
                return None  # let the brief report the unknown region with the full list
            wanted |= names
        return [(p, k) for p, k in self.files if wanted.intersection(self.index[k]["regions"])]

    def regions(self) -> dict[str, Region]:
        """Every region of the corpus by official name."""
        if self._regions is None:
            table = self.store.read_table(self.digest, "regions")
            self._regions = {row[0]: Region(*row) for row in zip(*(table[c].to_pylist() for c in REGION_FIELDS))}
        return self._regions

    def corpus(self, regions: Sequence[str] | None = None) -> Corpus:
        """Every readable file (or those naming `regions`), read from the store's tables."""
        ok = [(p, k) for p, k in self.files if self.index[k]["status"] == "ok"]
        selected = self.select(regions)
        chosen = ok if selected is None else [(p, k) for p, k in selected if self.index[k]["status"] == "ok"]
        docs = None if len(chosen) == len(ok) else [self.index[k]["doc"] for _, k in chosen]
        return Corpus(None, list(self.failures), _StoreView(self, chosen, docs))


@dataclass
class _StoreView:
    """The documents of one corpus as the store holds them: Parquet tables, pickles on demand."""

    ingest: Ingest
    chosen: list[tuple[Path, str]]
    docs: list[str] | None  # None: every readable document of the ingest

    def load_extractions(self) -> list[Extraction]:
        ing, out = self.ingest, []
        for path, key in self.chosen:
            x = ing.store.load(key, path)
            if x is None:  # removed from the cache since the ingest: extract it again
                x = extract_document(_read(path, None), ing.store.lex)
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


def ingest(paths: Iterable[str | Path], lex: Mapping[str, Sequence[str]], *, cache: str | Path,
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
    for tables, region_rows in _map_chunks(files, lex, store, jobs, progress, max_bytes):
        for name, table in tables.items():
            parts.setdefault(name, []).append(table)
        for row in region_rows:
            regions.setdefault(row[0], row)
    if not parts:  # no input files: empty tables, with their columns
        parts = {name: [table] for name, table in _chunk_tables([], lex, None, max_bytes)[0].items()}
    out = {name: pa.concat_tables(tables) for name, tables in parts.items()}
    out["regions"] = rows_table(list(regions.values()), REGION_FIELDS, {})
    store.write_tables(digest, out)


# -- extraction, in this process or on all cores -----------------------------------------

def _read(path: Path, max_bytes: int | None) -> Document:
    return read_document(path) if max_bytes is None else read_document(path, max_bytes=max_bytes)


def _extract_file(path: Path, lex, max_bytes) -> tuple[Extraction | None, str | None]:
    """(extraction, None), or (None, the reason it failed); never raises."""
    try:
        return extract_document(_read(path, max_bytes), lex), None
    except DocumentError as exc:
        return None, exc.reason
    except Exception as exc:  # an extractor bug on one file must not lose the whole run
        return None, f"extraction failed ({type(exc).__name__}: {exc})"


def _chunk_tables(items: Sequence[tuple[Path, str]], lex, store: ExtractionStore | None,
                  max_bytes) -> tuple[dict, list[tuple]]:
    """The table rows of some files (see store.extraction_tables): each one's extraction is loaded
    from the store, or extracted and saved there."""
    entries = []
    for path, key in items:
        x = store.load(key, path) if store is not None else None
        if x is None:
            x, reason = _extract_file(path, lex, max_bytes)
            if x is not None and store is not None:
                store.save(key, x)
            entries.append((key, x, None) if x is not None else (key, path.name, reason))
        else:
            entries.append((key, x, None))
    return extraction_tables(entries, FACT_FIELDS, INITIATIVE_FIELDS)


_WORKER: dict = {}


def _init_worker(lex, store, max_bytes) -> None:
    _WORKER.update(lex=lex, store=store, max_bytes=max_bytes)


def _work_chunk(items):
    return _chunk_tables(items, _WORKER["lex"], _WORKER["store"], _WORKER["max_bytes"])


def _work_one(path: Path):
    return _extract_file(path, _WORKER["lex"], _WORKER["max_bytes"])


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _pool(jobs: int, lex, store: ExtractionStore | None, max_bytes):
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(dict(lex), store, max_bytes))


def _map_chunks(items: list[tuple[Path, str]], lex, store: ExtractionStore | None, jobs, progress,
                max_bytes) -> Iterator[tuple[dict, list[tuple]]]:
    """Table rows of `items`, a chunk at a time in input order: in this process for a few files,
    else on `jobs` processes (which also read and write the store)."""
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    to_extract = len(items) if store is None else sum(1 for _, k in items if not store.has(k))
    size = max(4, min(_CHUNK, len(items) // (jobs * 8)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    parallel = jobs > 1 and (to_extract >= _MIN_PARALLEL or len(items) >= 10 * _MIN_PARALLEL)
    yield from _in_order(chunks, [len(c) for c in chunks], lambda c: _chunk_tables(c, lex, store, max_bytes),
                         _work_chunk, (jobs, lex, store, max_bytes) if parallel else None, 1, progress)


def _map_extract(paths: list[Path], lex, jobs, progress, max_bytes) -> Iterator[tuple[Extraction | None, str | None]]:
    """(extraction, failure reason) of each file in order, with no store: in this process for a
    few files, else on `jobs` processes."""
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    parallel = jobs > 1 and len(paths) >= _MIN_PARALLEL
    yield from _in_order(paths, [1] * len(paths), lambda p: _extract_file(p, lex, max_bytes), _work_one,
                         (jobs, lex, None, max_bytes) if parallel else None,
                         max(1, min(32, len(paths) // (jobs * 8))), progress)


def _in_order(items: list, sizes: list[int], here, in_worker, pool_args: tuple | None, chunksize: int,
              progress: bool | None) -> Iterator:
    """`here(item)` for each item in this process, or with `pool_args` (jobs, lex, store, max_bytes)
    `in_worker(item)` on a process pool; results in input order, the bar moved by each item's size."""
    bar = _progress_bar(sum(sizes), progress)
    try:
        if pool_args is None:
            for item, n in zip(items, sizes):
                yield here(item)
                bar.update(n)
            return
        with _pool(*pool_args) as pool:
            for n, result in zip(sizes, pool.map(in_worker, items, chunksize=chunksize)):
                yield result
                bar.update(n)
    finally:
        bar.close()


def _progress_bar(total: int, progress: bool | None):
    from tqdm import tqdm

    show = progress if progress is not None else (total >= _MIN_PROGRESS and sys.stderr.isatty())
    return tqdm(total=total, disable=not show, file=sys.stderr, unit="doc", desc="extracting",
                leave=False, dynamic_ncols=True)


def _load_uncached(paths: list[Path], lex, jobs, progress, max_bytes) -> Corpus:
    """Every file read and extracted on this run (no store)."""
    extractions, failures = [], []
    for path, (x, reason) in zip(paths, _map_extract(paths, lex, jobs, progress, max_bytes)):
        if x is None:
            failures.append(Failure(path, reason))
        else:
            extractions.append(x)
    return Corpus(extractions, failures)
