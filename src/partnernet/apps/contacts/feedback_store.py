"""What the feedback rules read and write while they apply a batch of messages.

The rules in :mod:`.feedback` decide message by message, exactly as if each message were applied
alone; this store makes that cheap. It loads everything a batch refers to in a few queries (the
addresses, their people and companies, every address of those companies, phones, pending
proposals, open tasks, suppression entries), keeps one Python object per row (so a later message
of the batch sees what an earlier one changed, e.g. a second bounce or "every address of the
company bounced"), and writes all changes at the end in one statement per table.

Reads the rules make that no message of the batch can have changed (the company of a domain,
a partner's other channels, a person named in an auto-reply) go to the database, cached.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Count, F, Q

from partnernet.apps.audit.models import ChangeLogEntry
from partnernet.apps.register.models import Company, CompanyDomain, CompanyEmail
from partnernet.engines.contactinfo.domains import is_public_mail_domain

from .models import (
    EmailAddress,
    EmailStatus,
    FeedbackApplication,
    Person,
    PersonPhone,
    Proposal,
    ProposalStatus,
    Suppression,
    Task,
    TaskStatus,
    address_hash,
)

ProposalKey = tuple[str, int | None, int | None]


@dataclass(slots=True)
class LogRow:
    """A change-log row waiting for the batch's flush: ChangeLogEntry's columns, without a model
    object (a batch writes thousands of them and never reads them back)."""

    time: datetime
    user_id: int | None
    user_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    reason: str
    batch: str


_by_id = attrgetter("id")


@lru_cache(maxsize=20_000)
def name_key(name: str) -> str:
    """The key people are matched by name with (as ``services.name_parts``), cached: the same
    replacement is named in many auto-replies."""
    from .services import name_parts

    return name_parts(name)["name_key"]


# Field classes whose ``get_db_prep_save`` may hand back a value of these exact types unchanged
# (checked per connection in :func:`_column_writer`, so a backend that wraps them keeps its way).
_PLAIN_TYPES: dict[type[models.Field], type] = {
    models.CharField: str,
    models.TextField: str,
    models.IntegerField: int,
    models.PositiveIntegerField: int,
    models.PositiveSmallIntegerField: int,
    models.SmallIntegerField: int,
    models.BigIntegerField: int,
    models.AutoField: int,
    models.BigAutoField: int,
    models.BooleanField: bool,
}
_SAMPLES: dict[type, Any] = {str: "x", int: 7, bool: True}


def _column_writer(field: Any) -> Callable[[Any], Any]:
    """``field.get_db_prep_save`` for one column of a batch, without its cost where the answer
    is known: None stays None, a str for a text column (an int for an integer or key column, a
    bool for a boolean one) is passed as is when the backend passes it as is, and each distinct
    datetime of the batch is converted once. Everything else goes through Django."""
    prep = field.get_db_prep_save
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    plain = _PLAIN_TYPES.get(type(target))
    if plain is not None:
        sample = _SAMPLES[plain]
        converted = prep(sample, connection)
        if not (type(converted) is plain and converted == sample):
            plain = None
    if type(field) is models.DateTimeField:
        return _datetime_writer(prep)

    def value_of(value: Any) -> Any:
        if value is None or type(value) is plain:
            return value
        return prep(value, connection)

    return value_of


_DATETIME_SAMPLES = (
    datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=UTC),
    datetime(2026, 7, 8, 23, 59, 59, tzinfo=timezone(timedelta(hours=3))),
)


def _datetime_writer(prep: Callable[[Any, Any], Any]) -> Callable[[Any], Any]:
    """An aware datetime as the backend stores it: PostgreSQL takes the object as it is, SQLite
    the text of its naive time in the connection's zone. Both shortcuts are checked against
    Django's own conversion first; anything else goes through Django."""
    zone = connection.timezone if settings.USE_TZ else None

    def sqlite_text(value: datetime) -> str:
        return str(value.astimezone(zone).replace(tzinfo=None))

    expected = [prep(sample, connection) for sample in _DATETIME_SAMPLES]
    as_is = all(got is sample for got, sample in zip(expected, _DATETIME_SAMPLES, strict=True))
    as_text = zone is not None and expected == [sqlite_text(s) for s in _DATETIME_SAMPLES]

    def datetime_value(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is datetime and value.tzinfo is not None:
            if as_is:
                return value
            if as_text:
                return sqlite_text(value)
        return prep(value, connection)

    return datetime_value


def update_rows(model: type[models.Model], objs: Iterable[models.Model], fields: list[str]) -> int:
    """Write ``fields`` of saved objects in one ``executemany`` (Django's bulk_update builds a
    CASE expression per field and row, which costs more than the rules themselves)."""
    rows = list(objs)
    if not rows:
        return 0
    meta = model._meta
    concrete: list[Any] = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in concrete)
    pk_column = quote(str(meta.pk.column))  # type: ignore[union-attr]
    writers = [(f.attname, _column_writer(f)) for f in concrete]
    params = [[write(getattr(obj, name)) for name, write in writers] + [obj.pk] for obj in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk_column} = %s", params)
    return len(rows)


def insert_rows(model: type[models.Model], objs: Iterable[Any], *, with_ids: bool = True) -> int:
    """Insert new objects as ``bulk_create`` does (same columns, same values), at a third of its
    cost: Django's insert compiler spends more per value than the rules spend per message.

    ``with_ids`` reads the new primary keys back (``RETURNING``) and sets them on the objects;
    without it the rows go in one ``executemany`` and the objects keep no id (the change log and
    the applied-message records are never read back in the batch); such rows may also be plain
    objects with the model's column attributes (:class:`LogRow`). Backends that cannot return
    the ids of a multi-row insert use ``bulk_create``."""
    rows = list(objs)
    if not rows:
        return 0
    if with_ids and not connection.features.can_return_rows_from_bulk_insert:
        model._default_manager.bulk_create(rows, batch_size=500)
        return len(rows)
    meta = model._meta
    pk = meta.pk
    fields: list[Any] = [f for f in meta.concrete_fields if f is not pk]
    writers = [(f.attname, _column_writer(f)) for f in fields]
    relations = [f for f in fields if f.is_relation]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
    row_marks = ["%s"] * len(fields)
    placeholders = "(" + ", ".join(row_marks) + ")"
    values: list[list[Any]] = []
    plain = not isinstance(rows[0], models.Model)  # LogRow
    if plain and with_ids:
        raise ValueError("plain rows get no ids")
    for obj in rows:
        for relation in () if plain else relations:
            # What bulk_create's _prepare_related_fields_for_save does for a key set to an
            # object saved after it was assigned.
            if getattr(obj, relation.attname) is None and relation.is_cached(obj):
                related = relation.get_cached_value(obj)
                if related is not None and related.pk is not None:
                    setattr(obj, relation.attname, related.pk)
        values.append([write(getattr(obj, name)) for name, write in writers])
    ops: Any = connection.ops  # the backends that return rows have these methods
    with connection.cursor() as cursor:
        if not with_ids:
            cursor.executemany(head + "VALUES " + placeholders, values)
        else:
            returning, returning_params = ops.return_insert_columns([pk])
            size = max(1, ops.bulk_batch_size(fields, rows))
            for start in range(0, len(rows), size):
                chunk = values[start : start + size]
                sql = head + ops.bulk_insert_sql(fields, [row_marks] * len(chunk))
                cursor.execute(
                    f"{sql} {returning}",
                    [v for row in chunk for v in row] + list(returning_params),
                )
                ids = ops.fetch_returned_insert_rows(cursor)
                for obj, (new_id, *_rest) in zip(rows[start : start + size], ids, strict=True):
                    obj.pk = new_id
    for obj in () if plain else rows:
        obj._state.adding = False
        obj._state.db = connection.alias
    return len(rows)


class RuleStore:
    """One batch's view of the contact base, and the writes the batch's rules made."""

    def __init__(self) -> None:
        self.applied_refs: set[str] = set()
        self._pending_new: dict[type[models.Model], list[models.Model]] = {}
        self._dirty: dict[int, tuple[models.Model, set[str]]] = {}
        self._log: list[LogRow] = []
        self._applications: list[FeedbackApplication] = []
        # (object, change item or None, log entry or None) to complete once the object has a pk
        self._fixups: list[tuple[models.Model, dict[str, Any] | None, LogRow | None]] = []
        self.reset()

    def reset(self) -> None:
        """Forget what was read (after writes made outside the store, e.g. accepted proposals)."""
        self.people: dict[int, Person] = {}
        self.companies: dict[int, Company] = {}
        self.emails: dict[int, EmailAddress] = {}
        self._by_address: dict[str, list[EmailAddress]] = {}
        self._person_emails: dict[int, list[EmailAddress]] = {}
        # Per company: [addresses that are not guesses, of them not bounced], kept current.
        self._counts: dict[int, list[int]] = {}
        self._phones: dict[int, set[str]] = {}
        self._tasks: dict[str, Task | None] = {}
        self._proposals: dict[ProposalKey, list[dict[str, Any]]] = defaultdict(list)
        self._proposal_people: set[int] = set()
        self._proposal_companies: set[int | None] = set()
        self._proposal_keys: set[ProposalKey] = set()
        self._suppressions: dict[str, Suppression | None] = {}
        self._domain_company: dict[str, Company | None] = {}
        self._people_by_email: dict[str, list[Person]] = {}
        self._people_by_name: dict[tuple[int, str], Person | None] = {}
        self._stand_ins: dict[int, set[int]] = {}

    # --- identity map -------------------------------------------------------------------------

    def _company(self, company: Company | None) -> Company | None:
        if company is None:
            return None
        return self.companies.setdefault(company.pk, company)

    def _email(self, row: EmailAddress) -> EmailAddress:
        """The batch's object for an address row read with its person (not the company)."""
        known = self.emails.get(row.pk)
        if known is not None:
            return known
        person = self.people.get(row.person_id)
        if person is None:
            person = row.person
            self.people[person.pk] = person
        row.person = person
        self.emails[row.pk] = row
        return row

    def _link_companies(self, people: Iterable[Person]) -> None:
        """Give these people the batch's company objects (read in one query)."""
        people = [p for p in people if p.company_id is not None]
        missing = {p.company_id for p in people} - self.companies.keys()
        if missing:
            self.companies.update(Company.objects.in_bulk(missing))
        for person in people:
            person.company = self.companies[person.company_id]  # type: ignore[index]
        # Read before any of their addresses can change in the batch.
        self._load_counts({p.company_id for p in people})  # type: ignore[misc]

    def _load_counts(self, company_ids: set[int]) -> None:
        missing = company_ids - self._counts.keys()
        if not missing:
            return
        self._counts.update({cid: [0, 0] for cid in missing})
        guessed, bounced = EmailStatus.GUESSED, EmailStatus.BOUNCED
        rows = (
            EmailAddress.objects.filter(person__company_id__in=missing)
            .order_by()
            .values("person__company_id")
            .annotate(
                known=Count("pk", filter=~Q(status=guessed)),
                alive=Count("pk", filter=~Q(status__in=[guessed, bounced])),
            )
            .values_list("person__company_id", "known", "alive")
        )
        for cid, known, alive in rows:
            self._counts[cid] = [known, alive]

    # --- loading ------------------------------------------------------------------------------

    def load_applied(self, refs: Iterable[str]) -> None:
        self.applied_refs.update(
            FeedbackApplication.objects.filter(message_ref__in=set(refs)).values_list(
                "message_ref", flat=True
            )
        )

    def load(
        self,
        addresses: Iterable[str],
        domains: Iterable[str] = (),
        contacts: Iterable[tuple[str, str]] = (),
    ) -> None:
        """Read what the rules may need about these (normalised) addresses and the people named
        in auto-replies (address, name), in a few queries."""
        wanted = {a for a in addresses if a and a not in self._by_address}
        if wanted:
            self._load_addresses(wanted, domains)
        self._load_named(contacts)

    def _load_addresses(self, wanted: set[str], domains: Iterable[str]) -> None:
        found: dict[str, list[EmailAddress]] = {a: [] for a in wanted}
        # The people these addresses belong to, then all their addresses: each row is read
        # and made into an object once (the addresses found are among their people's).
        owners = EmailAddress.objects.filter(address__in=wanted).values("person_id")
        people: dict[int, Person] = {}
        for person in Person.objects.filter(pk__in=owners).order_by():
            people[person.pk] = self.people.setdefault(person.pk, person)
        self._link_companies(people.values())
        self._load_person_emails(list(people.values()))
        for pid in people:
            for email in self._person_emails[pid]:
                if email.address in found:
                    found[email.address].append(email)
        for address, rows in found.items():
            self._by_address[address] = sorted(rows, key=_by_id)
        new_people = [pid for pid in people if pid not in self._phones]
        if new_people:
            phones: dict[int, set[str]] = {pid: set() for pid in new_people}
            for pid, number in PersonPhone.objects.filter(person_id__in=new_people).values_list(
                "person_id", "number"
            ):
                phones[pid].add(number)
            self._phones.update(phones)
        companies = {p.company_id for p in people.values()}
        self._load_proposals(set(people) - self._proposal_people, companies)
        keys = [f"find_successor:person:{pid}" for pid in people]
        for cid in companies - {None}:
            keys += [f"company_check:company:{cid}", f"ask_whitelist:company:{cid}"]
        keys += [f"ask_whitelist:domain:{d}" for d in domains]
        self._load_tasks(keys)
        hashes = {address_hash(a) for a in wanted} - self._suppressions.keys()
        if hashes:
            self._suppressions.update(dict.fromkeys(hashes))
            for entry in Suppression.objects.filter(value_hash__in=hashes):
                self._suppressions[entry.value_hash] = entry
        new_people = [pid for pid in people if pid not in self._stand_ins]
        if new_people:
            links: dict[int, set[int]] = {pid: set() for pid in new_people}
            for pid, other in Person.stand_ins.through.objects.filter(
                from_person_id__in=new_people
            ).values_list("from_person_id", "to_person_id"):
                links[pid].add(other)
            self._stand_ins.update(links)

    def _load_person_emails(self, people: list[Person]) -> None:
        missing = [p.pk for p in people if p.pk not in self._person_emails]
        if not missing:
            return
        for person in people:
            self.people.setdefault(person.pk, person)
        lists: dict[int, list[EmailAddress]] = {pid: [] for pid in missing}
        # Without the person: the batch's object for each person is set instead of a copy.
        for row in EmailAddress.objects.filter(person_id__in=missing).order_by():
            row.person = self.people[row.person_id]
            lists[row.person_id].append(self._email(row))
        for pid, rows in lists.items():
            self._person_emails[pid] = sorted(rows, key=_by_id)

    def _load_proposals(self, people: set[int], companies: set[int | None]) -> None:
        """Pending proposals about these people, and those about nobody at these companies."""
        companies = companies - self._proposal_companies
        if not people and not companies:
            return
        query = Q(person_id__in=people)
        real = {c for c in companies if c is not None}
        if real:
            query |= Q(person__isnull=True, company_id__in=real)
        if None in companies:
            query |= Q(person__isnull=True, company__isnull=True)
        for kind, pid, cid, payload in (
            Proposal.objects.filter(query, status=ProposalStatus.PENDING)
            .order_by("id")
            .values_list("kind", "person_id", "company_id", "payload")
        ):
            self._proposals[(kind, pid, cid)].append(payload)
        self._proposal_people |= people
        self._proposal_companies |= companies

    def _load_named(self, contacts: Iterable[tuple[str, str]]) -> None:
        """People an auto-reply may name: by address anywhere, by name at a known company."""
        from .services import normalise_email

        emails: set[str] = set()
        keys: set[str] = set()
        for email, name in contacts:
            if email:
                emails.add(normalise_email(email))
            if name:
                keys.add(name_key(name))
        emails -= self._people_by_email.keys()
        if emails:
            found: dict[str, list[Person]] = {e: [] for e in emails}
            # The model's ordering, as a query for one address gives it.
            for row in Person.objects.filter(emails__address__in=emails).annotate(
                _address=F("emails__address")
            ):
                found[row._address].append(row)
            self._people_by_email.update(found)
        keys.discard("")
        companies = set(self.companies)
        if keys and companies:
            wanted = {(c, k) for c in companies for k in keys} - self._people_by_name.keys()
            if wanted:
                found_names: dict[tuple[int, str], Person | None] = dict.fromkeys(wanted)
                for person in Person.objects.filter(
                    company_id__in={c for c, _k in wanted}, name_key__in={k for _c, k in wanted}
                ):
                    pair = (person.company_id, person.name_key)
                    if pair in found_names and found_names[pair] is None:
                        found_names[pair] = person  # the first in the model's order
                self._people_by_name.update(found_names)

    def _load_tasks(self, keys: list[str]) -> None:
        missing = {k[:300] for k in keys} - self._tasks.keys()
        if not missing:
            return
        self._tasks.update(dict.fromkeys(missing))
        for task in Task.objects.filter(key__in=missing, status=TaskStatus.OPEN).order_by("-id"):
            self._tasks[task.key] = task  # the oldest open one wins

    # --- reads --------------------------------------------------------------------------------

    def emails_of(self, address: str) -> list[EmailAddress]:
        if address not in self._by_address:
            self.load([address])
        return self._by_address[address]

    def person_emails(self, person: Person) -> list[EmailAddress]:
        if person.pk not in self._person_emails:
            self._load_person_emails([person])
        return self._person_emails[person.pk]

    def company_counts(self, company: Company) -> tuple[int, int]:
        """(addresses that are not guesses, of them not bounced) of the company's people, as
        they stand after the batch's changes so far."""
        self._load_counts({company.pk})
        known, alive = self._counts[company.pk]
        return known, alive

    def email_status_changed(self, email: EmailAddress, old: str, new: str) -> None:
        cid = email.person.company_id
        if cid is None or old == new:
            return
        self._load_counts({cid})
        counts = self._counts[cid]
        guessed, bounced = EmailStatus.GUESSED, EmailStatus.BOUNCED
        counts[0] += (new != guessed) - (old != guessed)
        counts[1] += (new not in (guessed, bounced)) - (old not in (guessed, bounced))

    def phones(self, person: Person) -> set[str]:
        if person.pk not in self._phones:
            self._phones[person.pk] = set(
                PersonPhone.objects.filter(person_id=person.pk).values_list("number", flat=True)
            )
        return self._phones[person.pk]

    def open_task(self, key: str) -> Task | None:
        key = key[:300]
        if key not in self._tasks:
            self._load_tasks([key])
        return self._tasks[key]

    def pending_payloads(
        self, kind: str, person: Person | None, company: Company | None
    ) -> list[dict[str, Any]]:
        key = (kind, person.pk if person else None, company.pk if company else None)
        loaded = (
            key[1] in self._proposal_people
            if key[1] is not None
            else key[2] in self._proposal_companies
        )
        if not loaded and key not in self._proposal_keys:
            self._proposal_keys.add(key)
            self._proposals[key].extend(
                Proposal.objects.filter(
                    kind=kind, person=person, company=company, status=ProposalStatus.PENDING
                )
                .order_by("id")
                .values_list("payload", flat=True)
            )
        return self._proposals[key]

    def suppression(self, digest: str) -> Suppression | None:
        if digest not in self._suppressions:
            self._suppressions[digest] = Suppression.objects.filter(value_hash=digest).first()
        return self._suppressions[digest]

    def company_of_domain(self, domain: str) -> Company | None:
        """The partner a mail domain belongs to: its people's company, else the register's."""
        if not domain or is_public_mail_domain(domain):
            return None
        if domain not in self._domain_company:
            company: Company | None = None
            via_people = (
                Person.objects.filter(emails__domain=domain, company__isnull=False)
                .values_list("company_id", flat=True)
                .first()
            )
            if via_people:
                company = self.companies.get(via_people) or Company.objects.get(pk=via_people)
            else:
                row = (
                    CompanyDomain.objects.filter(domain=domain).select_related("company").first()
                    or CompanyEmail.objects.filter(address__endswith="@" + domain)
                    .select_related("company")
                    .first()
                )
                company = row.company if row else None
            self._domain_company[domain] = self._company(company)
        return self._domain_company[domain]

    def find_person(self, company: Company | None, email: str | None, name: str | None) -> Any:
        """A person named in an auto-reply: by address (one at ``company`` first), else by name
        at ``company`` (as ``services._find_person``)."""
        if email:
            from .services import normalise_email

            address = normalise_email(email)
            if address not in self._people_by_email:
                self._people_by_email[address] = list(
                    Person.objects.filter(emails__address=address)
                )
            matches = self._people_by_email[address]
            same = [p for p in matches if company is not None and p.company_id == company.pk]
            if same or matches:
                return (same or matches)[0]
        if name and company is not None:
            key = name_key(name)
            if key:
                pair = (company.pk, key)
                if pair not in self._people_by_name:
                    self._people_by_name[pair] = Person.objects.filter(
                        company=company, name_key=key
                    ).first()
                return self._people_by_name[pair]
        return None

    def is_stand_in(self, person: Person, other: Person) -> bool:
        if person.pk not in self._stand_ins:
            self._stand_ins[person.pk] = set(
                person.stand_ins.values_list("pk", flat=True).order_by()
            )
        return other.pk in self._stand_ins[person.pk]

    # --- writes -------------------------------------------------------------------------------

    def create(self, obj: models.Model) -> None:
        """Insert ``obj`` at the next flush; it joins the lookups at once."""
        self._pending_new.setdefault(type(obj), []).append(obj)
        if isinstance(obj, Task):
            self._tasks[obj.key] = obj
        elif isinstance(obj, Proposal):
            self._proposals[(obj.kind, obj.person_id, obj.company_id)].append(obj.payload)
        elif isinstance(obj, Suppression):
            self._suppressions[obj.value_hash] = obj

    def changed(self, obj: models.Model, fields: Iterable[str]) -> None:
        if obj.pk is None:
            return  # not inserted yet: the insert writes its latest values
        entry = self._dirty.setdefault(id(obj), (obj, set()))
        entry[1].update(fields)

    def log(self, obj: models.Model, item: dict[str, Any] | None, entry: LogRow) -> None:
        self._log.append(entry)
        if obj.pk is None:
            self._fixups.append((obj, item, entry))

    def applied(self, application: FeedbackApplication) -> None:
        self.applied_refs.add(application.message_ref)
        self._applications.append(application)

    def flush(self) -> None:
        """Write everything pending: inserts, updates, the change log, the applied messages."""
        for model, objs in self._pending_new.items():
            insert_rows(model, objs)
        self._pending_new = {}
        for obj, item, entry in self._fixups:
            if item is not None:
                item["object_id"] = obj.pk
                if item.get("after") and "id" in item["after"]:
                    item["after"]["id"] = obj.pk
            if entry is not None:
                entry.object_id = str(obj.pk)
                after = entry.changes.get("after") if isinstance(entry.changes, dict) else None
                if isinstance(after, dict) and "id" in after:
                    after["id"] = obj.pk
        self._fixups = []
        groups: dict[tuple[type[models.Model], tuple[str, ...]], list[models.Model]] = {}
        for obj, fields in self._dirty.values():
            groups.setdefault((type(obj), tuple(sorted(fields))), []).append(obj)
        for (model, names), objs in groups.items():
            update_rows(model, objs, list(names))
        self._dirty = {}
        insert_rows(ChangeLogEntry, self._log, with_ids=False)
        self._log = []
        insert_rows(FeedbackApplication, self._applications, with_ids=False)
        self._applications = []
