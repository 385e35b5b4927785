"""The corpus tables' schema: their columns and types, and their rows built from extractions."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

FACT_TYPES = {"year": "int64", "value": "float64", "start": "int64", "end": "int64"}
INITIATIVE_TYPES = {"start": "int64", "end": "int64"}
INDEX_FIELDS = ("key", "doc", "status", "reason", "regions", "facts", "format", "title", "year", "own")
INDEX_TYPES = {"facts": "int64", "year": "int64", "regions": "list", "own": "list"}
# The passages a brief quotes from: those attributed to a region.
PASSAGE_FIELDS = ("doc", "region", "year", "start", "text")
PASSAGE_TYPES = {"year": "int64", "start": "int64"}
REGION_FIELDS = ("name", "short", "en", "province", "level", "code", "path", "path_en")
REGION_TYPES = {"path": "list", "path_en": "list"}

def arrow():
    import pyarrow

    return pyarrow


def index_row(key: str, x: Any, reason: str | None = None, named: Iterable[str] = ()) -> tuple:
    """A row of INDEX_FIELDS: `regions` has every region the document names (`named`, see
    named_regions), `own` the regions it is about (in its order). For a failure, `x` is the file's name."""
    if reason is not None:
        return (key, x, "failed", reason, [], 0, None, None, None, [])
    seg = x.segmentation
    return (key, x.document.name, "ok", None, sorted(named), len(x.facts), x.document.format, seg.title,
            seg.year, [r.name for r in seg.regions])


def named_regions(seg: Any) -> dict[str, Any]:
    """Every region a segmentation names, by official name: its own, then its passages' in order."""
    regions = {r.name: r for r in seg.regions}
    for p in seg.passages:
        if p.region is not None:
            regions.setdefault(p.region.name, p.region)
    return regions


def extraction_tables(entries: Sequence[tuple[str, Any, str | None]], fact_fields: Sequence[str],
                      initiative_fields: Sequence[str]) -> tuple[dict[str, pa.Table], list[tuple]]:
    """The corpus tables' rows for some documents: index, facts, initiatives and passages as Arrow
    tables (in entry order), and one row of REGION_FIELDS per region they name.

    `entries` are (key, extraction, None), or (key, file name, reason) for a file that failed.
    Built column by column, with no row tuples: in an ingest this runs in the worker processes.
    """
    from operator import attrgetter

    index, done = [], []
    regions: dict[str, Any] = {}
    for key, x, reason in entries:
        if reason is not None:
            index.append(index_row(key, x, reason))
            continue
        named = named_regions(x.segmentation)
        index.append(index_row(key, x, None, named))
        done.append((key, x))
        for name, region in named.items():
            regions.setdefault(name, region)
    facts = [f for _, x in done for f in x.facts]
    columns = {name: list(map(attrgetter(name), facts)) for name in fact_fields}
    if "change" in columns:  # a dict, held as JSON text (as in CSV)
        columns["change"] = [None if c is None else _json(c) for c in columns["change"]]
    columns["_key"] = [k for k, x in done for _ in x.facts]
    tables = {"index": rows_table(index, INDEX_FIELDS, INDEX_TYPES),
              "facts": columns_table(columns, (*fact_fields, "_key"), FACT_TYPES)}
    inits = [i for _, x in done for i in x.initiatives]
    columns = {name: list(map(attrgetter(name), inits)) for name in initiative_fields}
    columns["_key"] = [k for k, x in done for _ in x.initiatives]
    tables["initiatives"] = columns_table(columns, (*initiative_fields, "_key"), INITIATIVE_TYPES)
    passages = [(x.document.name, p) for _, x in done for p in x.segmentation.passages if p.region is not None]
    tables["passages"] = columns_table({
        "doc": [d for d, _ in passages], "region": [p.region.name for _, p in passages],
        "year": [p.year for _, p in passages], "start": [p.start for _, p in passages],
        "text": [p.text for _, p in passages]}, PASSAGE_FIELDS, PASSAGE_TYPES)
    return tables, [(*(getattr(r, f) for f in REGION_FIELDS[:-2]), list(r.path), list(r.path_en))
                    for r in regions.values()]


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def columns_table(columns: Mapping[str, Sequence], fields: Sequence[str], types: Mapping[str, str]) -> pa.Table:
    """A typed Arrow table from one sequence per field: the listed numeric and list types, else text."""
    pa = arrow()
    kinds = {"list": pa.list_(pa.string()), "string": pa.string()}
    arrays = [pa.array(columns[name], kinds.get(kind) or getattr(pa, kind)())
              for name, kind in ((n, types.get(n, "string")) for n in fields)]
    return pa.Table.from_arrays(arrays, names=list(fields))


def rows_table(rows: Sequence[tuple], fields: Sequence[str], types: Mapping[str, str]) -> pa.Table:
    """A typed Arrow table from row tuples (see columns_table)."""
    columns = list(zip(*rows)) if rows else [()] * len(fields)
    return columns_table(dict(zip(fields, columns)), fields, types)


def initiatives_frame_from_table(table: pa.Table) -> pd.DataFrame:
    return table.drop_columns([c for c in ("_key",) if c in table.column_names]).to_pandas()


def facts_frame_from_table(table: pa.Table) -> pd.DataFrame:
    """The facts frame a Corpus gives, from its Parquet form (`change` decoded back to dicts)."""
    frame = table.drop_columns([c for c in ("_key",) if c in table.column_names]).to_pandas()
    if "change" in frame:
        frame["change"] = frame["change"].map(lambda c: json.loads(c) if isinstance(c, str) else None)
    return frame
