"""Figures: axis labels that say the right number, and SVGs with no font needed to show them."""

from __future__ import annotations

import pytest

from briefgen.brief.figures import _compact


@pytest.mark.parametrize("value, label", [(0, "0"), (950, "950"), (2500, "2,500"), (12_000, "12k"),
                                          (170_000, "170k"), (3_500_000, "3.5M"), (2_200_000_000, "2.2B")])
def test_compact_axis_labels_keep_their_magnitude(value, label):
    assert _compact(value) == label


def test_figure_text_is_drawn_as_paths(brief_factory):
    result = brief_factory("talent")
    svg = (result.figures / "metrics.svg").read_text("utf-8")
    # Labels are outlines, so the PDF shows them without any font, CJK or not; each label is one
    # path, not a <use> per glyph, which WeasyPrint would draw as that many SVG elements.
    assert "<path" in svg and "<text" not in svg and "<use" not in svg


def _talent_data(settings):
    from briefgen.store import load_corpus
    from briefgen.brief.tables import build_brief_data
    from briefgen.brief.catalogue import find_topics, get_topic, lexicons

    topics = find_topics(settings.template_dirs)
    lex = lexicons(topics.values())
    corpus = load_corpus(settings.input, lex, cache=settings.cache)
    return build_brief_data(corpus, get_topic(topics, "talent"), lex, "en", None, topics)


def test_figures_drawn_in_a_child_process_are_the_planned_ones(settings, tmp_path):
    from briefgen.brief.figures import FigureProcess, plan_figures

    data = _talent_data(settings)
    drawn = FigureProcess().draw(data, tmp_path)()
    assert drawn == plan_figures(data, tmp_path) and set(drawn) == {"metrics", "mechanisms", "coverage"}
    assert all(p.read_text("utf-8").lstrip().startswith("<?xml") for p in drawn.values())


def test_a_figure_that_fails_to_draw_is_reported_not_lost(settings, tmp_path, monkeypatch):
    import briefgen.brief.figures as figures
    from briefgen.errors import RenderError

    def broken(data, path):
        raise ValueError("no room for the legend")

    monkeypatch.setitem(figures._DRAW, "coverage", broken)
    with pytest.raises(RenderError, match="no room for the legend"):
        figures.FigureProcess().draw(_talent_data(settings), tmp_path)()


def test_no_figure_draws_outside_its_own_canvas(brief_factory):
    # Figures are saved without cropping to their ink where tight_layout fits them (cropping draws
    # a figure twice): a label or legend beyond the canvas would be cut off in the PDF.
    import re

    result = brief_factory("talent")
    for svg_path in sorted(result.figures.glob("*.svg")):
        svg = svg_path.read_text("utf-8")
        _, _, width, height = (float(v) for v in re.search(r'viewBox="([^"]+)"', svg).group(1).split())
        assert "transform=" not in svg  # every coordinate below is on the canvas's own scale
        for d in re.findall(r'<path d="([^"]*)"', svg):
            numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
            xs, ys = numbers[0::2], numbers[1::2]
            assert min(xs) >= -0.5 and max(xs) <= width + 0.5, svg_path.name
            assert min(ys) >= -0.5 and max(ys) <= height + 0.5, svg_path.name


def test_a_brief_that_fails_before_its_figures_leaves_no_drawing_process(settings, tmp_path):
    # The drawing process starts with the brief, before the data exists; it must end with it.
    import multiprocessing

    from briefgen.errors import UnknownRegionError
    from briefgen.pipeline import build_brief

    before = set(multiprocessing.active_children())
    with pytest.raises(UnknownRegionError):
        build_brief("talent", settings, regions=["无此地区"], out_pdf=tmp_path / "t.pdf")
    assert set(multiprocessing.active_children()) <= before
    assert not (tmp_path / "t.pdf").exists()
