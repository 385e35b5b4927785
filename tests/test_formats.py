"""The same report as UTF-8, GB18030 or UTF-16 text, a wrapped web page or a Word file yields the same facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.extract import extract_document
from briefgen.documents import read_document
from conftest import body_lines, html_page
from conftest import SEEDS as SEED_DIR

LEX = {"talent": ("人才",), "organization": ("党员", "党组织"), "governance": ("治理", "网格")}

SEEDS = sorted(SEED_DIR.glob("*.txt"))


def _facts(path: Path) -> list[tuple]:
    x = extract_document(read_document(path), LEX)
    return sorted(tuple(str(v) for v in (f.region, f.year, f.topic, f.subject, f.value, f.unit, f.qualifier,
                                         f.change, f.quote)) for f in x.facts)


def _variants(seed: Path, folder: Path) -> list[Path]:
    import docx

    text = seed.read_text("utf-8")
    made = []
    for codec in ("gb18030", "utf-16"):
        target = folder / f"{codec}-{seed.name}"
        target.write_bytes(text.encode(codec))
        made.append(target)
    page = folder / f"{seed.stem}.html"
    page.write_text(html_page(body_lines(seed)), "utf-8")
    document = docx.Document()
    for line in body_lines(seed):
        document.add_paragraph(line)
    document.save(folder / f"{seed.stem}.docx")
    return made + [page, folder / f"{seed.stem}.docx"]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_every_format_gives_the_same_facts(tmp_path, seed):
    expected = _facts(seed)
    assert expected
    for variant in _variants(seed, tmp_path):
        assert _facts(variant) == expected, variant.name
