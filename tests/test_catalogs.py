"""The gettext export: headers from babel, entries from the termbase, files that real clients read."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import polib
import pytest
from babel import Locale
from babel.messages.pofile import read_po

import glossary
from glossary.catalogs import (ABBREVIATION_CONTEXT_SUFFIX, BASE_MARKER, ENGLISH_LANGUAGE_NAMES, LOCALES, base_fingerprint, build_catalogs,
                               catalog_metadata, language_name, plural_forms, po_path, read_report,
                               render_catalogs, stale_catalogs, write_catalogs)
from glossary.model import LANGUAGES
from glossary.resources import BUNDLED_REPORT, REPORT_SYMBOL
from glossary.termfile import load_termbase

FIXTURE_TERMS = Path(__file__).parent / "fixtures" / "po"
#: gettext form index of each CLDR integer category (fr/es "many", exact millions in CLDR 42+, folds into
#: "other", as GNU gettext's two-form rule does).
CLDR_ORDER = {"ar": ["zero", "one", "two", "few", "many", "other"], "ru": ["one", "few", "many"],
              "fr": ["one", "other"], "es": ["one", "other"], "en": ["one", "other"], "zh": ["other"]}
needs_msgfmt = pytest.mark.skipif(shutil.which("msgfmt") is None,
                                  reason="GNU gettext's msgfmt is not installed (CI installs the gettext package)")


@pytest.fixture(scope="module")
def report():
    return read_report(BUNDLED_REPORT)


@pytest.fixture(scope="module")
def real_files(termbase, report) -> dict[str, bytes]:
    return render_catalogs(termbase, report=report, mo=True)


@pytest.fixture(scope="module")
def real_dir(real_files, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("locales")
    write_catalogs(out, real_files)
    return out


@pytest.fixture(scope="module")
def sample():
    return load_termbase([FIXTURE_TERMS])


def _po(files: dict[str, bytes], lang: str) -> polib.POFile:
    return polib.pofile(files[po_path(lang)].decode("utf-8"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_agree_with_cldr_for_every_n_up_to_a_million(lang):
    """Each row of our fixed table against CLDR's categories in whatever babel is installed."""
    header = plural_forms(lang)
    nplurals = int(header.split("nplurals=")[1].split(";")[0])
    assert nplurals == len(CLDR_ORDER[lang])
    rule = gettext.c2py(header.split("plural=", 1)[1].strip().rstrip(";"))
    category = Locale.parse(LOCALES[lang]).plural_form
    order = CLDR_ORDER[lang]
    wrong = [n for n in range(1_000_001)
             if rule(n) != order.index(c if (c := category(n)) in order else "other")]
    assert wrong == []


def test_plural_forms_are_gnu_gettexts_whatever_babel_says():
    assert plural_forms("ar") == ("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
                                  ": n%100>=11 ? 4 : 5);")
    assert plural_forms("fr") == "nplurals=2; plural=(n > 1);"
    assert plural_forms("es") == plural_forms("en") == "nplurals=2; plural=(n != 1);"
    assert plural_forms("zh") == "nplurals=1; plural=0;"


@pytest.mark.parametrize("lang", ["en", "fr", "ru", "es"])
def test_fixed_plural_forms_are_what_msginit_writes(lang, tmp_path):
    """GNU gettext's own suggestion (msginit's table has no ar or zh row; those follow its manual)."""
    if shutil.which("msginit") is None:
        pytest.skip("GNU gettext's msginit is not installed (CI installs the gettext package)")
    pot = tmp_path / "t.pot"
    pot.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                   'msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\n', encoding="utf-8")
    out = tmp_path / "t.po"
    subprocess.run(["msginit", "--no-translator", "-l", f"{lang}.UTF-8", "-i", str(pot), "-o", str(out)],
                   check=True, capture_output=True)
    assert polib.pofile(str(out)).metadata["Plural-Forms"] == plural_forms(lang)


def test_headers_are_fixed_in_the_project_without_dates():
    meta = catalog_metadata("fr")
    assert meta["Language"] == "fr"
    assert meta["Language-Team"] == "français"
    assert meta["Project-Id-Version"] == f"ctbt-glossary {glossary.__version__}"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert "POT-Creation-Date" not in meta and "PO-Revision-Date" not in meta
    assert language_name("zh") == "中文 (简体)" and language_name("ar") == "العربية"
    assert language_name("ru") == "русский" and language_name("es") == "español"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fixed_language_names_are_still_cldrs(lang):
    """The names are fixed so bytes never follow babel; this says when CLDR has renamed one."""
    locale = Locale.parse(LOCALES[lang])
    assert language_name(lang) == locale.get_display_name(locale)
    assert ENGLISH_LANGUAGE_NAMES[lang] == locale.get_display_name("en")


def test_timestamp_is_written_only_when_asked_for():
    when = datetime(2024, 5, 6, 7, 8, tzinfo=timezone.utc)
    meta = catalog_metadata("ru", timestamp=when)
    assert meta["POT-Creation-Date"] == meta["PO-Revision-Date"] == "2024-05-06 07:08+0000"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_locale_ids_parse_in_babel_to_the_right_language(lang):
    assert Locale.parse(LOCALES[lang]).language == lang
    assert LOCALES["zh"] == "zh_Hans"


def test_every_catalog_header_is_not_fuzzy_and_names_its_language(real_files):
    for lang in LANGUAGES:
        po = _po(real_files, lang)
        assert not po.metadata_is_fuzzy
        assert po.metadata["Language"] == LOCALES[lang]
        assert po.metadata["Plural-Forms"] == plural_forms(lang)


def test_entries_key_concepts_by_id_with_english_msgid_and_target_msgstr(termbase, real_files):
    for lang in LANGUAGES:
        entries = {e.msgctxt: e for e in _po(real_files, lang)}
        for concept in termbase.values():
            entry = entries[concept.id]
            assert entry.msgid == concept.preferred("en")
            assert entry.msgstr == (concept.preferred(lang) or "")
            head = concept.head_term(lang)
            assert ("fuzzy" in entry.flags) == (head is not None and head.status == "proposed")
            assert BASE_MARKER + base_fingerprint(entry.msgstr) in entry.comment.splitlines()


def test_the_english_catalog_is_complete(termbase, real_files):
    english = [e for e in _po(real_files, "en") if ABBREVIATION_CONTEXT_SUFFIX not in e.msgctxt]
    assert len(english) == len(termbase)
    assert all(e.msgstr == e.msgid for e in english)


def test_abbreviations_are_entries_of_their_own(sample, report):
    files = render_catalogs(sample, report=report)
    fr = {(e.msgctxt, e.msgid): e for e in _po(files, "fr")}
    entry = fr[("ims.international-monitoring-system#abbreviation", "IMS")]
    assert entry.msgstr == "SSI"
    assert "Abbreviation of: International Monitoring System" in entry.comment
    main = fr[("ims.international-monitoring-system", "International Monitoring System")]
    assert main.msgstr == "Système de surveillance international"
    assert "Abbreviations: SSI" in main.comment


def test_homonyms_stay_distinct_by_msgctxt(sample, report):
    fr = _po(render_catalogs(sample, report=report), "fr")
    stations = {e.msgctxt: e for e in fr if e.msgid == "station"}
    assert stations["osi.station"].msgstr == "poste" and "fuzzy" in stations["osi.station"].flags
    assert stations["ims.station"].msgstr == "station" and "fuzzy" not in stations["ims.station"].flags


def test_comments_give_definition_domain_report_chinese_variants_and_sources(sample, report):
    files = render_catalogs(sample, report=report)
    ims = {e.msgctxt: e for e in _po(files, "fr")}["ims.international-monitoring-system"]
    comment = ims.comment.replace("\n", " ")
    assert "Definition: The global network of monitoring facilities" in comment
    assert "Domain: IMS (networks)" in comment
    assert f"Chinese in {REPORT_SYMBOL}: 国际监测系统" in comment
    assert "Source: CTBT Article IV, para. 16" in comment
    assert ims.occurrences == [(REPORT_SYMBOL, "5"), (REPORT_SYMBOL, "13")]
    osi = {e.msgctxt: e for e in _po(files, "fr")}["osi.station"]
    assert "Admitted: station" in osi.comment and "Note: not confirmed" in osi.comment


def test_references_read_back_as_locations_in_babel(real_dir):
    with open(real_dir / po_path("fr"), "rb") as fh:
        catalog = read_po(fh, abort_invalid=True)
    locations = [loc for message in catalog if message.id for loc in message.locations]
    assert locations and all(isinstance(line, int) and path for path, line in locations)
    assert any(path == REPORT_SYMBOL for path, _ in locations)


def test_two_exports_are_byte_identical(termbase, report, real_files):
    assert render_catalogs(termbase, report=report, mo=True) == real_files


@pytest.mark.parametrize("name", ["glossary.pot", *[po_path(lang) for lang in LANGUAGES]])
def test_babel_reads_every_file_with_the_entries_polib_sees(real_dir, name):
    with open(real_dir / name, "rb") as fh:
        catalog = read_po(fh, abort_invalid=True)
    assert len([m for m in catalog if m.id]) == len(polib.pofile(str(real_dir / name)))


@needs_msgfmt
@pytest.mark.parametrize("lang", LANGUAGES)
def test_msgfmt_check_accepts_every_catalog(real_dir, lang, tmp_path):
    result = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "out.mo"), str(real_dir / po_path(lang))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # the only remark allowed is the PO-Revision-Date left out on purpose (no dates unless asked)
    remarks = [line for line in result.stderr.splitlines() if "PO-Revision-Date" not in line]
    assert remarks == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mo_files_return_the_terms_by_context_and_msgid(real_dir, termbase, lang):
    with open(real_dir / (po_path(lang)[:-3] + ".mo"), "rb") as fh:
        translations = gettext.GNUTranslations(fh)
    for concept in termbase.values():
        head = concept.head_term(lang)
        got = translations.pgettext(concept.id, concept.preferred("en"))
        if head is not None and head.status == "preferred":
            assert got == head.text
        else:  # proposed terms are fuzzy, which msgfmt and polib leave out of the MO
            assert got == concept.preferred("en")
    assert translations.info()["language"] == LOCALES[lang]


def test_stale_catalogs_names_changed_missing_and_foreign_files(real_files, tmp_path):
    files = {k: v for k, v in real_files.items() if not k.endswith(".mo")}
    write_catalogs(tmp_path, files)
    assert stale_catalogs(tmp_path, files) == []
    (tmp_path / po_path("fr")).write_bytes(b"# edited\n" + files[po_path("fr")])
    (tmp_path / po_path("es")).unlink()
    (tmp_path / "de" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "de" / "LC_MESSAGES" / "glossary.po").write_text("")
    assert stale_catalogs(tmp_path, files) == [f"{po_path('fr')}: out of date", f"{po_path('es')}: missing",
                                               "de/LC_MESSAGES/glossary.po: not produced by the export"]


def test_a_concept_without_english_head_term_is_left_out(sample):
    concept = sample["osi.station"]
    saved = concept.terms["en"]
    concept.terms["en"] = []
    try:
        catalogs = build_catalogs(sample)
        assert all(e.msgctxt != "osi.station" for e in catalogs["fr"])
    finally:
        concept.terms["en"] = saved


def test_check_catalogs_tool_accepts_the_export(shared_dir, real_dir):
    tool = shared_dir / "tools" / "check-catalogs"
    if not tool.exists() or shutil.which("msgfmt") is None or shutil.which("msgmerge") is None:
        pytest.skip("check-catalogs or GNU gettext is not available")
    pytest.importorskip("translate.storage.factory", reason="check-catalogs needs translate-toolkit")
    clean = real_dir.parent / "check-catalogs"
    write_catalogs(clean, {k: v for k, v in render_catalogs(load_termbase([FIXTURE_TERMS])).items()})
    for directory in (real_dir, clean):
        result = subprocess.run([sys.executable, str(tool), str(directory)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
