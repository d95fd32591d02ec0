"""``glossary export tbx|csv``, ``import tbx`` and ``compare`` from the command line."""

from __future__ import annotations

import json

from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.cli import cli
from conftest import TERMS_DIR


def _run(*args: str):
    return CliRunner().invoke(cli, ["--terms", str(TERMS_DIR), *args])


def test_export_tbx_to_stdout_and_to_a_file_give_the_same_bytes(tmp_path):
    out = tmp_path / "glossary.tbx"
    assert _run("export", "tbx", "--out", str(out)).exit_code == 0
    printed = _run("export", "tbx")
    assert printed.exit_code == 0 and printed.stdout_bytes == out.read_bytes()
    assert out.read_bytes().startswith(b"<?xml") and b'style="dca"' in out.read_bytes()


def test_export_tbx_version_2_is_martif(tmp_path):
    result = _run("export", "tbx", "--version", "2")
    assert result.exit_code == 0 and b"<martif " in result.stdout_bytes and b"<termEntry" in result.stdout_bytes


def test_compare_prints_agreement_per_language_on_the_un_thesaurus(peer_data):
    scrape = peer_data / "csv" / "unthesaurus_scraping__out.csv"
    result = _run("compare", str(scrape), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["concepts"] == 7121 and report["matched"] >= 10
    assert set(report["per_language"]) == {"ar", "zh", "en", "fr", "ru", "es"}
    assert all(0 <= v["agreement"] <= 1 for v in report["per_language"].values())
    # The thesaurus is general UN vocabulary: where it differs from the Treaty's wording we are told, not changed
    differences = {(d["concept"], d["lang"]) for d in report["differences"]}
    assert differences and all(d["verdict"] in ("differ", "ours-among-theirs", "we-lack") for d in report["differences"])
    table = _run("compare", str(scrape))
    assert table.exit_code == 0 and "agreement" in table.output and "match none of ours" in table.output


def test_compare_our_own_tbx_agrees_everywhere(tmp_path):
    out = tmp_path / "ours.tbx"
    _run("export", "tbx", "--out", str(out))
    report = json.loads(_run("compare", str(out), "--format", "json").output)
    assert report["matched"] == report["concepts"]
    assert all(v["agreement"] == 1 for v in report["per_language"].values())
    assert report["differences"] == [] and report["unmatched"] == []


def test_compare_csv_without_language_columns_is_one_line_exit_2(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("alpha,beta\ngamma,delta\n", encoding="utf-8")
    result = _run("compare", str(path))
    assert result.exit_code == 2 and "which column is which language" in result.stderr


def test_import_tbx_writes_a_workbook_with_their_terms_beside_ours(peer_data, tmp_path):
    peer = peer_data / "tbx" / "tbx-conversion__383_5.tbx"
    review = tmp_path / "review.xlsx"
    result = _run("import", "tbx", str(peer), "--review", str(review), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["concepts"] == 58 and report["new"] == report["concepts"] - report["matched"]
    wb = load_workbook(review)
    assert "new" in wb.sheetnames
    header = [c.value for c in wb["new"][1]]
    assert "ru theirs" in header and "match" in header
    # the review changes nothing on its own
    applied = _run("import-review", str(review), "--dry-run", "--format", "json")
    assert json.loads(applied.output)["summary"]["changed"] == 0


def test_import_tbx_refuses_other_review_extensions(tmp_path):
    result = _run("import", "tbx", str(tmp_path / "x.tbx"), "--review", str(tmp_path / "r.txt"))
    assert result.exit_code == 2 and "must end in .xlsx or .csv" in result.stderr
