"""The Dask engine: a local cluster writes the same facts as the in-process path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from briefgen.store import load_corpus
from briefgen.store.engines import extract_to_dataset, read_fact_dataset
from briefgen.brief.catalogue import find_topics, lexicons
from conftest import SEEDS



def _records(frame: pd.DataFrame) -> list[dict]:
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.sort_values(["doc", "start", "end", "subject"]).to_dict("records")


@pytest.fixture(scope="module")
def lex(settings):
    return lexicons(find_topics(settings.template_dirs).values())


def test_local_dask_cluster_gives_the_in_process_facts(tmp_path, lex):
    inputs = tmp_path / "in"
    shutil.copytree(SEEDS, inputs)
    (inputs / "broken.xyz").write_bytes(b"\x00\x01")
    out = tmp_path / "facts"
    result = extract_to_dataset([inputs], lex, out, n_workers=2, processes=False, batch_size=2)
    assert result.documents == 5
    assert [f.path.name for f in result.failures] == ["broken.xyz"]
    expected = load_corpus([inputs], lex).facts_frame()
    got = read_fact_dataset(out)
    assert result.facts == len(expected) == len(got)
    assert list(got.columns) == list(expected.columns)
    assert _records(got) == _records(expected)
    # Partitioned by province, then year, as a brief or a query engine can prune them.
    provinces = [p.name for p in out.iterdir()]
    assert provinces and all(p.startswith("province=") for p in provinces)
    assert all(y.name.startswith("year=") for p in out.iterdir() for y in p.iterdir())


def test_rerun_replaces_the_dataset(tmp_path, lex):
    out = tmp_path / "facts"
    one = sorted(SEEDS.glob("*.txt"))[:1]
    extract_to_dataset(sorted(SEEDS.glob("*.txt")), lex, out, n_workers=1, processes=False)
    extract_to_dataset(one, lex, out, n_workers=1, processes=False)
    assert set(read_fact_dataset(out)["doc"]) == {one[0].name}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".facts")]


def test_workers_fill_the_store_a_brief_reads(tmp_path, lex, monkeypatch):
    import briefgen.store.ingest as ingest_mod
    import briefgen.store.workers as workers_mod

    cache = tmp_path / "cache"
    extract_to_dataset([SEEDS], lex, tmp_path / "facts", n_workers=1, processes=False, cache=cache)
    calls = []
    monkeypatch.setattr(workers_mod, "extract_document", lambda doc, lex: calls.append(doc) or None)
    monkeypatch.setattr(ingest_mod, "extract_document", lambda doc, lex: calls.append(doc) or None)
    corpus = load_corpus([SEEDS], lex, cache=cache)
    assert calls == [] and len(corpus.extractions) == 5
    assert _records(corpus.facts_frame()) == _records(read_fact_dataset(tmp_path / "facts"))
