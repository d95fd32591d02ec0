"""The private jieba segmenter: no global state, a chosen cache, user words kept whole, fast tagging."""

from __future__ import annotations

import jieba
import pytest

from glossary.segment import USER_TAG, Segmenter, cache_dir


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["临时技秘处"])


def test_global_jieba_tokenizer_is_left_alone(segmenter):
    assert segmenter.tokenizer is not jieba.dt
    assert "临时技秘处" not in jieba.dt.FREQ  # the user word went to our tokenizer only


def test_user_words_are_kept_whole_and_tagged(segmenter):
    assert ("临时技秘处", USER_TAG) in segmenter.tag("临时技秘处报告了进展")
    assert "临时技秘处" not in Segmenter().cut("临时技秘处报告了进展")


def test_tags_come_from_the_dictionary_table(segmenter):
    tags = dict(segmenter.tag("国际监测系统的台站2024年IMS"))
    assert tags["的"] == "uj" and tags["2024"] == "m" and tags["IMS"] == "eng"


def test_cache_goes_where_we_say(tmp_path, monkeypatch):
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(tmp_path))
    assert cache_dir() == tmp_path
    Segmenter()
    assert (tmp_path / "jieba.cache").is_file()


def test_general_frequency_reads_the_dictionary(segmenter):
    assert segmenter.general_frequency("国际") > segmenter.general_frequency("台站") >= 0
    assert segmenter.general_frequency("临时技秘处x") == 0
