"""The miner on the bundled report: multi-word terms, fragments, forms, codes, references, JSON form."""

from __future__ import annotations

import json
import re

import pytest

from glossary.corpus import parse_document, read_document
from glossary.mining import MiningConfig, domain_cues, mine, named_domain
from glossary.noun_phrases import CONNECTIVES, STOP_WORDS
from glossary.segment import Segmenter


@pytest.fixture(scope="module")
def report_doc(report_path):
    return read_document(report_path)


@pytest.fixture(scope="module")
def discovery(report_doc):
    return mine(lambda: [report_doc], discovery=True, config=MiningConfig(top=300))


@pytest.fixture(scope="module")
def by_term(discovery):
    return {c.term: c for c in discovery.candidates}


def test_multi_word_terms_rank_above_their_parts(by_term):
    assert by_term["国际监测系统"].rank < 20 and by_term["国际数据中心"].rank < 20
    assert "国际" not in by_term or by_term["国际"].rank > by_term["国际监测系统"].rank


def test_fragments_are_suppressed(by_term):
    assert "临时技秘处" in by_term
    assert "临时技秘" not in by_term and "技秘处" not in by_term


def test_no_function_words_numbers_or_symbols_at_edges(discovery):
    segmenter = Segmenter()
    for candidate in discovery.candidates:
        if candidate.kind != "term":
            continue
        term = candidate.term
        # a number ends a candidate only as part of a numbered name (附件1: Annex 1)
        assert not re.match(r"\d", term) and (not re.search(r"\d$", term) or re.search(r"(附件|附录)\d+$", term)), term
        words = segmenter.cut(term)  # by word: 及时性 (timeliness) starts with the character 及, not the word
        assert words[-1] not in CONNECTIVES and words[0] not in CONNECTIVES, term
        assert term not in STOP_WORDS and "/" not in term, term


def test_short_forms_are_paired_with_full_forms(by_term):
    assert by_term["临时技秘处"].full_form == "临时技术秘书处"
    assert by_term["全面禁核试条约"].full_form == "全面禁止核试验条约"


def test_latin_codes_are_reported_as_codes(by_term):
    assert by_term["NET-VISA"].kind == "code"
    assert "VISA" not in by_term and "NET" not in by_term
    assert not any(c.kind == "code" and "/" in c.term for c in by_term.values())


def test_candidates_carry_paragraph_references_and_contexts(by_term):
    candidate = by_term["综合实地演练"]
    assert "CTBT/WGB-62/INF.4 para. 15" in candidate.references
    assert 1 <= len(candidate.contexts) <= 3 and all("【综合实地演练】" in c for c in candidate.contexts)
    assert candidate.domain == "OSI" and candidate.documents == 1


def test_the_domain_named_first_owns_a_compound_and_coordinated_names_own_nothing(termbase):
    cues = domain_cues(termbase)
    assert "作业手册" in cues["IMS"]  # the IMS manual's short variant: a word of another domain inside OSI's name
    assert named_domain("现场视察作业手册草案", cues) == "OSI"
    assert named_domain("国际数据中心放射性核素分析", cues) == "IDC"
    assert named_domain("国际监测系统和国际数据中心作业手册", cues) is None
    assert named_domain("B工作组", domain_cues(None)) is None


def test_json_form_is_stable(discovery):
    data = json.loads(json.dumps(discovery.as_dict(), ensure_ascii=False))
    assert list(data["candidates"][0]) == ["rank", "term", "kind", "score", "frequency", "documents", "domain",
                                           "references", "contexts", "known", "full_form", "short_forms"]
    assert data["mode"] == "discovery" and data["documents"] == 1


def test_output_is_deterministic(report_doc, discovery):
    again = mine(lambda: [report_doc], discovery=True, config=MiningConfig(top=300))
    assert again.as_dict() == discovery.as_dict()


def test_termbase_mode_marks_known_concepts(report_doc, termbase):
    result = mine(lambda: [report_doc], termbase=termbase, config=MiningConfig(top=50))
    known = {c.term: c.known for c in result.candidates if c.known}
    assert known.get("国际监测系统") == "ims.international-monitoring-system"
    assert result.mode == "termbase"


def test_worker_processes_give_the_same_ranking(report_doc, discovery):
    doubled = [report_doc, parse_document(report_doc.text(), "copy", "copy")]
    one = mine(lambda: doubled, discovery=True, config=MiningConfig(top=50, batch_chars=5000))
    two = mine(lambda: doubled, discovery=True, config=MiningConfig(top=50, batch_chars=5000, jobs=2))
    assert [c.term for c in one.candidates] == [c.term for c in two.candidates]
    assert one.candidates[0].documents == 2


#: A short report from another domain (river-basin water quality), written for this test: the miner must find
#: that domain's terms with nothing tuned to it, since it is also judged on documents it has never seen.
OTHER_DOMAIN = """关于流域水质监测方案执行情况的报告

1. 流域管理局（流域局）介绍了水质监测网络的运行情况。目前，水质监测网络共有120个采样点，其中地表水采样点85个，
地下水采样点35个。流域局指出，自动监测站的数据提供率保持在95%以上。

2. 流域局报告了污水处理厂排放标准的执行情况。去年共有18座污水处理厂完成提标改造，化学需氧量和氨氮排放总量分别下降
12%和9%。委员会欢迎污水处理厂提标改造取得的进展。

3. 委员会审议了饮用水安全保障规划。流域局强调，饮用水水源保护区的划定是饮用水安全保障规划的核心内容。部分饮用水水源
保护区存在面源污染问题，需要加强农业面源污染治理。

4. 流域局介绍了环境影响评价（环评）制度的执行情况。所有新建污水处理厂均已完成环境影响评价。委员会要求流域局在下次会议上
提交环评报告的摘要。

5. 关于地下水超采问题，流域局指出，地下水超采区面积有所减少。地下水监测井的建设进展顺利，地下水水位自动监测系统已覆盖
全部超采区。

6. 委员会注意到，水质监测网络的化学需氧量数据与污水处理厂的排放数据基本一致。委员会请流域局继续完善水质监测网络，提高
自动监测站的运行效率，并加强面源污染治理。
"""


@pytest.fixture(scope="module")
def other_domain():
    document = parse_document(OTHER_DOMAIN, "water.txt", "water")
    return {c.term: c for c in mine(lambda: [document], discovery=True, config=MiningConfig(top=30)).candidates}


def test_terms_of_an_unseen_domain_rank_first(other_domain):
    top = [term for term, c in other_domain.items() if c.rank <= 8]
    for term in ("流域局", "污水处理厂", "水质监测网络", "环境影响评价", "饮用水安全保障规划"):
        assert term in top, (term, top)


def test_unseen_domain_has_no_function_words_or_glued_words_at_edges(other_domain):
    for term in other_domain:
        assert term[0] not in "在了的和与及对是" and term[-1] not in "在了的和与及对是", term
        assert term not in STOP_WORDS, term
    assert "流域局在" not in other_domain  # jieba's HMM glues 局在 together; that is no content word


def test_unseen_domain_pairs_short_forms_without_inventing_any(other_domain):
    assert other_domain["流域局"].full_form == "流域管理局"
    assert other_domain["环评"].full_form == "环境影响评价"
    assert all(c.full_form is None for t, c in other_domain.items() if t not in ("流域局", "环评"))


#: Terms that always stand after a common verb (完善), after a counter split off a number (第2期) or before a
#: version word (草案): the longer strings are phrases, so they must not make the terms inside them fragments.
LOOSE_EXTENSIONS = """1. 委员会要求流域局完善地下水监测系统，并报告进展。
2. 流域局表示将继续完善地下水监测系统。
3. 委员会欢迎流域局完善地下水监测系统的计划。
4. 第2期水质分析人员培训班已经结束；第3期水质分析人员培训班将于明年举行。
5. 流域局请各方审议饮用水水源保护规划草案，并指出饮用水水源保护规划草案已提交委员会。
"""


def test_a_verb_counter_or_draft_around_a_term_does_not_make_it_a_fragment():
    document = parse_document(LOOSE_EXTENSIONS, "loose.txt", "loose")
    result = mine(lambda: [document], discovery=True, config=MiningConfig(top=30))
    ranked = {c.term: c.rank for c in result.candidates}
    for term in ("地下水监测系统", "水质分析人员培训班", "饮用水水源保护规划"):
        assert ranked.get(term, 99) <= 5, (term, ranked)
    assert "完善地下水监测系统" not in ranked  # a verb and its object: no candidate at all
    assert ranked["饮用水水源保护规划"] < ranked["饮用水水源保护规划草案"]


#: A body's chair and a body's verbs: the longer strings name a person or make a clause, not terms.
CHAIRS_AND_PREDICATES = """1. 水质专家组主席介绍了水质监测网络。水质专家组主席指出，水质专家组审议了水质监测网络的数据。
2. 流域局提供了污水处理厂的数据。流域局提供了地下水监测井的数据。流域局表示，流域局将完善水质监测网络。
3. 水质专家组建议流域局列入水质监测网络年度计划；流域局同意列入水质监测网络年度计划。
4. 流域局和水质专家组审议了污水处理厂和地下水监测井的运行。
"""


def test_a_chair_or_a_predicate_ranks_below_the_term():
    document = parse_document(CHAIRS_AND_PREDICATES, "chairs.txt", "chairs")
    result = mine(lambda: [document], discovery=True, config=MiningConfig(top=60))
    ranked = {c.term: c.rank for c in result.candidates}
    assert ranked["水质专家组"] < ranked.get("水质专家组主席", 99), ranked
    assert ranked["流域局"] < ranked.get("流域局提供", 99), ranked


def test_compounds_jieba_lists_uncounted_are_as_specific_as_their_words():
    from glossary.termhood import _listed_compound

    frequency = Segmenter().general_frequency
    assert _listed_compound("会议议程", frequency) == ("会议", "议程")
    assert _listed_compound("放射性核素", frequency) is None  # counted by the dictionary: its own frequency
    assert _listed_compound("签署国", frequency) is None  # too short to be two dictionary words


def test_pairs_found_at_the_brackets_are_those_the_full_pattern_finds():
    # the bracket scan is a faster way to the same pairs: the report, and edges written for this test (a run
    # longer than the pattern's 40 characters, brackets in a row, a remark, a bracket with nothing before it)
    from glossary.noun_phrases import _PAREN_RE, _bracket_pairs
    from glossary.resources import BUNDLED_REPORT

    texts = [BUNDLED_REPORT.read_text(encoding="utf-8"), "国" * 50 + "（NDC）", "计划（草案）（修订）",
             "国家数据中心（NDC）数据（如有的话）", "（IMS）台站", "名称(ab)名称（cd）。"]
    for text in texts:
        assert list(_bracket_pairs(text)) == _PAREN_RE.findall(text), text[:40]
