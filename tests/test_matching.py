"""The term-matching layer on the real termbase: inflected forms in check and lookup, per language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.lookup import LookupIndex
from glossary.matching import fold_homoglyphs, term_key, tokenize
from glossary.term_check import TermChecker, check_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "inflection"
ALL = ("error", "warning", "info")


@pytest.fixture(scope="module")
def index(termbase):
    return LookupIndex.build(termbase)


@pytest.mark.parametrize("lang", ["ar", "en", "es", "fr", "ru"])
def test_every_term_marked_in_the_test_sets_is_in_the_termbase(termbase, lang):
    """The hand-written sets name terms, not concepts; a term renamed in the termbase shows up here."""
    terms = {" ".join(t.text.casefold().split()) for c in termbase.values() for t in c.terms.get(lang, ())}
    text = (FIXTURES / f"check.{lang}.txt").read_text(encoding="utf-8")
    marked = {" ".join(m.casefold().split()) for m in re.findall(r"\[[^|\]]+\|([^|\]]+)\|", text)}
    assert sorted(marked - terms) == []


def test_a_french_plural_of_the_head_term_is_correct_usage(termbase):
    assert check_text("Les États parties et l'État partie requérant.", "d", termbase, "fr") == []


def test_an_inflected_deprecated_russian_term_is_an_error_with_the_form_found_and_its_column(termbase):
    (issue,) = check_text("Введение.\nДоклад о режиме проверки опубликован.", "d", termbase, "ru")
    assert (issue.line, issue.column, issue.level, issue.found, issue.term) == (
        2, 10, "error", "режиме проверки", "режим проверки")
    assert str(issue) == ("d:2:10: error: режиме проверки (режим проверки) -> режим контроля "
                          "(general.verification-regime)")


def test_an_inflected_admitted_variant_keeps_its_level(termbase):
    issues = check_text("Объекта по мониторингу нет. Объектов МСМ нет.", "d", termbase, "ru")
    assert [(i.level, i.found, i.column) for i in issues] == [("warning", "Объектов МСМ", 29)]


def test_russian_adjective_and_noun_must_agree(termbase):
    checker = TermChecker(termbase, "ru")
    found = [m.concept_id for m in checker.matches("данные Международной системы мониторинга")]
    assert found == ["ims.ims-data"]
    assert [m.concept_id for m in checker.matches("Международной системы мониторинга")] == [
        "ims.international-monitoring-system"]
    assert list(checker.matches("Международная системы мониторинга")) == []


def test_arabic_terms_are_found_with_attached_conjunctions_and_prepositions(termbase):
    checker = TermChecker(termbase, "ar")
    text = "وفريق التفتيش وصل. قدمت الدعم لفريق التفتيش. بالتفتيش الموقعي."
    assert [(m.found, m.concept_id) for m in checker.matches(text)] == [
        ("وفريق التفتيش", "osi.inspection-team"), ("لفريق التفتيش", "osi.inspection-team"),
        ("بالتفتيش الموقعي", "osi.on-site-inspection")]


def test_words_sharing_a_stem_with_a_term_are_not_the_term(termbase):
    assert list(TermChecker(termbase, "ar").matches("وفد البلد")) == []  # وفد is not و + فد
    assert [m.term for m in TermChecker(termbase, "ru").matches("инспекция и инспектор")] == ["инспектор"]
    assert check_text("El técnico volvió a instalar el equipo.", "d", termbase, "es", ALL) == []


def test_english_plurals_and_possessives_match_but_derived_words_do_not(termbase):
    """Snowball stems ``located`` like ``location`` (an admitted term); English keys are singulars instead."""
    issues = check_text("The States Parties' seismological stations, located at two locations.", "d", termbase, "en")
    assert [(i.found, i.term) for i in issues] == [("seismological stations", "seismological station"),
                                                   ("locations", "location")]


@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=3, max_size=8),
       st.sampled_from(["و", "ف", "ب", "ك", "ل", "ال", "وال", "بال", "فال", "لل", "وب", "ول"]))
def test_an_arabic_word_with_proclitics_has_the_key_of_the_word(word, clitic):
    if clitic == "لل":
        assert term_key(clitic + word, "ar") == term_key("ال" + word, "ar")
    else:
        assert term_key(clitic + word, "ar") == term_key(word, "ar")


def test_chinese_is_still_matched_on_characters_with_traditional_folded():
    assert [t.key for t in tokenize("國際監測", "zh")] == ["国", "际", "监", "测"]


def test_homoglyph_folding_keeps_each_script_apart_from_itself():
    cyrillic = "абвгдежзийклмнопрстуфхцчшщъыьэюя"
    assert len(set(fold_homoglyphs(c) for c in cyrillic)) == len(cyrillic)
    assert fold_homoglyphs("мсм") == fold_homoglyphs("mcm")


@pytest.mark.parametrize("query, concept", [
    ("Международной системы мониторинга", "ims.international-monitoring-system"),
    ("государств-участников", "general.state-party"),
    ("MCM", "ims.international-monitoring-system"),
    ("\u041eTICE", "general.comprehensive-nuclear-test-ban-treaty-organization"),  # Cyrillic О
    ("inspections sur place", "osi.on-site-inspection"),
    ("وفريق التفتيش", "osi.inspection-team"),
])
def test_lookup_ranks_the_concept_whose_term_the_query_inflects_first(index, query, concept):
    assert index.search(query, limit=1)[0].concept.id == concept


def test_a_participle_is_not_the_noun_of_action_it_shares_a_stem_with(termbase):
    """Snowball stems certification and certifiée alike; the key of a noun in -ion keeps a mark."""
    assert [m.term for m in TermChecker(termbase, "fr").matches("La station est désormais certifiée.")
            if m.concept_id == "ims.certification"] == []
    assert [m.term for m in TermChecker(termbase, "es").matches("la estación quedó homologada")
            if m.concept_id == "ims.certification"] == []
    assert [m.concept_id for m in TermChecker(termbase, "es").matches("Las homologaciones de estaciones")
            if m.concept_id == "ims.certification"] == ["ims.certification"]


def test_a_greek_plural_is_its_singular_in_english(termbase):
    found = [m.concept_id for m in TermChecker(termbase, "en").matches("recorded in the failure analyses")]
    assert found == ["ims.failure-analysis"]


def test_a_variant_spelling_the_head_s_inflection_covers_is_told_apart_by_the_surface(termbase):
    """Expert Communication System(s) writes in the singular a word the head writes in the plural."""
    issues = check_text("Expert Communication Systems are not the official name.", "d", termbase, "en")
    assert [(i.level, i.term, i.preferred) for i in issues] == [
        ("warning", "Expert Communication System", "Experts Communication System")]
    assert check_text("The Experts Communication Systems and the States Parties.", "d", termbase, "en") == []
