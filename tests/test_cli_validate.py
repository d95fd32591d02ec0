"""``glossary validate`` and ``glossary stats`` through click, as a user runs them."""

from __future__ import annotations

import json
import shutil

from click.testing import CliRunner

from glossary.cli import cli

from conftest import FIXTURES

BAD = FIXTURES / "termfiles" / "bad"
GOOD = FIXTURES / "termfiles" / "good"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_validate_clean_file_exits_0():
    result = run("validate", str(GOOD))
    assert result.exit_code == 0
    assert result.stdout == ""


def test_validate_prints_path_line_level_message_and_exits_2():
    result = run("validate", str(BAD / "python-tag.yaml"))
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"{BAD / 'python-tag.yaml'}:19: error: YAML tag '!!python/object/apply:os.system' is not allowed in a term file"]
    assert "Traceback" not in result.output


def test_validate_warnings_only_exit_1():
    assert run("validate", str(BAD / "shared-preferred.yaml")).exit_code == 1


def test_validate_json_lists_findings():
    result = run("validate", "--format", "json", str(BAD / "no-preferred.yaml"))
    assert result.exit_code == 2
    assert json.loads(result.stdout) == [{"path": str(BAD / "no-preferred.yaml"), "line": 10, "level": "error",
                                          "message": "concept ims.sample-station: en has no preferred term"}]


def test_commands_that_load_a_bad_termbase_print_one_line_and_exit_2(tmp_path):
    shutil.copy(BAD / "not-utf8.yaml", tmp_path / "x.yaml")
    result = run("--terms", str(tmp_path), "stats")
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path / 'x.yaml'}:16: error: not UTF-8 (byte 0xf3); save the file as UTF-8\n"


def test_missing_termbase_directory_is_a_clear_error(tmp_path):
    result = run("--terms", str(tmp_path / "none"), "stats")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'none'}: error: termbase directory not found")


def test_stats_json_on_fixture():
    result = run("--terms", str(GOOD), "stats", "--format", "json")
    data = json.loads(result.stdout)
    assert data["concepts"] == 2
    assert data["by_domain"] == {"IMS": 2, "IDC": 0, "OSI": 0, "general": 0, "treaty": 0}
    assert data["languages"]["es"]["proposed"] == 2
    assert data["languages"]["ar"]["with_preferred_share"] == 1.0


def test_stats_table_names_languages():
    result = run("--terms", str(GOOD), "stats")
    assert "2 concepts: IMS 2, IDC 0, OSI 0, general 0" in result.stdout
    assert "Arabic" in result.stdout and "Chinese" in result.stdout


def test_version_and_help():
    assert run("--version").stdout.startswith("glossary, version ")
    assert "validate" in run("--help").stdout


def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("--terms", str(GOOD), "export", "po", "--out", str(blocker / "locales"))
    assert result.exit_code == 2
    assert result.stderr.startswith(str(blocker))
    assert ": error: " in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.splitlines()) == 1


def test_validating_one_term_file_resolves_links_into_the_rest_of_the_termbase(terms_dir):
    result = run("--terms", str(terms_dir), "validate", str(terms_dir / "ims.yaml"))
    assert "does not exist" not in result.stdout
    assert result.exit_code in (0, 1) and ": error:" not in result.stdout, result.stdout


def test_a_broken_pipe_never_reports_success(monkeypatch):
    """`glossary validate | head`: the reader went away, so the run did not finish; exit as SIGPIPE would."""
    import subprocess
    import sys

    code = ("import sys; from glossary.cli import main; sys.argv = ['glossary', 'mine', '--top', '0', "
            "'--format', 'tsv']; main()")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # before the command writes anything: its first write meets a closed pipe
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141, err
    assert b"Traceback" not in err


def test_an_empty_termbase_directory_is_an_error(tmp_path):
    result = run("--terms", str(tmp_path), "stats")
    assert result.exit_code == 2
    assert result.stderr == f"{tmp_path}: error: no term files (*.yaml) in the termbase directory (use --terms DIR)\n"


def test_commands_that_write_refuse_the_termbase_installed_with_the_tool(tmp_path):
    from glossary.resources import BUNDLED_REPORT

    bundled = BUNDLED_REPORT.parent  # inside the package, as the installed termbase is
    for args in (["import-po", str(tmp_path / "fr.po")], ["merge", str(tmp_path / "p.yaml")]):
        (tmp_path / "fr.po").write_text("", encoding="utf-8")
        (tmp_path / "p.yaml").write_text("[]\n", encoding="utf-8")
        result = run("--terms", str(bundled), *args)
        assert result.exit_code == 2, args
        assert "installed with the tool and is read-only" in result.stderr


def test_tables_fit_a_terminal_width_with_an_ellipsis():
    from glossary.commands._common import render_table

    table = render_table([["1", "国际监测系统台站坐标变更", "x" * 100]], ["rank", "term", "context"], max_width=60)
    assert all(len(line) <= 60 for line in table.splitlines())
    assert "国际监测系统台站坐标变更" in table and table.splitlines()[2].endswith("\u2026")
