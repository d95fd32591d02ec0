"""``glossary align``, ``merge`` and ``check`` through click: formats, files on disk, exit statuses."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner

from glossary.cli import cli
from glossary.model import LANGUAGES, Term
from glossary.termfile import read_term_file, write_term_file


@pytest.fixture()
def runner():
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()


@pytest.fixture(scope="module")
def saved_candidates(tmp_path_factory, terms_dir):
    """``mine --format json`` of the report, run once for the module."""
    runner = CliRunner()
    result = runner.invoke(cli, ["--terms", str(terms_dir), "mine", "--top", "60", "--format", "json"])
    assert result.exit_code == 0
    path = tmp_path_factory.mktemp("mined") / "candidates.json"
    path.write_text(result.stdout if hasattr(result, "stdout") else result.output, encoding="utf-8")
    return path


@pytest.fixture()
def terms_copy(tmp_path, terms_dir):
    copy = tmp_path / "terms"
    shutil.copytree(terms_dir, copy)
    return copy


def test_json_has_methods_concepts_english_and_coverage(runner, terms_dir, saved_candidates, report_path):
    result = runner.invoke(cli, ["--terms", str(terms_dir), "align", "--candidates", str(saved_candidates),
                                 str(report_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["alignments"]) == 60
    pts = next(a for a in data["alignments"] if a["candidate"] == "临时技秘处")
    assert (pts["method"], pts["score"], pts["concept"], pts["english"]) == (
        "exact", 1.0, "general.provisional-technical-secretariat", "Provisional Technical Secretariat")
    coverage = data["coverage"]
    assert coverage["top_candidates"] == 60 and 0 < coverage["share"] <= 1
    assert coverage["concepts_seen"] > 100 and "osi.overflight" in coverage["concepts_never_seen"]
    assert any(o["concept"] == "general.working-group-b" and o["references"] for o in coverage["occurrences"])


def test_candidates_alone_give_the_share_without_occurrences(runner, terms_dir, saved_candidates):
    result = runner.invoke(cli, ["--terms", str(terms_dir), "align", "--candidates", str(saved_candidates),
                                 "--top", "10", "--format", "json"])
    data = json.loads(result.stdout)
    assert len(data["alignments"]) == 10 and "occurrences" not in data["coverage"]


def test_table_ends_with_a_coverage_summary_and_csv_has_columns(runner, terms_dir, saved_candidates):
    table = runner.invoke(cli, ["--terms", str(terms_dir), "align", "--candidates", str(saved_candidates)])
    assert table.exit_code == 0
    assert "coverage:" in table.stdout and "concepts seen" not in table.stdout  # no documents: no occurrences
    rows = list(csv.reader(io.StringIO(runner.invoke(cli, [
        "--terms", str(terms_dir), "align", "--candidates", str(saved_candidates), "--format", "csv"]).stdout)))
    assert rows[0] == ["rank", "candidate", "frequency", "method", "score", "concept", "english"]
    assert len(rows) == 61


def test_mining_a_document_given_as_path(runner, terms_dir, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("1. 临时技秘处介绍了国际监测系统台站坐标。\n\n2. 临时技秘处报告了国际监测系统台站坐标。\n",
                   encoding="utf-8")
    result = runner.invoke(cli, ["--terms", str(terms_dir), "align", str(doc), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {a["candidate"]: a["concept"] for a in data["alignments"]}["临时技秘处"] == \
        "general.provisional-technical-secretariat"
    occurrences = {o["concept"]: o for o in data["coverage"]["occurrences"]}
    assert occurrences["ims.station-coordinates"]["references"] == ["doc para. 1", "doc para. 2"]


def test_bad_candidates_file_is_one_line_and_exit_2(runner, terms_dir, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(cli, ["--terms", str(terms_dir), "align", "--candidates", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and f"{bad}:1: error: not JSON" in result.stderr


def fill(path):
    parsed = read_term_file(path)
    for concept in parsed.concepts:
        concept.id = concept.id.replace(".proposed-", ".", 1)
        concept.definition = "Reviewed."
        for lang in LANGUAGES:
            if not concept.terms[lang]:
                concept.terms[lang] = [Term({"ar": "مقترح", "ru": "предложение"}.get(lang, f"x {concept.id[-6:]}"),
                                            "fullForm", "proposed")]
    with open(path, "w", encoding="utf-8") as fh:
        write_term_file(fh, parsed.concepts)


def test_write_proposals_validate_merge_and_refuse_the_second_merge(runner, terms_copy, saved_candidates, tmp_path):
    base = ["--terms", str(terms_copy)]
    proposals = tmp_path / "proposals.yaml"
    result = runner.invoke(cli, [*base, "align", "--candidates", str(saved_candidates), "--write-proposals",
                                 str(proposals), "--proposals", "5"])
    assert result.exit_code == 0, result.output
    assert "wrote 5 proposal(s)" in result.stderr
    assert runner.invoke(cli, ["validate", str(terms_copy), str(proposals)]).exit_code == 2
    again = runner.invoke(cli, [*base, "align", "--candidates", str(saved_candidates), "--write-proposals",
                                str(proposals)])
    assert again.exit_code == 2 and "use --force" in again.stderr

    fill(proposals)
    assert runner.invoke(cli, ["validate", str(terms_copy), str(proposals)]).exit_code in (0, 1)
    merged = runner.invoke(cli, [*base, "merge", str(proposals), "--format", "json"])
    assert merged.exit_code == 0, merged.output
    assert json.loads(merged.stdout)["count"] == 5
    snapshot = {p.name: p.read_bytes() for p in terms_copy.iterdir()}
    second = runner.invoke(cli, [*base, "merge", str(proposals)])
    assert second.exit_code == 2
    lines = second.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{proposals}:") and "already in the termbase" in lines[0]
    assert {p.name: p.read_bytes() for p in terms_copy.iterdir()} == snapshot


def test_proposals_inside_the_termbase_are_refused(runner, terms_copy, saved_candidates):
    target = terms_copy / "proposals.yaml"
    result = runner.invoke(cli, ["--terms", str(terms_copy), "align", "--candidates", str(saved_candidates),
                                 "--write-proposals", str(target)])
    assert result.exit_code == 2 and "inside the termbase" in result.stderr and not target.exists()


def test_a_proposals_file_that_would_be_refused_is_refused_before_any_mining(runner, terms_dir, tmp_path):
    existing = tmp_path / "proposals.yaml"
    existing.write_text("# reviewed by hand\n", encoding="utf-8")
    result = runner.invoke(cli, ["--terms", str(terms_dir), "align", str(tmp_path / "missing.txt"),
                                 "--write-proposals", str(existing)])
    assert result.exit_code == 2 and "use --force" in result.stderr and "missing.txt" not in result.stderr
    assert existing.read_text(encoding="utf-8") == "# reviewed by hand\n"


def test_check_prints_path_line_term_preferred_and_exits_1(runner, terms_dir, tmp_path):
    doc = tmp_path / "zh.txt"
    doc.write_text("第一行\n临时技秘处报告了拆抵摊款。\n", encoding="utf-8")
    result = runner.invoke(cli, ["--terms", str(terms_dir), "check", str(doc), "--lang", "zh"])
    assert result.exit_code == 1
    assert result.stdout == f"{doc}:2:9: error: 拆抵摊款 -> 折抵摊款 (general.credit-against-assessed-contributions)\n"
    shown = runner.invoke(cli, ["--terms", str(terms_dir), "check", str(doc), "--lang", "zh", "--all",
                                "--format", "json"])
    assert [i["level"] for i in json.loads(shown.stdout)] == ["info", "error"]


def test_check_clean_document_exits_0_and_bad_input_2(runner, terms_dir, tmp_path):
    clean = tmp_path / "en.txt"
    clean.write_text("The International Monitoring System and the IDC.\n", encoding="utf-8")
    assert runner.invoke(cli, ["--terms", str(terms_dir), "check", str(clean), "--lang", "en"]).exit_code == 0
    binary = tmp_path / "b.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    bad = runner.invoke(cli, ["--terms", str(terms_dir), "check", str(binary), "--lang", "en"])
    assert bad.exit_code == 2 and "error: binary file" in bad.stderr
    assert runner.invoke(cli, ["check", str(clean), "--lang", "de"]).exit_code == 2


def test_help_has_examples(runner):
    for command in ("align", "merge", "check"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
