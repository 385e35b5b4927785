"""Corpus loading: the per-document cache, incremental re-extraction, parallel workers, failures."""

from __future__ import annotations

import multiprocessing
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

import briefgen.store.cache as cache_mod
import briefgen.store.ingest as ingest_mod
import briefgen.store.workers as workers_mod
from briefgen.store.ingest import ingest_inputs
from briefgen.store import load_corpus
from briefgen.brief.catalogue import find_topics, lexicons
from conftest import SEEDS



@pytest.fixture(scope="module")
def lex(settings):
    return lexicons(find_topics(settings.template_dirs).values())


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def calls(monkeypatch):
    """Counts extract_document calls made in this process, by document name."""
    seen: list[str] = []
    real = workers_mod.extract_document

    def counting(doc, lex):
        seen.append(doc.name)
        return real(doc, lex)

    monkeypatch.setattr(workers_mod, "extract_document", counting)
    monkeypatch.setattr(ingest_mod, "extract_document", counting)
    return seen


def _records(frame: pd.DataFrame) -> list[dict]:
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.sort_values(["doc", "start", "end", "subject"]).to_dict("records")


def test_cache_hit_skips_extraction_and_restores_everything(inputs, tmp_path, lex, calls):
    cache = tmp_path / "cache"
    first = load_corpus([inputs], lex, cache=cache)
    assert sorted(calls) == sorted(p.name for p in inputs.iterdir())
    calls.clear()
    second = load_corpus([inputs], lex, cache=cache)
    assert calls == []
    plain = load_corpus([inputs], lex)
    assert [x.document.text for x in second.extractions] == [x.document.text for x in plain.extractions]
    assert [x.segmentation for x in second.extractions] == [x.segmentation for x in plain.extractions]
    assert [x.facts for x in second.extractions] == [x.facts for x in plain.extractions]
    assert _records(second.facts_frame()) == _records(plain.facts_frame()) == _records(first.facts_frame())
    assert _records(second.initiatives_frame().assign(subject="")) == \
        _records(plain.initiatives_frame().assign(subject=""))


def test_changed_document_reextracts_only_itself(inputs, tmp_path, lex, calls):
    cache = tmp_path / "cache"
    load_corpus([inputs], lex, cache=cache)
    calls.clear()
    changed = sorted(inputs.iterdir())[0]
    changed.write_text(changed.read_text("utf-8") + "\n2023年，全市新增基层党组织123个。\n", "utf-8")
    corpus = load_corpus([inputs], lex, cache=cache)
    assert calls == [changed.name]
    assert any(f.value == 123 and f.doc == changed.name for x in corpus.extractions for f in x.facts)
    assert (corpus.facts_frame()["value"] == 123).any()


def test_extractor_version_or_lexicon_change_invalidates(inputs, tmp_path, lex, calls, monkeypatch):
    cache = tmp_path / "cache"
    load_corpus([inputs], lex, cache=cache)
    calls.clear()
    monkeypatch.setattr(cache_mod, "extractor_version", lambda: "9.9.9-different")
    load_corpus([inputs], lex, cache=cache)
    assert len(calls) == len(list(inputs.iterdir()))
    calls.clear()
    load_corpus([inputs], {**lex, "extra": ("党员",)}, cache=cache)
    assert len(calls) == len(list(inputs.iterdir()))


def test_deleting_or_corrupting_the_cache_is_safe(inputs, tmp_path, lex, calls):
    cache = tmp_path / "cache"
    expected = _records(load_corpus([inputs], lex, cache=cache).facts_frame())
    shutil.rmtree(cache)
    assert _records(load_corpus([inputs], lex, cache=cache).facts_frame()) == expected
    for pkl in cache.rglob("*.pkl"):
        pkl.write_bytes(pkl.read_bytes()[:20])  # truncated, as after a crash of a foreign tool
    for table in cache.rglob("index.parquet"):
        table.unlink()
    calls.clear()
    assert _records(load_corpus([inputs], lex, cache=cache).facts_frame()) == expected
    assert len(calls) == len(list(inputs.iterdir()))


def test_bad_files_are_failures_cached_or_not(inputs, tmp_path, lex):
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "image.xyz").write_bytes(b"\x89PNG")
    for cache in (None, tmp_path / "cache", tmp_path / "cache"):
        corpus = load_corpus([inputs], lex, cache=cache)
        assert sorted(f.path.name for f in corpus.failures) == ["empty.txt", "image.xyz"]
        assert all(f.reason for f in corpus.failures)
        assert len(corpus.extractions) == 5


def test_regions_load_only_the_documents_that_name_them(inputs, tmp_path, lex):
    cache = tmp_path / "cache"
    full = load_corpus([inputs], lex, cache=cache)
    region = full.extractions[0].segmentation.regions[0]
    some = load_corpus([inputs], lex, cache=cache, regions=[region.short])
    assert 0 < len(some.extractions) <= len(full.extractions)
    for x in some.extractions:
        assert region.name in {p.region.name for p in x.segmentation.passages if p.region}
    assert set(some.facts_frame()["doc"]) == {x.document.name for x in some.extractions}
    # Pinyin and the full name select the same documents as the short name.
    for query in (region.en, region.name):
        same = load_corpus([inputs], lex, cache=cache, regions=[query])
        assert [d.name for d in same.document_infos()] == [d.name for d in some.document_infos()]
    # A name the store does not know loads everything, so the brief can report it properly.
    assert len(load_corpus([inputs], lex, cache=cache, regions=["不存在的地方"]).extractions) == 5


def test_parallel_extraction_matches_in_process(tmp_path, lex):
    from briefgen.tools.generate import generate_corpus

    folder = tmp_path / "gen"
    generate_corpus(workers_mod._MIN_PARALLEL + 6, folder, seed=3, formats=["txt", "md"])
    one = load_corpus([folder], lex, jobs=1)
    two = load_corpus([folder], lex, jobs=2, progress=False)
    cached = load_corpus([folder], lex, jobs=2, cache=tmp_path / "cache")
    assert [x.document.name for x in two.extractions] == [x.document.name for x in one.extractions]
    assert [x.facts for x in two.extractions] == [x.facts for x in one.extractions]
    assert _records(cached.facts_frame()) == _records(one.facts_frame())


def test_workers_build_tables_from_cached_extractions(tmp_path, lex, monkeypatch, calls):
    # A new input set over cached documents (one file added) is also built on the workers, which
    # load the cached extractions; its tables must be what a single process builds.
    from briefgen.tools.generate import generate_corpus

    folder = tmp_path / "gen"
    generate_corpus(12, folder, seed=5, formats=["txt", "html"])
    load_corpus([folder], lex, jobs=1, cache=tmp_path / "cache")
    generate_corpus(1, tmp_path / "extra", seed=6, formats=["md"])
    added = next((tmp_path / "extra").iterdir())
    shutil.copy(added, folder / added.name)
    calls.clear()
    monkeypatch.setattr(workers_mod, "_MIN_PARALLEL", 1)  # 13 files are enough to go parallel
    two = load_corpus([folder], lex, jobs=2, cache=tmp_path / "cache")
    assert calls == []  # nothing extracted in this process: the one new file went to a worker
    one = load_corpus([folder], lex, jobs=1)
    assert _records(two.facts_frame()) == _records(one.facts_frame())
    plain = lambda f: f.astype(object).where(f.notna(), None).to_dict("records")  # noqa: E731
    assert plain(two.initiatives_frame()) == plain(one.initiatives_frame()) != []
    regions = sorted({p.region for p in two.passages(r.name for x in one.extractions for r in x.segmentation.regions)})
    assert regions and two.passages(regions) == one.passages(regions)


def _ingest_in_child(inputs, cache, lex):
    ingest_inputs([inputs], lex, cache=cache, jobs=1)


def test_concurrent_writers_share_one_cache(inputs, tmp_path, lex, calls):
    cache = tmp_path / "cache"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_ingest_in_child, args=(inputs, cache, dict(lex))) for _ in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert not list(cache.rglob("*.part"))
    corpus = load_corpus([inputs], lex, cache=cache)
    assert calls == []
    assert _records(corpus.facts_frame()) == _records(load_corpus([inputs], lex).facts_frame())


def test_store_backed_corpus_gives_a_brief_what_memory_gives(inputs, tmp_path, lex):
    cache = tmp_path / "cache"
    load_corpus([inputs], lex, cache=cache)  # fills the store
    stored, plain = load_corpus([inputs], lex, cache=cache), load_corpus([inputs], lex)
    assert stored.document_infos() == plain.document_infos()
    names = {r.name for d in plain.document_infos() for r in d.regions}
    assert stored.passages(names) == plain.passages(names) != []
    some = sorted(names)[:2]
    assert stored.passages(some) == plain.passages(some)
    assert {p.region for p in stored.passages(some)} == set(some)
    topic = re.compile("人才|干部")
    assert stored.passages(names, topic) == plain.passages(names, topic) == \
        [p for p in plain.passages(names) if topic.search(p.text)] != []


def _rows(frame: pd.DataFrame) -> list[dict]:
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def test_facts_of_some_regions_come_from_the_store_in_document_order(inputs, tmp_path, lex):
    cache = tmp_path / "cache"
    load_corpus([inputs], lex, cache=cache)  # fills the store
    stored, plain = load_corpus([inputs], lex, cache=cache), load_corpus([inputs], lex)
    facts = plain.facts_frame()
    some = list(dict.fromkeys(facts["region"].dropna()))[1:3]
    # Citation numbers follow the order of the rows, so the order is part of the result.
    assert _rows(stored.facts_frame()) == _rows(facts)
    assert _rows(stored.facts_frame(some)) == _rows(plain.facts_frame(some)) == \
        _rows(facts[facts["region"].isin(some)])
    assert set(stored.facts_frame(some)["region"]) == set(some)
    inits = plain.initiatives_frame()
    assert _rows(stored.initiatives_frame(some)) == _rows(plain.initiatives_frame(some)) == \
        _rows(inits[inits["region"].isin(some)]) != []


def test_a_brief_over_the_store_unpickles_no_extraction(inputs, tmp_path, lex, monkeypatch, settings):
    from briefgen.brief.tables import build_brief_data
    from briefgen.brief.catalogue import find_topics, get_topic

    cache = tmp_path / "cache"
    expected = build_brief_data(load_corpus([inputs], lex), get_topic(find_topics(settings.template_dirs), "talent"),
                                lex, "en")
    load_corpus([inputs], lex, cache=cache)

    def no_load(self, key, path=None):
        raise AssertionError("a brief unpickled an extraction")

    monkeypatch.setattr(cache_mod.ExtractionStore, "load", no_load)
    data = build_brief_data(load_corpus([inputs], lex, cache=cache),
                            get_topic(find_topics(settings.template_dirs), "talent"), lex, "en")
    assert data.profiles == expected.profiles and data.corpus_docs == expected.corpus_docs
    assert [f["text"] for f in data.findings] == [f["text"] for f in expected.findings]


def _count_hashing(monkeypatch) -> list[str]:
    """The names of the files whose bytes are hashed for a key from now on."""
    hashed: list[str] = []
    real = cache_mod.document_key
    monkeypatch.setattr(cache_mod, "document_key", lambda raw, name: hashed.append(name) or real(raw, name))
    return hashed


def test_unchanged_files_are_not_hashed_again(inputs, tmp_path, lex, monkeypatch):
    import os
    import time

    cache = tmp_path / "cache"
    old = time.time() - 60  # older than the racy window
    for p in inputs.iterdir():
        os.utime(p, (old, old))
    load_corpus([inputs], lex, cache=cache)
    hashed = _count_hashing(monkeypatch)
    load_corpus([inputs], lex, cache=cache)
    assert hashed == []
    changed = sorted(inputs.iterdir())[0]
    changed.write_text(changed.read_text("utf-8") + "\n2023年，全市新增基层党组织77个。\n", "utf-8")
    corpus = load_corpus([inputs], lex, cache=cache)
    assert hashed == [changed.name]
    assert (corpus.facts_frame()["value"] == 77).any()


def test_a_file_changed_within_the_racy_window_is_hashed_again(inputs, tmp_path, lex, monkeypatch):
    import os

    cache = tmp_path / "cache"
    for p in inputs.iterdir():
        os.utime(p)  # modified just now: a same-size edit within the clock tick would go unseen
    load_corpus([inputs], lex, cache=cache)
    hashed = _count_hashing(monkeypatch)
    load_corpus([inputs], lex, cache=cache)
    assert sorted(hashed) == sorted(p.name for p in inputs.iterdir())
