"""``glossary export po``: writes the catalogs, checks them, and reports."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from glossary.catalogs import po_path
from glossary.cli import cli
from glossary.model import LANGUAGES

FIXTURE_TERMS = Path(__file__).parent / "fixtures" / "po"
ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _copy_terms(tmp_path: Path) -> Path:
    terms = tmp_path / "terms"
    shutil.copytree(FIXTURE_TERMS, terms)
    return terms


def test_export_po_writes_pot_and_six_catalogs_beside_the_termbase(tmp_path):
    terms = _copy_terms(tmp_path)
    result = _run("--terms", str(terms), "export", "po")
    assert result.exit_code == 0, result.output
    locales = tmp_path / "locales"
    assert (locales / "glossary.pot").is_file()
    assert all((locales / po_path(lang)).is_file() for lang in LANGUAGES)
    assert not list(locales.rglob("*.mo"))
    assert "7 catalog files for 3 concepts (7 written" in result.output


def test_export_po_with_mo_compiles_each_catalog(tmp_path):
    result = _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path), "--mo")
    assert result.exit_code == 0, result.output
    assert sorted(p.parent.parent.name for p in tmp_path.rglob("*.mo")) == sorted(
        po_path(lang).split("/")[0] for lang in LANGUAGES)


def test_second_export_writes_nothing_and_bytes_are_identical(tmp_path):
    _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path))
    first = {p: p.read_bytes() for p in tmp_path.rglob("*.po*")}
    result = _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path))
    assert "(0 written, 7 already up to date)" in result.output
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.po*")} == first


def test_check_exits_1_when_catalogs_are_out_of_date_and_0_after_export(tmp_path):
    result = _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path), "--check")
    assert result.exit_code == 1
    assert f"{tmp_path / 'glossary.pot'}: missing" in result.output
    _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path))
    result = _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path), "--check")
    assert result.exit_code == 0 and "up to date" in result.output
    assert not any(tmp_path.rglob(".*.tmp"))


def test_check_json_lists_the_problems(tmp_path):
    _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path))
    (tmp_path / po_path("ru")).write_text("# stale\n", encoding="utf-8")
    result = _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path), "--check",
                  "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["problems"] == [f"{po_path('ru')}: out of date"]


def test_check_tells_to_remove_a_catalog_the_export_does_not_produce(tmp_path):
    _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path))
    foreign = tmp_path / "zh_CN" / "LC_MESSAGES" / "glossary.po"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("# an old locale id\n", encoding="utf-8")
    _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path))
    result = _run("--terms", str(FIXTURE_TERMS), "export", "po", "--out", str(tmp_path), "--check")
    assert result.exit_code == 1 and foreign.exists()  # exporting again neither fixes nor deletes it
    assert "remove the files it does not produce" in result.stderr


def test_committed_locales_match_a_fresh_export_of_the_termbase():
    """CI fails here when terms/ changed and `glossary export po` was not run."""
    result = _run("--terms", str(ROOT / "terms"), "export", "po", "--out", str(ROOT / "locales"), "--check")
    assert result.exit_code == 0, result.output + "run `glossary export po` and commit locales/"


def test_bad_termbase_is_one_error_line_and_exit_2(tmp_path):
    terms = _copy_terms(tmp_path)
    (terms / "sample.yaml").write_text("- id: [\n", encoding="utf-8")
    result = _run("--terms", str(terms), "export", "po")
    assert result.exit_code == 2
    assert result.output.startswith(f"{terms / 'sample.yaml'}:")
    assert not (tmp_path / "locales").exists()


def test_help_shows_an_example():
    result = _run("export", "po", "--help")
    assert result.exit_code == 0 and "glossary export po --check" in result.output
