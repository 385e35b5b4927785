"""Initiatives: named programmes, mechanisms, brands, awards and policy documents a region uses."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Final

from mypy_extensions import mypyc_attr

from briefgen.documents import Document
from briefgen.extract.initiative_rules import ClassifyRules, InitiativeRules, NameRules, TitleRules, Verbs, load_rules
from briefgen.extract.mentions import NameMention, chain_runs, marked_names, normalize, unquoted_names
from briefgen.extract.scan import CLAUSE_END, SENTENCE_END, Offsets, TextScan
from briefgen.extract.segment import Segmentation, passage_in, passage_index
from briefgen.extract.words import ends_with_any

FIELDS = ("doc", "region", "name", "kind", "definition", "quote", "start", "end")
KINDS = ("initiative", "mechanism", "policy_document", "brand", "award")

_STOP: Final = set(CLAUSE_END) | set("、“”《》()（）") | set("0123456789")
_GLOSSARY_TAIL: Final = re.compile(r"[\u4e00-\u9fff]{0,12}[:：]")
_UP_TO_STOP: Final = re.compile("[^" + re.escape("".join(sorted(_STOP))) + "]*")
_LIST_MARK: Final = re.compile("[、,，]")
_MAX_QUOTE: Final = 60


@mypyc_attr(native_class=False)  # see briefgen/native.py
# Not frozen, for the cost of its __init__: see facts.Fact.
@dataclass(unsafe_hash=True)
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


def _up_to_stop(text: str, start: int, window: int) -> str:
    """The text from `start` to the next stop mark, at most `window` characters (may be empty)."""
    m = _UP_TO_STOP.match(text, start, start + window)
    return m.group() if m else ""


def _verb_before(text: str, pos: int, verbs: Verbs, window: int, allow: str = "") -> str | None:
    ordered, present = verbs.ordered, verbs.present
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


def _definition(text: str, m: NameMention, prev: NameMention | None, rules: InitiativeRules, sentences: Offsets) -> str | None:
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
    if m.name[0] in rules.numerals:  # numeral_token_re.match; numbered_re matches only where it does
        s_start, _ = sentences.bounds(m.open)
        seg_start = text.rfind("”", s_start, m.open) + 1 or s_start
        seg = text[seg_start:m.open]
        first = seg.find("、")
        if first == -1:
            return None
        comma = max(seg.rfind(",", 0, first), seg.rfind("，", 0, first))
        start = comma + 1
        rank, verb_at = rules.list_verbs.rank, rules.list_verbs.at
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


def _excluded(text: str, m: NameMention, rules: InitiativeRules) -> bool:
    """Whether a mention is an outlet, a back-reference, a slogan or a term that names no programme."""
    name, open_ = m.key, m.open
    if m.title:
        t: TitleRules = rules.title
        # As long as the longest word looked for before the title: compiled, text.endswith(words, 0,
        # open_) at an offset is a generic call, that of a slice a direct one.
        before = text[open_ - t.reach if open_ > t.reach else 0:open_]
        return (name in t.media or name.endswith(t.media_suffixes)
                or text[m.close:m.close + 6].startswith(t.context_after)
                or before.endswith(t.context_before) or name in t.doc_types or before.endswith(t.back_reference))
    n: NameRules = rules.name
    enum, size = n.enumeration_first, len(name)
    return bool(size < 2 or name in n.generic_terms
                # enumeration matches only a name that starts and ends in its class (\s is str.isspace)
                or (name[0] in enum or name[0].isspace()) and (name[-1] in enum or name[-1].isspace())
                and n.enumeration.match(name)
                or (size >= 5 and name.isdigit())
                or "。" in name or "！" in name or "？" in name or "!" in name or "?" in name  # a sentence
                or (size > 8 and "我" in name) or (size > 45 and "+" not in name)
                or ends_with_any(text, m.chain[0], n.negations) is not None
                or text[m.close:m.close + 2] == "的“" and _LIST_MARK.search(name))


def _numbered(name: str, rules: InitiativeRules) -> bool:
    """A numbered formula: 九大行动, 三个三, 一中心两平台."""
    numerals = rules.numerals  # numbered_re.match(name), without the regex call
    if len(name) >= 2 and name[0] in numerals and name[1] in rules.numbered_measures:
        return True
    if "、" in name and not all(rules.numeral_token_re.search(p) for p in name.split("、")):
        return False  # 带头示范、带领一家…: a role description, not a numbered formula
    return len(rules.numeral_token_re.findall(name)) >= 2


def _classify(text: str, m: NameMention, rules: InitiativeRules) -> None:
    """Decide whether a mention that is not excluded names a programme and, if so, of which kind."""
    name, close = m.key, m.close
    c: ClassifyRules = rules.classify
    if m.title:
        m.accepted = True
        work = name.endswith(c.work_suffixes) or text[close:close + 6].startswith(c.brand_words)
        m.kind = "brand" if work else "policy_document"
        return
    window = c.window
    own_after = _up_to_stop(text, close, window)
    # The kind needs to know about an award whatever else holds.
    award = (own_after.startswith(c.award_after)
             or _verb_before(text, m.chain[0], c.award_verbs, c.award_window, "、") is not None)
    formula = "+" in name or "＋" in name or (name.isascii() and name.isalnum())  # 1+N, or a code like A1
    # One signal is enough: the cheap ones are asked first, the rest only when those say no.
    # The words after a chain of quotes are those after its last (the usual chain is one quote).
    m.accepted = (award or m.nested or m.definition is not None or formula
                  or ends_with_any(name, len(name), c.name_suffixes) is not None
                  or _numbered(name, rules)
                  or bool(c.strong_after.search(after := own_after if m.chain[1] == close else
                                              _up_to_stop(text, m.chain[1], window)))
                  or after.startswith(c.weak_after)
                  or _verb_before(text, m.chain[0], c.verbs_before, c.verbs_window) is not None)
    if not m.accepted:
        return  # the kind of a rejected mention is never read
    if award:
        m.kind = "award"
    elif c.policy_word.search(name, len(name) - 3) or own_after.startswith(c.policy_after) or "政策" in own_after:
        m.kind = "policy_document"
    elif (formula or c.mechanism.search(tail := name[-4:] + " " + own_after)
          or (name[1:2] in "个项种类支方条" and _numbered(name, rules))):
        m.kind = "mechanism"
    elif c.brand.search(tail):
        m.kind = "brand"


def _quote(text: str, m: NameMention, clauses: Offsets) -> tuple[int, int]:
    """The clause around a mention, trimmed to a readable length that keeps the whole name."""
    s, e = clauses.bounds(m.start)
    s, e = s if s < m.open else m.open, e if e > m.close else m.close
    if e - s > _MAX_QUOTE:
        s = max(s, m.open - 20)
        e = max(m.close, min(e, s + _MAX_QUOTE))
    while s < m.open and text[s] in " \t\u3000\u00a0":
        s += 1
    return s, e


def extract_initiatives(doc: Document, seg: Segmentation, scan: TextScan | None = None) -> list[Initiative]:
    """Named programmes, once per (region, name), quoting the clause of their first mention.

    `scan` is the document text's TextScan when the caller has one (facts scans the same text).
    """
    rules, text = load_rules(), doc.text
    scan = scan if scan is not None else TextScan(text)
    ms = marked_names(scan, rules.single_suffix)
    chain_runs(text, ms)
    starts, ordered = passage_index(seg.passages)
    region_names = [p.region.name if p.region else None for p in ordered]
    definitions: dict[str, str] = {}  # the first definition given anywhere, per name
    # A name is a programme when any of its mentions in the region says so; quote the first.
    # Per (region, name): the first mention, its passage and the first accepted mention.
    groups: dict[tuple[str | None, str], list] = {}
    taken: set[str] = set()  # names some quoted mention made a programme: unquoted finds skip them
    sentences = Offsets(scan.delimiters(SENTENCE_END), len(text))
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
    unquoted = unquoted_names(text, taken, rules.unquoted)
    for u in unquoted:  # in the text's order, like the quoted mentions
        p = passage_in((starts, ordered), u.open)
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
    out, clauses, doc_name = [], Offsets(scan.delimiters(CLAUSE_END), len(text)), doc.name
    for (region, key), (first, p, best) in ordered_groups:
        if best is None:
            continue
        named: NameMention = first  # typed: compiled, a native object's fields are then read directly
        chosen: NameMention = best
        s, e = _quote(text, named, clauses)
        unit = p.region
        initiative = Initiative(doc_name, region, named.name, chosen.kind, definitions.get(key), text[s:e], s, e,
                                unit.en if unit else None, chosen.quoted)
        out.append(initiative)
    out.sort(key=lambda i: i.start)
    return out
