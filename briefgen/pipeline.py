"""Pipeline: the one orchestrator. Every stage, in order:

Per document — briefgen.extract.extract_document(), mapped over the input by the store:
  1. documents.read_document   file bytes → Document (text, format, encoding)
  2. extract.segment           Document → Segmentation (title, year, regions, passages)
  3. extract.facts             passages → Fact (number, unit, qualifier, subject, metric, topic, quote)
  4. extract.initiatives       passages → Initiative (named programmes, their kind and definition)
Per brief — build_brief() below:
  5. store.load_corpus         every document's extraction, cached and on all cores → Corpus
  6. brief.catalogue           the brief type its template declares (titles, keywords, metrics)
  7. brief.tables              Corpus → BriefData (comparison, findings, profiles, glossary, sources)
  8. brief.figures             BriefData → SVG figures (drawn in a second process)
  9. brief.compose             BriefData + templates → HTML (written before the PDF step)
 10. brief.render              HTML → PDF (WeasyPrint, embedded CJK font)
Delivery — mail.email_brief() sends a built PDF.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from briefgen.store import Corpus, load_corpus
from briefgen.outputs import write_atomic
from briefgen.settings import Settings
from briefgen.extract.metrics import load_metrics
from briefgen.brief.catalogue import check_metrics, find_topics, get_topic, lexicons

# Older runs of the same brief are removed; a concurrent run is never this old.
_KEEP_RUN_FOLDERS_S = 600


@dataclass(frozen=True)
class BriefResult:
    """What one brief build wrote, and what it had to leave out."""

    pdf: Path
    html: Path
    manifest: Path
    figures: Path
    corpus: Corpus
    seconds: float


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH so that two builds are identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date()
    return dt.date.today()


def _run_folder(out_pdf: Path) -> Path:
    """A figure folder of this run's own; old ones of the same brief are pruned."""
    parent = out_pdf.parent / f"{out_pdf.stem}.figures"
    now = time.time()
    if parent.is_dir():
        for old in parent.iterdir():
            if old.is_dir() and now - old.stat().st_mtime > _KEEP_RUN_FOLDERS_S:
                shutil.rmtree(old, ignore_errors=True)
    run = parent / f"{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    run.mkdir(parents=True, exist_ok=True)
    return run


def default_pdf_path(settings: Settings, topic: str, lang: str) -> Path:
    """output/<topic>.pdf, or output/<topic>.zh.pdf for Chinese."""
    return settings.output / f"{topic}{'.zh' if lang == 'zh' else ''}.pdf"


def build_brief(topic: str, settings: Settings, *, inputs: Sequence[Path] | None = None,
                regions: Sequence[str] | None = None, lang: str = "en", out_pdf: Path | None = None,
                use_cache: bool = True, jobs: int | None = None,
                on_stage: Callable[[str], None] = lambda stage: None) -> BriefResult:
    """Build one brief: gather every fact of the corpus first, then write HTML, then the PDF."""
    from briefgen.brief.compose import compose_html
    from briefgen.brief.figures import FigureProcess, plan_figures
    from briefgen.brief.fonts import find_cjk_font
    from briefgen.brief.render import load_renderer, render_pdf
    from briefgen.brief.tables import build_brief_data

    started = time.perf_counter()
    # 6. The brief type, and the lexicons of all of them (extraction tags topics with them).
    topics = find_topics(settings.template_dirs)
    spec = get_topic(topics, topic)
    check_metrics(spec, list(load_metrics()))
    lex = lexicons(topics.values())
    font = find_cjk_font()
    out_pdf = Path(out_pdf or default_pdf_path(settings, topic, lang))

    # Figures are drawn in a child process, which sets matplotlib up while the data is gathered
    # here and draws while the HTML is composed and WeasyPrint is imported.
    painter = FigureProcess()
    try:
        on_stage("documents")  # 1-5: per-document extraction, over the store
        corpus = load_corpus(inputs or settings.input, lex, cache=settings.cache if use_cache else None,
                             jobs=jobs, max_bytes=settings.max_bytes, regions=regions)
        on_stage("tables")
        data = build_brief_data(corpus, spec, lex, lang, regions, topics)
        on_stage("figures")
        fig_dir = _run_folder(out_pdf)
        figures_drawn = painter.draw(data, fig_dir)
    finally:
        painter.close()
    figures = plan_figures(data, fig_dir)
    on_stage("compose")
    template_dirs = settings.template_dirs
    css = next((d / "brief.css" for d in template_dirs if (d / "brief.css").is_file()), None)
    html = compose_html(data, figures, template_dirs, css, build_date())
    # The HTML is written before the PDF step, which is the one that can fail.
    html_path = write_atomic(out_pdf.with_suffix(".html"), html)
    manifest = write_atomic(out_pdf.with_suffix(".json"), json.dumps({
        "topic": topic, "lang": lang, "title": spec.title(lang),
        "regions": [p["region"] for p in data.profiles],
        "findings": [{"text": f["text"], "quote": f["cites"][0].quote, "doc": f["cites"][0].doc}
                     for f in data.findings],
        "pdf": out_pdf.name, "html": html_path.name, "generated": build_date().isoformat(),
        "sources": [d["doc"] for d in data.corpus_docs],
    }, ensure_ascii=False, indent=2))
    on_stage("render")
    load_renderer()
    roots = [*template_dirs, fig_dir]
    # WeasyPrint parses and styles the HTML while the figures are finished; it waits at the first.
    render_pdf(html, out_pdf, base_dir=out_pdf.parent.resolve(), allowed_roots=roots, font_path=font,
               work_dir=fig_dir, figures_ready=figures_drawn)
    return BriefResult(out_pdf, html_path, manifest, fig_dir, corpus, time.perf_counter() - started)
