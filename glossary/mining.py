"""Mining ranked multi-word term candidates from Chinese documents.

A pure pipeline over immutable inputs: documents -> segment and count token n-grams inside noun-phrase runs
(:mod:`glossary.noun_phrases`) -> score, suppress fragments and rank (:mod:`glossary.termhood`) -> locate the
top candidates again for references, contexts and a domain guess.

Counting keeps only the n-gram table, never the texts; references and contexts come from a second, streamed
pass over the documents for the candidates that are reported.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

from glossary.corpus import Document, Paragraph
from glossary.model import Termbase
from glossary.noun_phrases import CONNECTIVES, NgramCounter, NgramCounts, is_code
from glossary.segment import Segmenter
from glossary.termhood import heading_names, rank, score_candidates, words_of
from glossary.textnorm import fold_traditional, has_han, is_subsequence


#: The Chinese names of the domains: what a section heading says when it opens a domain's section. Used when
#: no termbase is given; with one, every Chinese term of a domain's concepts is a cue as well.
DOMAIN_NAMES: dict[str, tuple[str, ...]] = {
    "IMS": ("国际监测系统",),
    "IDC": ("国际数据中心",),
    "OSI": ("现场视察",),
}


@dataclass(frozen=True)
class MiningConfig:
    """What the miner counts and reports; the defaults are the documented behaviour."""

    max_tokens: int = 8
    max_connectives: int = 2
    min_frequency: int = 1
    top: int | None = 100
    #: In termbase mode, also report this many of the best candidates the termbase does not know, whatever
    #: their rank (what is new in a document is the terminologist's question); None: only the top.
    top_new: int | None = None
    contexts: int = 3
    context_width: int = 18
    max_references: int = 20
    jobs: int = 1
    #: A Dask scheduler address, or ``local:N``, to count on a cluster instead (see :mod:`glossary.cluster`).
    scheduler: str | None = None
    #: Characters sent to a worker at a time: big enough that merging results costs little.
    batch_chars: int = 100_000
    #: A corpus up to this size is kept between the two passes instead of being read twice; a bigger one is
    #: streamed again, so memory stays bounded whatever the corpus size.
    keep_chars: int = 5_000_000


@dataclass(frozen=True)
class Candidate:
    """One ranked term candidate; ``as_dict`` is its stable JSON form."""

    rank: int
    term: str
    kind: str  # "term" (Chinese) or "code" (a Latin acronym or code)
    score: float
    frequency: int
    documents: int
    domain: str
    references: tuple[str, ...] = ()
    contexts: tuple[str, ...] = ()
    known: str | None = None
    full_form: str | None = None
    short_forms: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("references", "contexts", "short_forms"):
            data[key] = list(data[key])
        return data


@dataclass
class MiningResult:
    """Ranked candidates (known ones marked); in termbase mode also every known term the documents use."""

    candidates: list[Candidate]
    documents: int
    characters: int
    mode: str
    known_terms: list = field(default_factory=list)  # KnownTerm, termbase mode only
    rejected: int = 0  # candidates left out because a terminologist rejected them
    #: termbase mode with ``top_new``: the best candidates the termbase does not know, whatever their rank
    #: (some are among ``candidates`` too)
    new_candidates: list[Candidate] = field(default_factory=list)

    def as_dict(self) -> dict:
        data = {"mode": self.mode, "documents": self.documents, "characters": self.characters,
                "candidates": [c.as_dict() for c in self.candidates]}
        if self.mode == "termbase":
            data["known_terms"] = [k.as_dict() for k in self.known_terms]
            if self.new_candidates:
                data["new_candidates"] = [c.as_dict() for c in self.new_candidates]
        if self.rejected:
            data["rejected"] = self.rejected
        return data


DocumentSource = Callable[[], Iterable[Document]]


def termbase_user_words(termbase: Termbase | None) -> list[str]:
    """The termbase's Chinese terms as jieba user words (spaces next to Chinese characters removed)."""
    from glossary.corpus import normalise_text

    if termbase is None:
        return []
    words = {normalise_text(term.text) for concept in termbase.values() for term in concept.terms.get("zh", ())}
    return sorted(w for w in words if w and has_han(w))


def termbase_heads(termbase: Termbase, segmenter: Segmenter) -> frozenset[str]:
    """The last words of the termbase's Chinese terms of two words or more (系统 of 颗粒物系统): heads a new
    candidate may share with known terms."""
    heads = set()
    for term in termbase_user_words(termbase):
        # the longest proper suffix jieba's dictionary knows (the segmenter keeps the term itself whole)
        for start in range(max(1, len(term) - 4), len(term)):
            if segmenter.general_frequency(term[start:]):
                heads.add(term[start:])
                break
    return frozenset(heads)


def termbase_index(termbase: Termbase | None) -> dict[str, str]:
    """Chinese terms and Latin abbreviations (any language) -> concept id, first concept wins."""
    from glossary.corpus import normalise_text

    index: dict[str, str] = {}
    if termbase is None:
        return index
    for concept in termbase.values():
        for lang, term in concept.all_terms():
            text = normalise_text(term.text)
            if lang == "zh" or (text.isascii() and is_code(text)):
                index.setdefault(text, concept.id)
    return index


_WORKER: NgramCounter | None = None


def _init_worker(user_words: list[str], hmm: bool, config: MiningConfig) -> None:
    """Each worker process builds its own tokenizer, once."""
    global _WORKER
    _WORKER = NgramCounter(Segmenter(user_words, hmm=hmm), config)


def _count_batch(texts: list[str]) -> NgramCounts:
    if _WORKER is None:
        raise RuntimeError("mining worker used before _init_worker ran")
    return _WORKER.count(texts)


def _batches(documents: Iterable[Document], size: int, seen: list[int]) -> Iterator[list[str]]:
    batch: list[str] = []
    chars = 0
    for document in documents:
        seen[0] += 1
        for paragraph in document.paragraphs:
            batch.append(paragraph.text)
            chars += len(paragraph.text)
            if chars >= size:
                yield batch
                batch, chars = [], 0
    if batch:
        yield batch


def count_documents(documents: Iterable[Document], user_words: list[str], config: MiningConfig,
                    segmenter: Segmenter | None = None) -> tuple[NgramCounts, int]:
    """Pass 1: the n-gram table of the corpus, in this process, in ``config.jobs`` workers or on a cluster."""
    if config.scheduler:
        from glossary.cluster import count_on_cluster

        return count_on_cluster(documents, user_words, config, config.scheduler)
    seen = [0]
    table = NgramCounts()
    if config.jobs <= 1:
        counter = NgramCounter(segmenter or Segmenter(user_words), config)
        for batch in _batches(documents, config.batch_chars, seen):
            counter.count(batch, into=table)
        return table, seen[0]
    global _WORKER
    if segmenter is not None and "fork" in multiprocessing.get_all_start_methods():
        # forked workers inherit this process's tokenizer and tag table: no second second of start-up each
        _WORKER = NgramCounter(segmenter, config)
        segmenter.tags  # noqa: B018 -- load the tag table before forking, so workers share it
        segmenter.compounds  # noqa: B018 -- and the compound table
        pool = ProcessPoolExecutor(max_workers=config.jobs, mp_context=multiprocessing.get_context("fork"))
    else:
        pool = ProcessPoolExecutor(max_workers=config.jobs, initializer=_init_worker,
                                   initargs=(user_words, True, config))
    with pool:
        pending = []
        for batch in _batches(documents, config.batch_chars, seen):
            pending.append(pool.submit(_count_batch, batch))
            while len(pending) > 2 * config.jobs:  # bounded: texts are not queued up in memory
                table.merge(pending.pop(0).result())
        for future in pending:
            table.merge(future.result())
    _WORKER = None
    return table, seen[0]


def domain_cues(termbase: Termbase | None, leave_out: str | None = None) -> dict[str, tuple[str, ...]]:
    """Words that point to a domain: its Chinese name, and with a termbase its concepts' Chinese terms of four
    characters or more (``leave_out`` names a concept whose terms do not count, for measuring the guess)."""
    cues: dict[str, tuple[str, ...]] = {d: tuple(w) for d, w in DOMAIN_NAMES.items()}
    if termbase is not None:
        for concept in termbase.values():
            if concept.domain in cues and concept.id != leave_out:
                cues[concept.domain] += tuple(t.text for t in concept.terms.get("zh", ()) if len(t.text) >= 4)
    return cues


#: Words that put two names side by side rather than one inside the other.
_COORDINATORS: tuple[str, ...] = ("和", "与", "及", "、", "或")


def named_domain(text: str, cues: Mapping[str, tuple[str, ...]]) -> str | None:
    """The domain a name in the text points to: the one named first, and of two names at the same place the
    longer (现场视察作业手册草案 is OSI's manual though 作业手册 alone may be another domain's word; in
    国际数据中心放射性核素分析 the IDC owns the analysis). Names of two domains joined by 和 point to neither."""
    best: tuple[int, int] | None = None
    found: list[str] = []
    for domain, words in cues.items():
        for word in words:
            start = text.find(word)
            if start < 0:
                continue
            place = (start, -len(word))
            if best is None or place < best:
                best, found = place, [domain]
            elif place == best and domain not in found:
                found.append(domain)
    if len(found) != 1:
        return None
    if any(c in text for c in _COORDINATORS) and any(
            other != found[0] and any(w in text for w in words) for other, words in cues.items()):
        return None  # 国际监测系统和国际数据中心作业手册: two domains side by side, neither owns the whole
    return found[0]


def _paragraph_domain(paragraph: Paragraph, cues: Mapping[str, tuple[str, ...]]) -> str:
    """A section heading that names a domain decides; else the domain the paragraph mentions most."""
    if paragraph.heading:
        named = named_domain(paragraph.heading, cues)
        if named:
            return named
    votes = Counter({domain: sum(paragraph.text.count(w) for w in words) for domain, words in cues.items()})
    (best, n), *rest = votes.most_common() or [("general", 0)]
    if n >= 2 and (not rest or n >= 2 * rest[0][1]):
        return best
    return "general"


def guess_domain(term: str, votes: Counter, cues: Mapping[str, tuple[str, ...]]) -> str:
    """The domain the term names (现场视察设备 -> OSI), else the one most of its paragraphs belong to."""
    named = named_domain(term, cues)
    if named:
        return named
    total = sum(votes.values())
    if total:
        best, n = max(votes.items(), key=lambda item: (item[1], item[0] != "general", item[0]))
        if n / total >= 0.6:
            return best
    return "general"


@dataclass
class _Located:
    references: list[str] = field(default_factory=list)
    contexts: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)
    domains: Counter = field(default_factory=Counter)


def _kwic(text: str, start: int, term: str, width: int) -> str:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[start + len(term):start + len(term) + width].replace("\n", " ")
    return f"{left}【{term}】{right}"


def _saturated(where: _Located, config: MiningConfig) -> bool:
    return (len(where.references) >= config.max_references and len(where.contexts) >= config.contexts
            and sum(where.domains.values()) >= _DOMAIN_VOTES)


#: Occurrences whose paragraphs are enough to guess a candidate's domain.
_DOMAIN_VOTES = 200


def locate(terms: Sequence[str], documents: Iterable[Document], cues: Mapping[str, tuple[str, ...]],
           config: MiningConfig) -> dict[str, _Located]:
    """Pass 2: references, contexts, documents and domain votes of the reported candidates."""
    found = {term: _Located() for term in terms}
    for document in documents:
        whole = "\n".join(p.text for p in document.paragraphs)
        present = [t for t in terms if t in whole]
        for term in present:
            found[term].documents.add(document.path)
        # a term with its references, contexts and enough domain votes needs no more paragraph scans
        present = [t for t in present if not _saturated(found[t], config)]
        if not present:
            continue
        for paragraph in document.paragraphs:
            text = paragraph.text
            domain: str | None = None
            for term in present:
                start = text.find(term)
                if start < 0:
                    continue
                where = found[term]
                if domain is None:
                    domain = _paragraph_domain(paragraph, cues)
                where.domains[domain] += text.count(term)
                reference = paragraph.reference()
                if reference not in where.references and len(where.references) < config.max_references:
                    where.references.append(reference)
                if len(where.contexts) < config.contexts:
                    where.contexts.append(_kwic(text, start, term, config.context_width))
    return found


def pair_forms(terms: Sequence[str], table: NgramCounts) -> dict[str, str]:
    """Short form -> full form: written as ``full（short）`` in the text, or an abbreviation by omission.

    An abbreviation by omission keeps the full form's first and last character and its characters in order
    (临时技秘处 / 临时技术秘书处, 全面禁核试条约 / 全面禁止核试验条约).
    """
    pairs: dict[str, str] = {}
    reported = set(terms)
    for (before, short), _n in sorted(table.pairs.items()):
        if short in reported and short not in pairs:
            full = _abbreviated_from(short, before)
            if full:
                pairs[short] = full
    by_edges: dict[tuple[str, str], list[str]] = {}
    for key, count in table.counts.items():
        if count >= 1 and len(key) >= 4:
            by_edges.setdefault((key[0], key[-1]), []).append(key)
    for short in terms:
        if short in pairs or len(short) < 3 or not has_han(short):
            continue
        # whole words left out (地下水监测 in 地下水水位自动监测) make a shorter phrase, not an abbreviation
        words = set(words_of(short, table.counts, table.splits)) if short in table.splits else set()
        fulls = [k for k in by_edges.get((short[0], short[-1]), ())
                 if len(short) < len(k) <= 2 * len(short) and short not in k and is_subsequence(short, k)
                 and not any(c in k for c in CONNECTIVES)
                 and not (words and words <= set(words_of(k, table.counts, table.splits)))]
        if fulls:
            pairs[short] = max(fulls, key=lambda k: (table.counts[k], -len(k), k))
    return pairs


def _abbreviated_from(short: str, before: str) -> str | None:
    """The shortest tail of ``before`` that ``short`` abbreviates (or ``short`` spelt out in Latin letters)."""
    for start in range(len(before) - len(short), -1, -1):
        tail = before[start:]
        if tail[0] == short[0] and tail != short and is_subsequence(short, tail):
            return tail
    return None


def mine(source: DocumentSource, *, termbase: Termbase | None = None, discovery: bool = False,
         config: MiningConfig = MiningConfig(), segmenter: Segmenter | None = None,
         rejected: Collection[str] = ()) -> MiningResult:
    """Mine ranked term candidates from the documents ``source()`` yields (called once per pass).

    ``discovery`` ignores the termbase while segmenting and ranking (the honest measure of the miner);
    otherwise its Chinese terms are kept whole by the segmenter, every known term the documents use is
    listed (``known_terms``), and the best ``config.top_new`` candidates the termbase does not know are
    reported besides the top ``config.top`` overall. Either way the termbase, when given, says which candidates are
    already known. ``rejected`` holds the keys (:func:`glossary.rejections.rejection_key`) of candidates
    never to propose.
    """
    user_words = [] if discovery else termbase_user_words(termbase)
    if segmenter is None:
        segmenter = Segmenter(user_words)  # with workers, only its general frequencies are used here
    kept: list[Document] = []
    kept_chars = [0]

    headings: Counter = Counter()

    def first_pass() -> Iterator[Document]:
        for document in source():
            headings.update(heading_names(document, segmenter))
            if kept_chars[0] <= config.keep_chars:
                kept.append(document)
                kept_chars[0] += sum(len(p.text) for p in document.paragraphs)
            yield document

    table, n_documents = count_documents(first_pass(), user_words, config, segmenter)
    if kept_chars[0] > config.keep_chars:
        kept.clear()  # too big to keep: the second pass reads the documents again
    known_heads = termbase_heads(termbase, segmenter) if termbase is not None and not discovery else ()
    scores = score_candidates(table, segmenter.general_frequency, segmenter.total, config, segmenter.tags,
                              segmenter.compounds, known_heads, headings)
    n_rejected = 0
    if rejected:
        from glossary.rejections import is_rejected

        dropped = [t for t in scores if is_rejected(t, rejected)]
        n_rejected = len(dropped)
        for term in dropped:
            del scores[term]
    known = termbase_index(termbase)

    def known_id(term: str) -> str | None:
        return known.get(term) or (known.get(fold_traditional(term)) if table.simple else None)

    termbase_mode = termbase is not None and not discovery
    extend = termbase_mode and config.top and config.top_new
    terms = rank(scores, None if extend else config.top)
    if extend:
        new = set([t for t in terms if not known_id(t)][:config.top_new])
        terms = [t for n, t in enumerate(terms) if n < config.top or t in new]
    cues = domain_cues(None if discovery else termbase)
    located = locate(terms, kept if kept or not n_documents else source(), cues, config)
    full_forms = pair_forms(terms, table)
    short_forms: dict[str, list[str]] = {}
    for short, full in full_forms.items():
        short_forms.setdefault(full, []).append(short)
    known_terms = []
    if termbase_mode:
        from glossary.known_terms import KnownTermFinder

        known_terms = KnownTermFinder(termbase).find_in(kept if kept or not n_documents else source(),
                                                         config.max_references)
    kept.clear()
    candidates = []
    for n, term in enumerate(terms, 1):
        where = located[term]
        concept_id = known_id(term)
        domain = (termbase[concept_id].domain if termbase is not None and concept_id
                  else guess_domain(term, where.domains, cues) if where.domains else "general")
        is_code = term in table.codes and not has_han(term)
        frequency = table.codes[term] if is_code else table.counts.get(term) or headings.get(term, 0)
        candidates.append(Candidate(
            rank=n, term=term, kind="code" if is_code else "term", score=round(scores[term], 3),
            frequency=frequency, documents=len(where.documents),
            domain=domain, references=tuple(where.references), contexts=tuple(where.contexts), known=concept_id,
            full_form=full_forms.get(term), short_forms=tuple(sorted(short_forms.get(term, ())))))
    mode = "termbase" if termbase_mode else "discovery"
    new_candidates = [c for c in candidates if not c.known][:config.top_new] if extend else []
    if extend:
        candidates = candidates[:config.top]
    return MiningResult(candidates, n_documents, table.characters, mode, known_terms, n_rejected, new_candidates)
