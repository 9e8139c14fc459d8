"""``partnernet mailing send|intake|import-esp|reparse``: mailings from a shell."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from partnernet.cli.base import PartnernetCommand
from partnernet.engines.mailfeedback import default_jobs


def _json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help=_("print the result as JSON")
    )


class Command(PartnernetCommand):
    help = _("Mailings: send a campaign, read the replies, import a sending service's export.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        send = sub.add_parser("send", help=_("Send a campaign (resumes where it stopped)."))
        send.add_argument("campaign", type=int, help=_("campaign id"))
        send.add_argument("--limit", type=int, help=_("stop after this many messages"))
        send.add_argument("--rate", type=float, help=_("messages per minute (this run only)"))
        send.add_argument(
            "--retry-interrupted",
            action="store_true",
            help=_("send interrupted deliveries again first (they may arrive twice)"),
        )
        send.add_argument(
            "--refresh-audience",
            action="store_true",
            help=_("add people who joined the audience since the recipients were fixed"),
        )
        _json_flag(send)

        intake = sub.add_parser("intake", help=_("Read replies: IMAP, Maildir, mbox or files."))
        source = intake.add_mutually_exclusive_group()
        source.add_argument(
            "--imap", action="store_true", help=_("the mailbox of PARTNERNET_IMAP_* settings")
        )
        source.add_argument("--maildir", type=Path, help=_("a Maildir directory"))
        source.add_argument("--mbox", type=Path, help=_("an mbox file"))
        intake.add_argument("files", nargs="*", type=Path, help=_(".eml files or directories"))
        intake.add_argument(
            "--mode",
            choices=["propose", "apply"],
            help=_("propose people changes for review (default) or apply them at once"),
        )
        intake.add_argument(
            "--workers",
            type=int,
            default=0,
            help=_("parser processes (default: one per CPU core; 1: parse in this process)"),
        )
        intake.add_argument("--limit", type=int, help=_("IMAP: read at most this many"))
        intake.add_argument(
            "--schedule",
            action="store_true",
            help=_("IMAP: enqueue the polling task (repeats every PARTNERNET_IMAP_POLL_SECONDS)"),
        )
        _json_flag(intake)

        esp = sub.add_parser(
            "import-esp", help=_("Apply a bounce/complaint export of a sending service (CSV).")
        )
        esp.add_argument("path", type=Path, help=_("the CSV file"))
        esp.add_argument("--mode", choices=["propose", "apply"])
        _json_flag(esp)

        reparse = sub.add_parser(
            "reparse", help=_("Parse stored messages again with the current parser.")
        )
        reparse.add_argument(
            "--all", action="store_true", help=_("every message, not only older versions")
        )
        reparse.add_argument(
            "--reapply",
            action="store_true",
            help=_("undo and re-apply the rules where the reading changed"),
        )
        _json_flag(reparse)

    def run(self, *args: Any, **options: Any) -> Any:
        action = options["action"]
        if action == "send":
            return self._send(options)
        if action == "intake":
            return self._intake(options)
        if action == "import-esp":
            return self._esp(options)
        return self._reparse(options)

    def _send(self, options: dict[str, Any]) -> dict[str, Any]:
        from partnernet.apps.mailing.models import Campaign, DeliveryStatus
        from partnernet.apps.mailing.services import (
            CampaignLocked,
            campaign_prepare,
            campaign_send,
            deliveries_requeue_interrupted,
        )

        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(_("no campaign %(id)s") % {"id": options["campaign"]})
        requeued = 0
        if options.get("retry_interrupted"):
            requeued = deliveries_requeue_interrupted(campaign=campaign)
        if options.get("refresh_audience") or campaign.prepared_at is None:
            campaign_prepare(campaign=campaign)
        queued = campaign.deliveries.filter(status=DeliveryStatus.QUEUED).count()
        total = min(queued, options["limit"]) if options.get("limit") else queued
        try:
            with self.progress(_("sending"), total) as advance:
                report = campaign_send(
                    campaign=campaign,
                    limit=options.get("limit"),
                    rate_per_minute=options.get("rate"),
                    progress=lambda _delivery: advance(),
                )
        except CampaignLocked as exc:
            raise CommandError(str(exc)) from exc
        data = report.as_dict()
        data["requeued_interrupted"] = requeued
        data["status"] = campaign.status
        return data

    def _intake(self, options: dict[str, Any]) -> dict[str, Any]:
        from partnernet.apps.mailing import settings as mail_settings
        from partnernet.apps.mailing.services import feedback_intake_paths, imap_poll

        mode = options.get("mode")
        if options.get("imap"):
            imap = mail_settings.imap_options()
            if not imap["host"]:
                raise CommandError(_("set PARTNERNET_IMAP_HOST, _USER and _PASSWORD first"))
            if options.get("schedule"):
                from partnernet.apps.mailing.tasks import imap_poll_task

                result = imap_poll_task.enqueue(reschedule=True)
                return {"scheduled": str(result.id)}
            with self.progress(_("reading the mailbox")) as advance:
                report = imap_poll(
                    host=imap["host"],
                    port=imap["port"],
                    user=imap["user"],
                    password=imap["password"],
                    ssl=imap["ssl"],
                    folder=imap["folder"],
                    processed_folder=imap["processed_folder"],
                    limit=options.get("limit"),
                    mode=mode,
                    workers=options["workers"] or default_jobs(),
                    progress=lambda n: advance(n),
                )
            return report.as_dict()
        paths = [p for p in (options.get("maildir"), options.get("mbox")) if p] + list(
            options.get("files") or []
        )
        if not paths:
            raise CommandError(_("give --imap, --maildir, --mbox or files"))
        for path in paths:
            if not path.exists():
                raise CommandError(_("no such file: %(path)s") % {"path": path})
        with self.progress(_("reading messages")) as advance:
            report = feedback_intake_paths(
                paths=[str(p) for p in paths],
                mode=mode,
                workers=options["workers"] or default_jobs(),
                progress=lambda n: advance(n),
            )
        return report.as_dict()

    def _esp(self, options: dict[str, Any]) -> dict[str, Any]:
        from partnernet.apps.mailing.services import esp_import
        from partnernet.engines.mailing import EspExportError

        path: Path = options["path"]
        if not path.exists():
            raise CommandError(_("no such file: %(path)s") % {"path": path})
        try:
            report = esp_import(data=path.read_bytes(), name=path.name, mode=options.get("mode"))
        except EspExportError as exc:
            raise CommandError(str(exc)) from exc
        return report.as_dict()

    def _reparse(self, options: dict[str, Any]) -> dict[str, Any]:
        from partnernet.apps.mailing.services import feedback_reparse

        with self.progress(_("parsing again")) as advance:
            return feedback_reparse(
                everything=options.get("all", False),
                reapply=options.get("reapply", False),
                progress=lambda n: advance(n),
            )

    def render(self, data: Any) -> None:
        from rich.table import Table

        table = Table(show_header=False)
        for key, value in data.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}: {v}" for k, v in value.items())
            elif isinstance(value, list):
                value = "\n".join(str(v) for v in value)
            table.add_row(str(key), str(value))
        self.console.print(table)
