"""Initiative rules: the word lists of data/initiatives_rules.toml, as the checks of initiatives ask them."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Final

from briefgen.extract.mentions import UnquotedRules
from briefgen.extract.words import ByLength, alternation, by_length


class Verbs:
    """A verb list, longest first, and one alternation of it (a search settles "none nearby")."""

    def __init__(self, words: list[str]) -> None:
        self.ordered: tuple[str, ...] = tuple(sorted(words, key=len, reverse=True))
        self.present: re.Pattern[str] = re.compile(alternation(words) if words else "(?!)")


class ListVerbs:
    """Verbs that introduce the list a numbered name counts (推进党建、业务、队伍“三融合”).

    `at` finds the longest verb starting at each position; `rank` has each verb's place in the list
    and the verbs it starts with, which occur there too.
    """

    def __init__(self, words: list[str]) -> None:
        self.rank: dict[str, tuple[int, list[str]]] = {
            v: (i, [w for w in words if v.startswith(w)]) for i, v in enumerate(words)}
        self.at: re.Pattern[str] = re.compile(f"(?=({alternation(words)}))")


# Word lists asked "does any occur / start / end here" for every mention: tuples for str.startswith/
# endswith, sets by length for the most asked endings (ends_with_any), one alternation for "occurs anywhere".
@dataclass(frozen=True)
class ClassifyRules:
    """What _classify asks: whether a mention names a programme, and of which kind."""

    window: int  # how far after the name its own words are read
    award_after: tuple[str, ...]
    award_verbs: Verbs
    award_window: int
    name_suffixes: ByLength
    verbs_before: Verbs
    verbs_window: int
    strong_after: re.Pattern[str]
    weak_after: tuple[str, ...]
    policy_word: re.Pattern[str]
    policy_after: tuple[str, ...]
    mechanism: re.Pattern[str]
    brand: re.Pattern[str]
    brand_words: tuple[str, ...]  # words after a title that make it a work (brand)
    work_suffixes: tuple[str, ...]


@dataclass(frozen=True)
class TitleRules:
    """What _excluded asks of a 《》 title: an outlet, a document type, or a back-reference."""

    media: frozenset[str]
    media_suffixes: tuple[str, ...]
    context_after: tuple[str, ...]
    context_before: tuple[str, ...]
    doc_types: frozenset[str]
    back_reference: tuple[str, ...]
    reach: int  # the longest word looked for before the title


@dataclass(frozen=True)
class NameRules:
    """What _excluded asks of a quoted name: a generic term, an enumeration or a negated phrase."""

    generic_terms: frozenset[str]
    enumeration_first: str  # or a space: where enumeration can match
    enumeration: re.Pattern[str]
    negations: ByLength


@dataclass(frozen=True)
class InitiativeRules:
    numerals: str
    numbered_measures: str
    numbered_re: re.Pattern[str]
    numeral_token_re: re.Pattern[str]
    single_suffix: re.Pattern[str]  # the words after a one-character quote that make it a name (暖“蜂”驿站)
    unquoted: UnquotedRules
    list_verbs: ListVerbs
    classify: ClassifyRules
    title: TitleRules
    name: NameRules


_RULES: Final[list[InitiativeRules]] = []


def load_rules() -> InitiativeRules:
    """The rules of briefgen/data/initiatives_rules.toml, read once."""
    if not _RULES:
        _RULES.append(_build())
    return _RULES[0]


def _build() -> InitiativeRules:
    data = tomllib.loads(resources.files("briefgen").joinpath("data/initiatives_rules.toml").read_text("utf-8"))
    u, k, n = data["unquoted"], data["kinds"], data["numerals"]
    unquoted = UnquotedRules(
        re.compile(rf"(?:{alternation(u['verbs'])})(?P<name>[\u4e00-\u9fff]{{2,12}}?(?:{alternation(u['suffixes'])}))"
                   r"(?![\u4e00-\u9fff])"),
        tuple(u["bad_starts"]), tuple(u["suffixes"]),
        12 + max(map(len, u["verbs"])))  # how far before its suffix a match can start: 12 and the longest verb
    classify = ClassifyRules(
        window=data["strong_window"], award_after=tuple(k["award_after"]), award_verbs=Verbs(data["award_verbs"]),
        award_window=data["award_window"], name_suffixes=by_length(data["name_suffixes"]),
        verbs_before=Verbs(data["verbs_before"]), verbs_window=data["verbs_window"],
        strong_after=_anywhere(data["strong_after"]), weak_after=tuple(data["weak_after"]),
        policy_word=_anywhere(k["policy"]), policy_after=tuple(k["policy"]), mechanism=_anywhere(k["mechanism"]),
        brand=_anywhere(k["brand"]), brand_words=tuple(k["brand"]), work_suffixes=tuple(k["work_suffixes"]))
    title = TitleRules(
        media=frozenset(data["media"]), media_suffixes=tuple(data["media_suffixes"]),
        context_after=tuple(data["media_context_after"]), context_before=tuple(data["media_context_before"]),
        doc_types=frozenset(data["doc_types"]), back_reference=tuple(data["back_reference_before"]),
        reach=max(map(len, [*data["media_context_before"], *data["back_reference_before"]]), default=0))
    name = NameRules(generic_terms=frozenset(data["generic_terms"]), enumeration_first=n + "、,，",
                     enumeration=re.compile(rf"^[{n}、,，\s]+$"), negations=by_length(data["negations"]))
    return InitiativeRules(
        numerals=n, numbered_measures=data["numbered_measures"],
        numbered_re=re.compile(rf"^[{n}][{data['numbered_measures']}]"), numeral_token_re=re.compile(rf"[{n}]+"),
        single_suffix=re.compile(r"[\u4e00-\u9fff]{0,3}?(?:驿站|工程|行动|计划|之家|服务站)"), unquoted=unquoted,
        list_verbs=ListVerbs([*data["verbs_before"], "履行", "划分为", "推动", "引领", "提出", "包括"]),
        classify=classify, title=title, name=name)


def _anywhere(words: list[str]) -> re.Pattern[str]:
    """One alternation of the words, for "does any occur here"."""
    return re.compile(alternation(words) if words else "(?!)")
