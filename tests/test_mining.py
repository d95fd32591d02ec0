"""The miner on the bundled report: multi-word terms, fragments, forms, codes, references, JSON form."""

from __future__ import annotations

import json
import re

import pytest

from glossary.corpus import parse_document, read_document
from glossary.mining import CONNECTIVES, STOP_WORDS, MiningConfig, mine


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
    for candidate in discovery.candidates:
        if candidate.kind != "term":
            continue
        term = candidate.term
        assert not re.match(r"\d", term) and not re.search(r"\d$", term), term
        assert term[-1] not in CONNECTIVES and term[0] not in CONNECTIVES, term
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
