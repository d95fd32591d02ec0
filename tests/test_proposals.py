"""Proposal stubs for the report's unknown candidates, and their merge into a temporary copy of terms/."""

from __future__ import annotations

from pathlib import Path

import shutil

import pytest

from glossary.align import align
from glossary.errors import InputError
from glossary.mining import MiningConfig, mine
from glossary.model import LANGUAGES, Term
from glossary.proposals import (DEFINITION_PLACEHOLDER, MACHINE_NOTE, MergeError, merge_proposals,
                                proposal_concepts, proposal_id, write_proposals)
from glossary.termfile import read_term_file, write_term_file
from glossary.validate import validate_paths

SYMBOL = "CTBT/WGB-62/INF.4"


@pytest.fixture(scope="module")
def alignments(termbase, report_path):
    from glossary.corpus import read_document

    document = read_document(report_path)
    result = mine(lambda: [document], termbase=termbase, config=MiningConfig(top=150))
    return align(result.candidates, termbase).alignments


@pytest.fixture()
def terms_copy(tmp_path, terms_dir):
    copy = tmp_path / "terms"
    shutil.copytree(terms_dir, copy)
    return copy


def fill(path, out):
    """What a terminologist does: a permanent id, a term for every empty language and a real definition."""
    parsed = read_term_file(path)
    for concept in parsed.concepts:
        concept.id = concept.id.replace(".proposed-", ".", 1)
        concept.definition = f"Reviewed definition of {concept.terms['zh'][0].text}."
        for lang in LANGUAGES:
            if not concept.terms[lang]:
                text = {"ar": "مصطلح مقترح", "zh": "术语", "ru": "предлагаемый термин"}.get(lang, "proposed term")
                concept.terms[lang] = [Term(f"{text} {concept.id.rsplit('-', 1)[-1]}" if lang in ("en", "fr", "es")
                                            else text, "fullForm", "proposed")]
    with open(out, "w", encoding="utf-8") as fh:
        write_term_file(fh, parsed.concepts)


def test_stubs_for_the_top_unknown_candidates(alignments, termbase):
    concepts = proposal_concepts(alignments, termbase, limit=10)
    assert 0 < len(concepts) <= 10
    for concept in concepts:
        assert ".proposed-" in concept.id and concept.id not in termbase
        zh = concept.terms["zh"][0]
        assert zh.status == "proposed" and not any(a.match.concept_id for a in alignments if a.candidate.term == zh.text)
        assert concept.definition.startswith(DEFINITION_PLACEHOLDER)
        assert concept.sources and all(s.document == SYMBOL for s in concept.sources)
        assert "Contexts:" in concept.notes
    every = proposal_concepts(alignments, termbase, limit=0)  # wherever the miner ranks it
    chair = next(c for c in every if c.terms["zh"][0].text == "B工作组主席")
    assert chair.id == "general.proposed-wgb-chairperson"
    assert chair.terms["en"][0].text == "WGB chairperson" and MACHINE_NOTE in chair.terms["en"][0].note
    assert chair.related == ["general.working-group-b", "general.chairperson"]
    assert chair.terms["ar"] == [] and chair.terms["fr"] == []


def test_ids_are_stable_and_unique():
    assert proposal_id("IMS", "国际监测系统台站坐标变更", "IMS station change", set()) == "ims.proposed-ims-station-change"
    first = proposal_id("general", "会议议程草案", None, set())
    assert first == proposal_id("general", "会议议程草案", None, set()) and first.startswith("general.proposed-zh-")
    assert proposal_id("IMS", "x", "IMS station", {"ims.proposed-ims-station"}) == "ims.proposed-ims-station-2"


def test_written_proposals_fail_validation_until_filled_then_merge_once(alignments, termbase, terms_copy, tmp_path):
    concepts = proposal_concepts(alignments, termbase, limit=8)
    stubs = tmp_path / "proposals.yaml"
    write_proposals(stubs, concepts, terms_copy, SYMBOL)
    text = stubs.read_text(encoding="utf-8")
    assert text.startswith("# Proposed concepts") and "# missing: add a term" in text
    findings = validate_paths([terms_copy, stubs])
    assert any(f.level == "error" and "no ar term" in f.message for f in findings)
    with pytest.raises(MergeError, match="still has no"):
        merge_proposals(stubs, terms_copy)

    filled = tmp_path / "filled.yaml"
    fill(stubs, filled)
    assert [f for f in validate_paths([terms_copy, filled]) if f.level == "error"] == []
    before = {p.name: p.read_bytes() for p in terms_copy.iterdir()}
    result = merge_proposals(filled, terms_copy)
    assert result.count == len(concepts)
    for path, ids in result.merged.items():
        name = path.rsplit("/", 1)[-1]
        assert (terms_copy / name).read_bytes().startswith(before[name])  # appended: comments and layout kept
    assert [f for f in validate_paths([terms_copy]) if f.level == "error"] == []

    after = {p.name: p.read_bytes() for p in terms_copy.iterdir()}
    with pytest.raises(MergeError, match="already in the termbase") as refused:
        merge_proposals(filled, terms_copy)
    assert "nothing merged" in str(refused.value) and refused.value.path == str(filled)
    assert {p.name: p.read_bytes() for p in terms_copy.iterdir()} == after


def _proposal(path: Path, concept_id: str, zh: str) -> Path:
    """A filled one-concept proposals file."""
    body = "".join(f"    {lang}:\n      - {{text: {text}, status: proposed}}\n" for lang, text in
                   (("ar", "مرفق"), ("zh", zh), ("en", "x"), ("fr", "x"), ("ru", "х"), ("es", "x")))
    path.write_text(f"- id: {concept_id}\n  domain: IMS\n  definition: Defined.\n  terms:\n{body}", encoding="utf-8")
    return path


def test_merge_refuses_a_chinese_term_another_concept_has(terms_copy, tmp_path):
    proposal = _proposal(tmp_path / "p.yaml", "ims.x-station", "国际监测系统")
    with pytest.raises(MergeError, match="zh term '国际监测系统' already belongs to ims.international-monitoring-system"):
        merge_proposals(proposal, terms_copy)


def test_proposals_are_never_written_into_the_termbase_or_over_a_file(terms_copy, tmp_path):
    with pytest.raises(InputError, match="inside the termbase"):
        write_proposals(terms_copy / "new.yaml", [], terms_copy, SYMBOL)
    existing = tmp_path / "p.yaml"
    existing.write_text("keep", encoding="utf-8")
    with pytest.raises(InputError, match="--force"):
        write_proposals(existing, [], terms_copy, SYMBOL)
    assert existing.read_text(encoding="utf-8") == "keep"
    write_proposals(existing, [], terms_copy, SYMBOL, force=True)
    assert existing.read_text(encoding="utf-8").endswith("[]\n")


def test_same_input_gives_byte_identical_proposals(alignments, termbase, terms_copy, tmp_path):
    outputs = []
    for name in ("a.yaml", "b.yaml"):
        write_proposals(tmp_path / name, proposal_concepts(alignments, termbase), terms_copy, SYMBOL)
        outputs.append((tmp_path / name).read_text(encoding="utf-8").replace(name, ""))
    assert outputs[0] == outputs[1]


def test_merge_refuses_a_proposal_that_still_has_its_provisional_id(terms_copy, tmp_path):
    proposal = _proposal(tmp_path / "p.yaml", "ims.proposed-new-station", "新台站")
    with pytest.raises(MergeError, match=r"give it its permanent id \(e.g. ims.new-station\) before merging"):
        merge_proposals(proposal, terms_copy)
