"""Evaluate: the scoring rules, and floors on the seeds just under what extraction reaches."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.tools.evaluate import (compatible_units, load_gold, main, quote_states, run_pipeline, score,
                                     score_meaning,
                                     score_place_and_time)
from conftest import ROOT



def fact(doc="a.txt", region="青禾市", value=10.0, unit="个", quote="q", start=0, end=1, **kw):
    return {"doc": doc, "region": region, "value": value, "unit": unit, "quote": quote, "start": start,
            "end": end, "qualifier": "exact", "change": None, "year": 2023, **kw}


def test_unit_compatibility():
    assert compatible_units("人", "名") and compatible_units("场", "场次") and compatible_units("个", "家")
    assert not compatible_units("人次", "人") and not compatible_units("元", "个") and not compatible_units("%", "个")


def test_quotes_state_numbers_in_chinese_numerals():
    assert quote_states("党员总数为九千九百一十八点五万名", 99185000)
    assert quote_states("占百分之三十二点四", 32.4) and quote_states("占比接近六成", 60)
    assert not quote_states("占比接近六成", 6) and not quote_states("占百分之三十二点四", 32)


def test_fact_scoring_matches_value_within_tolerance_and_dedupes_predictions():
    gold = [fact(value=1000), fact(value=1000), fact(value=7, unit="人")]
    pred = [fact(value=1004), fact(value=1004), fact(value=7, unit="人次"), fact(value=5)]
    s = score(pred, [], gold, [])
    assert (s.facts.pred, s.facts.pred_ok, s.facts.gold, s.facts.gold_ok) == (3, 1, 3, 2)
    assert [g["value"] for g in s.fact_misses] == [7]


def test_region_agnostic_scoring_ignores_regions():
    gold, pred = [fact(region="青禾市")], [fact(region="澜湖县")]
    assert score(pred, [], gold, []).facts.recall == 0
    assert score(pred, [], gold, [], region_agnostic=True).facts.recall == 1


def test_initiative_scoring_normalizes_names():
    gold = [{"doc": "a.txt", "region": "青禾市", "name": "稻香\u00a0工程"}, {"doc": "a.txt", "region": "青禾市", "name": "X"}]
    pred = [{"doc": "a.txt", "region": "青禾市", "name": "稻香 工程", "kind": "initiative"},
            {"doc": "a.txt", "region": "青禾市", "name": "Y", "kind": "brand"}]
    s = score([], pred, [], gold)
    assert (s.initiatives.precision, s.initiatives.recall) == (0.5, 0.5)


@pytest.fixture(scope="module")
def seeds_run():
    facts, initiatives, texts = run_pipeline(ROOT / "seeds", ROOT / "templates")
    gold_facts, gold_initiatives = load_gold(ROOT / "tests/data/gold_seeds.jsonl")
    return facts, initiatives, texts, gold_facts, gold_initiatives


def test_seed_scores_stay_above_their_floors(seeds_run):
    facts, initiatives, texts, gf, gi = seeds_run
    s = score(facts, initiatives, gf, gi, texts=texts)
    assert s.facts.precision >= 0.97 and s.facts.recall >= 0.97
    assert s.initiatives.recall >= 0.95
    assert s.bad_quotes == []
    # Extraction alone, whatever segmentation attributes: every gold number found at its place.
    p = score(facts, initiatives, gf, gi, texts=texts, region_agnostic=True, positional=True)
    assert p.facts.precision >= 0.99 and p.facts.recall >= 0.99 and p.initiatives.recall >= 0.97
    assert min(p.agreement.values()) >= 0.97


def test_every_fact_quote_is_an_exact_substring_of_8_to_60_chars(seeds_run):
    facts, _, texts, _, _ = seeds_run
    for f in facts:
        assert texts[f["doc"]][f["start"]:f["end"]] == f["quote"]
        assert 8 <= len(f["quote"]) <= 60


def test_main_prints_per_document_and_overall_lines(capsys):
    assert main(["--seeds", str(ROOT / "seeds"), "--gold", str(ROOT / "tests/data/gold_seeds.jsonl"),
                 "--templates", str(ROOT / "templates"), "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "000_3309f5557c47b381.txt" in out and "overall" in out and "fact misses" in out


def _place_and_time(folder: Path, gold: Path):
    docs: dict[str, dict] = {}
    facts, _, texts = run_pipeline(folder, ROOT / "templates", docs)
    gold_docs: list[dict] = []
    gold_facts, _ = load_gold(gold, gold_docs)
    return score_place_and_time(docs, gold_docs, facts, gold_facts, texts)


def test_seed_documents_and_facts_are_in_their_gold_place_and_year():
    pt = _place_and_time(ROOT / "seeds", ROOT / "tests/data/gold_seeds.jsonl")
    assert pt.docs == 5 and pt.doc_region == 5 and pt.doc_regions == 5 and pt.doc_year == 5
    assert pt.facts >= 245 and pt.fact_region >= 0.99 * pt.facts and pt.fact_year >= 0.97 * pt.facts


def test_unseen_kinds_of_document_are_put_in_place():
    # District, county, town, provincial, national, traditional-script, helper/helped and
    # former-name documents (tests/data/unseen/README.md): floors just under what is reached.
    unseen = ROOT / "tests" / "data" / "unseen"
    pt = _place_and_time(unseen, unseen / "gold.jsonl")
    assert pt.docs == 10 and pt.doc_region >= 10 and pt.doc_year >= 8
    assert pt.facts >= 160 and pt.fact_region >= 0.97 * pt.facts


def test_what_the_seed_facts_count_stays_above_its_floors():
    # Floors just under what extraction reaches (make eval prints the misses); the targets
    # (metric precision 0.95, recall 0.85, kind accuracy 0.90) are not reached yet.
    facts, _, texts = run_pipeline(ROOT / "seeds", ROOT / "templates")
    gold_facts, _ = load_gold(ROOT / "tests/data/gold_seeds.jsonl")
    m = score_meaning(facts, gold_facts, texts)
    assert m.mapped_ok >= 0.85 * m.mapped and m.gold_metric_ok >= 0.75 * m.gold_metric
    assert m.kinds == 251 and m.kinds_ok >= 0.72 * m.kinds


def test_kinds_of_unseen_documents_stay_above_their_floor():
    unseen = ROOT / "tests" / "data" / "unseen"
    facts, _, texts = run_pipeline(unseen, ROOT / "templates")
    gold_facts, _ = load_gold(unseen / "gold.jsonl")
    m = score_meaning(facts, gold_facts, texts)
    assert m.kinds >= 160 and m.kinds_ok >= 0.80 * m.kinds
