"""Topics: brief types from template headers, and keyword tagging."""

from __future__ import annotations

import pytest

from briefgen.errors import TemplateError
from briefgen.extract.tagger import best_topic, tag_topics
from briefgen.brief.catalogue import find_topics, read_topic
from conftest import ROOT

LEX = {"talent": ("人才", "博士", "人才驿站"), "organization": ("党支部", "党员"), "rural": ("村",)}


def test_tags_rank_by_keyword_weight_and_keep_lexicon_order_on_ties():
    assert tag_topics("引进博士人才,建设人才驿站", LEX) == ["talent"]
    assert tag_topics("党员进村", LEX) == ["organization", "rural"]
    assert tag_topics("村党支部", LEX) == ["organization", "rural"]
    assert tag_topics("没有关键词", LEX) == []
    assert best_topic("人才与党员", LEX) == "talent"


def test_a_keyword_shared_by_two_topics_counts_for_both():
    lex = {"a": ("培训",), "b": ("培训", "干部")}
    assert tag_topics("培训", lex) == ["a", "b"]
    assert tag_topics("培训干部", lex) == ["b", "a"]


def test_built_in_brief_types_are_found_with_their_headers():
    topics = find_topics([ROOT / "templates"])
    assert {"talent", "governance", "cadres", "education", "organization", "rural", "overview"} <= set(topics)
    talent = topics["talent"]
    assert talent.title_en == "Talent work" and talent.title_zh == "人才工作"
    assert "人才" in talent.keywords and talent.metrics
    assert topics["overview"].covers and not topics["overview"].keywords


def test_user_folder_comes_first(tmp_path):
    (tmp_path / "briefs").mkdir()
    text = (ROOT / "templates/briefs/talent.md.j2").read_text("utf-8").replace('en = "Talent work"', 'en = "Mine"')
    (tmp_path / "briefs/talent.md.j2").write_text(text, "utf-8")
    assert find_topics([tmp_path, ROOT / "templates"])["talent"].title_en == "Mine"


@pytest.mark.parametrize("header, message", [
    ("no header at all\n", "missing header"),
    ("{#---\ntitle = { en = \"x\" }\n---#}\n", "'title' needs both"),
    ("{#---\ntitle = { en = \"x\", zh = \"y\" }\ncolour = 1\n---#}\n", "unknown key(s) colour"),
    ("{#---\ntitle = = 1\n---#}\n", "header:"),
])
def test_bad_headers_name_the_file(tmp_path, header, message):
    path = tmp_path / "x.md.j2"
    path.write_text(header, "utf-8")
    with pytest.raises(TemplateError) as err:
        read_topic(path)
    assert str(path) in str(err.value) and message in str(err.value)


def test_topic_filter_agrees_with_tag_topics():
    from briefgen.extract.tagger import tag_topics, topic_filter

    lex = {"talent": ("人才", "人才工作站"), "governance": ("工作站", "网格"), "rural": ("乡村",)}
    texts = ["设立人才工作站12个", "建设网格工作站", "乡村振兴", "无关的句子", "", "人才与网格"]
    for keys in (["talent"], ["governance"], ["rural", "governance"], []):
        wanted = topic_filter(lex, keys)
        for text in texts:
            assert wanted(text) == any(t in keys for t in tag_topics(text, lex)), (keys, text)
    # A longer keyword of one topic hides the shorter keyword of another inside it.
    assert not topic_filter(lex, ["governance"])("人才工作站")


def test_keyword_matcher_finds_what_a_longest_first_alternation_finds():
    import re

    from hypothesis import given, settings, strategies as st

    from briefgen.extract.words import alternation

    chars = st.sampled_from("人才党员工作站网格村")

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.text(chars, min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
           st.text(chars, max_size=40))
    def check(words, text):
        flat = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
        grouped = re.compile(alternation(words))
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in flat.finditer(text)]

    check()


def test_topic_finder_on_a_span_agrees_with_tag_topics_on_its_slice():
    from hypothesis import given, settings, strategies as st

    from briefgen.extract.tagger import topic_finder

    chars = st.sampled_from("人才党员工作站网格村乡")

    @settings(max_examples=200, deadline=None)
    @given(st.dictionaries(st.sampled_from(["a", "b", "c"]),
                           st.lists(st.text(chars, min_size=1, max_size=4), max_size=5).map(tuple), min_size=1),
           st.text(chars, max_size=40), st.integers(0, 40), st.integers(0, 40))
    def check(lex, text, start, end):
        tags = tag_topics(text[start:end], lex)
        assert topic_finder(lex)(text, start, end) == (tags[0] if tags else None)

    check()
