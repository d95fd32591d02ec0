"""Noun-phrase runs and their n-gram counts: where a term candidate may begin and end in Chinese text.

Runs follow Chinese noun-compound patterns (modifier* head), read off jieba's tags: verbs, prepositions,
的 and clause-level function words end a run, except where a verb is the nominalised head of a compound
(样品制备), sits inside a word (数据提供率) or is used as a noun by the dictionary or by the text itself
(现场视察, 视察组: then it modifies the noun after it anywhere in the text, 视察报告), or is uncommon and sits
between a noun and a compound head (设备更换计划) or opens the object of a predicate (制定 + 整改计划); a Latin
name written onto a noun is part of it (HPGe探测器), and a verb alone as an item of a list names a process
(以及钻探等). 被 and 经 before a verb and a noun make a participle (被视察缔约国, 经认证台站), 可 after a
superlative an adjective (最低可探测浓度), 多 before a noun a prefix (多光谱); elsewhere 经 is a preposition that
ends a run. A word jieba's HMM made across a conjunction is cut again (计和微 -> 计 + 和 + 微), and so is a verb
and its object that its dictionary lists as one uncounted noun (签订协议), and a name's last character glued to
the function word after it (视察组在 -> 组 + 在, 临时技秘处在 -> 处 + 在). Numerals that name make terms (第十四条,
附件2国家, 第三代, 三维), a measure word straight after a noun heads it (数据帧), 前 and 后 between a process
and a noun name a phase (视察前阶段), and a verbal word after a modal adverb is a predicate (也记录); what follows
的, a number with its measure word or a determiner is a noun phrase, verb first or not (两个指定实验室). Coordinations
(A和B) count as one candidate only where the whole recurs. In a run seen once, the compound left when a
recurring candidate, a predicate, a generic head, a version word or a chair's title is split off its edge is a
candidate too, ranked below the run (台站 + 停机时间, 规划 + 视察路线, 视察报告 + 初稿); postpositions of time
(以来, 期间) end a run; nuclides (氙-133) are read as written. A nominal section heading is a name the document
fixes, 的 and coordination included where the text repeats it (国际监测系统的维持, 测试、临时运行和性能评估).
The rules and their word lists are the constants below.

Counting keeps only the n-gram table, never the texts, so memory follows the number of distinct candidates
rather than the size of the corpus.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from glossary.corpus import SYMBOL_RE
from glossary.segment import Segmenter
from glossary.textnorm import fold_traditional, has_han

if TYPE_CHECKING:
    from glossary.mining import MiningConfig


# --- general Chinese stop lists (function words, reporting verbs, generic heads); nothing report-specific ---

#: Words that end a candidate run: function words, pronouns, reporting and procedural verbs, time words.
STOP_WORDS: frozenset[str] = frozenset("""
了 是 在 于 对于 关于 根据 按照 依据 通过 为 为了 以 以便 以期 由 由于 从 自 向 至 到 把 被 将 会 可 可以 能 能够
应 应当 须 必须 需要 要 已 已经 曾 正在 仍 仍然 还 也 都 均 并 并且 而 而且 但 但是 然而 因此 因为 所以 如果 即 即使
虽然 以及 及其 或者 其 其中 其他 其它 该 此 这 这些 这一 那 那些 本 各 各个 每 每个 所有 任何 有关 上述 下列
如下 以下 以上 等 等等 之间 之后 之前 方面 中 上 下 内 外 后 前 时 里 年 月 日 次 项 个 份 名 种 类 位 些 第 届 段 节
条 款 号 注意 注意到 指出 表示 显示 表明 认为 强调 欢迎 赞赏 感谢 鼓励 请 要求 希望 决定 商定 同意 审议 讨论 介绍 提出
提交 进行 开展 展开 继续 包括 涉及 协助 举行 举办 出席 作 做 作出 做出 采取 取得 获得 得到 达到 实现 完成
开始 结束 促进 推动 推进 确保 考虑 说明 概述 回顾 宣布 发表 听取 收到 编写 起草 载 所载 所述 所提 拟 有
没有 无 不 未 很 较 更 最 非常 特别 尤其 一些 一项 一个 一份 一次 多项 几 几个 若干 许多 其余 现有 目前 当前 今后
最近 此前 先前 同时 另外 此外 例如 比如 如 尽快 尽早 进一步 分别 共同 持续 密切 认真 适当 必要 成功 圆满 有效
积极 充分 之一 如何 为何 什么 哪些 所作 所 一 二 三 四 五 六 七 八 九 十 两 日至 年拟 处在
先生 女士 阁下 制定 致辞 批准 核准 应邀 邀请 答复 印发 转交 供 评论 交换 感谢 吁请 重视 尊重 赞同 认可 设法 力求 旨在
有所 加以 予以 给予 得以 有待 无法 难以 日益 随后 随即 有权 无权 迟于 早于 晚于 使 令 让 致使
组成 参加 得出 承担 签订 相符 相比 相结合 起来 召集 与会 全部 全体 所列 见 大量
即可 尽可能 据此 尚未 逐一 即将 届时 酌情 最常 较为 照常 迄今 更为 一并 稳步 从未 未曾 就此 历次 业已 早已 一律 一概 始终
依然 依旧 仍旧 屡次 再次 纷纷 相继 陆续 依次 随之 进而 务必 亟需 亟待 均已 都已 均将 亦即 仍将
包含 含有 涵盖 设有 配备 配有 附有 载有 带有 源自 适用于 不同于 高于 低于 大于 小于 多于 少于 取决于 有助于 致力于 侧重
""".split())
#: Generic heads and modifiers: a candidate that starts or ends with one is rarely a term of its own
#: (实施情况, 进展情况, 相关活动); scored down, not dropped, since some terms do end so (跨领域问题).
GENERIC_EDGES: frozenset[str] = frozenset("""
情况 问题 方面 事项 内容 结果 进展 状况 状态 现状 意见 方式 形式 方法 作用 过程 部分 一部分 目标 要素 细节 议题 专题 文件
会议 工作 活动 任务 相关 有关 新 主要 重要 拟议 各项 不同 类似 相应 具体 一般 总体 整体 其他 更新 最新
""".split())

#: Coordinating conjunctions: allowed inside a candidate only where the whole coordination recurs as a name
#: (现场视察设备和软件清单, 方案和预算); a span seen once is split into its conjuncts. Never at an edge.
CONNECTIVES: frozenset[str] = frozenset({"和", "与", "及", "或"})
#: Clause-level function words that always end a candidate: the attributive particle 的/之 (a 的-phrase is a
#: description unless the termbase makes it one word: 经核证的放射性核素实验室) and the preposition 对.
CLAUSE_WORDS: frozenset[str] = frozenset({"的", "之", "对", "地", "得"})
#: Bound nominal suffixes that end compounds whatever jieba tags them (提供率 is 提供/v 率/v, 取样点 is
#: 取样/v 点/m): a verb before one is inside a word, not a predicate. They never open a candidate.
BOUND_SUFFIXES: frozenset[str] = frozenset("率 点 器 仪 性 量 员 者 站 机 库 网 组 处 室 费 值 度 区 型 式 类 化 表 图 期 间".split())
#: Words after which a verb before a noun opens a noun phrase rather than a predicate: the start of a sentence
#: (Chinese puts the subject first), 的, and the prepositions that take a noun phrase.
OPENERS: frozenset[str] = frozenset("。 ； ： ！ ？ 的 由 对 向 在 从 将 把 被 按照 根据 依据 通过 关于 对于".split())
#: Words after which a verb before a noun opens the object noun phrase: light verbs that take a verbal noun
#: (进行复测分析), the aspect particle after a predicate (采用了集结演练) and the list comma (、多光谱成像).
OBJECT_OPENERS: frozenset[str] = frozenset("进行 开展 加以 予以 了 、".split())
#: After a comma a new clause may open with its predicate; only a verb general Chinese barely knows (below
#: UNKNOWN_VERB_FREQUENCY) is read as the modifier of a noun there (，外聘审计员).
LIST_OPENERS: frozenset[str] = frozenset("， 、".split())
UNKNOWN_VERB_FREQUENCY = 100
#: Predicate verbs this frequent in general Chinese (提高, 提供, 加强, 使用) rarely open or close a term.
COMMON_VERB_FREQUENCY = 5000
#: Passive marks that, before a verb and a noun, open a noun phrase (被视察缔约国, 经认证台站).
PASSIVE_MARKS: frozenset[str] = frozenset({"被", "经"})
#: Prepositions jieba's dictionary tags as nouns (经/n): they end a run (信号经通信卫星转发, 数据经信息管理小组核对).
PREPOSITION_NOUNS: frozenset[str] = frozenset({"经"})
#: Function words that open a derived noun with a verb and a noun suffix (可追溯性, 不确定度).
DERIVING_PREFIXES: frozenset[str] = frozenset({"可", "不"})
#: A word jieba tags as a time word (t) but general Chinese uses less than this continues a noun phrase before a
#: noun (中期天气预报中心, 新一代水听器); 初期 after 阶段 is still a time.
TIME_NOUN_FREQUENCY = 3000
#: Superlatives after which 可 + a verb is an adjective of the noun after it (最低可探测浓度), not a modal.
SUPERLATIVES: frozenset[str] = frozenset("最低 最小 最高 最大".split())
#: Numerals that, written onto a noun, make a prefix rather than a count (多光谱, 多因素): multi-.
MULTIPLIER_PREFIXES: frozenset[str] = frozenset({"多"})

#: Postpositions that, between a process and a noun, make the noun a phase of the process (视察前阶段, 核证后活动):
#: pre- and post-.
PHASE_POSTPOSITIONS: frozenset[str] = frozenset({"前", "后"})
#: Numeral words jieba tags m that name rather than count: a treaty article (第十四条), a generation (第三代) or a
#: number of dimensions (三维): nouns and modifiers of nouns (第十四条会议, 第三代全球通信基础设施, 一维速度模型).
NAMING_NUMERAL_RE = re.compile(r"第[一二三四五六七八九十百零]+[条代]|[一二三四五六七八九十两多]维")
#: Nouns whose number is part of their name (附件2, 议定书附件1): the digits after one continue the run.
NUMBERED_NOUNS: frozenset[str] = frozenset({"附件", "附录"})
#: Modal and aspect adverbs: a verbal word after one is a predicate (也记录火山喷发, 已完成安装), not a noun.
PREDICATE_ADVERBS: frozenset[str] = frozenset(
    "也 都 均 已 已经 还 仍 仍然 正在 曾 须 必须 应 应当 就 才 又 再 亦 皆 尚 可以 能 能够 会 并".split())
#: jieba lists some verbs with their objects as nouns without having counted them (传输数据 7, 接收数据 2): at or
#: below this general frequency such a four-character word is cut into its verb and its noun.
LISTED_PREDICATE_FREQUENCY = 12
#: Last characters that make a word a noun whatever jieba tags it (表决权/v, 知情权): rights, rates, kinds.
NOUN_FINALS: frozenset[str] = frozenset("权率性度")
#: jieba tags of verbs: a verb ends a candidate (it is a predicate) except as the nominalised head of a
#: noun compound (样品制备, 峰值搜索 before a comma or a conjunction) or before a bound suffix.
VERB_TAGS: frozenset[str] = frozenset({"v", "vd", "vi", "vg", "vq"})
#: A verb that heads this many nouns of jieba's dictionary is a noun as often as a verb (组织: 世界卫生组织;
#: 处理: 污水处理; 预算: 财政预算): it does not end a candidate.
VERB_HEADS_NOUNS = 10
#: A verb seen this often after the same content word in a batch is part of a noun there (现场视察).
LEXICAL_VERB_REPEATS = 2
#: Predicate verbs that jieba's dictionary tags as nouns (利用/n, 传授/n, 区分/n, 产生/n) or keeps whole with their
#: object (提供数据/n): they end a candidate as any verb does.
PREDICATE_NOUNS: frozenset[str] = frozenset("利用 传授 区分 规定 提供数据 负责 具有 具备 产生".split())
#: Of those, the ones that also name a thing at the end of a phrase (危险品运输规定: regulations); the others never
#: head a compound before a boundary (国际数据中心提供数据。).
NOUN_PREDICATES: frozenset[str] = frozenset({"规定"})

#: jieba tags that end a run: punctuation, numbers, quantifiers, pronouns, prepositions, particles,
#: conjunctions, time and direction words, interjections and onomatopoeia. Adverbs (d) stay in a run: a rare one
#: opens terms (逐步启用, 未经认证数据提供率); scoring keeps them off the ends otherwise.
STOP_TAGS: frozenset[str] = frozenset({"x", "m", "mq", "q", "r", "rr", "rz", "p", "ad", "c", "t", "tg", "f",
                                       "u", "uj", "ul", "uz", "ug", "ud", "uv", "y", "e", "o", "zg"})

_BREAK, _CONTENT, _CONNECTIVE, _VERB = 0, 1, 2, 3
#: One-character function words; a word jieba's HMM invents that starts or ends with one is no content word.
FUNCTION_CHARS: frozenset[str] = frozenset("了是在于为以由从自向至到把被将会可能应须要已曾仍还也都均并而但即其该此这那各每无不未很较更最"
                                            ) | CONNECTIVES | {"的", "之", "对"}
#: One-character adverbs, prepositions, pronouns and conjunctions (jieba's d, p, r, c): a word the HMM invents
#: that ends in one has glued it to the word before (视察组共执行, 视察组则).
CLOSING_CHARS: frozenset[str] = frozenset("就又只却再才便则先共仅亦皆尚所给同比跟因按据除他它另某")
#: Words the hot loop's rules of passives, derivation and prefixes look at (see NgramCounter.special).
_MARKED_WORDS: frozenset[str] = PASSIVE_MARKS | DERIVING_PREFIXES | MULTIPLIER_PREFIXES
#: One-character postpositions (jieba's f): they end words of their own (灾后, 课前), but after a noun suffix the
#: HMM has glued the postposition to the noun (入境点后), and after a number they make a span of time (10天内).
_POSTPOSITION_CHARS: frozenset[str] = frozenset("上中后下里前外内")
_CAPITAL_RE = re.compile(r"[A-Z]")
_ROMAN_RE = re.compile(r"[IVXLC]+")
#: Latin acronyms and codes: IMS, NET-VISA, PRTool, RN53, HA8, Cinderella-G2 (two capitals or letters+digits).
_CODE_RE = re.compile(r"(?<![A-Za-z0-9/.\-@])[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*(?![A-Za-z0-9/@])")
#: Text that looks like codes but is not: document symbols, e-mail and web addresses (ASCII classes: a
#: ``\S+@`` would rescan every run of Chinese text, which has no spaces, at every position).
_NOT_CODE_RE = re.compile(rf"{SYMBOL_RE.pattern}|[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+|(?:https?://|www\.)[!-~]+")
#: The Chinese names of the chemical elements (with 氘 and 氚): a nuclide is written as one of them, a hyphen and
#: its mass number (氙-133, 氙-131m, 铯-137), a term of its own however often it occurs.
ELEMENTS = ("氢氘氚氦锂铍硼碳氮氧氟氖钠镁铝硅磷硫氯氩钾钙钪钛钒铬锰铁钴镍铜锌镓锗砷硒溴氪铷锶钇锆铌钼锝钌铑钯银镉铟锡锑碲碘氙"
            "铯钡镧铈镨钕钷钐铕钆铽镝钬铒铥镱镥铪钽钨铼锇铱铂金汞铊铅铋钋砹氡钫镭锕钍镤铀镎钚镅锔锫锎锿镄钔锘铹")
_NUCLIDE_RE = re.compile(rf"[{ELEMENTS}][-‐－](?:[1-9][0-9]{{0,2}})m?(?![0-9A-Za-z])")
#: ``full form（short form）`` as reports introduce abbreviations: 2 to 40 name characters, then the bracket.
_NAME_CHAR = r"[^（(，。；：、\s]"
_NAME_MIN, _NAME_MAX = 2, 40
_BRACKET = r"[（(]《?([^（）()《》，。；：\s]{2,15})》?[）)]"
_PAREN_RE = re.compile(rf"({_NAME_CHAR}{{{_NAME_MIN},{_NAME_MAX}}}){_BRACKET}")
_OPEN_BRACKET_RE = re.compile(r"[（(]")
#: the run of name characters that ends where a bracket opens (searched between the last match and the bracket)
_RUN_END_RE = re.compile(rf"{_NAME_CHAR}+$")
_BRACKET_CONTENT_RE = re.compile(_BRACKET)


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
    #: words written in traditional characters -> the simplified word jieba tagged
    simple: dict[str, str] = field(default_factory=dict)
    #: words a term may stand beside without being part of them: common verbal nouns that open a run
    #: (检查传感器) and generic heads that close one (通信链路状态); see :func:`_core`
    loose: set[str] = field(default_factory=set)
    #: verbs counted as nouns (组织, 计算): after a term seen once they may be its predicate
    verb_heads: set[str] = field(default_factory=set)
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
        for word, simple in other.simple.items():
            self.simple.setdefault(word, simple)
        self.loose.update(other.loose)
        self.verb_heads.update(other.verb_heads)
        self.characters += other.characters

    def expand(self, config: MiningConfig) -> None:
        """Fill ``counts`` and ``splits``: every n-gram that starts and ends on a content word, with at most
        ``max_connectives`` connectives inside."""
        counts, splits, joints, embedded = self.counts, self.splits, self.joints, self.embedded
        max_tokens, max_conn = config.max_tokens, config.max_connectives
        for run, times in self.runs.items():
            n = len(run)
            # the conjunct each word belongs to: a word's neighbour across 和 is not its neighbour in a term
            conjunct_start, conjunct_end = _conjuncts(run, self.loose, self.verb_heads)
            for i in range(n):
                if run[i] in CONNECTIVES or run[i].isdigit():
                    continue  # nor does a number open one (the 2 of 附件2国家)
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
                    if (i > 0 or j < n - 1) if connectives else (i > conjunct_start[i] or j < conjunct_end[j]):
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
        #: common verbal nouns met so far: at the start of a run they may be a predicate (检查传感器)
        self.loose: set[str] = set()
        self.adverbs: set[str] = set()
        #: words the dictionary glued to a function word or a predicate after them -> the characters that
        #: belong to the run (系统对 -> 2, 小组讨论 -> 2)
        self.glued: dict[str, int] = {}
        #: content words that are verbs as well: verbal nouns, and nouns jieba tags n that report (报告)
        self.verbal: set[str] = set(NOUN_TAGGED_VERBS)
        self.verb_heads: set[str] = set()
        #: words some rule of the hot loop looks at beyond their role (被, 可, 多, time words, Latin words, 天内):
        #: every other word skips those rules with one lookup
        self.special: set[str] = set()
        #: words jieba's HMM made -> their pieces (see _recut), or None where the word stays whole
        self._pieces: dict[str, tuple[str, ...] | None] = {}
        #: words known to stay whole: a text made of them only is not looked at word by word
        self._whole: set[str] = set()

    def role(self, word: str) -> int:
        role = self._roles.get(word)
        if role is None:
            role = self._roles[word] = self._classify(word)
            if (word in _MARKED_WORDS or word[-1:] in _POSTPOSITION_CHARS or self.segmenter.tags.get(word) in ("t", "q")
                    or word.isdigit() or NAMING_NUMERAL_RE.fullmatch(word) or word in PREDICATE_ADVERBS
                    or (len(word) > 1 and word.isascii() and word.isalpha())):
                self.special.add(word)
        return role

    def _classify(self, word: str) -> int:
        if word in self.segmenter.user_words:
            return _CONTENT
        if word in CONNECTIVES:
            return _CONNECTIVE
        if word in BOUND_SUFFIXES:
            return _CONTENT
        if word in PREDICATE_NOUNS:
            return _VERB
        if word in PREPOSITION_NOUNS:
            return _BREAK
        if word in STOP_WORDS or word in CLAUSE_WORDS or word.isspace() or (len(word) > 1 and word[-1] in "及与"):
            return _BREAK  # 现状及, 涉及, 参与: a word that ends in a conjunction ends a run
        tag = self.segmenter.tags.get(word)
        if tag in VERB_TAGS:
            heads, _ = self.segmenter.compounds.get(word, (0, 0))
            if heads < VERB_HEADS_NOUNS and not (len(word) > 1 and word[-1] in NOUN_FINALS):
                return _VERB
            self.verbal.add(word)
            self.verb_heads.add(word)  # 组织, 表决权: a noun here, but a term seen once may stand before it
            return _CONTENT
        if tag == "m" and NAMING_NUMERAL_RE.fullmatch(word):
            return _CONTENT  # 第十四条, 第三代, 三维: a numeral that names
        if tag == "f" and len(word) > 1:
            if word[0] in "以之" or word in RELATIONAL_POSTPOSITIONS:
                return _BREAK  # 自1995年以来, 会议期间: a postposition of time or relation closes a phrase
            return _CONTENT  # 内部, 外部 modify nouns; the one-character 上, 中, 内 end a phrase
        if tag == "l" and word[0] in DERIVING_PREFIXES and word[-1] not in FUNCTION_CHARS:
            return _CONTENT  # 可追溯, 不间断: fixed adjectives that open nouns (可追溯性, 不间断电源)
        if tag == "l" and (word[0] in FUNCTION_CHARS or word[-1] in FUNCTION_CHARS):
            if word[-1] in FUNCTION_CHARS and self.segmenter.tags.get(word[:-1], "x")[0] == "n":
                self.glued[word] = len(word) - 1  # 系统对: a noun and the preposition after it, glued by the dictionary
            return _BREAK  # 系统对, 相关联: jieba's fixed expressions glued to a function word
        tags = self.segmenter.tags
        if (tag == "n" and len(word) >= 4 and word[-2:] in STOP_WORDS and tags.get(word[-2:], "x")[0] == "v"
                and tags.get(word[:-2], "x")[0] == "n"):
            self.glued[word] = len(word) - 2  # 小组讨论: a noun and a reporting verb, listed as one phrase
            return _BREAK
        if tag is None:
            if not has_han(word):
                # a lone capital joins Chinese words (B工作组); Latin words and codes are counted apart
                return _CONTENT if len(word) == 1 and word.isascii() and word.isupper() else _BREAK
            suffix_glued = len(word) == 2 and word[-1] in _POSTPOSITION_CHARS
            if word[0] in FUNCTION_CHARS or word[-1] in FUNCTION_CHARS or word[-1] in CLOSING_CHARS or suffix_glued:
                if len(word) == 2 and (word[0] in BOUND_SUFFIXES or suffix_glued) and word[0] not in FUNCTION_CHARS:
                    self.glued[word] = 1  # 窗内, 组把: a noun's last character and the word after it (率为 is cut
                    # apart before, see _unglued)
                return _BREAK  # the HMM glued a function word to a word part (流域局在 -> 局在)
            return _CONTENT
        if tag == "i" and len(word) >= 4:
            return _BREAK  # a four-character idiom (有所增加) is general language, never part of a term
        if tag in STOP_TAGS or (tag == "d" and self.segmenter.general_frequency(word) >= COMMON_VERB_FREQUENCY):
            return _BREAK  # a common adverb (则, 随后) is clause syntax; a rare one may open a term (逐步启用)
        if tag == "vn":
            self.verbal.add(word)
        if tag == "d":
            self.adverbs.add(word)  # a rare adverb may open a term, never end one (国际数据中心实时 + 发送)
        if tag == "vn" and self.segmenter.general_frequency(word) >= COMMON_VERB_FREQUENCY // 5:
            self.loose.add(word)  # 检查, 管理: as often the predicate before a term as a part of one
        return _CONTENT

    def _listed_predicate(self, word: str) -> tuple[str, str] | None:
        """A verb and its object jieba lists as one noun without having counted it (传输数据, 接收数据): cut in
        two, so the verb is read in context, as a predicate or as the modifier of the noun (模拟信号)."""
        tags, general = self.segmenter.tags, self.segmenter.general_frequency
        verb, noun = word[:2], word[2:]
        if (tags.get(word, "")[:1] == "n" and general(word) <= LISTED_PREDICATE_FREQUENCY and tags.get(verb) == "v"
                and tags.get(noun, "")[:1] == "n" and verb not in self.segmenter.user_words
                and word not in self.segmenter.user_words and word not in PREDICATE_NOUNS):
            return verb, noun
        return None

    def _recut(self, keys: list[str]) -> list[str]:
        """jieba's HMM joins characters its dictionary does not know across a conjunction or after a function
        word (地震计和微气压计 -> 计和微, 以及将源项估计 -> 将源项): such a word is cut again at them. A verb and
        its object that the dictionary lists as one uncounted noun is cut in two (see _listed_predicate)."""
        whole = self._whole
        if whole.issuperset(keys):
            return keys  # the common case, decided at C speed
        pieces, tags = self._pieces, self.segmenter.tags
        out = None
        for n, word in enumerate(keys):
            split = None
            if word not in whole:
                if len(word) > 1 and (word not in tags or len(word) == 4):
                    split = pieces.get(word, ())
                    if split == ():
                        split = pieces[word] = _unglued(word) if word not in tags else self._listed_predicate(word)
                if split is None:
                    whole.add(word)
            if split is not None:
                if out is None:
                    out = keys[:n]
                out.extend(split)
            elif out is not None:
                out.append(word)
        return keys if out is None else out

    def _lexical_verbs(self, cuts: list[list[str]]) -> tuple[set[tuple[str, str]], set[str]]:
        """How the batch itself uses verbs as nouns: (word, verb) and (verb, word) pairs that recur with a
        content word (现场视察 in 现场视察请求, 现场视察设备; 视察区域 again and again), and verbs that open
        words with a bound suffix (视察组, 视察员: the verb names a thing there, so it does everywhere)."""
        roles = self._roles
        pairs: Counter = Counter()
        nominal: Counter = Counter()
        for keys in cuts:
            previous = None
            previous_role = before_role = _BREAK
            for key in keys:
                r = roles.get(key)
                if r is None:
                    r = self.role(key)
                if r == _VERB and previous_role == _CONTENT:
                    pairs[(previous, key)] += 1
                elif previous_role == _VERB and r == _CONTENT:
                    pairs[(previous, key)] += 1
                    if key in BOUND_SUFFIXES:
                        nominal[previous] += 1
                    if before_role == _CONTENT:
                        pairs[(before, previous, key)] += 1  # 安全保障规划 twice: a compound, whatever the verb
                before, before_role = previous, previous_role
                previous, previous_role = key, r
        general = self.segmenter.general_frequency
        # a common verb repeated after the same subject is a predicate again (B工作组负责 ..., B工作组负责 ...)
        def uncommon(pair: tuple[str, ...]) -> bool:
            return general(pair[1] if roles.get(pair[1]) == _VERB else pair[0]) < COMMON_VERB_FREQUENCY

        return ({pair for pair, n in pairs.items() if n >= LEXICAL_VERB_REPEATS and (len(pair) == 3 or uncommon(pair))},
                {verb for verb, n in nominal.items() if n >= LEXICAL_VERB_REPEATS})

    def count(self, texts: Iterable[str], into: NgramCounts | None = None) -> NgramCounts:
        result = into if into is not None else NgramCounts()
        runs = result.runs
        cut, hmm = self.segmenter.tokenizer.lcut, self.segmenter.hmm
        roles, role, adverbs, glued, verbal = self._roles, self.role, self.adverbs, self.glued, self.verbal
        special = self.special
        if not isinstance(texts, list):
            texts = list(texts)
        joined = "\n".join(texts)
        _count_codes_and_pairs(joined, result)  # one regex pass per batch, not per paragraph
        simplified = _simplified_texts(joined, texts)
        cuts = [self._recut(cut(simple, HMM=hmm)) for simple in simplified]  # roles come from the simplified words
        _cut_glued_suffixes(cuts, simplified)
        lexical, nominal_verbs = self._lexical_verbs(cuts)
        # verbs the text uses as nouns beside a content word (not a common verb inside a recurring clause)
        modifiers = {word for pair in lexical if len(pair) == 2 for word in pair if roles.get(word) == _VERB}
        modifiers |= nominal_verbs
        general = self.segmenter.general_frequency
        compounds = self.segmenter.compounds
        tag_of = self.segmenter.tags.get

        def heads_of(word: str) -> int:
            return compounds.get(word, (0, 0))[0]
        for text, simple, keys in zip(texts, simplified, cuts):
            result.characters += len(text)
            run: list[str] = []
            words = keys if simple is text else _original_words(keys, text, result.simple)
            last = len(keys) - 1
            forced = -1  # a word kept in the run whatever its role: the verb of 被视察缔约国, of 可探测
            skipped = -1  # a word left out whatever its role: the predicate of 也记录
            for i, key in enumerate(keys):
                if i == forced:
                    run.append(words[i])
                    continue
                if i == skipped:
                    continue
                r = roles.get(key)
                if r is None:
                    r = role(key)
                if key in special:
                    if (key in PREDICATE_ADVERBS and i + 2 <= last and role(keys[i + 1]) and keys[i + 1] in verbal
                            and role(keys[i + 2]) == _CONTENT):
                        # 也记录火山喷发: after a modal or aspect adverb a verbal word is the predicate
                        if run:
                            runs[_trim(run, adverbs)] += 1
                        run, skipped = [], i + 1
                        continue
                    if (key in PASSIVE_MARKS and i + 2 <= last and tag_of(keys[i + 1], "x")[0] == "v"
                            and not (key in PREPOSITION_NOUNS and tag_of(keys[i + 1]) != "v")  # 经 + 分析人员
                            and role(keys[i + 2]) == _CONTENT and tag_of(keys[i + 2], "x")[0] == "n"):
                        # 被 or 经 + a verb + a noun: a passive participle names the noun (被视察缔约国, 经认证台站); a
                        # passive clause puts its agent between them (被缔约国拒绝)
                        if run:
                            runs[_trim(run, adverbs)] += 1
                        run, forced = [words[i]], i + 1
                        continue
                    if not r and key in DERIVING_PREFIXES and i + 2 <= last and (
                            keys[i + 2] in BOUND_SUFFIXES or keys[i + 2] in NOUN_FINALS):
                        r = _CONTENT  # 可追溯性, 不确定度: 可/不 + verb + a noun suffix make one noun
                    if (key in DERIVING_PREFIXES and run and keys[i - 1] in SUPERLATIVES and i + 2 <= last
                            and tag_of(keys[i + 1], "x")[:1] == "v" and tag_of(keys[i + 2], "x")[:1] == "n"):
                        run.append(words[i])  # 最低可探测浓度, 最小可探测活度: 可 + a verb after a superlative is -able
                        forced = i + 1
                        continue
                    if (not r and key in MULTIPLIER_PREFIXES and i < last and tag_of(keys[i + 1], "x")[:1] == "n"
                            and not (i and keys[i - 1][-1:].isdigit())):
                        r = _CONTENT  # 多光谱成像, 多因素认证: 多 before a noun is the prefix multi- (not 20多 + 国家)
                    if (not r and i < last and key.isascii() and len(key) > 1 and key.isalpha() and not key.istitle()
                            and not (i and keys[i - 1][-1:] in "-_/.")
                            and has_han(keys[i + 1]) and role(keys[i + 1]) == _CONTENT
                            and (tag_of(keys[i + 1], "x")[:1] == "n" or keys[i + 1] in BOUND_SUFFIXES)):
                        # HPGe探测器, TNT当量: a Latin name written onto the noun it modifies (not an identifier with
                        # digits, RN53台站, a capitalised place name, Eskdalemuir地震检波器台阵, or the end of a code,
                        # NET-VISA版本)
                        r = _CONTENT
                    if (not r and i and tag_of(key) == "t" and key not in STOP_WORDS
                            and (run or keys[i - 1] in OPENERS or keys[i - 1] == "其"
                                 or _quantifier(keys[i - 1], tag_of))
                            and ((general(key) < TIME_NOUN_FREQUENCY and i < last
                                  and tag_of(keys[i + 1], "x")[:1] == "n")
                                 or (general(key) < UNKNOWN_VERB_FREQUENCY
                                     and (i == last or not keys[i + 1][:1].isalnum())))):
                        # a word jieba tags as time continues the noun phrase before a noun (中期天气预报, 新一代水听器)
                        # or opens one where a noun phrase begins (对新一代惰性气体系统, 其本底噪声) and, if general
                        # Chinese barely knows it, heads it (惰性气体本底); 阶段初期 is a time
                        r = _CONTENT
                    if (not r and run and tag_of(key) == "q" and key not in STOP_WORDS
                            and tag_of(keys[i - 1], "x")[:1] == "n"):
                        r = _CONTENT  # 数据帧, 管道阵列, 敏感度场: a measure word straight after a noun is its head
                    if not r and run and key.isdigit() and len(key) <= 2 and keys[i - 1] in NUMBERED_NOUNS:
                        r = _CONTENT  # 附件2, 议定书附件1: the number is part of the name
                    if r and run and key[:1] == "第" and key[-1] == "条":
                        runs[_trim(run, adverbs)] += 1  # 条约第十四条: an article opens its own name
                        run = []
                    if (not r and key in PHASE_POSTPOSITIONS and run and i < last
                            and (tag_of(keys[i - 1], "x")[:1] == "v" or keys[i - 1] in verbal
                                 or tag_of(keys[i - 1]) is None)
                            and (tag_of(keys[i + 1], "x")[:1] == "n" or tag_of(keys[i + 1]) == "vn")
                            and role(keys[i + 1]) == _CONTENT):
                        r = _CONTENT  # 视察前阶段, 核证后活动: before or after a process, a noun names a phase of it
                    if r and i and key[-1] in _POSTPOSITION_CHARS and keys[i - 1][-1:].isdigit():
                        r = _BREAK  # 30天内, 两年后: a span of time after a number, never part of a term
                if r and i >= 2 and keys[i - 2] == "第" and keys[i - 1][:1].isdigit():
                    r = _BREAK  # 第5b阶段: the word after an ordinal is its counter, not part of a term
                if r and i < last and keys[i + 1] in ASPECT_PARTICLES and (r == _VERB or key in verbal):
                    r = _BREAK  # B工作组审查了, 临时技秘处报告了: a word before 了, 着 or 过 is a predicate
                if r == _VERB and (key in nominal_verbs or (run and (keys[i - 1], key) in lexical)
                                   or (i < last and (key, keys[i + 1]) in lexical)
                                   or (run and i < last and (keys[i - 1], key, keys[i + 1]) in lexical)):
                    r = _CONTENT  # 现场视察, 视察组 again and again: a verb the text uses as a noun
                elif (r == _VERB and key in modifiers and i < last and roles.get(keys[i + 1]) == _CONTENT
                      and tag_of(keys[i + 1], "x")[:1] == "n" and not (run and keys[i - 1] in verbal)):
                    # 视察技术: a verb the text uses as a noun elsewhere modifies the noun after it; after a verbal
                    # word it is the object of a predicate (代表访问 + 爆炸现场)
                    r = _CONTENT
                if r == _VERB:
                    # a verb stays in a candidate only as the head of a noun compound or inside a word
                    after = keys[i + 1] if i < last else "。"
                    following = roles.get(after)
                    if following is None:
                        following = role(after)
                    if after in BOUND_SUFFIXES or (after in glued and after[0] in BOUND_SUFFIXES):
                        run.append(words[i])  # 数据提供率, 取样点
                    elif following == _CONTENT and run and (
                            keys[i - 1] in CONNECTIVES or _compound_verb(key, keys, i, roles, general, heads_of)
                            or (general(key) < COMMON_VERB_FREQUENCY // 5 and heads_of(after) >= RARE_VERB_HEAD_NOUNS
                                and (i + 2 > last or roles.get(keys[i + 2]) != _CONTENT))):
                        # after 和 a verb opens the second conjunct (不间断电源和避雷系统); before a head that
                        # names systems and procedures it is the middle of one (风噪声消减系统), and an uncommon
                        # verb between nouns is inside a compound whatever its head (事件筛选标准, 设备更换计划)
                        run.append(words[i])
                    elif following in (_CONTENT, _VERB):
                        # a predicate with its object (台站收集大气): the subject ends here, the verb is out,
                        # unless 的 has just opened a noun phrase (岸上的接收设施)
                        if run:
                            runs[_trim(run, adverbs)] += 1
                            run = []
                        elif following == _CONTENT and (
                                ((i == 0 or keys[i - 1] in OPENERS) and general(key) < COMMON_VERB_FREQUENCY)
                                or keys[i - 1] == "的"
                                or (_quantifier(keys[i - 1], tag_of) and general(key) < COMMON_VERB_FREQUENCY
                                    and key not in PREDICATE_NOUNS)
                                or (roles.get(keys[i - 1]) == _VERB and general(key) < COMMON_VERB_FREQUENCY // 5)
                                or ((tag_of(keys[i - 1], "x")[:1] == "v" or keys[i - 1] in COPULAS)
                                    and general(key) < COMMON_VERB_FREQUENCY // 5
                                    and (i + 2 > last or roles.get(keys[i + 2]) != _CONTENT))
                                or (keys[i - 1] in OBJECT_OPENERS and general(key) < COMMON_VERB_FREQUENCY // 5)
                                or (keys[i - 1] in LIST_OPENERS and general(key) < UNKNOWN_VERB_FREQUENCY)
                                or (keys[i - 1] in LIST_OPENERS and general(key) < COMMON_VERB_FREQUENCY
                                    and len(after) > 1 and heads_of(after) >= COMPOUND_HEAD_NOUNS and i + 2 <= last
                                    and tag_of(keys[i + 2], "x")[:1] == "v")):
                            # a sentence, 的, a preposition, a predicate or a light verb has just opened a noun
                            # phrase: 筹备委员会是, 岸上的接收设施, 由外聘审计员, 编入审定事件公报, 进行复测分析; after a
                            # comma, a verb and a head noun before another verb are the clause's subject (，筹备委员会决定).
                            # What follows 的 is the head noun phrase, however common its verb (已执行的维护活动); what
                            # follows a number and its measure word is one too (两个指定实验室)
                            run.append(words[i])
                        elif (following == _VERB and (keys[i - 1] in OBJECT_OPENERS or _quantifier(keys[i - 1], tag_of))
                              and i + 2 <= last
                              and general(key) < COMMON_VERB_FREQUENCY // 5 and not keys[i + 2][:1].isalnum()):
                            # 进行反向追踪，, 进行了防雷改造。: after a light verb, two verbs before a boundary are one
                            # nominalised compound, its object
                            run.append(words[i])
                    elif not run and following == _CONNECTIVE and general(key) < COMMON_VERB_FREQUENCY:
                        # a verb that opens a phrase before 和 is the first of coordinated modifiers
                        # (对验证和验收测试计划的评论, 下一次验证和验收测试计划会议): the coordination is counted whole
                        run.append(words[i])
                    elif run and (following == _CONNECTIVE or not after[0].isalnum() or after in COPULAS
                                  or after in LIST_ENDS) and (
                            key not in PREDICATE_NOUNS or key in NOUN_PREDICATES):
                        # 样品制备、, 峰值搜索和核素识别，: the nominalised head of a compound, before a clause
                        # or list boundary (工业爆炸等); before 的, 了 or a number it is a predicate (签订的合同, 送往两个)
                        run.append(words[i])
                        self.verb_heads.add(key)
                        if following != _CONNECTIVE:
                            runs[_trim(run, adverbs)] += 1
                            run = []
                    elif run:
                        runs[_trim(run, adverbs)] += 1
                        run = []
                    elif (general(key) < COMMON_VERB_FREQUENCY and (i == 0 or keys[i - 1] in ITEM_OPENERS)
                          and (after in ITEM_CLOSERS or after in COPULAS)):
                        runs[(words[i],)] += 1  # 以及钻探等, 、飞越。: a verb alone as an item of a list names a process
                elif r:
                    run.append(words[i])
                elif run or glued.get(key, 0) >= 2:
                    if key in glued:
                        run.append(words[i][:glued[key]])  # 自动处理系统对谱: the noun ends the run, 对 does not
                    runs[_trim(run, adverbs)] += 1
                    run = []
            if run:
                runs[_trim(run, adverbs)] += 1
        runs.pop((), None)
        result.loose.update(self.loose)
        result.verb_heads.update(self.verb_heads)
        return result


#: Function words at the start of a word jieba's HMM made, and conjunctions or 的 inside one, where it is cut
#: again (将源项 -> 将 + 源项, 计和微 -> 计 + 和 + 微); adverbs and prefixes that open words (不, 可, 无) are not.
_RECUT_OPENERS: frozenset[str] = frozenset("将把被在于对向从由以为和与及或的之是了也都并而但即其该此这那各每个")
_RECUT_INSIDE: frozenset[str] = frozenset("和与及或的")
#: Function words that open a clause after a name, conjunctions and clause adverbs, and postpositions: a word
#: jieba's HMM made of a noun's closing character and one of these (视察组在, 技秘处应, 提供率为, 运营人应, 水声网由,
#: 视察组与, 视察组则, 入境点后) is the end of the name and what follows it.
_RECUT_AFTER_NAME: frozenset[str] = frozenset("在应由为须可对将向于即已也都均并会与和及或则共亦就又却再才便仅皆尚") | _POSTPOSITION_CHARS
_NAME_CLOSERS: frozenset[str] = BOUND_SUFFIXES | {"人"}
#: Every two-character word made of a name's closing character and what follows a name (处在, 期内, 组在).
_GLUED_SUFFIXES: frozenset[str] = frozenset(closer + after for closer in _NAME_CLOSERS for after in _RECUT_AFTER_NAME)


def _cut_glued_suffixes(cuts: list[list[str]], texts: list[str]) -> None:
    """Words jieba's dictionary makes of a name's closing character and what follows a name (处在, 处于, 期内):
    where the batch's ``texts`` also write the word before them with that character and on (临时技秘 + 处, 延续 +
    期), the character ends the name, and the word is cut in place (临时技秘处在维也纳 -> 临时技秘处 + 在, 延续期内
    -> 延续期 + 内); elsewhere they are words (台站处于待命状态, 观测室内), and so they are after a function word
    or a single character (包括人为因素). The name is then counted whole, never its fragment (临时技秘)."""
    glued = [(n, i) for n, keys in enumerate(cuts) if not _GLUED_SUFFIXES.isdisjoint(keys)
             for i, key in enumerate(keys)
             if i and key in _GLUED_SUFFIXES and len(keys[i - 1]) > 1 and keys[i - 1] not in STOP_WORDS]
    if not glued:
        return
    text = "\n".join(texts)
    times = Counter(cuts[n][i - 1] + cuts[n][i][0] for n, i in glued)
    elsewhere = {name for name, n in times.items() if text.count(name) > n}  # not only before these words
    for n, i in reversed(glued):
        keys = cuts[n]
        if keys[i - 1] + keys[i][0] in elsewhere:
            cuts[n] = keys[:i] + [keys[i][0], keys[i][1:]] + keys[i + 1:]


def _unglued(word: str) -> tuple[str, ...] | None:
    """The pieces of a word jieba's HMM made, cut at an opening function word, at conjunctions inside it and
    between a noun's closing character and the function word after it; None where there is nothing to cut."""
    if word in _GLUED_SUFFIXES:
        return word[0], word[1]
    parts: list[str] = []
    start = 0
    for i, char in enumerate(word):
        if (i == 0 and char in _RECUT_OPENERS) or (0 < i < len(word) - 1 and char in _RECUT_INSIDE):
            if i > start:
                parts.append(word[start:i])
            parts.append(char)
            start = i + 1
    if not parts:
        return None
    if start < len(word):
        parts.append(word[start:])
    return tuple(parts)


def _conjuncts(run: tuple[str, ...], loose: Collection[str] = (),
               verb_heads: Collection[str] = ()) -> tuple[list[int], list[int]]:
    """For each position of a run, the first and last position of the core of the conjunct (the stretch
    between connectives) it lies in: a common verbal noun opening the conjunct (检查 of 检查传感器) and a
    generic head closing it (状态 of 通信链路状态) stand beside the core, so a term seen once as the core is
    not hidden inside the longer string."""
    n = len(run)
    starts, ends = [0] * n, [n - 1] * n
    start = 0
    for i, word in enumerate(run):
        if word in CONNECTIVES:
            start = i + 1
        elif (i == start and (word in loose or word in verb_heads) and i + 1 < n
              and run[i + 1] not in CONNECTIVES):
            start = i + 1
        starts[i] = start
    end = n - 1
    for i in range(n - 1, -1, -1):
        if run[i] in CONNECTIVES:
            end = i - 1
        elif (i == end and (run[i] in GENERIC_EDGES or run[i] in verb_heads or run[i] in loose) and i > 0
              and run[i - 1] not in CONNECTIVES):
            end = i - 1
        ends[i] = end
    return starts, ends


#: A noun this productive as the head of jieba's dictionary nouns (系统 198, 设备 108, 程序 89) takes a verb
#: before it as the middle of a compound: 风噪声消减系统, 惰性气体样品转移程序.
COMPOUND_HEAD_NOUNS = 80
#: An uncommon verb between two nouns is inside a compound when the second ends the phrase and heads this many
#: nouns of jieba's dictionary (事件筛选标准, 设备更换计划, 学员反馈意见); before a noun that heads none it is a
#: predicate with its object (签署国发送普通照会).
RARE_VERB_HEAD_NOUNS = 10
#: Aspect particles: a verb or verbal noun before one is a predicate (审查/vn, 报告/n); a noun is not (小组讨论).
ASPECT_PARTICLES: frozenset[str] = frozenset({"了", "着", "过"})
#: Verbs jieba's dictionary tags as nouns that reports use as predicates (临时技秘处报告了).
NOUN_TAGGED_VERBS: frozenset[str] = frozenset("报告 记录 规划 定位 计划".split())
#: Two-character postpositions of time and relation that close a phrase (besides those opening with 以 or 之:
#: 以来, 以后, 之间): unlike 内部 or 沿海, they never modify the noun after them.
RELATIONAL_POSTPOSITIONS: frozenset[str] = frozenset("期间 前后 最后 之际 前夕 末期 周围 附近 周边 沿线".split())
#: Words around a verb standing alone as an item of a list or the subject of a copula (磁场测绘、重力场测绘以及钻探等,
#: 。飞越是): the verb names a process there.
ITEM_OPENERS: frozenset[str] = frozenset("。 ； ： 、 和 与 及 以及 或".split())
ITEM_CLOSERS: frozenset[str] = frozenset("、 ， 。 ； 和 与 及 以及 或 等".split())
#: Words that close the last item of a list (雷暴和工业爆炸等): a verb before one is the item's nominalised head.
LIST_ENDS: frozenset[str] = frozenset({"等", "等等"})
#: Copulas after which a verb that ends a noun phrase is its nominalised head (预防性维护是关键).
COPULAS: frozenset[str] = frozenset({"是", "为"})
#: Determiners and quantifiers jieba does not tag as numbers (大量/n, 各种/r, 所有/b): a noun phrase follows them.
DETERMINERS: frozenset[str] = frozenset("大量 全部 全体 所有 各种 各类 各项 每个 每一 某些 有些 该 各 每".split())


def _quantifier(word: str, tag_of: Callable[..., str | None]) -> bool:
    """Whether a word quantifies what follows: a number with its measure word (两个, 一组, 个 after 600) or a
    determiner (大量, 各种). A noun phrase follows it."""
    return word in DETERMINERS or (
        tag_of(word, "x") in ("m", "q", "mq") and not word.isdigit() and word[-1] not in "年月日时天")


def _compound_verb(verb: str, keys: list[str], i: int, roles: Mapping[str, int],
                   general: Callable[[str], int], heads_of: Callable[[str], int]) -> bool:
    """Whether a verb between two nouns is inside a compound rather than the predicate between a subject and
    an object: an uncommon verb before a highly productive head noun that ends the phrase."""
    if i + 2 > len(keys) - 1 or general(verb) >= COMMON_VERB_FREQUENCY or heads_of(keys[i + 1]) < COMPOUND_HEAD_NOUNS:
        return False
    return roles.get(keys[i + 2]) != _CONTENT


def _simplified_texts(joined: str, texts: list[str]) -> list[str]:
    """The texts in simplified characters for segmenting and tagging (jieba's dictionary is simplified); a
    text OpenCC does not change, or changes in length, is itself. One conversion per batch when nothing is
    traditional."""
    folded = fold_traditional(joined)
    if folded == joined:
        return texts
    out = []
    for text in texts:
        simple = fold_traditional(text)
        out.append(simple if simple != text and len(simple) == len(text) else text)
    return out


def _original_words(words: list[str], text: str, simple: dict[str, str]) -> list[str]:
    """The words of ``text`` at the places its simplified form was cut; ``simple`` learns original -> simplified."""
    out = []
    start = 0
    for word in words:
        original = text[start:start + len(word)]
        start += len(word)
        if original != word:
            simple.setdefault(original, word)
        out.append(original)
    return out


def _trim(run: list[str], adverbs: Collection[str] = ()) -> tuple[str, ...]:
    """A run without connectives at its ends (they never start or end a candidate), nor adverbs at its end."""
    start, end = 0, len(run)
    while start < end and run[start] in CONNECTIVES:
        start += 1
    while end > start and (run[end - 1] in CONNECTIVES or run[end - 1] in adverbs):
        end -= 1
    return tuple(run[start:end])


def _count_codes_and_pairs(text: str, result: NgramCounts) -> None:
    if _CAPITAL_RE.search(text):
        if "/" in text or "@" in text or "www." in text:
            text = _NOT_CODE_RE.sub(" ", text)
        for code in _CODE_RE.findall(text):
            if is_code(code):
                result.codes[code] += 1
    if "-" in text or "‐" in text or "－" in text:
        for nuclide in _NUCLIDE_RE.findall(text):
            result.codes[nuclide.replace("‐", "-").replace("－", "-")] += 1
    if "（" in text or "(" in text:
        for full, short in _bracket_pairs(text):
            result.pairs[(full.replace("《", "").replace("》", ""), short)] += 1


def _bracket_pairs(text: str) -> Iterator[tuple[str, str]]:
    """What ``_PAREN_RE.findall(text)`` finds, looked for only at the brackets: the pattern opens with a class of
    up to 40 characters, so scanning it from every position costs a quarter of a second a million characters."""
    position = 0
    for match in _OPEN_BRACKET_RE.finditer(text):
        bracket = match.start()
        if bracket < position:
            continue  # inside the previous pair
        start = max(position, bracket - _NAME_MAX)
        before = _RUN_END_RE.search(text, start, bracket)
        if before is None or before.end() - before.start() < _NAME_MIN:
            continue
        inside = _BRACKET_CONTENT_RE.match(text, bracket)
        if inside is None:
            continue
        position = inside.end()
        yield text[before.start():bracket], inside.group(1)


def is_code(word: str) -> bool:
    """Two capitals (IMS, PRTool) or capitals with digits (RN53): an acronym or code, not a name."""
    if _ROMAN_RE.fullmatch(word):
        return False  # II, IV: numbering
    capitals = sum(c.isupper() for c in word)
    return capitals >= 2 or (capitals >= 1 and any(c.isdigit() for c in word))
