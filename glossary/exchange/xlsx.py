"""The review workbook (XLSX) that language services edit in Excel, and reading it back.

openpyxl rather than XlsxWriter: the round trip needs to *read* the reviewer's workbook as well as
write it, and XlsxWriter only writes; one library for both directions keeps the column model in one
place. With defusedxml installed (a dependency) openpyxl parses the workbook's XML without entity
expansion, so a hostile .xlsx cannot bomb the reader.

Layout: one sheet per domain (IMS, IDC, OSI, general; a review of an imported TBX adds ``new`` for its
unmatched concepts), the columns of :mod:`.table`, a frozen header row and concept column, Arabic
cells right to left, a list validation on every status cell, the fingerprint column hidden, and a
``legend`` sheet that says how the round trip works. Workbook dates are fixed and zip entries carry
a constant time, so the same termbase gives the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import datetime

from glossary.errors import InputError
from glossary.exchange.table import ReviewRow, columns, language_column
from glossary.fileio import read_input_bytes
from glossary.model import DOMAINS, LANGUAGES, STATUSES

LEGEND_SHEET = "legend"
NEW_SHEET = "new"
_FIXED_TIME = datetime(2000, 1, 1)
_WIDTHS = {"concept": 34, "domain": 9, "fingerprint": 14, "definition": 50, "references": 30, "comment": 40,
           "match": 24}

LEGEND = (
    ("What this is", "The CTBT verification glossary for review: one row per concept, one sheet per domain."),
    ("<lang>", "The language's head term (preferred, or proposed where not yet confirmed). Edit it to "
               "propose a correction; leave it as it is to agree."),
    ("<lang> status", "preferred, admitted, deprecated or proposed. Set 'preferred' to confirm a proposed "
                      "term. A head term can only be preferred or proposed."),
    ("<lang> source", "Where the term was read (for reference; a new term takes the source you write here)."),
    ("<lang> theirs", "Only in reviews of another glossary: its term, for comparison. Never applied; copy it "
                      "into the <lang> cell to adopt it."),
    ("comment", "Your note; it is recorded with every term you changed in the row."),
    ("fingerprint", "Hidden. Do not edit: it tells your edits from changes made in the termbase since export."),
    ("Coming back", "`glossary import-review FILE.xlsx --dry-run` shows what would change; without "
                    "--dry-run it applies. A changed cell becomes the term, the old one is kept as "
                    "deprecated (or admitted); conflicts are reported, never applied."),
    ("Statuses", ", ".join(STATUSES)),
)


def _sheet_rows(rows: list[ReviewRow], unmatched_sheet: bool) -> dict[str, list[ReviewRow]]:
    sheets: dict[str, list[ReviewRow]] = {domain: [] for domain in DOMAINS}
    for row in rows:
        name = row.domain if row.domain in sheets else NEW_SHEET if unmatched_sheet else "other"
        sheets.setdefault(name, []).append(row)
    return {name: rs for name, rs in sheets.items() if rs or name in DOMAINS}


def _fill_sheet(ws, rows: list[ReviewRow], header: list[str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws.append(header)
    for row in rows:
        ws.append(row.values(header))
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    ws.freeze_panes = "B2"
    rtl = Alignment(horizontal="right", readingOrder=2, wrap_text=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    last = max(ws.max_row, 2)
    validation = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="status",
                                error="Choose one of: " + ", ".join(STATUSES))
    ws.add_data_validation(validation)
    for index, name in enumerate(header, 1):
        letter = get_column_letter(index)
        lang, _, what = name.partition(" ")
        ws.column_dimensions[letter].width = _WIDTHS.get(name, 28 if not what else 12 if what == "status" else 24)
        if name == "fingerprint":
            ws.column_dimensions[letter].hidden = True
        if what == "status" and lang in LANGUAGES:
            validation.add(f"{letter}2:{letter}{last}")
        if lang == "ar" and what in ("", "theirs"):
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = rtl
        elif name in ("definition", "references", "comment"):
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = wrap


def _stable_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 1980-01-01, so identical content gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            stable.compress_type, stable.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            dst.writestr(stable, src.read(info.filename))
    return out.getvalue()


def render_review_workbook(rows: list[ReviewRow], *, with_theirs: bool = False) -> bytes:
    """The workbook as bytes (see the module docstring for its layout)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    header = columns(with_theirs)
    wb = Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in _sheet_rows(rows, with_theirs).items():
        _fill_sheet(wb.create_sheet(name), sheet_rows, header)
    legend = wb.create_sheet(LEGEND_SHEET)
    for line in LEGEND:
        legend.append(list(line))
    legend.column_dimensions["A"].width, legend.column_dimensions["B"].width = 18, 110
    wb.properties.created = wb.properties.modified = _FIXED_TIME
    wb.properties.creator = "glossary"
    buffer = io.BytesIO()
    # ExcelWriter directly: Workbook.save would stamp the modification time into docProps/core.xml
    ExcelWriter(wb, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _stable_zip(buffer.getvalue())


def read_review_workbook(path: str | os.PathLike) -> list[ReviewRow]:
    """Every row of every domain sheet; ``where`` is ``file:sheet!row``."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    name = os.fspath(path)
    data = read_input_bytes(path, InputError)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError) as exc:
        raise InputError(f"not an XLSX workbook ({exc.__class__.__name__}: {exc})", name) from exc
    except Exception as exc:  # openpyxl raises many types for damaged parts; all mean the same to a user
        raise InputError(f"cannot read the workbook ({exc.__class__.__name__}: {exc})", name) from exc
    rows: list[ReviewRow] = []
    review_sheets = 0
    try:
        for ws in wb.worksheets:
            records = ws.iter_rows(values_only=True)
            first = next(records, None)
            header = ["" if c is None else str(c).strip() for c in first or ()]
            if ws.title == LEGEND_SHEET or "concept" not in header:
                continue  # the legend, or a sheet a reviewer added for their own notes
            review_sheets += 1
            for number, record in enumerate(records, 2):
                values = ["" if c is None else str(c) for c in record]
                if any(v.strip() for v in values):
                    rows.append(ReviewRow.from_values(header, values, f"{name}:{ws.title}!{number}"))
    finally:
        wb.close()
    if not review_sheets:
        raise InputError("no sheet has a 'concept' column in its first row: not a review workbook exported by "
                         "`glossary export xlsx`", name)
    return rows


__all__ = ["render_review_workbook", "read_review_workbook", "language_column"]
