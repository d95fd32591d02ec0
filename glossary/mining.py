"""Mining ranked multi-word term candidates from Chinese documents.

A pure pipeline over immutable inputs: documents -> segment -> count token n-grams inside clauses ->
score (C-value with branching-entropy unithood and domain specificity) -> suppress fragments -> rank ->
locate the top candidates again for references, contexts and a domain guess.

Counting keeps only the n-gram table, never the texts, so memory follows the number of distinct candidates
rather than the size of the corpus; references and contexts come from a second, streamed pass over the
documents for the candidates that are reported.
"""

from __future__ import annotations

import math
import multiprocessing
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field

from glossary.corpus import SYMBOL_RE, Document, Paragraph
from glossary.model import Termbase
from glossary.segment import Segmenter
from glossary.textnorm import has_han, is_subsequence

# --- general Chinese stop lists (function words, reporting verbs, generic heads); nothing report-specific ---

#: Words that end a candidate run: function words, pronouns, reporting and procedural verbs, time words.
STOP_WORDS: frozenset[str] = frozenset("""
了 是 在 于 对于 关于 根据 按照 依据 通过 为 为了 以 以便 以期 由 由于 从 自 向 至 到 把 被 将 会 可 可以 能 能够
应 应当 须 必须 需要 要 已 已经 曾 正在 仍 仍然 还 也 都 均 并 并且 而 而且 但 但是 然而 因此 因为 所以 如果 即 即使
虽然 以及 及其 或者 其 其中 其他 其它 该 此 这 这些 这一 那 那些 本 各 各个 每 每个 所有 任何 有关 上述 下列
如下 以下 以上 等 等等 之间 之后 之前 方面 中 上 下 内 外 后 前 时 里 年 月 日 次 项 个 份 名 种 类 位 些 第 届 段 节
条 款 号 注意 注意到 指出 表示 认为 强调 欢迎 赞赏 感谢 鼓励 请 要求 希望 决定 商定 同意 审议 讨论 介绍 提出
提交 进行 开展 展开 继续 包括 涉及 协助 举行 举办 出席 作 做 作出 做出 采取 取得 获得 得到 达到 实现 完成
开始 结束 促进 推动 推进 确保 考虑 说明 概述 回顾 宣布 发表 听取 收到 编写 起草 载 所载 所述 所提 拟 有
没有 无 不 未 很 较 更 最 非常 特别 尤其 一些 一项 一个 一份 一次 多项 几 几个 若干 许多 其余 现有 目前 当前 今后
最近 此前 先前 同时 另外 此外 例如 比如 如 尽快 尽早 进一步 分别 共同 持续 密切 认真 适当 必要 成功 圆满 有效
积极 充分 之一 如何 为何 什么 哪些 所作 所 一 二 三 四 五 六 七 八 九 十 两 日至 年拟 处在
先生 女士 阁下 审查 制定 致辞 批准 核准 应邀 邀请 答复 印发 转交 供 评论 交换 感谢 吁请 重视 尊重 赞同 认可 设法 力求 旨在
""".split())
#: Generic heads and modifiers: a candidate that starts or ends with one is rarely a term of its own
#: (实施情况, 进展情况, 相关活动); scored down, not dropped, since some terms do end so (跨领域问题).
GENERIC_EDGES: frozenset[str] = frozenset("""
情况 问题 方面 事项 内容 结果 进展 状况 现状 意见 方式 方法 作用 过程 部分 一部分 目标 要素 细节 议题 专题 文件
报告 会议 工作 活动 任务 相关 有关 新 主要 重要 拟议 各项 不同 类似 相应 具体 一般 总体 整体 其他 更新 最新
""".split())

#: Connectives allowed inside a term (现场视察设备和软件清单) but never at its edge.
CONNECTIVES: frozenset[str] = frozenset({"和", "与", "及", "或", "的", "对", "之"})
#: jieba tags that end a run: punctuation, numbers, quantifiers, pronouns, prepositions, particles,
#: conjunctions, time and direction words, interjections and onomatopoeia. Adverbs (d) stay in a run: a rare one
#: opens terms (逐步启用, 未经认证数据提供率); scoring keeps them off the ends otherwise.
STOP_TAGS: frozenset[str] = frozenset({"x", "m", "mq", "q", "r", "rr", "rz", "p", "ad", "c", "t", "tg", "f",
                                       "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "e", "o", "zg"})
#: The Chinese names of the domains: what a section heading says when it opens a domain's section. Used when
#: no termbase is given; with one, every Chinese term of a domain's concepts is a cue as well.
DOMAIN_NAMES: dict[str, tuple[str, ...]] = {
    "IMS": ("国际监测系统",),
    "IDC": ("国际数据中心",),
    "OSI": ("现场视察",),
}

_BREAK, _CONTENT, _CONNECTIVE = 0, 1, 2
#: One-character function words; a word jieba's HMM invents that starts or ends with one is no content word.
_FUNCTION_CHARS: frozenset[str] = frozenset("了是在于为以由从自向至到把被将会可能应须要已曾仍还也都均并而但即其该此这那各每无不未很较更最"
                                            ) | CONNECTIVES
_CAPITAL_RE = re.compile(r"[A-Z]")
_ROMAN_RE = re.compile(r"[IVXLC]+")
#: Latin acronyms and codes: IMS, NET-VISA, PRTool, RN53, HA8, Cinderella-G2 (two capitals or letters+digits).
_CODE_RE = re.compile(r"(?<![A-Za-z0-9/.\-@])[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*(?![A-Za-z0-9/@])")
#: Text that looks like codes but is not: document symbols, e-mail and web addresses (ASCII classes: a
#: ``\S+@`` would rescan every run of Chinese text, which has no spaces, at every position).
_NOT_CODE_RE = re.compile(rf"{SYMBOL_RE.pattern}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+|(?:https?://|www\.)[!-~]+")
#: ``full form（short form）`` as reports introduce abbreviations.
_PAREN_RE = re.compile(r"([^（(，。；：、\s]{2,40})[（(]《?([^（）()《》，。；：\s]{2,15})》?[）)]")


@dataclass(frozen=True)
class MiningConfig:
    """What the miner counts and reports; the defaults are the documented behaviour."""

    max_tokens: int = 8
    max_connectives: int = 2
    min_frequency: int = 1
    top: int | None = 100
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
    candidates: list[Candidate]
    documents: int
    characters: int
    mode: str

    def as_dict(self) -> dict:
        return {"mode": self.mode, "documents": self.documents, "characters": self.characters,
                "candidates": [c.as_dict() for c in self.candidates]}


# --- counting ------------------------------------------------------------------------------------------------


@dataclass
class NgramCounts:
    """Clause runs of candidate words, counted; the n-gram table is expanded from the distinct runs.

    Counting whole runs in the hot loop (one update per run rather than one per n-gram) keeps the miner
    close to bare segmentation speed, and runs repeat a lot (临时技秘处, B工作组), so the table stays small.
    """

    runs: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)
    pairs: Counter = field(default_factory=Counter)  # (full form text, short form) seen as X（Y）
    characters: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    splits: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # key -> (tokens, first, last)
    joints: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> its first connective's span
    #: occurrences with a neighbour inside their run, counted or not (past max_tokens an extension is not)
    embedded: Counter = field(default_factory=Counter)

    def merge(self, other: NgramCounts) -> None:
        self.runs.update(other.runs)
        self.codes.update(other.codes)
        self.pairs.update(other.pairs)
        self.characters += other.characters

    def expand(self, config: MiningConfig) -> None:
        """Fill ``counts`` and ``splits``: every n-gram that starts and ends on a content word, with at most
        ``max_connectives`` connectives inside."""
        counts, splits, joints, embedded = self.counts, self.splits, self.joints, self.embedded
        max_tokens, max_conn = config.max_tokens, config.max_connectives
        for run, times in self.runs.items():
            n = len(run)
            for i in range(n):
                if run[i] in CONNECTIVES:
                    continue
                key = ""
                connectives = 0
                joint: tuple[int, int] | None = None
                first = len(run[i])
                for j in range(i, min(n, i + max_tokens)):
                    word = run[j]
                    key += word
                    if word in CONNECTIVES:
                        connectives += 1
                        if connectives > max_conn:
                            break
                        if joint is None:
                            joint = (len(key) - len(word), len(key))
                        continue
                    if i > 0 or j < n - 1:
                        embedded[key] += times
                    if key in counts:
                        counts[key] += times
                    else:
                        counts[key] = times
                        splits[key] = (j - i + 1, first, len(word))
                        if joint is not None:
                            joints[key] = joint


class NgramCounter:
    """Segments texts and counts their runs of candidate words: the hot loop of the miner."""

    def __init__(self, segmenter: Segmenter, config: MiningConfig):
        self.segmenter = segmenter
        self.config = config
        self._roles: dict[str, int] = {}

    def role(self, word: str) -> int:
        role = self._roles.get(word)
        if role is None:
            role = self._roles[word] = self._classify(word)
        return role

    def _classify(self, word: str) -> int:
        if word in self.segmenter.user_words:
            return _CONTENT
        if word in CONNECTIVES:
            return _CONNECTIVE
        if word in STOP_WORDS or word.isspace() or (len(word) > 1 and word[-1] in "及与"):
            return _BREAK  # 现状及, 涉及, 参与: a word that ends in a conjunction ends a run
        tag = self.segmenter.tags.get(word)
        if tag is None:
            if not has_han(word):
                # a lone capital joins Chinese words (B工作组); Latin words and codes are counted apart
                return _CONTENT if len(word) == 1 and word.isascii() and word.isupper() else _BREAK
            if word[0] in _FUNCTION_CHARS or word[-1] in _FUNCTION_CHARS:
                return _BREAK  # the HMM glued a function word to a word part (流域局在 -> 局在)
            return _CONTENT
        return _BREAK if tag in STOP_TAGS else _CONTENT

    def count(self, texts: Iterable[str], into: NgramCounts | None = None) -> NgramCounts:
        result = into if into is not None else NgramCounts()
        runs = result.runs
        cut, hmm = self.segmenter.tokenizer.lcut, self.segmenter.hmm
        roles, role = self._roles, self.role
        if not isinstance(texts, list):
            texts = list(texts)
        _count_codes_and_pairs("\n".join(texts), result)  # one regex pass per batch, not per paragraph
        for text in texts:
            result.characters += len(text)
            run: list[str] = []
            for word in cut(text, HMM=hmm):
                r = roles.get(word)
                if r is None:
                    r = role(word)
                if r:
                    run.append(word)
                elif run:
                    runs[_trim(run)] += 1
                    run = []
            if run:
                runs[_trim(run)] += 1
        runs.pop((), None)
        return result


def _trim(run: list[str]) -> tuple[str, ...]:
    """A run without connectives at its ends (they never start or end a candidate)."""
    start, end = 0, len(run)
    while start < end and run[start] in CONNECTIVES:
        start += 1
    while end > start and run[end - 1] in CONNECTIVES:
        end -= 1
    return tuple(run[start:end])


def _count_codes_and_pairs(text: str, result: NgramCounts) -> None:
    if _CAPITAL_RE.search(text):
        if "/" in text or "@" in text or "www." in text:
            text = _NOT_CODE_RE.sub(" ", text)
        for code in _CODE_RE.findall(text):
            if _is_code(code):
                result.codes[code] += 1
    if "（" in text or "(" in text:
        for full, short in _PAREN_RE.findall(text):
            result.pairs[(full.replace("《", "").replace("》", ""), short)] += 1


def _is_code(word: str) -> bool:
    """Two capitals (IMS, PRTool) or capitals with digits (RN53): an acronym or code, not a name."""
    if _ROMAN_RE.fullmatch(word):
        return False  # II, IV: numbering
    capitals = sum(c.isupper() for c in word)
    return capitals >= 2 or (capitals >= 1 and any(c.isdigit() for c in word))


# --- scoring -------------------------------------------------------------------------------------------------


def _branching(neighbours: Counter, frequency: int) -> float:
    """Branching entropy in bits, with occurrences at a clause edge counted as distinct neighbours."""
    edge = frequency - sum(neighbours.values())
    h = 0.0
    for count in neighbours.values():
        p = count / frequency
        h -= p * math.log2(p)
    if edge > 0:
        h += edge / frequency * math.log2(frequency)
    return h


#: A fragment: at least this share of its occurrences lies inside one and the same longer candidate.
FRAGMENT_SHARE = 0.9
#: Specificity (natural log of the corpus/general-language frequency ratio) at which a one-word candidate
#: counts as half a term: about 150 times more frequent here than in general Chinese.
SPECIFICITY_MIDPOINT = 6.5
SPECIFICITY_SLOPE = 2.0
#: Predicate verbs this frequent in general Chinese (提高, 提供, 加强, 使用) rarely open or close a term.
COMMON_VERB_FREQUENCY = 5000


#: Titles of the people who chair a body: a body's name followed by one names a person's office.
CHAIR_TITLES: frozenset[str] = frozenset({"主席", "副主席", "共同主席", "主持人", "召集人"})

#: A verb after a candidate seen this many times more often alone is its predicate, not part of a term.
SUBJECT_SHARE = 5

#: Words that never open a term: counters and ordinals split off numbers (第3期讲习班, 第二轮).
NOT_INITIAL: frozenset[str] = frozenset({"期", "轮", "批", "届", "次"})
#: Words after a term that name a version of the document it names, not a new term: 现场视察作业手册草案 is a
#: draft of 现场视察作业手册, so it does not make the manual a fragment of the draft.
VERSION_WORDS: frozenset[str] = frozenset({"草案", "初稿", "修订稿", "修订本", "修订版", "定稿", "最新版"})
#: jieba tags of names of people, places and organisations.
NAME_TAGS: frozenset[str] = frozenset({"nr", "nrt", "nrfg", "ns", "nt"})


def _predicate_before(word: str, tags: Mapping[str, str], general_frequency: Callable[[str], int]) -> bool:
    """A word before a candidate that makes a phrase of it rather than a longer term: a common verb taking it
    as its object (完善 + 国际监测系统台站坐标, 支持 + 地震台站) or a counter split off a number (第3期 +
    现场视察区域入门课程)."""
    return word in NOT_INITIAL or (tags.get(word) == "v" and general_frequency(word) >= COMMON_VERB_FREQUENCY)


def specificity(frequency: int, general: int, corpus_tokens: int, general_total: int) -> float:
    """0..1: how much more often a word occurs here than in general Chinese (a weirdness ratio on a log
    scale, squashed around SPECIFICITY_MIDPOINT)."""
    ratio = math.log((frequency / corpus_tokens) / ((general + 1) / general_total))
    return 1 / (1 + math.exp(-SPECIFICITY_SLOPE * (ratio - SPECIFICITY_MIDPOINT)))


def _words_of(key: str, counts: Mapping[str, int], splits: Mapping[str, tuple[int, int, int]]) -> list[str]:
    """The words of a counted candidate: longest counted one-word prefixes (its tokens were counted alone)."""
    words = []
    rest = key
    while rest:
        for end in range(min(len(rest), 12), 0, -1):
            part = rest[:end]
            if part in counts and splits[part][0] == 1:
                break
        words.append(part)
        rest = rest[end:]
    return words


def _mean_specificity(key: str, counts: Mapping[str, int], splits: Mapping[str, tuple[int, int, int]],
                      general_frequency: Callable[[str], int], general_total: int, corpus_tokens: int) -> float:
    """Mean specificity of the words of a multi-word candidate, read off its token boundaries."""
    words = _words_of(key, counts, splits)
    values = [specificity(counts.get(w, 1), general_frequency(w), corpus_tokens, general_total)
              for w in words if w not in CONNECTIVES]
    return sum(values) / len(values) if values else 0.0


def score_candidates(table: NgramCounts, general_frequency: Callable[[str], int], general_total: int,
                     config: MiningConfig, tags: Mapping[str, str] | None = None) -> dict[str, float]:
    """Termhood of every counted n-gram; fragments score nothing.

    score = C-value (log length x (frequency - mean frequency of the longer candidates containing it))
            x unithood (left and right branching entropy)
            x independence (a nested candidate that rarely stands alone ranks below its parents)
            x domain specificity for one-word candidates (corpus frequency against jieba's
              general-language dictionary: 放射性核素 and 惰性气体 are terms, 国际 and 数据 are not).
    A fragment is a candidate that nearly always (FRAGMENT_SHARE) occurs inside ONE longer candidate
    (临时技秘 inside 临时技秘处); a nested candidate with occurrences of its own or several different
    parents (作业手册 in 国际数据中心作业手册 and 现场视察作业手册) is kept, as C-value intends.
    A candidate seen once has no repetition to vouch for it and ranks below repeated ones of equal shape.
    """
    if not table.counts:
        table.expand(config)
    tags = tags or {}
    counts, splits = table.counts, table.splits
    left: dict[str, Counter] = {}
    right: dict[str, Counter] = {}
    for key, count in counts.items():
        tokens, first, last = splits[key]
        if tokens < 2:
            continue
        prefix, suffix = key[:-last], key[first:]
        # a longer candidate made by a loose extension does not contain its inner one as a parent would
        if prefix in counts and key[-last:] not in VERSION_WORDS:
            right.setdefault(prefix, Counter())[key[-last:]] += count
        if suffix in counts and not _predicate_before(key[:first], tags, general_frequency):
            left.setdefault(suffix, Counter())[key[:first]] += count
    single = [count for key, count in counts.items() if splits[key][0] == 1]
    corpus_tokens = max(1, sum(single))
    empty: Counter = Counter()
    scores: dict[str, float] = {}
    for key, f in counts.items():
        if f < config.min_frequency:
            continue
        lft, rgt = left.get(key, empty), right.get(key, empty)
        dominant = max(max(lft.values(), default=0), max(rgt.values(), default=0))
        if dominant >= max(1.0, FRAGMENT_SHARE * f) or (f == 1 and table.embedded[key]):
            continue  # a single occurrence inside a longer run belongs to that run
        inside_left, inside_right = sum(lft.values()), sum(rgt.values())
        containers = len(lft) + len(rgt)
        nested = (inside_left + inside_right) / containers if containers else 0.0
        tokens, first, last = splits[key]
        cvalue = math.log2(1 + min(len(key), 8)) * (f - nested)
        if cvalue <= 0:
            continue
        if f > 1:
            unithood = min(_branching(lft, f), _branching(rgt, f)) / min(2.0, math.log2(f))
        else:
            unithood = 0.5  # seen once: no evidence that it recurs as a unit
        score = cvalue * (0.3 + 0.7 * min(1.0, unithood))
        # the closer a candidate comes to living inside one parent, the more it is that parent's fragment
        score *= max(0.1, 1.0 - dominant / f)
        if f - max(inside_left, inside_right) < 0.15 * f:
            score *= 0.4  # (almost) never on its own: it ranks below the longer terms it is part of
        head, tail = key[:first], key[-last:]
        if head in GENERIC_EDGES or tail in GENERIC_EDGES or (tokens > 1 and tail in VERSION_WORDS):
            score *= 0.3  # a generic head (实施情况) or the draft of a term (作业手册草案)
        if tail in CHAIR_TITLES and len(key) - last >= 2:
            score *= 0.2  # B工作组主席, 专家组主席: the person who chairs a body (副主席 is a title itself)
        if tags.get(tail) == "d":
            continue  # an adverb never ends a term
        if tags.get(head) == "d" and (tokens == 1 or general_frequency(head) >= COMMON_VERB_FREQUENCY):
            continue  # nor stands as one, and only a rare one opens one (逐步启用, 未经认证数据提供率)
        if tags.get(head) in NAME_TAGS:
            score *= 0.2  # 美利坚合众国, 德国国家数据中心: names of places and people are not terms
        if head in NOT_INITIAL:
            continue  # 期讲习班 out of 第3期讲习班
        joint = table.joints.get(key)
        if joint is not None and counts.get(key[:joint[0]], 0) > f and counts.get(key[joint[1]:], 0) > f:
            score *= 0.2  # 名称和代码, 水声和次声: both sides live on their own, so this is two terms joined
        if tokens > 1:
            if tags.get(head) == "v" and general_frequency(head) >= COMMON_VERB_FREQUENCY:
                score *= 0.3  # 提高数据提供率: a verb and its object
            elif (tags.get(head) == "v" and general_frequency(head) >= COMMON_VERB_FREQUENCY // 5
                  and counts.get(key[first:], 0) > f):
                score *= 0.3  # 列入国际数据中心作业手册: a verb taking a candidate that stands without it
            if tags.get(tail) == "v" and counts.get(key[:-last], 0) >= SUBJECT_SHARE * f:
                score *= 0.2  # 临时技秘处提供, 会议开幕: a subject that mostly stands alone, then its verb
            elif tags.get(tail) == "v" and general_frequency(tail) >= COMMON_VERB_FREQUENCY // 2:
                score *= 0.4  # B工作组重申: a subject and its verb
            if f == 1 and joint is not None:
                score *= 0.5  # seen once and joined by 和/的: more often a phrase than a term
            if f == 1:
                # nothing but its words to go by: domain words make a term (人工颗粒物系统), general ones a
                # phrase (先生澳大利亚辐射防护)
                score *= _mean_specificity(key, counts, splits, general_frequency, general_total, corpus_tokens)
        else:
            if key[0] in CONNECTIVES or key[-1] in CONNECTIVES or (key not in tags and f < 3):
                continue  # 现状及 (a dictionary oddity); a word jieba's HMM made up must recur to count
            if not has_han(key):
                continue  # a lone capital (the B of B工作组) is no term; codes are counted apart
            if tags.get(key) == "i":
                continue  # an idiom (chengyu) is general language, however rare in the dictionary
            score *= specificity(f, general_frequency(key), corpus_tokens, general_total)
            if f == 1:
                score *= 0.3  # one occurrence says little about a word's specificity
        scores[key] = score
    for code, f in table.codes.items():
        if f >= config.min_frequency:
            score = math.log2(1 + len(code)) * f * 0.5
            if any(c.isdigit() for c in code):
                score *= 0.3  # RN53, TL-11: identifiers of stations and equipment rather than terms
            scores[code] = max(scores.get(code, 0.0), score)
    return scores


# --- the pipeline --------------------------------------------------------------------------------------------

DocumentSource = Callable[[], Iterable[Document]]


def termbase_user_words(termbase: Termbase | None) -> list[str]:
    """The termbase's Chinese terms as jieba user words (spaces next to Chinese characters removed)."""
    from glossary.corpus import normalise_text

    if termbase is None:
        return []
    words = {normalise_text(term.text) for concept in termbase.values() for term in concept.terms.get("zh", ())}
    return sorted(w for w in words if w and has_han(w))


def termbase_index(termbase: Termbase | None) -> dict[str, str]:
    """Chinese terms and Latin abbreviations (any language) -> concept id, first concept wins."""
    from glossary.corpus import normalise_text

    index: dict[str, str] = {}
    if termbase is None:
        return index
    for concept in termbase.values():
        for lang, term in concept.all_terms():
            text = normalise_text(term.text)
            if lang == "zh" or (text.isascii() and _is_code(text)):
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


def rank(scores: Mapping[str, float], top: int | None) -> list[str]:
    """Best first; ties broken by the term itself, so output is deterministic."""
    ordered = sorted(scores, key=lambda key: (-round(scores[key], 9), key))
    return ordered[:top] if top else ordered


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
        words = set(_words_of(short, table.counts, table.splits)) if short in table.splits else set()
        fulls = [k for k in by_edges.get((short[0], short[-1]), ())
                 if len(short) < len(k) <= 2 * len(short) and short not in k and is_subsequence(short, k)
                 and not any(c in k for c in CONNECTIVES)
                 and not (words and words <= set(_words_of(k, table.counts, table.splits)))]
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
         config: MiningConfig = MiningConfig(), segmenter: Segmenter | None = None) -> MiningResult:
    """Mine ranked term candidates from the documents ``source()`` yields (called once per pass).

    ``discovery`` ignores the termbase while segmenting and ranking (the honest measure of the miner);
    otherwise its Chinese terms are kept whole by the segmenter. Either way the termbase, when given, says
    which candidates are already known.
    """
    user_words = [] if discovery else termbase_user_words(termbase)
    if segmenter is None:
        segmenter = Segmenter(user_words)  # with workers, only its general frequencies are used here
    kept: list[Document] = []
    kept_chars = [0]

    def first_pass() -> Iterator[Document]:
        for document in source():
            if kept_chars[0] <= config.keep_chars:
                kept.append(document)
                kept_chars[0] += sum(len(p.text) for p in document.paragraphs)
            yield document

    table, n_documents = count_documents(first_pass(), user_words, config, segmenter)
    if kept_chars[0] > config.keep_chars:
        kept.clear()  # too big to keep: the second pass reads the documents again
    scores = score_candidates(table, segmenter.general_frequency, segmenter.total, config, segmenter.tags)
    terms = rank(scores, config.top)
    cues = domain_cues(None if discovery else termbase)
    located = locate(terms, kept if kept or not n_documents else source(), cues, config)
    kept.clear()
    full_forms = pair_forms(terms, table)
    short_forms: dict[str, list[str]] = {}
    for short, full in full_forms.items():
        short_forms.setdefault(full, []).append(short)
    known = termbase_index(termbase)
    candidates = []
    for n, term in enumerate(terms, 1):
        where = located[term]
        concept_id = known.get(term)
        domain = (termbase[concept_id].domain if termbase is not None and concept_id
                  else guess_domain(term, where.domains, cues) if where.domains else "general")
        is_code = term in table.codes and not has_han(term)
        frequency = table.codes[term] if is_code else table.counts.get(term, 0)
        candidates.append(Candidate(
            rank=n, term=term, kind="code" if is_code else "term", score=round(scores[term], 3),
            frequency=frequency, documents=len(where.documents),
            domain=domain, references=tuple(where.references), contexts=tuple(where.contexts), known=concept_id,
            full_form=full_forms.get(term), short_forms=tuple(sorted(short_forms.get(term, ())))))
    mode = "discovery" if discovery or termbase is None else "termbase"
    return MiningResult(candidates, n_documents, table.characters, mode)
