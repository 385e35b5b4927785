"""Evaluate: score fact and initiative extraction on the seeds against the gold annotation.

Run as ``python -m briefgen.tools.evaluate`` (``make eval``). Matching rules:

* A gold fact is found when a predicted fact has the same doc, the same region, a value within
  0.5 % and a compatible unit. Units are compatible when identical or in the same measure-word
  family below; 人次 (person-times) is never compatible with 人/名 (people), because a brief
  must not compare attendances with head counts.
* Precision counts predicted facts after deduplicating on (doc, region, value, unit), as the
  gold README asks for repeated mentions; recall counts every gold record.
* ``positional`` scoring also requires the predicted quote to overlap the gold quote's span.
* Initiatives match on (doc, region, name) with whitespace and width normalized.
* ``region_agnostic`` drops the region from every key, to measure extraction apart from
  segmentation.
* Place and time: each document's own region (the first it is given), all its regions and its year
  against the gold doc records; of the gold facts found (region-agnostic, positional), the share
  with the gold region and year.

``--seeds DIR --gold FILE`` scores another annotated folder (tests/data/unseen holds documents of
kinds the seeds lack: district, county, town, provincial and national reports).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from briefgen.extract.chinese_numbers import parse_quantity

# Measure words that count the same kind of thing. Anything not listed matches only itself.
UNIT_FAMILIES = {
    "人": "people", "名": "people", "位": "people",
    "个": "units", "家": "units", "所": "units", "处": "units", "座": "units",
    "场": "sessions", "场次": "sessions",
    "批": "batches", "批次": "batches",
    "支": "teams", "队": "teams",
    "株": "plants", "棵": "plants",
}
_TOLERANCE = 0.005
# An Arabic number and its multiplier, or a Chinese one with its decimals (九千九百一十八点五) and a
# share's 成 (六成 is 60 %).
_NUMBER = re.compile(r"([0-9][0-9,.\s]*)(千万|百万|万|亿)?|([一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?)(成)?")


def compatible_units(a: str, b: str) -> bool:
    """Identical units, or units of the same measure-word family (人/名, 场/场次)."""
    return a == b or (a in UNIT_FAMILIES and UNIT_FAMILIES.get(a) == UNIT_FAMILIES.get(b))


def same_value(a: float, b: float) -> bool:
    """Values within 0.5 % of each other."""
    return abs(a - b) <= _TOLERANCE * max(abs(a), abs(b))


def normalize_name(name: str) -> str:
    """An initiative name with width folded and all whitespace removed, for comparison."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", name))


def quote_states(quote: str, value: float) -> bool:
    """Whether the quote contains a number that normalizes to value (as itself, in 万 or 亿)."""
    for m in _NUMBER.finditer(quote):
        try:
            v = parse_quantity(m[1].strip(), m[2]) if m[1] else parse_quantity(m[3]) * (10 if m[4] else 1)
        except ValueError:
            continue
        if any(same_value(v * k, value) for k in (1, 10_000, 100_000_000)):
            return True
    return False


@dataclass
class Counts:
    """Matched and total counts for one document or overall."""

    pred: int = 0
    pred_ok: int = 0
    gold: int = 0
    gold_ok: int = 0

    @property
    def precision(self) -> float:
        return self.pred_ok / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.gold_ok / self.gold if self.gold else 1.0


@dataclass
class Score:
    """Precision and recall of facts and initiatives, per document and overall, with errors."""

    facts: Counts
    initiatives: Counts
    facts_by_doc: dict[str, Counts]
    initiatives_by_doc: dict[str, Counts]
    fact_misses: list[dict] = field(default_factory=list)
    fact_false: list[dict] = field(default_factory=list)
    initiative_misses: list[dict] = field(default_factory=list)
    initiative_false: list[dict] = field(default_factory=list)
    bad_quotes: list[dict] = field(default_factory=list)
    # Share of found gold facts whose first matching prediction agrees on each field.
    agreement: dict[str, float] = field(default_factory=dict)
    field_errors: list[tuple[str, dict, dict]] = field(default_factory=list)


def load_gold(path: Path, docs: list[dict] | None = None) -> tuple[list[dict], list[dict]]:
    """Gold fact and initiative records from a JSON Lines file (and its doc records into `docs`)."""
    facts, initiatives = [], []
    for line in Path(path).read_text("utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            {"fact": facts, "initiative": initiatives, "doc": docs if docs is not None else []}.get(
                rec["type"], []).append(rec)
    return facts, initiatives


def _fact_matches(p: dict, g: dict, region_agnostic: bool, spans: dict | None) -> bool:
    if p["doc"] != g["doc"] or (not region_agnostic and p["region"] != g["region"]):
        return False
    if not (same_value(p["value"], g["value"]) and compatible_units(p["unit"], g["unit"])):
        return False
    if spans is not None:
        gs = spans.get((g["doc"], g["quote"]))
        return gs is not None and p["start"] < gs[1] and gs[0] < p["end"]
    return True


def score(pred_facts: Sequence[dict], pred_initiatives: Sequence[dict], gold_facts: Sequence[dict],
          gold_initiatives: Sequence[dict], *, region_agnostic: bool = False,
          texts: dict[str, str] | None = None, positional: bool = False) -> Score:
    """Score predictions (dicts with Fact/Initiative fields) against gold records."""
    spans = None
    if positional:
        spans = {}
        for g in gold_facts:
            i = (texts or {}).get(g["doc"], "").find(g["quote"])
            if i != -1:
                spans[(g["doc"], g["quote"])] = (i, i + len(g["quote"]))
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for p in pred_facts:
        by_doc[p["doc"]].append(p)
    fcounts: dict[str, Counts] = defaultdict(Counts)
    s = Score(Counts(), Counts(), fcounts, defaultdict(Counts))
    agree: dict[str, int] = defaultdict(int)
    labelled: dict[str, int] = defaultdict(int)
    for g in gold_facts:
        c = fcounts[g["doc"]]
        c.gold += 1
        match = next((p for p in by_doc.get(g["doc"], ()) if _fact_matches(p, g, region_agnostic, spans)), None)
        if match is None:
            s.fact_misses.append(g)
            continue
        c.gold_ok += 1
        for f in ("qualifier", "change", "year", "unit"):
            if f not in g:  # a gold set may leave a field out (tests/data/unseen has no qualifier)
                continue
            labelled[f] += 1
            if match[f] == g[f]:
                agree[f] += 1
            else:
                s.field_errors.append((f, g, match))
    s.agreement = {f: agree[f] / labelled[f] if labelled[f] else 1.0 for f in ("qualifier", "change", "year", "unit")}
    gold_by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold_facts:
        gold_by_doc[g["doc"]].append(g)
    seen = set()
    for p in pred_facts:
        key = (p["doc"], None if region_agnostic else p["region"], round(p["value"], 4), p["unit"])
        if not positional:
            if key in seen:
                continue
            seen.add(key)
        c = fcounts[p["doc"]]
        c.pred += 1
        if any(_fact_matches(p, g, region_agnostic, spans) for g in gold_by_doc.get(p["doc"], ())):
            c.pred_ok += 1
        else:
            s.fact_false.append(p)
        text = (texts or {}).get(p["doc"])
        if text is not None and (text[p["start"]:p["end"]] != p["quote"] or not quote_states(p["quote"], p["value"])):
            s.bad_quotes.append(p)

    def ikey(r: dict) -> tuple:
        return (r["doc"], None if region_agnostic else r["region"], normalize_name(r["name"]))

    gold_keys = {ikey(g): g for g in gold_initiatives}
    pred_keys = {}
    for p in pred_initiatives:
        pred_keys.setdefault(ikey(p), p)
    for k, g in gold_keys.items():
        c = s.initiatives_by_doc[k[0]]
        c.gold += 1
        c.gold_ok += k in pred_keys
        if k not in pred_keys:
            s.initiative_misses.append(g)
    for k, p in pred_keys.items():
        c = s.initiatives_by_doc[k[0]]
        c.pred += 1
        c.pred_ok += k in gold_keys
        if k not in gold_keys:
            s.initiative_false.append(p)
    for total, parts in ((s.facts, fcounts), (s.initiatives, s.initiatives_by_doc)):
        for c in parts.values():
            total.pred, total.pred_ok = total.pred + c.pred, total.pred_ok + c.pred_ok
            total.gold, total.gold_ok = total.gold + c.gold, total.gold_ok + c.gold_ok
    return s


def run_pipeline(seeds: Path, templates: Path | None = None,
                 docs_out: dict[str, dict] | None = None) -> tuple[list[dict], list[dict], dict[str, str]]:
    """Read, segment and extract every seed; return fact dicts, initiative dicts and doc texts
    (and, into `docs_out`, each document's regions and year)."""
    from briefgen.documents import read_documents
    from briefgen.extract.facts import extract_facts
    from briefgen.extract.initiatives import extract_initiatives
    from briefgen.extract.segment import segment_document
    from briefgen.brief.catalogue import find_topics, lexicons

    lex = {}
    if templates is not None and (Path(templates) / "briefs").is_dir():
        lex = lexicons(find_topics([Path(templates)]).values())
    docs, _ = read_documents([seeds])
    facts, initiatives, texts = [], [], {}
    for doc in docs:
        seg = segment_document(doc)
        facts += [f.to_dict() for f in extract_facts(doc, seg, lex)]
        initiatives += [i.to_dict() for i in extract_initiatives(doc, seg)]
        texts[doc.name] = doc.text
        if docs_out is not None:
            docs_out[doc.name] = {"regions": [r.name for r in seg.regions], "year": seg.year}
    return facts, initiatives, texts


def _gold_spans(gold_facts: Sequence[dict], texts: dict[str, str]) -> dict[tuple[str, str], tuple[int, int]]:
    """Each gold quote's span in its document, for positional matching."""
    return {(g["doc"], g["quote"]): (texts[g["doc"]].find(g["quote"]), texts[g["doc"]].find(g["quote"]) + len(g["quote"]))
            for g in gold_facts if g["doc"] in texts}


@dataclass
class PlaceTime:
    """How well documents and facts are put in place and time."""

    docs: int = 0
    doc_region: int = 0  # the document's own (first) region is the gold one
    doc_regions: int = 0  # every region the gold gives the document, and no other
    doc_year: int = 0
    facts: int = 0  # gold facts found (region-agnostic, positional)
    fact_region: int = 0
    fact_year: int = 0
    errors: list[str] = field(default_factory=list)


def score_place_and_time(docs: dict[str, dict], gold_docs: Sequence[dict], facts: Sequence[dict],
                         gold_facts: Sequence[dict], texts: dict[str, str]) -> PlaceTime:
    """Document regions and years against the gold doc records; each found fact's region and year."""
    pt = PlaceTime()
    for g in gold_docs:
        got = docs.get(g["doc"])
        if got is None:
            continue
        pt.docs += 1
        own_ok = bool(got["regions"]) and got["regions"][0] == g["regions"][0]
        pt.doc_region += own_ok
        pt.doc_regions += set(got["regions"]) == set(g["regions"])
        pt.doc_year += got["year"] == g["year"]
        if not own_ok or got["year"] != g["year"]:
            pt.errors.append(f"{g['doc']}: regions {got['regions'][:4]} year {got['year']} "
                             f"(gold {g['regions'][:4]} {g['year']})")
    spans = _gold_spans(gold_facts, texts)
    for g in gold_facts:
        found = [p for p in facts if _fact_matches(p, g, True, spans)]
        if not found:
            continue
        pt.facts += 1
        pt.fact_region += found[0]["region"] == g["region"]
        pt.fact_year += found[0]["year"] == g["year"]
        if found[0]["region"] != g["region"] or found[0]["year"] != g["year"]:
            pt.errors.append(f"{g['doc'][:12]} region {found[0]['region']} year {found[0]['year']} "
                             f"(gold {g['region']} {g['year']}) | {g['quote']}")
    return pt


@dataclass
class Meaning:
    """What the found facts count: their metric and kind against the gold labels."""

    mapped: int = 0  # found facts given a metric
    mapped_ok: int = 0  # ... the gold's
    gold_metric: int = 0  # found gold facts that the gold gives a metric
    gold_metric_ok: int = 0  # ... found with it
    kinds: int = 0  # found facts the gold gives a kind
    kinds_ok: int = 0
    topics: int = 0  # found facts the gold gives a topic
    topic_best: int = 0  # ... whose best topic is the gold's
    topic_tagged: int = 0  # ... tagged with the gold's topic (among their open tags)
    errors: list[str] = field(default_factory=list)


def score_meaning(facts: Sequence[dict], gold_facts: Sequence[dict], texts: dict[str, str]) -> Meaning:
    """Metric precision and recall and kind accuracy over the gold facts found (region-agnostic,
    positional); a gold fact whose metric is null counts against any metric a prediction gives it."""
    m = Meaning()
    spans = _gold_spans(gold_facts, texts)
    for g in gold_facts:
        if "metric" not in g and "kind" not in g:
            continue
        found = next((p for p in facts if _fact_matches(p, g, True, spans)), None)
        if found is None:
            continue
        got = found.get("metric")
        if g.get("topic"):
            m.topics += 1
            m.topic_best += found.get("topic") == g["topic"]
            m.topic_tagged += g["topic"] in str(found.get("topics") or "").split("|")
        if "metric" not in g:  # a gold set with kinds only (tests/data/unseen)
            m.kinds += 1
            m.kinds_ok += found.get("kind") == g["kind"]
            if found.get("kind") != g["kind"]:
                m.errors.append(f"{g['doc'][:3]} kind {found.get('kind')} (gold {g['kind']}) | {g['quote']}")
            continue
        if got is not None:
            m.mapped += 1
            m.mapped_ok += got == g["metric"]
        if g["metric"] is not None:
            m.gold_metric += 1
            m.gold_metric_ok += got == g["metric"]
        if g.get("kind"):
            m.kinds += 1
            m.kinds_ok += found.get("kind") == g["kind"]
        if got != g["metric"] or found.get("kind") != g.get("kind"):
            m.errors.append(f"{g['doc'][:3]} metric {got} (gold {g['metric']}) kind {found.get('kind')} "
                            f"(gold {g.get('kind')}) | {g['quote']}")
    return m


def _share(n: int, d: int) -> str:
    return f"{n / d:5.3f} ({n}/{d})" if d else "  —  (0/0)"


def _line(label: str, f: Counts, i: Counts) -> str:
    return (f"{label:<28} facts P {f.precision:5.3f} R {f.recall:5.3f} ({f.pred_ok}/{f.pred}, {f.gold_ok}/{f.gold})"
            f"   initiatives P {i.precision:5.3f} R {i.recall:5.3f} ({i.pred_ok}/{i.pred}, {i.gold_ok}/{i.gold})")


def _fact_str(r: dict) -> str:
    return f"{r['doc'][:3]} {r.get('region')} {r['value']:g} {r['unit']} {r.get('qualifier')} | {r['quote']}"


def _print_list(title: str, rows: Iterable[str], limit: int) -> None:
    rows = list(rows)
    print(f"\n{title}: {len(rows)}" + (f" (first {limit})" if len(rows) > limit else ""))
    for r in rows[:limit]:
        print("  " + r)


def main(argv: Sequence[str] | None = None) -> int:
    """Print per-document and overall precision/recall, misses and false positives."""
    ap = argparse.ArgumentParser(prog="python -m briefgen.tools.evaluate", description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=Path, default=Path("seeds"))
    ap.add_argument("--gold", type=Path, default=Path("tests/data/gold_seeds.jsonl"))
    ap.add_argument("--templates", type=Path, default=Path("templates"))
    ap.add_argument("--limit", type=int, default=40, help="errors listed per kind")
    ap.add_argument("--region-agnostic", action="store_true", help="list errors ignoring regions")
    args = ap.parse_args(argv)
    doc_records: dict[str, dict] = {}
    facts, initiatives, texts = run_pipeline(args.seeds, args.templates, doc_records)
    gold_docs: list[dict] = []
    gold_facts, gold_initiatives = load_gold(args.gold, gold_docs)
    s = score(facts, initiatives, gold_facts, gold_initiatives, texts=texts)
    for doc in sorted(set(s.facts_by_doc) | set(s.initiatives_by_doc)):
        print(_line(doc, s.facts_by_doc[doc], s.initiatives_by_doc[doc]))
    print(_line("overall", s.facts, s.initiatives))
    agn = score(facts, initiatives, gold_facts, gold_initiatives, texts=texts, region_agnostic=True)
    print(_line("overall, region-agnostic", agn.facts, agn.initiatives))
    pos = score(facts, initiatives, gold_facts, gold_initiatives, texts=texts, region_agnostic=True, positional=True)
    print(_line("region-agnostic, positional", pos.facts, pos.initiatives))
    quoted = score(facts, [i for i in initiatives if i.get("quoted", True)], gold_facts, gold_initiatives,
                   texts=texts)
    print(f"initiatives named in quotes only: P {quoted.initiatives.precision:5.3f} "
          f"R {quoted.initiatives.recall:5.3f} ({quoted.initiatives.pred_ok}/{quoted.initiatives.pred})")
    print("field agreement on found facts (positional): "
          + ", ".join(f"{k} {v:5.3f}" for k, v in pos.agreement.items()))
    pt = score_place_and_time(doc_records, gold_docs, facts, gold_facts, texts)
    print(f"documents: own region {_share(pt.doc_region, pt.docs)}, all regions {_share(pt.doc_regions, pt.docs)}, "
          f"year {_share(pt.doc_year, pt.docs)}")
    print(f"facts found: region {_share(pt.fact_region, pt.facts)}, year {_share(pt.fact_year, pt.facts)}")
    meaning = score_meaning(facts, gold_facts, texts)
    if meaning.mapped or meaning.gold_metric or meaning.kinds:
        print(f"meaning: metric precision {_share(meaning.mapped_ok, meaning.mapped)}, "
              f"metric recall {_share(meaning.gold_metric_ok, meaning.gold_metric)}, "
              f"kind accuracy {_share(meaning.kinds_ok, meaning.kinds)}")
    if meaning.topics:
        print(f"topics: best topic is the gold's {_share(meaning.topic_best, meaning.topics)}, "
              f"tagged with it {_share(meaning.topic_tagged, meaning.topics)}")
    shown = agn if args.region_agnostic else s
    print(f"\nquotes not exact or not stating their number: {len(s.bad_quotes)}")
    _print_list("field disagreements (gold → predicted)",
                (f"{f}: {g[f]} → {p[f]} | {g['quote']}" for f, g, p in pos.field_errors), args.limit)
    _print_list("place and time errors", pt.errors, args.limit)
    _print_list("meaning errors (metric, kind)", meaning.errors, args.limit)
    _print_list("fact misses", map(_fact_str, shown.fact_misses), args.limit)
    _print_list("fact false positives", map(_fact_str, shown.fact_false), args.limit)
    _print_list("initiative misses", (f"{r['doc'][:3]} {r['region']} {r['name']} | {r['quote']}"
                                      for r in shown.initiative_misses), args.limit)
    _print_list("initiative false positives", (f"{r['doc'][:3]} {r['region']} {r['name']} [{r['kind']}] | {r['quote']}"
                                               for r in shown.initiative_false), args.limit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
