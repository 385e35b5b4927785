"""Shared fixtures: briefs are built once per session, into temporary folders, from the real seeds."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.pipeline import build_brief
from briefgen.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def settings():
    return load_settings(ROOT / "pyproject.toml", input=[SEEDS])


@pytest.fixture(scope="session")
def brief_factory(tmp_path_factory, settings):
    """Build a brief once per (topic, lang, regions) and hand back its BriefResult."""
    built = {}

    def build(topic: str, lang: str = "en", regions: tuple[str, ...] = ()):
        key = (topic, lang, regions)
        if key not in built:
            out = tmp_path_factory.mktemp(f"{topic}-{lang}") / f"{topic}{'.zh' if lang == 'zh' else ''}.pdf"
            built[key] = build_brief(topic, settings, lang=lang, regions=list(regions) or None, out_pdf=out)
        return built[key]

    return build


class EvidenceParser(HTMLParser):
    """Collects every element that carries data-doc / data-quote."""

    def __init__(self):
        super().__init__()
        self.evidence: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-doc" in a or "data-quote" in a:
            self.evidence.append((a.get("data-doc"), a.get("data-quote")))


def evidence_of(html: str) -> list[tuple[str, str]]:
    parser = EvidenceParser()
    parser.feed(html)
    return parser.evidence


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def squash(text: str) -> str:
    """Text without whitespace, for comparing what a PDF extracts across line breaks."""
    return re.sub(r"\s+", "", text)


def pdf_fonts(path: Path) -> list[dict]:
    """Every font a PDF uses, with whether its program is embedded."""
    from pypdf import PdfReader

    fonts = {}
    for page in PdfReader(str(path)).pages:
        resources = page.get("/Resources") or {}
        for _, ref in (resources.get("/Font") or {}).items():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            desc = target.get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            embedded = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = {"name": str(font.get("/BaseFont")), "embedded": embedded}
    return list(fonts.values())
