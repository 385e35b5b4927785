"""Render: HTML to PDF with WeasyPrint, fetching only from the project's own folders."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Sequence
from urllib.parse import unquote, urlparse

from briefgen.errors import RenderError
from briefgen.outputs import atomic_path

MAX_DATA_URL = 2 * 2**20


def _fetcher_class():
    from weasyprint import URLFetcher

    class SafeFetcher(URLFetcher):
        """Allows file:// URLs under the given roots and small data: URLs; refuses the rest."""

        def __init__(self, roots: Sequence[Path]):
            super().__init__(allowed_protocols={"file", "data"}, timeout=5)
            self.roots = [Path(r).resolve() for r in roots]

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
            return super().fetch(url, headers)

    return SafeFetcher


def render_pdf(html: str, out_pdf: Path, *, base_dir: Path, allowed_roots: Sequence[Path],
               font_path: Path) -> Path:
    """Write the PDF atomically; fonts are embedded as subsets by WeasyPrint."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = _fetcher_class()(list(allowed_roots) + [font_path.parent])
    font_config = FontConfiguration()
    font_css = CSS(string=f"""
        @font-face {{ font-family: "Brief CJK"; src: url("{font_path.as_uri()}"); }}
    """, font_config=font_config, url_fetcher=fetcher)
    try:
        document = HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher)
        with atomic_path(out_pdf) as tmp:
            document.write_pdf(tmp, stylesheets=[font_css], font_config=font_config,
                               pdf_identifier=hashlib.md5(html.encode()).hexdigest().encode(), hinting=True)
    except (OSError, ValueError) as exc:
        raise RenderError(f"{out_pdf}: PDF rendering failed ({exc}); the HTML was kept") from None
    return out_pdf
