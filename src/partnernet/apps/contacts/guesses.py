"""Guessed addresses: the address-inference engine applied to the contacts base.

The model learns from every address a real person had (bounced ones included: a mailbox that no
longer exists still shows how the company spells its addresses) and from the guesses our own
mailings rejected. Guesses are stored as addresses with status *guessed*, their confidence and
an explanation; none is mailed until the user chooses it (``use_for_mailing``). A mailing then
confirms a guess (an answer, or no bounce within ``PARTNERNET_GUESS_CONFIRM_DAYS``) or rejects it
(a "no such user" bounce); both outcomes feed the next model.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from partnernet.apps.register.models import Company, CompanyDomain
from partnernet.engines.addresses import AddressModel, DomainSummary
from partnernet.engines.contactinfo.domains import is_public_mail_domain

from .changes import ChangeSet
from .models import EmailAddress, EmailStatus, EmploymentStatus, Person
from .services import email_add

# The source of every guessed address: tells a rejected guess from a real address that bounced.
GUESS_SOURCE = "guess"


def _host(address: str) -> str:
    return address.rpartition("@")[2]


def address_model_build(*, companies: list[Company] | None = None) -> AddressModel:
    """Learn patterns from the base (all of it, or the people of ``companies`` only)."""
    emails = EmailAddress.objects.exclude(person__full_name="")
    if companies is not None:
        emails = emails.filter(person__company__in=companies)
    known = []
    rejected = []
    rows = emails.values_list("address", "status", "source", "person__full_name")
    for address, status, source, name in rows:
        if status == EmailStatus.GUESSED:
            continue
        if status == EmailStatus.BOUNCED and source == GUESS_SOURCE:
            rejected.append((_host(address), name, address))
        else:
            known.append((_host(address), name, address))
    return AddressModel.learn(known, rejected=rejected)


def company_mail_domains(company: Company) -> list[str]:
    """The company's mail hosts, most used first; its web domains when no address is known."""
    hosts = Counter(
        _host(a)
        for a in EmailAddress.objects.filter(person__company=company)
        .exclude(status=EmailStatus.GUESSED)
        .values_list("address", flat=True)
    )
    ordered = [h for h, _ in hosts.most_common() if not is_public_mail_domain(h)]
    if not ordered:
        web = list(CompanyDomain.objects.filter(company=company).values_list("domain", flat=True))
        if company.primary_domain:
            web.insert(0, company.primary_domain)
        ordered = [d for d in dict.fromkeys(web) if d and not is_public_mail_domain(d)]
    return ordered


def person_guess_addresses(
    *, person: Person, top: int = 3, model: AddressModel | None = None, user: Any = None
) -> list[EmailAddress]:
    """Store up to ``top`` guessed addresses for a person who has no working one."""
    if person.company is None or person.status == EmploymentStatus.LEFT:
        return []
    has_working = person.emails.exclude(
        status__in=[EmailStatus.BOUNCED, EmailStatus.GUESSED]
    ).exists()
    if has_working:
        return []
    domains = company_mail_domains(person.company)
    if not domains:
        return []
    model = model or address_model_build()
    rejected = set(
        person.emails.filter(status=EmailStatus.BOUNCED).values_list("address", flat=True)
    )
    cs = ChangeSet(reason="address guessed from the company's known addresses", user=user)
    stored: list[EmailAddress] = []
    for domain in domains[:2]:
        for candidate in model.guess(domain, person.full_name, top=top + len(rejected)):
            if candidate.email in rejected:
                continue
            email = email_add(
                person=person,
                address=candidate.email,
                status=EmailStatus.GUESSED,
                source=GUESS_SOURCE,
                confidence=round(float(candidate.confidence), 4),
                explanation=candidate.explanation,
                changes=cs,
            )
            if email is not None and email.status == EmailStatus.GUESSED:
                stored.append(email)
        if stored:
            break
    return stored[:top]


def company_guess_addresses(*, company: Company, top: int = 3, user: Any = None) -> int:
    """Guess for every person of a company without a working address; returns people guessed."""
    model = address_model_build()
    count = 0
    for person in company.people.exclude(status=EmploymentStatus.LEFT):
        if person_guess_addresses(person=person, top=top, model=model, user=user):
            count += 1
    return count


def company_address_patterns(
    company: Company, *, model: AddressModel | None = None
) -> list[DomainSummary]:
    """What the model learned about each of the company's mail domains (with the evidence)."""
    domains = company_mail_domains(company)
    if not domains:
        return []
    model = model or address_model_build(companies=[company])
    known = set(model.domains())
    return [model.summary(d) for d in domains if d in known]
