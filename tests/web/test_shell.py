"""The web shell: login required, language switch, start page, API schema."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def user(db):
    return get_user_model().objects.create_user(username="anna", password="s3cret-pass")


def test_pages_require_login(client: Client, db) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_then_home_in_russian_by_default(client: Client, user) -> None:
    response = client.post("/accounts/login/", {"username": "anna", "password": "s3cret-pass"})
    assert response.status_code == 302
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["Content-Language"] == "ru"
    html = page.content.decode()
    assert 'lang="ru"' in html
    assert "Реестр партнёров" in html and "Выйти" in html


def test_english_browser_still_gets_russian_until_the_user_switches(client: Client, user) -> None:
    client.force_login(user)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.headers["Content-Language"] == "ru"


def test_language_switch_to_english(client: Client, user) -> None:
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")
    assert page.headers["Content-Language"] == "en"
    assert "Partner register" in page.content.decode()


def test_api_requires_token(client: Client, db) -> None:
    assert client.get("/api/schema/").status_code in (401, 403)


def test_openapi_schema_for_logged_in_user(client: Client, user) -> None:
    client.force_login(user)
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "partnernet API"


def test_ensureadmin_creates_one_admin_once(db, capsys) -> None:
    call_command("ensureadmin", "--json")
    first = capsys.readouterr().out
    assert '"created": true' in first
    call_command("ensureadmin", "--json")
    assert '"created": false' in capsys.readouterr().out
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
