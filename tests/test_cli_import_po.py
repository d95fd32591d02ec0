"""``glossary import-po``: dry run diff, reports, exit statuses and errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

from glossary.catalogs import po_path
from glossary.cli import cli

FIXTURE_TERMS = Path(__file__).parent / "fixtures" / "po"


@pytest.fixture
def project(tmp_path) -> tuple[Path, Path]:
    terms = tmp_path / "terms"
    shutil.copytree(FIXTURE_TERMS, terms)
    assert CliRunner().invoke(cli, ["--terms", str(terms), "export", "po"]).exit_code == 0
    return terms, tmp_path / "locales"


def _run(terms: Path, *args: str):
    return CliRunner().invoke(cli, ["--terms", str(terms), "import-po", *args])


def _set(po_file: Path, context: str, text: str) -> None:
    po = polib.pofile(str(po_file))
    entry = next(e for e in po if e.msgctxt == context)
    entry.msgstr = text
    if "fuzzy" in entry.flags:
        entry.flags.remove("fuzzy")
    po.save()


def test_dry_run_prints_the_diff_and_writes_nothing(project):
    terms, locales = project
    fr = locales / po_path("fr")
    _set(fr, "ims.station", "station de surveillance")
    before = (terms / "sample.yaml").read_bytes()
    result = _run(terms, "--dry-run", str(fr))
    assert result.exit_code == 0, result.output
    assert "+      - {text: station de surveillance, type: fullForm, status: preferred}" in result.output
    assert "+      - {text: station, type: fullForm, status: deprecated}" in result.output
    assert "1 changed" in result.output and "term files would change" in result.output
    assert (terms / "sample.yaml").read_bytes() == before


def test_import_applies_and_keep_old_admitted_keeps_the_old_term_admitted(project):
    terms, locales = project
    fr = locales / po_path("fr")
    _set(fr, "ims.station", "station de surveillance")
    result = _run(terms, "--keep-old", "admitted", str(fr))
    assert result.exit_code == 0, result.output
    text = (terms / "sample.yaml").read_text(encoding="utf-8")
    assert ("      - {text: station de surveillance, type: fullForm, status: preferred}\n"
            "      - {text: station, type: fullForm, status: admitted}\n") in text
    assert "# checked against the French Treaty text" in text


def test_json_report_lists_changes_conflicts_and_counts(project):
    terms, locales = project
    ru = locales / po_path("ru")
    _set(ru, "ims.station", "пост")
    po = polib.pofile(str(ru))
    po.append(polib.POEntry(msgctxt="osi.unknown", msgid="x", msgstr="y"))
    po.save()
    result = _run(terms, "--format", "json", "--dry-run", str(ru))
    assert result.exit_code == 1  # a conflict
    report = json.loads(result.output)
    assert report["summary"]["changed"] == 1 and report["summary"]["conflict"] == 1
    assert report["catalogs"][0]["language"] == "ru"
    assert report["dry_run"] and "+      - {text: пост" in report["diff"]
    assert {e["context"]: e["outcome"] for e in report["entries"]} == {"ims.station": "changed",
                                                                       "osi.unknown": "conflict"}


def test_unchanged_catalog_reports_all_unchanged_and_exit_0(project):
    terms, locales = project
    before = (terms / "sample.yaml").read_bytes()
    result = _run(terms, str(locales / po_path("ar")), str(locales / po_path("zh")))
    assert result.exit_code == 0, result.output
    assert "term files changed: none" in result.output
    assert (terms / "sample.yaml").read_bytes() == before


def test_a_po_without_language_header_is_one_error_line_exit_2(project, tmp_path):
    terms, locales = project
    po = polib.pofile(str(locales / po_path("fr")))
    del po.metadata["Language"]
    target = tmp_path / "fr.po"
    po.save(str(target))
    result = _run(terms, str(target))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"{target}: error: no Language header, so the catalog's language is unknown; add one (e.g. \"Language: fr\")"]


def test_a_foreign_language_catalog_is_refused(project, tmp_path):
    terms, _ = project
    target = tmp_path / "de.po"
    target.write_text('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n',
                      encoding="utf-8")
    result = _run(terms, str(target))
    assert result.exit_code == 2
    assert "Language 'de' (German) is not one of the glossary's languages" in result.output


def test_help_shows_an_example():
    result = CliRunner().invoke(cli, ["import-po", "--help"])
    assert result.exit_code == 0 and "glossary import-po --dry-run" in result.output
