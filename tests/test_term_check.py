"""Term verification on the real termbase: levels, line numbers, leftmost-longest matching per script."""

from __future__ import annotations

import pytest

from glossary.errors import InputError
from glossary.term_check import TermChecker, check_document, check_text

ALL = ("error", "warning", "info")


def test_deprecated_chinese_term_is_an_error_with_its_line(termbase):
    issues = check_text("导言\n\n临时技秘处报告了拆抵摊款的情况。\n", "doc.txt", termbase, "zh")
    assert [str(i) for i in issues] == [
        "doc.txt:3:9: error: 拆抵摊款 -> 折抵摊款 (general.credit-against-assessed-contributions)"]


def test_chinese_is_matched_inside_text_without_spaces(termbase):
    issues = check_text("秘书处介绍了交互式人工分析和特定研究的进展", "d", termbase, "zh")
    assert [(i.level, i.found, i.preferred) for i in issues] == [("warning", "交互式人工分析", "互动分析"),
                                                                 ("warning", "特定研究", "专题研究")]


def test_ordinary_words_are_not_terms(termbase):
    """名称, 代码 and 位置 are how the report elides 台站名称 / 台站代码; on their own they are just words."""
    assert check_text("名称、位置和代码已更新", "d", termbase, "zh", ALL) == []


def test_short_forms_and_contained_variants_are_info_only(termbase):
    text = "临时技秘处在国际监测系统设施周围检查了设施。"
    assert check_text(text, "d", termbase, "zh") == []
    infos = check_text(text, "d", termbase, "zh", ALL)
    assert [(i.found, i.type) for i in infos] == [("临时技秘处", "shortForm"), ("设施", "variant")]


def test_longest_match_wins_so_parts_of_terms_are_not_reported(termbase):
    assert check_text("The seismic array and non-IMS waveform data.", "d", termbase, "en", ALL) == []
    issues = check_text("The array recorded it.", "d", termbase, "en", ALL)
    assert [(i.found, i.level, i.concept_id) for i in issues] == [("array", "info", "ims.seismic-array")]


def test_words_are_matched_across_a_line_break_but_not_across_sentences(termbase):
    issues = check_text("A seismological\nstation reported.\n", "d", termbase, "en")
    assert [(i.line, i.found, i.preferred) for i in issues] == [(1, "seismological station", "seismic station")]
    assert check_text("It was seismological. Station two.", "d", termbase, "en") == []


def test_english_matching_ignores_case_and_punctuation_but_needs_word_boundaries(termbase):
    issues = check_text("SEISMOLOGICAL STATION, then seismological stations, not seismologicalstations.", "d",
                        termbase, "en")
    assert [i.found for i in issues] == ["SEISMOLOGICAL STATION", "seismological stations"]


def test_french_deprecated_term(termbase):
    issues = check_text("Les mesures propres à accroître la confiance.", "d", termbase, "fr")
    assert [(i.level, i.concept_id) for i in issues] == [("error", "general.confidence-building-measures")]


def test_preferred_terms_are_never_reported(termbase):
    for lang in ("zh", "en", "fr", "ru", "es", "ar"):
        checker = TermChecker(termbase, lang)
        # one sentence a term: Chinese terms are matched across line breaks, as PDFs break lines inside words
        text = ("。\n" if lang == "zh" else ".\n").join(c.preferred(lang) for c in termbase.values() if c.preferred(lang))
        assert [i for i in checker.scan(text, "d") if i.level != "info"] == [], lang


def test_documents_are_decoded_and_bad_input_refused(termbase, tmp_path):
    doc = tmp_path / "gbk.txt"
    doc.write_bytes("拆抵摊款\n".encode("gb18030"))
    assert [i.line for i in check_document(doc, termbase, "zh")] == [1]
    with pytest.raises(InputError, match="cannot read"):
        check_document(tmp_path / "missing.txt", termbase, "zh")
    with pytest.raises(InputError, match="unknown language"):
        TermChecker(termbase, "de")


def test_line_numbers_count_only_line_breaks_not_page_breaks(termbase):
    """pdftotext starts every page with a form feed; it must not shift the line numbers after it."""
    for text in ("第一页。\n\x0c临时技秘处报告了拆抵摊款的情况。\n", "第一页。\r\n临时技秘处报告了拆抵摊款的情况。\r\n",
                 "第一页。\u2028\n拆抵摊款\x1c的情况。\n"):
        assert [i.line for i in check_text(text, "d", termbase, "zh")] == [2], repr(text)


@pytest.mark.parametrize("text", ["Le rapport décrit l'Infrastructure mondiale de communications.",
                                  "L\u2019infrastructure mondiale de communications est stable."])
def test_a_term_after_an_elided_article_is_found(termbase, text):
    (issue,) = check_text(text, "doc.txt", termbase, "fr")
    assert (issue.level, issue.concept_id) == ("error", "idc.global-communications-infrastructure")


def test_terms_with_an_apostrophe_still_match_whole(termbase):
    assert check_text("L'équipe d'inspection est arrivée.", "doc.txt", termbase, "fr") == []


def test_legacy_encodings_follow_the_document_language(termbase, tmp_path):
    latin1 = tmp_path / "fr.txt"
    latin1.write_bytes("Le rapport décrit l'Infrastructure mondiale de communications.".encode("cp1252"))
    (issue,) = check_document(latin1, termbase, "fr")
    assert issue.concept_id == "idc.global-communications-infrastructure"
    cyrillic = tmp_path / "ru.txt"
    cyrillic.write_bytes("Режим проверки описан в докладе.".encode("cp1251"))
    assert [i.found for i in check_document(cyrillic, termbase, "ru")] == ["Режим проверки"]
