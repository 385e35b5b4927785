"""Property tests: extraction never raises, quotes are always verbatim, numbers parse back."""

from __future__ import annotations

import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from briefgen.documents import Document
from briefgen.extract.facts import extract_facts
from briefgen.extract.initiatives import extract_initiatives
from briefgen.extract.segment import segment_document

LEX = {"talent": ("人才",), "organization": ("党员", "党组织")}
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _doc(text: str) -> Document:
    return Document(Path("p.txt"), "p.txt", "txt", "utf-8", text, hashlib.sha256(text.encode()).hexdigest())


def _extract(text: str):
    doc = _doc(text)
    seg = segment_document(doc)
    return doc, extract_facts(doc, seg, LEX), extract_initiatives(doc, seg)


# Text drawn from every plane, and text made of the characters reports are made of.
REPORTISH = st.text(alphabet=st.sampled_from(list("0123456789０１２.,，、。;：:%万亿余多近约超以上个人名次元年月日第号“”《》()（）\n 党员人才培训基层引进市区县")),
                    max_size=300)


@FAST
@given(st.one_of(st.text(max_size=400), REPORTISH))
def test_any_text_extracts_without_error_and_quotes_are_verbatim(text):
    doc, facts, initiatives = _extract(text)
    for f in facts:
        assert doc.text[f.start:f.end] == f.quote
        assert f.qualifier in {"exact", "over", "under", "about"}
    for i in initiatives:
        assert doc.text[i.start:i.end] == i.quote
        assert i.definition is None or i.definition in doc.text


def _forms(value: int):
    """The ways a report writes an integer count, each with the value it must parse back to."""
    yield f"{value}", value
    yield f"{value:,}", value
    yield f"{value:,}".replace(",", " "), value
    yield f"{value}".translate(FULLWIDTH), value


@FAST
@given(st.integers(min_value=1, max_value=9_999_999))
def test_counts_in_every_form_parse_back(value):
    for written, expected in _forms(value):
        _, facts, _ = _extract(f"全市共培训党员{written}人次,成效明显。")
        values = [f.value for f in facts if f.unit == "人次"]
        assert values == [expected], (written, facts)


@FAST
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=0, max_value=99),
       st.sampled_from([("万", 10_000), ("亿", 100_000_000)]))
def test_wan_and_yi_with_decimals_parse_back(whole, hundredths, mult):
    word, factor = mult
    written = f"{whole}.{hundredths:02d}".rstrip("0").rstrip(".")
    _, facts, _ = _extract(f"全市投入资金{written}{word}元,用于人才工作。")
    money = [f for f in facts if f.unit == "元"]
    assert len(money) == 1
    assert abs(money[0].value - float(written) * factor) <= 1e-6 * float(written) * factor


@FAST
@given(st.integers(min_value=1, max_value=99_999))
def test_qualified_money_parses_to_value_and_qualifier(value):
    _, facts, _ = _extract(f"累计发放补贴{value}多万元,惠及群众。")
    money = [f for f in facts if f.unit == "元"]
    assert [(f.value, f.qualifier) for f in money] == [(value * 10_000, "over")]
