"""The lookup index: hand-written queries on the real termbase, filters, and the on-disk cache."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from glossary.errors import TermFileError
from glossary.lookup import LookupIndex, QueryError, cache_path, default_cache_dir, open_index
from glossary.model import LANGUAGES

FIXTURE_TERMS = Path(__file__).resolve().parent / "fixtures" / "lookup" / "terms"

#: (query as a delegate, interpreter or staff member might type it, expected concept id, what it tests)
QUERIES: list[tuple[str, str, str]] = [
    # abbreviations, in every script and in the languages that have their own
    ("IMS", "ims.international-monitoring-system", "en abbreviation"),
    ("МСМ", "ims.international-monitoring-system", "ru abbreviation"),
    ("SSI", "ims.international-monitoring-system", "fr abbreviation"),
    ("SIV", "ims.international-monitoring-system", "es abbreviation"),
    ("CID", "idc.international-data-centre", "fr/es abbreviation"),
    ("idc", "idc.international-data-centre", "lower-case abbreviation"),
    ("МЦД", "idc.international-data-centre", "ru abbreviation"),
    ("НЦД", "idc.national-data-centre", "ru abbreviation"),
    ("C.T.B.T.O.", "general.comprehensive-nuclear-test-ban-treaty-organization", "dotted abbreviation"),
    ("ОДВЗЯИ", "general.comprehensive-nuclear-test-ban-treaty-organization", "ru abbreviation"),
    ("OTPCE", "general.comprehensive-nuclear-test-ban-treaty-organization", "es abbreviation"),
    ("ВТС", "general.provisional-technical-secretariat", "ru abbreviation"),
    ("REB", "idc.reviewed-event-bulletin", "en abbreviation"),
    ("ＩＭＳ", "ims.international-monitoring-system", "full-width abbreviation"),
    ("TTX", "osi.tabletop-exercise", "en abbreviation"),
    ("IFE", "osi.integrated-field-exercise", "en abbreviation"),
    ("SOP", "ims.standard-operating-procedure", "en abbreviation"),
    # English with typos, other spellings and swapped words
    ("intl monitoring systm", "ims.international-monitoring-system", "typos and a short form"),
    ("internatinal data center", "idc.international-data-centre", "typo, US spelling"),
    ("comprehensive nuclear test ban treaty organisation",
     "general.comprehensive-nuclear-test-ban-treaty-organization", "no hyphens, British spelling"),
    ("provisonal technical secretariat", "general.provisional-technical-secretariat", "typo"),
    ("radionuclide laboratry", "ims.radionuclide-laboratory", "typo"),
    ("infrasound staion", "ims.infrasound-station", "typo"),
    ("hydroaccoustic station", "ims.hydroacoustic-station", "typo"),
    ("reviewed event buletin", "idc.reviewed-event-bulletin", "typo"),
    ("onsite inspection", "osi.on-site-inspection", "hyphen left out"),
    ("atmospheric transport modeling", "idc.atmospheric-transport-modelling", "US spelling"),
    ("public key infrastucture", "idc.public-key-infrastructure", "typo"),
    ("chain of custdy", "ims.chain-of-custody", "typo"),
    ("tabletop excercise", "osi.tabletop-exercise", "common misspelling"),
    ("entry in to force", "general.entry-into-force", "split word"),
    ("monitoring system international", "ims.international-monitoring-system", "word order"),
    ("bulletin reviewed event", "idc.reviewed-event-bulletin", "word order"),
    ("gas system noble", "ims.noble-gas-system", "word order"),
    ("state partys", "general.state-party", "bad plural"),
    ("national data center", "idc.national-data-centre", "US spelling"),
    # French, with and without accents
    ("systeme de surveillance international", "ims.international-monitoring-system", "fr without accents"),
    ("centre international de donnees", "idc.international-data-centre", "fr without accents"),
    ("equipe d'inspection", "osi.inspection-team", "fr without accents"),
    ("secretariat technique provisoire", "general.provisional-technical-secretariat", "fr without accents"),
    ("entree en vigueur", "general.entry-into-force", "fr without accents"),
    ("inspection sur place", "osi.on-site-inspection", "fr"),
    ("Conseil exécutif", "general.executive-council", "fr with accents"),
    ("gaz rares", "ims.noble-gas", "fr"),
    # Spanish
    ("sistema internacional de vigilancia", "ims.international-monitoring-system", "es lower case"),
    ("inspeccion in situ", "osi.on-site-inspection", "es without accent"),
    ("estacion hidroacustica", "ims.hydroacoustic-station", "es without accents"),
    ("Organizacion del Tratado de Prohibicion Completa de los Ensayos Nucleares",
     "general.comprehensive-nuclear-test-ban-treaty-organization", "es without accents"),
    ("entrada en vigor", "general.entry-into-force", "es"),
    ("Estados Partes", "general.state-party", "es plural form"),
    ("grupo de inspeccion", "osi.inspection-team", "es without accent"),
    # Russian, with typos and ё where the term has е
    ("международная сисема мониторинга", "ims.international-monitoring-system", "ru typo"),
    ("инспекция на мессте", "osi.on-site-inspection", "ru typo"),
    ("временный техничский секретариат", "general.provisional-technical-secretariat", "ru typo"),
    ("исполнительный совет", "general.executive-council", "ru lower case"),
    ("вступление в силу", "general.entry-into-force", "ru"),
    ("обобщённый F-детектор", "idc.generalized-f-detector", "ru with ё"),
    ("защищённый веб-портал Международного центра данных", "idc.secure-web-portal", "ru with ё"),
    ("бюллетень проверенных явлений", "idc.reviewed-event-bulletin", "ru lower case"),
    ("группа инспекционная", "osi.inspection-team", "ru word order"),
    # Arabic with and without diacritics, tatweel, hamza and ta marbuta variants
    ("نظام الرصد الدولى", "ims.international-monitoring-system", "ar alef maqsura for ya"),
    ("التَّفْتِيشُ المَوْقِعِيُّ", "osi.on-site-inspection", "ar with tashkeel"),
    ("المركز الدولي للبيانات", "idc.international-data-centre", "ar"),
    ("الامانة الفنية المؤقتة", "general.provisional-technical-secretariat", "ar hamza left off alef"),
    ("المجلـــس التنفيذي", "general.executive-council", "ar tatweel"),
    ("فريق تفتيش", "osi.inspection-team", "ar without the article"),
    ("محطة رصد النويدات المشعه", "ims.radionuclide-station", "ar ha for ta marbuta"),
    ("نقطه الدخول", "osi.point-of-entry", "ar ha for ta marbuta"),
    ("بدء النفاذ", "general.entry-into-force", "ar"),
    # Chinese: full forms, short forms, a wrong character, spaces
    ("国际监测系统", "ims.international-monitoring-system", "zh"),
    ("国际检测系统", "ims.international-monitoring-system", "zh homophone typo 检/监"),
    ("现场视察", "osi.on-site-inspection", "zh"),
    ("禁核试组织", "general.comprehensive-nuclear-test-ban-treaty-organization", "zh short form not listed"),
    ("筹委会", "general.preparatory-commission", "zh short form"),
    ("临时技秘处", "general.provisional-technical-secretariat", "zh short form"),
    ("現場視察", "osi.on-site-inspection", "zh traditional characters"),
    ("國際數據中心", "idc.international-data-centre", "zh traditional characters"),
    ("国际 数据 中心", "idc.international-data-centre", "zh with spaces"),
    ("审定事件公报", "idc.reviewed-event-bulletin", "zh"),
    ("次声台站", "ims.infrasound-station", "zh"),
    ("惰性气体系统", "ims.noble-gas-system", "zh"),
    ("执行理事会", "general.executive-council", "zh"),
    ("视察组", "osi.inspection-team", "zh"),
]


@pytest.fixture(scope="module")
def index(termbase) -> LookupIndex:
    return LookupIndex.build(termbase, gram_index=False)


@pytest.fixture(scope="module")
def gram_index(termbase) -> LookupIndex:
    """The real termbase through the n-gram candidate index that large termbases use."""
    return LookupIndex.build(termbase, gram_index=True)


def _failures(index: LookupIndex, termbase) -> list[str]:
    failures = []
    for query, expected, what in QUERIES:
        assert expected in termbase, f"query {query!r} expects {expected!r}, which is not in terms/"
        hits = index.search(query, limit=3)
        if not hits or hits[0].concept.id != expected:
            found = ", ".join(f"{h.concept.id} ({h.score:g}, {h.matched})" for h in hits) or "nothing"
            failures.append(f"{query!r} ({what}): expected {expected}, got {found}")
    return failures


def test_query_set_is_large_and_covers_every_language():
    assert len(QUERIES) >= 60
    covered = {what.split()[0] for _q, _e, what in QUERIES}
    assert {"ar", "zh", "fr", "es", "ru", "en"} <= covered | {"en"}
    assert len({q for q, _e, _w in QUERIES}) == len(QUERIES), "duplicate queries"


def test_hand_written_queries_find_the_right_concept_first(index, termbase):
    failures = _failures(index, termbase)
    rate = 1 - len(failures) / len(QUERIES)
    assert rate >= 0.95, f"top-1 rate {rate:.1%} < 95%; failures:\n" + "\n".join(failures)


def test_ngram_candidates_find_the_same_concepts(gram_index, termbase):
    failures = _failures(gram_index, termbase)
    rate = 1 - len(failures) / len(QUERIES)
    assert rate >= 0.95, f"top-1 rate {rate:.1%} < 95%; failures:\n" + "\n".join(failures)


def test_hit_carries_the_concept_card_and_the_matched_term(index):
    hit = index.search("МСМ", limit=1)[0]
    assert (hit.matched, hit.lang, hit.type, hit.how, hit.score) == ("МСМ", "ru", "abbreviation", "exact", 100.0)
    assert hit.concept.preferred["zh"] == "国际监测系统"
    assert hit.concept.preferred["ar"] == "نظام الرصد الدولي"
    assert set(hit.concept.preferred) == set(LANGUAGES)
    assert hit.concept.definition


def test_one_hit_per_concept_best_first(index):
    hits = index.search("station", limit=10)
    ids = [h.concept.id for h in hits]
    assert len(ids) == len(set(ids))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_lang_filter_matches_only_terms_in_that_language(index):
    hits = index.search("inspection", lang="fr", limit=10)
    assert hits and all(h.lang == "fr" for h in hits)
    assert not index.search("МСМ", lang="en")


def test_domain_filter_keeps_only_that_domain(index):
    hits = index.search("inspection", domain="OSI", limit=10)
    assert hits and all(h.concept.domain == "OSI" for h in hits)
    gram_hits = LookupIndex.build(_fixture_termbase(), gram_index=True).search("inspection", domain="IDC")
    assert gram_hits == []


def test_unrelated_query_finds_nothing(index):
    assert index.search("zzqxw") == []


@pytest.mark.parametrize("query", ["", "   ", "?!…", "—"])
def test_query_without_letters_is_a_query_error(index, query):
    with pytest.raises(QueryError, match="no letters or digits"):
        index.search(query)


def test_unknown_filters_are_query_errors(index):
    with pytest.raises(QueryError, match="unknown language 'de'"):
        index.search("IMS", lang="de")
    with pytest.raises(QueryError, match="unknown domain 'XYZ'"):
        index.search("IMS", domain="XYZ")


def test_serialised_index_answers_like_the_original(termbase, index, gram_index):
    for original in (index, gram_index):
        copy = LookupIndex.from_bytes(original.to_bytes())
        for query, _expected, _what in QUERIES[::5]:
            assert copy.search(query) == original.search(query)


# --- cache -----------------------------------------------------------------------------------------

def _fixture_termbase():
    from glossary.termfile import load_termbase

    return load_termbase([FIXTURE_TERMS])


@pytest.fixture
def terms(tmp_path) -> Path:
    target = tmp_path / "terms"
    shutil.copytree(FIXTURE_TERMS, target)
    return target


def test_second_open_reads_the_cache(terms, tmp_path):
    cache = tmp_path / "cache"
    first = open_index([terms], cache)
    second = open_index([terms], cache)
    assert (first.origin, second.origin) == ("built", "cache")
    assert second.index.search("CID") == first.index.search("CID")
    assert [p.name for p in cache.iterdir()] == [first.cache_file.name]  # no temporary files left


def test_changed_term_file_is_never_served_stale(terms, tmp_path):
    cache = tmp_path / "cache"
    open_index([terms], cache)
    sample = terms / "sample.yaml"
    sample.write_text(sample.read_text(encoding="utf-8").replace("SSI", "SSIX"), encoding="utf-8")
    reopened = open_index([terms], cache)
    assert reopened.origin == "built"
    assert reopened.index.search("SSIX", limit=1)[0].how == "exact"
    assert open_index([terms], cache).origin == "cache"


def test_added_term_file_changes_the_key(terms, tmp_path):
    cache = tmp_path / "cache"
    open_index([terms], cache)
    text = (terms / "sample.yaml").read_text(encoding="utf-8")
    (terms / "more.yaml").write_text(text.replace("- id: ", "- id: x").replace("id: xims", "id: ims.x")
                                     .replace("id: xidc", "id: idc.x").replace("id: xosi", "id: osi.x"),
                                     encoding="utf-8")
    reopened = open_index([terms], cache)
    assert reopened.origin == "built"
    assert reopened.index.concept_count == 8
    assert len(list(cache.iterdir())) == 1  # the location's one cache file, overwritten


def test_damaged_cache_is_rebuilt(terms, tmp_path):
    cache = tmp_path / "cache"
    opened = open_index([terms], cache)
    data = opened.cache_file.read_bytes()
    opened.cache_file.write_bytes(data[: len(data) // 2])
    again = open_index([terms], cache)
    assert again.origin == "built"
    assert again.index.search("IMS", limit=1)[0].concept.id == "ims.international-monitoring-system"


def test_cache_with_an_ngram_index_is_rebuilt_where_numpy_is_missing(terms, tmp_path, monkeypatch):
    import glossary.lookup

    monkeypatch.setattr(glossary.lookup, "GRAM_INDEX_MIN_ENTRIES", 0)  # every termbase gets the n-gram index
    cache = tmp_path / "cache"
    assert open_index([terms], cache).index.grams is not None
    monkeypatch.setitem(sys.modules, "numpy", None)  # `import numpy` now raises ImportError
    again = open_index([terms], cache)
    assert (again.origin, again.index.grams) == ("built", None)
    assert again.index.search("IMS", limit=1)[0].concept.id == "ims.international-monitoring-system"


def test_unwritable_cache_falls_back_to_no_cache(terms, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    opened = open_index([terms], blocker / "cache")
    assert opened.origin == "built, not cached"
    assert opened.index.search("IMS", limit=1)


def test_no_cache_neither_reads_nor_writes(terms, tmp_path):
    cache = tmp_path / "cache"
    assert open_index([terms], cache, use_cache=False).origin == "built, not cached"
    assert not cache.exists()


def test_no_cache_leaves_even_a_large_termbase_uncached(terms, tmp_path, monkeypatch):
    from glossary import cache as cache_module

    monkeypatch.setattr(cache_module, "TERMBASE_CACHE_MIN_BYTES", 0)  # every termbase counts as large
    cache = tmp_path / "cache"
    assert open_index([terms], cache, use_cache=False).origin == "built, not cached"
    assert not cache.exists()


def test_cache_dir_precedence(monkeypatch, tmp_path):
    monkeypatch.delenv("GLOSSARY_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_cache_dir() == tmp_path / "xdg" / "ctbt-glossary"
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(tmp_path / "env"))
    assert default_cache_dir() == tmp_path / "env"
    assert default_cache_dir(tmp_path / "option") == tmp_path / "option"
    monkeypatch.delenv("GLOSSARY_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_cache_dir() == tmp_path / "home" / ".cache" / "ctbt-glossary"


def test_cache_file_is_per_termbase_location(terms, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(terms, other)
    assert cache_path(tmp_path, [terms]) != cache_path(tmp_path, [other])
    assert cache_path(tmp_path, [terms]) == cache_path(tmp_path, [str(terms)])


def test_bad_term_file_is_reported_with_its_line(terms, tmp_path):
    (terms / "broken.yaml").write_text("- id: ims.x\n  domain: NOPE\n", encoding="utf-8")
    with pytest.raises(TermFileError) as caught:
        open_index([terms], tmp_path / "cache")
    assert caught.value.path.endswith("broken.yaml") and caught.value.line == 1
    assert "missing required key 'definition'" in caught.value.message


def test_missing_terms_directory_is_a_term_file_error(tmp_path):
    with pytest.raises(TermFileError, match="no such file or directory"):
        open_index([tmp_path / "nowhere"], tmp_path / "cache")
