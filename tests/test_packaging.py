"""The wheel: what `pip install .` gives a user outside the repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_the_wheel_ships_the_built_in_templates_and_data(tmp_path):
    # Built without isolation or dependencies: no network, only the setuptools of this venv.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    wheel = next(tmp_path.glob("briefgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = ROOT / "templates"
    expected = {f"briefgen/templates/{p.relative_to(templates).as_posix()}"
                for p in templates.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert "briefgen/templates/briefs/talent.md.j2" in expected
    assert expected <= names
    assert "briefgen/data/metrics.toml" in names and "briefgen/extract/facts.py" in names
    assert not [n for n in names if n.endswith(".so")]  # compiled modules are built where they run
