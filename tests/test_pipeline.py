"""The talent brief end to end: a real PDF read back, and the HTML's evidence checked against sources."""

from __future__ import annotations

import re

from pypdf import PdfReader

from conftest import SEEDS, evidence_of, pdf_fonts, pdf_text, squash

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_talent_brief_writes_pdf_and_html(brief_factory):
    result = brief_factory("talent")
    assert result.pdf.is_file() and result.html.is_file()
    assert result.pdf.read_bytes().startswith(b"%PDF-")
    assert len(PdfReader(str(result.pdf)).pages) >= 2


def test_pdf_fonts_are_all_embedded_subsets(brief_factory):
    fonts = pdf_fonts(brief_factory("talent").pdf)
    assert fonts, "the PDF uses no font at all"
    assert all(f["embedded"] for f in fonts), fonts
    # A subset font's name carries a six-letter tag: ABCDEF+Name.
    assert all(re.match(r"/[A-Z]{6}\+", f["name"]) for f in fonts), fonts


def test_pdf_chinese_evidence_is_extractable_text(brief_factory):
    result = brief_factory("talent")
    text = squash(pdf_text(result.pdf))
    quotes = [q for _, q in evidence_of(result.html.read_text("utf-8")) if q and CJK.search(q)]
    assert quotes, "the brief quotes no Chinese evidence"
    # Every Chinese quote of the sources list must be readable back from the PDF as text.
    found = [q for q in quotes if squash(q) in text]
    assert len(found) >= 0.9 * len(set(quotes)), set(quotes) - set(found)


def test_every_html_quote_is_verbatim_in_its_document(brief_factory):
    html = brief_factory("talent").html.read_text("utf-8")
    evidence = [(d, q) for d, q in evidence_of(html) if q]
    assert len(evidence) >= 5
    for doc, quote in evidence:
        assert quote in (SEEDS / doc).read_text("utf-8"), (doc, quote)


def test_figures_are_svg_in_the_runs_own_folder(brief_factory):
    result = brief_factory("talent")
    svgs = list(result.figures.glob("*.svg"))
    assert svgs and all(s.read_text("utf-8").lstrip().startswith("<?xml") for s in svgs)
    html = result.html.read_text("utf-8")
    assert all(s.resolve().as_uri() in html for s in svgs)
