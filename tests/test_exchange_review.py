"""The review round trip: export XLSX/CSV, a reviewer edits cells, import-review applies exactly those edits."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from glossary.cli import cli
from glossary.termfile import load_termbase
from glossary.model import DOMAINS

from conftest import TERMS_DIR


@pytest.fixture
def terms(tmp_path) -> Path:
    """A copy of the real termbase to edit."""
    directory = tmp_path / "terms"
    shutil.copytree(TERMS_DIR, directory, ignore=shutil.ignore_patterns("README.md"))
    return directory


def _run(terms: Path, *args: str):
    return CliRunner().invoke(cli, ["--terms", str(terms), *args])


def _cell(ws, row: int, column: str):
    header = [c.value for c in ws[1]]
    return ws.cell(row=row, column=header.index(column) + 1)


def _row_of(ws, concept_id: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if _cell(ws, r, "concept").value == concept_id)


def _snapshot(terms: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(terms.glob("*.yaml"))}


def test_workbook_layout(terms, tmp_path):
    out = tmp_path / "review.xlsx"
    assert _run(terms, "export", "xlsx", "--out", str(out)).exit_code == 0
    wb = load_workbook(out)
    assert wb.sheetnames == [*DOMAINS, "legend"]
    ws = wb["IMS"]
    header = [c.value for c in ws[1]]
    for lang in ("ar", "zh", "en", "fr", "ru", "es"):
        assert header[header.index(lang) + 1: header.index(lang) + 3] == [f"{lang} status", f"{lang} source"]
    assert ws.freeze_panes == "B2"
    assert _cell(ws, 2, "ar").alignment.readingOrder == 2
    statuses = [dv for dv in ws.data_validations.dataValidation if "preferred" in (dv.formula1 or "")]
    assert len(statuses) == 1 and len(statuses[0].sqref.ranges) == 6
    letter = _cell(ws, 1, "fingerprint").column_letter
    assert ws.column_dimensions[letter].hidden
    assert "CTBT/WGB-62/INF.4" in " ".join(str(_cell(ws, r, "references").value) for r in range(2, ws.max_row + 1))
    again = tmp_path / "again.xlsx"
    _run(terms, "export", "xlsx", "--out", str(again))
    assert again.read_bytes() == out.read_bytes()


def test_editing_three_cells_changes_exactly_those_three_terms(terms, tmp_path):
    out = tmp_path / "review.xlsx"
    _run(terms, "export", "xlsx", "--out", str(out))
    before_files, before = _snapshot(terms), load_termbase([terms])
    wb = load_workbook(out)
    ims, idc = wb["IMS"], wb["IDC"]
    row = _row_of(ims, "ims.international-monitoring-system")
    _cell(ims, row, "fr").value = "Système international de surveillance"
    _cell(ims, row, "comment").value = "PTS review 2024"
    row2 = _row_of(idc, "idc.international-data-centre")
    _cell(idc, row2, "es").value = "Centro Internacional de Datos (CID)"
    _cell(idc, row2, "es status").value = "proposed"
    proposed = next(c.id for c in before.values() if c.domain == "IDC" and c.head_term("ru")
                    and c.head_term("ru").status == "proposed")
    _cell(idc, _row_of(idc, proposed), "ru status").value = "preferred"
    wb.save(out)

    result = _run(terms, "import-review", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["summary"]["changed"] == 3 and report["summary"]["conflict"] == 0
    after = load_termbase([terms])
    changed = {(c.id, lang) for c in before.values() for lang in c.terms
               if c.terms[lang] != after[c.id].terms.get(lang)}
    assert changed == {("ims.international-monitoring-system", "fr"), ("idc.international-data-centre", "es"),
                       (proposed, "ru")}
    fr = after["ims.international-monitoring-system"].terms["fr"]
    assert fr[0].text == "Système international de surveillance" and fr[0].status == "preferred"
    assert fr[0].note == "PTS review 2024"
    assert any(t.text == "Système de surveillance international" and t.status == "deprecated" for t in fr)
    es = after["idc.international-data-centre"].head_term("es")
    assert (es.text, es.status) == ("Centro Internacional de Datos (CID)", "proposed")
    assert after[proposed].head_term("ru").status == "preferred"
    # edited line by line: every comment line of every file is still there
    for name, data in before_files.items():
        old_comments = [l for l in data.decode().splitlines() if l.lstrip().startswith("#")]
        new_comments = [l for l in (terms / name).read_text().splitlines() if l.lstrip().startswith("#")]
        assert old_comments == new_comments


def test_unchanged_workbook_changes_nothing(terms, tmp_path):
    out = tmp_path / "review.xlsx"
    _run(terms, "export", "xlsx", "--out", str(out))
    before = _snapshot(terms)
    result = _run(terms, "import-review", str(out))
    assert result.exit_code == 0 and "0 changed" in result.output
    assert _snapshot(terms) == before


def _csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return rows[0], rows[1:]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


def test_csv_has_bom_one_row_per_concept_and_status_and_source_columns(terms, tmp_path):
    out = tmp_path / "review.csv"
    assert _run(terms, "export", "csv", "--out", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfconcept,")
    header, rows = _csv_rows(out)
    assert len(rows) == len(load_termbase([terms]))
    assert {"en", "en status", "en source", "ar", "ar status", "comment"} <= set(header)


def _make_french_head_proposed(path, text: str) -> None:
    """A terminologist's change in terms/: the French head term ``text`` back to proposed."""
    before = path.read_text(encoding="utf-8")
    after = before.replace(f"{{text: {text}, type: fullForm, status: preferred", f"{{text: {text}, type: fullForm, status: proposed", 1)
    assert after != before
    path.write_text(after, encoding="utf-8")


def test_conflicts_are_reported_and_not_applied(terms, tmp_path):
    out = tmp_path / "review.csv"
    _run(terms, "export", "csv", "--out", str(out))
    header, rows = _csv_rows(out)
    col = header.index
    by_id = {r[col("concept")]: r for r in rows}
    # 1. wrong script: Latin text in the Russian column
    by_id["ims.international-monitoring-system"][col("ru")] = "International Monitoring System"
    by_id["general.protocol"][col("ru")] = "Protocol"  # a Latin word, not a code, in the Russian column
    # 2. another concept's head term
    by_id["ims.international-monitoring-system"][col("en")] = "International Data Centre"
    # 3. unknown concept
    unknown = list(by_id["ims.international-monitoring-system"])
    unknown[col("concept")] = "ims.no-such-concept"
    # 4. changed in the file and in terms/ since export
    target = "idc.international-data-centre"
    by_id[target][col("fr")] = "Centre international des données"
    path = terms / "idc.yaml"
    _make_french_head_proposed(path, "Centre international de données")
    _write_csv(out, header, [*by_id.values(), unknown])
    before = _snapshot(terms)
    result = _run(terms, "import-review", str(out), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    conflicts = {(c["concept"], c["lang"]): c["reason"] for c in report["cells"] if c["outcome"] == "conflict"}
    assert "wrong script" in conflicts[("ims.international-monitoring-system", "ru")]
    assert "no Cyrillic letters" in conflicts[("general.protocol", "ru")]
    assert "unknown concept" in conflicts[("ims.no-such-concept", "")]
    assert "head term of idc.international-data-centre" in conflicts[("ims.international-monitoring-system", "en")]
    assert "changed both in the file and in terms/" in conflicts[(target, "fr")]
    assert report["summary"]["changed"] == 0
    assert _snapshot(terms) == before


def test_dry_run_prints_a_diff_and_writes_nothing(terms, tmp_path):
    out = tmp_path / "review.csv"
    _run(terms, "export", "csv", "--out", str(out))
    header, rows = _csv_rows(out)
    rows[0][header.index("en")] = rows[0][header.index("en")] + " (revised)"
    _write_csv(out, header, rows)
    before = _snapshot(terms)
    result = _run(terms, "import-review", str(out), "--dry-run")
    assert result.exit_code == 0
    assert "+      - {text: " in result.output and "(revised)" in result.output
    assert _snapshot(terms) == before


@pytest.mark.parametrize("content, words", [
    (b"not,a,review\r\n1,2,3\r\n", "no 'concept' column"),
    (b"\xff\xfe\x00garbage", "not UTF-8"),
])
def test_bad_review_csv_is_one_line_exit_2(terms, tmp_path, content, words):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = _run(terms, "import-review", str(path))
    assert result.exit_code == 2 and words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_bad_workbook_is_one_line_exit_2(terms, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = _run(terms, "import-review", str(path))
    assert result.exit_code == 2 and str(path) in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_csv_saved_by_excel_with_semicolons_is_read(terms, tmp_path):
    out = tmp_path / "review.csv"
    _run(terms, "export", "csv", "--out", str(out))
    header, rows = _csv_rows(out)
    rows[0][header.index("es")] = rows[0][header.index("es")] + " revisado"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    out.write_bytes(buffer.getvalue().encode("utf-8-sig"))
    report = json.loads(_run(terms, "import-review", str(out), "--dry-run", "--format", "json").output)
    assert report["summary"]["changed"] == 1 and report["summary"]["conflict"] == 0


def test_a_cell_changed_only_in_terms_is_not_a_conflict_for_the_rest_of_the_row(terms, tmp_path):
    out = tmp_path / "review.csv"
    _run(terms, "export", "csv", "--out", str(out))
    header, rows = _csv_rows(out)
    row = next(r for r in rows if r[header.index("concept")] == "idc.international-data-centre")
    row[header.index("es")] = "Centro Internacional de Datos del TPCE"  # the reviewer's edit
    _write_csv(out, header, rows)
    path = terms / "idc.yaml"  # meanwhile a terminologist changes the French status in terms/
    _make_french_head_proposed(path, "Centre international de données")
    report = json.loads(_run(terms, "import-review", str(out), "--format", "json").output)
    cells = {(c["concept"], c["lang"]): c for c in report["cells"]}
    assert cells[("idc.international-data-centre", "es")]["outcome"] == "changed"
    assert cells[("idc.international-data-centre", "fr")]["outcome"] == "skipped"  # the file's value is old
    after = load_termbase([terms])["idc.international-data-centre"]
    assert after.head_term("es").text == "Centro Internacional de Datos del TPCE"
    assert after.head_term("fr").status == "proposed"  # the terminologist's change stays


def test_a_sheet_the_reviewer_added_is_ignored_and_a_foreign_workbook_refused(terms, tmp_path):
    from openpyxl import Workbook

    out = tmp_path / "review.xlsx"
    _run(terms, "export", "xlsx", "--out", str(out))
    wb = load_workbook(out)
    wb.create_sheet("my notes").append(["remember to ask the PTS"])
    wb.save(out)
    assert _run(terms, "import-review", str(out), "--dry-run").exit_code == 0
    other = tmp_path / "other.xlsx"
    foreign = Workbook()
    foreign.active.append(["term", "translation"])
    foreign.save(other)
    result = _run(terms, "import-review", str(other))
    assert result.exit_code == 2 and "no sheet has a 'concept' column" in result.stderr
