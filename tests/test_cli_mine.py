"""``glossary mine`` through click: formats, stdin, directories with bad files, exit status 2."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from glossary.cli import cli

DOC = "导言\n\n1. 临时技术秘书处（临时技秘处）介绍了国际监测系统的现状。\n\n2. 临时技秘处报告了国际监测系统台站的情况。\n"


@pytest.fixture()
def runner():
    return CliRunner(mix_stderr=False) if "mix_stderr" in CliRunner.__init__.__code__.co_varnames else CliRunner()


def test_json_on_the_bundled_report(runner, terms_dir):
    result = runner.invoke(cli, ["--terms", str(terms_dir), "mine", "--top", "5", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["candidates"]) == 5 and data["candidates"][0]["rank"] == 1
    # termbase mode: the five best candidates the termbase does not know, and the known terms, apart
    assert len(data["new_candidates"]) == 5 and all(c["known"] is None for c in data["new_candidates"])
    assert all(c["references"] for c in data["candidates"])
    known = {k["term"]: k for k in data["known_terms"]}
    assert known["国际监测系统"]["concept"] == "ims.international-monitoring-system"


def test_csv_and_tsv_have_the_documented_columns(runner, tmp_path):
    path = tmp_path / "doc.txt"
    path.write_text(DOC, encoding="utf-8")
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        result = runner.invoke(cli, ["mine", "--no-termbase", "--format", fmt, str(path)])
        assert result.exit_code == 0, result.output
        rows = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
        assert rows[0] == ["rank", "term", "score", "frequency", "documents", "domain", "references", "contexts",
                           "known"]
        assert any(row[1] == "国际监测系统" and "doc para. 1" in row[6] for row in rows[1:])


def test_stdin_is_read_with_dash(runner):
    result = runner.invoke(cli, ["mine", "--no-termbase", "--discovery", "--format", "json", "-"],
                           input=DOC.encode("gb18030"))
    assert result.exit_code == 0, result.output
    assert "国际监测系统" in {c["term"] for c in json.loads(result.stdout)["candidates"]}


def test_a_bad_file_is_one_error_line_and_exit_2(runner, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02\x03")
    result = runner.invoke(cli, ["mine", "--no-termbase", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"{bad}: error: binary file, not text (save it as UTF-8 text)"
    assert result.stdout == ""


def test_a_directory_skips_bad_files_with_one_warning(runner, tmp_path):
    (tmp_path / "a.txt").write_text(DOC, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.dat").write_bytes(b"\x00\x00")
    result = runner.invoke(cli, ["mine", "--no-termbase", "--format", "json", str(tmp_path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: skipped 2 unreadable file(s): ")
    assert "bin.dat" in warnings[0] and "empty.txt" in warnings[0]
    assert json.loads(result.stdout)["documents"] == 1


def test_help_shows_an_example(runner):
    result = runner.invoke(cli, ["mine", "--help"])
    assert result.exit_code == 0 and "glossary mine --top 20" in result.output
