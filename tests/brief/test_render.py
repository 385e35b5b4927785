"""Render: WeasyPrint fetches only from the project's folders and the run's own figure folder."""

from __future__ import annotations

import base64
import re
import zlib

import pytest

from briefgen.brief.render import MAX_DATA_URL, _fetcher_class


@pytest.fixture
def fetcher(tmp_path):
    allowed = tmp_path / "allowed"
    allowed.mkdir()
    (allowed / "ok.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", "utf-8")
    return _fetcher_class()([allowed]), allowed


def test_files_under_allowed_roots_are_fetched(fetcher):
    f, allowed = fetcher
    response = f.fetch((allowed / "ok.svg").as_uri())
    assert b"<svg" in response.read()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png",
                                 "https://example.org/logo.png", "ftp://127.0.0.1/x"])
def test_other_urls_are_refused(fetcher, url):
    f, _ = fetcher
    with pytest.raises(ValueError):
        f.fetch(url)


def test_path_traversal_out_of_a_root_is_refused(fetcher):
    f, allowed = fetcher
    with pytest.raises(ValueError):
        f.fetch(allowed.as_uri() + "/../../../etc/passwd")


def test_small_data_urls_pass_and_oversized_ones_are_refused(fetcher):
    f, _ = fetcher
    small = "data:text/plain;base64," + base64.b64encode(b"hello").decode()
    assert f.fetch(small).read() == b"hello"
    with pytest.raises(ValueError):
        f.fetch("data:text/plain;base64," + "A" * (MAX_DATA_URL + 4))


def test_font_subset_holds_stylesheet_text_too(tmp_path):
    from fontTools.ttLib import TTFont

    from briefgen.brief.fonts import find_cjk_font
    from briefgen.brief.render import render_pdf

    (tmp_path / "x.css").write_text('@page { @top-center { content: "机密简报"; } }', "utf-8")
    render_pdf("<html><head><link rel='stylesheet' href='x.css'></head><body><p>正文</p></body></html>",
               tmp_path / "out.pdf", base_dir=tmp_path, allowed_roots=[tmp_path], font_path=find_cjk_font(),
               work_dir=tmp_path)
    subset = next(tmp_path.glob("font-*"))
    cmap = TTFont(str(subset)).getBestCmap()
    assert all(ord(c) in cmap for c in "机密简报正文")


def _render_with_figure(tmp_path, figures_ready):
    from briefgen.brief.fonts import find_cjk_font
    from briefgen.brief.render import render_pdf

    work = tmp_path / "run"
    work.mkdir()
    html = f"<html><body><p>正文</p><img src='{(work / 'fig.svg').as_uri()}'></body></html>"
    return render_pdf(html, tmp_path / "out.pdf", base_dir=tmp_path, allowed_roots=[work],
                      font_path=find_cjk_font(), work_dir=work, figures_ready=figures_ready)


def test_figures_are_awaited_before_weasyprint_reads_one(tmp_path):
    calls = []

    def ready():  # the figure exists only once the drawing is over
        calls.append(1)
        (tmp_path / "run" / "fig.svg").write_text(
            "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'>"
            "<rect width='40' height='20' fill='#b03a2e'/></svg>", "utf-8")

    pdf = _render_with_figure(tmp_path, ready)
    assert calls == [1]
    # The figure was read, not drawn as missing: its rectangle's colour is in the page's content.
    streams = [zlib.decompress(m) for m in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf.read_bytes(), re.S)
               if m[:1] == b"x"]
    assert any(b"0.690196 0.227451 0.180392 rg" in s for s in streams)


def test_a_figure_that_failed_stops_the_pdf(tmp_path):
    from briefgen.errors import RenderError

    def ready():
        raise RenderError("drawing the figures failed: no room for the legend")

    with pytest.raises(RenderError, match="no room for the legend"):
        _render_with_figure(tmp_path, ready)
    assert not (tmp_path / "out.pdf").exists()


def test_embedded_font_is_cut_to_the_used_glyphs_by_harfbuzz(tmp_path, monkeypatch):
    # Without a system libharfbuzz-subset, WeasyPrint subsets with fontTools (about a second for a
    # long CJK brief); render_pdf has uharfbuzz do what WeasyPrint's HarfBuzz path does instead.
    import io

    import weasyprint.pdf.fonts as weasy_fonts
    from fontTools.ttLib import TTFont
    from pypdf import PdfReader

    import briefgen.brief.render as render
    from briefgen.brief.fonts import find_cjk_font
    from conftest import pdf_text, squash

    render._use_uharfbuzz_subset()
    fallback = []
    if weasy_fonts.harfbuzz_subset is None:
        assert weasy_fonts.Font._fonttools_subset is render._subset_with_uharfbuzz
        monkeypatch.setattr(render, "_fonttools_subset", lambda *args: fallback.append(args))
    text = "Key findings —— 人才工作"  # a Latin ligature and a two-em dash: glyphs with no code point
    html = f"<html><body style='font-family: \"Brief CJK\"'><p>{text}</p></body></html>"
    render.render_pdf(html, tmp_path / "out.pdf", base_dir=tmp_path,
                      allowed_roots=[tmp_path], font_path=find_cjk_font(), work_dir=tmp_path)
    assert fallback == []
    assert squash(text) in squash(pdf_text(tmp_path / "out.pdf"))
    page = PdfReader(str(tmp_path / "out.pdf")).pages[0]
    (font,) = page["/Resources"]["/Font"].values()
    descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    program = TTFont(io.BytesIO(descriptor["/FontFile3"].get_object().get_data()))
    assert "GSUB" not in program and "GPOS" not in program
    charstrings = program["CFF "].cff.topDictIndex[0].CharStrings
    drawn = 0
    for name in charstrings.keys():
        glyph = charstrings[name]
        glyph.decompile()
        drawn += glyph.program not in ([], ["endchar"])
    assert 0 < drawn <= len(set(text)) + 1  # the used glyphs and .notdef, nothing else


def test_list_bullets_stay_on_their_items_first_line_and_sources_are_numbered_once(tmp_path):
    # Markers are inline text in brief.css (WeasyPrint's ::marker boxes cost a tenth of a long
    # brief's layout); a loose Markdown list (<li><p>) must still put the bullet before its text.
    # Sources carry their number as text from the template: the list's own marker must not show.
    import markdown

    from briefgen.brief.fonts import find_cjk_font
    from briefgen.brief.render import render_pdf
    from briefgen.settings import load_settings
    from conftest import pdf_text

    templates = load_settings().template_dirs
    css = next(d / "brief.css" for d in templates if (d / "brief.css").is_file())
    body = markdown.markdown("- Alpha one\n\n- Beta two\n") + \
        "<ol class='sources'><li>1. first source</li><li>2. second source</li></ol>"
    html = f"<html><head><link rel='stylesheet' href='{css.as_uri()}'></head><body>{body}</body></html>"
    render_pdf(html, tmp_path / "out.pdf", base_dir=tmp_path, allowed_roots=list(templates),
               font_path=find_cjk_font(), work_dir=tmp_path)
    lines = [ln.strip() for ln in pdf_text(tmp_path / "out.pdf").splitlines() if ln.strip()]
    assert [re.sub(r"\s+", " ", ln) for ln in lines] == ["• Alpha one", "• Beta two", "1. first source",
                                                          "2. second source"]
