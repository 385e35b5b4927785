"""The seeds' facts, initiatives and document records, exactly as a snapshot holds them.

The snapshot was taken before the package was split into subpackages (extract/, store/, brief/);
the split changes no behaviour, so the output must match it byte for byte, both from the compiled
extraction modules and from their sources. An intended change of extraction updates the snapshot
in the same commit (`python -m pytest tests/test_snapshot.py --update-snapshot` is deliberately
not offered: regenerate it with `briefgen facts seeds --format jsonl`, and say why in the commit).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = ROOT / "tests" / "data" / "snapshot"


@pytest.mark.parametrize("pure", [False, True], ids=["compiled", "pure"])
@pytest.mark.parametrize("kind", ["facts", "initiatives", "docs"])
def test_seeds_output_matches_snapshot(kind, pure, tmp_path):
    out = tmp_path / f"{kind}.jsonl"
    env = {**os.environ, "BRIEFGEN_PURE": "1" if pure else "0"}
    subprocess.run([sys.executable, "-m", "briefgen", kind, str(ROOT / "seeds"), "--format", "jsonl", "-o", str(out)],
                   check=True, env=env, cwd=tmp_path, capture_output=True)
    expected = (SNAPSHOT / f"seeds.{kind}.jsonl").read_text("utf-8").splitlines()
    got = out.read_text("utf-8").splitlines()
    assert len(got) == len(expected)
    for line_no, (g, e) in enumerate(zip(got, expected), 1):
        assert g == e, f"{kind} line {line_no} differs"
