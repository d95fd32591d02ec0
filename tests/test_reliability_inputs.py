"""Hostile and damaged inputs: alias bombs, oversized files, broken PO files, terms validate would reject.

Each case must end in one clear error naming the file (exit status 2 from the CLI) or a reported
conflict, and never in a changed term file.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner

import glossary.termfile as termfile
from glossary.catalogs import po_path, render_catalogs, write_catalogs
from glossary.cli import cli
from glossary.errors import InputError, TermFileError
from glossary.po_import import import_catalogs, merge_catalogs, read_returned_catalog
from glossary.termfile import load_termbase, parse_term_file
from glossary.termfile_edit import LineEdit, apply_line_edits

SAMPLE = Path(__file__).parent / "fixtures" / "po"


def _alias_bomb(levels: int = 9) -> bytes:
    """A list item whose anchors each repeat the previous one nine times: 9**levels nodes when expanded."""
    nested = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        nested.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return ("- " + "\n  ".join(nested) + "\n").encode()


def test_an_alias_bomb_is_refused_in_milliseconds(tmp_path):
    data = _alias_bomb()
    assert len(data) < 600
    start = time.perf_counter()
    parsed = parse_term_file(data, "bomb.yaml")
    assert time.perf_counter() - start < 0.5
    assert parsed.errors and "aliases" in parsed.errors[0].message and not parsed.concepts
    (tmp_path / "bomb.yaml").write_bytes(data)
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "bomb.yaml")])
    assert result.exit_code == 2 and "bomb.yaml:" in result.output and "aliases" in result.output


def test_any_alias_is_refused_even_a_harmless_one():
    data = b"- id: ims.a\n  domain: IMS\n  definition: &d text\n  notes: *d\n  terms: {en: [{text: a}]}\n"
    parsed = parse_term_file(data, "one.yaml")
    assert [f.message for f in parsed.errors][0].startswith("YAML anchors and aliases")


def test_editing_a_file_with_aliases_is_refused_quickly():
    data = _alias_bomb()
    with pytest.raises(TermFileError, match="aliases"):
        apply_line_edits(data, "bomb.yaml", {1: LineEdit()})


def test_a_term_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(termfile, "MAX_TERM_FILE_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# padding\n" * 200)
    with pytest.raises(TermFileError, match="over the (term file|input) limit"):
        load_termbase([path])


def test_a_fifo_among_the_term_files_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(TermFileError, match="not a regular file"):
        termfile.read_term_file(fifo)


# --- PO files -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory, terms_dir) -> tuple[Path, Path]:
    """The curated termbase and its catalogs, exported once for the module."""
    base = tmp_path_factory.mktemp("exported")
    shutil.copytree(terms_dir, base / "terms", ignore=shutil.ignore_patterns("*.md", ".*"))
    write_catalogs(base / "locales", render_catalogs(load_termbase([base / "terms"])))
    return base / "terms", base / "locales"


@pytest.fixture
def real(tmp_path, exported) -> tuple[Path, Path]:
    """A fresh copy of the curated termbase and its exported catalogs."""
    shutil.copytree(exported[0], tmp_path / "terms")
    shutil.copytree(exported[1], tmp_path / "locales")
    return tmp_path / "terms", tmp_path / "locales"


@pytest.fixture(scope="module")
def small_exported(tmp_path_factory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("small")
    shutil.copytree(SAMPLE, base / "terms")
    write_catalogs(base / "locales", render_catalogs(load_termbase([base / "terms"])))
    return base / "terms", base / "locales"


@pytest.fixture
def small(tmp_path, small_exported) -> tuple[Path, Path]:
    """A copy of the small PO sample termbase and its catalogs: merges on it take milliseconds."""
    shutil.copytree(small_exported[0], tmp_path / "terms")
    shutil.copytree(small_exported[1], tmp_path / "locales")
    return tmp_path / "terms", tmp_path / "locales"


IMS = "ims.international-monitoring-system"


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.yaml"))}


def _refused(terms: Path, po: Path, message: str, line: int | None = None) -> None:
    before = _snapshot(terms)
    result = CliRunner().invoke(cli, ["--terms", str(terms), "import-po", str(po)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{po}:") and message in lines[0], result.output
    if line is not None:
        assert lines[0].startswith(f"{po}:{line}: error: ")
    assert _snapshot(terms) == before


def test_a_po_file_cut_inside_a_msgstr_is_refused_whole(real, tmp_path):
    terms, locales = real
    data = (locales / po_path("es")).read_bytes()
    cut = data.index(b'msgstr "ayudante de inspecc') + len(b'msgstr "ayudante de inspecc')
    (tmp_path / "cut.po").write_bytes(data[:cut])
    _refused(terms, tmp_path / "cut.po", "unterminated string", data.count(b"\n", 0, cut) + 1)


def test_a_po_file_cut_before_a_msgstr_is_refused(real, tmp_path):
    terms, locales = real
    data = (locales / po_path("es")).read_bytes()
    cut = data.index(b'msgid "inspection assistant"') + len(b'msgid "inspection assistant"\n')
    (tmp_path / "cut.po").write_bytes(data[:cut])
    _refused(terms, tmp_path / "cut.po", "entry without msgstr")


def test_a_bad_escape_is_refused(real, tmp_path):
    terms, locales = real
    text = (locales / po_path("fr")).read_text(encoding="utf-8")
    (tmp_path / "esc.po").write_text(text.replace('msgstr "Traité', 'msgstr "\\qTraité', 1), encoding="utf-8")
    _refused(terms, tmp_path / "esc.po", "unknown escape \\q")


def test_a_latin1_header_on_utf8_text_is_refused_instead_of_garbling_french(real, tmp_path):
    terms, locales = real
    text = (locales / po_path("fr")).read_text(encoding="utf-8")
    (tmp_path / "l1.po").write_text(text.replace("charset=UTF-8", "charset=latin1"), encoding="utf-8")
    _refused(terms, tmp_path / "l1.po", "declares charset latin1, but the text is UTF-8")


def test_a_charset_that_does_not_decode_or_is_unknown_is_refused(real, tmp_path):
    terms, locales = real
    text = (locales / po_path("ru")).read_text(encoding="utf-8")
    (tmp_path / "ascii.po").write_text(text.replace("charset=UTF-8", "charset=ascii"), encoding="utf-8")
    _refused(terms, tmp_path / "ascii.po", "cannot decode the file as ascii")
    (tmp_path / "nope.po").write_text(text.replace("charset=UTF-8", "charset=no-such-set"), encoding="utf-8")
    _refused(terms, tmp_path / "nope.po", "unknown charset 'no-such-set'")


def test_a_genuine_latin1_catalog_is_read(real, tmp_path):
    terms, locales = real
    text = (locales / po_path("fr")).read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-1")
    keep = text.split("\n\n")[0]  # the header alone, then one Latin-1 entry
    entry = next(e for e in polib.pofile(str(locales / po_path("fr"))) if e.msgstr.isascii() is False
                 and all(ord(c) < 256 for c in e.msgstr))
    body = keep + "\n\n" + str(entry)
    (tmp_path / "latin1.po").write_bytes(body.encode("latin-1"))
    assert read_returned_catalog(tmp_path / "latin1.po").catalog[0].msgstr == entry.msgstr


def test_an_mo_file_an_empty_file_and_an_unreadable_file_get_their_own_message(real, tmp_path, monkeypatch):
    terms, locales = real
    mo = tmp_path / "glossary.mo"
    polib.pofile(str(locales / po_path("fr"))).save_as_mofile(str(mo))
    _refused(terms, mo, "compiled MO catalog, not a PO file")
    (tmp_path / "empty.po").write_bytes(b"")
    _refused(terms, tmp_path / "empty.po", "empty file: not a PO catalog")
    locked = tmp_path / "locked.po"
    shutil.copy(locales / po_path("fr"), locked)
    real_open = os.open

    def deny(path, *args, **kwargs):  # tests may run as root, for whom chmod 000 changes nothing
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    _refused(terms, locked, "cannot read: Permission denied")


@pytest.mark.parametrize("bad, why", [
    ("Traité\x1b", "invisible characters"),
    ("Traité\x7f", "invisible characters"),
    ("Договор", "Cyrillic letters"),
    ("→ ★ ←", "no letters or digits"),
])
def test_a_term_validate_would_reject_is_a_conflict_and_not_written(small, bad, why):
    terms, locales = small
    before = _snapshot(terms)
    po = polib.pofile(str(locales / po_path("fr")))
    entry = next(e for e in po if e.msgctxt == IMS)
    entry.msgstr = bad
    po.save()
    result = import_catalogs(terms, [locales / po_path("fr")])
    (outcome,) = [o for o in result.outcomes if o.context == IMS]
    assert outcome.outcome == "conflict" and why in outcome.reason and "validate" in outcome.reason
    assert not result.files and _snapshot(terms) == before


def test_disagreeing_edits_of_one_term_are_one_conflict_in_any_order(small, tmp_path):
    terms, locales = small
    first, second = tmp_path / "a.po", tmp_path / "b.po"
    for path, text in ((first, "Système A"), (second, "Système B")):
        po = polib.pofile(str(locales / po_path("fr")))
        next(e for e in po if e.msgctxt == IMS).msgstr = text
        po.save(str(path))
    outcomes = []
    for order in ([first, second], [second, first]):
        result = merge_catalogs([terms], order)
        outcomes.append(sorted((o.po_path, o.outcome) for o in result.outcomes if o.context == IMS))
        assert not result.files
    assert outcomes[0] == outcomes[1] == [(str(first), "conflict"), (str(second), "conflict")]


def test_duplicate_entries_that_disagree_within_one_file_apply_neither(small, tmp_path):
    terms, locales = small
    po = polib.pofile(str(locales / po_path("fr")))
    entry = next(e for e in po if e.msgctxt == IMS)
    copy = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr="Système B", comment=entry.comment)
    entry.msgstr = "Système A"
    po.append(copy)
    po.save(str(tmp_path / "dup.po"))
    result = merge_catalogs([terms], [tmp_path / "dup.po"])
    assert [o.outcome for o in result.outcomes if o.context == IMS] == ["conflict", "conflict"]
    assert not result.files


def test_identical_edits_in_two_files_apply_once(small, tmp_path):
    terms, locales = small
    for name in ("a.po", "b.po"):
        po = polib.pofile(str(locales / po_path("fr")))
        next(e for e in po if e.msgctxt == IMS).msgstr = "Système A"
        po.save(str(tmp_path / name))
    result = import_catalogs(terms, [tmp_path / "b.po", tmp_path / "a.po"])
    assert sorted(o.outcome for o in result.outcomes if o.context == IMS) == ["changed", "unchanged"]
    assert load_termbase([terms])[IMS].preferred("fr") == "Système A"


def test_confirming_a_proposed_term_drops_its_not_confirmed_note(real):
    terms, locales = real
    termbase = load_termbase([terms])
    concept = next(c for c in termbase.values() if (h := c.head_term("ar")) is not None
                   and h.status == "proposed" and h.note and "not confirmed" in h.note)
    po = polib.pofile(str(locales / po_path("ar")))
    entry = next(e for e in po if e.msgctxt == concept.id)
    entry.flags.remove("fuzzy")
    po.save()
    import_catalogs(terms, [locales / po_path("ar")])
    head = load_termbase([terms])[concept.id].head_term("ar")
    assert head.text == concept.head_term("ar").text and head.status == "preferred" and head.note is None


def test_promoting_an_admitted_variant_makes_it_the_full_form(real):
    terms, locales = real
    termbase = load_termbase([terms])
    concept, variant = next((c, t) for c in termbase.values() for t in c.terms.get("fr", ())
                            if t.type == "variant" and t.status == "admitted"
                            and (h := c.head_term("fr")) is not None and h.status == "preferred"
                            and h.type == "fullForm")
    po = polib.pofile(str(locales / po_path("fr")))
    next(e for e in po if e.msgctxt == concept.id).msgstr = variant.text
    po.save()
    import_catalogs(terms, [locales / po_path("fr")])
    after = {t.text: t for t in load_termbase([terms])[concept.id].terms["fr"]}
    assert (after[variant.text].type, after[variant.text].status) == ("fullForm", "preferred")
    old = concept.head_term("fr")
    assert (after[old.text].type, after[old.text].status) == ("fullForm", "deprecated")


def test_a_po_file_name_that_does_not_exist_and_a_fifo(real, tmp_path):
    terms, _ = real
    _refused(terms, tmp_path / "missing.po", "no such file")
    os.mkfifo(tmp_path / "pipe.po")
    _refused(terms, tmp_path / "pipe.po", "not a regular file")


def test_import_po_never_reads_a_po_over_the_limit(real, tmp_path, monkeypatch):
    import glossary.po_import as po_import

    terms, locales = real
    monkeypatch.setattr(po_import, "MAX_PO_BYTES", 1000)
    with pytest.raises(InputError, match="over the input limit"):
        read_returned_catalog(locales / po_path("fr"))


def test_a_subdirectory_that_cannot_be_listed_is_reported_not_skipped_silently(tmp_path, monkeypatch, report_path):
    from glossary.corpus import iter_documents

    (tmp_path / "docs" / "locked").mkdir(parents=True)
    shutil.copy(report_path, tmp_path / "docs" / "report.txt")
    real_scandir = os.scandir

    def deny(path="."):  # tests may run as root, for whom chmod 000 changes nothing
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", deny)
    skipped = []
    assert len(list(iter_documents([tmp_path / "docs"], skipped))) == 1
    assert [(Path(s.path).name, s.reason) for s in skipped] == [("locked", "cannot read directory: Permission denied")]
