"""The store: a corpus read from its input files once, extracted on all cores, and cached.

`load_corpus()` is the entry point. Without a cache folder every file is read and extracted on each
run (workers.py); with one, the store keeps each document's extraction by content (cache.py) and
each input set's Parquet tables (schema.py), which a brief reads (ingest.py). engines.py maps the
same extraction over a Dask cluster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping, Sequence

from briefgen.documents import list_input_files
from briefgen.store.corpus import Corpus, DocumentInfo, PassageRow
from briefgen.store.ingest import ingest_inputs
from briefgen.store.workers import extract_files

__all__ = ["Corpus", "DocumentInfo", "PassageRow", "load_corpus"]


def load_corpus(paths: Iterable[str | Path], lex: Mapping[str, Sequence[str]], *,
                cache: str | Path | None = None, jobs: int | None = None, progress: bool | None = None,
                max_bytes: int | None = None, regions: Sequence[str] | None = None) -> Corpus:
    """Read and extract every input file; unreadable ones are kept as failures.

    With `cache`, extractions come from the store when the file's bytes are unchanged, and
    `regions` (short, full or pinyin names) loads only the documents that mention them.
    """
    if cache is None:
        return Corpus(*extract_files(list_input_files(paths), lex, jobs, progress, max_bytes))
    ing = ingest_inputs(paths, lex, cache=cache, jobs=jobs, progress=progress, max_bytes=max_bytes)
    return ing.corpus(regions)
