"""The gettext adapter for export: the termbase as one POT and six PO catalogs (and their MO files).

One entry per concept: ``msgctxt`` is the concept id (stable, unique, so homonyms stay apart), ``msgid``
the English head term and ``msgstr`` the catalog language's head term. A head term that is only
``proposed`` is exported with the ``fuzzy`` flag: translators' tools show it as "needs review", and
``msgfmt`` leaves it out of the MO, so software never ships an unconfirmed equivalent.

Abbreviations get their own entry with ``msgctxt = "<concept id>#abbreviation"``. The suffix cannot
clash with a concept id (ids are ``[a-z0-9.-]``, see ``terms/README.md``), it keeps the concept id as a
visible prefix so a translator sees which concept the abbreviation belongs to, and it keeps the
(msgctxt, msgid) key unique even when an abbreviation equals another concept's term (``IDC``).

References (``#:``) use gettext's ``file:line`` form with the document symbol as the file and the
paragraph as the line: ``CTBT/WGB-62/INF.4:13``. That is exactly what polib, babel's ``read_po``
(which wants an integer after the last colon), translate-toolkit, Poedit and Weblate parse as a
location, and ``msgcat``/``msgmerge`` keep it. Sources that do not fit that form (a symbol with spaces,
a location such as "Article IV, para. 16", a paragraph that is not a number) go into the extracted
comments instead, where nothing tries to parse them.

Every PO entry also carries an extracted comment ``glossary-base: <hash>``: a fingerprint of the
msgstr as exported. Import compares it with the msgstr that comes back (did the translator change
it?) and with the termbase now (did the terminologists change it?); both changed is a conflict.
Extracted comments are the part of an entry that Poedit, Weblate and translate-toolkit carry through
untouched, and translators do not edit them.

Locale ids: ``ar en fr ru es`` and ``zh_Hans`` for Chinese. The UN's Chinese is simplified Chinese,
not the usage of one country, and ``zh_Hans`` says exactly that: it is CLDR's and babel's canonical id
(``Locale.parse("zh_CN")`` itself resolves to ``zh_Hans_CN``), Weblate's code for simplified Chinese
(it maps ``zh_CN`` onto it), and Poedit lists it as "Chinese (Simplified)". GNU ``msgfmt`` does not
interpret the Language value beyond plural checks. The one place ``zh_CN`` would be easier is runtime
lookup by ``LANG=zh_CN.UTF-8`` through glibc, which these catalogs are not for; a program that wants
that asks for ``zh_Hans`` explicitly (``gettext.translation(..., languages=["zh_Hans"])``).
"""

from __future__ import annotations

import hashlib
import os
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import polib

import glossary
from glossary.errors import InputError
from glossary.fileio import atomic_write_bytes, read_input_bytes
from glossary.model import LANGUAGES, Concept, Term, Termbase
from glossary.resources import REPORT_SYMBOL

#: gettext domain: the catalogs are ``<locale>/LC_MESSAGES/glossary.po`` and ``glossary.pot``.
DOMAIN = "glossary"
#: Catalog locale id per glossary language (see the module docstring for ``zh_Hans``).
LOCALES: dict[str, str] = {"ar": "ar", "zh": "zh_Hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}
#: Appended to the concept id to make the msgctxt of a concept's abbreviation entry.
ABBREVIATION_CONTEXT_SUFFIX = "#abbreviation"
#: Extracted-comment prefix of the export fingerprint that import uses to detect conflicts.
BASE_MARKER = "glossary-base: "
WRAP_WIDTH = 78

# The six Plural-Forms headers are the project's own decision, fixed here so that catalog bytes do not
# depend on the installed babel (babel 2.19 switched French and Spanish to CLDR's three forms, and its
# Arabic rule is wrong: python-babel/babel issue 816).
#
# We write GNU gettext's forms: the ones `msginit` writes for a new catalog and Poedit and Weblate
# propose by default, so a translator's tool never rewrites our header on save, and the committed
# catalogs keep their bytes. They differ from CLDR's current rules only where CLDR has a `many` form
# for exact millions in French and Spanish (1000000 -> `many`), which GNU folds into `other`: our
# catalogs carry no plural entries, so the fold costs nothing, and it is the convention every gettext
# client expects. tests/test_catalogs.py checks each row against CLDR's categories (babel's
# Locale.plural_form, whatever version is installed) for every n in 0..1,000,000, with `many` folded
# into `other` for fr and es.
PLURAL_FORMS: dict[str, str] = {
    "ar": "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 "
          ": n%100>=11 ? 4 : 5);",
    "zh": "nplurals=1; plural=0;",
    "en": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
          "n%100>=20) ? 1 : 2);",
    "es": "nplurals=2; plural=(n != 1);",
}

# Language names written into catalogs (Language-Team, the header comment), fixed for the same reason:
# CLDR revises display names between babel releases. These are CLDR's names as babel 2.14-2.19 give
# them (Locale.get_display_name in the language itself and in English); a test checks they still agree.
LANGUAGE_NAMES: dict[str, str] = {
    "ar": "العربية", "zh": "中文 (简体)", "en": "English", "fr": "français", "ru": "русский", "es": "español",
}
ENGLISH_LANGUAGE_NAMES: dict[str, str] = {
    "ar": "Arabic", "zh": "Chinese (Simplified)", "en": "English", "fr": "French", "ru": "Russian",
    "es": "Spanish",
}


def plural_forms(lang: str) -> str:
    """The Plural-Forms header for a glossary language (GNU gettext's form; see PLURAL_FORMS)."""
    return PLURAL_FORMS[lang]


def language_name(lang: str) -> str:
    """The language's name in itself (``français``, ``中文 (简体)``), as CLDR gives it."""
    return LANGUAGE_NAMES[lang]


def po_path(lang: str) -> str:
    """Relative path of a language's catalog inside the output directory (POSIX separators)."""
    return f"{LOCALES[lang]}/LC_MESSAGES/{DOMAIN}.po"


def base_fingerprint(text: str) -> str:
    """A short stable fingerprint of an exported msgstr (12 hex digits of SHA-256 are plenty here)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def abbreviation(concept: Concept, lang: str) -> Term | None:
    """The abbreviation a catalog shows for ``lang``: the first one in use that is not the head term."""
    head = concept.head_term(lang)
    for term in concept.terms.get(lang, ()):
        if term.type == "abbreviation" and term.status != "deprecated" and term is not head:
            return term
    return None


def _timestamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%d %H:%M%z")


def catalog_metadata(lang: str | None, *, timestamp: datetime | None = None) -> dict[str, str]:
    """Header fields, in the order GNU tools write them.

    ``lang=None`` gives the template's header. The dates are left out unless ``timestamp`` is given,
    so two exports of the same termbase are byte-identical. Left out, not empty: babel's ``read_po``
    rejects an empty date, while a missing PO-Revision-Date only costs a ``msgfmt --check`` warning
    (translators' tools add it on save). An empty Last-Translator is what Poedit writes for a new
    catalog and keeps msgfmt quiet.
    """
    meta = {"Project-Id-Version": f"ctbt-glossary {glossary.__version__}"}
    if timestamp is not None:
        meta["POT-Creation-Date"] = meta["PO-Revision-Date"] = _timestamp(timestamp)
    meta["Last-Translator"] = ""
    if lang is None:
        meta["Language-Team"] = ""
        meta["Language"] = ""
    else:
        meta["Language-Team"] = language_name(lang)
        meta["Language"] = LOCALES[lang]
    meta.update({
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    })
    if lang is not None:
        meta["Plural-Forms"] = plural_forms(lang)
    return meta


@dataclass(frozen=True)
class ReportTerms:
    """Which Chinese term of a concept the report uses, found by looking each zh term up in its text."""

    symbol: str
    text: str

    def chinese_term(self, concept: Concept) -> str | None:
        head = concept.head_term("zh")
        candidates = ([head] if head else []) + [t for t in concept.terms.get("zh", ()) if t is not head]
        for term in candidates:
            if term.text and term.text in self.text:
                return term.text
        return None


def _references(concept: Concept) -> tuple[list[tuple[str, str]], list[str]]:
    """``#:`` occurrences for ``SYMBOL:paragraph`` sources, and comment lines for the rest."""
    occurrences: list[tuple[str, str]] = []
    other: list[str] = []
    for source in concept.sources:
        parsable = source.document and not any(c.isspace() for c in source.document)
        for paragraph in source.paragraphs:
            if parsable and paragraph.isdigit():
                occurrences.append((source.document, paragraph))
            else:
                other.append(f"{source.document} para. {paragraph}")
        if not source.paragraphs:
            other.extend(source.references())
    return occurrences, other


# Words are never split: a long URL or symbol stays whole, as xgettext leaves it.
_COMMENT_WRAPPER = textwrap.TextWrapper(WRAP_WIDTH - 3, break_long_words=False, break_on_hyphens=False)


def _wrapped(lines: Iterable[str]) -> list[str]:
    """Comment lines wrapped as polib would wrap them at render time, done once per concept instead
    of once per catalog (wrapping is most of the cost of rendering seven catalogs)."""
    out = []
    for line in lines:
        if len(line) + 3 > WRAP_WIDTH:
            out.extend(_COMMENT_WRAPPER.wrap(line) or [line])
        else:
            out.append(line)
    return out


@dataclass(frozen=True)
class _ConceptParts:
    """What every catalog says about a concept, computed once."""

    english: Term
    comments: list[str]
    sources: list[str]
    occurrences: list[tuple[str, str]]
    english_abbreviation: Term | None


def _concept_parts(concept: Concept, report: ReportTerms | None) -> _ConceptParts | None:
    english = concept.head_term("en")
    if english is None:  # `glossary validate` reports it; a catalog cannot key the concept without it
        return None
    lines = []
    if concept.definition:
        lines.extend(f"Definition: {line}" if i == 0 else line
                     for i, line in enumerate(concept.definition.splitlines()))
    lines.append(f"Domain: {concept.domain}" + (f" ({concept.subject})" if concept.subject else ""))
    chinese = report.chinese_term(concept) if report else None
    if chinese:
        lines.append(f"Chinese in {report.symbol}: {chinese}")
    occurrences, other_sources = _references(concept)
    return _ConceptParts(english, _wrapped(lines), _wrapped(f"Source: {s}" for s in other_sources),
                         occurrences, abbreviation(concept, "en"))


def _language_comments(concept: Concept, lang: str) -> list[str]:
    head = concept.head_term(lang)
    terms = concept.terms.get(lang, ())
    lines = []
    abbreviations = [t.text for t in terms if t.type == "abbreviation" and t.status != "deprecated"
                     and t is not head]
    admitted = [t.text for t in terms if t.status == "admitted" and t.type != "abbreviation"]
    deprecated = [t.text for t in terms if t.status == "deprecated"]
    if abbreviations:
        lines.append("Abbreviations: " + "; ".join(abbreviations))
    if admitted:
        lines.append("Admitted: " + "; ".join(admitted))
    if deprecated:
        lines.append("Deprecated, do not use: " + "; ".join(deprecated))
    if head is not None and head.status == "proposed":
        lines.append("Proposed: official wording not yet confirmed")
    if head is not None and head.note:
        lines.append(f"Note: {head.note}")
    return lines


def _entries(concept: Concept, parts: _ConceptParts, lang: str | None) -> list[polib.POEntry]:
    """The concept's entry and, where English has one, its abbreviation entry."""
    english = parts.english
    comments = list(parts.comments)
    if lang is not None:
        comments += _language_comments(concept, lang)
    comments += parts.sources
    target = concept.head_term(lang) if lang else None
    msgstr = target.text if target else ""
    main = polib.POEntry(msgctxt=concept.id, msgid=english.text, msgstr=msgstr,
                         occurrences=parts.occurrences)
    if lang is not None:
        comments.append(BASE_MARKER + base_fingerprint(msgstr))
        if target is not None and target.status == "proposed":
            main.flags.append("fuzzy")
    main.comment = "\n".join(comments)
    entries = [main]
    if parts.english_abbreviation is not None:
        target_abbreviation = abbreviation(concept, lang) if lang else None
        abbr_text = target_abbreviation.text if target_abbreviation else ""
        abbr_comments = [f"Abbreviation of: {english.text}", f"Domain: {concept.domain}"]
        if lang is not None:
            abbr_comments.append(BASE_MARKER + base_fingerprint(abbr_text))
        entries.append(polib.POEntry(msgctxt=concept.id + ABBREVIATION_CONTEXT_SUFFIX,
                                     msgid=parts.english_abbreviation.text, msgstr=abbr_text,
                                     comment="\n".join(abbr_comments)))
    return entries


def build_catalogs(termbase: Termbase, *, report: ReportTerms | None = None,
                   timestamp: datetime | None = None) -> dict[str | None, polib.POFile]:
    """The template (key ``None``) and one catalog per language, entries in termbase order."""
    catalogs: dict[str | None, polib.POFile] = {}
    for lang in (None, *LANGUAGES):
        catalog = polib.POFile(wrapwidth=WRAP_WIDTH, check_for_duplicates=False)
        title = "template" if lang is None else f"{ENGLISH_LANGUAGE_NAMES[lang]} catalog"
        catalog.header = (f"CTBT verification glossary: {title}.\n"
                          "Generated by `glossary export po` from terms/*.yaml; edit the terms there,\n"
                          "or translate here and merge back with `glossary import-po`.")
        catalog.metadata = catalog_metadata(lang, timestamp=timestamp)
        catalogs[lang] = catalog
    for concept in termbase.values():
        parts = _concept_parts(concept, report)
        if parts is None:
            continue
        for lang, catalog in catalogs.items():
            catalog.extend(_entries(concept, parts, lang))
    return catalogs


def render_catalogs(termbase: Termbase, *, report: ReportTerms | None = None, mo: bool = False,
                    timestamp: datetime | None = None) -> dict[str, bytes]:
    """Every catalog file as bytes, keyed by its path relative to the output directory.

    Nothing is written here, so ``export po --check`` compares and ``export po`` writes the same bytes.
    """
    catalogs = build_catalogs(termbase, report=report, timestamp=timestamp)
    files = {f"{DOMAIN}.pot": str(catalogs[None]).encode("utf-8") + b"\n"}
    for lang in LANGUAGES:
        files[po_path(lang)] = str(catalogs[lang]).encode("utf-8") + b"\n"
        if mo:
            files[po_path(lang)[:-3] + ".mo"] = catalogs[lang].to_binary()
    return files


def read_report(path: str | os.PathLike, symbol: str = REPORT_SYMBOL) -> ReportTerms:
    """The report whose Chinese wording the catalogs quote."""
    data = read_input_bytes(path, InputError, "cannot read the report")
    try:
        return ReportTerms(symbol, data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read the report: not UTF-8 (byte {exc.start})", path) from exc


def source_date() -> datetime:
    """Now, or ``$SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.now(timezone.utc).replace(second=0, microsecond=0)


def _catalog_files_on_disk(out_dir: Path, with_mo: bool) -> set[str]:
    suffixes = (".po", ".pot", ".mo") if with_mo else (".po", ".pot")
    if not out_dir.is_dir():
        return set()
    return {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*")
            if p.is_file() and p.suffix in suffixes}


#: How :func:`stale_catalogs` names a catalog file the export does not write (and never deletes).
NOT_PRODUCED = "not produced by the export"


def stale_catalogs(out_dir: str | os.PathLike, files: dict[str, bytes]) -> list[str]:
    """Paths (relative to ``out_dir``) that differ from ``files``, are missing, or should not be there."""
    out_dir = Path(out_dir)
    with_mo = any(name.endswith(".mo") for name in files)
    problems = []
    for name, data in files.items():
        path = out_dir / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif path.read_bytes() != data:
            problems.append(f"{name}: out of date")
    for name in sorted(_catalog_files_on_disk(out_dir, with_mo) - set(files)):
        problems.append(f"{name}: {NOT_PRODUCED}")
    return problems


def write_catalogs(out_dir: str | os.PathLike, files: dict[str, bytes]) -> list[Path]:
    """Write each file atomically; files whose bytes are already right are left alone (mtimes too)."""
    written = []
    for name, data in files.items():
        path = Path(out_dir) / name
        if path.is_file() and path.read_bytes() == data:
            continue
        atomic_write_bytes(path, data)
        written.append(path)
    return written

