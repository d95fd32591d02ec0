"""The canonical-layout fast reader gives what the full YAML reader gives, or leaves the file to it."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary.model import DOMAINS, LANGUAGES, STATUSES, TERM_TYPES, Concept, Source, Term
from glossary.termfile import parse_full_term_file, parse_term_file, write_term_file
from glossary.termfile_fast import parse_canonical

from conftest import FIXTURES


def _same(fast, full) -> None:
    assert fast.concepts == full.concepts
    assert [str(f) for f in fast.findings] == [str(f) for f in full.findings]
    assert [c.origin for c in fast.concepts] == [c.origin for c in full.concepts]
    assert [[t.origin for _l, t in c.all_terms()] for c in fast.concepts] == \
        [[t.origin for _l, t in c.all_terms()] for c in full.concepts]


def test_the_real_term_files_take_the_fast_path_and_read_the_same(terms_dir):
    for path in sorted(terms_dir.glob("*.yaml")):
        data = path.read_bytes()
        assert parse_canonical(data.decode("utf-8-sig"), str(path)) is not None, path.name
        _same(parse_term_file(data, str(path)), parse_full_term_file(data, str(path)))


@pytest.mark.parametrize("path", sorted((FIXTURES / "termfiles").rglob("*.yaml")), ids=lambda p: p.name)
def test_every_fixture_reads_as_the_full_reader_reads_it(path):
    data = path.read_bytes()
    _same(parse_term_file(data, str(path)), parse_full_term_file(data, str(path)))


BASE = """- id: ims.x
  domain: IMS
  definition: A station.
  terms:
    en:
      - {text: station, type: fullForm, status: preferred}
"""


@pytest.mark.parametrize("variant", [
    BASE.replace("A station.", "~"),  # null
    BASE.replace("A station.", "A: station"),  # a mapping, not a string
    BASE.replace("A station.", "&a A station."),  # anchor
    BASE.replace("A station.", "!!str A station."),  # tag
    BASE.replace("station, type", "station, kind"),  # unknown key
    BASE.replace("fullForm", "fullform"),  # not a term type
    BASE.replace("domain: IMS", "domain: XYZ"),
    BASE + "  subject: one\n  subject: two\n",  # duplicate key
    BASE.replace("  terms:", "  # a comment\n  terms:"),
    BASE.replace("station}", "station}  # comment"),
    BASE.replace("A station.", "'A station"),  # unterminated quote
    BASE.replace("A station.", '"A \\x41 station"'),  # an escape the fast path leaves to PyYAML
    BASE.replace("{text: station", '{text: "st\\u0061tion"'),
    BASE.replace("    en:\n", "    en:\n    fr:\n"),
    "---\n" + BASE,
    "[]\n",
])
def test_anything_unusual_reads_as_the_full_reader_reads_it(variant):
    data = variant.encode()
    _same(parse_term_file(data, "t.yaml"), parse_full_term_file(data, "t.yaml"))


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)


@st.composite
def concepts(draw):
    terms = {}
    for lang in draw(st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True)):
        terms[lang] = [Term(draw(_TEXT), draw(st.sampled_from(TERM_TYPES)), draw(st.sampled_from(STATUSES)),
                            draw(st.none() | _TEXT), draw(st.none() | _TEXT))
                       for _ in range(draw(st.integers(1, 2)))]
    sources = [Source(draw(_TEXT), draw(st.lists(st.from_regex(r"[0-9]{1,3}[a-c]?", fullmatch=True), max_size=3)),
                      draw(st.none() | _TEXT)) for _ in range(draw(st.integers(0, 2)))]
    return Concept(draw(st.from_regex(r"[a-z]{1,8}\.[a-z0-9-]{1,12}", fullmatch=True)), draw(st.sampled_from(DOMAINS)),
                   draw(_TEXT.filter(lambda t: t.strip() == t) | st.text("ab \n", min_size=1).filter(str.strip)),
                   terms, draw(st.none() | _TEXT), sources,
                   draw(st.lists(st.from_regex(r"[a-z]{1,8}\.[a-z-]{1,8}", fullmatch=True), max_size=2)),
                   draw(st.none() | _TEXT))


@settings(max_examples=150, deadline=None)
@given(st.lists(concepts(), min_size=1, max_size=3))
def test_whatever_the_writer_writes_reads_the_same_both_ways(items):
    out = io.StringIO()
    write_term_file(out, items, header="generated")
    data = out.getvalue().encode()
    _same(parse_term_file(data, "t.yaml"), parse_full_term_file(data, "t.yaml"))
