"""Workers: extraction of many files, in this process for a few, else on a pool of processes.

Results come back in input order, with a progress bar on long runs in a terminal.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator, Sequence

from briefgen.documents import Document, Failure, read_document
from briefgen.errors import DocumentError
from briefgen.extract import Extraction, extract_document
from briefgen.extract.facts import FIELDS as FACT_FIELDS
from briefgen.extract.initiatives import FIELDS as INITIATIVE_FIELDS
from briefgen.store.cache import ExtractionStore
from briefgen.store.schema import extraction_tables

# Below this many documents to extract (or 10 times as many to load from the store), worker
# start-up costs more than it saves.
_MIN_PARALLEL = 24
# Above this many documents, a progress bar is shown (when standard error is a terminal).
_MIN_PROGRESS = 200
# Documents per task sent to a worker: its table rows come back as one set of Arrow tables.
_CHUNK = 64


def read_input(path: Path, max_bytes: int | None) -> Document:
    """One input file read, within the size limit when one is given."""
    return read_document(path) if max_bytes is None else read_document(path, max_bytes=max_bytes)


def _extract_file(path: Path, lex, max_bytes) -> tuple[Extraction | None, str | None]:
    """(extraction, None), or (None, the reason it failed); never raises."""
    try:
        return extract_document(read_input(path, max_bytes), lex), None
    except DocumentError as exc:
        return None, exc.reason
    except Exception as exc:  # an extractor bug on one file must not lose the whole run
        return None, f"extraction failed ({type(exc).__name__}: {exc})"


def chunk_tables(items: Sequence[tuple[Path, str]], lex, store: ExtractionStore | None,
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
    return chunk_tables(items, _WORKER["lex"], _WORKER["store"], _WORKER["max_bytes"])


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


def map_chunks(items: list[tuple[Path, str]], lex, store: ExtractionStore | None, jobs, progress,
                max_bytes) -> Iterator[tuple[dict, list[tuple]]]:
    """Table rows of `items`, a chunk at a time in input order: in this process for a few files,
    else on `jobs` processes (which also read and write the store)."""
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    to_extract = len(items) if store is None else sum(1 for _, k in items if not store.has(k))
    size = max(4, min(_CHUNK, len(items) // (jobs * 8)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    parallel = jobs > 1 and (to_extract >= _MIN_PARALLEL or len(items) >= 10 * _MIN_PARALLEL)
    yield from _in_order(chunks, [len(c) for c in chunks], lambda c: chunk_tables(c, lex, store, max_bytes),
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


def extract_files(paths: list[Path], lex, jobs, progress, max_bytes) -> tuple[list[Extraction], list[Failure]]:
    """Every file read and extracted on this run (no store): the extractions and the failures."""
    extractions, failures = [], []
    for path, (x, reason) in zip(paths, _map_extract(paths, lex, jobs, progress, max_bytes)):
        if x is None:
            failures.append(Failure(path, reason))
        else:
            extractions.append(x)
    return extractions, failures
