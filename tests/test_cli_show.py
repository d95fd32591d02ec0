"""``glossary show``: one concept's whole record by id or by any of its terms."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from glossary.cli import cli


@pytest.fixture
def run(tmp_path, terms_dir, monkeypatch):
    monkeypatch.setenv("GLOSSARY_CACHE_DIR", str(tmp_path / "cache"))

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--terms", str(terms_dir), "show", *args])
    return invoke


def test_by_id_shows_every_term_with_status_and_source(run):
    result = run("ims.international-monitoring-system")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "ims.international-monitoring-system  (IMS, networks)"
    assert any(line.startswith("ar  preferred") and line.endswith("نظام الرصد الدولي") for line in lines)
    assert "    admitted, abbreviation    МСМ" in lines
    assert any("source: CTBT Article II para. 29" in line for line in lines)
    assert "  CTBT/WGB-62/INF.4 paras. 5, 9, 11, 13, 25, 37, 41, 42, 49, 50, 53, 55, 56, 57, 58, 65, 67, 68, 69, " \
           "70, 72, 73, 75, 80, 82, 88" in lines
    assert "  idc.international-data-centre  International Data Centre" in lines


def test_by_a_typo_or_an_abbreviation_in_any_language(run):
    result = run("on-site inspecton")
    assert result.exit_code == 0
    assert result.stdout.startswith("osi.on-site-inspection  (OSI, treaty)")
    assert "best match for 'on-site inspecton': en on-site inspection" in result.stderr
    assert run("МСМ").stdout.startswith("ims.international-monitoring-system ")


def test_json_has_the_whole_record(run):
    result = run("ims.ims-network", "--format", "json")
    record = json.loads(result.stdout)
    assert list(record["terms"]) == ["ar", "zh", "en", "fr", "ru", "es"]
    assert record["terms"]["fr"][0] == {"text": "réseau du SSI", "type": "fullForm", "status": "proposed",
                                        "source": None, "note": None}
    assert record["sources"][0]["references"] == ["CTBT/WGB-62/INF.4 para. 37", "CTBT/WGB-62/INF.4 para. 49",
                                                  "CTBT/WGB-62/INF.4 para. 75"]
    assert record["related"][0] == {"id": "ims.international-monitoring-system",
                                    "en": "International Monitoring System"}
    assert record["matched"] is None


def test_nothing_matches_exits_1(run):
    result = run("zzzzqqq")
    assert result.exit_code == 1
    assert result.stdout == "" and "no concept matches 'zzzzqqq'" in result.stderr
