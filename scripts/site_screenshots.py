#!/usr/bin/env python3
"""Screenshots of the web glossary for the documentation: the search page with results, and a concept card.

Usage: python3 scripts/site_screenshots.py [--out docs] [--query "monitoring system"]
       [--concept ims.international-monitoring-system]
Needs Debian's chromium, chromium-driver, fonts-noto-core and fonts-noto-cjk, and selenium.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import chromium, unavailable  # noqa: E402

from glossary.site import render_site, write_site  # noqa: E402
from glossary.termfile import load_termbase  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--terms", type=Path, default=ROOT / "terms")
    parser.add_argument("--query", default="monitoring system")
    parser.add_argument("--concept", default="ims.international-monitoring-system")
    args = parser.parse_args()
    reason = unavailable()
    if reason:
        print(f"error: {reason}", file=sys.stderr)
        return 2
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    termbase = load_termbase([args.terms])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium(width=1280, height=900) as driver:
        site = Path(tmp)
        write_site(site, render_site(termbase))
        driver.get((site / "index.html").as_uri())
        driver.find_element(By.ID, "q").send_keys(args.query)
        WebDriverWait(driver, 10).until(lambda d: d.execute_script(
            "return document.getElementById('results').dataset.query === arguments[0]", args.query))
        search = args.out / "web-search.png"
        driver.save_screenshot(str(search))
        domain = termbase[args.concept].domain.lower()
        driver.get((site / f"{domain}.html").as_uri() + f"#{args.concept}")
        card = args.out / "web-card.png"
        driver.find_element(By.ID, args.concept).screenshot(str(card))
    print(f"wrote {search} and {card}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
