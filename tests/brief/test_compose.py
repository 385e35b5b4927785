"""Compose: document text can only ever be text, through Jinja, Markdown and the HTML layout."""

from __future__ import annotations

import html

import markdown
import pytest

from briefgen.brief.compose import _escape_text, make_environment
from briefgen.errors import TemplateError
from briefgen.brief.compose import _render

HOSTILE = ["<script>alert(1)</script>", '<img src="file:///etc/passwd">', "</style>", "{{ 7*7 }}",
           "*bold* _em_ [link](http://x) `code` # heading | pipe", "topic's & \"quoted\"", "1+1+5+N"]


@pytest.mark.parametrize("text", HOSTILE)
def test_escaped_text_survives_markdown_as_the_same_text(text):
    rendered = markdown.markdown(f"- {_escape_text(text)}\n\n| a |\n|---|\n| {_escape_text(text)} |\n",
                                 extensions=["tables"])
    assert "<script" not in rendered and "<img" not in rendered and "<em>" not in rendered
    # Parsed back as HTML, each place shows exactly the original text.
    assert html.unescape(rendered).count(text) == 2


def test_template_prints_document_text_literally(tmp_path):
    (tmp_path / "t.md.j2").write_text("Q: {{ q }}\n", "utf-8")
    env = make_environment([tmp_path])
    out = _render(env, "t.md.j2", {"q": "{{ 7*7 }}<b>x</b>"})
    assert "49" not in out and "<b>" not in out
    assert html.unescape(out).strip() == "Q: {{ 7*7 }}<b>x</b>"


def test_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "bad.md.j2").write_text("line one\n{% if %}\n", "utf-8")
    with pytest.raises(TemplateError) as err:
        _render(make_environment([tmp_path]), "bad.md.j2", {})
    assert "bad.md.j2:2:" in str(err.value)


def test_sandbox_refuses_python_internals(tmp_path):
    (tmp_path / "evil.md.j2").write_text("{{ ''.__class__.__mro__ }}\n", "utf-8")
    with pytest.raises(TemplateError) as err:
        _render(make_environment([tmp_path]), "evil.md.j2", {})
    assert "evil.md.j2:1:" in str(err.value) and "unsafe" in str(err.value)


def test_immutable_sandbox_refuses_changing_data(tmp_path):
    (tmp_path / "mut.md.j2").write_text("{{ items.append(1) }}\n", "utf-8")
    with pytest.raises(TemplateError):
        _render(make_environment([tmp_path]), "mut.md.j2", {"items": []})


def test_every_quote_keeps_an_element_carrying_its_own_document_and_quote():
    from briefgen.brief.compose import _evidence
    from briefgen.brief.tables import Citation
    from conftest import evidence_of

    sentence = "引进博士<b>120</b>名"
    c = Citation(3, "a&b.txt", sentence, 10, "青禾市", 2024)
    own = markdown.markdown(f"- {_evidence(sentence, c)}")
    # Quoted as cited: plain quote marks, the citation carries the source; numbers still stand out.
    assert evidence_of(own) == [("a&b.txt", sentence)]
    assert "<strong>120</strong>" in own and "<q" not in own
    assert html.unescape(own).count(f"“{sentence}”".replace("120", "<strong>120</strong>")) == 1
    # A definition cited by another sentence keeps its own carrier as well as the citation's.
    definition = "即人才服务总部，负责调度"
    other = markdown.markdown(f"- {_evidence(definition, c, False)}")
    assert evidence_of(other) == [("a&b.txt", definition), ("a&b.txt", sentence)]
