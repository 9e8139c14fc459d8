"""The shell in a real browser: login lands on the overview; the language switch works."""

from __future__ import annotations


def test_login_and_switch_language(page, live_server) -> None:
    assert page.locator("h1").inner_text() == "Partner register"
    with page.expect_navigation():
        page.select_option("#language-form select", "ru")
    assert page.locator("html").get_attribute("lang") == "ru"
