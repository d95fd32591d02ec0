"""The gettext adapter for import: merge translators' PO edits back into the term files.

Each entry of a returned catalog is classified, and only ``changed`` ones touch a term file:

- changed: the msgstr differs from what was exported and the entry is not fuzzy. It becomes the
  language's preferred term; the old head term stays in the file as ``admitted`` or ``deprecated``
  (``keep_old``), so nothing curated is lost. If the new text is already one of the concept's terms,
  that term is promoted instead of added twice. An exported ``fuzzy`` entry (a ``proposed`` term)
  that comes back unchanged but no longer fuzzy is a confirmation: ``proposed`` becomes ``preferred``
  (and a note saying it was not confirmed goes). A promoted ``variant`` takes the old head's type.
- unchanged: same text as exported (after NFC and whitespace normalisation, since editors re-wrap).
- conflict (reported, never applied): no msgctxt or an unknown one (an entry of some other catalog),
  a msgid that is no longer the concept's English term (the English changed since export), a plural
  entry, a text ``glossary validate`` would reject, entries (in one file or across the files of one
  run) that edit the same term differently: all of them, whatever their order, and a term changed
  both in the termbase and in the PO since export.
- skipped: obsolete entries (``#~``, the translator's tool retired them), fuzzy entries whose text
  changed (a translator's draft, not a decision), and empty msgstr (an empty translation never
  erases a term).

"Changed since export" needs the text as exported. The export writes it into each entry as an
extracted comment ``glossary-base: <fingerprint>`` (see :mod:`glossary.catalogs`); translators' tools
keep extracted comments. The PO's msgstr differing from that fingerprint means the translator
changed it; the termbase's current term differing means the terminologists did. An entry without the
marker (a catalog merged with ``msgmerge`` from the POT, say) is compared with the termbase as it is
now, which cannot detect a both-sides change: such entries are still applied, not guessed at.

The catalog's language comes from its ``Language`` header, never from its file name. A file is read
strictly (see :func:`read_returned_catalog`): one that is cut off or mis-encoded is refused whole.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polib
from babel import Locale, UnknownLocaleError

from glossary.catalogs import ABBREVIATION_CONTEXT_SUFFIX, BASE_MARKER, abbreviation, base_fingerprint
from glossary.errors import InputError, TermFileError
from glossary.fileio import plan_and_write, read_input_bytes, write_term_files
from glossary.model import LANGUAGES, Concept, Term, Termbase
from glossary.termfile import normalise_text, parse_term_file, term_file_paths
from glossary.termfile_edit import LineEdit, edit_term_file
from glossary.textnorm import fold_traditional, strip_invisible
from glossary.validate import check_concept, script_problem, term_text_problems

KEEP_OLD_STATUSES = ("admitted", "deprecated")
OUTCOMES = ("changed", "unchanged", "conflict", "skipped")


@dataclass(frozen=True)
class EntryOutcome:
    """What the merge did with one PO entry, and why."""

    po_path: str
    po_line: int | None
    lang: str
    context: str | None
    source_text: str
    outcome: str
    reason: str = ""
    old: str | None = None
    new: str | None = None

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclass
class ReturnedCatalog:
    """A translator's PO file and the glossary language its header names."""

    path: str
    lang: str
    catalog: polib.POFile


@dataclass
class MergeResult:
    """Every entry's outcome and the term files that would change (path -> (old bytes, new bytes))."""

    catalogs: list[ReturnedCatalog]
    outcomes: list[EntryOutcome] = field(default_factory=list)
    files: dict[str, tuple[bytes, bytes]] = field(default_factory=dict)

    def counts(self, po_path: str | None = None) -> dict[str, int]:
        counts = dict.fromkeys(OUTCOMES, 0)
        for item in self.outcomes:
            if po_path is None or item.po_path == po_path:
                counts[item.outcome] += 1
        return counts

    @property
    def has_conflicts(self) -> bool:
        return any(item.outcome == "conflict" for item in self.outcomes)

    def diff(self) -> str:
        """A unified diff of the term files, as ``--dry-run`` prints it."""
        chunks = []
        for path, (old, new) in self.files.items():
            relative = os.path.relpath(path)
            before, after = (path, path) if relative.startswith("..") else (f"a/{relative}", f"b/{relative}")
            chunks.extend(difflib.unified_diff(old.decode("utf-8").splitlines(keepends=True),
                                               new.decode("utf-8").splitlines(keepends=True),
                                               fromfile=before, tofile=after))
        return "".join(chunks)

    def as_dict(self) -> dict:
        return {
            "catalogs": [{"path": c.path, "language": c.lang, **self.counts(c.path)} for c in self.catalogs],
            "summary": self.counts(),
            "term_files_changed": sorted(self.files),
            "entries": [o.as_dict() for o in self.outcomes if o.outcome != "unchanged"],
        }


# --- reading ---------------------------------------------------------------------------------------

def _glossary_language(value: str, path: str) -> str:
    """The glossary language a PO ``Language`` header names (``fr``, ``fr_FR``, ``zh_CN``, ``zh-Hans``)."""
    if not value:
        raise InputError("no Language header, so the catalog's language is unknown; add one "
                         "(e.g. \"Language: fr\")", path)
    try:
        locale = Locale.parse(value.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise InputError(f"Language header {value!r} is not a locale babel knows", path) from exc
    if locale.language not in LANGUAGES:
        raise InputError(f"Language {value!r} ({locale.english_name}) is not one of the glossary's "
                         f"languages ({' '.join(LANGUAGES)})", path)
    if locale.language == "zh" and locale.script not in (None, "Hans"):
        raise InputError(f"Language {value!r} is {locale.english_name}; the glossary's Chinese is "
                         "simplified Chinese (zh_Hans)", path)
    return locale.language


#: The largest PO file read (bytes); the six exported catalogs of the curated termbase are about 0.2 MB each.
MAX_PO_BYTES = 64 * 1024 * 1024
_MO_MAGIC = (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")
_CHARSET = re.compile(rb"Content-Type:[^\n\"]*?charset=([A-Za-z0-9_.:-]+)", re.IGNORECASE)
#: One C string as PO files write it; polib decodes exactly these escapes and keeps any other one as text.
_STRING = r'"(?:[^"\\]|\\[\\"ntr])*"'
_KEYWORD_LINE = re.compile(r"(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d+\])[ \t]*(" + _STRING + r")[ \t]*")
_CONTINUATION = re.compile(r"[ \t]*" + _STRING + r"[ \t]*")
_BAD_ESCAPE = re.compile(r'\\([^\\"ntr])')


def _decode_po(data: bytes, path: str) -> str:
    """The PO file's text in the charset its header declares, refused when that cannot be right."""
    if not data.strip():
        raise InputError("empty file: not a PO catalog", path)
    if data[:4] in _MO_MAGIC:
        raise InputError("this is a compiled MO catalog, not a PO file; import the .po file it was compiled from",
                         path)
    if b"\x00" in data:
        raise InputError("binary file (NUL bytes), not a PO catalog", path)
    match = _CHARSET.search(data[:8192])
    declared = match.group(1).decode("ascii") if match else "utf-8"
    if declared.upper() == "CHARSET":  # the POT placeholder; polib and msgfmt read it as UTF-8
        declared = "utf-8"
    try:
        codec = codecs.lookup(declared).name
    except LookupError as exc:
        raise InputError(f"unknown charset {declared!r} in the Content-Type header", path) from exc
    body = data[3:] if codec == "utf-8" and data.startswith(codecs.BOM_UTF8) else data
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"cannot decode the file as {declared} (byte 0x{body[exc.start]:02x}); check the charset "
                         "in its Content-Type header", path, line) from exc
    if text.encode(codec) != body:
        raise InputError(f"the text does not survive a round trip through charset {declared}; save the file as "
                         "UTF-8 and declare charset=UTF-8", path)
    if codec != "utf-8" and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:  # non-ASCII bytes that are valid UTF-8 are almost never Latin-1 or CP1252 text
            raise InputError(f"the header declares charset {declared}, but the text is UTF-8 (reading it as "
                             f"{declared} would garble every accented letter); correct the charset to UTF-8", path)
    return text


def _check_po_syntax(text: str, path: str) -> None:
    """Refuse what polib would read leniently: unterminated strings, unknown escapes, stray text, an entry
    cut off before its msgstr (a truncated file)."""
    open_entry: int | None = None  # line of the msgid of an entry whose msgstr has not come yet
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(("#~", "#|")):
            stripped = stripped[2:].strip()
            if not stripped or not stripped.startswith(("msg", '"')):
                continue
            obsolete = True
        elif not stripped or stripped.startswith("#"):
            continue
        else:
            obsolete = False
        keyword = _KEYWORD_LINE.fullmatch(stripped)
        if keyword is None and _CONTINUATION.fullmatch(stripped) is None:
            if stripped.count('"') % 2 or stripped.endswith('\\"') and not stripped.endswith('\\\\"'):
                raise InputError("unterminated string (is the file truncated?)", path, number)
            if (bad := _BAD_ESCAPE.search(stripped)) is not None:
                raise InputError(f"unknown escape \\{bad.group(1)} in a string (PO strings know \\\\, \\\", \\n, "
                                 "\\t and \\r)", path, number)
            raise InputError(f"not PO syntax: {stripped[:40]!r}", path, number)
        if obsolete or keyword is None:
            continue
        word = keyword.group(1)
        if word in ("msgctxt", "msgid") and open_entry is not None:
            raise InputError("entry without msgstr (is the file truncated?)", path, open_entry)
        if word == "msgid":
            open_entry = number
        elif word.startswith("msgstr"):
            open_entry = None
    if open_entry is not None:
        raise InputError("entry without msgstr: the file ends inside it (is it truncated?)", path, open_entry)


def read_returned_catalog(path: str | os.PathLike) -> ReturnedCatalog:
    """Read a translator's PO file strictly; any problem is one :class:`InputError` naming the file.

    polib reads leniently (an unterminated string, a wrong charset), so the bytes are checked first:
    a file that is not exactly a well-formed PO catalog is refused whole, never partly applied.
    """
    path = os.fspath(path)
    if not os.path.lexists(path):
        raise InputError("no such file", path)
    data = read_input_bytes(path, InputError, "cannot read", MAX_PO_BYTES)
    text = _decode_po(data, path)
    _check_po_syntax(text, path)
    if not text.endswith("\n"):
        text += "\n"  # polib takes a one-line string for a file name
    try:
        catalog = polib.pofile(text, check_for_duplicates=False)
    except (OSError, ValueError) as exc:
        message = str(exc)
        line = None
        if "(line " in message:
            tail = message.rsplit("(line ", 1)[1]
            digits = tail.split(")", 1)[0]
            line = int(digits) if digits.isdigit() else None
            message = message.split(" in po file", 1)[0] + (tail.split(")", 1)[1] if ")" in tail else "")
        raise InputError(f"not a valid PO file: {message.strip(' :')}", path, line) from exc
    return ReturnedCatalog(path, _glossary_language(catalog.metadata.get("Language", "").strip(), path), catalog)


@dataclass
class _TermFile:
    path: str
    data: bytes
    concepts: list[Concept]


def _read_term_files(term_paths: Iterable[str | os.PathLike]) -> tuple[list[_TermFile], Termbase]:
    """Term files with their bytes (edits apply to exactly what was planned on) and the termbase."""
    files, termbase = [], Termbase()
    for path in term_file_paths(term_paths):
        data = read_input_bytes(path, TermFileError, "cannot read term file")
        parsed = parse_term_file(data, os.fspath(path))
        if parsed.errors:
            first = parsed.errors[0]
            raise TermFileError(first.message, first.path, first.line)
        for concept in parsed.concepts:
            if concept.id in termbase:
                raise TermFileError(f"duplicate concept id {concept.id!r}", path,
                                    concept.origin.line if concept.origin else None)
            termbase.add(concept)
        files.append(_TermFile(os.fspath(path), data, parsed.concepts))
    return files, termbase


# --- planning --------------------------------------------------------------------------------------

_Slot = tuple[int | None, Term]  # (index of the term in the file's list, or None for a new term; term)


class _Planner:
    """Decides each entry's outcome and keeps the intended term lists of the languages it changes."""

    def __init__(self, termbase: Termbase, keep_old: str, accept_unmarked: bool = False):
        self.termbase = termbase
        self.keep_old = keep_old
        self.accept_unmarked = accept_unmarked
        self.heads: dict[tuple[str, str], str] = {}  # (lang, casefolded head term) -> concept id
        for concept in termbase.values():
            for lang in LANGUAGES:
                head = concept.head_term(lang)
                if head is not None:
                    self.heads.setdefault((lang, head.text.casefold()), concept.id)
        self.slots: dict[tuple[str, str], list[_Slot]] = {}
        self.claimed: dict[tuple[str, str, bool], tuple[str, str]] = {}  # -> (po path, new text)

    def _slots(self, concept: Concept, lang: str) -> list[_Slot]:
        key = (concept.id, lang)
        if key not in self.slots:
            self.slots[key] = list(enumerate(concept.terms.get(lang, [])))
        return self.slots[key]

    def entry(self, returned: ReturnedCatalog, entry: polib.POEntry) -> EntryOutcome | _Claim:
        lang = returned.lang

        def outcome(kind: str, reason: str = "", old: str | None = None, new: str | None = None) -> EntryOutcome:
            return EntryOutcome(returned.path, entry.linenum, lang, entry.msgctxt, entry.msgid, kind, reason, old, new)

        if entry.obsolete:
            return outcome("skipped", "obsolete entry")
        if entry.msgctxt is None:
            return outcome("conflict", "no msgctxt: not an entry of this glossary")
        is_abbreviation = entry.msgctxt.endswith(ABBREVIATION_CONTEXT_SUFFIX)
        concept_id = entry.msgctxt[: -len(ABBREVIATION_CONTEXT_SUFFIX)] if is_abbreviation else entry.msgctxt
        concept = self.termbase.get(concept_id)
        if concept is None:
            return outcome("conflict", f"unknown concept id {concept_id!r}")
        if entry.msgid_plural:
            return outcome("conflict", "plural entry: glossary entries have no plural forms")
        english = abbreviation(concept, "en") if is_abbreviation else concept.head_term("en")
        if english is None or english.text != entry.msgid:
            now = english.text if english else "nothing"
            return outcome("conflict", f"msgid changed: the English term is now {now!r}; export again")
        current = abbreviation(concept, lang) if is_abbreviation else concept.head_term(lang)
        now = current.text if current else ""
        proposed = normalise_text(strip_invisible(entry.msgstr))
        marker = self._base(entry)
        base = marker or base_fingerprint(now)
        translator_changed = base_fingerprint(proposed) != base
        termbase_changed = base_fingerprint(now) != base
        fuzzy = "fuzzy" in entry.flags
        if not proposed:
            return outcome("unchanged") if not now else outcome("skipped", "empty msgstr never erases a term", now)
        if not translator_changed:
            if (not is_abbreviation and not fuzzy and current is not None and current.status == "proposed"
                    and not termbase_changed):
                note = "; ".join(entry.tcomment.split("\n")) if entry.tcomment else None
                return self._claim(concept, lang, False, returned.path, now, outcome,
                                   lambda: self._confirm(concept, lang, note), "confirmed: proposed -> preferred", now)
            return outcome("unchanged")
        if fuzzy:
            return outcome("skipped", "fuzzy: a translator's draft; remove the fuzzy flag to accept it",
                           now, proposed)
        if lang == "zh" and (simplified := fold_traditional(proposed)) != proposed:
            return outcome("conflict", f"traditional characters: UN Chinese writes {simplified!r}", now, proposed)
        if (problem := _term_problem(lang, proposed)) is not None:
            return outcome("conflict", f"refused, `glossary validate` would reject it: {problem}", now, proposed)
        if termbase_changed:
            if proposed == now:
                return outcome("unchanged", "same change already in the termbase")
            return outcome("conflict", "changed both in the termbase and in the PO since export", now, proposed)
        if marker is None and not self.accept_unmarked:
            # msgmerge and "update from POT" drop extracted comments, and with them the export marker: the
            # PO differs from the termbase, but whether the translator or a terminologist changed it is unknown.
            return outcome("conflict", "no glossary-base marker (msgmerge or 'update from POT' removes it), so a "
                           "termbase edit cannot be told from a translation; re-export the catalog, or pass "
                           "--accept-unmarked to take the PO's text", now, proposed)
        owner = self.heads.get((lang, proposed.casefold()))
        own_terms = {t.text.casefold() for t in concept.terms.get(lang, ())}
        if not is_abbreviation and owner not in (None, concept.id) and proposed.casefold() not in own_terms:
            return outcome("conflict", f"{proposed!r} is already the preferred {lang} term of {owner}; "
                           "edit the term files by hand if both concepts really share it", now, proposed)
        if is_abbreviation:
            return self._claim(concept, lang, True, returned.path, proposed, outcome,
                               lambda: self._set_abbreviation(concept, lang, proposed), "new abbreviation",
                               now or None)
        note = "; ".join(entry.tcomment.split("\n")) if entry.tcomment else None
        return self._claim(concept, lang, False, returned.path, proposed, outcome,
                           lambda: self._set_head(concept, lang, proposed, note), "new preferred term",
                           now or None)

    @staticmethod
    def _base(entry: polib.POEntry) -> str | None:
        for line in (entry.comment or "").splitlines():
            if line.startswith(BASE_MARKER):
                return line[len(BASE_MARKER):].strip()
        return None

    def _claim(self, concept, lang, is_abbreviation, po_path, new_text, outcome, apply, reason, old=None):
        """An edit of one term, applied later by :meth:`resolve` once every file has been read."""
        return _Claim((concept.id, lang, is_abbreviation), new_text, outcome, apply, reason, old)

    def resolve(self, outcomes: list[EntryOutcome | _Claim]) -> list[EntryOutcome]:
        """Apply the claimed edits: every entry that edits one term must agree, or none of them is applied,
        whatever the order of the files and of the entries in them."""
        groups: dict[tuple, list[int]] = {}
        for index, item in enumerate(outcomes):
            if isinstance(item, _Claim):
                groups.setdefault(item.key, []).append(index)
        final: list[EntryOutcome | None] = [o if isinstance(o, EntryOutcome) else None for o in outcomes]
        for key in sorted(groups):  # heads before abbreviations, concept by concept: independent of input order
            indexes = sorted(groups[key], key=lambda i: (outcomes[i].where, i))
            claims = [outcomes[i] for i in indexes]
            texts = {c.new_text for c in claims}
            if len(texts) > 1:
                places = ", ".join(f"{c.where[0]}:{c.where[1]} {c.new_text!r}" for c in claims)
                for i, claim in zip(indexes, claims):
                    final[i] = claim.outcome("conflict", f"edited differently by several entries ({places}); none "
                                                         "applied", claim.old, claim.new_text)
                continue
            first = claims[0]
            problem = first.apply()
            for n, (i, claim) in enumerate(zip(indexes, claims)):
                if problem:
                    final[i] = claim.outcome("skipped", problem, claim.old, claim.new_text)
                elif n == 0:
                    final[i] = claim.outcome("changed", claim.reason, claim.old, claim.new_text)
                else:
                    final[i] = claim.outcome("unchanged", f"same change as in {first.where[0]}:{first.where[1]}")
        return final  # type: ignore[return-value]

    def _confirm(self, concept: Concept, lang: str, note: str | None = None) -> str | None:
        slots = self._slots(concept, lang)
        for i, (origin, term) in enumerate(slots):
            if term.is_head:
                kept = None if term.note is not None and _UNCONFIRMED.search(term.note) else term.note
                slots[i] = (origin, dataclasses.replace(term, status="preferred", note=note or kept))
                return None
        return "no head term to confirm"

    def _set_head(self, concept: Concept, lang: str, text: str, note: str | None) -> str | None:
        slots = self._slots(concept, lang)
        if not slots:
            return f"the concept has no {lang} terms to place the new one beside; add it by hand"
        head = next((i for i, (_, t) in enumerate(slots) if t.is_head), None)
        same = next((i for i, (_, t) in enumerate(slots) if t.text == text), None)
        if head is None:
            slots.insert(0, (None, Term(text, "fullForm", "preferred", note=note)))
            return None
        origin, old = slots[head]
        if same is not None:
            other_origin, other = slots[same]
            # A promoted variant becomes the full form it now stands for, beside the demoted old head.
            promoted_type = old.type if other.type == "variant" else other.type
            kept = None if other.note is not None and _UNCONFIRMED.search(other.note) else other.note
            slots[same] = (other_origin, dataclasses.replace(other, status="preferred", type=promoted_type,
                                                             note=note or kept))
            slots[head] = (origin, dataclasses.replace(old, status=self.keep_old))
            return None
        if old.text.casefold() == text.casefold() or " ".join(old.text.split()) == text:
            # Only case or spacing changed: a spelling fix of the same term, not a new term beside a deprecated one.
            slots[head] = (origin, dataclasses.replace(old, text=text))
            return None
        # The new head goes first; the old one keeps its line, only its status changes.
        slots[head] = (origin, dataclasses.replace(old, status=self.keep_old))
        slots.insert(head, (None, Term(text, old.type, "preferred", note=note)))
        return None

    def _set_abbreviation(self, concept: Concept, lang: str, text: str) -> str | None:
        slots = self._slots(concept, lang)
        if not slots:
            return f"the concept has no {lang} terms to place the abbreviation beside; add it by hand"
        current = next((i for i, (_, t) in enumerate(slots)
                        if t.type == "abbreviation" and t.status != "deprecated" and not t.is_head), None)
        if any(t.text == text for _, t in slots):
            return f"{text!r} is already a {lang} term of the concept; change its status in the term file"
        if current is None:
            slots.append((None, Term(text, "abbreviation", "admitted")))
            return None
        origin, old = slots[current]
        slots[current] = (origin, dataclasses.replace(old, status=self.keep_old))
        slots.insert(current, (None, Term(text, "abbreviation", old.status)))
        return None


_UNCONFIRMED = re.compile(r"not (yet )?confirmed|unconfirmed|to be confirmed|machine suggestion", re.IGNORECASE)


@dataclass
class _Claim:
    """An entry that edits one term (``key``: concept id, language, abbreviation or not), pending until
    every entry of every file is known."""

    key: tuple[str, str, bool]
    new_text: str
    outcome: Callable[..., EntryOutcome]
    apply: Callable[[], str | None]
    reason: str
    old: str | None

    @property
    def where(self) -> tuple[str, int]:
        made = self.outcome("changed")
        return made.po_path, made.po_line or 0


def _term_problem(lang: str, text: str) -> str | None:
    """Why ``validate`` would reject ``text`` as a ``lang`` term, or ``None``."""
    problems = term_text_problems(text)
    if problems:
        return problems[0]
    return script_problem(lang, text)


def _refuse_new_errors(before: Concept, after: Concept, path: str) -> None:
    """The safety net behind the per-entry checks: an import never adds a validation error to a concept."""
    old = {f.message for f in check_concept(before) if f.level == "error"}
    new = [f for f in check_concept(after) if f.level == "error" and f.message not in old]
    if new:
        raise TermFileError(f"import refused, nothing written: the result would not validate: {new[0].message}",
                            path, new[0].line)


def _disagreeing_duplicates(returned: ReturnedCatalog) -> dict[tuple, list[int]]:
    """(msgctxt, msgid) -> lines, for entries listed more than once in one file with different translations."""
    seen: dict[tuple, list[polib.POEntry]] = {}
    for entry in returned.catalog:
        if not entry.obsolete:
            seen.setdefault((entry.msgctxt, entry.msgid), []).append(entry)
    return {key: [e.linenum for e in entries] for key, entries in seen.items() if len(entries) > 1
            and len({(normalise_text(strip_invisible(e.msgstr)), "fuzzy" in e.flags) for e in entries}) > 1}


def _line_edits(concept: Concept, lang: str, slots: list[_Slot], path: str) -> dict[int, LineEdit]:
    """Turn an intended term list into edits of the original term lines."""
    originals = concept.terms.get(lang, [])
    edits: dict[int, LineEdit] = {}

    def edit_at(index: int) -> LineEdit:
        origin = originals[index].origin
        if origin is None:
            raise TermFileError(f"concept {concept.id}: {lang} term has no line to edit", path)
        return edits.setdefault(origin.line, LineEdit())

    previous: int | None = None
    pending_before: list[Term] = []
    for index, term in slots:
        if index is None:
            if previous is None:
                pending_before.append(term)
            else:
                edit_at(previous).after.append(term)
            continue
        if pending_before:
            edit_at(index).before.extend(pending_before)
            pending_before = []
        if term != originals[index]:  # equality compares every field but the origin
            edit_at(index).replace = term
        previous = index
    return edits


def _check_language(returned: ReturnedCatalog, termbase: Termbase) -> None:
    """Refuse a catalog whose Language header names another language than the one it was exported for.

    Every exported entry carries the fingerprint of its msgstr as exported; those of a French catalog
    match the French terms, not the Spanish ones. A catalog relabelled by mistake would otherwise write
    French terms into Spanish, entry by entry.
    """
    matches = dict.fromkeys(LANGUAGES, 0)
    marked = 0
    for entry in returned.catalog:
        base = _Planner._base(entry)
        concept = termbase.get(entry.msgctxt or "")
        if base is None or concept is None:
            continue
        marked += 1
        for lang in LANGUAGES:
            head = concept.head_term(lang)
            matches[lang] += head is not None and base_fingerprint(head.text) == base
    best = max(LANGUAGES, key=lambda lang: (matches[lang], lang == returned.lang))
    if best != returned.lang and matches[best] >= max(3, marked // 2) and matches[best] > 2 * matches[returned.lang]:
        raise InputError(f"the Language header says {returned.lang!r}, but the entries were exported in the "
                         f"{best!r} catalog ({matches[best]} of {marked} match it); correct the header",
                         returned.path)


def edited_term_files(term_files: list[_TermFile], termbase: Termbase,
                      planned: dict[tuple[str, str], list[_Slot]]) -> dict[str, tuple[bytes, bytes]]:
    """The term files an intended set of term lists changes (path -> (old bytes, new bytes)), each
    edited line by line and proven to read back as intended, refused where a concept would gain an
    error ``validate`` reports; shared by every import that edits terms."""
    changed: dict[str, tuple[bytes, bytes]] = {}
    by_file: dict[str, set[str]] = {}
    for concept_id, _lang in planned:
        origin = termbase[concept_id].origin
        by_file.setdefault(origin.path if origin else "", set()).add(concept_id)
    for term_file in term_files:
        concept_ids = by_file.get(term_file.path)
        if not concept_ids:
            continue
        edits: dict[int, LineEdit] = {}
        expected = []
        for concept in term_file.concepts:
            if concept.id not in concept_ids:
                expected.append(concept)
                continue
            terms = dict(concept.terms)
            for lang in LANGUAGES:
                slots = planned.get((concept.id, lang))
                if slots is None:
                    continue
                terms[lang] = [t for _, t in slots]
                for line, edit in _line_edits(concept, lang, slots, term_file.path).items():
                    edits[line] = edit
            changed_concept = dataclasses.replace(concept, terms=terms)
            _refuse_new_errors(concept, changed_concept, term_file.path)
            expected.append(changed_concept)
        if not edits:
            continue
        new = edit_term_file(term_file.data, term_file.path, edits, expected)
        if new != term_file.data:
            changed[term_file.path] = (term_file.data, new)
    return changed


def merge_catalogs(term_paths: Iterable[str | os.PathLike], po_paths: Iterable[str | os.PathLike], *,
                   keep_old: str = "deprecated", accept_unmarked: bool = False) -> MergeResult:
    """Plan the merge of translators' PO files into the term files; nothing is written here.

    Every PO file is read (and any unreadable one raises) before anything is planned, and every
    changed term file is edited in memory and proven to read back as intended, so a later
    :func:`write_merge` writes all or nothing that could fail for content reasons.
    """
    if keep_old not in KEEP_OLD_STATUSES:
        raise ValueError(f"keep_old must be one of {KEEP_OLD_STATUSES}")
    returned = [read_returned_catalog(p) for p in po_paths]
    term_files, termbase = _read_term_files(term_paths)
    for catalog in returned:
        _check_language(catalog, termbase)
    planner = _Planner(termbase, keep_old, accept_unmarked)
    result = MergeResult(returned)
    planned: list[EntryOutcome | _Claim] = []
    for catalog in returned:
        disagreeing = _disagreeing_duplicates(catalog)
        for entry in catalog.catalog:
            lines = disagreeing.get((entry.msgctxt, entry.msgid)) if not entry.obsolete else None
            if lines:
                planned.append(EntryOutcome(catalog.path, entry.linenum, catalog.lang, entry.msgctxt, entry.msgid,
                                            "conflict", "duplicate entries disagree (lines "
                                            f"{', '.join(map(str, lines))}); none applied"))
            else:
                planned.append(planner.entry(catalog, entry))
    result.outcomes = planner.resolve(planned)
    result.files.update(edited_term_files(term_files, termbase, planner.slots))
    return result


def write_merge(result: MergeResult) -> list[str]:
    """Write the changed term files as one transaction; refuse if one changed on disk since planning.

    Prefer :func:`import_catalogs`, which plans under the termbase lock and so never has to refuse.
    """
    by_directory: dict[str, dict[str, tuple[bytes, bytes]]] = {}
    for path, change in result.files.items():
        by_directory.setdefault(os.path.dirname(os.path.abspath(path)), {})[path] = change
    written: list[str] = []
    for directory, files in by_directory.items():
        written += write_term_files(directory, {p: new for p, (_old, new) in files.items()},
                                    expected={p: old for p, (old, _new) in files.items()})
    return list(result.files)


def import_catalogs(terms_dir: str | os.PathLike, po_paths: Iterable[str | os.PathLike], *,
                    keep_old: str = "deprecated", accept_unmarked: bool = False,
                    dry_run: bool = False) -> MergeResult:
    """Plan and write the merge as one transaction on ``terms_dir``: the term files are read under its lock,
    so a concurrent writer's changes are merged with, never lost, and a kill leaves old or new files."""
    if dry_run:
        return merge_catalogs([terms_dir], po_paths, keep_old=keep_old, accept_unmarked=accept_unmarked)
    return plan_and_write(terms_dir, lambda: merge_catalogs([terms_dir], po_paths, keep_old=keep_old,
                                                            accept_unmarked=accept_unmarked))
