"""The Treaty and Protocol vocabulary: the hand-written list is covered, and the English and French heads of
its concepts are the wording of the Treaty text (../shared/reference/ctbt), with the article they come from."""

from __future__ import annotations

import re

import pytest

from glossary.coverage import TermIndex, list_coverage, read_term_list, term_key, treaty_concepts
from glossary.errors import InputError
from glossary.model import Concept, Source, Term
from glossary.treaty_text import ReferenceText, cite, coordination_patterns, term_pattern
from glossary.validate import check_concept

from conftest import FIXTURES, SHARED

TREATY_LIST = FIXTURES / "treaty-terms.tsv"
REFERENCE = SHARED / "reference" / "ctbt"
#: A source that names where in the Treaty or Protocol a head was read.
TREATY_SOURCE = re.compile(r"^CTBT(?: Protocol)?(?: \(fr\))? (?:title|Preamble|Article [IVX]+|Part [IVX]+|Annex \d)")


@pytest.fixture(scope="module")
def listed():
    return read_term_list(TREATY_LIST, "en")


@pytest.fixture(scope="module")
def treaty(termbase, listed):
    return treaty_concepts(termbase, listed)


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.is_dir():
        pytest.skip("../shared/reference/ctbt is absent (project cloned alone): Treaty text not available")
    return {lang: ReferenceText.load(REFERENCE, lang) for lang in ("en", "fr")}


def test_the_list_is_a_few_hundred_terms_each_with_its_place(listed):
    assert len(listed) >= 300
    assert len({term_key(t.text) for t in listed}) == len(listed)
    locations = re.compile(r"^(?:Article [IVX]+|Protocol Part I{1,3}|Protocol Annex [12]|Treaty Annex [12])\b")
    assert all(locations.match(t.fields["location"]) for t in listed)


def test_every_listed_treaty_term_is_a_term_of_some_concept(termbase, listed):
    coverage = list_coverage("treaty-terms", listed, termbase)
    assert coverage.uncovered == []
    assert coverage.six_languages == coverage.terms


def test_treaty_concepts_include_the_treaty_domain_and_the_regime_s_core(termbase, treaty):
    ids = {c.id for c in treaty}
    assert {c.id for c in termbase.values() if c.domain == "treaty"} <= ids
    assert {"ims.international-monitoring-system", "osi.on-site-inspection", "osi.managed-access",
            "idc.standard-screened-event-bulletin", "general.executive-council"} <= ids


def test_english_heads_are_preferred_and_french_heads_mostly_so(treaty):
    assert [c.id for c in treaty if c.head_term("en").status != "preferred"] == []
    proposed_fr = [c.id for c in treaty if c.head_term("fr").status == "proposed"]
    assert len(proposed_fr) <= 0.05 * len(treaty)


def test_preferred_english_and_french_heads_name_the_article_they_were_read_in(treaty):
    unsourced = [(c.id, lang, h.source) for c in treaty for lang in ("en", "fr")
                 if (h := c.head_term(lang)).status == "preferred" and not TREATY_SOURCE.match(h.source or "")]
    assert unsourced == []


def test_preferred_english_and_french_heads_are_written_in_the_treaty_text(treaty, reference):
    absent = [(c.id, lang, h.text) for c in treaty for lang in ("en", "fr")
              if (h := c.head_term(lang)).status == "preferred" and not reference[lang].occurs(h.text)]
    assert absent == []


def test_the_source_of_a_treaty_domain_head_is_where_the_text_has_it(termbase, reference):
    """The source names the first paragraph of the aligned copy that writes the term."""
    for concept in (c for c in termbase.values() if c.domain == "treaty"):
        for lang in ("en", "fr"):
            head = concept.head_term(lang)
            if head.status == "preferred":
                assert head.source == cite(reference[lang].locate(head.text), lang), (concept.id, lang)


# --- the matcher, on the real text ------------------------------------------------------------------------

@pytest.mark.parametrize("lang, term", [
    ("en", "instrument of ratification"),           # written in the plural
    ("en", "basic obligations"),                    # heading in title case
    ("en", "State Responsible for Station"),        # table heading
    ("en", "Comprehensive Nuclear-Test-Ban Treaty Organization"),  # hyphen where the copy has a space
    ("fr", "État partie inspecté"),                 # "États parties inspectés"
    ("fr", "instrument d'adhésion"),                # "instruments de ratification ou d'adhésion"
    ("fr", "Manuel opérationnel pour les inspections sur place"),
])
def test_the_text_s_inflections_of_a_term_are_found(reference, lang, term):
    assert reference[lang].occurs(term)


@pytest.mark.parametrize("lang, term", [
    ("en", "inspection team leader"),               # invented
    ("en", "on-site inspecton"),                    # typo
    ("en", "verification regime of the inspection"),
    ("fr", "inspection sur plce"),
    ("fr", "Manuel d'opérations pour les inspections sur place"),  # a CTBTO title, not the Treaty's
])
def test_invented_or_misspelt_wordings_are_not_found(reference, lang, term):
    assert not reference[lang].occurs(term)


def test_locations_come_from_the_aligned_headings(reference):
    assert reference["en"].locate("managed access") == "CTBT Protocol Part II para. 60"
    assert reference["fr"].locate("accès réglementé") == "CTBT Protocol Part II para. 60"
    assert reference["en"].locate("spectral scalloping") == "CTBT Protocol Annex 2 para. 2"
    assert reference["en"].locate("basic obligations") == "CTBT Article I heading"


# --- the matcher and the index, without the text ----------------------------------------------------------

def test_plural_and_sentence_case_but_not_other_case():
    pattern = term_pattern("State Party", "en")
    assert pattern.search("Each of the States Parties shall")
    assert not pattern.search("each state party shall")
    assert term_pattern("inspected State Party", "en").search("Inspected State Party: the")
    assert term_pattern("réseau primaire", "fr").search("les réseaux primaires")
    assert term_pattern("capital", "fr").search("les capitaux")
    assert not term_pattern("event", "en").search("the eventual outcome")


def test_one_coordination_inside_a_term():
    (first,) = coordination_patterns("hydrophone station", "en")
    assert first.search("six hydrophone and five T-phase stations")
    assert not any(p.search("the hydrophone, the station") for p in coordination_patterns("hydrophone station", "en"))


def test_index_prefers_the_concept_whose_head_the_term_is():
    head = Concept("a.x", "general", "d", {"en": [Term("primary network", status="preferred")]})
    variant = Concept("b.y", "general", "d", {"en": [Term("network", status="preferred"),
                                                      Term("primary network", type="variant")]})
    from glossary.model import Termbase

    index = TermIndex(Termbase([variant, head]), "en")
    assert index.concept_of("Primary  network").id == "a.x"
    assert index.concept_of("secondary network") is None


def test_a_list_without_the_column_is_refused(tmp_path):
    path = tmp_path / "list.tsv"
    path.write_text("zh\tdomain\n台站\tIMS\n", encoding="utf-8")
    with pytest.raises(InputError, match="no 'en' column"):
        read_term_list(path, "en")


# --- the validate warning ---------------------------------------------------------------------------------

def _concept(fr: Term, zh: Term | None = None, sources=()) -> Concept:
    terms = {lang: [Term("x", status="proposed")] for lang in ("ar", "ru", "es")}
    terms["zh"] = [zh or Term("台站", status="proposed")]
    terms["en"] = [Term("NET-VISA", status="preferred")]
    terms["fr"] = [fr]
    return Concept("idc.sample", "IDC", "d", terms, sources=list(sources))


def _warnings(concept):
    return [f.message for f in check_concept(concept) if "has no source" in f.message]


def test_a_preferred_term_outside_english_needs_a_source():
    assert _warnings(_concept(Term("réseau", status="preferred"))) == [
        "concept idc.sample: preferred fr term 'réseau' has no source; say where it was read "
        "(Treaty article, CTBTO or UN document) or make it proposed"]
    assert _warnings(_concept(Term("réseau", status="preferred", source="CTBT (fr) Article IV para. 16"))) == []
    assert _warnings(_concept(Term("réseau", status="proposed"))) == []


def test_a_name_written_as_in_english_and_a_chinese_term_of_the_report_carry_their_source():
    assert _warnings(_concept(Term("NET-VISA", status="preferred"))) == []
    report = [Source("CTBT/WGB-62/INF.4", paragraphs=["13"])]
    zh = Term("台站", status="preferred")
    assert _warnings(_concept(Term("NET-VISA", status="preferred"), zh, report)) == []
    assert len(_warnings(_concept(Term("NET-VISA", status="preferred"), zh))) == 1
