"""The YAML term file adapter: reading, writing, and the round trip between them."""

from __future__ import annotations

import io
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.errors import TermFileError
from glossary.model import LANGUAGES, STATUSES, TERM_TYPES, Concept, Source, Term
from glossary.termfile import load_termbase, parse_term_file, read_term_file, write_term_file

from conftest import FIXTURES

GOOD = FIXTURES / "termfiles" / "good" / "sample.yaml"
BAD = FIXTURES / "termfiles" / "bad"


def test_reads_concepts_with_terms_in_language_order():
    parsed = read_term_file(GOOD)
    assert not parsed.findings
    concept = parsed.concepts[0]
    assert concept.id == "ims.sample-station"
    assert list(concept.terms) == list(LANGUAGES)
    assert concept.preferred("ru") == "станция"
    assert concept.head_term("es").status == "proposed"
    assert concept.sources == [Source("CTBT/WGB-62/INF.4", ["13"])]


def test_origins_point_at_the_lines_of_concepts_and_terms():
    concept = read_term_file(GOOD).concepts[0]
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    assert lines[concept.origin.line - 1] == "- id: ims.sample-station"
    assert "станция" in lines[concept.head_term("ru").origin.line - 1]


def test_plain_scalars_keep_their_literal_text():
    data = GOOD.read_bytes().replace(b"{text: sample station,", b"{text: NO,", 1)
    concept = parse_term_file(data, "x.yaml").concepts[0]
    assert concept.preferred("en") == "NO"  # not False, as YAML 1.1 would construct it


def test_load_termbase_stops_at_the_first_error_with_its_place():
    with pytest.raises(TermFileError) as info:
        load_termbase([BAD / "unknown-key.yaml"])
    assert str(info.value).startswith(f"{BAD / 'unknown-key.yaml'}:19: ")


def test_load_termbase_refuses_an_id_defined_in_two_files(tmp_path):
    (tmp_path / "a.yaml").write_bytes(GOOD.read_bytes())
    (tmp_path / "b.yaml").write_bytes(GOOD.read_bytes())
    with pytest.raises(TermFileError, match="duplicate concept id 'ims.sample-station'"):
        load_termbase([tmp_path])


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(TermFileError, match="no such file or directory"):
        load_termbase([tmp_path / "nope"])


def test_writing_the_curated_files_reproduces_their_model(termbase):
    for path in sorted({c.origin.path for c in termbase.values()}):
        concepts = [c for c in termbase.values() if c.origin.path == path]
        out = io.StringIO()
        write_term_file(out, concepts)
        again = parse_term_file(out.getvalue().encode("utf-8"), path)
        assert not again.findings
        assert again.concepts == concepts


# --- hypothesis: load -> save -> load gives the same model ----------------------------------------

_LETTERS = {
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "zh": "国际监测系统数据中心现场视察台站核试验条约",
    "en": string.ascii_letters,
    "fr": string.ascii_letters + "éèêàçôû",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщыэюяАБВМСЦ",
    "es": string.ascii_letters + "áéíóúñ",
}
# Characters YAML treats specially, to prove the writer quotes what it must.
_TRICKY = ": ,#[]{}'\"&*!|>%@`-?"


def _text(lang: str) -> st.SearchStrategy[str]:
    word = st.text(alphabet=_LETTERS[lang] + _TRICKY, min_size=1, max_size=12)
    return st.lists(word, min_size=1, max_size=4).map(" ".join).map(lambda s: " ".join(s.split())).filter(bool)


def _terms(lang: str) -> st.SearchStrategy[list[Term]]:
    term = st.builds(Term, text=_text(lang), type=st.sampled_from(TERM_TYPES),
                     status=st.sampled_from(STATUSES), source=st.none() | _text("en"), note=st.none() | _text("en"))
    return st.lists(term, min_size=1, max_size=3)


_free_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=120).filter(
    lambda s: s.strip() == s and s)

concepts = st.builds(
    Concept,
    id=st.from_regex(r"\A(ims|idc|osi|general)\.[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}\Z"),
    domain=st.sampled_from(["IMS", "IDC", "OSI", "general"]),
    definition=_free_text,
    terms=st.fixed_dictionaries({lang: _terms(lang) for lang in LANGUAGES}),
    subject=st.none() | st.sampled_from(["seismic", "noble gas", "data products"]),
    sources=st.lists(st.builds(Source, document=st.sampled_from(["CTBT/WGB-62/INF.4", "CTBT Protocol"]),
                               paragraphs=st.lists(st.integers(1, 120).map(str), max_size=3),
                               location=st.none() | st.just("Part I, para. 1")), max_size=2),
    related=st.lists(st.from_regex(r"\Aims\.[a-z]{1,6}\Z"), max_size=2),
    notes=st.none() | _free_text,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(concepts, min_size=1, max_size=4, unique_by=lambda c: c.id))
def test_round_trip_load_save_load_gives_the_same_model(generated):
    out = io.StringIO()
    write_term_file(out, generated, header="generated")
    parsed = parse_term_file(out.getvalue().encode("utf-8"), "gen.yaml")
    assert not parsed.errors, parsed.errors
    assert parsed.concepts == generated
    again = io.StringIO()
    write_term_file(again, parsed.concepts, header="generated")
    assert again.getvalue() == out.getvalue()
