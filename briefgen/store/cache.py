"""The cache: each document's extraction kept by content hash, and each corpus's tables in Parquet.

Layout under the cache folder (safe to delete at any time):

    extract-<version>-<lexicon>/docs/ab/<key>.pkl      one pickled Extraction per document
    extract-<version>-<lexicon>/corpora/<digest>/      index, facts, initiatives, passages and regions
                                                       of one input set (what a brief reads)
    file-keys.json                                     each input file's key by its path and stat

The version folder changes whenever the extractor's code or data or the topic lexicons change, so
a stale cache is never read. Every file is written atomically (write to a temporary name, then
rename), so concurrent runs can share one cache: the worst case is the same file written twice.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import shutil
import time
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import briefgen
from briefgen.outputs import atomic_path, write_atomic
from briefgen.store.schema import arrow

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from briefgen.extract import Extraction

# Other version folders are removed once they have not been used for this long.
_PRUNE_AFTER_S = 24 * 3600
_PICKLE = pickle.HIGHEST_PROTOCOL

# Tables sorted by region in the file (rows per row group), so that a brief on a few regions of a
# large corpus reads only the row groups that hold them. Facts and initiatives keep their input
# order in a `_row` column, which a read restores: citation numbers follow that order.
_BY_REGION = {"passages": 8192, "facts": 4096, "initiatives": 4096}
_KEEPS_ORDER = ("facts", "initiatives")
# A file whose modification time is this close to when its key was recorded may have changed
# within the same clock tick; its bytes are hashed again (git's "racy" rule).
_RACY_S = 2.0
# Past this many remembered files, entries of files not seen in this run are forgotten.
_MAX_FILE_KEYS = 200_000


def extractor_sources() -> list[Path]:
    """What one document's extraction depends on: the document readers, the extract package and
    the data files. Editing anything else (a template, the renderer, the store) re-extracts nothing."""
    package = Path(briefgen.__file__).parent
    data = Path(str(resources.files("briefgen").joinpath("data")))
    return [package / "documents.py", *sorted((package / "extract").glob("*.py")),
            *sorted(p for p in data.rglob("*") if p.is_file())]


@functools.lru_cache(maxsize=1)
def extractor_version() -> str:
    """briefgen's version plus a hash of the extractor's sources and data files."""
    h = hashlib.sha256(briefgen.__version__.encode())
    for path in extractor_sources():
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return f"{briefgen.__version__}-{h.hexdigest()[:12]}"


def lexicon_digest(lex: Mapping[str, Sequence[str]]) -> str:
    """A hash of the topic lexicons; their order matters (ties go to the first topic)."""
    text = json.dumps([[k, list(v)] for k, v in lex.items()], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def document_key(raw: bytes, name: str) -> str:
    """The cache key of one input file: its bytes' sha256 and its name (facts carry the name)."""
    return hashlib.sha256(raw).hexdigest()[:48] + "-" + hashlib.sha256(name.encode()).hexdigest()[:8]


class ExtractionStore:
    """Per-document extractions and per-corpus Parquet tables under one cache folder."""

    def __init__(self, root: str | Path, lex: Mapping[str, Sequence[str]]):
        self.root = Path(root)
        self.lex = dict(lex)
        self.dir = self.root / f"extract-{extractor_version()}-{lexicon_digest(lex)}"

    # -- per document ------------------------------------------------------------------

    def _doc_path(self, key: str) -> Path:
        return self.dir / "docs" / key[:2] / f"{key}.pkl"

    def has(self, key: str) -> bool:
        return self._doc_path(key).is_file()

    def load(self, key: str, path: Path | None = None) -> Extraction | None:
        """The cached extraction, re-pointed at `path`; None when missing or unreadable."""
        file = self._doc_path(key)
        try:
            x = pickle.loads(file.read_bytes())
        except FileNotFoundError:
            return None
        except Exception:  # a truncated or foreign file is a miss, never an error
            file.unlink(missing_ok=True)
            return None
        if path is not None and x.document.path != path:
            x = replace(x, document=replace(x.document, path=path))
        return x

    def save(self, key: str, x: Extraction) -> None:
        # Not fsynced: load() takes an empty or truncated file after a crash for a miss.
        write_atomic(self._doc_path(key), pickle.dumps(x, protocol=_PICKLE), durable=False)

    # -- per corpus --------------------------------------------------------------------

    def corpus_dir(self, digest: str) -> Path:
        return self.dir / "corpora" / digest

    def has_tables(self, digest: str) -> bool:
        return (self.corpus_dir(digest) / "index.parquet").is_file()

    def write_tables(self, digest: str, tables: Mapping[str, pa.Table]) -> None:
        """Write the corpus tables; the index goes last, as the mark of completeness."""
        import pyarrow.parquet as pq

        folder = self.corpus_dir(digest)
        for name in sorted(tables, key=lambda n: n == "index"):
            table = tables[name]
            with atomic_path(folder / f"{name}.parquet") as tmp:
                if name in _BY_REGION:
                    if name in _KEEPS_ORDER:
                        table = table.append_column("_row", arrow().array(range(table.num_rows), arrow().int64()))
                    # By region only (the sort is stable: files stay in input order within a region).
                    pq.write_table(table.sort_by("region"), tmp, compression="zstd", row_group_size=_BY_REGION[name])
                else:
                    pq.write_table(table, tmp, compression="zstd")

    def read_table(self, digest: str, name: str, docs: Iterable[str] | None = None,
                   regions: Iterable[str] | None = None) -> pa.Table:
        """One corpus table, optionally only the rows of some documents and/or regions, in input order
        (passages: grouped by region)."""
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        filters = [("region", "in", sorted(set(regions)))] if regions is not None else None
        table = pq.read_table(self.corpus_dir(digest) / f"{name}.parquet", filters=filters)
        if docs is not None:
            table = table.filter(pc.is_in(table["doc"], value_set=arrow().array(sorted(set(docs)), arrow().string())))
        if "_row" in table.column_names:
            table = table.sort_by("_row").drop_columns(["_row"])
        return table

    def prune(self) -> None:
        """Remove version folders of other extractor versions that nobody used for a day."""
        if not self.root.is_dir():
            return
        now = time.time()
        for old in self.root.glob("extract-*"):
            if old != self.dir and old.is_dir() and now - old.stat().st_mtime > _PRUNE_AFTER_S:
                shutil.rmtree(old, ignore_errors=True)
        if self.dir.is_dir():
            self.dir.touch()


class FileKeys:
    """Input files' cache keys remembered by path, size, modification time and inode.

    Hashing every file of a large corpus on every run costs more than the rest of a warm brief;
    a key is reused only while the file's stat is unchanged and was not racy when recorded.
    """

    def __init__(self, root: str | Path):
        self.path = Path(root) / "file-keys.json"
        try:
            self.known: dict[str, list] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.seen: dict[str, list] = {}
        self.recorded = time.time()

    def key(self, path: Path) -> str:
        """The file's key, from memory when its stat is unchanged, else from its bytes."""
        st = os.stat(path)
        name = os.path.abspath(path)  # not resolve(): following links cost more than the hashing saved
        stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
        hit = self.known.get(name)
        if hit is not None and hit[:3] == stamp and hit[4] - st.st_mtime_ns / 1e9 > _RACY_S:
            self.seen[name] = hit
            return hit[3]
        key = document_key(path.read_bytes(), path.name)
        self.seen[name] = [*stamp, key, self.recorded]
        return key

    def save(self) -> None:
        """Remember this run's files (and keep others' entries: several inputs share one cache)."""
        if self.seen and any(self.known.get(k) != v for k, v in self.seen.items()):
            merged = {**self.known, **self.seen} if len(self.known) < _MAX_FILE_KEYS else self.seen
            write_atomic(self.path, json.dumps(merged))
