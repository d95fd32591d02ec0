"""``glossary lookup``: output formats, exit statuses, the prompt, and what it imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from glossary.cli import cli

FIXTURE_TERMS = Path(__file__).resolve().parent / "fixtures" / "lookup" / "terms"


@pytest.fixture
def run(tmp_path):
    """Run ``glossary --terms FIXTURE lookup ARGS`` with a private cache directory."""
    def invoke(*args: str, terms: Path = FIXTURE_TERMS, input: str | None = None):
        runner = CliRunner()
        return runner.invoke(cli, ["--terms", str(terms), "lookup", "--cache-dir", str(tmp_path / "cache"), *args],
                             input=input)
    return invoke


def test_table_shows_the_concept_in_six_languages(run):
    result = run("intl monitoring systm", "--limit", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1. ims.international-monitoring-system  (IMS, networks)  score ")
    assert lines[1] == "   matched en fullForm, fuzzy: International Monitoring System"
    assert lines[2:8] == [
        "   ar  نظام الرصد الدولي",
        "   zh  国际监测系统",
        "   en  International Monitoring System",
        "   fr  Système de surveillance international",
        "   ru  Международная система мониторинга",
        "   es  Sistema Internacional de Vigilancia",
    ]
    assert "monitors compliance with the Treaty" in result.stdout


def test_arabic_match_ends_its_line(run):
    result = run("التَّفْتِيشُ المَوْقِعِيُّ", "--limit", "1")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == "   matched ar fullForm, exact: التفتيش الموقعي"


def test_words_of_an_unquoted_query_are_joined(run):
    result = run("inspection", "sur", "place", "--format", "json")
    assert json.loads(result.stdout)["query"] == "inspection sur place"


def test_json_lists_hits_with_score_and_matched_term(run):
    result = run("CID", "--format", "json", "--limit", "2")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    first = data["hits"][0]
    assert first["id"] == "idc.international-data-centre"
    assert first["score"] == 100.0
    assert first["matched"] == {"text": "CID", "lang": "fr", "type": "abbreviation", "status": "admitted",
                                "how": "exact"}
    assert first["terms"]["ru"] == "Международный центр данных"
    assert list(first["terms"]) == ["ar", "zh", "en", "fr", "ru", "es"]


def test_filters_reach_the_index(run):
    result = run("inspection", "--lang", "fr", "--domain", "OSI", "--format", "json")
    hits = json.loads(result.stdout)["hits"]
    assert hits and {h["matched"]["lang"] for h in hits} == {"fr"} and {h["domain"] for h in hits} == {"OSI"}


def test_no_match_exits_1_with_a_note_on_stderr(run):
    result = run("zzqxw")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "no match for 'zzqxw'\n"


def test_query_without_letters_exits_2_with_one_line(run):
    result = run("?!")
    assert result.exit_code == 2
    assert result.stderr == "error: query '?!' has no letters or digits to look up\n"


def test_unknown_language_is_a_usage_error(run):
    result = run("IMS", "--lang", "de")
    assert result.exit_code == 2
    assert "Invalid value for '--lang'" in result.stderr


def test_off_a_terminal_queries_are_read_one_a_line_and_answered_as_json_lines(run):
    result = run("--format", "json", "--limit", "1", input="MCM\n\nintl monitoring systm\n")
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(a["query"], a["hits"][0]["id"]) for a in answers] == [
        ("MCM", "ims.international-monitoring-system"), ("intl monitoring systm", "ims.international-monitoring-system")]
    assert answers[0]["hits"][0]["matched"]["text"] == "МСМ"


def test_off_a_terminal_a_query_without_match_or_letters_exits_1_and_the_rest_are_answered(run):
    result = run("--limit", "1", input="zzqxv\n???\nIMS\n")
    assert result.exit_code == 1
    assert result.stdout.startswith("== IMS\n1. ims.international-monitoring-system")
    assert result.stderr.splitlines() == ["no match for 'zzqxv'", "error: line 2: query '???' has no letters or digits to look up"]


def test_prompt_answers_each_line_until_end_of_input(run, monkeypatch):
    import glossary.commands.lookup as command

    monkeypatch.setattr(command, "_stdin_is_terminal", lambda: True)
    result = run("--limit", "1", input="МСМ\n\n???\nequipe inspection\n")
    assert result.exit_code == 0
    assert "1. ims.international-monitoring-system" in result.stdout
    assert "1. osi.inspection-team" in result.stdout
    assert "error: query '???' has no letters or digits" in result.stderr


def test_bad_term_file_is_one_line_with_path_and_exit_2(run, tmp_path):
    terms = tmp_path / "terms"
    terms.mkdir()
    (terms / "bad.yaml").write_text("- id: ims.x\n  domain: [\n", encoding="utf-8")
    result = run("IMS", terms=terms)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{terms / 'bad.yaml'}:")
    assert ": error: malformed YAML" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_real_termbase_answers_a_russian_abbreviation(run, terms_dir):
    result = run("МСМ", "--limit", "1", terms=terms_dir)
    assert result.exit_code == 0
    assert result.stdout.startswith("1. ims.international-monitoring-system ")
    assert "   ar  نظام الرصد الدولي" in result.stdout


_MODULES_AFTER_LOOKUP = """
import sys
from glossary.cli import cli
try:
    cli(["lookup", "IMS", "--limit", "1"], prog_name="glossary")
except SystemExit as exit:
    assert exit.code == 0, exit.code
print(" ".join(sorted(sys.modules)), file=sys.stderr)
"""


def test_lookup_imports_nothing_it_does_not_need(tmp_path, terms_dir):
    """A fresh interpreter: no jieba, polib or babel ever; with a warm cache, no YAML and no numpy either."""
    env = {**os.environ, "GLOSSARY_CACHE_DIR": str(tmp_path / "cache"), "GLOSSARY_TERMS": str(terms_dir)}

    def modules() -> set[str]:
        done = subprocess.run([sys.executable, "-c", _MODULES_AFTER_LOOKUP], env=env, capture_output=True,
                              text=True, check=True)
        return {name.split(".")[0] for name in done.stderr.split()}

    cold, warm = modules(), modules()
    assert not {"jieba", "polib", "babel"} & cold
    assert not {"jieba", "polib", "babel", "yaml", "numpy"} & warm
    assert "rapidfuzz" in warm


def test_prompt_ends_at_colon_q(run, monkeypatch):
    import glossary.commands.lookup as command

    monkeypatch.setattr(command, "_stdin_is_terminal", lambda: True)
    result = run("--limit", "1", input="МСМ\n:q\nequipe inspection\n")
    assert result.exit_code == 0
    assert "1. ims.international-monitoring-system" in result.stdout
    assert "osi.inspection-team" not in result.stdout


def test_a_short_query_is_not_matched_to_abbreviations_one_letter_away(run):
    result = run("IMS", "--lang", "fr", "--format", "json")
    assert result.exit_code == 1  # SSI is the French abbreviation; ITM and ISP are other concepts
    assert '"hits": []' in result.stdout


@pytest.mark.parametrize("query", ["infrasond", "database", "basic station"])
def test_a_two_letter_abbreviation_is_not_found_inside_longer_words(run, terms_dir, query):
    result = run(query, "--format", "json", "--limit", "1", terms=terms_dir)
    assert result.exit_code in (0, 1)
    assert "ims.auxiliary-seismic-station" not in result.stdout  # its abbreviation is AS


def test_a_chinese_typo_prefers_the_term_it_misspells_to_a_subsequence(run, terms_dir):
    import json

    result = run("国际数据中新", "--format", "json", "--limit", "1", terms=terms_dir)
    assert json.loads(result.stdout)["hits"][0]["id"] == "idc.international-data-centre"


def test_unconfirmed_equivalents_are_marked_proposed(run, terms_dir):
    import json

    result = run("IMS station", "--format", "json", "--limit", "1", terms=terms_dir)
    concept = json.loads(result.stdout)["hits"][0]
    assert concept["id"] == "ims.ims-station" and concept["statuses"]["en"] == "preferred"
    assert set(concept["statuses"]) == {"ar", "zh", "en", "fr", "ru", "es"}
    table = run("IMS station", "--limit", "1", terms=terms_dir).stdout
    proposed = [lang for lang, status in concept["statuses"].items() if status == "proposed"]
    assert proposed
    assert all(f"   {lang}  (proposed) " in table for lang in proposed)
