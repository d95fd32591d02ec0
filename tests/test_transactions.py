"""Writes to terms/ as one transaction: the lock, the journal, recovery, symlinks and a full disk."""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import glossary.fileio as fileio
from glossary.errors import TermFileError
from glossary.fileio import (JOURNAL_NAME, LOCK_NAME, atomic_write_bytes, recover_termbase, termbase_transaction,
                             write_term_files)
from glossary.termfile import load_termbase

SAMPLE = Path(__file__).parent / "fixtures" / "termfiles" / "good"


@pytest.fixture
def terms(tmp_path) -> Path:
    directory = tmp_path / "terms"
    directory.mkdir()
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        (directory / name).write_bytes(f"# {name} old\n[]\n".encode())
    return directory


def _state(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.name != LOCK_NAME}


NEW = {name: f"# {name} new\n[]\n".encode() for name in ("a.yaml", "b.yaml", "c.yaml")}


def test_a_transaction_writes_every_file_and_leaves_no_journal_or_temp(terms):
    written = write_term_files(terms, {terms / n: d for n, d in NEW.items()})
    assert sorted(Path(p).name for p in written) == ["a.yaml", "b.yaml", "c.yaml"]
    assert _state(terms) == NEW


def test_an_exception_inside_the_block_writes_nothing(terms):
    before = _state(terms)
    with pytest.raises(RuntimeError):
        with termbase_transaction(terms) as transaction:
            transaction.write(terms / "a.yaml", b"x: new\n")
            atomic_write_bytes(terms / "b.yaml", b"staged\n")  # the old function joins the transaction
            assert (terms / "b.yaml").read_bytes() == before["b.yaml"]
            raise RuntimeError("planning failed")
    assert _state(terms) == before


def _killed_after(monkeypatch, renames: int):
    """Make the ``renames``-th os.replace of a commit die as a killed process would (no clean-up runs)."""
    real_replace = os.replace
    count = [0]

    class Killed(BaseException):
        pass

    def replace(src, dst):
        count[0] += 1
        if count[0] > renames:
            raise Killed()
        return real_replace(src, dst)

    monkeypatch.setattr(fileio.os, "replace", replace)
    return Killed


@pytest.mark.parametrize("renames", [0, 1, 2, 3])
def test_a_kill_between_renames_leaves_old_or_new_after_recovery(terms, monkeypatch, renames):
    old = _state(terms)
    killed = _killed_after(monkeypatch, renames)
    with pytest.raises(killed):
        write_term_files(terms, {terms / n: d for n, d in NEW.items()})
    monkeypatch.undo()
    recover_termbase(terms)
    after = _state(terms)
    # rename 1 is the journal: before it nothing is committed, after it everything is
    assert after == (old if renames == 0 else NEW)


def test_a_reader_finishes_an_interrupted_write_before_reading(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "terms")
    terms = tmp_path / "terms"
    path = next(terms.glob("*.yaml"))
    new = path.read_bytes().replace(b"sample station", b"test station")
    killed = _killed_after(monkeypatch, 1)
    with pytest.raises(killed):
        write_term_files(terms, {path: new})
    monkeypatch.undo()
    assert (terms / JOURNAL_NAME).exists()
    assert load_termbase([terms])["ims.sample-station"].preferred("en") == "test station"
    assert not (terms / JOURNAL_NAME).exists()


def test_recovery_never_overwrites_a_file_edited_after_the_crash(terms, monkeypatch):
    killed = _killed_after(monkeypatch, 1)
    with pytest.raises(killed):
        write_term_files(terms, {terms / n: d for n, d in NEW.items()})
    monkeypatch.undo()
    (terms / "a.yaml").write_bytes(b"# edited by hand\n[]\n")
    with pytest.raises(TermFileError, match="a.yaml changed since it started"):
        recover_termbase(terms)
    assert (terms / "a.yaml").read_bytes() == b"# edited by hand\n[]\n"


def test_a_damaged_journal_stops_with_a_clear_error(terms):
    (terms / JOURNAL_NAME).write_text('{"version": 1, "files": []}')
    with pytest.raises(TermFileError, match="journal is damaged"):
        recover_termbase(terms)


def test_a_journal_naming_a_file_outside_the_termbase_is_refused(terms, tmp_path):
    body = {"version": 1, "txid": "x", "files": [{"target": "../outside.yaml", "temp": "../t", "old": None,
                                                    "new": "0" * 64, "shown": "x"}]}
    document = {**body, "checksum": fileio._journal_checksum(body)}
    (terms / JOURNAL_NAME).write_text(__import__("json").dumps(document))
    with pytest.raises(TermFileError, match="outside the termbase"):
        recover_termbase(terms)
    assert not (tmp_path / "outside.yaml").exists()


def test_a_full_disk_names_the_file_and_changes_nothing(terms, monkeypatch):
    before = _state(terms)
    real_fsync = os.fsync
    calls = [0]

    def full(fd):
        calls[0] += 1
        if calls[0] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(fileio.os, "fsync", full)
    with pytest.raises(OSError) as info:
        write_term_files(terms, {terms / n: d for n, d in NEW.items()})
    assert info.value.errno == errno.ENOSPC and info.value.filename == str(terms / "b.yaml")
    monkeypatch.undo()
    assert _state(terms) == before  # no temporary file left either


def test_a_second_writer_waits_then_fails_clearly(terms, monkeypatch):
    monkeypatch.setenv("GLOSSARY_LOCK_TIMEOUT", "0.2")
    holder = os.open(terms / LOCK_NAME, os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)
    try:
        with pytest.raises(TermFileError, match="another glossary command is writing this termbase"):
            write_term_files(terms, {terms / "a.yaml": b"x\n"})
    finally:
        os.close(holder)
    assert (terms / "a.yaml").read_bytes() == b"# a.yaml old\n[]\n"


def test_concurrent_read_modify_write_loses_no_update(terms):
    """Eight threads each append a line to the same file, reading it under the lock."""

    def append(n):
        with termbase_transaction(terms) as transaction:
            data = transaction.read(terms / "a.yaml")
            transaction.write(terms / "a.yaml", data + f"# line {n}\n".encode())

    threads = [threading.Thread(target=append, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    text = (terms / "a.yaml").read_text()
    assert all(f"# line {n}\n" in text for n in range(8))


def test_a_symlinked_term_file_is_written_through_and_stays_a_link(terms):
    (terms / "real").mkdir()
    target = terms / "real" / "linked.yaml"
    target.write_bytes(b"[]\n")
    (terms / "linked.yaml").symlink_to(Path("real") / "linked.yaml")
    write_term_files(terms, {terms / "linked.yaml": b"# new\n[]\n"})
    assert (terms / "linked.yaml").is_symlink() and target.read_bytes() == b"# new\n[]\n"


def test_a_symlink_out_of_the_termbase_is_refused(terms, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_bytes(b"[]\n")
    (terms / "out.yaml").symlink_to(outside)
    with pytest.raises(TermFileError, match="outside the termbase directory; refusing to write through it"):
        write_term_files(terms, {terms / "out.yaml": b"# new\n"})
    assert outside.read_bytes() == b"[]\n" and (terms / "out.yaml").is_symlink()


def test_a_symlinked_lock_file_is_refused(terms, tmp_path):
    (terms / LOCK_NAME).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(TermFileError, match="lock file is a symbolic link"):
        write_term_files(terms, {terms / "a.yaml": b"x\n"})
    assert not (tmp_path / "elsewhere").exists()


def test_two_merges_at_once_both_land(tmp_path, terms_dir):
    """Two `glossary merge` processes into the same domain file: one waits for the other, both concepts stay."""
    terms = tmp_path / "terms"
    terms.mkdir()
    shutil.copy(terms_dir / "osi.yaml", terms / "osi.yaml")
    proposals = []
    for n in (1, 2):
        path = tmp_path / f"p{n}.yaml"
        path.write_text(_proposal(f"osi.reliability-test-{'one' if n == 1 else 'two'}", n), encoding="utf-8")
        proposals.append(path)
    env = {**os.environ, "GLOSSARY_TERMS": str(terms)}
    procs = [subprocess.Popen([sys.executable, "-m", "glossary", "merge", str(p)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for p in proposals]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    termbase = load_termbase([terms])
    assert "osi.reliability-test-one" in termbase and "osi.reliability-test-two" in termbase


def _proposal(concept_id: str, n: int) -> str:
    zh = "测试概念" + "一二"[n - 1]
    return f"""- id: {concept_id}
  domain: OSI
  definition: A concept written by the reliability tests, number {n}.
  terms:
    ar:
      - {{text: مفهوم اختبار {n}, status: proposed}}
    zh:
      - {{text: {zh}, status: proposed}}
    en:
      - {{text: test concept {n}, status: proposed}}
    fr:
      - {{text: concept d'essai {n}, status: proposed}}
    ru:
      - {{text: тестовое понятие {n}, status: proposed}}
    es:
      - {{text: concepto de prueba {n}, status: proposed}}
"""
