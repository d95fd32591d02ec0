"""Reading documents: encodings, bad input, PDF clean-up and paragraph numbering on the bundled report."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.corpus import SkippedFile, decode_bytes, iter_documents, parse_document, read_document
from glossary.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures" / "mining"


@pytest.fixture(scope="module")
def report(report_path):
    return read_document(report_path)


@pytest.mark.parametrize("name", ["gbk.txt", "utf16.txt", "utf8bom.txt"])
def test_encodings_decode_to_the_same_clean_text(name):
    document = read_document(FIXTURES / name)
    assert [p.number for p in document.paragraphs if not p.is_heading] == ["1", "2"]
    assert "国际监测系统的现状" in document.paragraphs[1].text
    assert "IMS和NET-VISA" in document.paragraphs[2].text  # full-width Latin folded to ASCII


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"  \n\n", "empty file"),
    (b"\x00\x01\x02PK\x03\x04", "binary file"),
    (b"caf\xe9\n", "cannot decode"),
])
def test_bad_input_is_a_one_line_error_naming_the_file(data, message):
    with pytest.raises(InputError) as error:
        decode_bytes(data, "in.txt")
    assert error.value.diagnostic().startswith("in.txt: error: ")
    assert message in error.value.message and "\n" not in error.value.diagnostic()


def test_directory_skips_bad_files_and_reads_the_rest(tmp_path):
    (tmp_path / "good.txt").write_text("1. 国际监测系统。\n", encoding="utf-8")
    (tmp_path / "bad.bin").write_bytes(b"\x00\x00\x00")
    skipped: list[SkippedFile] = []
    documents = list(iter_documents([tmp_path], skipped))
    assert [Path(d.path).name for d in documents] == ["good.txt"]
    assert [Path(s.path).name for s in skipped] == ["bad.bin"]


def test_a_named_bad_file_raises(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(InputError):
        list(iter_documents([bad], []))


def test_report_symbol_is_read_from_the_page_header_and_furniture_dropped(report):
    assert report.symbol == "CTBT/WGB-62/INF.4"
    text = report.text()
    assert "Page 11" not in text
    assert "CTBT/WGB-62/INF.4\n" not in text


def test_words_broken_across_lines_are_rejoined(report):
    text = report.text()
    # the report breaks 国际监|测系统 and 临 时 技 秘 处 (justified) across and inside lines
    assert "国际监\n" not in text and "临 时" not in text
    assert text.count("国际监测系统") >= 40


def test_every_numbered_paragraph_is_found_once_in_order(report):
    numbers = [int(p.number) for p in report.paragraphs if p.number and not p.is_heading]
    assert sorted(set(numbers)) == list(range(1, 101))
    para13 = next(p for p in report.paragraphs if p.number == "13")
    assert para13.reference() == "CTBT/WGB-62/INF.4 para. 13"
    assert "加强使用多种语文" in para13.text and para13.heading == "加强使用多种语文"


def test_numbered_agenda_inside_a_paragraph_does_not_restart_the_count(report):
    para7 = [p for p in report.paragraphs if p.number == "7"]
    assert len(para7) == 1 and "9.其他任何事项" in para7[0].text.replace(" ", "")


def test_annex_text_is_referenced_by_annex():
    document = parse_document("1. 正文。\n\n附件一\n\n台站\n\n编号\n", fallback_symbol="DOC")
    assert [p.reference() for p in document.paragraphs] == ["DOC para. 1", "DOC 附件一", "DOC 附件一"]
