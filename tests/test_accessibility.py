"""Accessibility and small screens: no axe-core finding of any impact; no sideways scroll at 360 px."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.test_demo_site import SEED_000, SEED_003

PAGES = {
    "home": "",
    "article": SEED_000 + "/",
    "conclusion": SEED_003 + "/",
    "organization": "don-vi/ban-dan-van-quan-uy-go-vap/",
    "archive": "luu-tru/2018/",
    "register": "ket-luan/",
    "search": "tim-kiem/?q=dan+van+kheo",
    "not found": "404.html",
}


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_axe_violation(browser: Any, demo_server: str, name: str) -> None:
    page = browser.new_page()
    open_page(page, demo_server + PAGES[name])
    serious = serious_violations(page)
    page.close()
    assert serious == []


def test_register_reads_as_cards_on_a_phone(browser: Any, demo_server: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    open_page(page, demo_server + PAGES["register"])
    row = page.locator(".bt-register tbody tr").first
    assert row.evaluate("node => getComputedStyle(node).flexDirection") == "column"
    label = row.locator("td[data-label=Ngày]").evaluate("node => getComputedStyle(node, '::before').content")
    assert label == '"Ngày: "'
    assert page.locator("th[data-sort-key=number] button").is_visible()
    serious = serious_violations(page)
    page.close()
    assert serious == []


@pytest.mark.parametrize("name", PAGES)
def test_page_fits_a_360px_screen(browser: Any, demo_server: str, name: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})
    open_page(page, demo_server + PAGES[name])
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.close()
    assert overflow <= 0


def open_page(page: Any, url: str) -> None:
    """Open a page; a search page is checked once its results are on screen."""
    page.goto(url)
    if "?q=" in url:
        page.wait_for_selector(".bt-result")


def serious_violations(page: Any) -> list[str]:
    """Every axe-core finding on the page, whatever its impact, one line each."""
    results = Axe().run(page)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]
