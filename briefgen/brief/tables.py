"""Tables: the pandas frames one brief is written from — comparisons, findings, profiles, sources."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from briefgen.store import Corpus
from briefgen.errors import UnknownRegionError
from briefgen.extract.metrics import comparable_unit, load_metrics, unit_fits
from briefgen.extract.mentions import normalize
from briefgen.extract.regions import Region, choose_regions, closest_names
from briefgen.brief import sentences
from briefgen.brief.catalogue import TopicSpec
from briefgen.brief.sentences import format_value
from briefgen.extract.tagger import topic_filter

_MAX_PROFILE_QUOTES = 3
# Bounds that keep a brief over hundreds of regions readable (and quick to render); what is
# left out is counted in the brief, and `briefgen initiatives` lists everything.
MAX_SHARED = 15
MAX_LISTED = 8
MAX_GLOSSARY = 60


@dataclass(frozen=True)
class Citation:
    """A numbered source: the exact quote, its document, region and year."""

    n: int
    doc: str
    quote: str
    start: int
    region: str
    year: int | None


class Citations:
    """Numbers sources in order of first use, one number per (document, span)."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int, str], Citation] = {}

    def cite(self, doc: str, quote: str, start: int, region: str, year) -> Citation:
        key = (doc, int(start), quote)
        if key not in self._by_key:
            year = None if year is None or (isinstance(year, float) and math.isnan(year)) else int(year)
            self._by_key[key] = Citation(len(self._by_key) + 1, doc, quote, int(start), region, year)
        return self._by_key[key]

    def all(self) -> list[Citation]:
        return list(self._by_key.values())


@dataclass
class BriefData:
    """Everything a brief template needs, computed from the corpus before any text is written."""

    topic: TopicSpec
    lang: str
    regions: list[Region]
    facts: pd.DataFrame
    initiatives: pd.DataFrame
    comparison: pd.DataFrame        # one row per region, one column per reported metric: cell dicts
    metrics: list[dict]             # the metrics shown: id, name, unit_family
    findings: list[dict]
    caveats: list[str]
    mechanisms: pd.DataFrame        # mechanism keyword × region → adoption (bool)
    shared: list[dict]
    distinctive: list[dict]
    profiles: list[dict]
    glossary: list[dict]
    coverage: pd.DataFrame          # region × topic → number of facts
    citations: Citations
    corpus_docs: list[dict]
    failures: list[dict]
    not_reported: list[str] = field(default_factory=list)
    topic_names: dict[str, str] = field(default_factory=dict)


def region_label(region: Region, lang: str) -> str:
    """A region's display name: English name, or the official Chinese name."""
    return region.name if lang == "zh" else region.en


def select_regions(corpus_regions: Sequence[Region], wanted: Sequence[str] | None) -> list[Region]:
    """The corpus regions named in `wanted` (at any level, by any name); all of them when empty."""
    if not wanted:
        return list(corpus_regions)
    chosen, unknown = choose_regions(list(corpus_regions), list(wanted))
    if unknown:
        hints = "; ".join(f"'{q}' (closest: {', '.join(closest_names(list(corpus_regions), q)) or 'none'})"
                          for q in unknown)
        known = ", ".join(f"{r.short} ({r.en})" for r in corpus_regions)
        raise UnknownRegionError(f"unknown region{'s' if len(unknown) > 1 else ''} {hints}; "
                                 f"regions in this corpus: {known}")
    return chosen


def corpus_regions(corpus: Corpus) -> list[Region]:
    """Every region the documents are about, in document order."""
    seen: dict[str, Region] = {}
    for info in corpus.document_infos():
        for r in info.regions:
            seen.setdefault(r.name, r)
    return list(seen.values())


def _pick(group: pd.DataFrame) -> pd.Series:
    # The most recent year wins; among equals the largest value, which is usually the total; among
    # equals again the first in document order (what a stable sort by both, descending, puts first).
    # Found without sorting: a brief over a large corpus picks a cell for each metric and region.
    years = group["year"].fillna(-1).to_numpy(dtype=float)
    values = group["value"].to_numpy(dtype=float)
    latest = years == years.max()
    candidates = values[latest]
    best = latest if np.isnan(candidates).all() else latest & (values == np.nanmax(candidates))
    return group.iloc[int(best.argmax())]


def build_comparison(facts: pd.DataFrame, regions: list[Region], spec: TopicSpec, lang: str,
                     cites: Citations) -> tuple[pd.DataFrame, list[dict], list[str], list[str]]:
    """Regions × the topic's metrics, each cell the chosen fact with its citation."""
    metrics = load_metrics()
    rows = {r.name: {} for r in regions}
    shown, caveats, missing = [], [], []
    for mid in spec.metrics:
        metric = metrics.get(mid)
        if metric is None:
            continue
        sub = facts[(facts["metric"] == mid) & facts["unit"].map(lambda u: unit_fits(metric, u))]
        if sub.empty:
            missing.append(metric.name(lang))
            continue
        shown.append({"id": mid, "name": metric.name(lang), "unit_family": metric.unit_family})
        units, written, years = set(), set(), set()
        for region_name, group in sub.groupby("region", sort=False):
            f = _pick(group)
            c = cites.cite(f["doc"], f["quote"], f["start"], region_name, f["year"])
            rows[region_name][mid] = {"text": format_value(f["value"], f["unit"], f["qualifier"], lang),
                                      "value": float(f["value"]), "unit": f["unit"], "year": f["year"],
                                      "cite": c, "others": len(group) - 1}
            units.add(comparable_unit(f["unit"]))
            written.add(f["unit"])
            if pd.notna(f["year"]):
                years.add(int(f["year"]))
        if len(units) > 1:
            caveats.append(sentences.units_caveat(lang, metric, sorted(written)))
        if len(years) > 1:
            caveats.append(sentences.years_caveat(lang, metric, sorted(years)))
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=[m["id"] for m in shown])
    return frame, shown, caveats, missing


def build_findings(comparison: pd.DataFrame, shown: list[dict], regions: list[Region],
                   lang: str) -> list[dict]:
    """One computed sentence per metric: who reports the most, and how many regions report it.

    Figures in different units (persons against person-times) are listed side by side, never ranked.
    """
    by_name = {r.name: r for r in regions}
    findings = []
    for m in shown:
        cells = {k: v for k, v in comparison[m["id"]].items() if isinstance(v, dict)}
        if not cells:
            continue
        if len({comparable_unit(c["unit"]) for c in cells.values()}) > 1:
            ordered = sorted(cells.items(), key=lambda kv: (kv[1]["unit"], -kv[1]["value"]))
            listed = [(region_label(by_name[k], lang), c["text"]) for k, c in ordered]
            text = sentences.unranked_finding(lang, m["name"], listed)
            findings.append({"text": text, "cites": [c["cite"] for _, c in ordered], "metric": m["id"]})
            continue
        top_region, top = max(cells.items(), key=lambda kv: kv[1]["value"])
        who = region_label(by_name[top_region], lang)
        year = int(top["year"]) if pd.notna(top["year"]) else None
        if len(cells) == 1:
            text = sentences.only_finding(lang, m["name"], who, top["text"], year)
        else:
            text = sentences.most_finding(lang, m["name"], who, top["text"], year, len(cells), len(regions))
        findings.append({"text": text, "cites": [top["cite"]], "metric": m["id"]})
    return findings


def build_mechanisms(inits: pd.DataFrame, passages_text: dict[str, str], regions: list[Region],
                     spec: TopicSpec) -> pd.DataFrame:
    """Which of the topic's mechanisms each region mentions (keyword in its text or initiative names)."""
    data = {}
    for kw in spec.mechanisms:
        data[kw] = [kw in passages_text.get(r.name, "") for r in regions]
    return pd.DataFrame(data, index=[r.name for r in regions]).T if data else pd.DataFrame()


def build_shared_distinctive(inits: pd.DataFrame, regions: list[Region], lang: str,
                             cites: Citations) -> tuple[list[dict], list[dict]]:
    """Initiative names used by two or more regions, and each region's own named practices."""
    if inits.empty:
        return [], []
    by_name = {r.name: r for r in regions}
    names = inits.assign(_key=inits["name"].map(normalize))
    spread = names.groupby("_key")["region"].nunique()
    shared = []
    # Most widely shared first; a national corpus lists the leading ones, each with a few sources.
    common = spread[spread >= 2].sort_values(ascending=False, kind="stable")
    for key in common.index[:MAX_SHARED]:
        rows = names[names["_key"] == key].drop_duplicates("region")
        shared.append({"name": rows.iloc[0]["name"], "n_regions": len(rows),
                       "regions": [region_label(by_name[r], lang) for r in rows["region"]][:MAX_LISTED],
                       "cites": [cites.cite(x["doc"], x["quote"], x["start"], x["region"], None)
                                 for _, x in rows.head(MAX_LISTED).iterrows()]})
    distinctive = []
    only_here = names["_key"].map(spread).eq(1)
    for r in regions:
        own = names[(names["region"] == r.name) & only_here]
        items = [{"name": x["name"], "kind": x["kind"],
                  "cite": cites.cite(x["doc"], x["quote"], x["start"], r.name, None)}
                 for _, x in own.head(6).iterrows()]
        if items:
            distinctive.append({"region": region_label(r, lang), "practices": items})
    return shared, distinctive


def build_brief_data(corpus: Corpus, spec: TopicSpec, lex: dict[str, tuple[str, ...]], lang: str,
                     wanted_regions: Sequence[str] | None = None,
                     topics: dict[str, TopicSpec] | None = None) -> BriefData:
    """Gather every table of one brief from the whole corpus (no text is written here)."""
    from briefgen.brief.glossary import build_glossary
    from briefgen.brief.profiles import topic_sentences

    regions = select_regions(corpus_regions(corpus), wanted_regions)
    names = {r.name for r in regions}
    topic_keys = list(spec.covers or (lex if not spec.keywords else [spec.key]))
    # Only the chosen regions' rows are read: over a large store, a small part of its tables.
    facts_all = corpus.facts_frame(names)
    # Open tags: a fact is this brief's when tagged with one of its topics or mapped to one of its
    # metrics; initiatives and profile sentences by this brief's own keywords. Nothing here depends on
    # what other brief types declare, so adding or editing one never changes another.
    own = {k: lex[k] for k in topic_keys if k in lex}
    wanted = set(topic_keys)
    tagged = facts_all["topics"].fillna("").map(lambda tags: not wanted.isdisjoint(tags.split("|")))
    facts = facts_all[tagged | facts_all["metric"].isin(spec.metrics)]
    inits_all = corpus.initiatives_frame(names)
    inits = inits_all[inits_all["quote"].map(topic_filter(own, topic_keys))]
    cites = Citations()

    comparison, shown, caveats, missing = build_comparison(facts, regions, spec, lang, cites)
    findings = build_findings(comparison, shown, regions, lang)
    levels = {r.level for r in regions}
    if len(levels) > 1:
        caveats.append(sentences.levels_caveat(lang, sorted(levels)))
    text_by_region: dict[str, str] = {}
    candidates = topic_sentences(corpus, topic_keys, own, regions)
    for name, cands in candidates.items():
        text_by_region[name] = "".join(c["quote"] for c in cands) + "".join(
            inits[inits["region"] == name]["name"])
    mechanisms = build_mechanisms(inits, text_by_region, regions, spec)
    shared, distinctive = build_shared_distinctive(inits, regions, lang, cites)
    profiles = []
    for r in regions:
        picks = candidates[r.name][:_MAX_PROFILE_QUOTES]
        reports = bool(shown) and any(isinstance(c, dict) for c in comparison.loc[r.name])
        parent = (r.path_en if lang == "en" else r.path)[-2:-1]
        profiles.append({"region": region_label(r, lang), "region_zh": r.name, "province": r.province,
                         "where": sentences.where(lang, r.level, parent[0] if parent else None),
                         "reports": reports,
                         "facts": int((facts["region"] == r.name).sum()),
                         "initiatives": int((inits["region"] == r.name).sum()),
                         "quotes": [{"cite": cites.cite(c["doc"], c["quote"], c["start"], r.name, c["year"]),
                                     "quote": c["quote"]} for c in picks]})
    glossary = build_glossary(inits, regions, lang, cites, limit=MAX_GLOSSARY)
    coverage = (facts_all.assign(topic=facts_all["topic"].fillna("other"))
                .pivot_table(index="region", columns="topic", values="value", aggfunc="count", fill_value=0)
                .reindex([r.name for r in regions], fill_value=0))
    docs = [{"doc": d.name, "format": d.format, "title": d.title, "year": d.year,
             "regions": [region_label(r, lang) for r in d.regions if r.name in names]}
            for d in corpus.document_infos()]
    docs = [d for d in docs if d["regions"]]
    failures = [{"doc": f.path.name, "reason": f.reason} for f in corpus.failures]
    return BriefData(spec, lang, regions, facts, inits, comparison, shown, findings, caveats, mechanisms,
                     shared, distinctive, profiles, glossary, coverage, cites, docs, failures, missing,
                     {k: t.title(lang) for k, t in (topics or {}).items()})
