"""The validator, one fixture file per error class, and the curated termbase itself."""

from __future__ import annotations

import pytest

from glossary.validate import exit_status, script_problem, validate_paths

from conftest import FIXTURES

BAD = FIXTURES / "termfiles" / "bad"

# fixture file -> (line, level, message fragment) of a finding it must produce
CASES = {
    "malformed.yaml": (6, "error", "malformed YAML: did not find expected node content"),
    "not-utf8.yaml": (16, "error", "not UTF-8 (byte 0xf3)"),
    "empty.yaml": (None, "error", "empty file"),
    "only-comments.yaml": (None, "error", "empty file"),
    "python-tag.yaml": (19, "error", "YAML tag '!!python/object/apply:os.system' is not allowed"),
    "not-a-list.yaml": (1, "error", "file: expected a list"),
    "unknown-key.yaml": (19, "error", "concept ims.sample-station: unknown key 'colour'"),
    "missing-field.yaml": (1, "error", "missing required key 'definition'"),
    "bad-language.yaml": (15, "error", "unknown key 'de'"),
    "missing-language.yaml": (1, "error", "no ru term"),
    "bad-status.yaml": (16, "error", "status: 'approved' is not one of preferred, admitted, deprecated, proposed"),
    "bad-type.yaml": (11, "error", "type: 'acronymn' is not one of"),
    "bad-domain.yaml": (2, "error", "domain: 'Seismology' is not one of IMS, IDC, OSI, general"),
    "bad-id.yaml": (1, "error", "concept id 'IMS Sample Station' is not of the form"),
    "no-preferred.yaml": (10, "error", "en has no preferred term"),
    "two-preferred.yaml": (11, "error", "en has 2 preferred terms (sample station, specimen station)"),
    "wrong-script.yaml": (14, "error", "ru term 'stanciya' has no Cyrillic letters"),
    "mixed-script.yaml": (8, "error", "zh term '台站станция' contains Cyrillic letters"),
    "duplicate-id.yaml": (20, "error", "duplicate concept id 'ims.sample-station'"),
    "shared-preferred.yaml": (29, "warning", "en preferred term 'sample station' is also the preferred term of"),
    "not-nfc.yaml": (11, "error", "is not in Unicode NFC"),
    "stray-whitespace.yaml": (11, "error", "has stray whitespace"),
    "term-not-mapping.yaml": (11, "error", "term: expected a mapping"),
    "empty-text.yaml": (11, "error", "text: must not be empty"),
    "invisible-char.yaml": (6, "error", "contains invisible characters (U+200F)"),
    "traditional.yaml": (8, "warning", "zh term '臺站' has traditional characters; UN Chinese writes '台站'"),
}


def test_every_bad_fixture_has_a_case():
    assert {p.name for p in BAD.glob("*.yaml")} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_error_class_is_reported_with_its_line(name):
    line, level, fragment = CASES[name]
    findings = validate_paths([BAD / name])
    matching = [f for f in findings if fragment in f.message]
    assert matching, [str(f) for f in findings]
    assert (matching[0].line, matching[0].level) == (line, level)
    assert str(matching[0]).startswith(f"{BAD / name}:{line}: {level}: " if line else f"{BAD / name}: {level}: ")
    assert exit_status(findings) == (1 if level == "warning" else 2)


def test_good_fixture_is_clean():
    assert validate_paths([FIXTURES / "termfiles" / "good"]) == []


@pytest.mark.parametrize("lang, text", [("zh", "NET-VISA"), ("ru", "IMS"), ("ar", "RN53"), ("zh", "国际监测系统台站"),
                                        ("ru", "станция IMS"), ("fr", "Système de surveillance international")])
def test_scripts_accept_codes_and_mixed_acronyms(lang, text):
    assert script_problem(lang, text) is None


@pytest.mark.parametrize("lang, text", [("ar", "station"), ("zh", "Станция"), ("en", "станция"), ("ru", "nuclear test")])
def test_scripts_reject_words_in_the_wrong_script(lang, text):
    assert script_problem(lang, text) is not None


def test_curated_termbase_is_clean(terms_dir):
    findings = validate_paths([terms_dir])
    assert [str(f) for f in findings if f.level == "error"] == []


def test_curated_termbase_has_150_concepts_with_six_preferred_terms(termbase):
    from glossary.model import LANGUAGES

    assert len(termbase) >= 150
    missing = [(c.id, lang) for c in termbase.values() for lang in LANGUAGES if c.head_term(lang) is None]
    assert missing == []
    assert {c.domain for c in termbase.values()} == {"IMS", "IDC", "OSI", "general", "treaty"}
