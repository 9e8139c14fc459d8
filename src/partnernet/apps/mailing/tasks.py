"""Background tasks (django-tasks, database backend): sending a campaign, polling the mailbox.

django-tasks has no scheduler; the IMAP poll re-enqueues itself ``PARTNERNET_IMAP_POLL_SECONDS``
after each run when that setting is positive (start it once with ``partnernet mailing intake
--imap --schedule`` or the intake page's button).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import task

from . import settings as mail_settings
from .models import Campaign
from .services import CampaignLocked, campaign_send, imap_poll


@task()
def campaign_send_task(campaign_id: int) -> dict[str, Any]:
    campaign = Campaign.objects.get(pk=campaign_id)
    try:
        report = campaign_send(campaign=campaign)
    except CampaignLocked as exc:
        return {"campaign_id": campaign_id, "locked": str(exc)}
    return report.as_dict()


@task()
def imap_poll_task(reschedule: bool = True) -> dict[str, Any]:
    options = mail_settings.imap_options()
    if not options["host"]:
        return {"skipped": "PARTNERNET_IMAP_HOST is not set"}
    try:
        report = imap_poll(
            host=options["host"],
            port=options["port"],
            user=options["user"],
            password=options["password"],
            ssl=options["ssl"],
            folder=options["folder"],
            processed_folder=options["processed_folder"],
        )
    finally:
        if reschedule and options["poll_seconds"] > 0:
            imap_poll_task.using(
                run_after=timezone.now() + timedelta(seconds=options["poll_seconds"])
            ).enqueue(reschedule=True)
    return report.as_dict()
