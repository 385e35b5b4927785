"""Metrics: canonical, comparable quantities that fact subjects map to."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Metric:
    """A comparable quantity with Chinese and English names and a unit family."""

    id: str
    zh: str
    en: str
    unit_family: str
    patterns: tuple[re.Pattern, ...]

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@functools.lru_cache(maxsize=1)
def load_metrics() -> dict[str, Metric]:
    """Metric id → Metric, from the package's data/metrics.toml."""
    data = tomllib.loads(resources.files("briefgen").joinpath("data/metrics.toml").read_text("utf-8"))
    return {
        key: Metric(key, v["zh"], v["en"], v["unit_family"], tuple(re.compile(p) for p in v["patterns"]))
        for key, v in data.items()
    }


def match_metric(subject: str) -> str | None:
    """The id of the first metric whose pattern matches the subject, else None."""
    for metric in load_metrics().values():
        if any(p.search(subject) for p in metric.patterns):
            return metric.id
    return None
