"""Compose: a brief template (Jinja2 + Markdown) and the base layout into one HTML page."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Sequence

import jinja2
import markdown
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from briefgen import __version__
from briefgen.errors import TemplateError
from briefgen.brief.glossary import kind_label
from briefgen.extract.mentions import normalize
from briefgen.brief.profiles import emphasize_numbers
from briefgen.brief.tables import BriefData, Citation
from briefgen.brief.catalogue import BRIEFS_DIR, SUFFIX

BASE_TEMPLATE = "base.html.j2"
# Characters HTML or Markdown would read as markup: document text shows them literally, as
# decimal entities (Python-Markdown passes those through untouched).
_SPECIAL = "&<>\"'\\`*_{}[]()#+-.!|~"
_SPECIAL_RE = re.compile("[" + re.escape(_SPECIAL) + "]")


def _escape_text(value) -> Markup:
    """Escape any text a Markdown template prints, so that it can only ever be text."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(_SPECIAL_RE.sub(lambda m: f"&#{ord(m.group())};", str(value)))


def _attr(value: str) -> str:
    # Entities keep attribute values exact once parsed, and keep `|` out of Markdown tables.
    return str(_escape_text(value))


def _cite(c: Citation) -> Markup:
    """A superscript citation link that carries its source machine-readably."""
    return Markup(f'<a class="cite" href="#src-{c.n}" data-doc="{_attr(c.doc)}" '
                  f'data-quote="{_attr(c.quote)}">[{c.n}]</a>')


def _evidence(quote: str, c: Citation, emphasize: bool = True) -> Markup:
    """A verbatim quote, numbers in bold, then its citation number; both carry data-doc/data-quote.

    A quote that is its citation's own is set in plain quote marks, the citation carrying it:
    WeasyPrint lays out an inline element wrapped over several lines at a cost (half a second for
    the profiles of a 17-region brief over a large store). Another quote (a definition cited by
    the sentence naming the initiative) keeps its own <q>.
    """
    body = "".join(f"<strong>{_escape_text(t)}</strong>" if num else str(_escape_text(t))
                   for t, num in (emphasize_numbers(quote) if emphasize else [(quote, False)]))
    if quote == c.quote:
        return Markup(f"“{body}”{_cite(c)}")
    return Markup(f'<q class="evidence" lang="zh" data-doc="{_attr(c.doc)}" data-quote="{_attr(quote)}">'
                  f'{body}</q>{_cite(c)}')


def _cell(cell) -> Markup:
    """A comparison-table cell: the value with its citation, or 'not reported' (never 0)."""
    if not isinstance(cell, dict):
        return Markup('<span class="nr">—</span>')
    year = f'<span class="yr">{int(cell["year"])}</span>' if cell["year"] == cell["year"] and cell["year"] else ""
    more = f'<span class="more">+{cell["others"]}</span>' if cell["others"] else ""
    c = cell["cite"]
    return Markup(f'<span class="val" data-doc="{_attr(c.doc)}" data-quote="{_attr(c.quote)}">'
                  f'{_escape_text(cell["text"])}</span>{year}{_cite(c)}{more}')


def make_environment(template_dirs: Sequence[Path], markdown_source: bool = True
                     ) -> ImmutableSandboxedEnvironment:
    """A sandboxed Jinja environment over the user's template folders first, built-ins last.

    For Markdown templates every printed value is also stripped of Markdown syntax; the HTML
    layout only needs HTML escaping.
    """
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        undefined=jinja2.StrictUndefined, autoescape=True,
        finalize=_escape_text if markdown_source else None,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(cite=_cite, evidence=_evidence, cell=_cell)
    env.globals.update(kind_label=kind_label)
    return env


def _render(env, name: str, context: dict) -> str:
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(_where(env, exc.filename or exc.name or name), exc.lineno, exc.message) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(name, None, f"template not found: {exc.name}") from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError, ValueError) as exc:
        filename, lineno = _template_frame(exc, name)
        raise TemplateError(_where(env, filename), lineno, str(exc)) from None


def _template_frame(exc: BaseException, fallback: str) -> tuple[str, int | None]:
    """The innermost template file and line in a render traceback (Jinja maps them for us)."""
    found = (fallback, None)
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.endswith(".j2"):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _where(env, filename: str) -> str:
    try:
        return os.path.relpath(filename)
    except ValueError:
        return filename


def compose_html(data: BriefData, figures: dict[str, Path], template_dirs: Sequence[Path],
                 css_path: Path | None, generated: dt.date) -> str:
    """Render the topic's Markdown template and wrap it in the base layout; returns HTML."""
    env = make_environment(template_dirs)
    lang = data.lang
    context = {
        "lang": lang, "topic": data.topic, "title": data.topic.title(lang),
        "data": data, "regions": data.profiles, "n_regions": len(data.regions),
        "metrics": data.metrics, "comparison": data.comparison, "findings": data.findings,
        "caveats": data.caveats, "not_reported": data.not_reported, "shared": data.shared,
        "distinctive": data.distinctive, "profiles": data.profiles, "glossary": data.glossary,
        "sources": data.citations.all(), "documents": data.corpus_docs, "failures": data.failures,
        "figures": {k: (Markup(figures[k].resolve().as_uri()) if k in figures else None)
                    for k in ("metrics", "mechanisms", "coverage", *figures)},
        "n_facts": len(data.facts), "n_initiatives": len(data.initiatives),
        "n_names": data.initiatives["name"].map(normalize).nunique(),
        "generated": generated.isoformat(), "version": __version__,
        "tr": lambda en, zh: zh if lang == "zh" else en,
    }
    md_text = _render(env, f"{BRIEFS_DIR}/{data.topic.key}{SUFFIX}", context)
    body = markdown.markdown(md_text, extensions=["tables", "attr_list", "toc"],
                             extension_configs={"toc": {"toc_depth": "2-3"}}, output_format="html")
    toc = markdown.Markdown(extensions=["toc"], extension_configs={"toc": {"toc_depth": "2-3"}})
    toc.convert(md_text)
    return _render(make_environment(template_dirs, markdown_source=False), BASE_TEMPLATE, {
        **context, "body": Markup(body), "toc": toc.toc_tokens,
        "css": Markup(css_path.resolve().as_uri()) if css_path else None,
        "keywords": ", ".join(data.topic.keywords[:12]),
        "region_names": ", ".join(p["region"] for p in data.profiles),
    })
