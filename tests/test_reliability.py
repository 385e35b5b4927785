"""Reliability: hostile document text stays literal, a killed build loses nothing, runs can overlap."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

from conftest import ROOT, SEEDS, pdf_text, squash

HOSTILE = ("成都市人才工作情况。\n"
           "今年以来,成都市引进高层次人才1200名<script>alert(1)</script>,"
           "建设人才驿站<img src=\"file:///etc/passwd\">35个</style>,"
           "发放人才补贴{{ 7*7 }}万元,“人才*安居*工程”覆盖[链接](http://x) 300户。\n")


def _briefgen(*args, env=None):
    return subprocess.Popen([str(ROOT / ".venv/bin/briefgen"), *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    (folder / "成都 \"人才\" 报告.txt").write_text(HOSTILE, "utf-8")
    return folder


def test_document_markup_and_jinja_syntax_stay_literal(hostile_corpus, tmp_path):
    out = tmp_path / "talent.pdf"
    proc = _briefgen("brief", "talent", "--input", str(hostile_corpus), "--out", str(out))
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    html = out.with_suffix(".html").read_text("utf-8")
    assert "<script>" not in html and "<img src=\"file:///etc/passwd\">" not in html
    assert "</style>," not in html
    assert "49" not in squash(pdf_text(out)).split("发放人才补贴")[-1][:6]
    text = squash(pdf_text(out))
    # The hostile sentence reaches the PDF as text, markup and template syntax included.
    assert "<script>alert(1)</script>" in text or "{{7*7}}" in text


def test_sandboxed_template_cannot_reach_python_internals(tmp_path):
    user = tmp_path / "tpl" / "briefs"
    user.mkdir(parents=True)
    header = (ROOT / "templates/briefs/talent.md.j2").read_text("utf-8").split("---#}")[0] + "---#}\n"
    (user / "evil.md.j2").write_text(
        header + "{{ ''.__class__.__mro__[1].__subclasses__() }}\n", "utf-8")
    proc = _briefgen("brief", "evil", "--out", str(tmp_path / "e.pdf"),
                     env={"BRIEFGEN_TEMPLATES": str(tmp_path / "tpl")})
    _, err = proc.communicate(timeout=300)
    assert proc.returncode != 0
    assert "evil.md.j2:" in err and "unsafe" in err.lower()
    assert "Traceback" not in err


def test_kill_9_during_a_build_leaves_the_previous_pdf_whole(tmp_path):
    out = tmp_path / "talent.pdf"
    first = _briefgen("brief", "talent", "--out", str(out))
    assert first.wait(timeout=300) == 0
    before = out.read_bytes()
    for delay in (0.8, 1.6, 2.2):
        proc = _briefgen("brief", "talent", "--out", str(out), env={"SOURCE_DATE_EPOCH": "1"})
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        data = out.read_bytes()
        # Either the old PDF or a complete new one, never a torn file.
        assert data == before or data.rstrip().endswith(b"%%EOF")
        assert len(PdfReader(str(out)).pages) >= 2


def test_two_runs_at_once_both_succeed(tmp_path):
    a = _briefgen("brief", "talent", "--out", str(tmp_path / "talent.pdf"))
    b = _briefgen("brief", "talent", "--out", str(tmp_path / "talent.pdf"))
    c = _briefgen("brief", "rural", "--out", str(tmp_path / "rural.pdf"))
    for proc in (a, b, c):
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    for name in ("talent.pdf", "rural.pdf"):
        assert len(PdfReader(str(tmp_path / name)).pages) >= 2
    assert not list(tmp_path.glob("*.part"))
