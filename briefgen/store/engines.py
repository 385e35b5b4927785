"""Engines: the same per-document extraction mapped over a Dask cluster, for national corpora.

Workers read the input files and write the facts as a Parquet dataset partitioned by province
and year (`province=广东省/year=2023/part-….parquet`), so nothing large passes through the client.
Inputs and output must therefore be on storage every worker sees (a shared filesystem).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from briefgen.documents import Failure, list_input_files

if TYPE_CHECKING:
    import pandas as pd

PARTITIONS = ("province", "year")
_BATCH = 64


@dataclass(frozen=True)
class DatasetResult:
    """What a distributed run wrote: the dataset folder, counts, and the files it skipped."""

    path: Path
    documents: int
    facts: int
    failures: list[Failure]


def _extract_batch(batch_id: int, paths: Sequence[str], lex: Mapping[str, Sequence[str]], out_dir: str,
                   max_bytes: int | None, cache: str | None) -> tuple[int, int, list[tuple[str, str]]]:
    """On a worker: extract a batch of files and write its facts into the partitioned dataset."""
    import pyarrow.parquet as pq

    from briefgen.store.workers import chunk_tables
    from briefgen.store.cache import ExtractionStore, document_key

    store = ExtractionStore(cache, lex) if cache else None
    items = [(path, document_key(path.read_bytes(), path.name) if store else "") for path in map(Path, paths)]
    tables, _ = chunk_tables(items, lex, store, max_bytes)
    index = tables["index"].to_pydict()
    failures = [(str(path), reason) for (path, _), status, reason in zip(items, index["status"], index["reason"])
                if status != "ok"]
    facts = tables["facts"].drop_columns(["_key"])
    if facts.num_rows:
        pq.write_to_dataset(facts, out_dir, partition_cols=list(PARTITIONS),
                            basename_template=f"part-{batch_id:06d}-{{i}}.parquet",
                            existing_data_behavior="overwrite_or_ignore")
    return len(items) - len(failures), facts.num_rows, failures


def extract_to_dataset(paths: Iterable[str | Path], lex: Mapping[str, Sequence[str]], out_dir: str | Path, *,
                       scheduler: str | None = None, n_workers: int | None = None, processes: bool = True,
                       batch_size: int = _BATCH, max_bytes: int | None = None,
                       cache: str | Path | None = None) -> DatasetResult:
    """Map extraction over a Dask cluster (`scheduler` address, else a local one) into out_dir.

    With `cache` (a folder every worker sees), the workers also fill the extraction store, so a
    brief over the same input afterwards reads every document from it instead of extracting.
    """
    from dask.distributed import Client, LocalCluster

    from briefgen.store.workers import default_jobs

    files = [str(p.resolve()) for p in list_input_files(paths)]
    out = Path(out_dir).resolve()
    # Written beside the target, then swapped in, so a failed run never leaves a mixed dataset.
    staging = out.with_name(f".{out.name}.{os.getpid()}.part")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    batches = [files[i:i + batch_size] for i in range(0, len(files), batch_size)]
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler)
        else:
            cluster = LocalCluster(n_workers=n_workers or default_jobs(), threads_per_worker=1,
                                   processes=processes, dashboard_address=None)
            client = Client(cluster)
        with client:
            lex_future = client.scatter(dict(lex), broadcast=True)
            futures = client.map(_extract_batch, range(len(batches)), batches, lex=lex_future,
                                 out_dir=str(staging), max_bytes=max_bytes, pure=False,
                                 cache=str(Path(cache).resolve()) if cache else None)
            results = client.gather(futures)
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if cluster is not None:
            cluster.close()
    failures = [Failure(Path(p), reason) for _, _, fs in results for p, reason in fs]
    return DatasetResult(out, sum(r[0] for r in results), sum(r[1] for r in results), failures)


def _swap_in(staging: Path, out: Path) -> None:
    old = out.with_name(f".{out.name}.{os.getpid()}.old")
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def read_fact_dataset(path: str | Path) -> pd.DataFrame:
    """A partitioned facts dataset as the facts frame a local corpus gives (same columns, same types)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    from briefgen.extract.facts import FIELDS
    from briefgen.store.schema import facts_frame_from_table

    part = ds.partitioning(pa.schema([("province", pa.string()), ("year", pa.int64())]), flavor="hive")
    table = ds.dataset(str(path), format="parquet", partitioning=part).to_table()
    table = table.select(list(FIELDS)).sort_by([("doc", "ascending"), ("start", "ascending"),
                                                 ("end", "ascending"), ("subject", "ascending")])
    return facts_frame_from_table(table)

