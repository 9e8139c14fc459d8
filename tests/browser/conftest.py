"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against live_server.

Playwright never downloads a browser here; we point it at the system Chromium. Without one the
browser tests are skipped locally, but fail under CI, where .ci/run installs it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

CHROMIUM = os.environ.get("PARTNERNET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="partnernet-chromium-")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS]
        )
        yield browser
        browser.close()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def admin_credentials(transactional_db) -> tuple[str, str]:
    get_user_model().objects.create_superuser("tester", "", "browser-pass-1")
    return "tester", "browser-pass-1"


@pytest.fixture
def page(chromium, live_server, admin_credentials) -> Iterator[Any]:
    """A logged-in page (English UI, so assertions read the source strings)."""
    context = chromium.new_context(locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", admin_credentials[0])
    page.fill("#id_password", admin_credentials[1])
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    # The UI starts in Russian; the switch posts a form and reloads the page.
    with page.expect_navigation():
        page.select_option("#language-form select", "en")
    yield page
    context.close()
