"""The corpus generator: deterministic, mixed formats, other regions, readable files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from briefgen.tools.generate import generate_corpus, main
from conftest import SEEDS



def _digest(paths):
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    a = generate_corpus(8, tmp_path / "a", seed=1)
    b = generate_corpus(8, tmp_path / "b", seed=1)
    c = generate_corpus(8, tmp_path / "c", seed=2)
    assert [p.name for p in a] == [p.name for p in b]
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_mixed_formats_readable_and_realistic(tmp_path):
    import docx

    paths = generate_corpus(40, tmp_path, seed=0)
    assert {p.suffix for p in paths} == {".txt", ".md", ".html", ".docx"}
    sizes = [p.stat().st_size for p in paths if p.suffix != ".docx"]
    assert 8_000 < sum(sizes) / len(sizes) < 22_000
    first_docx = next(p for p in paths if p.suffix == ".docx")
    paragraphs = [p.text for p in docx.Document(str(first_docx)).paragraphs]
    assert len(paragraphs) > 3 and any("党" in t for t in paragraphs)
    seed_texts = {p.read_text("utf-8") for p in SEEDS.glob("*.txt")}
    assert not any(p.read_text("utf-8") in seed_texts for p in paths if p.suffix == ".txt")


def test_regions_are_replaced_by_other_prefectures(tmp_path):
    from briefgen.store import load_corpus

    seed_regions = {x.segmentation.regions[0].name for x in load_corpus([SEEDS], {}).extractions
                    if x.segmentation.regions}
    generated = load_corpus([tmp_path], {}) if generate_corpus(30, tmp_path, formats=["txt"]) else None
    regions = {r.name for x in generated.extractions for r in x.segmentation.regions}
    assert len(regions - seed_regions) >= 10


def test_cli_rejects_unknown_format(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["3", str(tmp_path), "--formats", "pdf"])
    main(["3", str(tmp_path), "--formats", "md"])
    assert len(list(tmp_path.glob("*.md"))) == 3
