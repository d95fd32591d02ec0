"""Search keys: spellings of one term that people really type meet on one key."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossary.textnorm import (compact_key, display_width, dominant_script, fold_arabic, fold_cyrillic, fold_digits,
                               fold_punctuation, has_han, script_of, search_key, strip_accents,
                               strip_arabic_article)


@pytest.mark.parametrize("variant, canonical", [
    # Latin: case, accents, ligatures, apostrophes, hyphens, spacing
    ("SYSTÈME DE SURVEILLANCE INTERNATIONAL", "Système de surveillance international"),
    ("systeme de surveillance international", "Système de surveillance international"),
    ("inspeccion in situ", "inspección in situ"),
    ("on site inspection", "on-site inspection"),
    ("  on-site   inspection ", "on-site inspection"),
    ("equipe dinspection", "équipe d’inspection"),
    ("oeuvre", "Œuvre"),
    # full-width forms and ideographic spaces
    ("IMS", "ＩＭＳ"),
    ("国际监测系统", "国际　监测 系统"),
    ("ctbt 2024", "ＣＴＢＴ　２０２４"),
    # Arabic: tashkeel, tatweel, alef forms, hamza carriers, alef maqsura, ta marbuta, digits
    ("التفتيش الموقعي", "التَّفْتِيشُ المَوْقِعِيُّ"),
    ("المجلس التنفيذي", "المجلـــس التنفيذي"),
    ("الامانة الفنية المؤقتة", "الأمانة الفنية المؤقتة"),
    ("اجراء", "إجراء"),
    ("نظام الرصد الدولي", "نظام الرصد الدولى"),
    ("محطه", "محطة"),
    ("مسؤول", "مسئول"),
    ("2024", "٢٠٢٤"),
    # Russian: ё, case
    ("обобщенный детектор", "ОБОБЩЁННЫЙ ДЕТЕКТОР"),
    # Chinese: traditional characters meet the UN's simplified ones
    ("现场视察", "現場視察"),
    ("国际监测系统", "國際監測系統"),
    ("临时技术秘书处", "臨時技術秘書處"),
])
def test_variants_share_a_search_key(variant, canonical):
    assert search_key(variant) == search_key(canonical)


@pytest.mark.parametrize("a, b", [
    ("инспекций", "инспекции"),  # й is a letter of its own, not и with a mark
    ("Division", "Divisions"),
])
def test_different_words_keep_different_keys(a, b):
    assert search_key(a) != search_key(b)


def test_search_key_examples():
    assert search_key("Système  de surveillance-International") == "systeme de surveillance international"
    assert search_key("Ｃ．Ｉ．Ｄ．") == "c i d"
    assert search_key("《全面禁核试条约》：科学和技术会议") == "全面禁核试条约科学和技术会议"
    assert search_key("État partie") == "etat partie"


def test_compact_key_joins_dotted_and_spaced_abbreviations():
    assert compact_key("C.I.D.") == compact_key("c i d") == compact_key("CID") == "cid"
    assert compact_key("М.С.М.") == "мсм"


def test_folds_one_script_at_a_time():
    assert fold_arabic("مُحَطَّة") == "محطه"
    assert fold_cyrillic("Ёлка ёж") == "Елка еж"
    assert fold_digits("٣ و ۴ و ３") == "3 و 4 و 3"
    assert strip_accents("Ñandú й ё") == "Nandu й е"
    assert fold_punctuation("d’inspection — (SSI)") == "dinspection SSI"


def test_arabic_article_is_stripped_only_where_a_word_remains():
    assert strip_arabic_article("نظام الرصد الدولي") == "نظام رصد دولي"
    assert strip_arabic_article("والرصد للمحطه بالبيانات") == "رصد محطه بيانات"
    assert strip_arabic_article("ال اله") == "ال اله"
    assert strip_arabic_article("international") == "international"


@pytest.mark.parametrize("text, script", [
    ("نظام الرصد الدولي", "arabic"), ("国际监测系统", "han"), ("МСМ", "cyrillic"),
    ("Système", "latin"), ("IMS 国际监测系统", "han"), ("2024 !", None),
])
def test_dominant_script(text, script):
    assert dominant_script(text) == script


@pytest.mark.parametrize("char, script", [
    ("a", "Latin"), ("ª", "Latin"), ("Ｓ", "Latin"), ("ب", "Arabic"), ("\u08a1", "Arabic"), ("\ufeb3", "Arabic"),
    ("ж", "Cyrillic"), ("\u0501", "Cyrillic"), ("国", "Han"), ("\U00030000", "Han"), ("λ", "Greek"),
    ("ש", "other"), ("7", None), ("-", None), ("\u064e", None),
])
def test_script_of_letters(char, script):
    assert script_of(char) == script


def test_dominant_script_counts_every_block_script_of_knows():
    assert dominant_script("\u08a1\ufeb3\ufef4 IM") == "arabic"  # Arabic Extended-A and presentation forms
    assert dominant_script("\U00030000\U00030001 a") == "han"
    assert dominant_script("λόγος") is None


@pytest.mark.parametrize("text, width", [
    ("", 0), ("IMS", 3), ("国际监测系统", 12), ("IMS 国际监测系统", 16), ("Ｓ（", 4), ("e\u0301", 1), ("مُحَطَّة", 4),
])
def test_display_width_counts_terminal_columns(text, width):
    assert display_width(text) == width


@given(st.text())
def test_display_width_is_wide_two_combining_none_others_one(text):
    assert display_width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c)
                                      else 1 for c in text)


@given(st.text())
def test_search_key_is_idempotent_and_trimmed(text):
    key = search_key(text)
    assert search_key(key) == key
    assert key == key.strip() and "  " not in key
    assert " " not in compact_key(text)


@given(st.text(alphabet=st.characters(whitelist_categories=("Mn", "Lm", "Sk"))))
def test_marks_alone_leave_nothing_to_compare(text):
    assert search_key(text).strip(" ") == search_key(text)


def test_has_han_finds_ideographs_only():
    assert has_han("B工作组") and has_han("RN53 台站") and has_han("\U00020000")
    assert not has_han("IMS") and not has_han("（）、。") and not has_han("")
