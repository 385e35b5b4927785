"""Generate: a realistic synthetic corpus for benchmarks and scale tests.

Each document is a seed document's paragraphs with its regions swapped for other prefectures of
the gazetteer, its quantities varied and its years shifted, written as .txt, .md, .html or .docx.
The same seed number always writes the same files.

    python -m briefgen.tools.generate 10000 /tmp/corpus --seed 0 --formats txt,md,html,docx
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import zipfile
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape as xml_escape

from briefgen.settings import PROJECT_DIR

FORMATS = ("txt", "md", "html", "docx")
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.])(年|月|日|号)?")


@dataclass(frozen=True)
class _Seed:
    title: str
    paragraphs: tuple[str, ...]
    regions: tuple[tuple[str, str], ...]   # (official name, short name) of the prefectures it names


def _prefectures():
    from briefgen.extract.regions import load_gazetteer

    return [r for r in load_gazetteer().regions() if r.level == "prefecture" and len(r.short) >= 2
            and r.short != r.name]


def _load_seeds(folder: Path) -> list[_Seed]:
    prefectures = _prefectures()
    seeds = []
    for path in sorted(folder.glob("*")):
        if path.suffix not in (".txt", ".md") or not path.is_file():
            continue
        lines = [ln.strip() for ln in path.read_text("utf-8").splitlines() if ln.strip()]
        if len(lines) < 2:
            continue
        text = "\n".join(lines)
        named = tuple((r.name, r.short) for r in prefectures if r.short in text)
        seeds.append(_Seed(lines[0], tuple(lines[1:]), named))
    if not seeds:
        raise SystemExit(f"no seed documents (.txt/.md) in {folder}")
    return seeds


def _vary_number(m: re.Match, rng: random.Random, year_shift: int) -> str:
    num, suffix = m.group(1), m.group(2) or ""
    if len(num) == 4 and num.isdigit() and num[:2] in ("19", "20"):  # a year, with or without 年
        return f"{int(num) + year_shift}{suffix}"
    if suffix in ("月", "日", "号"):
        return m.group(0)
    factor = rng.uniform(0.4, 2.5)
    if "." in num:
        decimals = len(num.split(".")[1])
        return f"{float(num) * factor:.{decimals}f}{suffix}"
    return f"{max(1, round(int(num) * factor))}{suffix}"


def _document(seeds: list[_Seed], targets, rng: random.Random) -> tuple[str, list[str]]:
    """A title and paragraphs: one seed's text, regions swapped, numbers varied."""
    seed = rng.choice(seeds)
    paragraphs = [p for p in seed.paragraphs if rng.random() < 0.9]
    if rng.random() < 0.5:  # a paragraph or two borrowed from another seed, as reports do
        other = rng.choice(seeds)
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), rng.choice(other.paragraphs))
    mapping: dict[str, str] = {}
    for (name, short), new in zip(seed.regions, rng.sample(targets, len(seed.regions))):
        mapping[name], mapping[short] = new.name, new.short
    year_shift = rng.randint(-4, 1)
    pattern = re.compile("|".join(sorted(map(re.escape, mapping), key=len, reverse=True))) if mapping else None

    def rewrite(text: str) -> str:
        if pattern is not None:
            text = pattern.sub(lambda m: mapping[m.group()], text)
        return _NUMBER.sub(lambda m: _vary_number(m, rng, year_shift), text)

    return rewrite(seed.title), [rewrite(p) for p in paragraphs]


def _write(path: Path, fmt: str, title: str, paragraphs: list[str]) -> None:
    if fmt == "txt":
        path.write_text("\n\n".join([title, *paragraphs]) + "\n", "utf-8")
    elif fmt == "md":
        path.write_text(f"# {title}\n\n" + "\n\n".join(paragraphs) + "\n", "utf-8")
    elif fmt == "html":
        body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        path.write_text(
            f"<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>"
            "</head><body>\n<nav><a href=\"/\">首页</a> | <a href=\"/zwgk\">政务公开</a> | <a href=\"/bsfw\">办事服务</a></nav>\n"
            f"<article><h1>{escape(title)}</h1>\n{body}\n</article>\n"
            "<footer>主办单位：人民政府办公室　版权所有　网站标识码：0000000000</footer></body></html>\n", "utf-8")
    elif fmt == "docx":
        _write_docx(path, title, paragraphs)
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


_CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                  '<Default Extension="xml" ContentType="application/xml"/>'
                  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
         'officeDocument" Target="word/document.xml"/></Relationships>')


def _write_docx(path: Path, title: str, paragraphs: list[str]) -> None:
    """A minimal WordprocessingML package; python-docx is ~20x slower at writing 2,500 of them."""
    def para(text: str, style: str | None = None) -> str:
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{xml_escape(text)}</w:t></w:r></w:p>'

    body = para(title, "Title") + "".join(para(p) for p in paragraphs)
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{body}</w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        # A fixed timestamp keeps the bytes (and so the cache keys) identical across runs.
        for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS),
                           ("word/document.xml", document)):
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), data)


def generate_corpus(n: int, out_dir: str | Path, *, seed: int = 0, formats: Sequence[str] = FORMATS,
                    seeds_dir: str | Path | None = None) -> list[Path]:
    """Write n documents to out_dir (deterministic for a given seed); returns their paths."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"unknown format(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(FORMATS)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds = _load_seeds(Path(seeds_dir) if seeds_dir else PROJECT_DIR / "seeds")
    targets = _prefectures()
    written = []
    for i in range(n):
        rng = random.Random(f"{seed}:{i}")
        title, paragraphs = _document(seeds, targets, rng)
        fmt = formats[i % len(formats)]
        tag = hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()[:10]
        path = out / f"{i:05d}_{tag}.{fmt}"
        _write(path, fmt, title, paragraphs)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m briefgen.tools.generate", description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of documents")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: txt,md,html,docx")
    parser.add_argument("--seeds", type=Path, help="folder of seed documents (default: the project's seeds/)")
    args = parser.parse_args(argv)
    try:
        paths = generate_corpus(args.n, args.out_dir, seed=args.seed,
                                formats=[f.strip() for f in args.formats.split(",") if f.strip()],
                                seeds_dir=args.seeds)
    except ValueError as exc:
        parser.error(str(exc))
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} documents ({size / 1e6:.1f} MB) to {args.out_dir}")


if __name__ == "__main__":
    main()
