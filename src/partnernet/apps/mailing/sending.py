"""Sending a campaign: fix the recipients, then hand each delivery to SMTP exactly once.

Delivery semantics (docs/mailing.md, "Resumable sending"): **at most once**. A delivery row is
claimed (``queued`` → ``sending``, committed) before the SMTP transaction and marked ``sent``
(committed) after the server's 250. A run that dies leaves at most the rows it was sending in
``sending``; the next run, once it holds the campaign's lock, marks them *interrupted*
(``failed`` with ``interrupted=True``) instead of sending them again, because the server may
already have accepted them. The user can requeue interrupted rows on purpose
(:func:`deliveries_requeue_interrupted`): that one choice is at least once. The rate limiter waits
*before* the claim, so the window in which a crash leaves an uncertain row is only the SMTP
transaction itself.
"""

from __future__ import annotations

import os
import socket
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from email import policy
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from partnernet.apps.contacts.models import EmailAddress, EmailStatus, EmploymentStatus
from partnernet.apps.contacts.services import suppression_is_blocked
from partnernet.engines.mailing import (
    RateLimiter,
    RenderedBody,
    build_message,
    personalise,
    render_template,
    verp_address,
    verp_token,
)
from partnernet.engines.mailing.smtp import SmtpClient, SmtpSendError, SmtpSettings

from . import settings as mail_settings
from .models import Campaign, CampaignStatus, Delivery, DeliveryStatus
from .selectors import audience_recipients

_ACTIVE_RUNS: set[str] = set()  # runs of this process that are sending now
_HOST = socket.gethostname()


class CampaignLocked(RuntimeError):
    """Another live run is sending this campaign."""


class SendAborted(RuntimeError):
    """The SMTP server cannot be reached; the run stops, queued rows stay queued."""


@dataclass
class SendReport:
    campaign_id: int
    sent: int = 0
    failed: int = 0
    suppressed: int = 0
    retried: int = 0
    interrupted_found: int = 0
    remaining: int = 0
    seconds: float = 0.0
    aborted: str = ""
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


# --- the message of one delivery --------------------------------------------------------------


def unsubscribe_footer() -> str:
    return _(
        "You receive this letter as a partner contact. "
        "[Unsubscribe]({{unsubscribe_url}}) — one click, no login."
    )


def campaign_template(campaign: Campaign) -> RenderedBody:
    """The campaign's body rendered once; an unsubscribe line is added when the text has none."""
    source = campaign.body
    if "unsubscribe_url" not in source:
        source = source.rstrip() + "\n\n---\n\n" + unsubscribe_footer() + "\n"
    return render_template(source, title=campaign.subject)


def unsubscribe_url(token: str) -> str:
    return f"{mail_settings.public_url()}/unsubscribe/{token}/"


def recipient_values(delivery: Delivery) -> dict[str, str]:
    person = delivery.person
    company = person.company if person is not None else None
    first = person.first_name if person else ""
    patronymic = person.patronymic if person else ""
    return {
        "first_name": first,
        "full_name": person.full_name if person else "",
        "greeting_name": " ".join(p for p in (first, patronymic) if p),
        "company": company.display_name if company is not None else "",
        "position": person.position if person else "",
        "unsubscribe_url": unsubscribe_url(delivery.token),
    }


def delivery_message(campaign: Campaign, delivery: Delivery, template: RenderedBody) -> Any:
    """The complete message of one delivery (an ``OutgoingMessage``)."""
    body = personalise(template, recipient_values(delivery))
    domain = mail_settings.bounce_domain(campaign.from_address)
    return build_message(
        subject=campaign.subject,
        html=body.html,
        text=body.text,
        from_address=campaign.from_address,
        from_name=campaign.from_name,
        to_address=delivery.address,
        to_name=delivery.person.full_name if delivery.person else "",
        reply_to=campaign.reply_to,
        message_id=delivery.message_id,
        envelope_from=verp_address(delivery.token, domain, mail_settings.bounce_local_part()),
        unsubscribe_mailto=f"mailto:unsubscribe+{delivery.token}@{domain}?subject=unsubscribe",
        unsubscribe_url=unsubscribe_url(delivery.token),
        date=timezone.now(),
        campaign_ref=f"c{campaign.pk}",
    )


# --- campaign -------------------------------------------------------------------------------


CAMPAIGN_FIELDS = (
    "name",
    "subject",
    "body",
    "from_address",
    "from_name",
    "reply_to",
    "audience",
    "rate_per_minute",
    "smtp_host",
    "smtp_port",
)


def campaign_create(*, user: Any = None, **values: Any) -> Campaign:
    unknown = set(values) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown campaign fields: {', '.join(sorted(unknown))}")
    name = getattr(user, "get_username", lambda: str(user or ""))()
    values.setdefault("name", values.get("subject", ""))
    return Campaign.objects.create(created_by=name[:150], **values)


def campaign_update(*, campaign: Campaign, **values: Any) -> Campaign:
    unknown = set(values) - set(CAMPAIGN_FIELDS)
    if unknown:
        raise ValueError(f"unknown campaign fields: {', '.join(sorted(unknown))}")
    if campaign.prepared_at is not None and {"audience"} & set(values):
        raise ValueError("the recipients are fixed once sending starts")
    for key, value in values.items():
        setattr(campaign, key, value)
    campaign.save()
    return campaign


def campaign_prepare(
    *,
    campaign: Campaign,
    recipients: Iterable[EmailAddress] | None = None,
) -> int:
    """Fix the recipients: one delivery row per address, created once (unique per campaign and
    address); calling it again adds only people who joined the audience since. Returns the
    number of new rows."""
    chosen = list(recipients) if recipients is not None else audience_recipients(campaign.audience)
    existing = set(campaign.deliveries.values_list("address", flat=True))
    rows = []
    for email in chosen:
        address = email.address.strip().lower()
        if address in existing:
            continue
        existing.add(address)
        rows.append(
            Delivery(campaign=campaign, address=address, email=email, person_id=email.person_id)
        )
    domain = mail_settings.bounce_domain(campaign.from_address)
    secret = mail_settings.verp_secret()
    with transaction.atomic():
        Delivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        fresh = list(campaign.deliveries.filter(token="").only("id"))
        for delivery in fresh:
            delivery.token = verp_token(delivery.pk, secret)
            delivery.message_id = f"<{delivery.token}.c{campaign.pk}@{domain}>"
        Delivery.objects.bulk_update(fresh, ["token", "message_id"], batch_size=1000)
        if campaign.prepared_at is None:
            campaign.prepared_at = timezone.now()
            campaign.save(update_fields=["prepared_at"])
    return len(fresh)


def deliveries_requeue_interrupted(*, campaign: Campaign) -> int:
    """Queue the interrupted rows again: the user accepts that some may arrive twice."""
    return campaign.deliveries.filter(interrupted=True, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.QUEUED,
        interrupted=False,
        last_error=_("requeued after an interruption"),
    )


def deliveries_requeue_failed(*, campaign: Campaign) -> int:
    """Try the failed (not interrupted) rows again, e.g. after fixing the SMTP settings."""
    return campaign.deliveries.filter(interrupted=False, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.QUEUED, attempts=0
    )


# --- the campaign lock -----------------------------------------------------------------------


def _owner_alive(owner: str) -> bool:
    host, _sep, rest = owner.partition(":")
    pid_text, _sep, run = rest.partition(":")
    if host != _HOST:
        return True  # another machine: only the lease can tell
    try:
        pid = int(pid_text)
    except ValueError:
        return False
    if pid == os.getpid():
        return run in _ACTIVE_RUNS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_take(campaign: Campaign, run: str) -> None:
    now = timezone.now()
    owner, expires = (
        Campaign.objects.filter(pk=campaign.pk).values_list("lock_owner", "lock_expires").get()
    )
    if owner and expires is not None and expires > now and _owner_alive(owner):
        raise CampaignLocked(
            _("campaign %(id)s is being sent by %(owner)s") % {"id": campaign.pk, "owner": owner}
        )
    me = f"{_HOST}:{os.getpid()}:{run}"
    taken = Campaign.objects.filter(pk=campaign.pk, lock_owner=owner).update(
        lock_owner=me, lock_expires=now + timedelta(seconds=mail_settings.lock_seconds())
    )
    if taken != 1:
        raise CampaignLocked(_("campaign %(id)s was taken by another run") % {"id": campaign.pk})


def _lock_renew(campaign: Campaign, run: str) -> None:
    Campaign.objects.filter(pk=campaign.pk, lock_owner__endswith=f":{run}").update(
        lock_expires=timezone.now() + timedelta(seconds=mail_settings.lock_seconds())
    )


def _lock_release(campaign: Campaign, run: str) -> None:
    Campaign.objects.filter(pk=campaign.pk, lock_owner__endswith=f":{run}").update(
        lock_owner="", lock_expires=None
    )


def _resolve_interrupted(campaign: Campaign) -> int:
    """Rows a dead run left in ``sending``: the message may or may not have left."""
    return campaign.deliveries.filter(status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED,
        interrupted=True,
        last_error=_(
            "interrupted during the SMTP transaction: the message may have been sent; "
            "not sent again automatically"
        ),
    )


# --- sending ---------------------------------------------------------------------------------


Hook = Callable[[str, Delivery], None]


def _smtp_settings(campaign: Campaign) -> SmtpSettings:
    options = mail_settings.smtp_options()
    return SmtpSettings(
        host=campaign.smtp_host or options["host"],
        port=campaign.smtp_port or options["port"],
        user=options["user"],
        password=options["password"],
        starttls=options["starttls"],
        ssl=options["ssl"],
        timeout=options["timeout"],
    )


def _claim(delivery_id: int) -> bool:
    return (
        Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
        == 1
    )


def _blocked_reason(delivery: Delivery) -> str:
    if suppression_is_blocked(delivery.address):
        return _("on the suppression list")
    email = delivery.email
    if email is not None:
        if email.status == EmailStatus.BOUNCED:
            return _("the address bounced after the recipients were fixed")
        if email.person.status == EmploymentStatus.LEFT:
            return _("the contact left the company")
    return ""


def campaign_send(
    *,
    campaign: Campaign,
    limit: int | None = None,
    rate_per_minute: float | None = None,
    progress: Callable[[Delivery], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    hook: Hook | None = None,
    client: SmtpClient | None = None,
) -> SendReport:
    """Send the campaign's queued deliveries (preparing the recipients first if needed).

    ``limit`` stops after that many SMTP sends (the campaign stays ``paused``); ``hook`` is called
    with ``("claimed" | "accepted", delivery)`` around the SMTP transaction (tests use it to
    simulate a crash). Raises :class:`CampaignLocked` when another live run is sending.
    """
    started = time.monotonic()
    report = SendReport(campaign_id=campaign.pk)
    run = uuid.uuid4().hex[:12]
    _lock_take(campaign, run)
    _ACTIVE_RUNS.add(run)
    smtp = client or SmtpClient(_smtp_settings(campaign))
    try:
        report.interrupted_found = _resolve_interrupted(campaign)
        if campaign.prepared_at is None:
            campaign_prepare(campaign=campaign)
        Campaign.objects.filter(pk=campaign.pk).update(
            status=CampaignStatus.SENDING,
            started_at=campaign.started_at or timezone.now(),
            last_error="",
        )
        template = campaign_template(campaign)
        pace = RateLimiter(
            rate_per_minute or campaign.rate_per_minute or mail_settings.default_rate_per_minute()
        )
        last_renew = time.monotonic()
        handed_over = 0
        stop = False
        while not stop:
            batch = list(
                campaign.deliveries.filter(status=DeliveryStatus.QUEUED)
                .select_related("person", "person__company", "email", "email__person")
                .order_by("id")[:200]
            )
            if not batch:
                break
            sent_now: list[str] = []
            try:
                for delivery in batch:
                    if (limit is not None and handed_over >= limit) or (
                        should_stop and should_stop()
                    ):
                        stop = True
                        break
                    if time.monotonic() - last_renew > mail_settings.lock_seconds() / 4:
                        _lock_renew(campaign, run)
                        last_renew = time.monotonic()
                    blocked = _blocked_reason(delivery)
                    if blocked:
                        Delivery.objects.filter(
                            pk=delivery.pk, status=DeliveryStatus.QUEUED
                        ).update(status=DeliveryStatus.SUPPRESSED, last_error=blocked)
                        report.suppressed += 1
                        continue
                    pace.wait()  # before the claim: a crash while waiting leaves nothing uncertain
                    if not _claim(delivery.pk):
                        continue  # taken or changed since the batch was read
                    if hook:
                        hook("claimed", delivery)
                    outgoing = delivery_message(campaign, delivery, template)
                    try:
                        smtp.send(
                            outgoing.envelope_from,
                            outgoing.recipient,
                            outgoing.message.as_bytes(policy=policy.SMTP),
                        )
                    except SmtpSendError as exc:
                        handed_over += 1
                        _record_failure(delivery, exc, report)
                        if exc.connection and not exc.uncertain:
                            report.aborted = str(exc)
                            raise SendAborted(str(exc)) from exc
                        continue
                    handed_over += 1
                    if hook:
                        hook("accepted", delivery)
                    Delivery.objects.filter(pk=delivery.pk).update(
                        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
                    )
                    sent_now.append(delivery.address)
                    report.sent += 1
                    if progress:
                        progress(delivery)
            finally:
                if sent_now:
                    # Guessed addresses are confirmed some days after a send without a bounce.
                    EmailAddress.objects.filter(address__in=sent_now).update(
                        last_sent_at=timezone.now()
                    )
    except SendAborted:
        Campaign.objects.filter(pk=campaign.pk).update(
            status=CampaignStatus.PAUSED, last_error=report.aborted[:1000]
        )
    finally:
        _ACTIVE_RUNS.discard(run)
        smtp.close()
        _lock_release(campaign, run)
    report.remaining = campaign.deliveries.filter(status=DeliveryStatus.QUEUED).count()
    if not report.aborted:
        if report.remaining == 0:
            Campaign.objects.filter(pk=campaign.pk).update(
                status=CampaignStatus.DONE, finished_at=timezone.now()
            )
        else:
            Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.PAUSED)
    campaign.refresh_from_db()
    report.seconds = round(time.monotonic() - started, 3)
    return report


def _record_failure(delivery: Delivery, exc: SmtpSendError, report: SendReport) -> None:
    message = str(exc)[:1000]
    if exc.uncertain:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, interrupted=True, last_error=message
        )
        report.failed += 1
    elif not exc.connection and (
        exc.permanent or delivery.attempts + 1 >= mail_settings.max_attempts()
    ):
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.FAILED, last_error=message
        )
        report.failed += 1
    else:
        # Temporary refusal or a broken connection before the message was handed over:
        # nothing left, so it can safely wait in the queue for the next pass.
        Delivery.objects.filter(pk=delivery.pk).update(
            status=DeliveryStatus.QUEUED, last_error=message
        )
        report.retried += 1
    if len(report.errors) < 20:
        report.errors.append(f"{delivery.address}: {message}")
