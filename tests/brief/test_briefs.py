"""Every brief type in both languages, read back from the PDF: pages, bookmarks, fonts, text, quotes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import ROOT, SEEDS, evidence_of, pdf_fonts, pdf_text, squash

TOPICS = ["talent", "governance", "cadres", "education", "organization", "rural", "overview"]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("topic", TOPICS)
def test_brief_type_builds_and_reads_back(brief_factory, topic, lang):
    result = brief_factory(topic, lang)
    reader = PdfReader(str(result.pdf))
    assert len(reader.pages) >= 2
    titles = _outline_titles(reader.outline)
    expected = {"en": ["Key findings", "Comparison", "Region profiles", "Sources"],
                "zh": ["主要发现", "数据对比", "地区概况", "来源"]}[lang]
    assert all(t in titles for t in expected), titles
    assert all(f["embedded"] for f in pdf_fonts(result.pdf))
    meta = reader.metadata
    assert meta.title and meta.subject and meta.creator.startswith("briefgen")
    text = pdf_text(result.pdf)
    assert ("page 1 of" in text) if lang == "en" else ("第 1 页" in text)
    # Every quote in the HTML is verbatim in its document.
    html = result.html.read_text("utf-8")
    for doc, quote in evidence_of(html):
        assert quote in (SEEDS / doc).read_text("utf-8"), (doc, quote)
    assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in html


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles.extend(_outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


def test_english_brief_speaks_english_and_quotes_chinese(brief_factory):
    html = brief_factory("talent", "en").html.read_text("utf-8")
    assert "Key findings" in html and "主要发现" not in html
    assert "Zhongshan" in html


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_key_finding_is_its_own_list_item(brief_factory, lang):
    import html as htmllib
    import json
    import re

    result = brief_factory("talent", lang)
    findings = json.loads(result.manifest.read_text("utf-8"))["findings"]
    assert len(findings) >= 2
    page = result.html.read_text("utf-8")
    section = page.split("<main>")[1].split("<h2")[1]  # the first section: key findings
    items = [htmllib.unescape(re.sub(r"<a .*?</a>|<.*?>", "", li)).strip()
             for li in re.findall(r"<li>(.*?)</li>", section, re.S)]
    assert items == [f["text"] for f in findings]


def test_chinese_brief_has_chinese_headings_and_region_names(brief_factory):
    text = squash(pdf_text(brief_factory("talent", "zh").pdf))
    assert "主要发现" in text and "中山市" in text and "Key findings" not in text


def test_regions_brief_contains_those_regions_and_no_others(brief_factory):
    result = brief_factory("governance", "en", ("中山", "jiangmen", "云浮市"))
    html = result.html.read_text("utf-8")
    assert {"Zhongshan", "Jiangmen", "Yunfu"} <= set(_profile_names(html))
    assert set(_profile_names(html)) == {"Zhongshan", "Jiangmen", "Yunfu"}
    manifest = result.manifest.read_text("utf-8")
    assert "Xiangyang" not in manifest and "Hanzhong" not in manifest


def _profile_names(html: str) -> list[str]:
    import re

    section = html.split('id="region-profiles"')[1].split("<h2")[0]
    return [re.sub(r"<.*?>", "", h).split(" (")[0].strip() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", section)]


def _briefgen(*args, env=None, cwd=ROOT):
    return subprocess.run([str(ROOT / ".venv/bin/briefgen"), *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={**os.environ, **(env or {})})


def test_unknown_region_is_an_error_listing_known_regions(tmp_path):
    proc = _briefgen("brief", "talent", "--regions", "Atlantis", "--out", str(tmp_path / "x.pdf"))
    assert proc.returncode != 0
    assert "Atlantis" in proc.stderr and "Zhongshan" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_copied_template_builds_as_a_new_type_without_code(tmp_path):
    user = tmp_path / "tpl" / "briefs"
    user.mkdir(parents=True)
    text = (ROOT / "templates/briefs/cadres.md.j2").read_text("utf-8")
    text = text.replace('title = { en = "Cadre work", zh = "干部工作" }',
                        'title = { en = "Cadre supervision", zh = "干部监督" }')
    (user / "supervision.md.j2").write_text(text, "utf-8")
    env = {"BRIEFGEN_TEMPLATES": str(tmp_path / "tpl")}
    assert "supervision" in _briefgen("topics", "--names", env=env).stdout.split()
    out = tmp_path / "supervision.pdf"
    proc = _briefgen("brief", "supervision", "--out", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Cadre supervision" in pdf_text(out)


def test_template_with_undefined_variable_names_file_and_line(tmp_path):
    user = tmp_path / "tpl" / "briefs"
    user.mkdir(parents=True)
    lines = (ROOT / "templates/briefs/talent.md.j2").read_text("utf-8").splitlines()
    at = lines.index("{% block intro %}") + 1
    lines.insert(at, "{{ metricz }}")
    (user / "broken.md.j2").write_text("\n".join(lines) + "\n", "utf-8")
    proc = _briefgen("brief", "broken", "--out", str(tmp_path / "b.pdf"),
                     env={"BRIEFGEN_TEMPLATES": str(tmp_path / "tpl")})
    assert proc.returncode != 0
    assert f"broken.md.j2:{at + 1}: 'metricz' is undefined" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_two_builds_with_source_date_epoch_are_identical(tmp_path):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    for name in ("a", "b"):
        proc = _briefgen("brief", "talent", "--out", str(tmp_path / name / "talent.pdf"), env=env)
        assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "a/talent.pdf").read_bytes() == (tmp_path / "b/talent.pdf").read_bytes()


def _brief_content(path: Path) -> str:
    """A brief's HTML without what differs from run to run (where its figures were drawn)."""
    return re.sub(r"file://[^\"]*\.figures/[^/\"]+/", "FIGURES/", path.read_text("utf-8"))


@pytest.mark.parametrize("topic", ["talent", "governance"])
def test_a_template_with_overlapping_keywords_changes_no_other_brief(tmp_path, topic):
    # Topics are open tags: a new brief type that claims the same words (人才, 网格 …) adds its own
    # tag to facts and takes none away, so every other brief is built exactly as before.
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    before = tmp_path / "before" / f"{topic}.pdf"
    assert _briefgen("brief", topic, "--out", str(before), env=env).returncode == 0
    user = tmp_path / "tpl" / "briefs"
    user.mkdir(parents=True)
    talent = (ROOT / "templates/briefs/talent.md.j2").read_text("utf-8")
    governance = (ROOT / "templates/briefs/governance.md.j2").read_text("utf-8")
    keywords = re.search(r"keywords = \[([^\]]*)\]", governance).group(1)
    overlap = re.sub(r"keywords = \[", "keywords = [" + keywords + ", ", talent, count=1)
    (user / "everything.md.j2").write_text(overlap.replace('en = "Talent work"', 'en = "Everything"'), "utf-8")
    after = tmp_path / "after" / f"{topic}.pdf"
    env = {**env, "BRIEFGEN_TEMPLATES": str(tmp_path / "tpl")}
    assert "everything" in _briefgen("topics", "--names", env=env).stdout.split()
    proc = _briefgen("brief", topic, "--out", str(after), env=env)
    assert proc.returncode == 0, proc.stderr
    assert _brief_content(after.with_suffix(".html")) == _brief_content(before.with_suffix(".html"))
