"""Parallel texts: split a Treaty-style document into provisions by their labels, and align two versions.

A provision's label is where it stands in the document (``Protocol Part I para. 18 (a)``), read from the
headings and numbers every language version shares: Article/Part/Annex/Table headings, paragraph
numbers (``18.``, ``18``, ``### 18``), lettered and roman sub-paragraphs (``a)``, ``(a)``, ``(ii)``) and
table rows (``| 5 | ...``). Two versions are aligned on the labels both carry once, in order; the
stretches between two such anchors (unnumbered headings, chapeau continuations, a differently laid out
list) are aligned by length, Gale and Church (1993) style. What neither method pairs is reported.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from glossary.errors import InputError
from glossary.textnorm import dominant_script, strip_accents

# --- labels ------------------------------------------------------------------------------------------

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_ORDINALS = {  # "ARTICLE PREMIER", "PREMIÈRE PARTIE", Chinese 第一条 / 第一部分
    "premier": 1, "premiere": 1, "deuxieme": 2, "troisieme": 3, "primera": 1, "segunda": 2, "tercera": 3,
}
_HAN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
#: Lines of a record that are not text of the document (the Dutch record's status note, an HTML tag).
_NOT_TEXT = re.compile(r"^(<meta\b|treedt in werking)", re.I)
_HEADING = re.compile(r"^#{1,6}\s*")
_DOC_PROTOCOL = re.compile(r"protoc|议定书|протокол|البروتوكول", re.I)
_ARTICLE = re.compile(r"^(?:article|art[ií]culo|статья)\s+([ivxlc]+|\d+|premier)\b|^第([一二三四五六七八九十]+)条", re.I)
_PART = re.compile(r"^(?:part|parte|часть)\s+([ivx]+|\d+)\b|^(premi[eè]re|deuxi[eè]me|troisi[eè]me)\s+partie"
                   r"|^第([一二三]+)部分", re.I)
_ANNEX = re.compile(r"^(?:annex|annexe|anexo|приложение)\s+(\d)\b|^附件([一二12])", re.I)
_TABLE = re.compile(r"^(?:table|tableau|cuadro|таблица)\s+(\d(?:-[ab])?)\b|^表\s*(\d(?:-[AB])?)", re.I)
_SECTION = re.compile(r"^([A-H])(?:[.\s]|$)")
_PARA = re.compile(r"^(\d{1,3})(?:\.\s*|\s+|．|\.(?=\S))(?=\S)")
_PARA_HEADING = re.compile(r"^(\d{1,3})$")
_SUB = re.compile(r"^\(?([a-z]{1,2}|[ivx]{1,5})\)\s*(?=\S)")
_ROW = re.compile(r"^\|?\s*(\d{1,3})\s*\|")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_TABLE_HEADER = re.compile(r"^\|\s*(?:-{3}\s*)?\|")


def _number(token: str) -> int | None:
    token = strip_accents(token).lower()
    if token.isdigit():
        return int(token)
    if token in _ORDINALS:
        return _ORDINALS[token]
    if all(c in _ROMAN for c in token):
        total = 0
        for a, b in zip(token, token[1:] + " "):
            value = _ROMAN[a]
            total += -value if b != " " and _ROMAN[b] > value else value
        return total
    if all(c in _HAN_DIGITS for c in token):
        if token.startswith("十"):
            return 10 + (_HAN_DIGITS[token[1]] if len(token) > 1 else 0)
        if len(token) == 1:
            return _HAN_DIGITS[token]
        return _HAN_DIGITS[token[0]] * 10 + (_HAN_DIGITS[token[2]] if len(token) > 2 else 0)
    return None


def _roman(n: int) -> str:
    out = []
    for value, letters in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


@dataclass(frozen=True)
class Segment:
    """One provision (or heading, or table row) of a document, with where it stands."""

    text: str
    line: int
    ref: str
    label: tuple[str, ...] | None = None
    heading: bool = False
    path: str = ""


@dataclass
class _State:
    document: str = "Treaty"
    container: tuple[str, ...] = ()
    section: str | None = None
    para: str | None = None
    sub: str | None = None
    roman: str | None = None
    row_table: bool = False
    pending_para: str | None = None

    def ref(self, *, heading: bool = False) -> str:
        parts = [self.document, *self.container]
        if self.para and not heading:
            parts.append(("row " if self.row_table else "para. ") + self.para)
            if self.sub:
                parts.append(f"({self.sub})")
            if self.roman:
                parts.append(f"({self.roman})")
        return " ".join(parts)


def _plain(line: str) -> str:
    """A line without Markdown emphasis and with single spaces."""
    return " ".join(line.replace("*", " ").split())


def segment_text(text: str, path: str = "<text>") -> list[Segment]:
    """The provisions of one document, in order; headings directly followed by their title are one."""
    state = _State()
    segments: list[Segment] = []
    headed = False  # the previous segment is a labelled heading still waiting for its title line
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or _NOT_TEXT.match(line) or _TABLE_RULE.match(line):
            continue
        is_heading = bool(_HEADING.match(line))
        body = _plain(_HEADING.sub("", line))
        if not body:
            continue
        if is_heading:
            label = _heading_label(body, state, first=not segments)
            if label is None and headed and segments:
                last = segments[-1]  # "### Article I" + "####Basic obligations": one heading
                segments[-1] = Segment(f"{last.text} {body}", last.line, last.ref, last.label, True, path)
                headed = False
                continue
            if label == ("para",):  # the Dutch Protocol's "### 18": the paragraph's text follows
                continue
            headed = label is not None
            segments.append(Segment(body, number, state.ref(heading=True), label, True, path))
            continue
        headed = False
        segments.append(_body_segment(body, number, state, path))
    return segments


def _heading_label(body: str, state: _State, first: bool) -> tuple[str, ...] | None:
    """Update the state for a heading; the heading's own label, or None for an unnumbered one."""
    if first and _DOC_PROTOCOL.search(body):
        state.document = "Protocol"
    if m := _PARA_HEADING.match(body):
        state.pending_para = m.group(1)
        return ("para",)
    container = None
    if m := _ARTICLE.match(body):
        container = ("Art. " + _roman(_number(m.group(1) or m.group(2)) or 0),)
    elif m := _PART.match(body):
        container = ("Part " + _roman(_number(next(g for g in m.groups() if g)) or 0),)
    elif m := _ANNEX.match(body):
        container = ("Annex " + str(_number(m.group(1) or m.group(2)) or m.group(1) or m.group(2)),)
    elif m := _TABLE.match(body):
        annex = tuple(c for c in state.container if c.startswith("Annex"))[:1]
        container = (*annex, "Table " + (m.group(1) or m.group(2)).upper())
    if container is not None:
        state.container, state.section = container, None
        state.para = state.sub = state.roman = None
        state.row_table = container[-1].startswith("Table")
        return (state.document, *container, "heading")
    if (m := _SECTION.match(body)) and state.container:
        state.section = m.group(1)
        state.sub = state.roman = None  # paragraph numbers run on across sections
        return (state.document, *state.container, "section " + m.group(1))
    if re.match(r"^(preamble|préambule|preámbulo|преамбула|序言|الديباجة)", body, re.I):
        state.container = ("Preamble",)
        state.para = None
        return (state.document, "Preamble")
    return None


def _body_segment(body: str, number: int, state: _State, path: str) -> Segment:
    """A text line: a paragraph, a sub-paragraph, a table row, or unnumbered text (label None)."""
    label: tuple[str, ...] | None = None
    if state.row_table and (m := _ROW.match(body)):
        state.para, state.sub, state.roman = m.group(1), None, None
        label = (state.document, *state.container, "row " + m.group(1))
    elif state.row_table and _TABLE_HEADER.match(body) or state.row_table and body.startswith("|"):
        label = (state.document, *state.container, "header")
    elif state.pending_para is not None:
        state.para, state.sub, state.roman, state.pending_para = state.pending_para, None, None, None
        label = (state.document, *state.container, "para " + state.para)
    elif (m := _PARA.match(body)) and _plausible_para(int(m.group(1)), state):
        state.para, state.sub, state.roman = m.group(1), None, None
        label = (state.document, *state.container, "para " + state.para)
    elif (m := _SUB.match(body)) and state.para:
        token = m.group(1)
        if _is_roman_item(token, state):
            state.roman = token
        else:
            state.sub, state.roman = token, None
        label = (state.document, *state.container, "para " + state.para, state.sub or "", state.roman or "")
    ref = state.ref()
    return Segment(body, number, ref if label else ref + " (text)", label, path=path)


def _plausible_para(n: int, state: _State) -> bool:
    """A number opening a line is a paragraph number when it continues the numbering (not "40 stations")."""
    if not state.para or state.row_table:  # the first numbered paragraph of a container (an excerpt may start late)
        return 1 <= n <= 200
    current = int(state.para) if state.para.isdigit() else 0
    return current < n <= current + 3


def _is_roman_item(token: str, state: _State) -> bool:
    """``(i)`` after ``(h)`` is a letter; after another letter (or inside roman items) it is a roman numeral."""
    if not all(c in "ivx" for c in token):
        return False
    if state.roman is not None:
        return True
    if state.sub is None:
        return False
    previous = state.sub
    if len(token) == 1 and len(previous) == 1 and ord(token) == ord(previous) + 1:
        return False
    return token == "i"


# --- alignment ---------------------------------------------------------------------------------------


@dataclass
class AlignedPair:
    """Source and target segments that say the same thing; ``how`` is ``label`` or ``length``."""

    source: list[Segment]
    target: list[Segment]
    how: str

    @property
    def ref(self) -> str:
        return (self.source or self.target)[0].ref

    @property
    def source_text(self) -> str:
        return " ".join(s.text for s in self.source)

    @property
    def target_text(self) -> str:
        return " ".join(s.text for s in self.target)


@dataclass
class Alignment:
    """The aligned pairs of two documents and what stayed unaligned on each side."""

    pairs: list[AlignedPair] = field(default_factory=list)
    unaligned_source: list[Segment] = field(default_factory=list)
    unaligned_target: list[Segment] = field(default_factory=list)
    source_segments: int = 0
    target_segments: int = 0

    @property
    def by_label(self) -> int:
        return sum(p.how == "label" for p in self.pairs)

    @property
    def share(self) -> float:
        """Share of all segments (both sides) that ended up in an aligned pair."""
        total = self.source_segments + self.target_segments
        aligned = total - len(self.unaligned_source) - len(self.unaligned_target)
        return aligned / total if total else 0.0

    def summary(self) -> dict:
        return {"pairs": len(self.pairs), "by_label": self.by_label, "by_length": len(self.pairs) - self.by_label,
                "source_segments": self.source_segments, "target_segments": self.target_segments,
                "unaligned_source": len(self.unaligned_source), "unaligned_target": len(self.unaligned_target),
                "share": round(self.share, 4)}


def _anchors(source: list[Segment], target: list[Segment]) -> list[tuple[int, int]]:
    """Index pairs of labels found exactly once on each side, kept in order on both (longest chain)."""
    src_count = Counter(s.label for s in source if s.label)
    tgt_count = Counter(t.label for t in target if t.label)
    tgt_index = {t.label: j for j, t in enumerate(target) if t.label and tgt_count[t.label] == 1}
    candidates = [(i, tgt_index[s.label]) for i, s in enumerate(source)
                  if s.label and src_count[s.label] == 1 and s.label in tgt_index]
    # longest increasing subsequence on the target index (patience sorting), so no two anchors cross
    tails: list[int] = []
    tails_at: list[int] = []
    back = [-1] * len(candidates)
    for k, (_i, j) in enumerate(candidates):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < j:
                lo = mid + 1
            else:
                hi = mid
        back[k] = tails_at[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(j)
            tails_at.append(k)
        else:
            tails[lo], tails_at[lo] = j, k
    chain, k = [], tails_at[-1] if tails_at else -1
    while k != -1:
        chain.append(candidates[k])
        k = back[k]
    return chain[::-1]


#: Gale-Church priors of the bead types (1-1, 1-0, 0-1, 2-1, 1-2, 2-2) and the variance of the length ratio.
_BEADS = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2, (2, 2): 0.011}
_VARIANCE = 6.8


#: Length cost of leaving a segment unpaired: the prior of a 1-0 bead already says how rare that is.
_ONE_SIDED = 3.0


def _match_cost(len_s: int, len_t: int, ratio: float) -> float:
    if len_s == 0 or len_t == 0:
        return 0.0 if len_s == len_t else _ONE_SIDED
    mean = (len_s + len_t / ratio) / 2
    z = abs(ratio * len_s - len_t) / math.sqrt(max(mean, 1e-9) * _VARIANCE)
    tail = max(2 * (1 - 0.5 * (1 + math.erf(z / math.sqrt(2)))), 1e-12)
    return -math.log(tail)


#: Prior of a bead that joins one segment to many (a list written on one line in one version and one item a
#: line in the other); offered only where one side of a stretch has several times as many segments.
_MANY_PRIOR = 0.0005


#: Cost of pairing a heading with running text (headings are short, so length alone often would).
_KIND_MISMATCH = 8.0


def gale_church(source_lengths: list[int], target_lengths: list[int], ratio: float = 1.0,
                source_headings: list[bool] | None = None, target_headings: list[bool] | None = None
                ) -> list[tuple[int, int, int, int]]:
    """Length-based alignment of two short runs: beads as (source start, source end, target start, target end).

    With ``*_headings``, a bead that pairs a heading with text pays an extra cost."""
    n, m = len(source_lengths), len(target_lengths)
    beads_allowed = dict(_BEADS)
    if n and m and max(n, m) >= 3 * min(n, m):
        reach = min(60, 2 * math.ceil(max(n, m) / min(n, m)))
        for k in range(3, reach + 1):
            beads_allowed[(1, k) if m > n else (k, 1)] = _MANY_PRIOR
    priors = {bead: -math.log(p) for bead, p in beads_allowed.items()}
    src_sum, tgt_sum = [0], [0]
    for length in source_lengths:
        src_sum.append(src_sum[-1] + length)
    for length in target_lengths:
        tgt_sum.append(tgt_sum[-1] + length)
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    step: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            best, best_step = inf, None
            for (di, dj), prior in priors.items():
                if di > i or dj > j:
                    continue
                before = cost[i - di][j - dj]
                if before == inf:
                    continue
                c = before + prior + _match_cost(src_sum[i] - src_sum[i - di], tgt_sum[j] - tgt_sum[j - dj], ratio)
                if di and dj and source_headings and target_headings:
                    src_h, tgt_h = sum(source_headings[i - di:i]), sum(target_headings[j - dj:j])
                    if src_h != tgt_h or 0 < src_h < di or 0 < tgt_h < dj:
                        c += _KIND_MISMATCH
                if c < best:
                    best, best_step = c, (di, dj)
            cost[i][j], step[i][j] = best, best_step
    beads, i, j = [], n, m
    while i or j:
        di, dj = step[i][j]
        beads.append((i - di, i, j - dj, j))
        i, j = i - di, j - dj
    return beads[::-1]


#: Longest stretch between anchors the quadratic length alignment takes on; longer ones stay unaligned.
_MAX_STRETCH = 400


def align_segments(source: list[Segment], target: list[Segment]) -> Alignment:
    """Pair provisions by label, then the stretches between label anchors by length."""
    result = Alignment(source_segments=len(source), target_segments=len(target))
    anchors = _anchors(source, target)
    src_chars = sum(len(source[i].text) for i, _ in anchors)
    tgt_chars = sum(len(target[j].text) for _, j in anchors)
    ratio = tgt_chars / src_chars if src_chars and tgt_chars else 1.0
    bounds = [(-1, -1), *anchors, (len(source), len(target))]
    for (i0, j0), (i1, j1) in zip(bounds, bounds[1:]):
        src_run, tgt_run = source[i0 + 1:i1], target[j0 + 1:j1]
        if src_run or tgt_run:
            _align_stretch(src_run, tgt_run, ratio, result)
        if i1 < len(source):
            result.pairs.append(AlignedPair([source[i1]], [target[j1]], "label"))
    return result


def _align_stretch(src_run: list[Segment], tgt_run: list[Segment], ratio: float, result: Alignment) -> None:
    if result.pairs and (not src_run or not tgt_run) and not any(s.label or s.heading for s in src_run + tgt_run):
        # unnumbered text after a provision on one side only: the other version ran it on in the same
        # line (a chapeau's closing words after the last sub-paragraph), so it belongs to that provision
        previous = result.pairs[-1]
        previous.source.extend(src_run)
        previous.target.extend(tgt_run)
        return
    if not src_run or not tgt_run or len(src_run) + len(tgt_run) > _MAX_STRETCH:
        result.unaligned_source.extend(src_run)
        result.unaligned_target.extend(tgt_run)
        return
    beads = gale_church([len(s.text) for s in src_run], [len(t.text) for t in tgt_run], ratio,
                        [s.heading for s in src_run], [t.heading for t in tgt_run])
    for n, (s0, s1, t0, t1) in enumerate(beads):
        one_sided = src_run[s0:s1] + tgt_run[t0:t1]
        if (s1 == s0 or t1 == t0) and n == 0 and result.pairs and not any(x.label or x.heading for x in one_sided):
            result.pairs[-1].source.extend(src_run[s0:s1])  # run-on text of the provision before the stretch
            result.pairs[-1].target.extend(tgt_run[t0:t1])
        elif s1 == s0:
            result.unaligned_target.extend(tgt_run[t0:t1])
        elif t1 == t0:
            result.unaligned_source.extend(src_run[s0:s1])
        else:
            result.pairs.append(AlignedPair(src_run[s0:s1], tgt_run[t0:t1], "length"))


# --- language check ----------------------------------------------------------------------------------

#: Frequent function words that tell the Latin-script languages apart.
_FUNCTION_WORDS = {
    "en": frozenset("the of and to shall in be by with for any its which this that on or as".split()),
    "fr": frozenset("le la les des de du et à un une au aux est sont par pour dans qui que sur".split()),
    "es": frozenset("el la los las de del y en que por con para una un se al su".split()),
}
_SCRIPT_OF_LANGUAGE = {"ar": "arabic", "zh": "han", "ru": "cyrillic", "en": "latin", "fr": "latin", "es": "latin"}


def guess_language(text: str) -> str | None:
    """The language of a text among the six, from its script and, for Latin script, its function words."""
    script = dominant_script(text[:200_000])
    if script is None:
        return None
    if script != "latin":
        return {"arabic": "ar", "han": "zh", "cyrillic": "ru"}[script]
    words = Counter(re.findall(r"[a-zà-ÿ]+", text[:200_000].lower()))
    scores = {lang: sum(words[w] for w in vocab) for lang, vocab in _FUNCTION_WORDS.items()}
    best = max(scores, key=scores.get)
    return best if scores[best] else None


def check_language(text: str, lang: str, path: str) -> None:
    """Refuse a text that is not in the language it is said to be in."""
    guessed = guess_language(text)
    if guessed is None:
        raise InputError("no text in any of the six languages", path)
    if guessed != lang and not (_SCRIPT_OF_LANGUAGE[guessed] == _SCRIPT_OF_LANGUAGE[lang] == "latin"
                                and _close_call(text, lang, guessed)):
        raise InputError(f"this text reads as {guessed!r}, not {lang!r} (check --src/--tgt)", path)


def _close_call(text: str, lang: str, guessed: str) -> bool:
    words = Counter(re.findall(r"[a-zà-ÿ]+", text[:200_000].lower()))
    said = sum(words[w] for w in _FUNCTION_WORDS[lang])
    best = sum(words[w] for w in _FUNCTION_WORDS[guessed])
    return said >= 0.8 * best
