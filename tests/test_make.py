"""The Makefile contract: `make brief` without TOPIC lists the topics and fails."""

from __future__ import annotations

import subprocess

from conftest import ROOT


def test_make_brief_without_topic_lists_topics_and_fails():
    proc = subprocess.run(["make", "-s", "brief"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    for topic in ("talent", "governance", "cadres"):
        assert topic in proc.stderr


def test_briefgen_topics_lists_the_template_folder():
    proc = subprocess.run([str(ROOT / ".venv/bin/briefgen"), "topics", "--names"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0
    names = proc.stdout.split()
    assert {"talent", "governance", "cadres", "education", "organization", "rural", "overview"} <= set(names)
