"""Figures: axis labels that say the right number, and SVGs with no font needed to show them."""

from __future__ import annotations

import pytest

from briefgen.figures import _compact


@pytest.mark.parametrize("value, label", [(0, "0"), (950, "950"), (2500, "2,500"), (12_000, "12k"),
                                          (170_000, "170k"), (3_500_000, "3.5M"), (2_200_000_000, "2.2B")])
def test_compact_axis_labels_keep_their_magnitude(value, label):
    assert _compact(value) == label


def test_figure_text_is_drawn_as_paths(brief_factory):
    result = brief_factory("talent")
    svg = (result.figures / "metrics.svg").read_text("utf-8")
    # Labels are outlines, so the PDF shows them without any font, CJK or not.
    assert "<path" in svg and "<text" not in svg
