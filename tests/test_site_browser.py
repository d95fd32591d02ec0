"""The web glossary in a real browser: headless Chromium (Debian packages) driven by Selenium.

Skipped, with the reason, where the browser is not installed; tests/test_site.py checks the same site
without one. Screenshots go to $GLOSSARY_ARTIFACTS, or to browser-artifacts/ in pytest's temporary directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import chromium, console_errors, unavailable
from glossary.lookup import match_key
from glossary.site import render_site, write_site

pytestmark = pytest.mark.skipif(unavailable() is not None, reason=f"no browser: {unavailable()}")


@pytest.fixture(scope="module")
def site_dir(termbase, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(out, render_site(termbase))
    return out


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    chosen = os.environ.get("GLOSSARY_ARTIFACTS")
    path = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "browser-artifacts"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def driver():
    with chromium() as d:
        yield d


def _open(driver, site_dir: Path, page: str = "index.html", fragment: str = "") -> None:
    driver.get((site_dir / page).as_uri() + fragment)


def _search(driver, site_dir: Path, query: str) -> list[str]:
    """Type the query into the search box as a reader would; the hrefs of the hits, best first."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, site_dir)
    box = driver.find_element(By.ID, "q")
    box.send_keys(query)
    # results are drawn once per animation frame: wait for those of the whole query, then read them at once
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("return document.getElementById('results').dataset.query === arguments[0]", query))
    return driver.execute_script("return Array.from(document.querySelectorAll('#results a.hit-link'), a => a.href)")


@pytest.mark.parametrize(("query", "concept"), [
    ("internatonal monitring systm", "ims.international-monitoring-system"),  # typos
    ("on-site inspecton", "osi.on-site-inspection"),
    ("الامانه الفنيه المؤقته", "general.provisional-technical-secretariat"),  # no hamza, ه for ة
    ("مشغل المحطة", "ims.station-operator"),  # the term is written with a shadda
    ("ВТС", "general.provisional-technical-secretariat"),  # Russian abbreviations
    ("мсм", "ims.international-monitoring-system"),
    ("現場視察", "osi.on-site-inspection"),  # traditional Chinese
    ("臨時技術秘書處", "general.provisional-technical-secretariat"),
    ("SSI", "ims.international-monitoring-system"),  # French abbreviation
])
def test_query_brings_the_right_concept_first(driver, site_dir, query, concept):
    hits = _search(driver, site_dir, query)
    assert hits, f"no hit for {query!r}"
    assert hits[0].endswith(f"#{concept}"), (query, hits[:3])
    assert console_errors(driver) == []


def test_keyboard_opens_a_result_on_its_card(driver, site_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    _search(driver, site_dir, "primary seismic station")
    driver.find_element(By.ID, "q").send_keys(Keys.ARROW_DOWN)
    focused = driver.switch_to.active_element
    assert "hit-link" in focused.get_attribute("class")
    focused.send_keys(Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("ims.html#ims.primary-seismic-station"))
    assert driver.execute_script("return document.querySelector(':target').id") == "ims.primary-seismic-station"
    assert console_errors(driver) == []


def test_a_concept_id_on_the_search_page_forwards_to_its_card(driver, site_dir):
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, site_dir, "index.html", "#osi.on-site-inspection")
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("osi.html#osi.on-site-inspection"))


def test_arabic_terms_render_right_to_left(driver, site_dir):
    _open(driver, site_dir, "ims.html", "#ims.international-monitoring-system")
    boxes = driver.execute_script("""
        const card = document.getElementById(arguments[0]);
        function measure(el) {
          const text = el.firstChild, range = document.createRange();
          const box = (i) => {
            range.setStart(text, i); range.setEnd(text, i + 1); return range.getBoundingClientRect();
          };
          range.selectNodeContents(el);
          const all = range.getBoundingClientRect(), host = el.getBoundingClientRect();
          return {dir: getComputedStyle(el).direction, attr: el.getAttribute("dir"), first: box(0).left,
                  last: box(text.length - 1).left, textLeft: all.left, textRight: all.right,
                  boxLeft: host.left, boxRight: host.right};
        }
        return {ar: measure(card.querySelector('.term-text[lang="ar"]')),
                en: measure(card.querySelector('.term-text[lang="en"]'))};""", "ims.international-monitoring-system")
    ar, en = boxes["ar"], boxes["en"]
    assert ar["attr"] == "rtl" and ar["dir"] == "rtl" and en["dir"] == "ltr"
    assert ar["first"] > ar["last"], "the first Arabic letter must be the rightmost"
    assert en["first"] < en["last"]
    assert abs(ar["textRight"] - ar["boxRight"]) < 2, "Arabic text starts at the right edge of its column"
    assert abs(en["textLeft"] - en["boxLeft"]) < 2


def test_no_console_errors_on_any_page(driver, site_dir):
    for page in sorted(p.name for p in site_dir.glob("*.html")):
        _open(driver, site_dir, page)
        assert console_errors(driver) == [], page


def test_every_link_on_the_pages_resolves_in_the_browser(driver, site_dir):
    for page in sorted(p.name for p in site_dir.glob("*.html")):
        _open(driver, site_dir, page)
        broken = driver.execute_script("""
            return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)
              .filter(h => h.startsWith(location.href.split('#')[0]) && h.includes('#'))
              .filter(h => !document.getElementById(decodeURIComponent(h.split('#')[1])));""")
        assert broken == [], (page, broken[:5])


def test_print_stylesheet_prints_six_columns_of_head_terms(driver, site_dir):
    _open(driver, site_dir, "ims.html")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        layout = driver.execute_script("""
            const card = document.getElementById('ims.international-monitoring-system');
            const cols = getComputedStyle(card.querySelector('.languages')).gridTemplateColumns.split(' ').length;
            const shown = (sel) => Array.from(card.querySelectorAll(sel)).filter(e => e.offsetParent !== null).length;
            return {cols, heads: shown('.term.head'), others: shown('.term:not(.head)'),
                    definition: shown('.definition'), header: shown('.card-header'),
                    search: document.querySelector('.site-header').offsetParent !== null};""")
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert layout == {"cols": 6, "heads": 6, "others": 0, "definition": 0, "header": 0, "search": False}


def test_screenshots_of_a_card_and_of_search_results(driver, site_dir, artifacts):
    from selenium.webdriver.common.by import By

    _search(driver, site_dir, "seismic station")
    results = artifacts / "search-results.png"
    driver.find_element(By.CSS_SELECTOR, "main").screenshot(str(results))
    _open(driver, site_dir, "ims.html", "#ims.international-monitoring-system")
    card = artifacts / "concept-card.png"
    driver.find_element(By.ID, "ims.international-monitoring-system").screenshot(str(card))
    for path in (results, card):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000
    print(f"screenshots: {results} {card}")


def _with_tashkeel(text: str) -> str:
    """Arabic text with a fatha after every letter and a tatweel in each word: what diacritised input looks like."""
    return "".join(c + "\u064e" if "\u0621" <= c <= "\u064a" else c for c in text).replace(" ", "\u0640 ")


def test_browser_folding_agrees_with_lookup_on_real_terms(driver, site_dir, termbase):
    """fold.js and glossary.lookup.match_key give the same key for every term of the termbase, in upper
    case, in traditional characters (OpenCC s2t) and with Arabic diacritics."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    samples = set()
    for concept in termbase.values():
        for lang, term in concept.all_terms():
            samples.update((term.text, term.text.upper()))
            if lang == "zh":
                samples.add(to_traditional.convert(term.text))
            if lang == "ar":
                samples.add(_with_tashkeel(term.text))
    samples.update(["Système  de surveillance-International", "ОБЪЁМ", "Straße", "١٢٣ ۴", "ｆｕｌｌ　ｗｉｄｔｈ",
                    "State’s d'inspection", "\u200fمركز البيانات الدولي\u200f"])
    samples = sorted(samples)
    _open(driver, site_dir)
    folded = driver.execute_script("""
        const fold = GlossaryFold.makeFolder(GLOSSARY.fold);
        return arguments[0].map(s => fold.matchKey(s));""", samples)
    disagreements = [(s, match_key(s), js) for s, js in zip(samples, folded) if match_key(s) != js]
    assert len(samples) > 3000
    assert disagreements == []


def test_hand_written_queries_find_their_concept_first(driver, site_dir):
    """tests/fixtures/site/queries.tsv: what delegates type, in the six languages (scripts/eval_site_search.py
    prints the same beside `glossary lookup`)."""
    from conftest import FIXTURES

    rows = [line.split("\t") for line in (FIXTURES / "site" / "queries.tsv").read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    _open(driver, site_dir)
    firsts = driver.execute_script("""
        const s = window.glossarySearchPage.searcher, concepts = GLOSSARY.index.concepts;
        return arguments[0].map(q => {
          const h = s.search(q, 1);
          return h.length ? concepts[h[0].concept][0] : null;
        });""",
                                   [q for q, _c in rows])
    assert [(q, got) for (q, want), got in zip(rows, firsts) if got != want] == []


def test_the_search_box_of_a_domain_page_opens_the_search_page_with_the_query(driver, site_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, site_dir, "osi.html")
    driver.find_element(By.TAG_NAME, "body").send_keys("/")
    box = driver.switch_to.active_element
    assert box.get_attribute("id") == "header-q"
    box.send_keys("МЦД", Keys.ENTER)
    WebDriverWait(driver, 10).until(
        lambda d: d.execute_script("var r = document.getElementById('results'); return r && r.dataset.query") == "МЦД")
    first = driver.find_element(By.CSS_SELECTOR, "#results a.hit-link").get_attribute("href")
    assert first.endswith("idc.html#idc.international-data-centre")
    assert driver.find_element(By.ID, "q").get_attribute("value") == "МЦД"
    assert console_errors(driver) == []
