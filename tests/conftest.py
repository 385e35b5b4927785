"""Shared fixtures: briefs are built once per session, into temporary folders, from the real seeds."""

from __future__ import annotations

import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefgen.documents import Document, read_document
from briefgen.extract.regions import Region
from briefgen.extract.segment import Passage, Segmentation
from briefgen.pipeline import build_brief
from briefgen.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DATA = ROOT / "tests" / "data"


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


# -- small documents built in memory, for extraction tests ----------------------------------

TOWN = Region("青禾市", "青禾", "Qinghe", "某某省", "prefecture", None)
LAKE = Region("澜湖县", "澜湖", "Lanhu", "某某省", "county", None)


def make(text: str, regions=(TOWN,), year: int | None = 2023):
    """A document whose lines are passages, the i-th line in regions[i % len(regions)]."""
    doc = Document(Path("t.txt"), "t.txt", "txt", "utf-8", text, hashlib.sha256(text.encode()).hexdigest())
    passages, pos = [], 0
    for i, line in enumerate(text.split("\n")):
        if line.strip():
            passages.append(Passage(doc.name, regions[i % len(regions)], "", line, pos, pos + len(line), year))
        pos += len(line) + 1
    return doc, Segmentation(doc.name, "t", tuple(regions), year, tuple(passages))


def body_lines(seed: Path) -> list[str]:
    """A seed's non-empty lines, chrome removed: what every other format must reproduce."""
    return [line.strip() for line in read_document(seed).text.splitlines() if line.strip()]


def html_page(lines: list[str]) -> str:
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>网页标题</title>
<style>p {{ color: #333 }}</style><script>var tracker = "脚本里的文字";</script></head>
<body><nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻中心</a></li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 要闻</div>
<div class="content">{body}</div>
<div style="display: none">隐藏的段落不是正文</div><div hidden>也是隐藏的</div>
<!-- 注释里的文字 -->
<div id="comment-box"><h3>网友评论</h3><p>写得真好！点赞！</p></div>
<div class="share-bar">分享到：微信 微博</div>
<footer>版权所有 © 某某网 备案号</footer></body></html>"""
