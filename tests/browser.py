"""Headless Chromium from the system packages (Debian ``chromium`` and ``chromium-driver``), driven by Selenium.

Nothing is downloaded: the driver and the browser are named explicitly and Selenium Manager runs offline.
``GLOSSARY_CHROMIUM`` and ``GLOSSARY_CHROMEDRIVER`` point elsewhere where the browser lives elsewhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = os.environ.get("GLOSSARY_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("GLOSSARY_CHROMEDRIVER", "/usr/bin/chromedriver")
PACKAGES = "chromium chromium-driver fonts-noto-core fonts-noto-cjk"


def unavailable() -> str | None:
    """Why the browser cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} not found (Debian: apt-get install {PACKAGES})"
    return None


@contextlib.contextmanager
def chromium(width: int = 1400, height: int = 1000) -> Iterator:
    """A headless Chromium WebDriver with a fresh profile, which keeps its console log."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never try to download a browser
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                f"--window-size={width},{height}", f"--user-data-dir={profile}", "--lang=en-US"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def console_errors(driver) -> list[str]:
    """Console messages at error level since the last call (the log is drained when read)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
