"""Render: HTML to PDF with WeasyPrint, fetching only from the project's own folders."""

from __future__ import annotations

import contextlib
import hashlib
import logging
from html import unescape
from pathlib import Path
from typing import Callable, Sequence
from urllib.parse import unquote, urlparse

from briefgen.errors import RenderError
from briefgen.outputs import atomic_path

MAX_DATA_URL = 2 * 2**20


def _fetcher_class():
    from weasyprint import URLFetcher

    class SafeFetcher(URLFetcher):
        """Allows file:// URLs under the given roots and small data: URLs; refuses the rest."""

        def __init__(self, roots: Sequence[Path], pending: Path | None = None,
                     ready: Callable[[], object] = lambda: None):
            super().__init__(allowed_protocols={"file", "data"}, timeout=5)
            self.roots = [Path(r).resolve() for r in roots]
            self.pending, self.ready = (pending.resolve() if pending else None), ready

        def fetch(self, url, headers=None):
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                if len(url) > MAX_DATA_URL:
                    raise ValueError("data: URL too large")
                return super().fetch(url, headers)
            if scheme != "file":
                raise ValueError(f"refused to fetch {url}: only project files are allowed")
            path = Path(unquote(urlparse(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise ValueError(f"refused to fetch {url}: outside the project's folders")
            if self.pending is not None and path.is_relative_to(self.pending):
                self.ready()
            return super().fetch(url, headers)

    return SafeFetcher


# What the renderer draws on its own: list bullets, list numbers and the leader dots of the TOC.
# Everything else, footer strings and quote marks included, is in the HTML or its stylesheets.
_GENERATED_TEXT = "0123456789 .•◦▪"


def subset_font(font_path: Path, text: str, work_dir: Path) -> Path:
    """A copy of the font holding only the glyphs of `text`, made with HarfBuzz in milliseconds.

    WeasyPrint subsets fonts with fontTools, which takes seconds on a 16 MB CJK font; handing it a
    font already cut down to the brief's characters leaves it almost nothing to do.
    """
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(font_path)))
    wanted = hb.SubsetInput()
    for ch in set(text) | set(_GENERATED_TEXT):
        wanted.unicode_set.add(ord(ch))
    subset = hb.subset(face, wanted)
    if subset is None:
        return font_path
    out = work_dir.resolve() / f"font-{hashlib.sha256(text.encode()).hexdigest()[:12]}{font_path.suffix}"
    out.write_bytes(subset.blob.data)
    return out


# Tables WeasyPrint drops from an embedded font (its own HarfBuzz path drops the same).
_DROP_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")


def _subset_with_uharfbuzz(font, to_unicode, hinting) -> None:
    """WeasyPrint's own HarfBuzz subsetting of an embedded font, run by uharfbuzz's HarfBuzz.

    WeasyPrint subsets with a system libharfbuzz-subset when it finds one, else with fontTools,
    which spends about a second on the glyphs of a 24-page CJK brief. This does what its HarfBuzz
    path does (keep the used glyph ids, then trim the unused ones after the last) in milliseconds.
    """
    import uharfbuzz as hb

    flags = hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED | hb.SubsetFlags.DESUBROUTINIZE
    if font.missing:
        flags |= hb.SubsetFlags.NOTDEF_OUTLINE
    wanted = hb.SubsetInput()
    wanted.glyph_set.update(sorted(to_unicode))
    wanted.flags = flags | hb.SubsetFlags.RETAIN_GIDS
    wanted.drop_table_tag_set.update(int.from_bytes(tag.encode("latin-1"), "big") for tag in _DROP_TABLES)
    face = hb.subset(hb.Face(hb.Blob(font.file_content)), wanted)
    if face is not None:
        wanted.glyph_set.update(range(max(to_unicode) + 1))
        wanted.flags = flags if hinting else flags | hb.SubsetFlags.NO_HINTING
        face = hb.subset(face, wanted)
    if face is None or not face.blob.data:
        _fonttools_subset(font, to_unicode, hinting)  # what WeasyPrint does without HarfBuzz
        return
    font.file_content = face.blob.data


_fonttools_subset = None  # WeasyPrint's own fallback, once replaced


def _use_uharfbuzz_subset() -> None:
    """Have WeasyPrint subset fonts with uharfbuzz where it would fall back to fontTools."""
    global _fonttools_subset
    from weasyprint.pdf import fonts

    if _fonttools_subset is not None or getattr(fonts, "harfbuzz_subset", True) is not None \
            or not callable(getattr(fonts.Font, "_fonttools_subset", None)):
        return  # done already, WeasyPrint found HarfBuzz itself, or its internals have changed
    _fonttools_subset = fonts.Font._fonttools_subset
    fonts.Font._fonttools_subset = _subset_with_uharfbuzz


def _identifier(html: str, work_dir: Path) -> bytes:
    """A PDF /ID from the content alone, not from where this run kept its figures."""
    stable = html.replace(work_dir.resolve().as_uri(), "")
    return hashlib.md5(stable.encode()).hexdigest().encode()


def load_renderer() -> None:
    """Import WeasyPrint (about a second), e.g. while figures are still being drawn elsewhere."""
    import weasyprint  # noqa: F401


def _once(wait: Callable[[], object]) -> Callable[[], object]:
    """`wait` called the first time only; later calls give its result or raise its error again."""
    outcome: list = []

    def once():
        if not outcome:
            try:
                outcome.append((True, wait()))
            except Exception as exc:
                outcome.append((False, exc))
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    return once


def render_pdf(html: str, out_pdf: Path, *, base_dir: Path, allowed_roots: Sequence[Path],
               font_path: Path, work_dir: Path, figures_ready: Callable[[], object] = lambda: None) -> Path:
    """Write the PDF atomically; the font is pre-subset to the brief's text, then embedded.

    `figures_ready` waits for the files of `work_dir` (figures drawn elsewhere): it is called when
    WeasyPrint first reads one, so that parsing and styling the HTML overlap the drawing, and in any
    case before the PDF is kept; its error stops the PDF.
    """
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    _use_uharfbuzz_subset()
    # Text written in the stylesheets (footers, quote marks) needs its glyphs too.
    css_text = "".join(p.read_text("utf-8") for root in allowed_roots for p in Path(root).glob("*.css"))
    font_path = subset_font(font_path, unescape(html) + css_text, work_dir)
    roots = list(allowed_roots) + [font_path.parent]
    ready = _once(figures_ready)
    font_config = FontConfiguration()
    # The font, written into work_dir too, is read here: the fetcher of the font's rule never waits.
    font_css = CSS(string=f"""
        @font-face {{ font-family: "Brief CJK"; src: url("{font_path.as_uri()}"); }}
    """, font_config=font_config, url_fetcher=_fetcher_class()(roots))
    try:
        document = HTML(string=html, base_url=str(base_dir) + "/",
                        url_fetcher=_fetcher_class()(roots, work_dir, ready))
        with atomic_path(out_pdf) as tmp:
            document.write_pdf(tmp, stylesheets=[font_css], font_config=font_config,
                               pdf_identifier=_identifier(html, work_dir), hinting=True)
            # WeasyPrint draws an image it could not read as missing: a figure's error is raised here.
            ready()
    except (OSError, ValueError) as exc:
        raise RenderError(f"{out_pdf}: PDF rendering failed ({exc}); the HTML was kept") from None
    finally:
        with contextlib.suppress(Exception):
            ready()  # the drawing process is waited for whatever happened
    return out_pdf
