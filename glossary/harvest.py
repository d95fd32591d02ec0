"""Harvest: target-language equivalents of termbase concepts from an aligned parallel text, with evidence.

For every concept whose source-language term occurs in the source text, the target n-grams of the
aligned segments are scored by how exactly they co-occur with it across segments (Dice; log-likelihood
is reported beside it), with the lengths of the two expressions and, between Latin-script languages, their
spelling as tie-breakers. Known pairs of the termbase are anchors: target words another concept already
explains in a segment are not offered again. Each result carries what a terminologist needs to confirm
it: inflected forms seen, number of segments, provision references and KWIC lines on both sides, and how
it stands against the termbase head (``confirms``, ``fills``, ``differs``, ``new``).
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from glossary.errors import InputError
from glossary.lookup import match_key
from glossary.model import Concept, Termbase
from glossary.parallel import AlignedPair, Alignment, align_segments, check_language, segment_text

MARKS = ("confirms", "fills", "differs", "new")
#: Score a proposal needs to be reported (Dice weighted by length fit, word links and spelling; see
#: :func:`_score`). 0.4 is where en->fr on the Treaty and Protocol reaches precision 0.9 at recall 0.8
#: (scripts/eval_harvest.py prints the whole curve); lower it to see more, less certain, proposals.
MIN_SCORE = 0.4
MAX_NGRAM = 7
#: Word-level Dice (over the whole text) below which a target word is not a translation of any source word.
WORD_FLOOR = 0.1
#: Weight of agreeing with the word links (see Harvester._link_span), relative to the association score.
LINK_BONUS = 0.5
#: Added to the denominator of word-level Dice, so that words seen together once or twice score low.
WORD_SMOOTHING = 2

#: Words that neither open nor close a term (articles, prepositions, conjunctions, auxiliaries), as keys.
_STOPWORDS = {
    "en": frozenset("a an the of and or to in on at by for with from as is are be shall its their this that such "
                    "any all each which who other may not no under into upon within between".split()),
    "fr": frozenset("le la les l un une des de du d et ou à au aux en par pour sur dans avec sans sous que qui "
                    "se sa son ses leur leurs ce cet cette ces est sont être tout toute tous toutes ne pas y "
                    "qu s lui il elle ils elles doit peut comme afin ainsi".split()),
    "es": frozenset("el la los las un una unos unas de del al y o e en por para con sin sobre que se su sus "
                    "este esta estos estas es son lo".split()),
    "ru": frozenset("и в во на по с со к о об от до из за для или а не что который которая которые его ее их "
                    "это этот эта".split()),
    "ar": frozenset("في من على إلى الى عن و أو او أن ان التي الذي ذلك هذه هذا".split()),
    "zh": frozenset("的 和 与 及 或 在 对 由 为 其 并 应 将 于 以 是 中 等 各 该 所 之 被 把 从 向 也 而 均 这些 此种 "
                    "上述 任何 一切 所有 每一 不".split()),
}
#: lookup's search key, cached per word: a text repeats its words, and keying is the tokenizer's main cost.
_word_key = functools.lru_cache(maxsize=1 << 16)(match_key)
STOPWORDS = {lang: frozenset(_word_key(w) for w in words) for lang, words in _STOPWORDS.items()}
_WORD = re.compile(r"[^\W_]+(?:[-‐‑][^\W_]+)*")
_ELISION = re.compile(r"^(?:[ldjmnstc]|qu|jusqu|lorsqu|puisqu)['’]", re.I)


@dataclass(frozen=True)
class Token:
    text: str
    stem: str
    start: int
    end: int


def _stem(key: str, lang: str) -> str:
    """Light inflection folding for grouping forms: plural -s/-x of Latin-script words."""
    if lang in ("en", "fr", "es") and len(key) > 3 and key[-1] in "sx" and not key.endswith("ss"):
        return key[:-1]
    return key


class Tokenizer:
    """Words (jieba tokens for Chinese) grouped in punctuation-free chunks, with lookup's search keys."""

    def __init__(self, lang: str, user_words: Iterable[str] = ()):
        self.lang = lang
        self._segmenter = None
        if lang == "zh":
            from glossary.segment import Segmenter

            self._segmenter = Segmenter(user_words)

    def chunks(self, text: str) -> list[list[Token]]:
        if self._segmenter is not None:
            return self._han_chunks(text)
        chunks, current, last_end = [], [], 0
        for m in _WORD.finditer(text):
            gap = text[last_end:m.start()]
            if current and re.search(r"[^\s'’\-]", gap):
                chunks.append(current)
                current = []
            word, start = m.group(), m.start()
            elided = _ELISION.match(text[start:m.end() + 1]) if self.lang == "fr" else None
            if elided and start + len(elided.group()) < m.end() + 1:
                word = text[start + len(elided.group()):m.end()]
                start += len(elided.group())
                current.append(Token(text[m.start():start], "d", m.start(), start))  # l', d', qu' as one function word
            key = _word_key(word).replace(" ", "-")
            if key:
                current.append(Token(word, _stem(key, self.lang), start, m.end()))
            last_end = m.end()
        if current:
            chunks.append(current)
        return chunks

    def _han_chunks(self, text: str) -> list[list[Token]]:
        chunks, current, offset = [], [], 0
        for word in self._segmenter.cut(text):
            start, offset = offset, offset + len(word)
            key = _word_key(word)
            if not key or not any(c.isalnum() for c in word):
                if current and word.strip():
                    chunks.append(current)
                    current = []
                continue
            current.append(Token(word, key.replace(" ", ""), start, offset))
        if current:
            chunks.append(current)
        return chunks

    def stems(self, term: str) -> tuple[str, ...]:
        return tuple(t.stem for chunk in self.chunks(term) for t in chunk)


# --- the indexed parallel text ----------------------------------------------------------------------


@dataclass
class _Side:
    """One language side of the aligned pairs: tokens per pair and where each n-gram occurs."""

    lang: str
    tokenizer: Tokenizer
    texts: list[str] = field(default_factory=list)
    chunks: list[list[list[Token]]] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)  # " stem stem | stem " per pair, for containment tests

    def add(self, text: str) -> None:
        chunks = self.tokenizer.chunks(text)
        self.texts.append(text)
        self.chunks.append(chunks)
        self.joined.append(" " + " | ".join(" ".join(t.stem for t in c) for c in chunks) + " ")

    def occurs(self, index: int, stems: tuple[str, ...]) -> bool:
        return bool(stems) and f" {' '.join(stems)} " in self.joined[index]

    def spans(self, index: int, stems: tuple[str, ...]) -> Iterator[tuple[int, int]]:
        """Character spans of ``stems`` in pair ``index``."""
        n = len(stems)
        for chunk in self.chunks[index]:
            for i in range(len(chunk) - n + 1):
                if tuple(t.stem for t in chunk[i:i + n]) == stems:
                    yield chunk[i].start, chunk[i + n - 1].end

    def ngrams(self, index: int) -> dict[tuple[str, ...], str]:
        """Term-like n-grams of pair ``index`` (no stopword at either end), each with one surface form."""
        stop = STOPWORDS.get(self.lang, frozenset())
        text = self.texts[index]
        out: dict[tuple[str, ...], str] = {}
        for chunk in self.chunks[index]:
            for i, first in enumerate(chunk):
                if not _can_bound(first.stem, stop):
                    continue
                for n in range(1, min(MAX_NGRAM, len(chunk) - i) + 1):
                    last = chunk[i + n - 1]
                    if not _can_bound(last.stem, stop):
                        continue
                    grams = tuple(t.stem for t in chunk[i:i + n])
                    out.setdefault(grams, text[first.start:last.end])
        return out


def _can_bound(stem: str, stop: frozenset) -> bool:
    """Whether a word can open or close a term: not a function word, a number or a lone Latin letter (the
    ``b`` of a sub-paragraph label)."""
    return stem not in stop and not stem.isdigit() and not (len(stem) == 1 and stem.isascii())


def _kwic(text: str, span: tuple[int, int], width: int = 40) -> str:
    start, end = span
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return f"{'…' if start > width else ''}{left}【{text[start:end]}】{right}{'…' if end + width < len(text) else ''}"


def _llr(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio of a 2x2 table."""
    def h(*counts: int) -> float:
        total = sum(counts)
        return sum(c * math.log(c / total) for c in counts if c)

    return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))


# --- results -----------------------------------------------------------------------------------------


@dataclass
class Equivalent:
    """One harvested equivalent and its evidence."""

    concept: str | None
    source_term: str
    target_term: str | None
    forms: list[str]
    score: float
    dice: float
    llr: float
    segments: int
    source_segments: int
    references: list[str]
    kwic_source: list[str]
    kwic_target: list[str]
    mark: str
    head: str | None = None
    head_status: str | None = None

    def as_dict(self) -> dict:
        return {"concept": self.concept, "source_term": self.source_term, "target_term": self.target_term,
                "forms": self.forms, "score": round(self.score, 3), "dice": round(self.dice, 3),
                "llr": round(self.llr, 1), "segments": self.segments, "source_segments": self.source_segments,
                "references": self.references, "kwic": {"source": self.kwic_source, "target": self.kwic_target},
                "mark": self.mark, "head": self.head, "head_status": self.head_status}


@dataclass
class HarvestResult:
    src: str
    tgt: str
    documents: list[tuple[str, str]]
    alignment: Alignment
    equivalents: list[Equivalent]

    def as_dict(self) -> dict:
        unaligned = [{"side": side, "path": s.path, "line": s.line, "ref": s.ref, "text": s.text[:120]}
                     for side, items in (("source", self.alignment.unaligned_source),
                                         ("target", self.alignment.unaligned_target)) for s in items]
        return {"source_language": self.src, "target_language": self.tgt,
                "documents": [{"source": a, "target": b} for a, b in self.documents],
                "alignment": {**self.alignment.summary(), "unaligned": unaligned},
                "marks": dict(Counter(e.mark for e in self.equivalents)),
                "equivalents": [e.as_dict() for e in self.equivalents]}


# --- reading the documents ---------------------------------------------------------------------------


def read_text(path: str, lang: str) -> str:
    """A document's text; empty, binary or wrong-language files raise :class:`InputError` naming the file."""
    from glossary.fileio import read_input_bytes

    data = read_input_bytes(path, InputError)
    if b"\0" in data[:8192]:
        raise InputError("binary file, not a text", path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path) from exc
    if not text.strip():
        raise InputError("empty file", path)
    check_language(text, lang, path)
    return text


def document_pairs(source: str, target: str | None, src: str, tgt: str) -> list[tuple[str, str]]:
    """(source file, target file) pairs: two files, or the language-tagged files of a directory
    (``NAME.en.txt`` beside ``NAME.fr.txt``; a regional tag such as ``NAME.en-CA.txt`` where no plain one)."""
    from pathlib import Path

    if target is not None and not Path(source).is_dir():
        return [(source, target)]
    directory = Path(source)
    if not directory.is_dir():
        raise InputError("give SOURCE and TARGET files, or a directory of language-tagged files", source)

    def tagged(lang: str) -> dict[str, Path]:
        found: dict[str, Path] = {}
        for path in sorted(directory.glob("*.txt")):
            stem, _, tag = path.stem.rpartition(".")
            if tag == lang or (tag.startswith(lang + "-") and stem not in found):
                if tag == lang or stem not in found:
                    found[stem] = path
        return found

    sources, targets = tagged(src), tagged(tgt)
    pairs = [(str(sources[name]), str(targets[name])) for name in sorted(sources) if name in targets]
    if not pairs:
        raise InputError(f"no NAME.{src}.txt with a NAME.{tgt}.txt beside it in this directory", source)
    return pairs


def align_documents(pairs: list[tuple[str, str]], src: str, tgt: str) -> Alignment:
    """Segment and align every document pair; one alignment over all of them. Texts that do not align at
    all (no provision paired) raise :class:`InputError`."""
    total = Alignment()
    for source_path, target_path in pairs:
        source = segment_text(read_text(source_path, src), source_path)
        target = segment_text(read_text(target_path, tgt), target_path)
        alignment = align_segments(source, target)
        labelled = any(s.label for s in source) or any(t.label for t in target)
        if alignment.by_label == 0 and labelled:
            raise InputError(f"the texts do not align: no provision label in common with {target_path}", source_path)
        if not labelled and min(len(source), len(target)) < 0.5 * max(len(source), len(target)):
            raise InputError(f"the texts do not align: no provision labels, and {len(source)} segments against "
                             f"{len(target)} in {target_path}", source_path)
        total.pairs.extend(alignment.pairs)
        total.unaligned_source.extend(alignment.unaligned_source)
        total.unaligned_target.extend(alignment.unaligned_target)
        total.source_segments += alignment.source_segments
        total.target_segments += alignment.target_segments
    return total


# --- scoring -----------------------------------------------------------------------------------------


def _content(stems: tuple[str, ...], lang: str) -> int:
    stop = STOPWORDS.get(lang, frozenset())
    return sum(s not in stop for s in stems)


def _content_words(stems: tuple[str, ...], lang: str) -> float:
    """Content words of an expression; a Chinese one counts as one word per two characters."""
    if lang == "zh":
        return max(1.0, round(sum(len(s) for s in stems if s not in STOPWORDS["zh"]) / 2))
    return _content(stems, lang)


def _length_fit(source: tuple[str, ...], target: tuple[str, ...], src: str, tgt: str) -> float:
    diff = int(abs(_content_words(source, src) - _content_words(target, tgt)))
    return (1.0, 0.85, 0.6)[diff] if diff < 3 else 0.4


def _spelling(source: str, target: str, src: str, tgt: str) -> float:
    """Similarity of spelling (0-1) between Latin-script languages: cognates (inspection/inspection)."""
    if src not in ("en", "fr", "es") or tgt not in ("en", "fr", "es"):
        return 0.0
    from rapidfuzz import fuzz

    return fuzz.token_sort_ratio(source, target) / 100


def _cognate(source_word: str, target_word: str, src: str, tgt: str) -> float:
    """Spelling similarity of two words between Latin-script languages, 0 below 0.75."""
    if src not in ("en", "fr", "es") or tgt not in ("en", "fr", "es") or min(len(source_word), len(target_word)) < 4:
        return 0.0
    from rapidfuzz import fuzz

    similarity = fuzz.ratio(source_word, target_word) / 100
    return similarity if similarity >= 0.75 else 0.0


def _score(dice: float, fit: float, spelling: float, words: float) -> float:
    return dice * fit * (0.8 + 0.2 * spelling) * (0.2 + 0.8 * words)


def _word_index(side: "_Side") -> dict[str, set[int]]:
    """Word -> the pairs it occurs in (Chinese: jieba tokens)."""
    index: dict[str, set[int]] = defaultdict(set)
    for i, chunks in enumerate(side.chunks):
        for chunk in chunks:
            for token in chunk:
                index[token.stem].add(i)
    return index


class Harvester:
    """The aligned text indexed on both sides, ready to propose equivalents concept by concept."""

    def __init__(self, alignment: Alignment, termbase: Termbase, src: str, tgt: str, min_score: float = MIN_SCORE):
        self.alignment, self.termbase, self.src, self.tgt = alignment, termbase, src, tgt
        self.min_score = min_score
        user_words = lambda lang: [t.text for c in termbase.values() for t in c.terms.get(lang, [])]  # noqa: E731
        self.source = _Side(src, Tokenizer(src, user_words(src) if src == "zh" else ()))
        self.target = _Side(tgt, Tokenizer(tgt, user_words(tgt) if tgt == "zh" else ()))
        for pair in alignment.pairs:
            self.source.add(pair.source_text)
            self.target.add(pair.target_text)
        self.pairs: list[AlignedPair] = alignment.pairs
        self.target_ngrams = [self.target.ngrams(i) for i in range(len(self.pairs))]
        self._source_words = _word_index(self.source)
        self._target_words = _word_index(self.target)
        self._word_dice: dict[tuple[str, str], float] = {}
        self.document_frequency: Counter = Counter(g for grams in self.target_ngrams for g in grams)
        self._source_terms = {c.id: self._terms(c, src) for c in termbase.values()}
        self._target_terms = {c.id: self._terms(c, tgt, tokenizer=self.target.tokenizer) for c in termbase.values()}
        # each concept is harvested for one source term: its head where the text uses it, else the first
        # of its other terms that occurs (a short form such as "Conference" would drag in other concepts)
        self.occurrences: dict[str, list[int]] = {}
        self.source_term: dict[str, str] = {}
        for concept in termbase.values():
            for text, stems, exact in self._source_terms[concept.id]:
                where = [i for i in range(len(self.pairs)) if self._occurs(i, text, stems, exact)]
                if where:
                    self.occurrences[concept.id], self.source_term[concept.id] = where, text
                    break
        self._present: dict[int, list[str]] = defaultdict(list)  # pair -> concepts whose source term it holds
        for concept_id, where in self.occurrences.items():
            for i in where:
                self._present[i].append(concept_id)

    def _terms(self, concept: Concept, lang: str, tokenizer: Tokenizer | None = None) -> list[tuple[str, tuple, bool]]:
        tokenizer = tokenizer or self.source.tokenizer
        out = []
        terms = concept.terms.get(lang, [])
        for term in sorted(terms, key=lambda t: not t.is_head):  # head first
            if term.status == "deprecated":
                continue
            exact = term.type == "abbreviation" or (term.text.isupper() and len(term.text) <= 6)
            stems = tokenizer.stems(term.text)
            if stems:
                out.append((term.text, stems, exact))
        return out

    def _occurs(self, index: int, text: str, stems: tuple[str, ...], exact: bool) -> bool:
        if exact:  # abbreviations match case-sensitively: IT, AS and DE are not "it", "as" and "de"
            return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", self.source.texts[index]) is not None
        return self.source.occurs(index, stems)

    def concepts(self) -> list[str]:
        """Ids of the concepts whose source term occurs in the source text, in termbase order."""
        return list(self.occurrences)

    def _explained(self, concept_id: str, index: int) -> set[tuple[str, ...]]:
        """Target n-grams of pair ``index`` that another concept's known pair already accounts for."""
        own = [s for _, s, _ in self._source_terms[concept_id]]
        explained: set[tuple[str, ...]] = set()
        for other in self._present[index]:
            if other == concept_id:
                continue
            theirs = [s for _, s, _ in self._source_terms[other]]
            if any(_contains(a, b) or _contains(b, a) for a in own for b in theirs):
                continue  # nested terms (Technical Secretariat in Provisional Technical Secretariat)
            for _text, stems, _exact in self._target_terms[other]:
                if self.target.occurs(index, stems):
                    explained.update(stems[i:j] for i in range(len(stems)) for j in range(i + 1, len(stems) + 1))
        return explained

    def propose(self, concept_id: str) -> Equivalent | None:
        where = self.occurrences[concept_id]
        concept = self.termbase[concept_id]
        source_text = self.source_term[concept_id]
        source_stems = self.source.tokenizer.stems(source_text)
        best = self._best(source_text, source_stems, where, lambda i: self._explained(concept_id, i))
        return self._result(concept, source_text, source_stems, where, best)

    def propose_candidate(self, source_text: str) -> Equivalent | None:
        stems = self.source.tokenizer.stems(source_text)
        where = [i for i in range(len(self.pairs)) if self.source.occurs(i, stems)]
        if not where:
            return None
        return self._result(None, source_text, stems, where, self._best(source_text, stems, where, lambda i: set()))

    def _word_association(self, source_stems: tuple[str, ...], target_stems: tuple[str, ...]) -> float:
        """How well the content words of the two expressions translate each other, word by word, over the
        whole text (mean best Dice in both directions): ``accord du Conseil`` does not translate
        ``monitoring facility`` even where it happens to share its only segment."""
        src_words = [w for w in source_stems if w not in STOPWORDS.get(self.src, ())] or list(source_stems)
        tgt_words = [w for w in target_stems if w not in STOPWORDS.get(self.tgt, ())] or list(target_stems)
        table = [[self._dice_of(s, t) for t in tgt_words] for s in src_words]
        forward = sum(max(row) for row in table) / len(src_words)
        columns = [max(col) for col in zip(*table)]
        if min(columns) < WORD_FLOOR:
            return 0.0  # a target word nothing in the source term translates (disposer, présence, convenues)
        backward = (sum(columns) / len(columns) + min(columns)) / 2  # every target word must be accounted for
        return (forward + backward) / 2

    def _dice_of(self, source_word: str, target_word: str) -> float:
        key = (source_word, target_word)
        if key not in self._word_dice:
            s = self._source_words.get(source_word, set())
            t = self._target_words.get(target_word, set())
            # smoothed Dice (two words seen once together are not yet a translation pair), or, between
            # Latin-script languages, spelling: cognates (authentication, authentification) need no count
            dice = 2 * len(s & t) / (len(s) + len(t) + WORD_SMOOTHING) if s and t else 0.0
            self._word_dice[key] = max(dice, _cognate(source_word, target_word, self.src, self.tgt))
        return self._word_dice[key]

    def _link_span(self, source_stems: tuple[str, ...], index: int) -> tuple[str, ...] | None:
        """The target words each source content word translates best in pair ``index`` (word Dice over the
        whole text), and the stretch of the chunk that spans them: "global communications infrastructure"
        links to mondiale, télécommunications, infrastructure, so to "infrastructure de télécommunications
        mondiale", not to "disposer d'une infrastructure"."""
        stop_s, stop_t = STOPWORDS.get(self.src, ()), STOPWORDS.get(self.tgt, ())
        words = [w for w in source_stems if w not in stop_s]
        best: tuple[float, int, tuple[str, ...]] | None = None
        for chunk in self.target.chunks[index]:
            content = [k for k, t in enumerate(chunk) if t.stem not in stop_t]
            links = sorted(((self._dice_of(w, chunk[k].stem), -k, n) for n, w in enumerate(words) for k in content),
                           reverse=True)
            linked: dict[int, int] = {}  # source word -> target position, each target word used once
            used: set[int] = set()
            total = 0.0
            for dice, negative_k, n in links:
                if dice < WORD_FLOOR:
                    break
                if n in linked or -negative_k in used:
                    continue
                linked[n], total = -negative_k, total + dice
                used.add(-negative_k)
            if len(linked) < len(words) or not linked:
                continue
            start, end = min(linked.values()), max(linked.values())
            span = tuple(t.stem for t in chunk[start:end + 1])
            candidate = (total, -len(span), span)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
        return best[2] if best else None

    def _best(self, source_text, source_stems, where, explained_in) -> tuple | None:
        joint: Counter = Counter()
        links: Counter = Counter()
        for i in where:
            skip = explained_in(i)
            joint.update(g for g in self.target_ngrams[i] if g not in skip)
            span = self._link_span(source_stems, i)
            if span is not None:
                links[span] += 1
        a, n = len(where), len(self.pairs)
        best = None
        for grams, j in joint.items():
            if a > 1 and j < 2:
                continue
            b = self.document_frequency[grams]
            dice = 2 * j / (a + b)
            surface = self.target_ngrams[where[0]].get(grams) or " ".join(grams)
            score = _score(dice, _length_fit(source_stems, grams, self.src, self.tgt),
                           _spelling(source_text, surface, self.src, self.tgt),
                           self._word_association(source_stems, grams))
            score *= (1 + LINK_BONUS * links[grams] / a) / (1 + LINK_BONUS)
            key = (round(score, 6), j, len(grams))
            if best is None or key > best[0]:
                best = (key, grams, score, dice, _llr(j, a - j, b - j, n - a - b + j), j)
        return best

    def _result(self, concept: Concept | None, source_text, source_stems, where, best) -> Equivalent | None:
        if best is None or best[2] < self.min_score:
            return None
        _key, grams, score, dice, llr, joint = best
        forms: Counter = Counter()
        refs: list[str] = []
        kwic_source: list[str] = []
        kwic_target: list[str] = []
        for i in where:
            spans = list(self.target.spans(i, grams))
            if not spans:
                continue
            text = self.target.texts[i]
            forms.update(text[s:e] for s, e in spans)
            ref = self.pairs[i].ref
            if ref not in refs:
                refs.append(ref)
            if len(kwic_target) < 2:
                src_span = next(self.source.spans(i, source_stems), None)
                if src_span is None:
                    m = re.search(rf"(?<!\w){re.escape(source_text)}(?!\w)", self.source.texts[i])
                    src_span = m.span() if m else None
                if src_span is not None:
                    kwic_source.append(_kwic(self.source.texts[i], src_span))
                kwic_target.append(_kwic(text, spans[0]))
        proposal = _preferred_form(forms)
        head = concept.head_term(self.tgt) if concept is not None else None
        mark = _mark(concept, head, grams, self.target.tokenizer, self.tgt)
        return Equivalent(concept.id if concept else None, source_text, proposal,
                          sorted(forms, key=lambda f: (-forms[f], f)), score, dice, llr, joint, len(where),
                          refs, kwic_source, kwic_target, mark, head.text if head else None,
                          head.status if head else None)


def _contains(long: tuple, short: tuple) -> bool:
    n = len(short)
    return len(long) > n and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def _preferred_form(forms: Counter) -> str:
    """The form to propose: the most frequent one (on a tie, the lower-case one: capitals that only open a
    sentence are not part of the term)."""
    return min(forms, key=lambda f: (-forms[f], not f[:1].islower(), f))


def _mark(concept: Concept | None, head, grams: tuple, tokenizer: Tokenizer, lang: str) -> str:
    """``confirms`` when the text uses the head term (or another term the concept already has, e.g. the
    short form that answers a short source form), ``fills`` when the head is ``proposed`` and the text
    agrees with it, or there is no head; ``differs`` otherwise; ``new`` without a concept."""
    if concept is None:
        return "new"
    if head is None:
        return "fills"
    if tokenizer.stems(head.text) == grams:
        return "fills" if head.status == "proposed" else "confirms"
    known = [t for t in concept.terms.get(lang, []) if t.status != "deprecated" and not t.is_head]
    if any(tokenizer.stems(t.text) == grams for t in known):
        return "confirms"
    return "differs"


def agrees(head_text: str | None, proposal: str | None, tokenizer: Tokenizer) -> bool:
    """Whether two expressions are the same term up to case, accents and plural."""
    return bool(head_text and proposal) and tokenizer.stems(head_text) == tokenizer.stems(proposal)


def harvest(pairs: list[tuple[str, str]], termbase: Termbase, src: str, tgt: str, *,
            candidates: Iterable[str] = (), progress: Callable[[list[str]], Iterable[str]] | None = None,
            min_score: float = MIN_SCORE) -> HarvestResult:
    """Align the document pairs and propose an equivalent for every concept (and candidate) found."""
    if src == tgt:
        raise InputError(f"--src and --tgt are both {src!r}")
    alignment = align_documents(pairs, src, tgt)
    harvester = Harvester(alignment, termbase, src, tgt, min_score)
    ids = harvester.concepts()
    results = []
    for concept_id in (progress(ids) if progress else ids):
        found = harvester.propose(concept_id)
        if found is not None:
            results.append(found)
    for candidate in candidates:
        found = harvester.propose_candidate(candidate)
        if found is not None:
            results.append(found)
    return HarvestResult(src, tgt, pairs, alignment, results)
