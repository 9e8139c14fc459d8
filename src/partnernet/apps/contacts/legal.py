"""Legal-entity status of partner companies (is the company still alive?), by INN.

The DaData key comes from ``PARTNERNET_DADATA_API_KEY`` (environment or Django setting). Checks
are stored (statuses change over time); the answer is attached to the company's open company
check task, so whoever works the task sees it.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from partnernet.apps.register.models import Company
from partnernet.engines.legalstatus import (
    CachedProvider,
    DaDataPartyClient,
    LegalStatusProvider,
    RegisterError,
)

from .changes import ChangeSet
from .models import LegalStatusCheck, Task, TaskKind, TaskStatus


def legal_status_provider() -> LegalStatusProvider:
    """The configured register client; RegisterError with a clear message when no key is set."""
    key = os.environ.get("PARTNERNET_DADATA_API_KEY") or getattr(
        settings, "PARTNERNET_DADATA_API_KEY", ""
    )
    if not key:
        raise RegisterError(
            _("No DaData API key: set PARTNERNET_DADATA_API_KEY to check legal status by INN")
        )
    return CachedProvider(DaDataPartyClient(key))


def company_tax_id(company: Company) -> str:
    """The number a Russian register answers for: a valid INN, else a valid OGRN."""
    if company.inn and company.inn_valid:
        return company.inn
    if company.ogrn and company.ogrn_valid:
        return company.ogrn
    return ""


def legal_status_check(
    *, company: Company, provider: LegalStatusProvider, user: Any = None
) -> LegalStatusCheck:
    """Ask the register about one company and store the answer.

    Raises ``ValueError`` when the company has no valid INN/OGRN, ``RegisterUnavailable`` when
    the register cannot be reached (nothing is stored then: no false status).
    """
    tax_id = company_tax_id(company)
    if not tax_id:
        raise ValueError(_("%(company)s has no valid INN or OGRN") % {"company": company})
    answer = provider.find_by_tax_id(tax_id)
    check = LegalStatusCheck.objects.create(
        company=company,
        provider=answer.provider or provider.name,
        tax_id=tax_id,
        status=str(answer.status),
        name=answer.name[:500],
        liquidated_on=answer.liquidated,
        raw=answer.raw or {},
    )
    cs = ChangeSet(reason=f"legal status from {check.provider}", user=user or "legal status")
    cs.created(check, f"{company}: {check.status}")
    for task in Task.objects.filter(
        company=company, kind=TaskKind.COMPANY_CHECK, status=TaskStatus.OPEN
    ):
        payload = {
            **task.payload,
            "legal_status": {
                "status": check.status,
                "name": check.name,
                "liquidated_on": check.liquidated_on.isoformat() if check.liquidated_on else None,
                "checked_at": check.checked_at.isoformat(),
                "provider": check.provider,
            },
        }
        cs.update(task, {"payload": payload}, f"{company}: legal status {check.status}")
    return check


def companies_flagged() -> QuerySet[Company]:
    """Companies with an open company check task."""
    return Company.objects.filter(
        contact_tasks__kind=TaskKind.COMPANY_CHECK, contact_tasks__status=TaskStatus.OPEN
    ).distinct()


def company_legal_status(company: Company) -> LegalStatusCheck | None:
    """The latest answer of a register about the company."""
    return LegalStatusCheck.objects.filter(company=company).order_by("-checked_at", "-id").first()
