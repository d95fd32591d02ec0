"""TBX export and import: the TBX-Basic grammar, the DCA Schematron, translate-toolkit, peer files, hostile XML."""

from __future__ import annotations

import copy
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from glossary.cli import cli
from glossary.errors import InputError
from glossary.exchange.review import plan_review
from glossary.exchange.tbx_read import parse_tbx
from glossary.exchange.tbx_review import review_tbx
from glossary.exchange.tbx_write import PROPOSED_NOTE, render_tbx
from glossary.model import DOMAINS, LANGUAGES, Concept, Source, Term, Termbase
from glossary.termfile import load_termbase, write_term_file

SVRL = "{http://purl.oclc.org/dsdl/svrl}"
SMALL_TERMS = Path(__file__).parent / "fixtures" / "po"


@pytest.fixture(scope="module")
def tbx_reference(shared_dir) -> Path:
    return shared_dir / "reference" / "tbx"


@pytest.fixture(scope="module")
def exported(termbase) -> bytes:
    return render_tbx(termbase)


def test_export_is_valid_tbx_basic(exported, tbx_reference, termbase):
    grammar = etree.RelaxNG(etree.parse(str(tbx_reference / "TBXcoreStructV03_TBX-Basic_integrated.rng")))
    document = etree.fromstring(exported)
    assert grammar.validate(document), grammar.error_log.last_error
    ns = {"t": "urn:iso:std:iso:30042:ed-2"}
    assert len(document.findall(".//t:conceptEntry", ns)) == len(termbase)


def test_dct_style_is_valid_against_the_core_grammar(termbase, tbx_reference):
    grammar = etree.RelaxNG(etree.parse(str(tbx_reference / "TBXcoreStructV03_TBX-Core_integrated.rng")))
    document = etree.fromstring(render_tbx(termbase, style="dct"))
    assert grammar.validate(document), grammar.error_log.last_error
    assert document.find(".//{http://www.tbxinfo.net/ns/min}administrativeStatus") is not None


def test_export_bytes_are_deterministic(exported, termbase):
    assert render_tbx(termbase) == exported
    assert b"<date>" not in exported


def test_proposed_is_admitted_with_a_note_and_reads_back_as_proposed(termbase, exported):
    proposed = next((c, lang, t) for c in termbase.values() for lang, t in c.all_terms() if t.status == "proposed")
    concept, lang, term = proposed
    assert b"proposed" in exported.split(b"<body>")[0]  # the header documents the mapping
    back = {c.id: c for c in parse_tbx(exported, "export.tbx").concepts}
    assert any(t.text == term.text and t.status == "proposed" for t in back[concept.id].terms[lang])
    assert PROPOSED_NOTE.encode() in exported


def _schematron_failures(schema: Path, document: bytes) -> list[tuple[str, str]]:
    """Run an XSLT 2 Schematron: lxml's ISO skeleton compiles it, Saxon-HE (XPath 2) runs the result."""
    saxonche = pytest.importorskip("saxonche", reason="saxonche (Saxon-HE) runs the XSLT 2 Schematron")
    from lxml import isoschematron

    sch = etree.parse(str(schema))
    sch.getroot().set("queryBinding", "xslt")  # the skeleton refuses 'xslt2'; Saxon runs XPath 2 regardless
    for step in (isoschematron.iso_dsdl_include, isoschematron.iso_abstract_expand, isoschematron.iso_svrl_for_xslt1):
        sch = step(sch)
    with saxonche.PySaxonProcessor(license=False) as processor:
        executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_text=str(sch))
        node = processor.parse_xml(xml_text=document.decode("utf-8"))
        svrl = etree.fromstring(executable.transform_to_string(xdm_node=node).encode("utf-8"))
    return [(f.get("test"), f.findtext(f"{SVRL}text").strip()) for f in svrl.iter(f"{SVRL}failed-assert")]


def test_dca_schematron_accepts_the_reference_example(tbx_reference):
    example = (tbx_reference / "Example_Astronomy_DCA_VALID.tbx").read_bytes()
    assert _schematron_failures(tbx_reference / "TBX-Basic_DCA.sch", example) == []


def test_dca_schematron_only_disputes_the_cross_reference_type_the_grammar_requires(exported, tbx_reference):
    # The integrated grammar allows ref types relatedConcept/relatedTerm, the Schematron only crossReference:
    # no file satisfies both with a <ref>. We follow the grammar; every other rule must pass.
    failures = _schematron_failures(tbx_reference / "TBX-Basic_DCA.sch", exported)
    assert {test for test, _ in failures} <= {".='crossReference'"}


def test_dct_style_passes_the_dct_and_basic_module_schematrons(termbase, tbx_reference):
    exported = render_tbx(termbase, style="dct")
    assert _schematron_failures(tbx_reference / "TBX-Basic_DCT.sch", exported) == []
    assert _schematron_failures(tbx_reference / "Basic.sch", exported) == []


def test_tbx_2008_reads_back_with_translate_toolkit(termbase):
    from translate.storage import tbx

    store = tbx.tbxfile.parsestring(render_tbx(termbase, version=2))
    assert len(store.units) == len(termbase)
    english = {c.id: c.terms["en"][0].text for c in termbase.values()}
    assert all(unit.source == english[unit.getid()] for unit in store.units)


def test_every_peer_tbx_file_gives_a_review_or_one_line_error(peer_data, tmp_path):
    files = sorted((peer_data / "tbx").glob("*.tbx"))
    assert len(files) >= 20
    runner = CliRunner()
    outcomes = {}
    for path in files:
        # a small termbase keeps this fast; matching against the real one is tested below
        result = runner.invoke(cli, ["--terms", str(SMALL_TERMS), "import", "tbx", str(path),
                                     "--review", str(tmp_path / f"{path.stem}.csv")])
        assert result.exit_code in (0, 2), (path.name, result.output)
        assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), path.name
        if result.exit_code == 2:
            assert len(result.stderr.strip().splitlines()) == 1 and str(path) in result.stderr
        else:
            assert (tmp_path / f"{path.stem}.csv").is_file()
        outcomes[path.name] = result.exit_code
    assert outcomes["TBX_test_files__poorly_formed_xml.tbx"] == 2
    assert outcomes["tbx-conversion__383_5.tbx"] == 0  # EuroTermBank's <martifHeader> root, read anyway
    assert sum(code == 0 for code in outcomes.values()) >= 20


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="x"><langSec xml:lang="en">
<termSec><term>&d;</term></termSec></langSec></conceptEntry></body></text></tbx>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="x"><langSec xml:lang="en">
<termSec><term>&secret;</term></termSec></langSec></conceptEntry></body></text></tbx>"""
PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE tbx [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body/></text></tbx>"""
UNDECLARED_ENTITY = b"""<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="x">
<langSec xml:lang="en"><termSec><term>&nbsp;</term></termSec></langSec></conceptEntry></body></text></tbx>"""


@pytest.mark.parametrize("data, words", [
    (b"this is not XML", "not well-formed"),
    (b"", "empty file"),
    (b"<html><body/></html>", "root element is <html>"),
    (BILLION_LAUGHS, "entit"),
    (EXTERNAL_ENTITY, "entit"),
    (PARAMETER_ENTITY, "entit"),
    (UNDECLARED_ENTITY, "entit"),
], ids=["not-xml", "empty", "wrong-root", "billion-laughs", "external-entity", "parameter-entity", "undeclared"])
def test_bad_or_hostile_xml_is_one_line_exit_2(tmp_path, data, words):
    path = tmp_path / "bad.tbx"
    path.write_bytes(data)
    with pytest.raises(InputError):
        parse_tbx(data, str(path))
    result = CliRunner().invoke(cli, ["import", "tbx", str(path), "--review", str(tmp_path / "r.csv")])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}") and "error:" in lines[0]
    assert words in lines[0].lower() or words in lines[0]
    assert "root:" not in result.output  # /etc/passwd never leaks
    assert not (tmp_path / "r.csv").exists()


# --- round trip: TBX -> import -> review -> apply changes nothing ---------------------------------------

_LETTERS = {"ar": "ابتثجحخدرسشصطعغفقكلمنهوي", "zh": "国际监测系统数据中心现场视察台站网络",
            "en": "abcdefghijklmnopqrstuvwxyz", "fr": "abcdeéèfghijklmnopqrstuvwxyzç",
            "ru": "абвгдежзийклмнопрстуфхцчшщыэюя", "es": "abcdefghijklmnñopqrstuvwxyzáéí"}


@st.composite
def termbases(draw) -> list[Concept]:
    concepts = []
    for n in range(draw(st.integers(1, 6))):
        terms = {}
        for lang in LANGUAGES:
            if lang != "en" and draw(st.booleans()) and draw(st.booleans()):
                continue  # some languages empty
            word = st.text(_LETTERS[lang], min_size=2, max_size=8)
            texts = draw(st.lists(word, min_size=1, max_size=3, unique=True))
            statuses = [draw(st.sampled_from(["preferred", "proposed"]))] + [
                draw(st.sampled_from(["admitted", "deprecated"])) for _ in texts[1:]]
            terms[lang] = [Term(f"{t} {n}" if lang != "zh" else f"{t}{n}",
                                draw(st.sampled_from(["fullForm", "abbreviation", "shortForm", "variant"])), s,
                                draw(st.sampled_from([None, "CTBT Article IV"])),
                                draw(st.sampled_from([None, "checked: 2 sources"])))
                           for t, s in zip(texts, statuses)]
        concepts.append(Concept(f"{DOMAINS[n % 4].lower()}.c{n}", DOMAINS[n % 4], f"Concept {n}.", terms,
                                sources=[Source("CTBT/WGB-62/INF.4", [str(n + 1)])]))
    return concepts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(concepts=termbases())
def test_round_trip_through_tbx_changes_nothing(tmp_path_factory, concepts):
    terms_dir = tmp_path_factory.mktemp("terms")
    buffer = io.StringIO()
    write_term_file(buffer, concepts)
    (terms_dir / "t.yaml").write_text(buffer.getvalue(), encoding="utf-8")
    termbase = load_termbase([terms_dir])
    for version in (3, 2):
        tbx_path = terms_dir.parent / f"{terms_dir.name}-v{version}.tbx"
        tbx_path.write_bytes(render_tbx(termbase, version=version))
        read = {c.id: c for c in parse_tbx(tbx_path.read_bytes(), str(tbx_path)).concepts}
        for concept in termbase.values():
            assert read[concept.id].terms == concept.terms  # every field of every term, in order
        review = review_tbx(termbase, tbx_path)
        assert review.matched == len(termbase) and review.rows == []
        from glossary.exchange.csv_format import render_review_csv
        from glossary.exchange.table import review_rows

        review_csv = terms_dir.parent / f"{terms_dir.name}-v{version}.csv"
        review_csv.write_bytes(render_review_csv(review_rows(termbase), with_theirs=True))
        result = plan_review([terms_dir], review_csv)
        assert result.files == {} and not result.has_conflicts
        assert set(result.counts()) and result.counts()["changed"] == 0


def test_import_review_of_a_tbx_review_lists_differences_without_applying(tmp_path, termbase):
    concepts = copy.deepcopy(list(termbase.values())[:3])  # the shared termbase fixture stays untouched
    first = concepts[0]
    first.terms["fr"] = [Term("terme étranger", "fullForm", "preferred")]
    changed = Termbase(concepts)
    path = tmp_path / "peer.tbx"
    path.write_bytes(render_tbx(changed))
    review = review_tbx(termbase, path)
    assert [r.concept for r in review.rows] == [first.id]
    assert review.rows[0].theirs["fr"] == "terme étranger"
    assert review.rows[0].cells["fr"].text != "terme étranger"  # ours stays in our cell: nothing adopted
