"""The demo site in a real browser (Debian's Chromium): what a reader clicks and sees."""

from __future__ import annotations

from typing import Any

SEED_000_TITLE = "Tập trung đổi mới và nâng cao chất lượng hoạt động Mặt trận"


def test_reader_follows_home_page_link_to_seed_000(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.goto(demo_server)
    page.get_by_role("link", name=SEED_000_TITLE).first.click()
    page.wait_for_load_state()
    assert page.url.startswith(demo_server + "tin/2018/")
    assert page.locator("h1").first.inner_text().startswith(SEED_000_TITLE)
    meta = page.locator(".bt-meta").inner_text()
    assert "Thứ Năm, 25/01/2018, 18:40" in meta
    assert "Ba Minh" in meta
    assert "Lượt xem: 9.913" in meta
    page.close()


def test_font_size_choice_persists_across_pages(browser: Any, demo_server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(demo_server)
    page.get_by_role("link", name=SEED_000_TITLE).first.click()
    page.wait_for_load_state()
    body = page.locator(".bt-body p").first
    before = float(body.evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    page.get_by_role("button", name="Tăng cỡ chữ").click()
    after = float(body.evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))
    assert after > before * 1.25
    page.goto(demo_server + "ket-luan/")
    cell = page.locator(".bt-register td").first
    scaled = float(
        cell.evaluate("node => parseFloat(getComputedStyle(document.querySelector('.md-typeset')).fontSize)")
    )
    assert abs(scaled - after) < 0.5
    context.close()


def test_print_stylesheet_hides_site_chrome_on_a_notice(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.goto(demo_server + "ket-luan/")
    page.get_by_role("link", name="Kết luận của Thường trực Tỉnh ủy").first.click()
    page.wait_for_load_state()
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".bt-tools", ".bt-neighbours"):
        assert page.locator(chrome).first.is_hidden(), chrome
    assert page.locator(".bt-notice__party").is_visible()
    assert page.locator(".bt-notice__signer-name").is_visible()
    assert page.locator(".bt-notice__foot").evaluate("node => getComputedStyle(node).breakInside") == "avoid"
    citation = page.locator(".bt-body .bt-citation").first
    assert citation.evaluate("node => getComputedStyle(node).textDecorationLine") == "none"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF")
    page.close()


def test_register_sorts_by_number_and_date_in_the_browser(browser: Any, demo_server: str) -> None:
    page = browser.new_page()
    page.goto(demo_server + "ket-luan/")
    header = page.locator("th[data-sort-key=date]")
    assert header.get_attribute("aria-sort") == "descending"
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    page.locator("th[data-sort-key=number]").get_by_role("button").click()
    assert page.locator("th[data-sort-key=number]").get_attribute("aria-sort") == "descending"
    page.close()
