"""The demo market: loaded through the ordinary import, flagged by the banner, removable."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from partnernet.apps.register.models import Company, Source, SourceRow
from partnernet.web import demo
from partnernet.web.demo_state import demo_loaded


@pytest.fixture
def home(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_load_banner_and_clear(home, client):
    report = demo.demo_load(seed=5, n_companies=300, n_lists=5)
    assert report.sources == 5 and demo_loaded()
    assert Source.objects.count() == 5
    assert SourceRow.objects.count() == report.rows > 0
    assert 0 < report.companies == Company.objects.filter(merged_into__isnull=True).count()
    # The resolver ran after the imports and merged what the lists spell differently.
    assert report.resolution["rows"] == report.rows - report.errors
    assert report.resolution["merged"] == Company.objects.filter(merged_into__isnull=False).count()
    stored = Company.objects.count()
    assert not demo.demo_needed()

    user = get_user_model().objects.create_user("u", password="p-123456")
    client.force_login(user)
    assert 'id="demo-banner"' in client.get("/").content.decode()

    cleared = demo.demo_clear()
    assert cleared == {"sources_removed": 5, "companies_removed": stored}
    assert not Company.objects.exists() and not demo_loaded()
    assert 'id="demo-banner"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_if_empty_skips_a_register_with_data(home, capsys):
    Company.objects.create(display_name="Своя компания", name_key="своя компания")
    call_command("demo", "--if-empty", "--json")
    assert '"action": "skip"' in capsys.readouterr().out
    assert not Source.objects.exists()


@pytest.mark.django_db
def test_clear_keeps_companies_from_the_users_own_sources(home, tmp_path):
    demo.demo_load(seed=6, n_companies=200, n_lists=3)
    own = tmp_path / "own.csv"
    own.write_text("Название;Город\nООО «Своя»;Москва\n", encoding="cp1251")
    from partnernet.apps.register.services import source_import

    source_import(path=own, source_name="own research")
    demo.demo_clear()
    assert list(Company.objects.values_list("display_name", flat=True)) != []
    assert Source.objects.get().name == "own research"
