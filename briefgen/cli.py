"""Command line: a thin layer over the library that maps errors to one line and an exit code."""

from __future__ import annotations

import functools
import io
import json
import sys
from pathlib import Path

import click

from briefgen.errors import BriefgenError
from briefgen.settings import load_settings


def _fail_cleanly(func):
    """Print a user's mistake as one line with no traceback; a bug keeps its traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except BriefgenError as exc:
            click.echo(f"briefgen: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


def _report_failures(failures, strict: bool, read: int) -> None:
    for f in failures:
        click.echo(f"{f.path}: {f.reason}", err=True)
    if read == 0:
        raise BriefgenError("no input document could be read")
    if strict and failures:
        raise BriefgenError(f"{len(failures)} input file(s) could not be read (--strict)")


def _regions(value: str | None) -> list[str] | None:
    if not value:
        return None
    return [v for v in value.replace("，", ",").replace("、", ",").split(",") if v.strip()]


def _write_records(records: list[dict], fields: tuple[str, ...], fmt: str, out: str | None) -> None:
    """Write records as CSV (UTF-8 with BOM for spreadsheets), JSONL or Parquet to a file or stdout."""
    import pandas as pd

    from briefgen.outputs import write_atomic

    frame = pd.DataFrame(records, columns=list(fields))
    if "change" in frame:
        frame["change"] = frame["change"].map(lambda c: json.dumps(c, ensure_ascii=False) if c else None)
    to_stdout = out in (None, "-")
    if fmt == "parquet":
        if to_stdout:
            raise BriefgenError("--format parquet needs -o FILE")
        buf = io.BytesIO()
        frame.to_parquet(buf, index=False)
        write_atomic(out, buf.getvalue())
        return
    if fmt == "csv":
        text = frame.to_csv(index=False)
        data = text if to_stdout else "\ufeff" + text
    else:
        data = "".join(json.dumps({k: (None if v != v else v) if isinstance(v, float) else v
                                   for k, v in r.items()}, ensure_ascii=False, default=str) + "\n"
                       for r in frame.to_dict("records"))
    if to_stdout:
        sys.stdout.write(data)
    else:
        write_atomic(out, data)


_JOBS = click.option("--jobs", type=int, help="Worker processes for extraction (default: all cores).")
_NO_CACHE = click.option("--no-cache", is_flag=True, help="Re-extract every document; ignore the cache.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefgen")
def main() -> None:
    """briefgen: comparative, fully sourced briefs from Chinese work reports."""


@main.command()
@click.argument("topic")
@click.option("--input", "inputs", multiple=True, type=click.Path(path_type=Path),
              help="Input file or folder (default: seeds/). Repeatable.")
@click.option("--regions", help="Comma-separated regions: short, full or pinyin names.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--out", type=click.Path(path_type=Path), help="PDF path (default output/TOPIC[.zh].pdf).")
@click.option("--strict", is_flag=True, help="Fail when any input file cannot be read.")
@_JOBS
@_NO_CACHE
@_fail_cleanly
def brief(topic, inputs, regions, lang, out, strict, jobs, no_cache):
    """Build the brief for TOPIC: a PDF and an HTML beside it."""
    import gc

    import briefgen.brief.compose  # noqa: F401  (pandas, jinja2: imported before the freeze below)
    import briefgen.brief.figures  # noqa: F401  (matplotlib)
    from briefgen.pipeline import build_brief

    # The modules just imported hold most of this process's objects, and none becomes garbage:
    # frozen, they are skipped by every collection of the run and at exit (~0.3 s a brief).
    gc.freeze()

    settings = load_settings()
    stages = []

    def on_stage(stage: str) -> None:
        stages.append(stage)
        if sys.stderr.isatty():
            click.echo(f"  … {stage}", err=True)

    result = build_brief(topic, settings, inputs=list(inputs) or None, regions=_regions(regions),
                         lang=lang, out_pdf=out, use_cache=not no_cache, jobs=jobs, on_stage=on_stage)
    read = len(result.corpus.document_infos())
    _report_failures(result.corpus.failures, strict, read)
    click.echo(f"wrote {result.pdf} and {result.html} ({read} documents, "
               f"{result.seconds:.1f} s)")


def _lexicons(settings):
    from briefgen.brief.catalogue import find_topics, lexicons

    return lexicons(find_topics(settings.template_dirs).values())


def _load(paths, jobs=None, no_cache=False):
    """The corpus of the given paths (default: the settings' input), through the store."""
    from briefgen.store import load_corpus

    settings = load_settings()
    return load_corpus(list(paths) or settings.input, _lexicons(settings),
                       cache=None if no_cache else settings.cache, jobs=jobs, max_bytes=settings.max_bytes)


def _corpus(paths, strict, jobs=None, no_cache=False):
    corpus = _load(paths, jobs, no_cache)
    _report_failures(corpus.failures, strict, len(corpus.extractions))
    return corpus


_FORMAT = click.option("--format", "fmt", type=click.Choice(["csv", "jsonl", "parquet"]), default="csv",
                       show_default=True)
_OUT = click.option("-o", "--output", "out", help="Output file; '-' or none for standard output.")
_STRICT = click.option("--strict", is_flag=True, help="Fail when any input file cannot be read.")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_FORMAT
@_OUT
@_STRICT
@_JOBS
@_NO_CACHE
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="dask: map extraction over a Dask cluster and write a partitioned Parquet dataset.")
@click.option("--scheduler", help="Dask scheduler address tcp://HOST:PORT (implies --engine dask).")
@_fail_cleanly
def facts(paths, fmt, out, strict, jobs, no_cache, engine, scheduler):
    """Every quantity fact with its source quote."""
    from briefgen.extract.facts import FIELDS

    if engine == "dask" or scheduler:
        from briefgen.store.engines import extract_to_dataset

        if out in (None, "-"):
            raise BriefgenError("--engine dask writes a Parquet dataset: give -o DIR")
        settings = load_settings()
        r = extract_to_dataset(list(paths) or settings.input, _lexicons(settings), out, scheduler=scheduler,
                               n_workers=jobs, max_bytes=settings.max_bytes,
                               cache=None if no_cache else settings.cache)
        _report_failures(r.failures, strict, r.documents)
        click.echo(f"wrote {r.facts} facts from {r.documents} documents to {r.path}/ (province=…/year=…)",
                   err=True)
        return
    corpus = _corpus(paths, strict, jobs, no_cache)
    _write_records([f.to_dict() for x in corpus.extractions for f in x.facts], FIELDS, fmt, out)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@_OUT
@_STRICT
@_JOBS
@_NO_CACHE
@_fail_cleanly
def initiatives(paths, fmt, out, strict, jobs, no_cache):
    """Every named initiative, mechanism, brand or policy document."""
    from briefgen.extract.initiatives import FIELDS

    corpus = _corpus(paths, strict, jobs, no_cache)
    _write_records([i.to_dict() for x in corpus.extractions for i in x.initiatives], FIELDS, fmt, out)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default="csv", show_default=True)
@_OUT
@_STRICT
@_JOBS
@_NO_CACHE
@_fail_cleanly
def docs(paths, fmt, out, strict, jobs, no_cache):
    """One record per input file: format, encoding, regions, year, title, status."""
    corpus = _load(paths, jobs, no_cache)
    records = [{"doc": x.document.name, "format": x.document.format, "encoding": x.document.encoding,
                "chars": len(x.document.text), "regions": "|".join(r.name for r in x.segmentation.regions),
                "year": x.segmentation.year, "title": x.segmentation.title, "status": "ok", "error": None}
               for x in corpus.extractions]
    records += [{"doc": f.path.name, "format": f.path.suffix.lstrip("."), "status": "skipped",
                 "error": f.reason} for f in corpus.failures]
    fields = ("doc", "format", "encoding", "chars", "regions", "year", "title", "status", "error")
    # The records are written first: a folder of broken files still gets its report.
    _write_records(sorted(records, key=lambda r: r["doc"]), fields, fmt, out)
    _report_failures(corpus.failures, strict, len(corpus.extractions))


@main.command()
@click.option("--names", is_flag=True, help="Only the topic keys, one per line.")
@_fail_cleanly
def topics(names):
    """The brief types found in the template folders."""
    from briefgen.brief.catalogue import find_topics

    found = find_topics(load_settings().template_dirs)
    for key, spec in found.items():
        click.echo(key if names else f"{key:14} {spec.title_en} / {spec.title_zh}  ({spec.path})")


def _is_stale(pdf: Path, sources) -> bool:
    """True when the PDF is missing or older than any input document or template."""
    if not pdf.is_file():
        return True
    built = pdf.stat().st_mtime
    for folder in sources:
        folder = Path(folder)
        files = folder.rglob("*") if folder.is_dir() else [folder]
        if any(f.is_file() and f.stat().st_mtime > built for f in files):
            return True
    return False


@main.command()
@click.argument("topic")
@click.option("--to", "recipients", multiple=True, required=True, help="Recipient address. Repeatable.")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@click.option("--input", "inputs", multiple=True, type=click.Path(path_type=Path),
              help="Input file or folder the brief is built from (default: seeds/).")
@click.option("--dry-run", is_flag=True, help="Write output/TOPIC.eml instead of sending.")
@click.option("--resend", is_flag=True, help="Send even if this PDF already went to these recipients.")
@_fail_cleanly
def email(topic, recipients, lang, inputs, dry_run, resend):
    """Mail the brief's PDF, building it first when it is missing or out of date."""
    from briefgen.mail import email_brief
    from briefgen.pipeline import build_brief, default_pdf_path

    settings = load_settings()
    pdf = default_pdf_path(settings, topic, lang)
    addresses = [a.strip() for r in recipients for a in r.split(",") if a.strip()]
    if _is_stale(pdf, [*(inputs or settings.input), *settings.template_dirs]):
        click.echo(f"building {pdf} first", err=True)
        build_brief(topic, settings, inputs=list(inputs) or None, lang=lang, out_pdf=pdf)
    eml = settings.output / f"{topic}{'.zh' if lang == 'zh' else ''}.eml"
    result = email_brief(pdf, addresses, dry_run=dry_run, resend=resend, eml_path=eml,
                         log_path=settings.output / "sent.jsonl")
    click.echo(f"wrote {result}" if dry_run else f"sent {pdf.name} to {', '.join(addresses)}")
