"""The brief catalogue: brief types declared by template headers, and the keyword lexicons they bring."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from briefgen.errors import TemplateError, UnknownTopicError

BRIEFS_DIR = "briefs"
SUFFIX = ".md.j2"
# The header is TOML inside a leading Jinja comment, so the file stays a valid template
# and its line numbers are the ones Jinja reports.
_HEADER = re.compile(r"\A\{#-?\s*---[ \t]*\n(.*?)\n---\s*-?#\}", re.S)
_KNOWN_KEYS = {"title", "keywords", "metrics", "mechanisms", "description", "topics"}


@dataclass(frozen=True)
class TopicSpec:
    """A brief type: its titles, lexicon, compared metrics and looked-for mechanisms."""

    key: str
    path: Path
    title_en: str
    title_zh: str
    keywords: tuple[str, ...]
    metrics: tuple[str, ...]
    mechanisms: tuple[str, ...] = ()
    description: str = ""
    # An overview brief covers several topics (their lexicons) instead of its own.
    covers: tuple[str, ...] = field(default=())

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


def read_topic(path: Path) -> TopicSpec:
    """Parse a brief template's header; errors name the file and line."""
    text = path.read_text("utf-8")
    m = _HEADER.match(text)
    if not m:
        raise TemplateError(str(path), 1, "missing header: the file must start with '{#---' TOML '---#}'")
    try:
        data = tomllib.loads(m.group(1))
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise TemplateError(str(path), (line + 1) if line else 1, f"header: {exc}") from None
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise TemplateError(str(path), 1, f"header: unknown key(s) {', '.join(unknown)}")
    title = data.get("title", {})
    if not isinstance(title, dict) or not title.get("en") or not title.get("zh"):
        raise TemplateError(str(path), 1, "header: 'title' needs both 'en' and 'zh'")
    key = path.name[: -len(SUFFIX)]
    return TopicSpec(
        key=key, path=path, title_en=title["en"], title_zh=title["zh"],
        keywords=tuple(data.get("keywords", ())), metrics=tuple(data.get("metrics", ())),
        mechanisms=tuple(data.get("mechanisms", ())), description=data.get("description", ""),
        covers=tuple(data.get("topics", ())),
    )


def find_topics(template_dirs: Sequence[Path]) -> dict[str, TopicSpec]:
    """Every brief type in the template folders; the first folder wins on a name clash."""
    topics: dict[str, TopicSpec] = {}
    for d in template_dirs:
        for path in sorted((Path(d) / BRIEFS_DIR).glob("*" + SUFFIX)):
            key = path.name[: -len(SUFFIX)]
            if key not in topics:
                topics[key] = read_topic(path)
    return topics


def get_topic(topics: Mapping[str, TopicSpec], key: str) -> TopicSpec:
    """The topic named key, or an error listing the known ones."""
    if key not in topics:
        raise UnknownTopicError(f"unknown topic '{key}'; known topics: {', '.join(sorted(topics))}")
    return topics[key]


def check_metrics(spec: TopicSpec, known: Sequence[str]) -> None:
    """Fail with the header line when a brief type names a metric that does not exist."""
    unknown = [m for m in spec.metrics if m not in known]
    if unknown:
        lines = spec.path.read_text("utf-8").splitlines()
        line = next((i + 1 for i, text in enumerate(lines) if text.lstrip().startswith("metrics")), 1)
        raise TemplateError(str(spec.path), line, f"unknown metric(s) {', '.join(unknown)}; "
                            "see briefgen/data/metrics.toml for the known ids")


def lexicons(topics: Iterable[TopicSpec]) -> dict[str, tuple[str, ...]]:
    """Topic key → keywords, for the topics that declare a lexicon of their own."""
    return {t.key: t.keywords for t in topics if t.keywords}
