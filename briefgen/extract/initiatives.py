"""Initiatives: named programmes, mechanisms, brands, awards and policy documents a region uses."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Final

from mypy_extensions import mypyc_attr

from briefgen.documents import Document
from briefgen.extract.mentions import Mention, chain_runs, marked_names, normalize, unquoted_names
from briefgen.extract.segment import Segmentation
from briefgen.extract.subjects import CLAUSE_END, SENTENCE_END, Offsets, alternation, by_length, delimiters, ends_with_any, passage_at, passage_index

FIELDS = ("doc", "region", "name", "kind", "definition", "quote", "start", "end")
KINDS = ("initiative", "mechanism", "policy_document", "brand", "award")

_STOP: Final = set(CLAUSE_END) | set("、“”《》()（）") | set("0123456789")
_GLOSSARY_TAIL: Final = re.compile(r"[\u4e00-\u9fff]{0,12}[:：]")
_UP_TO_STOP: Final = re.compile("[^" + re.escape("".join(sorted(_STOP))) + "]*")
_LIST_MARK: Final = re.compile("[、,，]")
_MAX_QUOTE: Final = 60
_new: Final = object.__new__
# Whether this module runs compiled (as in subjects: its file is then the extension, not the .py).
_COMPILED: Final = not __file__.endswith(".py")


def _char_table(chars: set[str]) -> bytes:
    """Per code point of the Basic Multilingual Plane (where every mark is), 1 for one of `chars`.

    Compiled, ord(text[i]) reads a character in place and indexing bytes reads a C array: a loop
    over a few characters costs a fraction of a regex match and its group(), two generic calls.
    """
    table = bytearray(0x10000)
    for c in chars:
        table[ord(c)] = 1
    return bytes(table)


_STOP_AT: Final = _char_table(_STOP)
# A verb list longest first, and one alternation of it; what _classify asks of the rules.
_Verbs = tuple[tuple[str, ...], re.Pattern[str]]
_Ends = tuple[tuple[int, frozenset[str]], ...]  # subjects.by_length: words by length, longest first
_ClassifyRules = tuple[int, tuple[str, ...], _Verbs, int, _Ends, _Verbs, int, re.Pattern[str],
                       tuple[str, ...], re.Pattern[str], tuple[str, ...], re.Pattern[str], re.Pattern[str]]
# What _excluded asks of the rules: for a title, then for a quoted name.
_TitleRules = tuple[frozenset[str], tuple[str, ...], tuple[str, ...], tuple[str, ...], frozenset[str], tuple[str, ...],
                    int]
_NameRules = tuple[frozenset[str], str, re.Pattern[str], _Ends]


@mypyc_attr(native_class=False)  # see briefgen/native.py
@dataclass(frozen=True)
class Initiative:
    """A named programme or mechanism a region uses, with the clause that names it."""

    doc: str
    region: str | None
    name: str
    kind: str
    definition: str | None
    quote: str
    start: int
    end: int
    region_en: str | None = None
    # False for names the text marks without quotes (实施南粤先锋工程): a lower-confidence find.
    quoted: bool = True

    def to_dict(self) -> dict:
        return asdict(self)


@functools.lru_cache(maxsize=1)
def _rules() -> dict:
    data = tomllib.loads(resources.files("briefgen").joinpath("data/initiatives_rules.toml").read_text("utf-8"))
    for key in ("generic_terms", "media", "doc_types"):
        data[key] = frozenset(data[key])
    u = data["unquoted"]
    data["unquoted_re"] = re.compile(
        rf"(?:{alternation(u['verbs'])})(?P<name>[\u4e00-\u9fff]{{2,12}}?(?:{alternation(u['suffixes'])}))"
        r"(?![\u4e00-\u9fff])")
    # How far before its suffix a match of unquoted_re can start: 12 characters and the longest verb.
    data["unquoted_reach"] = (tuple(u["suffixes"]), 12 + max(map(len, u["verbs"])))
    n = data["numerals"]
    data["numbered_re"] = re.compile(rf"^[{n}][{data['numbered_measures']}]")
    data["numeral_token_re"] = re.compile(rf"[{n}]+")
    data["numeral_at"] = _char_table(set(n))  # numeral_token_re's class, for counting its runs in place
    data["enumeration_re"] = re.compile(rf"^[{n}、,，\s]+$")
    data["enumeration_first"] = n + "、,，"  # or a space: where enumeration_re can match
    data["single_suffix_re"] = re.compile(r"[\u4e00-\u9fff]{0,3}?(?:驿站|工程|行动|计划|之家|服务站)")
    # Word lists asked "does any occur / start / end here" for every mention: tuples for str.startswith/
    # endswith, sets by length for the most asked endings (ends_with_any), one alternation for "occurs anywhere".
    k = data["kinds"]
    data["t"] = {key: tuple(words) for key, words in [
        *((key, data[key]) for key in ("media_suffixes", "media_context_after", "media_context_before",
                                        "back_reference_before", "weak_after")),
        *((key, k[key]) for key in ("work_suffixes", "brand", "award_after", "policy")),
        ("bad_starts", u["bad_starts"])]}
    data["ends"] = {key: by_length(data[key]) for key in ("negations", "name_suffixes")}
    data["in"] = {key: re.compile(alternation(words) if words else "(?!)") for key, words in [
        ("strong_after", data["strong_after"]), ("policy", k["policy"]), ("mechanism", k["mechanism"]),
        ("brand", k["brand"])]}
    # Verbs that introduce the list a numbered name counts (推进党建、业务、队伍“三融合”).
    words = [*data["verbs_before"], "履行", "划分为", "推动", "引领", "提出", "包括"]
    # verb_at finds the longest verb starting at each position; rank has each verb's place in the list
    # and the verbs it starts with, which occur there too.
    rank = {v: (i, [w for w in words if v.startswith(w)]) for i, v in enumerate(words)}
    data["list_verbs"] = (rank, re.compile(f"(?=({alternation(words)}))"))
    data["verbs"] = {key: (tuple(sorted(data[key], key=len, reverse=True)),
                           re.compile(alternation(data[key]) if data[key] else "(?!)"))
                     for key in ("verbs_before", "award_verbs")}
    t, found, verbs, ends = data["t"], data["in"], data["verbs"], data["ends"]
    data["classify"] = (data["strong_window"], t["award_after"], verbs["award_verbs"], data["award_window"],
                        ends["name_suffixes"], verbs["verbs_before"], data["verbs_window"], found["strong_after"],
                        t["weak_after"], found["policy"], t["policy"], found["mechanism"], found["brand"])
    data["exclude_title"] = (data["media"], t["media_suffixes"], t["media_context_after"], t["media_context_before"],
                             data["doc_types"], t["back_reference_before"],
                             max(map(len, [*t["media_context_before"], *t["back_reference_before"]]), default=0))
    data["exclude_name"] = (data["generic_terms"], data["enumeration_first"], data["enumeration_re"], ends["negations"])
    return data


def _up_to_stop(text: str, start: int, window: int) -> str:
    """The text from `start` to the next stop mark, at most `window` characters (may be empty)."""
    if not _COMPILED:  # interpreted, the regex's C loop is the cheaper one
        m = _UP_TO_STOP.match(text, start, start + window)
        return m.group() if m else ""
    end, stop = start, min(start + window, len(text))
    while end < stop and not ((c := ord(text[end])) < 0x10000 and _STOP_AT[c]):
        end += 1
    return text[start:end]


def _verb_before(text: str, pos: int, verbs: _Verbs, window: int, allow: str = "") -> str | None:
    ordered, present = verbs
    lo = pos - window - 6 if pos > window + 6 else 0
    if not present.search(text, lo, pos):  # the usual case: no such verb nearby at all
        return None
    seg = text[lo:pos]
    for v in ordered:
        i = seg.rfind(v)
        if i != -1:
            gap = seg[i + len(v):]
            if len(gap) <= window and not any(c in _STOP and c not in "0123456789" + allow for c in gap):
                return v
    return None


def _definition(text: str, m: Mention, prev: Mention | None, rules: dict, sentences: Offsets) -> str | None:
    """The explanation the document gives: glossary line, parenthesis, 即…, or the list it numbers.

    `sentences`: the text's SENTENCE_END offsets, asked in the mentions' order.
    """
    # A glossary line starts within 8 characters of the line start: "“X”：…".
    newline = text.rfind("\n", m.open - 9 if m.open > 9 else 0, m.open)
    if newline != -1 or m.open <= 8:
        head = text[newline + 1:m.open]
        tail = _GLOSSARY_TAIL.match(text, m.close)
        if tail and not any(c in _STOP for c in head):
            end = text.find("\n", tail.end())
            return text[tail.end():end if end != -1 else len(text)].strip() or None
    if text[m.close:m.close + 1] in "(（":
        depth, i = 0, m.close
        while i < len(text) and text[i] != "\n":
            depth += text[i] in "(（"
            depth -= text[i] in ")）"
            if depth == 0:
                inner = text[m.close + 1:i]
                return inner if len(inner) >= 4 else None
            i += 1
    if text[m.close:m.close + 1] == "即":  # compiled, startswith at an offset is a generic call
        _, end = sentences.bounds(m.close)
        return text[m.close + 1:end] or None
    if prev and m.open == prev.close + 1 and text[prev.close] == "的" and _LIST_MARK.search(prev.name):
        return prev.name
    if m.name[0] in rules["numerals"]:  # numeral_token_re.match; numbered_re matches only where it does
        s_start, _ = sentences.bounds(m.open)
        seg_start = text.rfind("”", s_start, m.open) + 1 or s_start
        seg = text[seg_start:m.open]
        first = seg.find("、")
        if first == -1:
            return None
        comma = max(seg.rfind(",", 0, first), seg.rfind("，", 0, first))
        start = comma + 1
        rank, verb_at = rules["list_verbs"]
        # The list starts after the last verb before its first 、; usually there is none to look for.
        # Each verb found may move the start, so those that occur are taken in the list's order.
        found = verb_at.findall(seg, start, first)
        if found:
            for v in sorted({w for v in found for w in rank[v][1]}, key=lambda v: rank[v][0]):
                i = seg.rfind(v, start, first)
                while i != -1 and seg[i + len(v)] == "、":
                    i = seg.rfind(v, start, i)
                if i != -1:
                    start = max(start, i + len(v))
        end = len(seg)
        if seg.endswith("的"):
            end -= 1
        etc = seg.rfind("等", seg.rfind("、"), end)
        if etc != -1:
            end = etc
        d = seg[start:end].strip()
        return d if "、" in d else None
    return None


def _excluded(text: str, m: Mention, rules: dict) -> bool:
    """Whether a mention is an outlet, a back-reference, a slogan or a term that names no programme."""
    # The rules asked, in one typed tuple each: a handful of dict look-ups fewer, and compiled,
    # `in` and str.startswith/endswith of typed values are direct calls.
    name, open_ = m.key, m.open
    if m.title:
        title_rules: _TitleRules = rules["exclude_title"]
        media, media_suffixes, context_after, context_before, doc_types, back_reference, reach = title_rules
        # As long as the longest word looked for before the title: compiled, text.endswith(words, 0,
        # open_) at an offset is a generic call, that of a slice a direct one.
        before = text[open_ - reach if open_ > reach else 0:open_]
        return (name in media or name.endswith(media_suffixes)
                or text[m.close:m.close + 6].startswith(context_after)
                or before.endswith(context_before) or name in doc_types or before.endswith(back_reference))
    name_rules: _NameRules = rules["exclude_name"]
    generic_terms, enum, enumeration, negations = name_rules
    size = len(name)
    return bool(size < 2 or name in generic_terms
                # enumeration_re matches only a name that starts and ends in its class (\s is str.isspace)
                or (name[0] in enum or name[0].isspace()) and (name[-1] in enum or name[-1].isspace())
                and enumeration.match(name)
                or (size >= 5 and name.isdigit())
                or "。" in name or "！" in name or "？" in name or "!" in name or "?" in name  # a sentence
                or (size > 8 and "我" in name) or (size > 45 and "+" not in name)
                or ends_with_any(text, m.chain[0], negations) is not None
                or text[m.close:m.close + 2] == "的“" and _LIST_MARK.search(name))


def _numbered(name: str, rules: dict) -> bool:
    """A numbered formula: 九大行动, 三个三, 一中心两平台."""
    numerals = rules["numerals"]  # numbered_re.match(name), without the regex call
    if len(name) >= 2 and name[0] in numerals and name[1] in rules["numbered_measures"]:
        return True
    if "、" in name and not all(rules["numeral_token_re"].search(p) for p in name.split("、")):
        return False  # 带头示范、带领一家…: a role description, not a numbered formula
    if not _COMPILED:
        return len(rules["numeral_token_re"].findall(name)) >= 2
    # Compiled, the runs of numerals are counted in place: findall is a generic call that builds a list.
    numeral_at: bytes = rules["numeral_at"]
    runs, inside = 0, False
    for i in range(len(name)):
        c = ord(name[i])
        numeral = c < 0x10000 and numeral_at[c] == 1
        if numeral and not inside:
            runs += 1
        inside = numeral
    return runs >= 2


def _classify(text: str, m: Mention, rules: dict) -> None:
    """Decide whether a mention that is not excluded names a programme and, if so, of which kind."""
    name, close = m.key, m.close
    if m.title:
        t = rules["t"]
        m.accepted = True
        work = name.endswith(t["work_suffixes"]) or text[close:close + 6].startswith(t["brand"])
        m.kind = "brand" if work else "policy_document"
        return
    # The rules this asks for every mention, in one tuple: a dozen dict look-ups fewer.
    # Typed, so that compiled str.startswith/endswith of a tuple are direct calls.
    spec: _ClassifyRules = rules["classify"]
    (window, award_after, award_verbs, award_window, name_suffixes, verbs_before, verbs_window, strong_after,
     weak_after, policy_word, policy_after, mechanism, brand) = spec
    own_after = _up_to_stop(text, close, window)
    # The kind needs to know about an award whatever else holds.
    award = (own_after.startswith(award_after)
             or _verb_before(text, m.chain[0], award_verbs, award_window, "、") is not None)
    formula = "+" in name or "＋" in name or (name.isascii() and name.isalnum())  # 1+N, or a code like A1
    # One signal is enough: the cheap ones are asked first, the rest only when those say no.
    # The words after a chain of quotes are those after its last (the usual chain is one quote).
    m.accepted = (award or m.nested or m.definition is not None or formula
                  or ends_with_any(name, len(name), name_suffixes) is not None
                  or _numbered(name, rules)
                  or bool(strong_after.search(after := own_after if m.chain[1] == close else
                                              _up_to_stop(text, m.chain[1], window)))
                  or after.startswith(weak_after)
                  or _verb_before(text, m.chain[0], verbs_before, verbs_window) is not None)
    if not m.accepted:
        return  # the kind of a rejected mention is never read
    if award:
        m.kind = "award"
    elif policy_word.search(name, len(name) - 3) or own_after.startswith(policy_after) or "政策" in own_after:
        m.kind = "policy_document"
    elif (formula or mechanism.search(tail := name[-4:] + " " + own_after)
          or (name[1:2] in "个项种类支方条" and _numbered(name, rules))):
        m.kind = "mechanism"
    elif brand.search(tail):
        m.kind = "brand"


def _quote(text: str, m: Mention, clauses: Offsets) -> tuple[int, int]:
    """The clause around a mention, trimmed to a readable length that keeps the whole name."""
    s, e = clauses.bounds(m.start)
    s, e = s if s < m.open else m.open, e if e > m.close else m.close
    if e - s > _MAX_QUOTE:
        s = max(s, m.open - 20)
        e = max(m.close, min(e, s + _MAX_QUOTE))
    while s < m.open and text[s] in " \t\u3000\u00a0":
        s += 1
    return s, e


def extract_initiatives(doc: Document, seg: Segmentation) -> list[Initiative]:
    """Named programmes, once per (region, name), quoting the clause of their first mention."""
    rules, text = _rules(), doc.text
    ms = marked_names(text, rules["single_suffix_re"])
    chain_runs(text, ms)
    starts, ordered = passage_index(seg.passages)
    region_names = [p.region.name if p.region else None for p in ordered]
    definitions: dict[str, str] = {}  # the first definition given anywhere, per name
    # A name is a programme when any of its mentions in the region says so; quote the first.
    # Per (region, name): the first mention, its passage and the first accepted mention.
    groups: dict[tuple[str | None, str], list] = {}
    taken: set[str] = set()  # names some quoted mention made a programme: unquoted finds skip them
    # Sentence and clause bounds are asked in the text's order: compiled, Offsets walks on from the
    # last answer where a bisect is a generic call.
    sentences = Offsets(delimiters(text, SENTENCE_END), len(text))
    prev, i, last = None, -1, len(starts) - 1
    for m in ms:
        key = m.key = normalize(m.name)
        # An excluded mention needs neither a definition nor a kind: it is left out of both.
        if _excluded(text, m, rules):
            prev = m
            continue
        # The last passage starting at or before the mention (bisect_right - 1): mentions come in order.
        while i < last and starts[i + 1] <= m.open:
            i += 1
        group = None
        if i >= 0 and m.open < ordered[i].end:
            group = groups.get(group_key := (region_names[i], key))
            if group is None:
                group = groups[group_key] = [m, ordered[i], None]
        if group is not None and group[2] is not None:
            # Accepted already: a later mention only matters for a definition the name lacks.
            if key not in definitions and (d := _definition(text, m, prev, rules, sentences)):
                definitions[key] = d
        else:
            m.definition = d = _definition(text, m, prev, rules, sentences)
            if d and key not in definitions:
                definitions[key] = d
            _classify(text, m, rules)
            if m.accepted:
                taken.add(key)
                if group is not None:
                    group[2] = m
        prev = m
    unquoted = unquoted_names(text, taken, rules["unquoted_re"], rules["t"]["bad_starts"], rules["unquoted_reach"])
    for u in unquoted:  # in the text's order, like the quoted mentions
        p = passage_at((starts, ordered), u.open)
        if p is None:
            continue
        group = groups.get(group_key := (p.region.name if p.region else None, u.key))
        if group is None:
            groups[group_key] = [u, p, u]
            continue
        if u.open < group[0].open:
            group[0], group[1] = u, p
        if group[2] is None or u.open < group[2].open:
            group[2] = u
    # Groups in the order of their first mention: on the same quote start, the earlier name first.
    ordered_groups = sorted(groups.items(), key=lambda g: g[1][0].open) if unquoted else groups.items()
    out, clauses, doc_name = [], Offsets(delimiters(text, CLAUSE_END), len(text)), doc.name
    for (region, key), (first, p, best) in ordered_groups:
        if best is None:
            continue
        named: Mention = first  # typed: compiled, a native object's fields are then read directly
        chosen: Mention = best
        s, e = _quote(text, named, clauses)
        unit = p.region
        # Set the fields directly: a frozen dataclass's __init__ goes through object.__setattr__ for
        # each of the ten. One by one into the instance's own dict, in the fields' order (as
        # segment does for Passage): a dict built to update it cost ~800 instructions more.
        initiative = _new(Initiative)
        fields: dict = initiative.__dict__
        fields["doc"] = doc_name
        fields["region"] = region
        fields["name"] = named.name
        fields["kind"] = chosen.kind
        fields["definition"] = definitions.get(key)
        fields["quote"] = text[s:e]
        fields["start"] = s
        fields["end"] = e
        fields["region_en"] = unit.en if unit else None
        fields["quoted"] = chosen.quoted
        out.append(initiative)
    out.sort(key=lambda i: i.start)
    return out
