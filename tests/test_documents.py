"""Reading every supported format into the same text, and naming broken files."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from briefgen.documents import READERS, read_document, read_documents, strip_chrome
from briefgen.errors import DocumentError
from briefgen.extract.segment import segment_document
from conftest import body_lines, html_page

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
DOCS = Path(__file__).parent / "data" / "docs"
GOLD = [json.loads(line) for line in (Path(__file__).parent / "data" / "gold_seeds.jsonl").open(encoding="utf-8")]


def _passages(path: Path) -> list[str]:
    return [p.text for p in segment_document(read_document(path)).passages]


def test_registry_has_one_reader_per_suffix():
    assert {s: fmt for s, (fmt, _) in READERS.items()} == {
        ".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_seed_reads_as_utf8_and_keeps_every_gold_quote(seed):
    doc = read_document(seed)
    assert (doc.format, doc.encoding, doc.name) == ("txt", "utf-8", seed.name)
    assert len(doc.sha256) == 64
    for rec in GOLD:
        if rec["doc"] == seed.name and rec.get("quote"):
            assert rec["quote"] in doc.text, rec["quote"]
            if rec["type"] == "fact":
                assert doc.text.count(rec["quote"]) == 1


def test_page_chrome_lines_are_removed_and_body_kept():
    wechat = read_document(ROOT / "seeds" / "002_0330376fc5db1309.txt").text
    for chrome in ("订阅后可查看全文", "您已点过", "【编辑】", "更多精彩内容", "\n查看\n", "\n+1\n"):
        assert chrome not in wechat
    assert "高质量发展\u00a0党员先锋行" in wechat  # characters inside kept lines are never rewritten
    news = read_document(ROOT / "seeds" / "004_cdb9b270fe56c2aa.txt").text
    for chrome in ("评论一下", "0人参与", "抢沙发", "责任编辑", "APP", "图片推荐", "来源:"):
        assert chrome not in news
    assert news.rstrip().endswith("。")


def test_chrome_rules_never_touch_long_orbody_lines():
    body = "来源:群众诉求办理平台显示,全年共受理群众诉求1.2万件,办结率达到98%以上,满意率持续提升。"
    heading = "文化惠民 点亮生活"
    caption = "建强23个市级党员教育基地,图为某党员教育基地"
    text = "\n".join([body, heading, caption, "责任编辑:张三", "阅读 1.2万", "在看", "分享到:"])
    assert strip_chrome(text).split("\n") == [body, heading, caption]


@pytest.mark.parametrize("codec,reported", [("gb18030", "gb18030"), ("utf-16", "utf-16"),
                                            ("utf-8-sig", "utf-8-sig")])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_text_encodings_give_the_same_passages(tmp_path, seed, codec, reported):
    target = tmp_path / seed.name
    target.write_bytes(seed.read_text(encoding="utf-8").encode(codec))
    doc = read_document(target)
    assert doc.encoding == reported
    assert _passages(target) == _passages(seed)


def test_big5_traditional_text_is_detected(tmp_path):
    text = "臺山市委組織部召開全市基層黨建工作會議，部署全年組織工作重點任務。\n" * 8
    target = tmp_path / "big5.txt"
    target.write_bytes(text.encode("big5"))
    doc = read_document(target)
    assert doc.encoding.startswith("big5")
    assert doc.text.startswith("臺山市委組織部")


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_html_main_text_only(tmp_path, seed):
    target = tmp_path / (seed.stem + ".html")
    target.write_text(html_page(body_lines(seed)), encoding="utf-8")
    doc = read_document(target)
    assert doc.format == "html"
    for junk in ("脚本里的文字", "首页", "隐藏", "注释里的文字", "网友评论", "写得真好", "分享到", "版权所有", "color"):
        assert junk not in doc.text
    assert _passages(target) == _passages(seed)


def test_html_in_gb18030_with_article_element(tmp_path):
    page = ("<html><head><meta charset='gb18030'></head><body><div class='sidebar'>热门推荐</div><article>"
            "<h1>成都市组织工作</h1><p>全市  发展党员\n 1200名。</p><table><tr><td>党委</td><td>12个</td></tr>"
            "</table></article></body></html>")
    target = tmp_path / "page.htm"
    target.write_bytes(page.encode("gb18030"))
    doc = read_document(target)
    assert doc.encoding == "gb18030"
    assert doc.text == "成都市组织工作\n全市 发展党员 1200名。\n党委\t12个"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_docx_gives_the_same_passages(tmp_path, seed):
    import docx

    document = docx.Document()
    for line in body_lines(seed):
        document.add_paragraph(line)
    target = tmp_path / (seed.stem + ".docx")
    document.save(target)
    doc = read_document(target)
    assert (doc.format, doc.encoding) == ("docx", None)
    assert _passages(target) == _passages(seed)


def test_docx_tables_are_read_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("一、基本情况")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("类别", "数量", "单位"), ("基层党组织", "8537", "个")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("二、主要做法")
    target = tmp_path / "table.docx"
    document.save(target)
    assert read_document(target).text == "一、基本情况\n类别\t数量\t单位\n基层党组织\t8537\t个\n二、主要做法"


def test_pdf_with_text_layer_is_read(tmp_path):
    import mplfonts
    from weasyprint import HTML

    font = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    page = (f"<html><head><style>@font-face {{ font-family: cjk; src: url('{font.as_uri()}'); }}"
            "body { font-family: cjk; }</style></head><body><p>2023年，成都市发展党员1200名。</p>"
            "<p>Party building report for Chengdu.</p></body></html>")
    target = tmp_path / "report.pdf"
    HTML(string=page).write_pdf(target)
    doc = read_document(target)
    assert doc.format == "pdf"
    assert "Party building report for Chengdu." in doc.text
    assert "成都市发展党员1200名" in doc.text.replace(" ", "")


def test_pdf_without_text_layer_is_reported(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    target = tmp_path / "scan.pdf"
    with target.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError, match=r"no text layer \(scanned\?\)"):
        read_document(target)


def _zip_bomb(path: Path, size: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b"a" * size + b"/>")


@pytest.mark.parametrize("name,content,reason", [
    ("notes.doc", b"\xd0\xcf\x11\xe0 old word", "unsupported file type '.doc'"),
    ("README", b"hello", "unsupported file type"),
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"  \n\n \t", "empty file"),
    ("binary.txt", bytes(range(256)) * 40, "binary|encoding"),
    ("broken.docx", b"PK\x03\x04 not really a zip", "corrupt DOCX"),
    ("other.docx", None, "not a Word document"),
    ("truncated.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog", "corrupt PDF|no text layer"),
    ("garbage.html", b"\x00\x01\x02\xff\xfe\x00", "binary|encoding|no text"),
])
def test_broken_files_raise_document_error_with_reason(tmp_path, name, content, reason):
    target = tmp_path / name
    if content is None:
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("hello.txt", "not a docx")
    else:
        target.write_bytes(content)
    with pytest.raises(DocumentError, match=reason) as info:
        read_document(target)
    assert info.value.path == str(target)


def test_file_larger_than_limit_is_refused(tmp_path):
    target = tmp_path / "big.txt"
    target.write_text("党建" * 1000, encoding="utf-8")
    with pytest.raises(DocumentError, match="too large"):
        read_document(target, max_bytes=1000)


def test_docx_zip_bomb_is_refused_before_opening(tmp_path):
    target = tmp_path / "bomb.docx"
    _zip_bomb(target, 5 * 2**20)
    assert target.stat().st_size < 100_000
    with pytest.raises(DocumentError, match="zip bomb"):
        read_document(target, max_bytes=2**20)


def test_read_documents_names_broken_files_and_reads_the_rest(tmp_path):
    docs, failures = read_documents([DOCS])
    assert [d.name for d in docs] == ["short_utf8.txt"]
    assert {f.path.name: f.reason.split(" (")[0] for f in failures} == {
        "broken.docx": "corrupt DOCX", "empty.txt": "empty file", "truncated.pdf": "corrupt PDF"}
    docs, failures = read_documents([ROOT / "seeds", DOCS / "broken.docx"])
    assert len(docs) == len(SEEDS) and [f.path.name for f in failures] == ["broken.docx"]


def test_hidden_files_are_not_inputs(tmp_path):
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "a.txt").write_text("中山市组织工作。", encoding="utf-8")
    docs, failures = read_documents([tmp_path])
    assert [d.name for d in docs] == ["a.txt"] and failures == []


def test_line_endings_are_normalized_but_not_characters(tmp_path):
    target = tmp_path / "crlf.txt"
    target.write_bytes("第一段，全市（含新区）党员１２万人。\r\n\r\n第二段。\r\n".encode("utf-8"))
    assert read_document(target).text == "第一段，全市（含新区）党员１２万人。\n\n第二段。\n"


def test_reader_bytes_are_hashed(tmp_path):
    target = tmp_path / "a.txt"
    target.write_bytes(io.BytesIO("党建".encode("gb18030")).getvalue() * 20)
    import hashlib

    assert read_document(target).sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
