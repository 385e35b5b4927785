"""Compiled extraction: same output as the pure-Python modules, and never used once a source has changed."""

from __future__ import annotations

import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from dataclasses import asdict

from conftest import ROOT, SEEDS

from briefgen import native

_DUMP = """
import json, sys
from pathlib import Path
from dataclasses import asdict
from briefgen.extract import extract_document
from briefgen.documents import read_document
from briefgen.settings import load_settings
from briefgen.brief.catalogue import find_topics, lexicons
import briefgen.native
lex = lexicons(find_topics(load_settings().template_dirs).values())
out = []
for p in sorted(Path(sys.argv[1]).iterdir()):
    x = extract_document(read_document(p), lex)
    out.append([[asdict(f) for f in x.facts], [asdict(i) for i in x.initiatives],
                [[q.region and q.region.name, q.start, q.end, q.year, list(q.headings)] for q in x.segmentation.passages]])
print(json.dumps({"compiled": briefgen.native.in_use(), "out": out}, ensure_ascii=False, default=str))
"""


def _dump(env: dict) -> dict:
    proc = subprocess.run([sys.executable, "-c", _DUMP, str(SEEDS)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **env})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_compiled_and_pure_extraction_agree_on_the_seeds():
    pure = _dump({"BRIEFGEN_PURE": "1"})
    default = _dump({"BRIEFGEN_PURE": ""})
    assert pure["compiled"] is False
    assert default["compiled"] == (bool(native.built()) and native.stale_reason() is None)
    assert sum(len(doc[0]) for doc in pure["out"]) > 20  # facts were found at all
    assert default["out"] == pure["out"]


def test_native_compiles_the_whole_extract_package():
    # One list of compiled modules: the package's own folder, which the Makefile watches too.
    package = ROOT / "briefgen" / "extract"
    assert native.MODULES == tuple(sorted(p.stem for p in package.glob("*.py") if p.stem != "__init__"))
    assert {"facts", "segment", "regions", "tagger"} <= set(native.MODULES)
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "NATIVE_SOURCES := $(wildcard briefgen/extract/*.py)" in makefile


def _fake_build(tmp_path, modules):
    """A copy of the package whose extension files are placeholders: importing one would fail."""
    shutil.copytree(ROOT / "briefgen", tmp_path / "briefgen", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    pkg = tmp_path / "briefgen" / "extract"
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    for name in modules:
        (pkg / f"{name}{suffix}").write_bytes(b"not a shared library")
    return pkg


def _import_facts(tmp_path, env=None):
    code = "import briefgen.extract.facts as f, briefgen.extract.segment as s; print(f.__file__); print(s.__file__)"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(tmp_path), "BRIEFGEN_PURE": "", **(env or {})})


def test_a_source_newer_than_its_compiled_module_runs_from_source_with_a_warning(tmp_path):
    pkg = _fake_build(tmp_path, (*native.MODULES, native.GROUP))
    later = max(p.stat().st_mtime for p in pkg.glob("*.so")) + 10
    os.utime(pkg / "facts.py", (later, later))
    proc = _import_facts(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(pkg / "facts.py"), str(pkg / "segment.py")]
    assert "briefgen/extract/facts.py changed after the extraction modules were compiled" in proc.stderr


def test_an_incomplete_build_is_not_used(tmp_path):
    pkg = _fake_build(tmp_path, ("facts", "segment"))
    proc = _import_facts(tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(pkg / "facts.py"), str(pkg / "segment.py")]
    assert "incomplete" in proc.stderr


def test_briefgen_pure_imports_the_sources_silently(tmp_path):
    pkg = _fake_build(tmp_path, (*native.MODULES, native.GROUP))
    proc = _import_facts(tmp_path, {"BRIEFGEN_PURE": "1"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(pkg / "facts.py"), str(pkg / "segment.py")]
    assert proc.stderr == ""


def test_data_classes_stay_python_classes_that_pickle():
    import pickle

    from briefgen.extract import extract_document
    from briefgen.documents import read_document
    from briefgen.settings import load_settings
    from briefgen.brief.catalogue import find_topics, lexicons

    lex = lexicons(find_topics(load_settings().template_dirs).values())
    x = extract_document(read_document(sorted(SEEDS.iterdir())[0]), lex)
    back = pickle.loads(pickle.dumps(x))
    assert back == x and [asdict(f) for f in back.facts] == [asdict(f) for f in x.facts]
    assert hasattr(x.facts[0], "__dict__") and hasattr(x.segmentation.passages[0], "__dict__")
