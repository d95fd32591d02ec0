"""How term-like each counted n-gram is, and the ranking that follows from it.

C-value with branching-entropy unithood and domain specificity; for a candidate seen once, the specificity of
its words, judged as in a short text, and the termhood of its head. Fragments of longer candidates score
nothing; names the document itself fixes (section headings, names defined by their abbreviation) are units by
its own word. The weights are the constants below.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Mapping
from typing import TYPE_CHECKING

from glossary.corpus import Document
from glossary.noun_phrases import (
    BOUND_SUFFIXES, CLAUSE_WORDS, CLOSING_CHARS, COMMON_VERB_FREQUENCY, CONNECTIVES, DERIVING_PREFIXES, FUNCTION_CHARS,
    GENERIC_EDGES, MULTIPLIER_PREFIXES, NAMING_NUMERAL_RE, NOUN_FINALS, NOUN_TAGGED_VERBS, NUMBERED_NOUNS, NgramCounts,
    PASSIVE_MARKS, STOP_TAGS, STOP_WORDS, UNKNOWN_VERB_FREQUENCY, VERB_TAGS, is_code)
from glossary.segment import Segmenter, hmm_tag
from glossary.textnorm import fold_traditional, has_han, is_han, is_subsequence

if TYPE_CHECKING:
    from glossary.mining import MiningConfig


#: A treaty article or an annex named alone (第四条, 附件1) is a cross-reference more often than a term: its score
#: is weighted down by this, below the names made on it (第十四条会议, 议定书附件1, 附件2国家).
REFERENCE_WEIGHT = 0.3

#: A one-word candidate that general Chinese uses this often (数据, 系统, 区域, 设备) is rarely a term on its own:
#: its score is weighted down, below the compounds it heads.
COMMON_WORD_FREQUENCY = 1000
COMMON_WORD_WEIGHT = 0.1
#: Adverbs jieba's dictionary tags as verbal nouns: they open compounds (自动处理, 定期维护) but never end one.
ADVERBIAL_VERBS: frozenset[str] = frozenset("自动 定期 预先 统一".split())
#: jieba tags that modify but never head a noun compound: adjectives, distinguishing words, adverbs.
NON_HEAD_TAGS: frozenset[str] = frozenset({"a", "ag", "b", "d", "dg", "z"})


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
#: A candidate seen this often, every time with a word of a longer candidate on the same side, is a fragment of
#: those candidates however many they are (数据中心 of 国际数据中心 and 国家数据中心); a head that stands alone
#: even once in twenty (作业手册, 演练) is not.
NEVER_ALONE_EVIDENCE = 5
#: Specificity (natural log of the corpus/general-language frequency ratio) at which a one-word candidate
#: counts as half a term: about 150 times more frequent here than in general Chinese.
SPECIFICITY_MIDPOINT = 6.5
SPECIFICITY_SLOPE = 2.0
#: A candidate seen once is judged as if its text had at most this many words: how specific its words are then
#: says how rare they are in general Chinese, whatever the length of the text. Measured against the whole text,
#: a word seen once in a long report is never over-represented, and the report's once-named terms (开源软件,
#: 射频识别) would rank below every phrase it repeats.
ONCE_SEEN_TOKENS = 200

#: Titles of the people who chair a body: a body's name followed by one names a person's office.
CHAIR_TITLES: frozenset[str] = frozenset({"主席", "副主席", "共同主席", "主持人", "召集人"})

#: Heads that name no kind of thing: a candidate ending in one is a description (进展情况, 实施情况).
VACUOUS_HEADS: frozenset[str] = frozenset({"情况"})

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


#: The frequency jieba's dictionary gives compounds it lists without having counted them (会议议程, 软件开发,
#: 行动计划 and 签署国 all have 3): such a word is no rarer in general Chinese than the words it is made of.
LISTED_FLOOR = 3
#: How much the words of such a compound count in its specificity; the rest is the compound's own.
LISTED_PARTS_WEIGHT = 0.7


def _listed_compound(word: str, general_frequency: Callable[[str], int]) -> tuple[str, str] | None:
    """The two dictionary words a dictionary word of four characters or more is made of, where jieba lists it
    at the floor frequency (LISTED_FLOOR) it gives compounds it has not counted; None otherwise."""
    if len(word) < 4 or general_frequency(word) > LISTED_FLOOR:
        return None
    best = None
    for cut in range(2, len(word) - 1):
        left, right = word[:cut], word[cut:]
        low = min(general_frequency(left), general_frequency(right))
        if low > LISTED_FLOOR and (best is None or low > best[0]):
            best = (low, left, right)
    return best[1:] if best else None


def words_of(key: str, counts: Mapping[str, int], splits: Mapping[str, tuple[int, int, int]]) -> list[str]:
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
    words = words_of(key, counts, splits)
    values = [specificity(counts.get(w, 1), general_frequency(w), corpus_tokens, general_total)
              for w in words if w not in CONNECTIVES]
    return sum(values) / len(values) if values else 0.0


def _through_simplified(tags: Mapping[str, str], general_frequency: Callable[[str], int],
                        simple: Mapping[str, str]) -> tuple[dict[str, str], Callable[[str], int]]:
    """The tag table and general frequencies, also answering for words written in traditional characters."""
    extended = dict(tags)
    for word, simplified in simple.items():
        if simplified in tags:
            extended.setdefault(word, tags[simplified])
    return extended, lambda word: general_frequency(simple.get(word, word))


#: A candidate seen once inside a longer run seen once, beside a verb or a word the text uses on its own
#: (视察路线 in 规划视察路线, 停机时间 in 台站停机时间): scored this share of its own score, below the run.
NESTED_ONCE_WEIGHT = 0.15

#: Dictionary nouns a head must head to count as a full compound head in :func:`head_termhood`.
PRODUCTIVE_HEAD = 50


#: Any other noun compound seen once inside a longer run: scored this share of its own score, so it ranks below
#: every candidate the rules above find and only fills a list that a short text leaves short.
NESTED_FALLBACK_WEIGHT = 0.01


#: Characters of Chinese numerals: a word the HMM makes of them is a number (二零), never a term.
_NUMERAL_CHARS: frozenset[str] = frozenset("零一二三四五六七八九十百千万亿两")


def _clean_hmm_word(word: str, table: NgramCounts) -> bool:
    """Whether a word jieba's HMM made up and the text uses once stands as a phrase of its own (可能的源区。,
    两条测线，): two or three Chinese characters, none a function word, numeral or adverb, between the
    boundaries of a run, and not a name by the look of it (王世联). Such a word is a candidate, ranked as any
    one-word candidate seen once."""
    if not 2 <= len(word) <= 3 or (word,) not in table.runs or word[0] in MULTIPLIER_PREFIXES:
        return False
    if any(not is_han(c) or c in FUNCTION_CHARS or c in CLOSING_CHARS or c in _NUMERAL_CHARS
           for c in word):
        return False
    return hmm_tag(fold_traditional(word)) not in NAME_TAGS


#: Nouns jieba's dictionary tags as adjectives (清单/a, 合同/a): a compound may end on them (标准事件清单).
NOUNS_TAGGED_AS_ADJECTIVES: frozenset[str] = frozenset({"清单", "合同"})


def _noun_compound(key: str, split: tuple[int, int, int], tags: Mapping[str, str],
                   rare_verb: Callable[[str], bool] = lambda word: False) -> bool:
    """Whether an n-gram has the shape of a noun compound: it ends on a noun (or a bound suffix, or a verbal noun
    after another word) and does not open on a verb, unless on a ``rare_verb`` general Chinese barely uses, which
    modifies the noun after it (防雷系统)."""
    tokens, first, last = split
    head, tail = key[:first], key[-last:]
    tail_tag = "n" if tail in NOUNS_TAGGED_AS_ADJECTIVES else tags.get(tail, "")
    if tail in BOUND_SUFFIXES and tokens > 1:
        return tags.get(head, "")[:1] != "v"  # 数据提供率 (率/v), not 提供率 alone
    if tokens > 1 and tags.get(head, "")[:1] == "v" and not (tokens == 2 and rare_verb(head)):
        return False  # 监督台站运营人: a predicate and its object
    if tokens > 2 and tail_tag[:1] == "v":
        return False  # 绩效指标监督台站运营: a verbal noun heads two words at most (数据处理)
    if len(tail) > 1 and tail[-1] in BOUND_SUFFIXES and tail_tag[:1] in ("l", ""):
        return True  # 取样器/l, 职类 (a word jieba's HMM made): a noun suffix makes a noun whatever the tag
    return ((tail_tag[:1] == "n" and tail_tag not in NAME_TAGS) or tail in BOUND_SUFFIXES
            or tail[-1:] in NOUN_FINALS or (tokens > 1 and tail_tag == "vn"))


def head_termhood(head: str, compounds: Mapping[str, tuple[int, int]] | None,
                  known_heads: Collection[str] = ()) -> float:
    """0.6..1: how much a candidate's last word says it ends a noun compound. A word that heads a term of the
    termbase, or PRODUCTIVE_HEAD nouns of jieba's dictionary, counts fully; one that heads none counts 0.6."""
    if compounds is None or head in known_heads:
        return 1.0
    heads = compounds.get(head, (0, 0))[0]
    return 0.6 + 0.4 * min(1.0, math.log1p(heads) / math.log1p(PRODUCTIVE_HEAD))


def constituents(table: NgramCounts, tags: Mapping[str, str]) -> set[str]:
    """The compounds a run seen once is made of, where it begins or ends with something the text uses on its
    own: a recurring candidate (国际数据中心 + 波形软件, 台站 + 停机时间, 辅助地震台站 + 数据), a verb taking
    the rest as its object (规划 + 视察路线, 期限内报告 + 核素活度), a generic head (自动状态监测 + 功能), a
    version word or a chair's title (视察报告 + 初稿, 筹备委员会 + 主席).
    The longest such edge is split off, so a split never crosses a recurring compound (国际 + 数据中心波形软件
    is not one). Each conjunct of a coordination is a run of its own."""
    counts = table.counts
    out: set[str] = set()
    for run, times in table.runs.items():
        if times > 1:
            continue
        start = 0
        for end in [i for i, word in enumerate(run) if word in CONNECTIVES] + [len(run)]:
            part = run[start:end]
            start = end + 1
            n = len(part)
            if n < 3:
                continue
            for k in range(n - 2, 0, -1):  # the longest recurring or predicate prefix leaves a compound
                verb = part[k - 1]
                if counts.get("".join(part[:k]), 0) >= 2 or verb in NOUN_TAGGED_VERBS or (
                        tags.get(verb) in VERB_TAGS and verb not in table.verb_heads) or (
                        k == 1 and (verb in table.loose or verb in table.verb_heads)):
                    # a verbal noun that may be a predicate (检查, 组织) only where it opens the run
                    out.add("".join(part[k:]))
                    break
            for k in range(2, n):  # the longest recurring or generic suffix leaves a compound before it
                tail = "".join(part[k:])
                if counts.get(tail, 0) >= 2 or (k == n - 1 and (
                        tail in GENERIC_EDGES or tail in table.verb_heads or tail in VERSION_WORDS
                        or tail in CHAIR_TITLES)):
                    out.add("".join(part[:k]))
                    break
    return out


#: A nominal section heading is a name the document fixes for its section's subject, with the 的 or the
#: coordination it writes (国际监测系统的维持, 测试、临时运行和性能评估): such names stay whole. Longer headings
#: are sentences (审查临时技术秘书处对核查相关方案的实施情况), not names.
HEADING_MAX_CHARS = 16
#: A heading the text writes this often (the heading included) is a name however jieba tags its words.
HEADING_RECURS = 3
#: Tags that never open a heading name: prepositions, pronouns, conjunctions, adverbs, numbers.
_HEADING_BAD_OPENERS = frozenset({"p", "r", "rr", "rz", "c", "d", "m", "q", "t", "f", "u", "uj"})
#: The enumerator that opens a Chinese section heading: 一、 or （一）.
_ENUMERATOR_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）])")
_HEADING_MARKS = frozenset("“”\"《》：:（）()，,；;。")


def _nominal_heading(words: list[tuple[str, str]], conjunct: bool = False, recurring: bool = False) -> bool:
    """Whether a heading, as jieba tags it, is a noun phrase: it opens on a content word (a verb only before one
    noun, 联合专家组), has no function word but 的 and 、 and connectives inside, and ends on a noun, or on a verb
    nominalised by 的 (的维持, 的逐步启用) or by the coordination it is a ``conjunct`` of (产品交付和及时性). A
    heading the text keeps ``recurring`` as written is a name whatever its verbs (建立信任措施, 现场视察请求)."""
    if not words:
        return False
    first, first_tag = words[0]
    if first in STOP_WORDS or first_tag in NAME_TAGS or (
            first_tag in _HEADING_BAD_OPENERS and not (len(first) > 1 and first[-1] in NOUN_FINALS)):
        return False
    if first_tag in VERB_TAGS and len(words) != 2 and not recurring:
        return False  # 完善国际监测系统台站坐标: a predicate and its object
    des = [i for i, (word, _tag) in enumerate(words) if word == "的"]
    if len(des) > 1:
        return False
    for i, (word, tag) in enumerate(words[1:-1], 1):
        if word in ("的", "、") or word in CONNECTIVES:
            continue
        if word in STOP_WORDS or word in CLAUSE_WORDS or tag in STOP_TAGS:
            return False
        after = words[i + 1][0]
        if tag in VERB_TAGS and not recurring and not (des and i > des[0]) and not (
                after == "、" or after in CONNECTIVES or after in BOUND_SUFFIXES):
            # a verb inside is a predicate, except after 的 (的逐步启用), before a bound suffix (提供率) or as
            # the nominalised head of a conjunct (临时运行和性能评估)
            return False
    last, last_tag = words[-1]
    if last in GENERIC_EDGES or last in VACUOUS_HEADS or last in STOP_WORDS or last_tag in STOP_TAGS:
        return False
    if last_tag in VERB_TAGS and last not in BOUND_SUFFIXES:
        return conjunct or recurring or (bool(des) and des[0] >= len(words) - 3)  # 的维持, 的逐步启用
    return last_tag[:1] == "n" or last_tag == "vn" or last[-1] in NOUN_FINALS or last in BOUND_SUFFIXES


def heading_names(document: Document, segmenter: Segmenter) -> Counter:
    """The names a document's nominal headings fix, each with its occurrences in the document (the heading
    included). A coordination the document writes only in the heading is two or more names
    (产品交付和及时性), one it repeats is one (测试、临时运行和性能评估)."""
    headings = dict.fromkeys(_ENUMERATOR_RE.sub("", "".join(p.text.split()))  # each distinct heading once
                             for p in document.paragraphs if p.is_heading)
    names: Counter = Counter()
    if not headings:
        return names
    # one string, paragraphs apart: a name (no whitespace) never spans two of them, and one count is C speed
    text = "\n".join("".join(p.text.split()) for p in document.paragraphs)

    def occurrences(name: str) -> int:
        return text.count(name)

    for heading in headings:
        if (not 3 <= len(heading) <= HEADING_MAX_CHARS or not has_han(heading)
                or any(c.isdigit() or c in _HEADING_MARKS for c in heading)):
            continue
        words = segmenter.tag(fold_traditional(heading))
        whole = occurrences(heading)
        if not _nominal_heading(words, recurring=whole >= HEADING_RECURS):
            continue
        parts = [heading]
        conjuncts = "".join(w if w != "、" and w not in CONNECTIVES else " " for w, _t in words).split()
        if len(conjuncts) > 1:
            if whole < 2:
                parts, part = [], []
                for word, tag in words + [("、", "x")]:
                    if word == "、" or word in CONNECTIVES:
                        if part and _nominal_heading(part, conjunct=True) and "的" not in (w for w, _t in part):
                            parts.append("".join(w for w, _t in part))
                        part = []
                    else:
                        part.append((word, tag))
            elif all(occurrences(w) >= 2 * whole for w in conjuncts):
                continue  # 成果和建议: each side twice as often alone, two words joined rather than a name
        for name in parts:
            found = occurrences(name)
            if len(name) >= 3 and name not in names and (found >= 2 or "的" not in name):
                names[name] = found  # 的 is part of a name the text repeats, not of a title's description
    return names


def defined_names(table: NgramCounts) -> dict[str, int]:
    """Full forms that a text defines by an abbreviation in brackets, with their counts: the longest counted
    n-gram that ends where the bracket opens (设备储存和维护设施（ESMF）, 缔约国大会（大会）), where the bracket
    holds a Latin acronym or a shorter form of it (技秘处, 大会), not a remark (如有的话). A Chinese short form
    names the last conjunct only where it fits there (临时技秘处与世界气象组织（气象组织）: 世界气象组织)."""
    counts = table.counts
    names: dict[str, int] = {}
    for (before, short), _n in sorted(table.pairs.items()):
        before = "".join(before.split())
        acronym = short.isascii() and any(c.isupper() for c in short) and is_code(short)
        for start in range(max(0, len(before) - 15), len(before) - 1):
            name = before[start:]
            if name in counts and (acronym or (has_han(short) and len(short) < len(name)
                                               and is_subsequence(short, name))):
                if not acronym:
                    # the short form of the last conjunct only (临时技秘处与世界气象组织（气象组织）)
                    for cut in range(len(name) - 1, 0, -1):
                        rest = name[cut + 1:]
                        if (name[cut] in CONNECTIVES and rest in counts and len(short) < len(rest)
                                and is_subsequence(short, rest)):
                            name = rest
                            break
                if len(name) >= 3 and name[:1] not in FUNCTION_CHARS:  # not 浓度 of 最低可探测浓度（MDC）
                    names[name] = counts[name]
                break
    return names


def score_candidates(table: NgramCounts, general_frequency: Callable[[str], int], general_total: int,
                     config: MiningConfig, tags: Mapping[str, str] | None = None,
                     compounds: Mapping[str, tuple[int, int]] | None = None,
                     known_heads: Collection[str] = (), headings: Mapping[str, int] | None = None) -> dict[str, float]:
    """Termhood of every counted n-gram and of the names headings fix; fragments score nothing.

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
    if table.simple:  # words written in traditional characters are looked up as jieba tagged them
        tags, general_frequency = _through_simplified(tags, general_frequency, table.simple)
    counts, splits = table.counts, table.splits
    left: dict[str, Counter] = {}
    right: dict[str, Counter] = {}
    extended: Counter = Counter()  # key -> occurrences with a word before it in its run
    for key, count in counts.items():
        tokens, first, _ = splits[key]
        if tokens > 1:
            extended[key[first:]] += count
    for key, count in counts.items():
        tokens, first, last = splits[key]
        if tokens < 2:
            continue
        prefix, suffix = key[:-last], key[first:]
        # a longer candidate made by a loose extension does not contain its inner one as a parent would:
        # a draft of it, a verb or a common verbal noun before it, a generic head after its only occurrence
        if prefix in counts and key[-last:] not in VERSION_WORDS and not (
                counts[prefix] == 1 and (key[-last:] in GENERIC_EDGES or key[-last:] in table.verb_heads)):
            right.setdefault(prefix, Counter())[key[-last:]] += count
        if suffix in counts and not _predicate_before(key[:first], tags, general_frequency) and not (
                counts[suffix] == 1 and key[:first] in table.loose):
            left.setdefault(suffix, Counter())[key[:first]] += count
        joint = table.joints.get(key)
        if (joint is not None and count > 1 and joint[0] == first and tags.get(key[:first]) in VERB_TAGS
                and splits.get(key[joint[1]:], (0,))[0] >= 2 and 2 * extended.get(key, 0) < count):
            # verbs coordinated before the head they share, recurring as a name (验证和验收测试计划): the last
            # conjunct and the head (验收测试计划) are part of the name as a nested candidate is of its parent.
            # Not where the verb mostly ends a longer first conjunct (设备开发和外勤业务支助, 临时运行和性能评估).
            left.setdefault(key[joint[1]:], Counter())[key[:joint[1]]] += count
    parts = constituents(table, tags)
    single = [count for key, count in counts.items() if splits[key][0] == 1]
    corpus_tokens = max(1, sum(single))
    once_tokens = min(corpus_tokens, ONCE_SEEN_TOKENS)
    empty: Counter = Counter()
    scores: dict[str, float] = {}

    def rare_verb(word: str) -> bool:  # general Chinese barely uses it: a modifier of the noun after it (防雷系统)
        return general_frequency(word) < UNKNOWN_VERB_FREQUENCY

    for key, f in counts.items():
        if f < config.min_frequency:
            continue
        lft, rgt = left.get(key, empty), right.get(key, empty)
        dominant = max(max(lft.values(), default=0), max(rgt.values(), default=0))
        tokens, first, last = splits[key]
        inner = fallback = False
        if dominant >= max(1.0, FRAGMENT_SHARE * f) or (f == 1 and table.embedded[key]):
            if f == 1 and tokens >= 2 and key in parts:
                inner = True
            elif f == 1 and _noun_compound(key, splits[key], tags, rare_verb):
                fallback = True  # a short text has few candidates: its nested compounds close the list
            else:
                continue  # a single occurrence inside a longer run belongs to that run
        inside_left, inside_right = sum(lft.values()), sum(rgt.values())
        containers = len(lft) + len(rgt)
        nested = (inside_left + inside_right) / containers if containers else 0.0
        if inner or fallback:
            nested, dominant, inside_left, inside_right = 0.0, 0, 0, 0
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
        if max(inside_left, inside_right) >= f >= NEVER_ALONE_EVIDENCE:
            continue  # 数据中心 in 国际数据中心 and 国家数据中心, 89 times and never alone: their fragment
        if f - max(inside_left, inside_right) < 0.15 * f:
            score *= 0.4  # (almost) never on its own: it ranks below the longer terms it is part of
        head, tail = key[:first], key[-last:]
        if head in GENERIC_EDGES or tail in GENERIC_EDGES or (tokens > 1 and tail in VERSION_WORDS):
            score *= 0.3  # a generic head (实施情况) or the draft of a term (作业手册草案)
            if tokens > 2 and tail in GENERIC_EDGES and key[:-last] in counts and \
                    words_of(key[:-last], counts, splits)[-1] in GENERIC_EDGES:
                score *= 0.3  # B工作组相关活动: a phrase of generic words after a term describes its context
        if tokens == 2 and tail in VERSION_WORDS and any(
                half in GENERIC_EDGES for half in _listed_compound(head, general_frequency) or ()):
            score *= 0.3  # 会议议程草案: the draft of a word made on a generic edge (会议 + 议程) is as generic
        if tail in CHAIR_TITLES and len(key) - last >= 2:
            score *= 0.2  # B工作组主席, 专家组主席: the person who chairs a body (副主席 is a title itself)
        tail_tag = tags.get(tail)
        if (tail_tag == "f" and tokens > 1) or tail in VACUOUS_HEADS or key in CHAIR_TITLES:
            continue  # 会议期间 (a postposition), 进展情况 (a head that names nothing), 副主席 (anyone's title)
        if tokens > 1 and tail in ADVERBIAL_VERBS:
            continue  # 订阅条件自动, 临时技秘处定期: an adverb jieba tags as a verbal noun modifies what follows it
        if tail_tag in NON_HEAD_TAGS and (tail_tag != "a" or general_frequency(tail) >= COMMON_VERB_FREQUENCY):
            continue  # an adverb or a common adjective never ends a term (临时技秘处定期; 清单/a is jieba's slip)
        if tags.get(head) == "d" and (tokens == 1 or general_frequency(head) >= COMMON_VERB_FREQUENCY) and not (
                head in DERIVING_PREFIXES and tokens == 3 and (tail in BOUND_SUFFIXES or tail in NOUN_FINALS)):
            continue  # nor stands as one, and only a rare one opens one (逐步启用, 未经认证数据提供率)
        if (tokens == 1 and key[-1] == "条" and NAMING_NUMERAL_RE.fullmatch(key)) or (
                tokens == 2 and head in NUMBERED_NOUNS):
            score *= REFERENCE_WEIGHT  # 第一条, 附件1 alone refer to a text; 第十四条会议, 附件2国家 are names
        if tags.get(head) in NAME_TAGS:
            score *= 0.2  # 美利坚合众国, 德国国家数据中心: names of places and people are not terms
        if head in NOT_INITIAL or (head in PASSIVE_MARKS and tokens < 3):
            continue  # 期讲习班 out of 第3期讲习班; 被检查 without the noun it names
        joint = table.joints.get(key)
        if joint is not None and (
                (counts.get(key[:joint[0]], 0) > f and counts.get(key[joint[1]:], 0) > f and f < 3)
                or (counts.get(key[:joint[0]], 0) >= 2 * f and counts.get(key[joint[1]:], 0) >= 2 * f)):
            # 名称和代码, 水声和次声: both sides live on their own, so this is two terms joined; so too where
            # each side is seen twice as often alone (国际监测系统和国际数据中心作业手册: two manuals)
            score *= 0.2
        if tokens > 1:
            if (f == 1 and tokens >= 3 and tags.get(head) == "v" and counts.get(head, 0) == 1
                    and general_frequency(head) >= COMMON_VERB_FREQUENCY // 5 and key[first:] in counts):
                # 生成自动放射性核素报告 seen once: a predicate and its compound object (reported alone), where
                # the text uses the verb nowhere else inside a noun phrase (视察 of 视察路线 it does); before one
                # noun a verb modifies it as often (接收设施)
                continue
            if (f == 1 and tokens >= 3 and head in table.loose and counts.get(head, 0) == 1
                    and key[first:] in counts):
                score *= 0.3  # 评估视察技术 seen once: a common verbal noun before a compound is its predicate
            if tags.get(head) == "v" and general_frequency(head) >= COMMON_VERB_FREQUENCY:
                score *= 0.3  # 提高数据提供率: a verb and its object
            elif (tags.get(head) == "v" and general_frequency(head) >= COMMON_VERB_FREQUENCY // 5
                  and counts.get(key[first:], 0) > f):
                score *= 0.3  # 列入国际数据中心作业手册: a verb taking a candidate that stands without it
            if (tags.get(tail) == "v" and general_frequency(tail) >= COMMON_VERB_FREQUENCY
                    and not (compounds or {}).get(tail, (0, 0))[0]):
                continue  # 临时运行提供: a common verb that heads no noun anywhere is a predicate, never a head
            if ((tags.get(tail) == "v" or tail in NOUN_TAGGED_VERBS)
                    and counts.get(key[:-last], 0) >= SUBJECT_SHARE * f):
                score *= 0.2  # 临时技秘处提供, 临时技秘处计划: a subject that mostly stands alone, then its verb
            elif tags.get(tail) == "v" and general_frequency(tail) >= COMMON_VERB_FREQUENCY // 2:
                score *= 0.4  # B工作组重申: a subject and its verb
            if joint is not None and f < 2:
                continue  # A和B seen once: two terms side by side, reported apart; a name recurs whole
            if f == 1:
                # nothing but its words to go by: domain words make a term (人工颗粒物系统), general ones a
                # phrase (先生澳大利亚辐射防护)
                score *= _mean_specificity(key, counts, splits, general_frequency, general_total, once_tokens)
                # and the pattern: a head that heads many nouns (系统, 设备, 计划) or one the termbase uses
                # makes a term of the words before it; a head that heads nothing rarely does
                score *= head_termhood(tail, compounds, known_heads)
        else:
            if key[0] in CONNECTIVES or key[-1] in CONNECTIVES or (
                    key not in tags and f < 2 and not _clean_hmm_word(key, table)):
                continue  # 现状及 (a dictionary oddity); a word jieba's HMM made up must recur to count, or
                # stand alone as a whole phrase (可能的源区。两条测线，)
            if key not in tags and f == 2 and hmm_tag(fold_traditional(key)) in NAME_TAGS:
                continue  # and seen twice only, it is more often a transliterated name (亚速尔) than a term
            if not has_han(key):
                continue  # a lone capital (the B of B工作组) is no term; codes are counted apart
            if tags.get(key) == "i" or key in VERSION_WORDS or key in MULTIPLIER_PREFIXES:
                continue  # an idiom (chengyu) is general language, however rare in the dictionary; a version
                # (修订版, 草案) is a version of something named beside it; 多 is a prefix of the noun after it
            halves = _listed_compound(key, general_frequency)
            if halves:
                # a compound jieba lists at its floor frequency (会议议程, 软件开发): as specific as its words
                parts_spec = sum(specificity(f, general_frequency(h), corpus_tokens, general_total)
                                 for h in halves) / 2
                whole_spec = specificity(f, general_frequency(key), corpus_tokens, general_total)
                score *= LISTED_PARTS_WEIGHT * parts_spec + (1 - LISTED_PARTS_WEIGHT) * whole_spec
                if halves[0] in GENERIC_EDGES or halves[1] in GENERIC_EDGES:
                    score *= 0.3  # 会议议程: listed whole, but made on a generic edge as 会议 + 议程 would be
            else:
                score *= specificity(f, general_frequency(key), once_tokens if f == 1 else corpus_tokens, general_total)
            if f == 1:
                score *= 0.3  # one occurrence says little about a word's specificity
            if general_frequency(key) >= COMMON_WORD_FREQUENCY:
                score *= COMMON_WORD_WEIGHT  # 数据, 系统, 区域: a word general Chinese uses this much is rarely a term alone
        if inner:
            score *= NESTED_ONCE_WEIGHT  # below the run it was seen in, found all the same
        elif fallback:
            score *= NESTED_FALLBACK_WEIGHT
        scores[key] = score
    for name, f in defined_names(table).items():
        # a name the text defines by its abbreviation (国家数据中心（NDC）) is a unit by the text's own word
        scores[name] = max(scores.get(name, 0.0), math.log2(1 + min(len(name), 8)) * f)
    for name, f in (headings or {}).items():
        # a heading is a unit by the document's own layout: C-value with full unithood and no parent
        if f >= config.min_frequency:
            scores[name] = max(scores.get(name, 0.0), math.log2(1 + min(len(name), 8)) * f)
    for code, f in table.codes.items():
        if f >= config.min_frequency:
            score = math.log2(1 + len(code)) * f * 0.5
            if not has_han(code) and any(c.isdigit() for c in code):
                score *= 0.3  # RN53, TL-11: identifiers of stations and equipment rather than terms (氙-133 is one)
            scores[code] = max(scores.get(code, 0.0), score)
    return scores


def rank(scores: Mapping[str, float], top: int | None) -> list[str]:
    """Best first; ties broken by the term itself, so output is deterministic."""
    ordered = sorted(scores, key=lambda key: (-round(scores[key], 9), key))
    return ordered[:top] if top else ordered
