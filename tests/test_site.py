"""The static web glossary without a browser: files, links, anchors, lang/dir, the index, determinism."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from glossary.cli import cli
from glossary.lookup import match_key
from glossary.model import LANGUAGES
from glossary.site import INDEX_SCRIPT, render_site
from glossary.site_index import fold_tables


class Page(HTMLParser):
    """The ids, links, scripts and term elements of one page."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []
        self.terms: list[dict] = []
        self.cards: list[str] = []
        self.languages_per_card: dict[str, int] = {}
        self._card: str | None = None
        self._in_term: dict | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for name in ("href", "src"):
            if name in attrs and tag in ("a", "link", "script", "img"):
                self.links.append(attrs[name])
        classes = (attrs.get("class") or "").split()
        if tag == "article" and "card" in classes:
            self._card = attrs["id"]
            self.cards.append(attrs["id"])
            self.languages_per_card[attrs["id"]] = 0
        if "language" in classes and self._card:
            self.languages_per_card[self._card] += 1
        if "term-text" in classes:
            self._in_term = {"lang": attrs.get("lang"), "dir": attrs.get("dir"), "text": "", "card": self._card}
            self.terms.append(self._in_term)

    def handle_endtag(self, tag):
        if tag in ("span", "abbr"):
            self._in_term = None

    def handle_data(self, data):
        if self._in_term is not None:
            self._in_term["text"] += data


@pytest.fixture(scope="module")
def site(termbase) -> dict[str, bytes]:
    return render_site(termbase)


@pytest.fixture(scope="module")
def pages(site) -> dict[str, Page]:
    return {name: Page(data.decode("utf-8")) for name, data in site.items() if name.endswith(".html")}


def test_same_termbase_gives_the_same_bytes(termbase, site):
    assert render_site(termbase) == site


def test_every_concept_has_one_card_with_a_stable_anchor_and_six_languages(termbase, pages):
    cards = {card: name for name, page in pages.items() for card in page.cards}
    assert sorted(cards) == sorted(termbase)
    assert cards["ims.primary-seismic-station"] == "ims.html"
    for name, page in pages.items():
        assert all(count == len(LANGUAGES) for count in page.languages_per_card.values()), name


def test_ids_are_unique_and_every_internal_link_resolves(site, pages):
    for name, page in pages.items():
        assert len(page.ids) == len(set(page.ids)), f"duplicate ids in {name}"
        for link in page.links:
            parts = urlsplit(link)
            assert not parts.scheme and not parts.netloc, f"{name} loads or links outside the site: {link}"
            target = parts.path or name
            assert target in site, f"{name}: {link} -> no file {target}"
            if parts.fragment and target.endswith(".html"):
                assert unquote(parts.fragment) in pages[target].ids, f"{name}: {link} -> no anchor"


def test_every_term_carries_its_language_and_arabic_is_right_to_left(termbase, pages):
    terms = [t for page in pages.values() for t in page.terms if t["card"]]
    assert len(terms) == sum(1 for c in termbase.values() for _ in c.all_terms())
    tags = {"ar": "ar", "zh": "zh-Hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}
    for term in terms:
        assert term["lang"] in tags.values(), term
        assert term["dir"] == ("rtl" if term["lang"] == "ar" else "ltr"), term
    arabic = {t["text"] for t in terms if t["lang"] == "ar"}
    assert "نظام الرصد الدولي" in arabic


def test_proposed_terms_are_marked_unconfirmed(termbase, site):
    concept = termbase["ims.ims-network"]
    assert concept.head_term("fr").status == "proposed"
    html = site["ims.html"].decode("utf-8")
    card = html[html.index('id="ims.ims-network"'):]
    card = card[:card.index("</article>")]
    assert "status-proposed" in card and "proposed · unconfirmed" in card


def test_cards_show_report_paragraphs_sources_and_related_links(site):
    html = site["ims.html"].decode("utf-8")
    card = html[html.index('id="ims.international-monitoring-system"'):]
    card = card[:card.index("</article>")]
    assert "CTBT/WGB-62/INF.4, paras. 5, 9, 11" in card
    assert "Article IV, para. 16" in card
    assert 'href="idc.html#idc.international-data-centre"' in card
    assert '<abbr class="term-text" lang="ru" dir="ltr" title="Международная система мониторинга">МСМ</abbr>' in card


def test_search_index_is_a_script_holding_lookup_keys(termbase, site):
    script = site[INDEX_SCRIPT].decode("utf-8")
    prefix = "window.GLOSSARY = "
    body = script[script.index(prefix) + len(prefix):].rstrip().rstrip(";")
    data = json.loads(body)
    index = data["index"]
    assert len(index["concepts"]) == len(termbase)
    assert index["keys"] == [match_key(text) for text in index["texts"]]
    ims = next(c for c in index["concepts"] if c[0] == "ims.international-monitoring-system")
    heads = [index["texts"][e] for e in ims[3]]
    assert heads[:3] == ["نظام الرصد الدولي", "国际监测系统", "International Monitoring System"]
    # the traditional characters the index needs, as OpenCC converts them
    assert data["fold"]["traditional"]["視"] == "视" and data["fold"]["traditional"]["場"] == "场"


def test_fold_tables_come_from_the_python_normaliser():
    tables = fold_tables(["国际监测系统"])
    assert tables["arabicLetters"]["أ"] == "ا" and tables["arabicLetters"]["\u0640"] == ""
    assert tables["casefold"]["ß"] == "ss"
    assert 0x0660 in tables["digitZeros"]  # Arabic-Indic digits
    assert set(tables["traditional"].values()) <= set("国际监测系统")


def test_export_html_command_writes_once_then_nothing(tmp_path, terms_dir):
    runner = CliRunner()
    out = tmp_path / "site"
    first = runner.invoke(cli, ["--terms", str(terms_dir), "export", "html", "--out", str(out), "--format", "json"])
    assert first.exit_code == 0, first.output
    report = json.loads(first.output)
    assert "index.html" in report["files"] and len(report["written"]) == len(report["files"])
    second = runner.invoke(cli, ["--terms", str(terms_dir), "export", "html", "--out", str(out)])
    assert second.exit_code == 0 and "(0 written" in second.output
    assert (out / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_export_html_into_a_file_is_a_usage_error(tmp_path, terms_dir):
    blocker = tmp_path / "site"
    blocker.write_text("not a directory")
    result = CliRunner().invoke(cli, ["--terms", str(terms_dir), "export", "html", "--out", str(blocker)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "is a file" in result.output


def test_templates_are_package_data():
    import glossary

    templates = Path(glossary.__file__).parent / "templates"
    assert (templates / "card.html").is_file() and (templates / "static" / "search.js").is_file()
