"""Alignment of candidates with the real termbase: the hand-written gold list, each method, coverage."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.align import (CONCEPT_METHODS, FUZZY_THRESHOLD, Aligner, Part, align, candidates_from_json,
                            concept_occurrences)
from glossary.errors import InputError
from glossary.mining import Candidate, MiningConfig, mine

GOLD = Path(__file__).resolve().parent / "fixtures" / "align" / "gold.tsv"


INDEPENDENT_GOLD = GOLD.with_name("gold-independent.tsv")


def read_gold(path: Path = GOLD) -> list[tuple[str, str | None, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            term, concept, case = line.split("\t")
            rows.append((term, None if concept == "-" else concept, case))
    return rows


def candidate(term: str, **fields) -> Candidate:
    values = dict(rank=1, term=term, kind="code" if term.isascii() else "term", score=1.0, frequency=1,
                  documents=1, domain="general")
    values.update(fields)
    return Candidate(**values)


@pytest.fixture(scope="module")
def aligner(termbase) -> Aligner:
    return Aligner(termbase)


@pytest.fixture(scope="session")
def mined_report(termbase, report_path):
    """The bundled report mined once for every test that needs real candidates."""
    from glossary.corpus import read_document

    document = read_document(report_path)
    return mine(lambda: [document], termbase=termbase, config=MiningConfig(top=150)), document


def test_gold_list_is_big_and_refers_to_real_concepts(termbase):
    gold = read_gold()
    assert len(gold) >= 40
    assert sum(1 for _, c, _ in gold if c) >= 30 and sum(1 for _, c, _ in gold if c is None) >= 10
    assert {case for *_, case in gold} >= {"exact", "shortform", "normalised", "compositional", "fuzzy",
                                           "composition"}
    assert all(concept in termbase for _, concept, _ in gold if concept)


def precision_recall(aligner: Aligner, gold) -> tuple[float, float]:
    """Right / predicted, and right / gold pairs that have a concept."""
    predicted = right = 0
    for term, concept, _ in gold:
        match = aligner.match(candidate(term))
        if match.is_concept:
            predicted += 1
            right += match.concept_id == concept
    return right / predicted, right / sum(1 for _, c, _ in gold if c)


def test_gold_precision_and_recall(aligner):
    precision, recall = precision_recall(aligner, read_gold())
    assert precision >= 0.95
    assert recall >= 0.95


@pytest.mark.parametrize("term,concept,case", [row for row in read_gold() if row[2] in
                                               ("exact", "shortform", "normalised", "compositional")])
def test_every_non_fuzzy_gold_pair_is_found(aligner, term, concept, case):
    match = aligner.match(candidate(term))
    assert match.concept_id == concept, (term, match)


@pytest.mark.parametrize("term", [row[0] for row in read_gold() if row[2] in ("fragment", "instance", "general",
                                                                              "composition")])
def test_fragments_instances_and_compositions_match_no_concept(aligner, term):
    assert not aligner.match(candidate(term)).is_concept


def test_methods_and_scores(aligner):
    exact = aligner.match(candidate("国际监测系统"))
    assert (exact.method, exact.score, exact.concept_id) == ("exact", 1.0, "ims.international-monitoring-system")
    code = aligner.match(candidate("NET-VISA"))
    assert (code.method, code.concept_id) == ("exact", "idc.net-visa")
    spaced = aligner.match(candidate("Net-Visa"))
    assert (spaced.method, spaced.score) == ("normalised", 0.95)
    de = aligner.match(candidate("国际监测系统维持"))
    assert (de.method, de.score, de.concept_id) == ("normalised", 0.9, "ims.sustainment")
    composed = aligner.match(candidate("国际数据中心公报"))
    assert (composed.method, composed.concept_id, composed.term) == ("compositional", "idc.bulletin", "bulletin")
    assert [p.concept_id for p in composed.parts] == ["idc.international-data-centre", "idc.bulletin"]
    fuzzy = aligner.match(candidate("现场视任务负责人"))  # a character dropped from 现场视察任务负责人
    assert fuzzy.method == "fuzzy" and FUZZY_THRESHOLD <= fuzzy.score < 1.0


def test_short_form_through_the_reports_full_form(aligner):
    match = aligner.match(candidate("技秘处", full_form="临时技术秘书处"))
    assert (match.method, match.concept_id) == ("shortform", "general.provisional-technical-secretariat")


def test_abbreviation_by_omission_of_one_concepts_term(aligner):
    match = aligner.match(candidate("拟议变更"))
    assert (match.method, match.score, match.concept_id) == ("shortform", 0.8, "ims.coordinate-change")


def test_fuzzy_never_takes_a_narrower_concept_or_an_instance(aligner):
    for term in ("德国国家数据中心", "放射性核素专家小组讨论", "认证数据提供率", "台站的运营"):
        assert aligner.match(candidate(term)).method != "fuzzy", term


def test_fuzzy_can_be_switched_off(termbase):
    assert not Aligner(termbase, None).match(candidate("现场视任务负责人")).is_concept


def test_composition_of_known_terms_suggests_english(aligner):
    match = aligner.match(candidate("B工作组跨领域问题任务负责人"))
    assert match.method == "composition" and match.concept_id is None
    assert [p.text for p in match.parts] == ["B工作组", "跨领域问题", "任务负责人"]
    assert aligner.compose(match.parts, "en") == "WGB cross-cutting issues task leader"


def test_issue_example_ims_station_coordinates(aligner):
    parts = aligner.composition("国际监测系统台站坐标变更")
    assert [p.concept_id for p in parts] == ["ims.ims-station", "ims.coordinate-change"]
    parts = (Part("国际监测系统", "ims.international-monitoring-system"), Part("台站坐标", "ims.station-coordinates"))
    assert aligner.compose(parts, "en") == "IMS station coordinates"


def test_other_languages_are_composed_by_analogy_or_left_missing(aligner):
    parts = aligner.composition("国际数据中心分析人员")
    assert aligner.compose(parts, "es") == "analista del Centro Internacional de Datos"
    unknown = aligner.composition("国际数据中心作业手册草案")
    assert unknown[-1].kind == "unknown" and aligner.compose(unknown, "en") is None


def test_connectives_join_known_parts(aligner):
    match = aligner.match(candidate("定向演练和桌面演练"))
    assert [p.kind for p in match.parts] == ["term", "connective", "term"]
    assert aligner.compose(match.parts, "en") == "directed exercise and tabletop exercise"


def test_report_alignment_and_coverage(mined_report, termbase):
    result, document = mined_report
    report = align(result.candidates, termbase, [document])
    coverage = report.coverage
    assert coverage.candidates == len(result.candidates) == 150
    assert coverage.covered == sum(a.match.is_concept for a in report.alignments)
    assert 0.3 < coverage.share < 1.0 and coverage.frequency_share > coverage.share
    assert set(coverage.by_method) <= set(CONCEPT_METHODS) | {"composition", "none"}
    seen = {c.concept_id: c for c in coverage.seen}
    assert seen["general.working-group-b"].occurrences >= 100
    assert "CTBT/WGB-62/INF.4 para. 13" in seen["ims.international-monitoring-system"].references
    assert "osi.overflight" in coverage.never_seen
    data = report.as_dict()
    assert data["coverage"]["concepts_seen"] == len(coverage.seen)
    first = data["alignments"][0]
    assert set(first) >= {"candidate", "method", "score", "concept", "english"}


def test_every_candidate_the_miner_marks_known_is_matched(mined_report, termbase):
    result, _ = mined_report
    report = align(result.candidates, termbase)
    for alignment in report.alignments:
        if alignment.candidate.known:
            assert alignment.match.concept_id == alignment.candidate.known, alignment.candidate.term


def test_occurrences_count_nested_terms_of_one_concept_once(termbase):
    from glossary.corpus import parse_document

    document = parse_document("1. 全面禁核试条约和条约。\n", path="t.txt", fallback_symbol="T")
    counts = {c.concept_id: c for c in concept_occurrences(termbase, [document])}
    assert counts["general.comprehensive-nuclear-test-ban-treaty"].occurrences == 2
    assert counts["general.comprehensive-nuclear-test-ban-treaty"].references == ("T para. 1",)


def test_saved_candidates_are_read_and_bad_ones_refused(mined_report):
    import json

    result, _ = mined_report
    data = json.dumps(result.as_dict(), ensure_ascii=False).encode("utf-8")
    assert candidates_from_json(data, "c.json") == result.candidates
    with pytest.raises(InputError, match="not JSON"):
        candidates_from_json(b"{", "c.json")
    with pytest.raises(InputError, match="no 'candidates' list"):
        candidates_from_json(b"[]", "c.json")
    with pytest.raises(InputError, match="candidate 1"):
        candidates_from_json(b'{"candidates": [{"rank": 1}]}', "c.json")


def test_independent_gold_list_precision_and_recall(aligner):
    """A second list, written from the report and the term files without the aligner's output."""
    gold = read_gold(INDEPENDENT_GOLD)
    precision, recall = precision_recall(aligner, gold)
    assert len(gold) >= 100 and sum(1 for _, c, _ in gold if c) >= 45
    assert precision >= 0.95
    assert recall >= 0.8


@pytest.mark.parametrize("term, concept", [("国际数据中心灾后恢复计划", "idc.disaster-recovery-plan"),
                                           ("现场视察定向演练", "osi.directed-exercise"),
                                           ("临时技秘处性能报告工具", "general.performance-reporting-tool")])
def test_a_term_qualified_by_the_owner_its_definition_names_is_that_concept(aligner, term, concept):
    match = aligner.match(candidate(term))
    assert (match.method, match.concept_id) == ("compositional", concept)


def test_a_qualifier_named_only_as_an_example_does_not_make_the_concept():
    """general.chairperson is "the person who presides over a body or meeting, such as Working Group B"."""
    from glossary.align import _names
    from glossary.model import Concept, Term

    wgb = Concept("general.working-group-b", "general", "x", {"en": [Term("Working Group B", status="preferred")]})
    assert not _names("The person who presides over a body or meeting, such as Working Group B.", wgb)
    assert _names("Issues that concern all areas of work of Working Group B.", wgb)
