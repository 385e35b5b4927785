"""Bench: `make bench` — brief time against WeasyPrint's floor, extraction speed, a 10,000-document ingest.

Speed is measured here and written to docs/benchmarks.md, never asserted in tests. Every timing
runs in a new process, as a user's command would.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from briefgen.settings import PROJECT_DIR, load_settings

BENCH_DIR = PROJECT_DIR / ".cache" / "bench"
REPORT = PROJECT_DIR / "docs" / "benchmarks.md"
PY = sys.executable
N_LARGE = int(os.environ.get("BENCH_DOCS", "10000"))
N_TEXT = 600
REPEAT = 5
REPEAT_RATIO = 5  # (a) and (d) are ratios of two timings, each noisy on a shared VM

# The floor: a new process that imports what a brief imports and renders the same HTML, with the
# same pre-subset font, to PDF — everything a brief costs that briefgen itself cannot remove.
_FLOOR = textwrap.dedent("""
    import sys, tempfile
    from pathlib import Path
    import pandas, matplotlib, jinja2, weasyprint
    from briefgen.brief.fonts import find_cjk_font
    from briefgen.brief.render import render_pdf
    from briefgen.settings import load_settings
    html = Path(sys.argv[1]).resolve()
    work = Path(tempfile.mkdtemp())
    render_pdf(html.read_text("utf-8"), work / "floor.pdf", base_dir=html.parent,
               allowed_roots=[html.parent, *load_settings().template_dirs], font_path=find_cjk_font(),
               work_dir=work)
""")

# A brief through the library, with an explicit store and regions.
_BRIEF = textwrap.dedent("""
    import sys
    from pathlib import Path
    from briefgen.pipeline import build_brief
    from briefgen.settings import load_settings
    topic, inputs, cache, out, regions = sys.argv[1:6]
    build_brief(topic, load_settings(cache=cache), inputs=[Path(inputs)],
                regions=regions.split(",") if regions else None, out_pdf=Path(out))
""")

_PROFILE = textwrap.dedent("""
    import cProfile, pstats, sys
    from pathlib import Path
    from briefgen.extract import extract_document
    from briefgen.documents import read_document
    from briefgen.settings import load_settings
    from briefgen.brief.catalogue import find_topics, lexicons
    lex = lexicons(find_topics(load_settings().template_dirs).values())
    docs = [read_document(p) for p in sorted(Path(sys.argv[1]).glob("*.txt"))[:150]]
    extract_document(docs[0], lex)
    profile = cProfile.Profile()
    profile.runcall(lambda: [extract_document(d, lex) for d in docs])
    pstats.Stats(profile).sort_stats("tottime").print_stats(8)
""")

_INGEST = textwrap.dedent("""
    import sys
    from briefgen.store.ingest import ingest_inputs
    from briefgen.settings import load_settings
    from briefgen.brief.catalogue import find_topics, lexicons
    settings = load_settings()
    lex = lexicons(find_topics(settings.template_dirs).values())
    ing = ingest_inputs([sys.argv[1]], lex, cache=sys.argv[2], max_bytes=settings.max_bytes)
    ok = sum(1 for r in ing.index.values() if r["status"] == "ok")
    print(ok, len(ing.failures), sum(r["facts"] for r in ing.index.values()))
    for f in ing.failures[:3]:
        print(f"  {f.path.name}: {f.reason}", file=sys.stderr)
""")


def _memory(p) -> int:
    """A process's proportional set size where the system tells it, else its resident size.

    Forked workers share their parent's pages; summing resident sizes would count those twice.
    """
    try:
        return p.memory_full_info().pss
    except (AttributeError, OSError):
        return p.memory_info().rss


def _run(cmd: list[str], **kw) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall seconds and peak memory (PSS) of the whole process tree (sampled every 100 ms)."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=PROJECT_DIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    peak = 0
    root = psutil.Process(proc.pid)
    tick = 0
    while proc.poll() is None:
        # Reading PSS walks the page tables: every 100 ms, so the sampling stays off the timing.
        if tick % 5 == 0:
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(_memory(p) for p in tree if p.is_running()))
            except psutil.Error:
                pass
        tick += 1
        time.sleep(0.02)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    result = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
    if proc.returncode:
        label = " ".join(c if len(c) < 40 else "<script>" for c in cmd[:4])
        print(f"  ! {label} exited {proc.returncode}: {err.strip().splitlines()[-1:]}", file=sys.stderr)
    return seconds, peak, result


def _machine() -> dict[str, str]:
    import psutil

    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else platform.processor()
    from briefgen.store.workers import default_jobs

    return {"cores": str(default_jobs()), "memory": f"{psutil.virtual_memory().total / 2**30:.1f} GiB",
            "cpu": cpu, "python": platform.python_version(), "os": platform.platform(terse=True)}


def _corpus(n: int, formats: str) -> Path:
    """A generated corpus, kept between bench runs (the generator is deterministic)."""
    from briefgen.tools.generate import generate_corpus

    folder = BENCH_DIR / f"corpus-{n}-{formats.replace(',', '-')}"
    if not (folder / ".complete").is_file():
        shutil.rmtree(folder, ignore_errors=True)
        generate_corpus(n, folder, seed=0, formats=formats.split(","))
        (folder / ".complete").touch()
    return folder


def bench_brief(rows: list) -> None:
    """(a) make brief TOPIC=talent, cold (cache deleted) and warm, against the floor."""
    settings = load_settings(PROJECT_DIR / "pyproject.toml")
    cache = PROJECT_DIR / settings.cache
    make = ["make", "-s", "brief", "TOPIC=talent"]
    shutil.rmtree(cache, ignore_errors=True)
    cold, _, r = _run(make)
    if r.returncode:
        rows.append(("(a) brief", "make brief TOPIC=talent", "failed", r.stderr.strip().splitlines()[-1:]))
        return
    html = PROJECT_DIR / settings.output / "talent.html"
    # Warm briefs and the floor in turn, so that a slow spell of the machine weighs on both sides.
    warms, floors = [], []
    for _ in range(REPEAT_RATIO):
        warms.append(_run(make)[0])
        floors.append(_run([PY, "-c", _FLOOR, str(html)])[0])
    warm, floor = statistics.median(warms), statistics.median(floors)
    pages = _pages(PROJECT_DIR / settings.output / "talent.pdf")
    rows.append(("(a) brief", f"floor: new process, imports + render of talent.html ({pages} pages, median of "
                 f"{REPEAT_RATIO}, runs interleaved with the warm briefs')",
                 f"{floor:.2f} s", ""))
    rows.append(("(a) brief", "make brief TOPIC=talent, cold (cache deleted)", f"{cold:.2f} s",
                 f"{cold / floor:.2f} × floor"))
    rows.append(("(a) brief", f"make brief TOPIC=talent, warm (median of {REPEAT_RATIO})", f"{warm:.2f} s",
                 f"{warm / floor:.2f} × floor (target ≤ 1.5)"))


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def bench_extraction(rows: list, hot: list) -> None:
    """(b) extraction MB/s on plain text: one core in this process, then every core."""
    from briefgen.store.workers import map_chunks, default_jobs
    from briefgen.extract import extract_document
    from briefgen.documents import read_document
    from briefgen.brief.catalogue import find_topics, lexicons

    folder = _corpus(N_TEXT, "txt")
    lex = lexicons(find_topics(load_settings().template_dirs).values())
    docs = [read_document(p) for p in sorted(folder.glob("*.txt"))]
    mb = sum(len(d.text.encode()) for d in docs) / 1e6
    # Once per process: the gazetteer's automaton and the compiled rules. Throughput is measured
    # after it; the setup is reported on its own row.
    started = time.perf_counter()
    extract_document(docs[0], lex)
    setup = time.perf_counter() - started
    passes = []
    for _ in range(REPEAT):  # one pass is under a second: the median of several steadies it
        started = time.perf_counter()
        for d in docs:
            extract_document(d, lex)
        passes.append(mb / (time.perf_counter() - started))
    one = statistics.median(passes)
    jobs = default_jobs()
    # What an ingest's workers do, minus the store: read, extract, send the table rows back. The
    # files are listed REPEAT times, so the workers' start-up weighs as it does on a large input.
    items = [(p, "") for p in sorted(folder.glob("*.txt"))] * REPEAT
    started = time.perf_counter()
    for _ in map_chunks(items, lex, None, jobs, False, None):
        pass
    every = mb * REPEAT / (time.perf_counter() - started)
    rows.append(("(b) extraction", "one-time setup per process (gazetteer, rules), before the first document",
                 f"{setup:.2f} s", ""))
    from briefgen import native

    how = "compiled with mypyc" if native.in_use() else f"plain Python: {native.stale_reason() or 'not compiled'}"
    rows.append(("(b) extraction", f"plain text, 1 core ({len(docs)} docs, {mb:.1f} MB, median of {REPEAT} passes, "
                 f"which ranged {min(passes):.1f}–{max(passes):.1f}; {how})", f"{one:.1f} MB/s",
                 "target ≥ 10 MB/s per core"))
    rows.append(("(b) extraction", f"plain text, {jobs} worker processes ({len(docs)} docs {REPEAT} times, "
                 f"{mb * REPEAT:.0f} MB: start-up, read, extract, table rows to the parent)",
                 f"{every:.1f} MB/s", f"{every / jobs:.1f} MB/s per core"))
    # cProfile cannot see inside compiled functions: the profile is of the same modules as Python.
    r = subprocess.run([PY, "-c", _PROFILE, str(folder)], capture_output=True, text=True,
                       env={**os.environ, "BRIEFGEN_PURE": "1"}, cwd=PROJECT_DIR)
    lines = r.stdout.splitlines()
    start = next((i for i, ln in enumerate(lines) if "tottime" in ln), len(lines))
    hot.extend(ln.replace(str(PROJECT_DIR) + "/", "") for ln in lines[start:] if ln.strip())


def bench_scale(rows: list) -> None:
    """(c) ingest of N mixed-format documents into an empty store; (d) a brief over that store."""
    folder = _corpus(N_LARGE, "txt,md,html,docx")
    mb = sum(p.stat().st_size for p in folder.iterdir() if not p.name.startswith(".")) / 1e6
    store = BENCH_DIR / f"store-{N_LARGE}"
    shutil.rmtree(store, ignore_errors=True)
    seconds, peak, r = _run([PY, "-c", _INGEST, str(folder), str(store)])
    ok, failed, facts = (r.stdout.split() + ["?"] * 3)[:3] if not r.returncode else ("?", "?", "?")
    rows.append(("(c) ingest", f"{N_LARGE:,} docs ({mb:.0f} MB, txt/md/html/docx) into an empty store",
                 f"{seconds:.1f} s", "target ≤ 60 s"))
    rows.append(("(c) ingest", f"peak memory (PSS), whole process tree ({ok} read, {failed} failed, {facts} facts)",
                 f"{peak / 2**30:.2f} GiB", "target ≤ 1.5 GiB"))
    if r.stderr.strip():
        rows.append(("(c) ingest", "first failures: " + " | ".join(r.stderr.strip().splitlines()[:3]), "", ""))

    from briefgen.store import load_corpus
    from briefgen.brief.tables import corpus_regions
    from briefgen.brief.catalogue import find_topics, lexicons

    lex = lexicons(find_topics(load_settings().template_dirs).values())
    regions = ",".join(r.name for r in corpus_regions(load_corpus([PROJECT_DIR / "seeds"], lex)))
    seed_store = BENCH_DIR / "store-seeds"
    out = BENCH_DIR / "briefs"
    args = lambda inputs, cache, name: [PY, "-c", _BRIEF, "talent", str(inputs), str(cache),  # noqa: E731
                                        str(out / f"{name}.pdf"), regions]
    _run(args(PROJECT_DIR / "seeds", seed_store, "seeds"))  # fills the seeds' store
    # Interleaved, so that a slow spell of this shared machine weighs on both sides of the ratio.
    seeds, big = [], []
    for _ in range(REPEAT_RATIO):
        seeds.append(_run(args(PROJECT_DIR / "seeds", seed_store, "seeds"))[0])
        big.append(_run(args(folder, store, "large")))
    seed_s = statistics.median(seeds)
    if any(b[2].returncode for b in big):
        rows.append(("(d) brief", "brief over the store", "failed", big[0][2].stderr.strip().splitlines()[-1:]))
        return
    big_s = statistics.median(b[0] for b in big)
    rows.append(("(d) brief", f"talent brief, seeds' regions, over the seeds' store ({_pages(out / 'seeds.pdf')} "
                 f"pages, median of {REPEAT_RATIO}, runs interleaved with the next row's)", f"{seed_s:.2f} s", ""))
    rows.append(("(d) brief", f"same brief over the {N_LARGE:,}-document store ({_pages(out / 'large.pdf')} pages, "
                 f"median of {REPEAT_RATIO}, peak PSS {max(b[1] for b in big) / 2**30:.2f} GiB)", f"{big_s:.2f} s",
                 f"{big_s / seed_s:.2f} × seeds (target ≤ 2)"))


def write_report(machine: dict, rows: list, hot: list, seconds: float) -> str:
    lines = ["# Benchmarks", "", "Written by `make bench` (`python -m briefgen.tools.bench`); numbers from the last run.",
             "Every timing is a new process, as a user's command would be. Speed is measured here, never in tests.",
             "", "## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in machine.items()]
    lines += ["", "## Results", "", "| row | measured | value | against |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    lines += ["", f"Total bench time: {seconds:.0f} s.", "",
              "## Where extraction spends its time (cProfile of the modules as plain Python, 150 plain-text documents, "
              "by own time)", "",
              "```", *hot, "```", ""]
    return "\n".join(lines)


def main() -> None:
    started = time.perf_counter()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    machine, rows, hot = _machine(), [], []
    for step in (bench_brief, lambda r: bench_extraction(r, hot), bench_scale):
        before = len(rows)
        try:
            step(rows)
        except Exception as exc:  # one broken measurement still leaves the others reported
            rows.append(("error", getattr(step, "__name__", "step"), type(exc).__name__, str(exc)[:200]))
        for row in rows[before:]:
            print(" | ".join(map(str, row)), flush=True)
    text = write_report(machine, rows, hot, time.perf_counter() - started)
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(text, "utf-8")
    print(text)


if __name__ == "__main__":
    main()
