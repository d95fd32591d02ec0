"""glossary harvest: segmentation, alignment and equivalents on the real Treaty texts and the Chinese fixture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from glossary.cli import cli
from glossary.parallel import align_segments, gale_church, segment_text

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "ctbt"
ZH = Path(__file__).resolve().parent / "fixtures" / "harvest" / "zh"


@pytest.fixture(scope="module")
def reference() -> Path:
    if not (REFERENCE / "ctbt-protocol.fr.txt").is_file():
        pytest.skip("../shared/reference/ctbt is absent (project cloned alone): Treaty texts not available")
    return REFERENCE


def test_labels_of_both_english_layouts_and_french(reference):
    dutch = {s.label: s for s in segment_text((reference / "ctbt-protocol.en.txt").read_text(encoding="utf-8"))}
    canadian = {s.label: s for s in segment_text((reference / "ctbt-protocol.en-CA.txt").read_text(encoding="utf-8"))}
    french = {s.label: s for s in segment_text((reference / "ctbt-protocol.fr.txt").read_text(encoding="utf-8"))}
    label = ("Protocol", "Part I", "para 18", "b", "")
    for segments in (dutch, canadian):
        assert segments[label].text.lstrip("(").startswith("b) Standard screened event bulletins")
        assert segments[label].ref == "Protocol Part I para. 18 (b)"
    assert "bulletins standard des événements filtrés" in french[label].text
    row = ("Protocol", "Annex 1", "Table 1-A", "row 5")
    assert "Mawson" in dutch[row].text and "Mawson" in french[row].text


def test_alignment_of_the_canadian_and_dutch_english_with_the_french(reference):
    french = segment_text((reference / "ctbt-treaty.fr.txt").read_text(encoding="utf-8"))
    for name, share in (("ctbt-treaty.en-CA.txt", 0.998), ("ctbt-treaty.en.txt", 0.99)):
        english = segment_text((reference / name).read_text(encoding="utf-8"))
        alignment = align_segments(english, french)
        assert alignment.share >= share
        pair = next(p for p in alignment.pairs if p.source[0].label == ("Treaty", "Art. IV", "para 16"))
        assert "Système de surveillance international" in pair.target_text


def test_gale_church_pairs_by_length():
    assert gale_church([100, 20, 300], [110, 25, 320]) == [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]
    assert gale_church([100, 200], [100, 90, 110]) == [(0, 1, 0, 1), (1, 2, 1, 3)]


def test_cli_en_fr_equivalents_with_evidence(reference, tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["harvest", str(reference / "ctbt-protocol.en-CA.txt"),
                                 str(reference / "ctbt-protocol.fr.txt"), "--src", "en", "--tgt", "fr",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["alignment"]["share"] == 1.0
    found = {e["concept"]: e for e in data["equivalents"]}
    idc = found["idc.international-data-centre"]
    assert idc["target_term"] == "Centre international de données" and idc["mark"] == "confirms"
    assert "Protocol Part I para. 18" in idc["references"]
    assert "【" in idc["kwic"]["source"][0] and "【" in idc["kwic"]["target"][0]
    assert found["osi.inspection-team"]["target_term"].casefold() == "équipe d’inspection"
    assert found["ims.seismological-monitoring"]["forms"]


def test_chinese_fixture(tmp_path):
    result = CliRunner().invoke(cli, ["harvest", str(ZH), "--src", "zh", "--tgt", "en", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["alignment"]["by_label"] >= 15 and data["alignment"]["share"] == 1.0
    found = {e["concept"]: e for e in data["equivalents"]}
    assert found["idc.international-data-centre"]["target_term"] == "International Data Centre"
    assert found["ims.international-monitoring-system"]["target_term"] == "International Monitoring System"
    assert "Protocol Part I para. 18" in found["idc.international-data-centre"]["references"]


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "binary file"),
])
def test_bad_input_exits_2_naming_the_file(tmp_path, content, message):
    bad = tmp_path / "bad.zh.txt"
    bad.write_bytes(content)
    result = CliRunner().invoke(cli, ["harvest", str(bad), str(ZH / "ctbt-treaty.en.txt"), "--src", "zh", "--tgt", "en"])
    assert result.exit_code == 2
    assert str(bad) in result.output and message in result.output and "Traceback" not in result.output


def test_wrong_language_and_texts_that_do_not_align(tmp_path):
    result = CliRunner().invoke(cli, ["harvest", str(ZH / "ctbt-treaty.en.txt"), str(ZH / "ctbt-treaty.zh.txt"),
                                      "--src", "fr", "--tgt", "zh"])
    assert result.exit_code == 2 and "reads as 'en'" in result.output
    prose = tmp_path / "prose.en.txt"
    prose.write_text("The weather was fine and the delegates went for a walk by the river.\n" * 3, encoding="utf-8")
    result = CliRunner().invoke(cli, ["harvest", str(ZH / "ctbt-protocol.zh.txt"), str(prose), "--src", "zh",
                                      "--tgt", "en"])
    assert result.exit_code == 2 and "do not align" in result.output


def test_review_then_apply_records_source_and_keeps_old_head(tmp_path):
    terms = tmp_path / "terms"
    shutil.copytree(ROOT / "terms", terms)
    before = {p.name: p.read_bytes() for p in terms.glob("*.yaml")}
    review = tmp_path / "review.yaml"
    runner = CliRunner()
    result = runner.invoke(cli, ["--terms", str(terms), "harvest", str(ZH), "--src", "zh", "--tgt", "en",
                                 "--write-review", str(review)])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in terms.glob("*.yaml")} == before  # harvest never writes terms/
    doc = yaml.safe_load(review.read_text(encoding="utf-8"))
    item = next(i for i in doc["items"] if i["concept"] == "general.state-party")
    assert item["decision"] == "pending" and item["source"].startswith("CTBT ")
    # nothing decided yet: applying changes nothing
    assert runner.invoke(cli, ["--terms", str(terms), "apply-harvest", str(review)]).exit_code == 0
    assert {p.name: p.read_bytes() for p in terms.glob("*.yaml")} == before
    item["decision"], item["proposed"], item["keep_old"] = "accept", "States Parties", "admitted"
    review.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = runner.invoke(cli, ["--terms", str(terms), "apply-harvest", str(review), "--format", "json"])
    assert result.exit_code == 0, result.output
    from glossary.termfile import load_termbase

    concept = load_termbase([terms])["general.state-party"]
    head = concept.head_term("en")
    assert head.text == "States Parties" and head.status == "preferred" and "CTBT" in head.source
    assert any(t.text == "State Party" and t.status == "admitted" for t in concept.terms["en"])


def test_a_malformed_review_file_is_refused(tmp_path):
    terms = tmp_path / "terms"
    shutil.copytree(ROOT / "terms", terms)
    review = tmp_path / "review.yaml"
    review.write_text("target_language: fr\nitems:\n- {concept: general.state-party, decision: maybe}\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["--terms", str(terms), "apply-harvest", str(review)])
    assert result.exit_code == 2 and str(review) in result.output and "decision must be one of" in result.output
