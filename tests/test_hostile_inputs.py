"""Hostile inputs through the command line: each bad file named and skipped, the rest read, no traceback."""

from __future__ import annotations

import hashlib
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from briefgen.documents import Document, read_document
from briefgen.errors import DocumentError
from briefgen.extract.facts import extract_facts
from briefgen.extract.segment import segment_document
from conftest import ROOT, SEEDS

GOOD = "成都市组织工作。2023年,成都市引进高层次人才1200名,建成党群服务中心35个。\n"


def _briefgen(*args):
    return subprocess.run([str(ROOT / ".venv/bin/briefgen"), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "good report.txt").write_text(GOOD, "utf-8")
    (folder / "成都 “人才” 'quoted' \"name\".txt").write_text(GOOD, "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(os.urandom(4096))
    (folder / "truncated.docx").write_bytes(b"PK\x03\x04\x14\x00" + os.urandom(200))
    (folder / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(500))
    with zipfile.ZipFile(folder / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w>" + b"0" * (200 * 2**20) + b"</w>")
    # One byte over the default 50 MB limit, on a single line.
    with open(folder / "huge single line.txt", "wb") as fh:
        fh.write(("党" * (50 * 2**20 // 3)).encode() + b"x" * 3)
    nested = "<div>" * 20_000 + "深圳市" + "</div>" * 20_000
    (folder / "nested.html").write_text(f"<html><body>{nested}<p>{GOOD}</p></body></html>", "utf-8")
    return folder


def test_each_broken_file_is_named_and_the_rest_is_read(hostile_folder):
    proc = _briefgen("docs", str(hostile_folder), "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    named = {line.split(": ")[0].rsplit("/", 1)[-1] for line in proc.stderr.splitlines() if ": " in line}
    assert {"empty.txt", "junk.txt", "truncated.docx", "corrupt.pdf", "bomb.docx",
            "huge single line.txt"} <= named
    ok_rows = [line for line in proc.stdout.splitlines() if ",ok," in line]
    assert any("good report.txt" in row for row in ok_rows)
    assert any("“人才”" in row for row in ok_rows)


def test_strict_fails_when_any_file_is_broken(hostile_folder):
    proc = _briefgen("facts", str(hostile_folder), "--strict", "--no-cache")
    assert proc.returncode != 0
    assert "could not be read" in proc.stderr and "Traceback" not in proc.stderr


def test_facts_of_the_readable_files_still_come_out(hostile_folder):
    proc = _briefgen("facts", str(hostile_folder), "--format", "jsonl", "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count('"value": 1200.0') >= 2


def test_deeply_nested_html_is_read_or_refused_never_crashes(hostile_folder):
    try:
        doc = read_document(hostile_folder / "nested.html")
    except DocumentError as exc:
        assert exc.reason
    else:
        assert "1200" in doc.text


def test_a_long_single_line_extracts_without_blowing_up():
    text = GOOD.strip() * 20_000  # about 1.2 MB on one line
    doc = Document(Path("line.txt"), "line.txt", "txt", "utf-8", text, hashlib.sha256(text.encode()).hexdigest())
    facts = extract_facts(doc, segment_document(doc), {})
    assert len(facts) >= 20_000
    assert all(text[f.start:f.end] == f.quote for f in facts[:100])
