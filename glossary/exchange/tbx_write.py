"""TBX export: TBX-Basic v3 (ISO 30042:2019) in DCA or DCT style, and TBX 2008 (``martif``) for older tools.

Mapping, also written into each file's header so a reader of the file alone knows it:

- concept -> ``conceptEntry`` (id = concept id); domain -> ``subjectField``; concept sources ->
  ``source`` (one per reference); subject and notes -> ``note``; related concepts -> ``ref``
  (``relatedConcept`` in DCA, the type the TBX-Basic DCA grammar allows; ``crossReference`` in DCT
  and in TBX 2008) pointing at the other ``conceptEntry``.
- definition (written in English) -> ``definition`` in the English ``langSec``.
- term -> ``termSec``: ``termType`` (fullForm, abbreviation, shortForm, variant: TBX picklist values),
  ``administrativeStatus`` (preferred/admitted/deprecated -> ``preferredTerm-admn-sts`` ...), the
  term's ``source`` and ``note``.
- ``proposed`` (a provisional head term not yet read in an official text) has no TBX picklist value.
  It is exported as ``admittedTerm-admn-sts`` -- never as preferred, so no tool presents it as official
  -- with a ``note`` ``glossary-status: proposed`` that :mod:`.tbx_read` turns back into ``proposed``.

No dates or generator versions are written: the same termbase gives the same bytes.
"""

from __future__ import annotations

from lxml import etree

from glossary.exchange.table import source_line
from glossary.model import LANGUAGES, Concept, Term, Termbase

TBX_NS = "urn:iso:std:iso:30042:ed-2"
MIN_NS = "http://www.tbxinfo.net/ns/min"
BASIC_NS = "http://www.tbxinfo.net/ns/basic"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

STYLES = ("dca", "dct")
VERSIONS = (3, 2)
#: Our status -> TBX administrativeStatus picklist value (see the module docstring for ``proposed``).
ADMIN_STATUS = {"preferred": "preferredTerm-admn-sts", "admitted": "admittedTerm-admn-sts",
                "deprecated": "deprecatedTerm-admn-sts", "proposed": "admittedTerm-admn-sts"}
#: The note that marks an exported ``proposed`` term.
PROPOSED_NOTE = "glossary-status: proposed"

MAPPING_NOTES = (
    "Exported from the CTBT verification glossary (ar zh en fr ru es).",
    "administrativeStatus: preferred, admitted and deprecated map to the TBX-Basic picklist values. "
    "The glossary's 'proposed' status (a provisional preferred term not yet confirmed in an official "
    f"text) is exported as admittedTerm-admn-sts with the note '{PROPOSED_NOTE}'; treat such terms "
    "as unconfirmed.",
    "subjectField is the glossary domain (IMS, IDC, OSI, general); definitions are in English and sit "
    "in the English langSec; a language with no term yet has no langSec, and a note on the concept says so.",
)

# data category -> (DCA element, DCT element) ; DCA writes <element type="category">.
_DCT = {
    "subjectField": f"{{{MIN_NS}}}subjectField", "administrativeStatus": f"{{{MIN_NS}}}administrativeStatus",
    "termType": f"{{{BASIC_NS}}}termType", "definition": f"{{{BASIC_NS}}}definition",
    "source": f"{{{BASIC_NS}}}source", "crossReference": f"{{{BASIC_NS}}}crossReference",
}
_DCA = {"subjectField": "descrip", "definition": "descrip", "administrativeStatus": "termNote",
        "termType": "termNote", "source": "admin", "crossReference": "ref"}


class _Writer:
    """Builds one document; ``ns`` is the structural namespace (none for TBX 2008)."""

    def __init__(self, style: str, version: int):
        self.style, self.version = style, version
        self.ns = TBX_NS if version == 3 else None

    def el(self, parent, name: str, text: str | None = None, **attrs) -> etree._Element:
        tag = f"{{{self.ns}}}{name}" if self.ns and not name.startswith("{") else name
        node = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
        if text is not None:
            node.text = text
        return node

    def category(self, parent, category: str, text: str, **attrs) -> etree._Element:
        """A data category: ``<descrip type="definition">`` (DCA, 2008) or ``<basic:definition>`` (DCT)."""
        if self.version == 3 and self.style == "dct":
            return self.el(parent, _DCT[category], text, **attrs)
        # relatedConcept is the TBX-Basic DCA grammar's type for a concept-to-concept reference
        kind = "relatedConcept" if category == "crossReference" and self.version == 3 else category
        return self.el(parent, _DCA[category], text, type=kind, **attrs)

    def term(self, parent, term: Term) -> None:
        sec = self.el(parent, "termSec" if self.version == 3 else "tig")
        self.el(sec, "term", term.text)
        self.category(sec, "termType", term.type)
        self.category(sec, "administrativeStatus", ADMIN_STATUS[term.status])
        if term.source:
            self.category(sec, "source", term.source)
        if term.status == "proposed":
            self.el(sec, "note", PROPOSED_NOTE)
        if term.note:
            self.el(sec, "note", term.note)

    def concept(self, body, concept: Concept, known: set[str]) -> None:
        entry = self.el(body, "conceptEntry" if self.version == 3 else "termEntry", id=concept.id)
        self.category(entry, "subjectField", concept.domain)
        for source in concept.sources:
            self.category(entry, "source", source_line(source))
        if concept.subject:
            self.el(entry, "note", f"subject: {concept.subject}")
        if concept.notes:
            self.el(entry, "note", concept.notes)
        missing = [lang for lang in LANGUAGES if not concept.terms.get(lang)]
        if missing:
            self.el(entry, "note", f"no term yet in: {' '.join(missing)}")
        for related in concept.related:
            if related in known:  # a dangling id would make the file invalid; `glossary validate` reports it
                self.category(entry, "crossReference", related, target=related)
        # TBX 2008 readers (translate-toolkit, Weblate) take the first langSet as the source language
        order = LANGUAGES if self.version == 3 else ("en", *(lang for lang in LANGUAGES if lang != "en"))
        for lang in order:
            terms = concept.terms.get(lang)
            if not terms:
                continue
            sec = self.el(entry, "langSec" if self.version == 3 else "langSet", **{XML_LANG: lang})
            if lang == "en" and concept.definition:
                self.category(sec, "definition", " ".join(concept.definition.split()))
            for term in terms:
                self.term(sec, term)

    def document(self, termbase: Termbase) -> etree._Element:
        if self.version == 3:
            nsmap = {None: TBX_NS}
            if self.style == "dct":
                nsmap.update(min=MIN_NS, basic=BASIC_NS)
            root = etree.Element(f"{{{TBX_NS}}}tbx", {"type": "TBX-Basic", "style": self.style, XML_LANG: "en"},
                                 nsmap=nsmap)
            header = self.el(root, "tbxHeader")
        else:
            root = etree.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
            header = self.el(root, "martifHeader")
        file_desc = self.el(header, "fileDesc")
        title = self.el(file_desc, "titleStmt")
        self.el(title, "title", "CTBT verification glossary")
        source_desc = self.el(file_desc, "sourceDesc")
        for line in MAPPING_NOTES:
            self.el(source_desc, "p", line)
        body = self.el(self.el(root, "text"), "body")
        known = set(termbase)
        for concept in termbase.values():
            self.concept(body, concept, known)
        return root


def render_tbx(termbase: Termbase, *, style: str = "dca", version: int = 3) -> bytes:
    """The whole termbase as one TBX document (UTF-8, two-space indentation, no timestamp)."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}")
    if version not in VERSIONS:
        raise ValueError(f"version must be one of {VERSIONS}")
    root = _Writer(style, version).document(termbase)
    etree.indent(root, "  ")
    comment = etree.Comment(" " + " ".join(MAPPING_NOTES[1:]).replace("--", "-") + " ")
    root.addprevious(comment)
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)
