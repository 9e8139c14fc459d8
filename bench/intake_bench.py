"""Mail intake and sending benchmark (issue 6).

Intake: N realistic replies (Postfix and Exchange bounces, Russian vacation and "left"
auto-replies, ARF complaints, delay warnings) to deliveries of earlier campaigns, read from a
Maildir and from a real Dovecot IMAP mailbox, each stored with its parse result, tied to its
delivery by VERP and run through the contacts rules. Reports messages/second, wall and CPU time
(this process, the parse workers and, for IMAP, the Dovecot server), RSS along the run (flat
memory) and peak RSS.

Sending: M deliveries to a local aiosmtpd server at the configured rate, in a child process
(``partnernet mailing send``) that is killed with SIGKILL part-way, then resumed; checks that no
delivery is lost or sent twice.

Default run is small (a few minutes on two shared cores); ``--full`` gives the issue's sizes
(100,000 messages from a Maildir and from IMAP, 10,000 deliveries).

    .venv/bin/python bench/intake_bench.py [--full] [--messages N] [--imap-messages N]
        [--send N] [--rate PER_MINUTE] [--workers N] [--batch N] [--people N]
        [--skip-maildir] [--skip-imap] [--skip-send]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "src"))

HOME = Path(tempfile.mkdtemp(prefix="partnernet-intake-bench-"))
os.environ.setdefault("PARTNERNET_HOME", str(HOME))
os.environ.setdefault("PARTNERNET_SECRET_KEY", "intake-bench-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partnernet.web.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.PARTNERNET_BOUNCE_DOMAIN = "news.partnernet.example"
settings.PARTNERNET_PUBLIC_URL = "https://partnernet.example"

from tests.apps.mailing import messages as m  # noqa: E402

from partnernet.apps.contacts.models import EmailAddress, Person, Proposal, Task  # noqa: E402
from partnernet.apps.mailing.models import Delivery, DeliveryStatus  # noqa: E402
from partnernet.apps.register.models import Company, CompanyDomain  # noqa: E402

SURNAMES = [
    "Иванов",
    "Петров",
    "Сидоров",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Соколов",
    "Лебедев",
    "Козлов",
    "Новиков",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семенов",
]
FIRST = ["Андрей", "Борис", "Павел", "Роман", "Олег", "Дмитрий", "Сергей", "Игорь", "Максим"]
LATIN = {
    "Андрей": "a",
    "Борис": "b",
    "Павел": "p",
    "Роман": "r",
    "Олег": "o",
    "Дмитрий": "d",
    "Сергей": "s",
    "Игорь": "i",
    "Максим": "m",
}


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20, 1)


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --- the base and the deliveries ---------------------------------------------------------------


def build_base(people: int, rounds: int) -> list[Delivery]:
    """Companies, people with addresses, and ``rounds`` sent campaigns to all of them."""
    from partnernet.apps.mailing.services import campaign_create, campaign_prepare

    companies = [
        Company(
            display_name=f"ООО «Партнер {i}»",
            name_key=f"партнер {i}",
            primary_domain=f"partner{i}.example",
        )
        for i in range(max(1, people // 8))
    ]
    Company.objects.bulk_create(companies, batch_size=2000)
    companies = list(Company.objects.order_by("id"))
    CompanyDomain.objects.bulk_create(
        [CompanyDomain(company=c, domain=c.primary_domain) for c in companies], batch_size=2000
    )
    rng = random.Random(7)
    persons, emails = [], []
    for i in range(people):
        company = companies[i % len(companies)]
        first, surname = rng.choice(FIRST), rng.choice(SURNAMES)
        persons.append(
            Person(
                company=company,
                full_name=f"{surname} {first}",
                surname=surname,
                first_name=first,
                name_key=f"{surname.lower()}|{first.lower()}|",
                source="bench",
            )
        )
    Person.objects.bulk_create(persons, batch_size=2000)
    for i, person in enumerate(Person.objects.select_related("company").order_by("id")):
        domain = person.company.primary_domain
        emails.append(
            EmailAddress(
                person=person,
                address=f"{LATIN[person.first_name]}.u{i}@{domain}",
                domain=domain,
                status="valid",
                source="bench",
            )
        )
    EmailAddress.objects.bulk_create(emails, batch_size=2000)
    recipients = list(EmailAddress.objects.select_related("person").order_by("id"))
    for r in range(rounds):
        campaign = campaign_create(
            subject=f"Новости {r}", body="Текст", from_address="news@partnernet.example"
        )
        campaign_prepare(campaign=campaign, recipients=recipients)
    Delivery.objects.update(status=DeliveryStatus.SENT, sent_at="2026-11-20T07:00:00Z")
    return list(Delivery.objects.select_related("person").order_by("id"))


def reply_for(delivery: Delivery, rng: random.Random) -> tuple[str, bytes]:
    verp = f"bounces+{delivery.token}@news.partnernet.example"
    headers = f"Message-ID: {delivery.message_id}\nTo: {delivery.address}\nSubject: Новости\n"
    roll = rng.random()
    if roll < 0.50:
        return "userunknown", m.postfix_bounce(
            to_verp=verp, recipient=delivery.address, original_headers=headers
        )
    if roll < 0.62:
        return "mailboxfull", m.postfix_bounce(
            to_verp=verp,
            recipient=delivery.address,
            original_headers=headers,
            code="452 4.2.2",
            text="Mailbox full",
            status="4.2.2",
        )
    if roll < 0.72:
        return "blocked", m.exchange_ru_blocked(to_verp=verp, recipient=delivery.address)
    if roll < 0.87:
        name = delivery.person.full_name.split()[::-1]
        return "vacation", m.vacation_ru(
            sender=delivery.address,
            sender_name=" ".join(name),
            to="news@partnernet.example",
            original_message_id=delivery.message_id,
        )
    if roll < 0.95:
        return "left", m.left_ru(
            sender=delivery.address,
            to="news@partnernet.example",
            original_message_id=delivery.message_id,
        )
    return "complaint", m.arf_complaint(
        to_verp=verp, recipient=delivery.address, original_headers=headers
    )


def write_maildir(
    path: Path, deliveries: list[Delivery], count: int, seed: int, owner: str | None = None
) -> Counter[str]:
    """Write ``count`` replies straight into a Maildir's new/ (set-up, not measured)."""
    rng = random.Random(seed)
    for sub in ("new", "cur", "tmp"):
        (path / sub).mkdir(parents=True, exist_ok=True)
    made: Counter[str] = Counter()
    for i in range(count):
        delivery = deliveries[i % len(deliveries)]
        kind, raw = reply_for(delivery, rng)
        # Every delivered message carries its own trace header: no two are byte-identical.
        raw = (
            f"Received: from relay.partnernet.example by mx.partnernet.example with ESMTP "
            f"id B{seed}X{i:07d}; Thu, 26 Nov 2026 10:00:00 +0300\n"
        ).encode() + raw
        made[kind] += 1
        (path / "new" / f"{1764000000 + i}.M{i}P1.bench").write_bytes(raw)
    if owner:
        subprocess.run(["chown", "-R", owner, str(path.parent)], check=True)
    return made


# --- intake ------------------------------------------------------------------------------------


RULES_CPU = {"s": 0.0, "n": 0}
QUERIES = {"n": 0}


def _timed_rules() -> None:
    """Count the CPU time spent in the contacts rules, to tell it from our own storing."""
    from partnernet.apps.mailing import intake

    original = intake.feedback_apply_many

    def timed(**kwargs):
        t = time.process_time()
        try:
            return original(**kwargs)
        finally:
            RULES_CPU["s"] += time.process_time() - t
            RULES_CPU["n"] += len(kwargs.get("items", ()))

    intake.feedback_apply_many = timed


def _count_queries(execute, sql, params, many, context):
    QUERIES["n"] += 1
    return execute(sql, params, many, context)


def measure_intake(label: str, run, total: int) -> dict:
    samples: list[tuple[int, float]] = []
    done = {"n": 0}
    step = max(1, total // 10)

    def progress(n: int) -> None:
        before = done["n"]
        done["n"] += n
        if done["n"] // step != before // step:
            samples.append((done["n"], rss_mb()))

    from django.db import connection

    RULES_CPU.update(s=0.0, n=0)
    QUERIES["n"] = 0
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu0, wall0 = time.process_time(), time.monotonic()
    with connection.execute_wrapper(_count_queries):
        report = run(progress)
    wall, cpu = time.monotonic() - wall0, time.process_time() - cpu0
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    parse_cpu = (children1.ru_utime + children1.ru_stime) - (
        children0.ru_utime + children0.ru_stime
    )
    result = {
        "source": label,
        "messages": report.seen,
        "stored": report.stored,
        "duplicates": report.duplicates,
        "matched": report.matched,
        "applied": report.applied,
        "errors": report.errors,
        "changes": report.changes,
        "kinds": dict(report.kinds),
        "wall_s": round(wall, 1),
        "cpu_s_main": round(cpu, 1),
        "cpu_s_rules": round(RULES_CPU["s"], 1),
        "cpu_s_parse_workers": round(parse_cpu, 1),
        "cpu_ms_per_msg_main": round(cpu / max(1, report.seen) * 1000, 2),
        "cpu_ms_per_msg_rules": round(RULES_CPU["s"] / max(1, report.seen) * 1000, 2),
        "queries_per_msg": round(QUERIES["n"] / max(1, report.seen), 2),
        "cpu_ms_per_msg_total": round((cpu + parse_cpu) / max(1, report.seen) * 1000, 2),
        "msg_per_s": round(report.seen / wall, 1) if wall else None,
        "rss_mb_along_run": samples,
        "peak_rss_mb": peak_mb(),
    }
    if getattr(report, "moved", 0):
        result["moved"] = report.moved
    return result


def intake_maildir(deliveries: list[Delivery], count: int, workers: int, batch: int) -> dict:
    from partnernet.apps.mailing.services import feedback_intake_paths

    folder = HOME / "replies" / "Maildir"
    made = write_maildir(folder, deliveries, count, seed=1)
    result = measure_intake(
        "maildir",
        lambda progress: feedback_intake_paths(
            paths=[str(folder)], workers=workers, batch_size=batch, progress=progress
        ),
        count,
    )
    result["generated"] = dict(made)
    # A second pass over the same Maildir: everything is a duplicate, nothing changes.
    again = feedback_intake_paths(paths=[str(folder)], workers=workers, batch_size=batch)
    result["second_pass"] = {
        "duplicates": again.duplicates,
        "changes": again.changes,
        "wall_s": again.seconds,
    }
    return result


def _tree_cpu(root: int) -> float:
    """CPU seconds of a process, its reaped children and its live descendants (from /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, list[str]]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        stats[int(entry.name)] = (int(fields[1]), fields)
    children: dict[int, list[int]] = {}
    for pid, (ppid, _fields) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        if pid not in stats:
            continue
        fields = stats[pid][1]
        # utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the ")".
        total += sum(int(v) for v in fields[11:15])
        stack.extend(children.get(pid, []))
    return total / tick


def intake_imap(deliveries: list[Delivery], count: int, workers: int, batch: int) -> dict:
    from tests.servers.fixtures import dovecot_binary, new_account, running_dovecot

    from partnernet.apps.mailing.services import imap_poll

    binary = dovecot_binary()
    if binary is None:
        return {"source": "imap", "skipped": "dovecot is not installed"}
    with running_dovecot(binary) as server:
        account = new_account(server)
        home = server.base / "home" / account.user
        made = write_maildir(home / "Maildir", deliveries, count, seed=2, owner="nobody:nogroup")
        master = int((server.base / "run" / "master.pid").read_text())
        dovecot0 = _tree_cpu(master)
        result = measure_intake(
            "imap",
            lambda progress: imap_poll(
                host=account.host,
                port=account.port,
                user=account.user,
                password=account.password,
                ssl=False,
                workers=workers,
                batch_size=batch,
                progress=progress,
                timeout=600,
            ),
            count,
        )
        # The IMAP process ends at logout; once the master has reaped it, its CPU is in the
        # master's children time (read meanwhile, it could be counted nowhere).
        time.sleep(1.0)
        dovecot_cpu = _tree_cpu(master) - dovecot0
        result["cpu_s_dovecot"] = round(dovecot_cpu, 1)
        result["cpu_ms_per_msg_dovecot"] = round(dovecot_cpu / max(1, result["messages"]) * 1000, 2)
        result["generated"] = dict(made)
        result["left_in_inbox"] = account.count("INBOX")
        result["in_processed_folder"] = account.count("partnernet-processed")
    return result


# --- sending across a crash --------------------------------------------------------------------


def send_with_crash(count: int, rate: float, kill_after: float) -> dict:
    from tests.servers.fixtures import running_smtp_server

    from partnernet.apps.mailing.services import campaign_create, campaign_prepare

    # Fresh recipients: the intake above marked many of the base's addresses bounced or
    # suppressed, which the sender would (rightly) skip.
    company = Company.objects.create(display_name="ООО «Получатели»", name_key="получатели")
    people = Person.objects.bulk_create(
        [
            Person(
                company=company,
                full_name=f"Получатель {i}",
                first_name="Иван",
                surname=f"Получатель{i}",
                source="bench",
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(
                person=p,
                address=f"r{i}@recipients.example",
                domain="recipients.example",
                status="valid",
                source="bench",
            )
            for i, p in enumerate(people)
        ],
        batch_size=2000,
    )
    recipients = list(EmailAddress.objects.filter(domain="recipients.example").order_by("id"))
    campaign = campaign_create(
        subject="Приглашение на вебинар",
        body="Здравствуйте, {{ greeting_name }}!\n\nПриглашаем.",
        from_address="news@partnernet.example",
    )
    campaign_prepare(campaign=campaign, recipients=recipients)
    with running_smtp_server() as server:
        env = {
            **os.environ,
            "PARTNERNET_SMTP_HOST": server.host,
            "PARTNERNET_SMTP_PORT": str(server.port),
        }
        command = [
            str(REPO / ".venv" / "bin" / "partnernet"),
            "mailing",
            "send",
            str(campaign.pk),
            "--rate",
            str(rate),
            "--json",
        ]
        t0 = time.monotonic()
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        # Kill -9 once about 40% arrived (or after kill_after seconds): a crash mid-campaign.
        deadline = time.monotonic() + kill_after
        while len(server.messages) < count * 0.4 and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        at_kill = len(server.messages)
        resumed = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        wall = time.monotonic() - t0
        report = json.loads(resumed.stdout)
        received = Counter(r for msg in server.messages for r in msg.rcpt_tos)
    rows = dict(Delivery.objects.filter(campaign=campaign).values_list("address", "status"))
    interrupted = set(
        Delivery.objects.filter(campaign=campaign, interrupted=True).values_list(
            "address", flat=True
        )
    )
    sent_rows = {a for a, s in rows.items() if s == DeliveryStatus.SENT}
    twice = sorted(a for a, n in received.items() if n > 1)
    lost = sorted(
        a
        for a, s in rows.items()
        if a not in received and a not in interrupted and s != DeliveryStatus.SUPPRESSED
    )
    unrecorded = sorted(a for a in received if a not in sent_rows and a not in interrupted)
    return {
        "deliveries": count,
        "rate_per_minute": rate,
        "received_before_kill": at_kill,
        "received_total": sum(received.values()),
        "sent_rows": len(sent_rows),
        "interrupted_rows": len(interrupted),
        "interrupted_that_arrived": len([a for a in interrupted if a in received]),
        "sent_twice": len(twice),
        "lost": len(lost),
        "arrived_but_not_recorded": len(unrecorded),
        "resume_interrupted_found": report.get("interrupted_found"),
        "wall_s_total": round(wall, 1),
        "effective_rate_per_minute": round(sum(received.values()) / wall * 60, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="100,000 / 100,000 / 10,000")
    parser.add_argument("--messages", type=int, default=5000, help="Maildir messages")
    parser.add_argument("--imap-messages", type=int, default=2000)
    parser.add_argument("--send", type=int, default=1000, help="deliveries to send")
    parser.add_argument("--rate", type=float, default=30000, help="messages per minute")
    parser.add_argument("--workers", type=int, default=2, help="parser processes")
    parser.add_argument("--batch", type=int, default=500, help="messages per transaction")
    parser.add_argument(
        "--people", type=int, help="people in the base (default 2,000; 10,000 with --full)"
    )
    parser.add_argument("--skip-maildir", action="store_true")
    parser.add_argument("--skip-imap", action="store_true")
    parser.add_argument("--skip-send", action="store_true")
    args = parser.parse_args()
    if args.full:
        args.messages, args.imap_messages, args.send = 100_000, 100_000, 10_000
    print(f"# partnernet intake bench; data in {HOME}", flush=True)
    _timed_rules()
    t0 = time.monotonic()
    call_command("migrate", verbosity=0)
    people = args.people or max(args.send, 10_000 if args.full else 2_000)
    deliveries = build_base(people=people, rounds=5)
    print(
        json.dumps(
            {
                "setup": {
                    "people": people,
                    "deliveries": len(deliveries),
                    "seconds": round(time.monotonic() - t0, 1),
                }
            }
        ),
        flush=True,
    )
    results = {}
    if not args.skip_maildir:
        results["maildir"] = intake_maildir(deliveries, args.messages, args.workers, args.batch)
        print(json.dumps({"maildir": results["maildir"]}, ensure_ascii=False), flush=True)
    if not args.skip_imap:
        results["imap"] = intake_imap(deliveries, args.imap_messages, args.workers, args.batch)
        print(json.dumps({"imap": results["imap"]}, ensure_ascii=False), flush=True)
    results["rules"] = {
        "proposals": Proposal.objects.count(),
        "tasks": Task.objects.count(),
        "bounced_addresses": EmailAddress.objects.filter(status="bounced").count(),
    }
    print(json.dumps({"rules": results["rules"]}), flush=True)
    if not args.skip_send:
        kill_after = 60 + args.send / (args.rate / 60)
        results["send"] = send_with_crash(args.send, args.rate, kill_after)
        print(json.dumps({"send": results["send"]}), flush=True)
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
