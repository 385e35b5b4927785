"""Figures: matplotlib SVGs in one house style, with CJK labels drawn from the project's font."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import multiprocessing
import sys
import traceback
from pathlib import Path
from typing import Callable

from matplotlib.ticker import MaxNLocator

from briefgen.errors import RenderError
from briefgen.brief.fonts import find_cjk_font
from briefgen.outputs import atomic_path
from briefgen.brief.tables import BriefData

_INK = "#1f2d3d"
_ACCENT = "#b03a2e"
_MUTED = "#9aa5b1"
# More regions than this make unreadable figures; the busiest ones are drawn.
MAX_FIGURE_REGIONS = 20
_PALETTE = ["#b03a2e", "#2e6f95", "#d4a017", "#4f8a3c", "#7a4e9c", "#c46a2b", "#5b6770", "#1b998b"]


@functools.lru_cache(maxsize=1)
def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, patheffects, pyplot

    font = find_cjk_font()
    font_manager.fontManager.addfont(str(font))
    name = font_manager.FontProperties(fname=str(font)).get_name()
    matplotlib.rcParams.update({
        "font.family": [name, "DejaVu Sans"], "axes.unicode_minus": False,
        # Text as paths: the PDF renderer needs no font to draw the figure, and no boxes appear.
        "svg.fonttype": "path", "svg.hashsalt": "briefgen",
        "axes.edgecolor": _MUTED, "axes.labelcolor": _INK, "xtick.color": _INK, "ytick.color": _INK,
        "axes.spines.top": False, "axes.spines.right": False, "font.size": 9,
        # Each label one filled path: with glyph <use> references WeasyPrint draws every glyph as
        # its own SVG element, 0.3-0.6 s of a brief's rendering for the same ink.
        "path.effects": [patheffects.Normal()],
    })
    return pyplot


def _compact(value: float) -> str:
    """Axis numbers short enough not to collide: 2,500 / 12k / 3.5M / 2.2B."""
    for threshold, size, suffix in ((1e9, 1e9, "B"), (1e6, 1e6, "M"), (1e4, 1e3, "k")):
        if abs(value) >= threshold:
            return f"{value / size:,.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:,.0f}"


def _save(fig, path: Path, crop: bool = False) -> Path:
    # tight_layout has fitted the labels; cropping to the drawn ink (bbox_inches="tight") draws the
    # whole figure twice, so only a figure with content outside its axes' layout asks for it.
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="svg", bbox_inches="tight" if crop else None, metadata={"Date": None})
    _pyplot().close(fig)
    return path


def draw_metric_bars(data: BriefData, path: Path) -> Path:
    """One horizontal bar panel per compared metric; unreported regions are labelled, not zero."""
    plt = _pyplot()
    shown = [p for p in data.profiles if p["reports"]][:MAX_FIGURE_REGIONS]
    labels = [p["region"] for p in shown]
    n = len(data.metrics)
    cols = min(2, n)
    rows = (n + cols - 1) // cols
    height = max(1.4, 0.28 * len(labels) + 0.8)
    fig, axes = plt.subplots(rows, cols, figsize=(7.0, height * rows), squeeze=False)
    for k, (ax, m) in enumerate(zip(axes.flat, data.metrics)):
        cells = [data.comparison.loc[p["region_zh"], m["id"]] for p in shown]
        values = [c["value"] if isinstance(c, dict) else 0 for c in cells]
        colors = [_ACCENT if isinstance(c, dict) else "none" for c in cells]
        ys = range(len(labels))
        ax.barh(ys, values, color=colors, height=0.6)
        top = max(values) or 1
        for y, c in zip(ys, cells):
            if isinstance(c, dict):
                ax.text(c["value"] + top * 0.02, y, c["text"], va="center", fontsize=7, color=_INK)
            else:
                ax.text(top * 0.02, y, "not reported" if data.lang == "en" else "未报告",
                        va="center", fontsize=7, color=_MUTED, style="italic")
        ax.set_yticks(list(ys), labels)
        # Every panel lists the same regions in the same order: naming them once per row of
        # panels leaves the right-hand panels more room (and the renderer fewer glyphs to draw).
        ax.tick_params(axis="y", labelleft=k % cols == 0)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.45)
        ax.set_title(m["name"], fontsize=9, loc="left", color=_INK)
        ax.xaxis.set_major_locator(MaxNLocator(4))
        ax.xaxis.set_major_formatter(lambda v, _: _compact(v))
        ax.tick_params(axis="x", labelsize=7)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return _save(fig, path)


def draw_mechanism_matrix(data: BriefData, path: Path) -> Path:
    """Mechanisms × regions: a filled dot where the region's documents mention the mechanism."""
    matrix = data.mechanisms
    matrix = matrix[matrix.any(axis=1)]
    label_of = {p["region_zh"]: p["region"] for p in data.profiles}
    # A national brief has hundreds of regions: show those that use the most mechanisms.
    keep = matrix.sum(axis=0).sort_values(ascending=False, kind="stable").index[:MAX_FIGURE_REGIONS]
    matrix = matrix[[c for c in matrix.columns if c in set(keep)]]
    plt = _pyplot()
    labels = [label_of[c] for c in matrix.columns]
    fig, ax = plt.subplots(figsize=(min(7.0, 1.6 + 0.55 * len(labels)), 0.8 + 0.32 * len(matrix)))
    # One scatter call for the whole grid: an artist per dot made large matrices slow to draw.
    cells = [(j, i, bool(used)) for i, row in enumerate(matrix.values) for j, used in enumerate(row)]
    ax.scatter([c[0] for c in cells], [c[1] for c in cells], s=70, linewidths=0.8,
               color=[_ACCENT if c[2] else "white" for c in cells],
               edgecolors=[_ACCENT if c[2] else _MUTED for c in cells])
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right")
    ax.set_yticks(range(len(matrix)), list(matrix.index))
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylim(len(matrix) - 0.5, -0.5)
    ax.grid(color="#eef1f4", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return _save(fig, path)


def draw_topic_coverage(data: BriefData, path: Path) -> Path:
    """Facts per topic for each region, stacked: where each region's reporting concentrates."""
    cov = data.coverage
    label_of = {p["region_zh"]: p["region"] for p in data.profiles}
    keep = cov.sum(axis=1).sort_values(ascending=False, kind="stable").index[:MAX_FIGURE_REGIONS]
    cov = cov.loc[[r for r in cov.index if r in set(keep)]]
    plt = _pyplot()
    labels = [label_of[r] for r in cov.index]
    fig, ax = plt.subplots(figsize=(7.0, 0.9 + 0.3 * len(labels)))
    left = [0] * len(cov)
    for k, topic in enumerate(cov.columns):
        vals = list(cov[topic].values)
        # Facts of no brief type's lexicon are "other"; every other topic has its template's title.
        name = data.topic_names.get(topic) or ("Other" if data.lang == "en" else "其他")
        ax.barh(range(len(cov)), vals, left=left, color=_PALETTE[k % len(_PALETTE)], height=0.6, label=name)
        left = [a + b for a, b in zip(left, vals)]
    ax.set_yticks(range(len(cov)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("facts extracted" if data.lang == "en" else "抽取的数据条数")
    ax.legend(ncol=4, fontsize=7, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    fig.tight_layout()
    return _save(fig, path, crop=True)  # the legend sits above the axes, beyond tight_layout's fit


_DRAW = {"metrics": draw_metric_bars, "mechanisms": draw_mechanism_matrix, "coverage": draw_topic_coverage}


def plan_figures(data: BriefData, folder: Path) -> dict[str, Path]:
    """The figures this brief has and where they go; a figure with nothing to show is left out."""
    has = {
        "metrics": bool(data.metrics),
        "mechanisms": not data.mechanisms.empty and bool(data.mechanisms.values.any()),
        "coverage": not data.coverage.empty and data.coverage.values.sum() > 0,
    }
    return {name: folder / f"{name}.svg" for name in _DRAW if has[name]}


def draw_figures(data: BriefData, folder: Path) -> dict[str, Path]:
    """Every figure of the brief, written into this run's own folder."""
    folder.mkdir(parents=True, exist_ok=True)
    planned = plan_figures(data, folder)
    for name, path in planned.items():
        _DRAW[name](data, path)
    return planned


class FigureProcess:
    """A child process that sets matplotlib up while the brief's data is gathered, then draws the
    figures of that data while the caller composes and starts rendering.

    Setting up pyplot and the CJK font takes a third of a second and drawing a few tenths more, as
    long as the caller takes from the data to its first figure: started only once the data was
    ready, the child kept the renderer waiting. Where fork is not the safe way to start a process
    (macOS, Windows), the figures are drawn in this process when asked for.
    """

    def __init__(self) -> None:
        self._conn = self._child = None
        if sys.platform.startswith("linux"):
            ctx = multiprocessing.get_context("fork")
            self._conn, child_end = ctx.Pipe()
            self._child = ctx.Process(target=_serve, args=(child_end, self._conn), daemon=True)
            self._child.start()
            child_end.close()

    def draw(self, data: BriefData, folder: Path) -> Callable[[], dict[str, Path]]:
        """Start drawing `data`'s figures into `folder`; call the result to wait for them."""
        folder.mkdir(parents=True, exist_ok=True)
        conn, child = self._conn, self._child
        self._conn = self._child = None
        if conn is None:
            drawn = draw_figures(data, folder)
            return lambda: drawn
        with contextlib.suppress(OSError):  # a child that died is reported by wait()
            conn.send((_figure_data(data), folder))

        def wait() -> dict[str, Path]:
            try:
                outcome = conn.recv()
            except (EOFError, OSError):
                outcome = f"the drawing process ended with exit code {child.exitcode}"
            finally:
                conn.close()
                child.join()
            if isinstance(outcome, str):
                raise RenderError(f"{folder}: drawing the figures failed: {outcome}")
            return outcome

        return wait

    def close(self) -> None:
        """No figures after all (the brief failed first): the child ends."""
        if self._conn is not None:
            self._conn.close()
            self._child.join(timeout=5)
            self._conn = self._child = None


def _figure_data(data: BriefData) -> BriefData:
    # What drawing reads, without the fact tables and document list (large over a big store),
    # which would only be pickled for the child to ignore.
    return dataclasses.replace(data, facts=data.facts.iloc[:0], initiatives=data.initiatives.iloc[:0],
                               corpus_docs=[])


def _serve(conn, parent_end) -> None:
    parent_end.close()  # the fork's copy of it: the parent closing its own must read as the end here
    try:
        with contextlib.suppress(Exception):
            _pyplot()  # a failure here is raised again, and reported, when the figures are drawn
        try:
            data, folder = conn.recv()
        except EOFError:
            return  # the brief ended before its figures
        conn.send(draw_figures(data, folder))
    except BaseException:  # the parent reports it; a child has nobody else to tell
        with contextlib.suppress(OSError):
            conn.send(traceback.format_exc(limit=-3).strip())
    finally:
        conn.close()
