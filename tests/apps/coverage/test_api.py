"""``GET /api/coverage/`` returns what ``partnernet coverage --json`` prints."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from rest_framework.test import APIClient

from partnernet.apps.register.models import Source

from .helpers import SmallRegister

URL = "/api/coverage/"


def cli(*args: str) -> dict:
    out = io.StringIO()
    call_command("coverage", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def api(admin_user, **params) -> tuple[int, dict]:
    client = APIClient()
    client.force_authenticate(admin_user)
    response = client.get(URL, params)
    return response.status_code, response.json()


def test_same_json_as_the_command(admin_user, register: SmallRegister) -> None:
    status, data = api(admin_user)
    assert status == 200
    assert data == cli()
    assert {"lists", "unique", "frequency", "estimates", "recommended", "curve"} <= set(data)
    assert set(data["recommended"]) >= {"method", "population", "ci95", "lower_bound"}


def test_by_and_sources(admin_user, register: SmallRegister) -> None:
    names = [s.name for s in register.sources[:4]]
    status, data = api(
        admin_user, by="federal_district", sources=",".join(names), min_companies="100"
    )
    assert status == 200
    assert data == cli("--by", "federal_district", "--sources", *names, "--min-companies", "100")
    assert data["lists"] == names
    assert data["by"]["field"] == "federal_district"
    # ids work too, and the parameter may repeat
    ids = [str(s.pk) for s in register.sources[:4]]
    client = APIClient()
    client.force_authenticate(admin_user)
    repeated = client.get(f"{URL}?sources={ids[0]}&sources={ids[1]},{ids[2]}&sources={ids[3]}")
    assert repeated.json()["lists"] == names


def test_a_source_name_with_a_comma(admin_user, register: SmallRegister) -> None:
    Source.objects.filter(pk=register.sources[0].pk).update(name="Вендор, Москва")
    status, data = api(admin_user, sources="Вендор, Москва")
    assert status == 200
    assert data["lists"] == ["Вендор, Москва"]


def test_bad_requests(admin_user, register: SmallRegister) -> None:
    assert api(admin_user, sources="Нет такого")[0] == 400
    assert api(admin_user, by="colour")[0] == 400
    assert api(admin_user, min_companies="x")[0] == 400


def test_login_required(db) -> None:
    assert APIClient().get(URL).status_code in (401, 403)


def test_empty_register(admin_user, db) -> None:
    status, data = api(admin_user)
    assert status == 200
    assert data["lists"] == [] and data["unique"] == 0
