"""Web pages: campaigns, deliveries with filters and exports, intake, public unsubscribe; API."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from partnernet.apps.contacts.models import Suppression
from partnernet.apps.mailing.models import Campaign, DeliveryStatus, FeedbackMessage
from partnernet.apps.mailing.services import (
    campaign_create,
    campaign_prepare,
    feedback_intake,
)

from . import messages

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(partners):
    campaign = campaign_create(
        subject="Вебинар",
        body="Здравствуйте, {{ greeting_name }}!",
        from_address="news@partnernet.example",
        audience={},
    )
    campaign_prepare(campaign=campaign)
    campaign.deliveries.filter(address__endswith="@vega-it.example").update(
        status=DeliveryStatus.SENT, sent_at="2026-11-26T07:00:00Z"
    )
    return campaign


def test_pages_need_login_but_unsubscribe_does_not(client, campaign) -> None:
    assert client.get(reverse("mailing:campaign_list")).status_code == 302
    token = campaign.deliveries.first().token
    response = client.get(f"/unsubscribe/{token}/")
    assert response.status_code == 200 and "unsubscribe-confirm" in response.content.decode()


def test_campaign_list_and_detail(admin_client, campaign) -> None:
    body = admin_client.get(reverse("mailing:campaign_list")).content.decode()
    assert "Вебинар" in body
    detail = admin_client.get(campaign.get_absolute_url()).content.decode()
    assert "b.shinkarev@vega-it.example" in detail and 'id="delivery-stats"' in detail


def test_delivery_filters_and_exports(admin_client, campaign) -> None:
    url = campaign.get_absolute_url()
    sent = admin_client.get(url, {"status": "sent"}).content.decode()
    assert "b.shinkarev@vega-it.example" in sent and "o.kim@orion-sys.example" not in sent
    response = admin_client.get(url, {"status": "queued", "_export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r[0] for r in rows[1:]) == [
        "a.lebedeva@orion-sys.example",
        "o.kim@orion-sys.example",
    ]
    xlsx = admin_client.get(url, {"_export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 1 + campaign.deliveries.count()


def test_create_campaign_with_audience_and_preview(admin_client, partners) -> None:
    data = {
        "name": "Казань",
        "subject": "Приглашение",
        "body": "Здравствуйте, {{ greeting_name }}!",
        "from_address": "news@partnernet.example",
        "audience_city": "Казань",
    }
    preview = admin_client.post(reverse("mailing:audience_preview"), data).content.decode()
    assert "a.lebedeva@orion-sys.example" in preview
    assert "b.shinkarev@vega-it.example" not in preview
    assert "Анна Сергеевна" in preview  # the sample recipient's greeting in the preview
    form = admin_client.get(reverse("mailing:campaign_create"))
    assert form.status_code == 200 and 'id="audience-preview"' in form.content.decode()
    response = admin_client.post(reverse("mailing:campaign_create"), data)
    assert response.status_code == 302
    campaign = Campaign.objects.get(name="Казань")
    assert campaign.audience == {"city": ["Казань"]}
    assert campaign.created_by == "admin"
    # Editing keeps the audience; once sending started, the campaign cannot change.
    edit = admin_client.get(reverse("mailing:campaign_edit", args=[campaign.pk]))
    assert edit.status_code == 200 and 'value="Казань"' in edit.content.decode()
    Campaign.objects.filter(pk=campaign.pk).update(status="done")
    assert admin_client.get(reverse("mailing:campaign_edit", args=[campaign.pk])).status_code == 302


def test_send_action_enqueues_a_task(admin_client, campaign, settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = admin_client.post(reverse("mailing:campaign_action", args=[campaign.pk, "send"]))
    assert response.status_code == 302


def test_intake_page_and_message_detail(admin_client, campaign) -> None:
    delivery = campaign.deliveries.get(address="r.tsyganov@vega-it.example")
    message = feedback_intake(
        raw=messages.postfix_bounce(
            to_verp=f"bounces+{delivery.token}@news.partnernet.example",
            recipient=delivery.address,
            original_headers=f"Message-ID: {delivery.message_id}\n",
        )
    )
    page = admin_client.get(reverse("mailing:feedback_list"), {"kind": "bounce"}).content.decode()
    assert "userunknown" in page
    assert (
        admin_client.get(reverse("mailing:feedback_list"), {"kind": "autoreply"})
        .context["table"]
        .paginator.count
        == 0
    )
    detail = admin_client.get(message.get_absolute_url())
    assert detail.status_code == 200
    assert detail.context["proposals"] or detail.context["tasks"]
    assert "r.tsyganov@vega-it.example" in detail.content.decode()


def test_upload_eml_and_esp_csv(admin_client, campaign) -> None:
    delivery = campaign.deliveries.get(address="p.gorskin@vega-it.example")
    raw = messages.postfix_bounce(
        to_verp=f"bounces+{delivery.token}@news.partnernet.example",
        recipient=delivery.address,
        original_headers="Subject: x\n",
    )
    upload = io.BytesIO(raw)
    upload.name = "bounce.eml"
    admin_client.post(reverse("mailing:intake_upload"), {"file": upload})
    assert FeedbackMessage.objects.filter(delivery=delivery).exists()
    export = io.BytesIO(b"email,event\nb.shinkarev@vega-it.example,complaint\n")
    export.name = "esp.csv"
    admin_client.post(reverse("mailing:esp_import"), {"file": export})
    assert Suppression.objects.filter(value="b.shinkarev@vega-it.example").exists()


def test_unsubscribe_confirm_and_one_click(client, campaign) -> None:
    first, second = campaign.deliveries.filter(address__endswith="@vega-it.example")[:2]
    # GET never unsubscribes (link scanners follow links).
    client.get(f"/unsubscribe/{first.token}/")
    assert not Suppression.objects.exists()
    done = client.post(f"/unsubscribe/{first.token}/")
    assert "unsubscribe-done" in done.content.decode()
    # RFC 8058: a mail client POSTs List-Unsubscribe=One-Click without any cookie or token.
    one_click = client.post(f"/unsubscribe/{second.token}/", {"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    assert set(Suppression.objects.values_list("value", flat=True)) == {
        first.address,
        second.address,
    }
    first.refresh_from_db()
    assert first.status == DeliveryStatus.UNSUBSCRIBED
    assert client.post("/unsubscribe/dzz-aaaaaaaaaa/").status_code == 404


def test_api_campaigns_and_deliveries(admin_client, campaign) -> None:
    listing = admin_client.get("/api/mailing/campaigns/").json()
    assert listing["count"] == 1
    stats = admin_client.get(f"/api/mailing/campaigns/{campaign.pk}/stats/").json()
    assert stats["deliveries"]["sent"] == 3 and stats["deliveries"]["queued"] == 2
    created = admin_client.post(
        "/api/mailing/campaigns/",
        {
            "subject": "API",
            "body": "x",
            "from_address": "news@partnernet.example",
            "audience": {"region": ["Москва"]},
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    bad = admin_client.post(
        "/api/mailing/campaigns/",
        {
            "subject": "API",
            "body": "x",
            "from_address": "news@partnernet.example",
            "audience": {"colour": "red"},
        },
        content_type="application/json",
    )
    assert bad.status_code == 400
    sent = admin_client.get("/api/mailing/deliveries/", {"status": "sent"}).json()
    assert sent["count"] == 3
