"""The static web glossary: a search page and one page per domain, cards with the six languages side by side.

The site is a handful of files that open from ``file://`` or any static host: no server, no CDN, no
``fetch()`` (the search index is a script, see :mod:`glossary.site_index`). Pages are Jinja2 templates
shipped in ``glossary/templates``; this module only prepares what they show. The same termbase gives
the same bytes.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from glossary.fileio import atomic_write_bytes
from glossary.model import LANGUAGES, Concept, Termbase
from glossary.resources import REPORT_SYMBOL
from glossary.site_index import index_script, page_of

#: Names of the domains, as headings.
DOMAIN_NAMES = {"IMS": "International Monitoring System", "IDC": "International Data Centre",
                "OSI": "On-site inspection", "general": "General"}
#: Language tags for ``lang``: the UN's Chinese is written in simplified characters.
LANGUAGE_TAGS = {"zh": "zh-Hans"}
RTL_LANGUAGES = frozenset({"ar"})
#: Files copied as they are.
STATIC_FILES = ("site.css", "fold.js", "search.js", "app.js")
INDEX_SCRIPT = "search-index.js"
TYPE_LABELS = {"fullForm": "", "abbreviation": "abbreviation", "shortForm": "short form", "variant": "variant"}


@dataclass(frozen=True)
class Language:
    code: str
    tag: str
    dir: str
    name: str
    autonym: str


@dataclass(frozen=True)
class TermView:
    text: str
    type: str
    type_label: str
    status: str
    source: str | None
    note: str | None
    head: bool
    expansion: str | None = None  # what an abbreviation stands for: its language's head term



@dataclass(frozen=True)
class LanguageColumn:
    language: Language
    terms: list[TermView]


@dataclass(frozen=True)
class RelatedLink:
    id: str
    title: str
    href: str | None  # None when the id is not in the termbase (validate reports it)


@dataclass(frozen=True)
class ConceptView:
    """What a card shows, prepared so the template only places it."""

    id: str
    title: str
    domain: str
    subject: str | None
    definition: str
    columns: list[LanguageColumn]
    report_paragraphs: list[str]
    references: list[str]
    related: list[RelatedLink]
    notes: str | None
    proposed_languages: list[str]


@dataclass
class SubjectGroup:
    name: str
    anchor: str
    concepts: list[ConceptView] = field(default_factory=list)


@dataclass
class DomainPage:
    code: str
    name: str
    page: str
    subjects: list[SubjectGroup] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(s.concepts) for s in self.subjects)


@functools.lru_cache(maxsize=1)
def languages() -> tuple[Language, ...]:
    """The six languages with their English names and autonyms (from babel's CLDR data)."""
    from babel import Locale

    out = []
    for code in LANGUAGES:
        locale = Locale.parse(code)
        out.append(Language(code, LANGUAGE_TAGS.get(code, code), "rtl" if code in RTL_LANGUAGES else "ltr",
                            locale.get_display_name("en"), locale.get_display_name(code)))
    return tuple(out)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "other"


def _title(concept: Concept) -> str:
    return concept.preferred("en") or next((t.text for _l, t in concept.all_terms()), concept.id)


def concept_view(concept: Concept, termbase: Termbase) -> ConceptView:
    columns = []
    proposed = []
    for language in languages():
        head = concept.preferred(language.code)
        terms = [TermView(t.text, t.type, TYPE_LABELS.get(t.type, t.type), t.status, t.source, t.note, t.is_head,
                          head if t.type == "abbreviation" and head != t.text else None)
                 for t in concept.terms.get(language.code, ())]
        terms.sort(key=lambda t: not t.head)  # the head term first, the others in file order
        if any(t.status == "proposed" for t in terms):
            proposed.append(language.name)
        columns.append(LanguageColumn(language, terms))
    related = []
    for rid in concept.related:
        other = termbase.get(rid)
        related.append(RelatedLink(rid, _title(other) if other else rid,
                                   f"{page_of(other.domain)}#{rid}" if other else None))
    report = concept.report_paragraphs(REPORT_SYMBOL)
    references = [ref for s in concept.sources if not (s.document == REPORT_SYMBOL and s.paragraphs)
                  for ref in s.references()]
    return ConceptView(concept.id, _title(concept), concept.domain, concept.subject, concept.definition, columns,
                       report, references, related, concept.notes, proposed)


def domain_pages(termbase: Termbase) -> list[DomainPage]:
    """Concepts grouped by domain, then subject (subjects in alphabetical order, concepts in file order)."""
    domains: dict[str, DomainPage] = {}
    groups: dict[tuple[str, str], SubjectGroup] = {}
    for concept in termbase.values():
        page = domains.setdefault(concept.domain, DomainPage(concept.domain, DOMAIN_NAMES.get(concept.domain,
                                                             concept.domain), page_of(concept.domain)))
        subject = concept.subject or "other"
        group = groups.get((concept.domain, subject))
        if group is None:
            group = groups[(concept.domain, subject)] = SubjectGroup(subject, f"subject-{_slug(subject)}")
            page.subjects.append(group)
        group.concepts.append(concept_view(concept, termbase))
    order = {d: i for i, d in enumerate(DOMAIN_NAMES)}
    pages = sorted(domains.values(), key=lambda p: (order.get(p.code, len(order)), p.code))
    for page in pages:
        page.subjects.sort(key=lambda s: (s.name == "other", s.name.casefold()))
    return pages


@functools.lru_cache(maxsize=1)
def _environment():
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("glossary", "templates"),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)


def render_site(termbase: Termbase) -> dict[str, bytes]:
    """Every file of the site, by relative path."""
    env = _environment()
    pages = domain_pages(termbase)
    common = {"domains": pages, "languages": languages(), "concept_count": len(termbase), "report": REPORT_SYMBOL}
    files = {"index.html": env.get_template("index.html").render(page=None, **common).encode("utf-8")}
    domain_template = env.get_template("domain.html")
    for page in pages:
        files[page.page] = domain_template.render(page=page, **common).encode("utf-8")
    files[INDEX_SCRIPT] = index_script(termbase)
    static = Path(__file__).resolve().parent / "templates" / "static"
    for name in STATIC_FILES:
        files[name] = (static / name).read_bytes()
    return dict(sorted(files.items()))


def write_site(out_dir: str | os.PathLike, files: dict[str, bytes]) -> list[Path]:
    """Write the files that changed, each atomically; returns the paths written."""
    out = Path(out_dir)
    written = []
    for name, data in files.items():
        path = out / name
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        atomic_write_bytes(path, data)
        written.append(path)
    return written

