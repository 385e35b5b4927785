"""Glossary: the initiatives a brief names, with the document's definition, pinyin and a gloss."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

import pandas as pd

from briefgen.extract.mentions import normalize
from briefgen.extract.regions import Region

_KIND_EN = {"initiative": "programme", "mechanism": "mechanism", "policy_document": "policy document",
            "brand": "brand", "award": "award"}
_KIND_ZH = {"initiative": "项目", "mechanism": "机制", "policy_document": "政策文件", "brand": "品牌",
            "award": "荣誉"}


@functools.lru_cache(maxsize=1)
def load_glosses() -> dict[str, str]:
    """Name → English gloss, from the package's data/glossary.toml."""
    return tomllib.loads(resources.files("briefgen").joinpath("data/glossary.toml").read_text("utf-8"))


def pinyin(name: str) -> str:
    """Tone-marked pinyin of a Chinese name, syllables of each word joined."""
    from pypinyin import Style, lazy_pinyin

    return " ".join(s for s in lazy_pinyin(name, style=Style.TONE, errors="ignore") if s.strip())


def kind_label(kind: str, lang: str) -> str:
    """A reader's word for an initiative kind."""
    return (_KIND_ZH if lang == "zh" else _KIND_EN).get(kind, kind)


def build_glossary(inits: pd.DataFrame, regions: list[Region], lang: str, cites,
                   limit: int | None = None) -> list[dict]:
    """One entry per distinct name: regions using it, definition, pinyin, gloss, citation.

    With a limit, names the documents define come first, then the most widely used ones.
    """
    if inits.empty:
        return []
    by_name = {r.name: r for r in regions}
    glosses = load_glosses()
    entries = []
    inits = inits.assign(_key=inits["name"].map(normalize))
    groups = list(inits.groupby("_key", sort=False))
    if limit is not None and len(groups) > limit:
        groups.sort(key=lambda kg: (kg[1]["definition"].isna().all(), -kg[1]["region"].nunique()))
        groups = groups[:limit]
    for key, group in groups:
        first = group.iloc[0]
        defined = group[group["definition"].notna()]
        source = defined.iloc[0] if not defined.empty else first
        entries.append({
            "name": first["name"], "kind": kind_label(first["kind"], lang),
            "pinyin": pinyin(key), "gloss": glosses.get(key),
            "definition": source["definition"] if pd.notna(source["definition"]) else None,
            "regions": [(by_name[r].name if lang == "zh" else by_name[r].en)
                        for r in dict.fromkeys(group["region"]) if r in by_name],
            "cite": cites.cite(source["doc"], source["quote"], source["start"], source["region"], None),
        })
    return sorted(entries, key=lambda e: (e["definition"] is None, e["pinyin"]))
