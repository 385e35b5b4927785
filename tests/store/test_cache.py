"""The extraction store: keys, versions, atomic per-document files, pruning."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

import briefgen
import briefgen.store.cache as cache_mod
from briefgen.extract import extract_document
from briefgen.documents import read_document
from briefgen.store.cache import ExtractionStore, document_key, extractor_version, lexicon_digest
from conftest import SEEDS

SEED = sorted(SEEDS.glob("*.txt"))[0]
LEX = {"talent": ("人才",), "organization": ("党组织", "党员")}


def test_key_depends_on_bytes_and_name_only():
    assert document_key(b"abc", "a.txt") == document_key(b"abc", "a.txt")
    assert document_key(b"abc", "a.txt") != document_key(b"abd", "a.txt")
    assert document_key(b"abc", "a.txt") != document_key(b"abc", "b.txt")


def test_version_follows_package_version_and_lexicon_order(monkeypatch):
    before = extractor_version()
    monkeypatch.setattr(briefgen, "__version__", "99.0")
    extractor_version.cache_clear()
    try:
        assert extractor_version() != before and extractor_version().startswith("99.0-")
    finally:  # undo first: a version cached under "99.0" would point later tests at another store
        monkeypatch.undo()
        extractor_version.cache_clear()
    assert lexicon_digest(LEX) != lexicon_digest(dict(reversed(LEX.items())))
    assert ExtractionStore("c", LEX).dir != ExtractionStore("c", {"talent": ("人才",)}).dir


def test_version_covers_the_extractor_and_nothing_after_it():
    # Editing a template, the CSS or the renderer must not re-extract anything; editing extraction must.
    package = Path(briefgen.__file__).parent
    sources = {p.relative_to(package).as_posix() for p in cache_mod.extractor_sources()}
    extract = {f"extract/{p.name}" for p in (package / "extract").glob("*.py")}
    assert extract <= sources and "documents.py" in sources and "data/metrics.toml" in sources
    assert not {s for s in sources if s.startswith(("brief/", "store/", "tools/"))}
    assert not {"pipeline.py", "cli.py", "mail.py"} & sources


def test_save_load_roundtrip_repoints_the_path(tmp_path):
    store = ExtractionStore(tmp_path, LEX)
    x = extract_document(read_document(SEED), LEX)
    store.save("k1", x)
    assert store.has("k1") and not list(tmp_path.rglob("*.part"))
    moved = tmp_path / "elsewhere" / SEED.name
    back = store.load("k1", moved)
    assert back.document.path == moved
    assert back.facts == x.facts and back.segmentation == x.segmentation and back.document.text == x.document.text
    assert store.load("missing") is None


@pytest.mark.parametrize("damage", [lambda b: b"not a pickle", lambda b: b"", lambda b: b[: len(b) // 2]],
                         ids=["foreign", "empty", "truncated"])
def test_unreadable_entry_is_a_miss_and_removed(tmp_path, damage):
    # Entries are not fsynced, so after a crash one may be empty or cut short: both are misses.
    store = ExtractionStore(tmp_path, LEX)
    store.save("k1", extract_document(read_document(SEED), LEX))
    path = next(tmp_path.rglob("k1.pkl"))
    path.write_bytes(damage(path.read_bytes()))
    assert store.load("k1") is None
    assert not path.exists()


def test_prune_removes_only_old_foreign_versions(tmp_path):
    store = ExtractionStore(tmp_path, LEX)
    old, recent = tmp_path / "extract-0.0.1-old", tmp_path / "extract-0.0.2-recent"
    for d in (old, recent, store.dir):
        d.mkdir(parents=True)
    stale = time.time() - 3 * 24 * 3600
    os.utime(old, (stale, stale))
    store.prune()
    assert not old.exists() and recent.exists() and store.dir.exists()
