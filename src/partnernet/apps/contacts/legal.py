"""Legal-entity status of partner companies (is the company still alive?), by INN.

The DaData key comes from ``PARTNERNET_DADATA_API_KEY`` (environment or Django setting). Checks
are stored (statuses change over time); the answer is attached to the company's open company
check task, so whoever works the task sees it.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from collections.abc import Callable
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

# (url, timeout) -> HTTP status; raises OSError when nothing answers. Swapped in tests.
Fetch = Callable[[str, float], int]


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


def _fetch(url: str, timeout: float) -> int:
    request = urllib.request.Request(url, method="GET", headers={"User-Agent": "partnernet"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def website_probe(domain: str, *, fetch: Fetch = _fetch, timeout: float = 10.0) -> dict[str, Any]:
    """Does the company's website answer? Tries https, then http; any HTTP answer counts.

    ``{"domain", "reachable", "url", "status", "error"}``. A site that answers with an error page
    is reachable (someone still runs it); no answer at all is what a closed company looks like.
    """
    result: dict[str, Any] = {
        "domain": domain,
        "reachable": False,
        "url": "",
        "status": None,
        "error": "",
    }
    if not domain:
        result["error"] = "no website known"
        return result
    for scheme in ("https", "http"):
        url = f"{scheme}://{domain}/"
        try:
            status = fetch(url, timeout)
        except (TimeoutError, OSError, ValueError) as exc:
            result["error"] = str(getattr(exc, "reason", exc))[:300]
            continue
        result.update({"reachable": True, "url": url, "status": status, "error": ""})
        return result
    return result


def company_website_check(
    *, company: Company, fetch: Fetch = _fetch, user: Any = None
) -> dict[str, Any]:
    """Probe the company's website and attach the answer to its open company check task."""
    result = website_probe(company.primary_domain, fetch=fetch)
    cs = ChangeSet(reason="website check", user=user or "website check")
    for task in Task.objects.filter(
        company=company, kind=TaskKind.COMPANY_CHECK, status=TaskStatus.OPEN
    ):
        cs.update(
            task,
            {"payload": {**task.payload, "website_check": result}},
            f"{company}: website {'answers' if result['reachable'] else 'silent'}",
        )
    return result
