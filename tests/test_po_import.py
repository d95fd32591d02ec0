"""Merging translators' PO files back into term files: what changes, what never does."""

from __future__ import annotations

import shutil
import tempfile
import unicodedata
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossary.catalogs import po_path, render_catalogs, write_catalogs
from glossary.errors import GlossaryError, InputError, TermFileError
from glossary.model import LANGUAGES, Concept, Term
from glossary.po_import import merge_catalogs, read_returned_catalog, write_merge
from glossary.termfile import load_termbase, write_term_file
from glossary.termfile_edit import LineEdit, edit_term_file

FIXTURE_TERMS = Path(__file__).parent / "fixtures" / "po"


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.yaml"))}


def _export(terms: Path, out: Path) -> Path:
    write_catalogs(out, render_catalogs(load_termbase([terms])))
    return out


@pytest.fixture
def sample(tmp_path) -> tuple[Path, Path]:
    """A copy of the sample term file and its exported catalogs."""
    terms = tmp_path / "terms"
    shutil.copytree(FIXTURE_TERMS, terms)
    return terms, _export(terms, tmp_path / "locales")


@pytest.fixture
def real(tmp_path, terms_dir) -> tuple[Path, Path]:
    """A copy of the curated termbase and its exported catalogs."""
    terms = tmp_path / "terms"
    terms.mkdir()
    for path in terms_dir.glob("*.yaml"):
        shutil.copy(path, terms / path.name)
    return terms, _export(terms, tmp_path / "locales")


def _edit(po_file: Path, changes: dict[str, str], *, unfuzzy: bool = True) -> None:
    po = polib.pofile(str(po_file))
    for entry in po:
        if entry.msgctxt in changes:
            entry.msgstr = changes[entry.msgctxt]
            if unfuzzy and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    po.save()


def test_round_trip_changes_exactly_the_three_edited_concepts(real):
    terms, locales = real
    before = load_termbase([terms])
    chosen = [c.id for c in before.values() if c.head_term("fr") and c.head_term("fr").status == "preferred"][:3]
    assert len(chosen) == 3
    new_texts = {cid: f"terme révisé {i}" for i, cid in enumerate(chosen)}
    fr_po = locales / po_path("fr")
    _edit(fr_po, new_texts)
    result = merge_catalogs([terms], [fr_po])
    assert result.counts()["changed"] == 3 and not result.has_conflicts
    write_merge(result)
    after = load_termbase([terms])
    changed = [cid for cid in before if before[cid] != after[cid]]
    assert sorted(changed) == sorted(chosen)
    for cid, text in new_texts.items():
        old = before[cid].head_term("fr")
        fr_terms = after[cid].terms["fr"]
        assert after[cid].preferred("fr") == text
        assert [t for t in fr_terms if t.text == old.text][0].status == "deprecated"
        assert len(fr_terms) == len(before[cid].terms["fr"]) + 1


def test_importing_untouched_catalogs_leaves_term_files_byte_identical(real):
    terms, locales = real
    before = _snapshot(terms)
    result = merge_catalogs([terms], [locales / po_path(lang) for lang in LANGUAGES])
    assert result.files == {} and result.counts()["changed"] == 0 and not result.has_conflicts
    write_merge(result)
    assert _snapshot(terms) == before


def test_merge_keeps_comments_quoting_and_order(sample):
    terms, locales = sample
    original = (terms / "sample.yaml").read_text(encoding="utf-8")
    _edit(locales / po_path("fr"), {"ims.international-monitoring-system": "Système international de surveillance"})
    write_merge(merge_catalogs([terms], [locales / po_path("fr")], keep_old="admitted"))
    merged = (terms / "sample.yaml").read_text(encoding="utf-8")
    old_line = ('      - {text: Système de surveillance international, type: fullForm, status: preferred, '
                'source: "CTBT (fr)"}  # keep')
    assert merged == original.replace(old_line, "      - {text: Système international de surveillance, "
                                      "type: fullForm, status: preferred}\n" + old_line.replace("preferred", "admitted"))


def test_abbreviation_entry_edit_adds_the_new_abbreviation_first(sample):
    terms, locales = sample
    _edit(locales / po_path("fr"), {"ims.international-monitoring-system#abbreviation": "SIS"})
    write_merge(merge_catalogs([terms], [locales / po_path("fr")]))
    fr = load_termbase([terms])["ims.international-monitoring-system"].terms["fr"]
    assert [(t.text, t.type, t.status) for t in fr[1:]] == [("SIS", "abbreviation", "admitted"),
                                                            ("SSI", "abbreviation", "deprecated")]


def test_removing_fuzzy_from_an_unchanged_proposed_term_confirms_it(sample):
    terms, locales = sample
    _edit(locales / po_path("fr"), {"osi.station": "poste"})
    result = merge_catalogs([terms], [locales / po_path("fr")])
    assert [o.reason for o in result.outcomes if o.outcome == "changed"] == ["confirmed: proposed -> preferred"]
    write_merge(result)
    assert load_termbase([terms])["osi.station"].head_term("fr").status == "preferred"


def test_a_new_text_that_is_already_a_term_is_promoted_not_duplicated(sample):
    terms, locales = sample
    _edit(locales / po_path("fr"), {"osi.station": "station"})
    write_merge(merge_catalogs([terms], [locales / po_path("fr")]))
    fr = load_termbase([terms])["osi.station"].terms["fr"]
    assert [(t.text, t.status) for t in fr] == [("poste", "deprecated"), ("station", "preferred")]


def test_fuzzy_edits_and_empty_msgstr_are_skipped_and_change_nothing(sample):
    terms, locales = sample
    before = _snapshot(terms)
    _edit(locales / po_path("fr"), {"osi.station": "brouillon"}, unfuzzy=False)
    _edit(locales / po_path("fr"), {"ims.station": ""})
    result = merge_catalogs([terms], [locales / po_path("fr")])
    reasons = {o.context: (o.outcome, o.reason) for o in result.outcomes if o.outcome != "unchanged"}
    assert reasons["osi.station"][0] == "skipped" and "fuzzy" in reasons["osi.station"][1]
    assert reasons["ims.station"] == ("skipped", "empty msgstr never erases a term")
    write_merge(result)
    assert _snapshot(terms) == before


def _curate(path: Path, old: str, new: str) -> None:
    """A terminologist's edit of a term file since the export."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_term_changed_in_both_termbase_and_po_is_a_conflict(sample):
    terms, locales = sample
    _curate(terms / "sample.yaml", "{text: станция,", "{text: станция наблюдения,")
    _edit(locales / po_path("ru"), {"ims.station": "пост"})
    before = _snapshot(terms)
    result = merge_catalogs([terms], [locales / po_path("ru")])
    conflict = [o for o in result.outcomes if o.outcome == "conflict"]
    assert [(o.context, o.old, o.new) for o in conflict] == [("ims.station", "станция наблюдения", "пост")]
    assert result.files == {}
    write_merge(result)
    assert _snapshot(terms) == before


def test_termbase_change_alone_is_not_overwritten_by_an_old_catalog(sample):
    terms, locales = sample
    _curate(terms / "sample.yaml", "{text: станция,", "{text: станция наблюдения,")
    result = merge_catalogs([terms], [locales / po_path("ru")])
    assert result.files == {} and not result.has_conflicts


def test_changed_msgid_and_unknown_msgctxt_are_conflicts(sample):
    terms, locales = sample
    po = polib.pofile(str(locales / po_path("es")))
    po[0].msgid = "International Monitoring Network"
    po[0].msgstr = "Red"
    po.append(polib.POEntry(msgctxt="ims.no-such-concept", msgid="x", msgstr="y"))
    po.append(polib.POEntry(msgid="no context", msgstr="sin contexto"))
    po.save()
    result = merge_catalogs([terms], [locales / po_path("es")])
    conflicts = {o.context: o.reason for o in result.outcomes if o.outcome == "conflict"}
    assert conflicts["ims.international-monitoring-system"].startswith("msgid changed")
    assert conflicts["ims.no-such-concept"] == "unknown concept id 'ims.no-such-concept'"
    assert conflicts[None].startswith("no msgctxt")
    assert result.files == {}


def test_the_language_comes_from_the_header_not_the_file_name(sample, tmp_path):
    terms, locales = sample
    misnamed = tmp_path / "es.po"
    shutil.copy(locales / po_path("fr"), misnamed)
    assert read_returned_catalog(misnamed).lang == "fr"
    po = polib.pofile(str(misnamed))
    del po.metadata["Language"]
    po.save()
    with pytest.raises(InputError, match="no Language header"):
        read_returned_catalog(misnamed)


@pytest.mark.parametrize("value,lang", [("fr_FR", "fr"), ("zh_CN", "zh"), ("zh-Hans", "zh"), ("ar_EG", "ar")])
def test_regional_language_headers_map_to_the_glossary_language(sample, tmp_path, value, lang):
    _, locales = sample
    po = polib.pofile(str(locales / po_path(lang)))
    po.metadata["Language"] = value
    po.save(str(tmp_path / "x.po"))
    assert read_returned_catalog(tmp_path / "x.po").lang == lang


def test_traditional_chinese_catalog_is_refused(sample, tmp_path):
    _, locales = sample
    po = polib.pofile(str(locales / po_path("zh")))
    po.metadata["Language"] = "zh_TW"
    po.save(str(tmp_path / "x.po"))
    with pytest.raises(InputError, match="simplified Chinese"):
        read_returned_catalog(tmp_path / "x.po")


def test_two_files_editing_the_same_term_differently_conflict(sample, tmp_path):
    terms, locales = sample
    second = tmp_path / "second.po"
    shutil.copy(locales / po_path("fr"), second)
    _edit(locales / po_path("fr"), {"ims.station": "station de surveillance"})
    _edit(second, {"ims.station": "poste de surveillance"})
    for order in ([locales / po_path("fr"), second], [second, locales / po_path("fr")]):
        result = merge_catalogs([terms], order)
        assert sorted((o.outcome, o.po_path) for o in result.outcomes if o.context == "ims.station") == sorted([
            ("conflict", str(locales / po_path("fr"))), ("conflict", str(second))])
        assert not result.files  # neither edit is applied, whatever the order


def test_peer_po_files_give_a_report_or_one_clear_error_and_never_touch_terms(peer_data, tmp_path):
    terms = tmp_path / "terms"
    shutil.copytree(FIXTURE_TERMS, terms)
    before = _snapshot(terms)
    files = sorted((peer_data / "po").glob("*.po*"))
    assert files
    for path in files:
        try:
            result = merge_catalogs([terms], [path])
        except InputError as exc:
            assert exc.path == str(path)
            assert "\n" not in exc.diagnostic() and "Traceback" not in exc.diagnostic()
        else:
            assert result.files == {}
            assert result.counts()["changed"] == 0
            write_merge(result)
        assert _snapshot(terms) == before, path.name


def test_edit_refuses_a_result_that_does_not_read_back_as_intended(sample):
    terms, _ = sample
    path = terms / "sample.yaml"
    data = path.read_bytes()
    concepts = load_termbase([terms]).concepts()
    line = concepts[2].terms["fr"][0].origin.line
    with pytest.raises(TermFileError, match="does not read back"):
        edit_term_file(data, str(path), {line: LineEdit(replace=Term("estación", "fullForm", "preferred"))},
                       concepts)


def test_a_term_written_as_a_block_mapping_is_refused_with_a_hint_to_put_it_on_one_line(sample):
    terms, locales = sample
    path = terms / "sample.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        '      - {text: Système de surveillance international, type: fullForm, status: preferred, '
        'source: "CTBT (fr)"}  # keep',
        "      - text: Système de surveillance international\n        type: fullForm\n        status: preferred\n"
        '        source: "CTBT (fr)"'), encoding="utf-8")
    _edit(locales / po_path("fr"), {"ims.international-monitoring-system": "Système international de surveillance"})
    before = _snapshot(terms)
    with pytest.raises(TermFileError, match="one line") as caught:
        merge_catalogs([terms], [locales / po_path("fr")])
    assert (caught.value.path, caught.value.line) == (str(path), 18)
    assert "changed meanwhile" not in caught.value.message
    assert _snapshot(terms) == before


# --- property: export then import with no edits changes nothing -----------------------------------

_WORD = st.text(alphabet=st.sampled_from(list("abcXYZéßçñ国际监测站ستحМСМжё0123 -'\":#%\\{},[]&*!|>")),
                min_size=1, max_size=18).map(lambda s: " ".join(unicodedata.normalize("NFC", s).split()))
_TEXT = _WORD.filter(bool)


@st.composite
def _concepts(draw) -> list[Concept]:
    count = draw(st.integers(1, 6))
    concepts = []
    for i in range(count):
        terms = {}
        for lang in LANGUAGES:
            head = Term(draw(_TEXT), "fullForm", draw(st.sampled_from(["preferred", "proposed"])))
            extra = []
            if draw(st.booleans()):
                extra.append(Term(draw(_TEXT), "abbreviation", "admitted"))
            if draw(st.booleans()):
                extra.append(Term(draw(_TEXT), "variant", draw(st.sampled_from(["admitted", "deprecated"]))))
            texts, unique = set(), []
            for term in [head, *extra]:
                if term.text not in texts:
                    texts.add(term.text)
                    unique.append(term)
            terms[lang] = unique
        concepts.append(Concept(id=f"general.concept-{i}", domain="general", definition=draw(_WORD) or "x",
                                terms=terms))
    return concepts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_concepts())
def test_export_then_import_without_edits_changes_nothing(concepts):
    with tempfile.TemporaryDirectory() as tmp:
        terms = Path(tmp) / "terms"
        terms.mkdir()
        with open(terms / "general.yaml", "w", encoding="utf-8") as fh:
            write_term_file(fh, concepts, header="generated")
        before = _snapshot(terms)
        locales = _export(terms, Path(tmp) / "locales")
        result = merge_catalogs([terms], [locales / po_path(lang) for lang in LANGUAGES])
        assert [o for o in result.outcomes if o.outcome != "unchanged"] == []
        write_merge(result)
        assert _snapshot(terms) == before


def test_glossary_errors_name_the_file(sample, tmp_path):
    terms, _ = sample
    broken = tmp_path / "broken.po"
    broken.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "a"\nmsgid "b"\n', encoding="utf-8")
    with pytest.raises(GlossaryError) as info:
        merge_catalogs([terms], [broken])
    assert info.value.path == str(broken)
    assert info.value.diagnostic() == f"{broken}:5: error: entry without msgstr (is the file truncated?)"


def test_a_catalog_relabelled_with_another_language_is_refused(real):
    terms, locales = real
    before = _snapshot(terms)
    fr_po = locales / po_path("fr")
    po = polib.pofile(str(fr_po))
    po.metadata["Language"] = "es"
    po.save()
    with pytest.raises(InputError, match=r"the Language header says 'es', but the entries were exported in the "
                                         r"'fr' catalog"):
        merge_catalogs([terms], [fr_po])
    assert _snapshot(terms) == before


def test_invisible_bidi_marks_from_an_rtl_editor_are_dropped(real):
    terms, locales = real
    ar_po = locales / po_path("ar")
    _edit(ar_po, {"ims.international-monitoring-system": "نظام الرصد الدولي\u200f"})
    result = merge_catalogs([terms], [ar_po])
    assert result.counts()["changed"] == 0 and not result.files


def test_traditional_characters_in_the_chinese_catalog_are_not_applied(real):
    terms, locales = real
    zh_po = locales / po_path("zh")
    _edit(zh_po, {"idc.international-data-centre": "國際數據中心"})
    result = merge_catalogs([terms], [zh_po])
    (conflict,) = [o for o in result.outcomes if o.outcome == "conflict"]
    assert "traditional characters: UN Chinese writes '国际数据中心'" in conflict.reason
    assert not result.files


def _drop_markers(po_file: Path) -> None:
    """What msgmerge (or a tool's "update from POT") does to the export markers: they are gone."""
    po = polib.pofile(str(po_file))
    for entry in po:
        entry.comment = "\n".join(line for line in (entry.comment or "").splitlines()
                                  if not line.startswith("glossary-base: "))
    po.save()


def test_an_entry_without_its_export_marker_is_a_conflict_unless_accepted(real):
    terms, locales = real
    fr_po = locales / po_path("fr")
    _edit(fr_po, {"ims.international-monitoring-system": "Système international de surveillance"})
    _drop_markers(fr_po)
    before = _snapshot(terms)
    result = merge_catalogs([terms], [fr_po])
    (conflict,) = [o for o in result.outcomes if o.outcome == "conflict"]
    assert "no glossary-base marker" in conflict.reason and not result.files
    assert _snapshot(terms) == before
    accepted = merge_catalogs([terms], [fr_po], accept_unmarked=True)
    assert accepted.counts()["changed"] == 1


def test_a_case_only_edit_fixes_the_term_in_place(real):
    terms, locales = real
    es_po = locales / po_path("es")
    _edit(es_po, {"ims.international-monitoring-system": "Sistema internacional de vigilancia"})
    write_merge(merge_catalogs([terms], [es_po]))
    es = load_termbase([terms])["ims.international-monitoring-system"].terms["es"]
    assert [t.text for t in es if t.type == "fullForm"] == ["Sistema internacional de vigilancia"]


def test_another_concepts_preferred_term_is_a_conflict(real):
    terms, locales = real
    fr_po = locales / po_path("fr")
    other = load_termbase([terms])["ims.ims-network"].preferred("fr")
    _edit(fr_po, {"ims.international-monitoring-system": other})
    result = merge_catalogs([terms], [fr_po])
    (conflict,) = [o for o in result.outcomes if o.outcome == "conflict"]
    assert "already the preferred fr term of ims.ims-network" in conflict.reason and not result.files
