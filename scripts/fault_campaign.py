"""Fault campaign: attack every reader and writer of the termbase on a scratch copy and count what broke.

Sections (counts are options; the defaults are the issue's figures):

- term files: mutation fuzzing of slices of the curated term files (byte flips, cuts, YAML aliases and
  alias bombs, tags, control characters, deep nesting...): ``parse_term_file`` must answer in under a
  second and never raise; ``glossary validate`` must exit 0/1/2 without a traceback.
- PO files: mutated exported catalogs (cuts, flips, wrong charsets, bad escapes, duplicates, MO files,
  invalid terms, edits) through ``import_catalogs``: refused whole with the term files untouched, or
  applied with no new validation error, no term lost, and no change the mutation did not intend
  (a cut or a wrong charset must never change a term).
- text inputs: mutated documents through ``read_document`` and random queries through lookup.
- kills: ``glossary merge`` and ``glossary import-po`` (four term files each) killed by ``strace -e inject``
  at every rename, fsync, unlink and write in turn, then at random times; afterwards the termbase must be
  exactly the old or the new one, and a re-run must end at the new one.
- concurrent pairs: two writers at once (merge+merge, import+import, merge+import) into the same file:
  both changes must land.
- full disks: a small tmpfs filled to leave 0 bytes .. a few KB (strace-injected ENOSPC where mount is not
  permitted): exit 2 naming a file and the old termbase, or success; then a re-run with space succeeds.
- path attacks: symlinks in and out of the termbase, FIFOs, devices, tampered journals, lock-file links,
  hard links; nothing may be written outside the termbase and nothing may hang.
- caches: damaged parsed-termbase, lookup and jieba tag caches (cuts, flips, garbage, re-checksummed payloads
  of the wrong shape, out-of-range references): every answer must equal the one from the term files.

Prints a table: inputs tried, failures, data lost. ``--quick`` divides every count by ten.

    python scripts/fault_campaign.py [--seed 12] [--quick] [--jobs 2]
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import hashlib
import io
import json
import marshal
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import polib  # noqa: E402
from click.testing import CliRunner  # noqa: E402

import glossary.cache as cache  # noqa: E402
import glossary.lookup as lookup  # noqa: E402
from glossary.catalogs import po_path, render_catalogs, write_catalogs  # noqa: E402
from glossary.cli import cli  # noqa: E402
from glossary.corpus import read_document  # noqa: E402
from glossary.errors import GlossaryError  # noqa: E402
from glossary.fileio import JOURNAL_NAME, LOCK_NAME, recover_termbase  # noqa: E402
from glossary.model import LANGUAGES  # noqa: E402
from glossary.po_import import import_catalogs  # noqa: E402
from glossary.proposals import merge_proposals  # noqa: E402
from glossary.termfile import load_termbase, normalise_text, parse_term_file  # noqa: E402
from glossary.termfile_edit import apply_line_edits  # noqa: E402

DOMAIN_FILES = ("general.yaml", "idc.yaml", "ims.yaml", "osi.yaml")
CONCEPTS_PER_FILE = 12


@dataclass
class Section:
    name: str
    tried: int = 0
    failures: int = 0
    lost: int = 0
    examples: list[str] = field(default_factory=list)
    note: str = ""

    def fail(self, what: str, lost: bool = False) -> None:
        self.failures += 1
        self.lost += lost
        if len(self.examples) < 5:
            self.examples.append(what)


# --- the scratch termbase ----------------------------------------------------------------------------------


def scratch_terms(target: Path) -> Path:
    """The first concepts of each curated term file, text and comments as written."""
    target.mkdir(parents=True)
    for name in DOMAIN_FILES:
        text = (ROOT / "terms" / name).read_text(encoding="utf-8")
        starts = [m.start() for m in re.finditer(r"(?m)^- id: ", text)]
        cut = starts[CONCEPTS_PER_FILE] if len(starts) > CONCEPTS_PER_FILE else len(text)
        (target / name).write_text(text[:cut].rstrip("\n") + "\n", encoding="utf-8")
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())
            if p.is_file() and p.name not in (LOCK_NAME,)}


def restore(directory: Path, state: dict[str, bytes]) -> None:
    for path in list(directory.iterdir()):
        if path.name == LOCK_NAME:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.name not in state or path.is_symlink() or path.read_bytes() != state[path.name]:
            path.unlink()
    for name, data in state.items():
        if not (directory / name).exists():
            (directory / name).write_bytes(data)


@dataclass
class Reading:
    """What the campaign compares before and after: validation errors, every term, every head term."""

    errors: set[str]
    texts: dict[tuple[str, str], set[str]]
    heads: dict[tuple[str, str], str]


def read_state(directory: Path) -> Reading:
    """One parse of the term files; raises GlossaryError when they do not load."""
    from glossary.termfile import read_term_file
    from glossary.validate import check_termbase

    concepts, errors = [], set()
    for path in sorted(directory.glob("*.yaml")):
        parsed = read_term_file(path)
        errors |= {f.message for f in parsed.errors}
        concepts.extend(parsed.concepts)
    errors |= {f.message for f in check_termbase(concepts) if f.level == "error"}
    texts = {(c.id, lang): {" ".join(t.text.casefold().split()) for t in terms}
             for c in concepts for lang, terms in c.terms.items()}
    heads = {(c.id, lang): h.text for c in concepts for lang in LANGUAGES if (h := c.head_term(lang)) is not None}
    return Reading(errors, texts, heads)


# --- term files ----------------------------------------------------------------------------------------------

_YAML_SNIPPETS = [
    "&a [x, x]", "*a", "!!python/object:os.system", "!!binary aGVsbG8=", "{", "[", "]", "- - - -", "? x", "<<: *a",
    "\t", "\x1b", "\x00", "\ufeff", "\u202e", "~", "null", "'", '"', "%YAML 1.1", "---", "...", "id:", "terms:",
    "|", ">-", "#", "\r", "\r\n", "x" * 5000, "[" * 2000, "{a: " * 300,
]


def alias_bomb(levels: int) -> bytes:
    nested = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        nested.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return ("- " + "\n  ".join(nested) + "\n").encode()


def mutate_bytes(rng: random.Random, data: bytes, snippets: list[str]) -> bytes:
    kind = rng.randrange(7)
    pos = rng.randrange(len(data) + 1)
    if kind == 0:  # flip a byte
        if not data:
            return data
        pos = min(pos, len(data) - 1)
        return data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1:]
    if kind == 1:  # cut
        return data[:pos]
    if kind == 2:  # insert a snippet
        return data[:pos] + rng.choice(snippets).encode("utf-8") + data[pos:]
    if kind == 3:  # delete a span
        return data[:pos] + data[pos + rng.randrange(1, 200):]
    if kind == 4:  # duplicate a span
        span = data[pos:pos + rng.randrange(1, 400)]
        return data[:pos] + span + span + data[pos:]
    if kind == 5:  # a random byte
        return data[:pos] + bytes([rng.randrange(256)]) + data[pos:]
    lines = data.split(b"\n")  # swap two lines
    if len(lines) > 2:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def campaign_term_files(count: int, rng: random.Random, work: Path) -> Section:
    section = Section("term files (mutated)")
    terms = scratch_terms(work / "tf-terms")
    seeds = [p.read_bytes() for p in sorted(terms.glob("*.yaml"))]
    runner = CliRunner()
    probe = work / "tf-probe"
    for n in range(count):
        if n % 40 == 0:
            data = alias_bomb(rng.randrange(6, 12))
        else:
            data = rng.choice(seeds)
            for _ in range(rng.randrange(1, 4)):
                data = mutate_bytes(rng, data, _YAML_SNIPPETS)
        section.tried += 1
        start = time.perf_counter()
        try:
            parsed = parse_term_file(data, "fuzz.yaml")
            if not parsed.errors:
                with contextlib.suppress(GlossaryError):
                    apply_line_edits(data, "fuzz.yaml", {})
        except Exception as exc:  # noqa: BLE001
            section.fail(f"parse raised {type(exc).__name__}: {exc}")
            continue
        if time.perf_counter() - start > 1.0:
            section.fail(f"parse took {time.perf_counter() - start:.1f} s")
            continue
        if n % 5 == 0:  # the CLI on a directory holding it: one line per problem, never a traceback
            if probe.exists():
                shutil.rmtree(probe)
            probe.mkdir()
            (probe / "fuzz.yaml").write_bytes(data)
            result = runner.invoke(cli, ["--terms", str(probe), "validate"])
            if result.exit_code not in (0, 1, 2) or (result.exception and not isinstance(result.exception, SystemExit)) \
                    or "Traceback" in result.output:
                section.fail(f"validate exit {result.exit_code}: {result.exception!r}")
    return section


# --- PO files ------------------------------------------------------------------------------------------------

#: msgstr texts validate rejects (control characters, no letters, the wrong script, nothing) ...
_BAD_TEXTS = ["Traité\x1b", "Traité\x7f", "→ ★", "<wrong script>", "  "]
#: ... and texts that become valid ones once import strips format characters and collapses spaces.
_NORMALISED_TEXTS = ["T\u200braité", "a\tb", "\u00a0x", " x  y "]
_CHARSETS = ["latin1", "ISO-8859-1", "cp1252", "ascii", "koi8-r", "bogus-charset", "CHARSET", "utf-16", "gb2312"]
STRICT = {"cut", "charset", "escape", "dup-disagree", "mo", "empty", "language", "bad-text", "nul"}


def _edited_text(rng: random.Random, text: str) -> str:
    letters = [i for i, c in enumerate(text) if c.isalpha()]
    if not letters:
        return text
    i = rng.choice(letters)
    return text[:i] + text[i] + text[i:]  # a doubled letter: same script, a real change


def mutate_po(rng: random.Random, po_file: Path, out: Path) -> tuple[str, dict[tuple[str, str], str]]:
    """Write a mutated catalog to ``out``; returns the mutation and the (msgctxt, lang) -> text it intends."""
    data = po_file.read_bytes()
    catalog = polib.pofile(str(po_file))
    lang = catalog.metadata["Language"].split("_")[0]
    entries = [e for e in catalog if e.msgstr and not e.msgctxt.endswith("#abbreviation")]
    kind = rng.choice(["cut", "flip", "charset", "escape", "dup-disagree", "dup-same", "language", "mo", "empty",
                       "delete-line", "edit", "bad-text", "unfuzzy", "crlf", "bom", "insert-line", "nul", "normalised",
                       "edit", "edit", "cut", "cut"])
    intended: dict[tuple[str, str], str] = {}
    if kind == "cut":
        out.write_bytes(data[:rng.randrange(len(data))])
    elif kind == "flip":
        pos = rng.randrange(len(data))
        out.write_bytes(data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1:])
    elif kind == "charset":
        out.write_bytes(data.replace(b"charset=UTF-8", b"charset=" + rng.choice(_CHARSETS).encode()))
    elif kind == "escape":
        entry = rng.choice(entries)
        entry.msgstr += "\\" + rng.choice("qxaz0")
        text = str(catalog).replace(entry.msgstr.replace("\\", "\\\\"), entry.msgstr)  # raw backslash into the file
        out.write_text(text, encoding="utf-8")
    elif kind in ("dup-disagree", "dup-same"):
        entry = rng.choice(entries)
        copy = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr, comment=entry.comment)
        if kind == "dup-disagree":
            copy.msgstr = _edited_text(rng, entry.msgstr)
        catalog.append(copy)
        out.write_text(str(catalog), encoding="utf-8")
    elif kind == "language":
        other = rng.choice([x for x in ("fr", "es", "ru", "ar", "en", "zh_Hans", "de", "") if x.split("_")[0] != lang])
        catalog.metadata["Language"] = other
        out.write_text(str(catalog), encoding="utf-8")
    elif kind == "mo":
        catalog.save_as_mofile(str(out))
    elif kind == "empty":
        out.write_bytes(rng.choice([b"", b"\n\n", b"   "]))
    elif kind == "delete-line":
        lines = data.split(b"\n")
        del lines[rng.randrange(len(lines))]
        out.write_bytes(b"\n".join(lines))
    elif kind == "insert-line":
        lines = data.split(b"\n")
        lines.insert(rng.randrange(len(lines)), rng.choice([b"garbage", b'msgstr "x"', b'"', b"msgid", b"#, fuzzy"]))
        out.write_bytes(b"\n".join(lines))
    elif kind in ("edit", "bad-text", "nul", "normalised"):
        for entry in rng.sample(entries, min(len(entries), rng.randrange(1, 4))):
            if kind == "edit":
                entry.msgstr = _edited_text(rng, entry.msgstr)
                intended[(entry.msgctxt, lang)] = normalise_text(entry.msgstr)
            elif kind == "nul":
                entry.msgstr += "\x00"
            elif kind == "normalised":
                entry.msgstr = rng.choice(_NORMALISED_TEXTS)
            else:
                entry.msgstr = rng.choice(_BAD_TEXTS).replace("<wrong script>", "Договор" if lang == "zh" else "条约")
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        out.write_bytes(str(catalog).encode("utf-8"))
    elif kind == "unfuzzy":
        for entry in catalog:
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                intended[(entry.msgctxt, lang)] = normalise_text(entry.msgstr)
        out.write_text(str(catalog), encoding="utf-8")
    elif kind == "crlf":
        out.write_bytes(data.replace(b"\n", b"\r\n"))
    else:  # bom
        out.write_bytes(b"\xef\xbb\xbf" + data)
    return kind, intended


def campaign_po_files(count: int, rng: random.Random, work: Path) -> Section:
    section = Section("PO files (mutated, import-po)")
    terms = scratch_terms(work / "po-terms")
    locales = work / "po-locales"
    write_catalogs(locales, render_catalogs(load_termbase([terms])))
    pristine = snapshot(terms)
    baseline = read_state(terms)
    catalogs = [locales / po_path(lang) for lang in LANGUAGES if lang != "en"]
    for n in range(count):
        source = rng.choice(catalogs)
        mutated = work / f"mutated-{n % 7}.po"
        kind, intended = mutate_po(rng, source, mutated)
        section.tried += 1
        try:
            import_catalogs(terms, [mutated])
        except GlossaryError:
            if snapshot(terms) != pristine:
                section.fail(f"{kind}: refused but term files changed", lost=True)
            restore(terms, pristine)
            continue
        except Exception as exc:  # noqa: BLE001
            section.fail(f"{kind}: {type(exc).__name__}: {exc}")
            restore(terms, pristine)
            continue
        if snapshot(terms) == pristine:
            continue  # nothing written: nothing to check
        try:
            after = read_state(terms)
            errors, texts, now = after.errors - baseline.errors, after.texts, after.heads
        except GlossaryError as exc:
            section.fail(f"{kind}: the result does not load: {exc}", lost=True)
            restore(terms, pristine)
            continue
        if errors:
            section.fail(f"{kind}: new validation errors: {sorted(errors)[:2]}")
        missing = [key for key, old in baseline.texts.items()
                   if not old <= texts.get(key, set()) and not _spelling_fix(old, texts.get(key, set()))]
        if missing:
            section.fail(f"{kind}: terms lost in {missing[:3]}", lost=True)
        changed = {key: text for key, text in now.items() if baseline.heads.get(key) != text}
        if kind in STRICT:
            unintended = {k: v for k, v in changed.items() if intended.get(k) != v}
            if unintended:
                section.fail(f"{kind}: changed terms it must not: {list(unintended.items())[:2]}")
        elif kind in ("edit", "unfuzzy"):
            wrong = {k: v for k, v in changed.items() if k in intended and intended[k] != v
                     or k not in intended}
            if wrong:
                section.fail(f"{kind}: changes not asked for: {list(wrong.items())[:2]}")
        restore(terms, pristine)
    return section


def _spelling_fix(old: set[str], new: set[str]) -> bool:
    """A head term whose case or spacing alone was corrected is replaced, not lost."""
    return len(old - new) <= 1 and len(new - old) <= 1 and \
        {t.replace(" ", "") for t in old - new} == {t.replace(" ", "") for t in new - old}


# --- text inputs ---------------------------------------------------------------------------------------------


def campaign_texts(count: int, rng: random.Random, work: Path) -> Section:
    from glossary.errors import InputError
    from glossary.lookup import LookupIndex, QueryError
    from glossary.resources import BUNDLED_REPORT

    section = Section("text inputs (documents, queries)")
    report = BUNDLED_REPORT.read_bytes()[:20000]
    index = LookupIndex.build(load_termbase([ROOT / "terms"]))
    for n in range(count):
        section.tried += 1
        if n % 2 == 0:
            data = report
            for _ in range(rng.randrange(1, 5)):
                data = mutate_bytes(rng, data, ["\x00", "\ufeff", "\r", "\u3000", "。", "\x1b", "\xff\xfe"])
            if rng.random() < 0.2:
                data = rng.choice([b"\xff\xfe" + data, b"\xfe\xff" + data, data.decode("utf-8", "ignore").encode(
                    "utf-16"), data.decode("utf-8", "ignore").encode("gb18030", "ignore")])
            path = work / "doc.txt"
            path.write_bytes(data)
            try:
                read_document(path)
            except InputError:
                pass
            except Exception as exc:  # noqa: BLE001
                section.fail(f"read_document raised {type(exc).__name__}: {exc}")
        else:
            alphabet = "abcdefgh IMSistémaон国际监测系统نظام\u200b\x00\ufeff-.()'*%\\"
            query = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
            try:
                index.search(query, lang=rng.choice([None, *LANGUAGES]), limit=rng.randrange(1, 10))
            except QueryError:
                pass
            except Exception as exc:  # noqa: BLE001
                section.fail(f"lookup {query!r} raised {type(exc).__name__}: {exc}")
    return section


# --- writers: proposals and PO edits that touch all four files --------------------------------------------------


def proposals_text(tag: str) -> str:
    blocks = []
    for domain, prefix in (("general", "general"), ("IDC", "idc"), ("IMS", "ims"), ("OSI", "osi")):
        slug = f"{prefix}.campaign-{tag}"
        blocks.append(f"""- id: {slug}
  domain: {domain}
  definition: A concept added by the fault campaign ({tag}, {domain}).
  terms:
    ar:
      - {{text: مفهوم الحملة {tag}, status: proposed}}
    zh:
      - {{text: 故障测试{''.join(chr(0x4e00 + (ord(c) * 7 + i) % 20000) for i, c in enumerate(tag + prefix))}, status: proposed}}
    en:
      - {{text: campaign concept {tag} {prefix}, status: proposed}}
    fr:
      - {{text: concept de campagne {tag} {prefix}, status: proposed}}
    ru:
      - {{text: понятие кампании {tag} {prefix}, status: proposed}}
    es:
      - {{text: concepto de campaña {tag} {prefix}, status: proposed}}
""")
    return "\n".join(blocks)


def po_edit(locales: Path, terms: Path, out: Path, lang: str, pick: int, suffix: str) -> None:
    """A catalog in which one concept of every domain file gets a new head term."""
    catalog = polib.pofile(str(locales / po_path(lang)))
    termbase = load_termbase([terms])
    chosen = set()
    for name in DOMAIN_FILES:
        ids = [c.id for c in termbase.values() if c.origin.path.endswith(name)]
        chosen.add(ids[pick % len(ids)])
    for entry in catalog:
        if entry.msgctxt in chosen:
            entry.msgstr = entry.msgstr + " " + suffix
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.save(str(out))


class Writers:
    """A scratch termbase with one merge and one import-po that each change all four files, and their results."""

    def __init__(self, work: Path):
        self.work = work
        self.terms = scratch_terms(work / "terms")
        self.locales = work / "locales"
        write_catalogs(self.locales, render_catalogs(load_termbase([self.terms])))
        self.old = snapshot(self.terms)
        self.proposals = work / "proposals.yaml"
        self.proposals.write_text(proposals_text("k"), encoding="utf-8")
        self.po = work / "edit.po"
        po_edit(self.locales, self.terms, self.po, "fr", 3, "modifié")
        self.new = {}
        for name in ("merge", "import"):
            self.run_inprocess(name)
            self.new[name] = snapshot(self.terms)
            restore(self.terms, self.old)
        assert all(self.new[k] != self.old for k in self.new), "the reference runs changed nothing"

    def argv(self, name: str) -> list[str]:
        if name == "merge":
            return ["merge", str(self.proposals)]
        return ["import-po", str(self.po)]

    def run_inprocess(self, name: str) -> None:
        if name == "merge":
            merge_proposals(self.proposals, self.terms)
        else:
            import_catalogs(self.terms, [self.po])


def glossary_cmd(terms: Path, argv: list[str]) -> list[str]:
    return [sys.executable, "-m", "glossary", "--terms", str(terms), *argv]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "GLOSSARY_LOCK_TIMEOUT": "120"}


def check_after_interruption(section: Section, writers: Writers, name: str, what: str) -> None:
    """After a kill or a failure: recovery gives old or new exactly, and a re-run ends at new."""
    try:
        recover_termbase(writers.terms)
    except GlossaryError as exc:
        section.fail(f"{what}: recovery refused: {exc}", lost=True)
        restore(writers.terms, writers.old)
        return
    state = snapshot(writers.terms)
    if state not in (writers.old, writers.new[name]):
        section.fail(f"{what}: neither old nor new after recovery ({sorted(state)})", lost=True)
    try:
        writers.run_inprocess(name)
    except GlossaryError as exc:
        if not (name == "merge" and "already in the termbase" in exc.message and state == writers.new[name]):
            section.fail(f"{what}: re-run refused: {exc}")
    if snapshot(writers.terms) != writers.new[name]:
        section.fail(f"{what}: the re-run did not end at the new termbase", lost=True)
    restore(writers.terms, writers.old)


# --- kills ---------------------------------------------------------------------------------------------------


def campaign_kills(count: int, rng: random.Random, work: Path, jobs: int) -> Section:
    section = Section("kills (strace inject, random SIGKILL)")
    if shutil.which("strace") is None:
        section.fail("strace is not installed: deterministic kills not run")
    plans: list[tuple[str, str | None, int | float]] = []
    for name in ("merge", "import"):
        for syscall, most in (("rename", 7), ("fsync", 14), ("unlink", 4), ("write", 16)):
            for when in range(1, most + 1):
                plans.append((name, syscall, when))
    plans = plans[:count] if shutil.which("strace") else []
    while len(plans) < count:
        plans.append((rng.choice(["merge", "import"]), None, rng.uniform(0.3, 3.0)))
    lock = threading.Lock()
    slots = [Writers(work / f"kill-{i}") for i in range(jobs)]
    free = list(range(jobs))

    def one(plan):
        name, syscall, when = plan
        with lock:
            slot = free.pop()
        writers = slots[slot]
        try:
            cmd = glossary_cmd(writers.terms, writers.argv(name))
            if syscall is not None:
                cmd = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={syscall}",
                       "-e", f"inject={syscall}:signal=KILL:when={when}", *cmd]
                proc = subprocess.run(cmd, env=_env(), capture_output=True, timeout=300)
                killed = proc.returncode in (-9, 137)
            else:
                proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                time.sleep(when)
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                killed = proc.returncode == -9
            local = Section("x", note="killed" if killed else "")
            check_after_interruption(local, writers, name, f"{name} killed at {syscall or 'time'} {when}"
                                     + ("" if killed else " (finished first)"))
            return local
        finally:
            with lock:
                free.append(slot)

    killed = 0
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for local in pool.map(one, plans):
            killed += local.note == "killed"
            section.tried += 1
            section.failures += local.failures
            section.lost += local.lost
            section.examples.extend(local.examples[:5 - len(section.examples)])
    deterministic = sum(1 for plan in plans if plan[1] is not None)
    section.note = (f"{deterministic} at the n-th rename/fsync/unlink/write, {len(plans) - deterministic} at random "
                    f"times; {killed} died mid-command, the others had finished")
    return section


# --- concurrent writers ---------------------------------------------------------------------------------------


def campaign_pairs(count: int, rng: random.Random, work: Path) -> Section:
    section = Section("concurrent writer pairs")
    base = work / "pairs"
    terms = scratch_terms(base / "terms")
    locales = base / "locales"
    write_catalogs(locales, render_catalogs(load_termbase([terms])))
    pristine = snapshot(terms)
    for n in range(count):
        kind = ("merge+merge", "import+import", "merge+import")[n % 3]
        jobs = []
        for side in (0, 1):
            what = kind.split("+")[side]
            if what == "merge":
                path = base / f"p{side}.yaml"
                path.write_text(proposals_text(f"n{n}s{side}"), encoding="utf-8")
                jobs.append((["merge", str(path)], ("merge", f"n{n}s{side}")))
            else:
                path = base / f"e{side}.po"
                lang = ("fr", "es")[side]
                po_edit(locales, terms, path, lang, n + side * 7, f"v{n}")
                jobs.append((["import-po", str(path)], ("import", lang, n + side * 7, f"v{n}")))
        section.tried += 1
        procs = [subprocess.Popen(glossary_cmd(terms, argv), env=_env(), stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE) for argv, _ in jobs]
        codes = [(p.wait(timeout=300), p.stderr.read().decode()) for p in procs]
        if any(code != 0 for code, _ in codes):
            section.fail(f"{kind}: exit {[c for c, _ in codes]}: {[e.strip()[:120] for _, e in codes]}")
        termbase = load_termbase([terms])
        for _, expect in jobs:
            if expect[0] == "merge":
                if f"osi.campaign-{expect[1]}" not in termbase:
                    section.fail(f"{kind}: merged concept {expect[1]} lost", lost=True)
            else:
                _, lang, _, suffix = expect
                if not any((h := c.head_term(lang)) is not None and h.text.endswith(" " + suffix)
                           for c in termbase.values()):
                    section.fail(f"{kind}: {lang} edit lost", lost=True)
        restore(terms, pristine)
    return section


# --- full disks ------------------------------------------------------------------------------------------------


def _mount_tmpfs(path: Path, size: int) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


def campaign_full_disk(count: int, rng: random.Random, work: Path) -> Section:
    section = Section("full disks (tmpfs or injected ENOSPC)")
    mount = work / "disk"
    use_tmpfs = _mount_tmpfs(mount, 4 * 1024 * 1024)
    refused = 0
    try:
        writers = Writers(mount / "w" if use_tmpfs else work / "disk-w")
        for n in range(count):
            name = ("merge", "import")[n % 2]
            section.tried += 1
            filler = writers.work.parent / "filler"
            if use_tmpfs:
                _fill(filler, leave=rng.choice([0, 0, 512, 4096, 20_000, 60_000, 150_000, 300_000, 600_000]))
                cmd = glossary_cmd(writers.terms, writers.argv(name))
            else:
                cmd = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=write",
                       "-e", f"inject=write:error=ENOSPC:when={rng.randrange(1, 12)}+",
                       *glossary_cmd(writers.terms, writers.argv(name))]
            proc = subprocess.run(cmd, env=_env(), capture_output=True, timeout=300)
            err = proc.stderr.decode("utf-8", "replace").strip()
            refused += proc.returncode == 2 and "No space left" in err
            if proc.returncode not in (0, 2) or "Traceback" in err:
                section.fail(f"{name}: exit {proc.returncode}: {err[-200:]}")
            elif proc.returncode == 2 and ("No space left" in err and not re.search(r"^\S+: error: ", err, re.M)):
                section.fail(f"{name}: disk-full message names no file: {err[:160]}")
            if use_tmpfs and filler.exists():
                filler.unlink()
            state = snapshot(writers.terms)
            if proc.returncode == 0 and state != writers.new[name]:
                section.fail(f"{name}: exit 0 but not the new termbase", lost=True)
            if proc.returncode != 0 and state not in (writers.old, writers.new[name]) \
                    and not (writers.terms / JOURNAL_NAME).exists():
                section.fail(f"{name}: failed and left neither old nor new", lost=True)
            check_after_interruption(section, writers, name, f"{name} on a full disk")
    finally:
        if use_tmpfs:
            subprocess.run(["umount", str(mount)], capture_output=True)
    section.name += " [tmpfs]" if use_tmpfs else " [strace ENOSPC]"
    section.note = f"{refused} stopped by the full disk (exit 2, naming the file), the others had room"
    return section


def _fill(filler: Path, leave: int) -> None:
    stats = os.statvfs(filler.parent)
    free = stats.f_bavail * stats.f_frsize
    with contextlib.suppress(OSError), open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave))


# --- path attacks ----------------------------------------------------------------------------------------------


def campaign_paths(count: int, rng: random.Random, work: Path) -> Section:
    section = Section("path attacks")
    base = work / "paths"
    outside = base / "outside"
    outside.mkdir(parents=True)
    (outside / "victim.yaml").write_bytes((ROOT / "terms" / "osi.yaml").read_bytes()[:4000])
    (outside / "secret.txt").write_bytes(b"do not touch\n")
    writers = Writers(base / "w")
    terms = writers.terms
    runner = CliRunner()

    def outside_state():
        return {p.name: (p.is_symlink(), p.read_bytes() if p.is_file() else None) for p in sorted(outside.iterdir())}

    attacks = {
        "osi.yaml -> outside file": lambda: _replace_with_link(terms / "osi.yaml", outside / "victim.yaml"),
        "osi.yaml -> outside secret": lambda: _replace_with_link(terms / "osi.yaml", outside / "secret.txt"),
        "osi.yaml dangling link": lambda: _replace_with_link(terms / "osi.yaml", outside / "missing.yaml"),
        "osi.yaml -> inside file": lambda: _link_inside(terms),
        "osi.yaml -> /dev/zero": lambda: _replace_with_link(terms / "osi.yaml", Path("/dev/zero")),
        "osi.yaml is a FIFO": lambda: (_unlink(terms / "osi.yaml"), os.mkfifo(terms / "osi.yaml")),
        "osi.yaml is a directory": lambda: (_unlink(terms / "osi.yaml"), (terms / "osi.yaml").mkdir()),
        "osi.yaml link loop": lambda: (_unlink(terms / "osi.yaml"), os.symlink("osi.yaml", terms / "osi.yaml")),
        "osi.yaml hard link to outside": lambda: (_unlink(terms / "osi.yaml"),
                                                   os.link(outside / "victim.yaml", terms / "osi.yaml")),
        "lock file -> outside": lambda: os.symlink(outside / "lock-target", terms / LOCK_NAME),
        "lock file is a directory": lambda: (terms / LOCK_NAME).mkdir(),
        "lock file -> /dev/null": lambda: os.symlink("/dev/null", terms / LOCK_NAME),
        "journal naming ../outside": lambda: _tampered_journal(terms, "../outside/secret.txt"),
        "journal naming an absolute path": lambda: _tampered_journal(terms, str(outside / "secret.txt")),
        "journal -> outside file": lambda: os.symlink(outside / "secret.txt", terms / JOURNAL_NAME),
        "damaged journal": lambda: (terms / JOURNAL_NAME).write_bytes(b"{not json"),
        "stray temp link to outside": lambda: os.symlink(outside / "secret.txt",
                                                         terms / ".osi.yaml.glossary-tx-1-abcd.tmp"),
        "terms dir is a link": None,  # handled below: the command gets a symlinked --terms
        "input is a FIFO": None,
        "input is /dev/zero": None,
        "input is a directory": None,
        "input is a link loop": None,
    }
    names = list(attacks)
    for n in range(count):
        attack = names[n % len(names)]
        command = ("merge", "import")[(n // len(names)) % 2]
        section.tried += 1
        before = outside_state()
        setup = attacks[attack]
        argv = writers.argv(command)
        terms_arg = terms
        if setup is not None:
            setup()
        elif attack == "terms dir is a link":
            terms_arg = base / "terms-link"
            if not terms_arg.exists():
                os.symlink(terms, terms_arg)
        else:
            target = base / "bad-input"
            _unlink(target)
            if attack == "input is a FIFO":
                os.mkfifo(target)
            elif attack == "input is /dev/zero":
                os.symlink("/dev/zero", target)
            elif attack == "input is a directory":
                target.mkdir()
            else:
                os.symlink(target.name, target)
            argv = [argv[0], str(target)]
        result = _invoke_with_alarm(runner, ["--terms", str(terms_arg), *argv], seconds=60)
        if result is None:
            section.fail(f"{attack} / {command}: hung")
        elif result.exit_code not in (0, 1, 2) or (result.exception and not isinstance(result.exception, SystemExit)):
            section.fail(f"{attack} / {command}: exit {result.exit_code} {result.exception!r}")
        if outside_state() != before:
            section.fail(f"{attack} / {command}: wrote outside the termbase", lost=True)
        if (outside / "lock-target").exists():
            section.fail(f"{attack} / {command}: created a file through the lock link", lost=True)
        _reset_paths(base, terms, writers)
    return section


def _unlink(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def _replace_with_link(path: Path, target: Path) -> None:
    _unlink(path)
    os.symlink(target, path)


def _link_inside(terms: Path) -> None:
    (terms / "store").mkdir(exist_ok=True)
    shutil.copy(terms / "osi.yaml", terms / "store" / "osi.yaml")
    _replace_with_link(terms / "osi.yaml", Path("store") / "osi.yaml")


def _tampered_journal(terms: Path, target: str) -> None:
    from glossary.fileio import _journal_checksum

    body = {"version": 1, "txid": "x", "files": [{"target": target, "temp": ".t.glossary-tx-x.tmp", "old": None,
                                                    "new": "0" * 64, "shown": target}]}
    (terms / JOURNAL_NAME).write_text(json.dumps({**body, "checksum": _journal_checksum(body)}))


def _reset_paths(base: Path, terms: Path, writers: Writers) -> None:
    for path in list(terms.iterdir()):
        _unlink(path)
    for name, data in writers.old.items():
        (terms / name).write_bytes(data)
    _unlink(base / "bad-input")


def _invoke_with_alarm(runner: CliRunner, argv: list[str], seconds: int):
    def timeout(signum, frame):
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(seconds)
    try:
        return runner.invoke(cli, argv)
    except TimeoutError:
        return None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- caches ------------------------------------------------------------------------------------------------------


def campaign_caches(count: int, rng: random.Random, work: Path) -> Section:
    import jieba

    import glossary.segment as segment

    section = Section("damaged caches")
    terms = scratch_terms(work / "cache-terms")
    cache_dir = work / "cache"
    cache.TERMBASE_CACHE_MIN_BYTES = 0  # cache even the small scratch termbase
    reference = list(load_termbase([terms]).values())
    index = lookup.open_index([terms], cache_dir).index
    queries = ["IMS", "international monitoring", "seismic station", "国际监测系统", "inspection", "OSI", "radionuclide",
               "système de surveillance", "станция", "نظام"]
    expected = {q: [(h.concept.id, h.matched) for h in index.search(q)] for q in queries}
    dictionary = work / "dict.txt"
    dictionary.write_text("的 100 uj\n台站 10 n\n监测 20 vn\n", encoding="utf-8")
    tokenizer = jieba.Tokenizer(str(dictionary))
    os.environ["GLOSSARY_CACHE_DIR"] = str(cache_dir)
    tags = segment._load_tag_table(tokenizer)
    for n in range(count):
        which = ("termbase", "lookup", "lookup", "tags")[n % 4]
        section.tried += 1
        if which == "termbase":
            cache.load_termbase_cached([terms], cache_dir)
            target = cache.cache_path(cache_dir, "termbase", [terms])
        elif which == "lookup":
            lookup.open_index([terms], cache_dir)
            target = lookup.cache_path(cache_dir, [terms])
        else:
            segment._load_tag_table(tokenizer)
            (target,) = cache_dir.glob("jieba-tags-*.marshal")
        _damage(rng, target, which)
        try:
            if which == "termbase":
                ok = list(cache.load_termbase_cached([terms], cache_dir).values()) == reference
            elif which == "lookup":
                got = lookup.open_index([terms], cache_dir).index
                ok = all([(h.concept.id, h.matched) for h in got.search(q)] == expected[q] for q in queries)
            else:
                ok = segment._load_tag_table(tokenizer) == tags
        except Exception as exc:  # noqa: BLE001
            section.fail(f"{which}: {type(exc).__name__}: {exc}")
            _unlink(target)
            continue
        if not ok:
            section.fail(f"{which}: wrong answer from a damaged cache")
        if target.is_dir():
            shutil.rmtree(target)
    return section


def _damage(rng: random.Random, target: Path, which: str) -> None:
    data = target.read_bytes()
    header_end = data.index(b"\n", 30 if which == "lookup" else 0) + 1
    header = data[:header_end]
    kind = rng.randrange(9)
    if kind == 0:
        target.write_bytes(data[:rng.randrange(len(data))])
    elif kind == 1:
        pos = rng.randrange(len(data))
        target.write_bytes(data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1:])
    elif kind == 2:
        target.write_bytes(data + os.urandom(rng.randrange(1, 100)))
    elif kind == 3:
        target.write_bytes(b"")
    elif kind == 4:  # a directory where the file should be
        target.unlink()
        target.mkdir()
    else:  # a re-checksummed payload: valid marshal, the right header, the wrong content
        payload = cache.unpack(data, header)
        if payload is None:
            target.write_bytes(header + os.urandom(64))
            return None
        value = marshal.loads(payload)
        target.write_bytes(cache.pack(header, marshal.dumps(_poison(rng, value))))
    return None


_INVALID = (-5, ((1,),), b"x", 1.5)


def _poison(rng: random.Random, value):
    """Damage the shape or the references of a cached structure (a wrong type, an index out of range, a
    missing field), keeping the payload well-formed marshal under a correct checksum. Content swapped for
    other well-formed content under a recomputed checksum is not attempted: only the user who owns the
    private cache directory could write it."""
    if isinstance(value, dict):
        key = rng.choice(list(value))
        choice = rng.randrange(4)
        if choice == 0 and "cards" in value:  # a field of the lookup payload goes missing
            del value[key]
        elif choice == 1 and isinstance(value[key], bytes) and value[key]:
            half = len(value[key]) // 2
            value[key] = value[key][:half] + b"\xff" * (len(value[key]) - half)
        elif choice == 2 and isinstance(value[key], (dict, list)) and value[key]:
            value[key] = _poison(rng, value[key])
        elif isinstance(value[key], list) and value[key] and all(type(i) is int for i in value[key]):
            value[key] = [10**6]  # an entry number out of range
        else:
            value[key] = rng.choice([7, [10**6], {"k": [10**6]}, b"\x00", ((1,),)])
        return value
    if isinstance(value, list):
        i = rng.randrange(len(value))
        item = value[i]
        if isinstance(item, tuple) and item:
            j = rng.randrange(len(item))
            value[i] = (*item[:j], rng.choice(_INVALID), *item[j + 1:])
        elif isinstance(item, int):
            value[i] = 10**6
        else:
            value[i] = rng.choice([-5, b"x"])
        return value
    return {"x": 1}


# --- main --------------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--quick", action="store_true", help="a tenth of every count")
    parser.add_argument("--jobs", type=int, default=2, help="processes killed in parallel")
    parser.add_argument("--only", help="comma-separated sections: terms,po,texts,kills,pairs,disk,paths,caches")
    counts = {"terms": 665, "po": 445, "texts": 300, "kills": 195, "pairs": 90, "disk": 24, "paths": 44,
              "caches": 280}
    for key, value in counts.items():
        parser.add_argument(f"--{key}", type=int, default=value)
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else set(counts)
    scale = 10 if args.quick else 1
    rng = random.Random(args.seed)
    sections = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fault-campaign-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        os.environ["GLOSSARY_CACHE_DIR"] = str(work / "user-cache")
        runs = [("terms", lambda n: campaign_term_files(n, rng, work)),
                ("po", lambda n: campaign_po_files(n, rng, work)),
                ("texts", lambda n: campaign_texts(n, rng, work)),
                ("kills", lambda n: campaign_kills(n, rng, work, args.jobs)),
                ("pairs", lambda n: campaign_pairs(n, rng, work)),
                ("disk", lambda n: campaign_full_disk(n, rng, work)),
                ("paths", lambda n: campaign_paths(n, rng, work)),
                ("caches", lambda n: campaign_caches(n, rng, work))]
        for key, run in runs:
            if key not in chosen:
                continue
            t0 = time.perf_counter()
            try:
                section = run(max(1, getattr(args, key) // scale))
            except Exception:  # noqa: BLE001 - a crash of the campaign itself is a failure to report
                section = Section(key)
                section.fail("campaign crashed: " + traceback.format_exc(limit=3).replace("\n", " | "))
            sections.append(section)
            print(f"{section.name}: {section.tried} tried, {section.failures} failures, {section.lost} lost "
                  f"({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    print(f"\nfault campaign, seed {args.seed}, {time.perf_counter() - started:.0f} s\n")
    width = max(len(s.name) for s in sections)
    print(f"{'section':<{width}}  {'inputs tried':>12}  {'failures':>8}  {'data lost':>9}")
    print(f"{'-' * width}  {'-' * 12}  {'-' * 8}  {'-' * 9}")
    for s in sections:
        print(f"{s.name:<{width}}  {s.tried:>12}  {s.failures:>8}  {s.lost:>9}")
    total = Section("total", sum(s.tried for s in sections), sum(s.failures for s in sections),
                    sum(s.lost for s in sections))
    print(f"{'-' * width}  {'-' * 12}  {'-' * 8}  {'-' * 9}")
    print(f"{total.name:<{width}}  {total.tried:>12}  {total.failures:>8}  {total.lost:>9}")
    for s in sections:
        if s.note:
            print(f"  {s.name}: {s.note}")
    for s in sections:
        for example in s.examples:
            print(f"  {s.name}: {example}")
    return 1 if total.failures or total.lost else 0


if __name__ == "__main__":
    sys.exit(main())
