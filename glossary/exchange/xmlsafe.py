"""Parsing XML from outside with no network, no DTD loading and no entity expansion.

A TBX file comes from another office or a download: it must not make the parser fetch a URL
(external DTD or entity), read a local file (``SYSTEM "file:///etc/passwd"``) or expand a billion
laughs. lxml's parser is told to resolve no entities, load no DTD and use no network, and any
``<!ENTITY>`` declaration in the internal subset is refused outright: real glossaries have none.
"""

from __future__ import annotations

from lxml import etree

from glossary.errors import InputError


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_blank_text=False, collect_ids=False)


def parse_xml(data: bytes, path: str) -> etree._ElementTree:
    """The parsed document; anything unsafe or not well-formed is one :class:`InputError` naming the file."""
    if not data.strip():
        raise InputError("empty file: expected XML", path)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        message = exc.msg or str(exc)
        if "entity" in message.lower() and ("loop" in message.lower() or "amplification" in message.lower()):
            message = f"entity expansion refused ({message})"
        raise InputError(f"not well-formed XML: {message}", path, exc.lineno or None) from exc
    except ValueError as exc:  # e.g. a str with an encoding declaration; never raised for bytes, kept for safety
        raise InputError(f"cannot parse as XML: {exc}", path) from exc
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise InputError("the document declares entities (<!ENTITY ...>); refused, since a glossary needs "
                         "none and they are how XML bombs and file or network reads are smuggled in", path)
    for node in tree.getroot().iter(etree.Entity):
        raise InputError(f"reference to an undeclared or external entity &{node.name}; refused", path,
                         node.sourceline)
    return tree
