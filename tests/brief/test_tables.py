"""Tables: honest comparisons — qualifiers visible, 'not reported' never 0, different units never ranked."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from briefgen.extract.facts import FIELDS
from briefgen.extract.regions import Region
from briefgen.brief.sentences import format_value
from briefgen.brief.tables import Citations, build_comparison, build_findings
from briefgen.brief.catalogue import TopicSpec

A = Region("甲市", "甲", "Jia", "某省", "prefecture")
B = Region("乙市", "乙", "Yi", "某省", "prefecture")
C = Region("丙市", "丙", "Bing", "某省", "prefecture")
SPEC = TopicSpec("t", Path("t.md.j2"), "T", "T", ("人才",), ("talent_introduced", "cadres_trained"))


def _fact(region, metric, value, unit, qualifier="exact", year=2023, quote="引进人才"):
    row = dict.fromkeys(FIELDS)
    row.update(doc="d.txt", region=region.name, year=year, metric=metric, value=value, unit=unit,
               qualifier=qualifier, quote=f"{quote}{value}{unit}", start=int(value) % 97, subject=quote)
    return row


@pytest.mark.parametrize("value, unit, qualifier, lang, text", [
    (250, "名", "over", "en", "250+"), (600, "人", "about", "en", "~600"), (400, "个", "under", "en", "<400"),
    (12400, "人次", "exact", "en", "12,400 person-times"), (50_500_000, "元", "exact", "en", "50.5 million yuan"),
    (50_500_000, "元", "exact", "zh", "5,050 万元"), (2_200_000_000, "元", "exact", "zh", "22 亿元"),
    (1.59, "%", "exact", "en", "1.59%"), (2738, "套", "exact", "zh", "2,738 套"),
])
def test_values_show_their_qualifier_and_unit(value, unit, qualifier, lang, text):
    assert format_value(value, unit, qualifier, lang) == text


def test_unreported_cells_stay_empty_and_findings_rank_only_reporters():
    facts = pd.DataFrame([_fact(A, "talent_introduced", 250, "名", "over"),
                          _fact(B, "talent_introduced", 1721, "名")], columns=list(FIELDS))
    table, shown, caveats, missing = build_comparison(facts, [A, B, C], SPEC, "en", Citations())
    assert [m["id"] for m in shown] == ["talent_introduced"]
    assert missing == ["Cadres trained"]
    assert pd.isna(table.loc["丙市", "talent_introduced"])  # not reported: no value, never 0
    findings = build_findings(table, shown, [A, B, C], "en")
    assert findings[0]["text"] == "Yi reports the most talents introduced: 1,721 in 2023 (2 of 3 regions report this)."


def test_person_times_and_persons_are_listed_not_ranked():
    facts = pd.DataFrame([_fact(A, "cadres_trained", 50000, "人次", "under", quote="培训干部"),
                          _fact(B, "cadres_trained", 12400, "名", quote="培训干部"),
                          _fact(C, "cadres_trained", 300, "人", year=2022, quote="培训干部")], columns=list(FIELDS))
    table, shown, caveats, _ = build_comparison(facts, [A, B, C], SPEC, "en", Citations())
    findings = build_findings(table, shown, [A, B, C], "en")
    assert "not ranked" in findings[0]["text"] and "most" not in findings[0]["text"]
    assert len(findings[0]["cites"]) == 3
    assert any("different units" in c for c in caveats)
    assert any("different years" in c for c in caveats)


def test_names_and_persons_count_the_same_thing():
    facts = pd.DataFrame([_fact(A, "talent_introduced", 300, "人"), _fact(B, "talent_introduced", 100, "名")],
                         columns=list(FIELDS))
    table, shown, caveats, _ = build_comparison(facts, [A, B], SPEC, "en", Citations())
    assert not caveats
    assert build_findings(table, shown, [A, B], "en")[0]["text"].startswith("Jia reports the most")


def test_a_cell_shows_the_latest_year_then_the_largest_value_then_the_first_stated():
    facts = pd.DataFrame([
        _fact(A, "talent_introduced", 900, "人", year=None),    # no year: counts as oldest
        _fact(A, "talent_introduced", 300, "人", year=2023),
        _fact(A, "talent_introduced", 500, "人", year=2022),
        _fact(B, "talent_introduced", 40, "人", year=2023, quote="首次"),
        _fact(B, "talent_introduced", 40, "人", year=2023, quote="再次"),
        _fact(C, "talent_introduced", 70, "人", year=None),
    ])
    frame, _, _, _ = build_comparison(facts, [A, B, C], SPEC, "en", Citations())
    cells = frame["talent_introduced"]
    assert cells[A.name]["value"] == 300 and cells[A.name]["others"] == 2
    assert cells[B.name]["cite"].quote.startswith("首次")
    assert cells[C.name]["value"] == 70 and pd.isna(cells[C.name]["year"])
