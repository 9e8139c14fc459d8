"""Web and e-mail domains: the registered domain and what kind of domain it is.

:func:`registered_domain` reduces a URL, an e-mail address or a host name to the domain a
company registers (``https://www.jet.su/about`` → ``jet.su``, ``ivanov@jet.su`` →
``jet.su``): lower case, no scheme, user, ``www``, other sub-domains, port, path, query
or trailing dot. It uses tldextract with its bundled Public Suffix List snapshot and
never the network. Private suffixes count, so a site on a shared zone keeps its own
name (``romashka.msk.ru``, ``romashka.wixsite.com``, ``user.github.io``) instead of
collapsing into the zone.

Sites on builders and free hosting that are *not* in the Public Suffix List
(``romashka.narod.ru``, ``romashka.ucoz.ru``, ``romashka.tilda.ws``…) are kept as
``<site>.<hosting domain>`` too: the site name is what identifies the company there.
:func:`is_hosting_domain` is true for all of these, so matching can leave them out.

Internationalised names are returned in **Unicode** (``пример.рф``, not
``xn--e1afmkfd.xn--p1ai``): that is how Russian users read and type them, and
punycode input is decoded, so both spellings give one key.

>>> registered_domain('https://www.jet.su/about?x=1')
'jet.su'
>>> registered_domain('Ivanov@Jet.SU')
'jet.su'
>>> registered_domain('http://xn--e1afmkfd.xn--p1ai:8080/')
'пример.рф'
>>> registered_domain('romashka.narod.ru')
'romashka.narod.ru'
>>> registered_domain('www.romashka.msk.ru')
'romashka.msk.ru'
>>> registered_domain('localhost') is None, registered_domain('192.168.0.1') is None
(True, True)
>>> is_public_mail_domain('mail.ru'), is_public_mail_domain('jet.su')
(True, False)
>>> is_hosting_domain('romashka.narod.ru'), is_hosting_domain('jet.su')
(True, False)
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import tldextract

# Free mailbox providers: an address there says nothing about the employer.
PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        # Mail.ru group
        "mail.ru",
        "bk.ru",
        "list.ru",
        "inbox.ru",
        "internet.ru",
        "mail.ua",
        # Yandex
        "yandex.ru",
        "ya.ru",
        "yandex.com",
        "yandex.by",
        "yandex.kz",
        "yandex.ua",
        "narod.ru",
        # Rambler
        "rambler.ru",
        "ro.ru",
        "lenta.ru",
        "myrambler.ru",
        "autorambler.ru",
        "rambler.ua",
        # other Russian
        "qip.ru",
        "pochta.ru",
        "e1.ru",
        "ngs.ru",
        "hotbox.ru",
        "land.ru",
        "nm.ru",
        "km.ru",
        "mail333.com",
        # Kazakhstan, Belarus, Ukraine
        "mail.kz",
        "inbox.kz",
        "tut.by",
        "mail.by",
        "ukr.net",
        "i.ua",
        "meta.ua",
        "bigmir.net",
        # international
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "live.ru",
        "msn.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "yahoo.com",
        "ymail.com",
        "aol.com",
        "protonmail.com",
        "proton.me",
        "pm.me",
        "gmx.com",
        "gmx.net",
        "gmx.de",
        "web.de",
        "mail.com",
        "zoho.com",
        "tutanota.com",
        "yahoo.co.uk",
        "hotmail.co.uk",
    }
)

# Free hosting, site builders, blogs and social networks: many unrelated companies share
# them, so the domain alone must never link two companies.
HOSTING_DOMAINS: frozenset[str] = frozenset(
    {
        # Russian free hosting and site builders
        "narod.ru",
        "narod2.ru",
        "ucoz.ru",
        "ucoz.net",
        "ucoz.com",
        "ucoz.org",
        "ucoz.kz",
        "ucoz.ua",
        "at.ua",
        "my1.ru",
        "3dn.ru",
        "do.am",
        "moy.su",
        "usite.pro",
        "tilda.ws",
        "tilda.ru",
        "nethouse.ru",
        "umi.ru",
        "1c-umi.ru",
        "setup.ru",
        "okis.ru",
        "ukit.me",
        "ukit.com",
        "a5.ru",
        "wix.ru",
        "flexbe.ru",
        "craftum.io",
        "turbo.site",
        "business.site",
        "clients.site",
        "ru.gg",
        # international builders and hosting
        "wixsite.com",
        "wix.com",
        "weebly.com",
        "squarespace.com",
        "jimdo.com",
        "jimdosite.com",
        "webflow.io",
        "site123.me",
        "strikingly.com",
        "wordpress.com",
        "blogspot.com",
        "blogger.com",
        "livejournal.com",
        "github.io",
        "gitlab.io",
        "netlify.app",
        "vercel.app",
        "herokuapp.com",
        "pages.dev",
        "web.app",
        "firebaseapp.com",
        "sites.google.com",
        "google.com",
        # social networks and messengers used as a company's "site"
        "vk.com",
        "vk.ru",
        "ok.ru",
        "facebook.com",
        "fb.com",
        "instagram.com",
        "t.me",
        "telegram.me",
        "linkedin.com",
        "youtube.com",
        "dzen.ru",
        "zen.yandex.ru",
        "2gis.ru",
        "hh.ru",
        "rusprofile.ru",
        "list-org.com",
    }
)

_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_HOST_CHARS = re.compile(r"^[^\W_](?:[\w\-]*[^\W_])?(?:\.[^\W_](?:[\w\-]*[^\W_])?)+$")
_SPLIT = re.compile(r"[\s,;|<>()\[\]\"']+")


@cache
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() and no cache dir: the snapshot bundled with tldextract, no network.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def _to_unicode(host: str) -> str:
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                return ""
        labels.append(label)
    return ".".join(labels)


def _host_of(text: str) -> str:
    text = text.strip().strip(".,;:!?").lower()
    if text.startswith("mailto:"):
        text = text[7:]
    text = _SCHEME.sub("", text)
    text = text.lstrip("/")
    text = re.split(r"[/?#\\]", text, maxsplit=1)[0]
    if "@" in text:
        text = text.rsplit("@", 1)[1]
    text = re.sub(r":\d*$", "", text).strip(".")
    return _to_unicode(text)


@lru_cache(maxsize=200_000)
def _registered(host: str) -> str | None:
    if not host or not _HOST_CHARS.match(host) or re.fullmatch(r"[\d.]+", host):
        return None
    parts = _extractor()(host)
    if not parts.suffix or not parts.domain:
        return None
    domain = f"{parts.domain}.{parts.suffix}"
    # A site on free hosting outside the PSL keeps its site label (romashka.narod.ru).
    if domain in HOSTING_DOMAINS and parts.subdomain:
        site = parts.subdomain.split(".")[-1]
        if site != "www":
            return f"{site}.{domain}"
    return domain


def registered_domain(url_or_email_or_host: str) -> str | None:
    """The registered domain of a URL, e-mail address or host; None if there is none.

    A cell holding several ("jet.su, www.jet.ru") gives the first one that parses.
    """
    if not url_or_email_or_host:
        return None
    for token in _SPLIT.split(url_or_email_or_host):
        if token:
            domain = _registered(_host_of(token))
            if domain:
                return domain
    return None


def domains_in(text: str) -> list[str]:
    """Every distinct registered domain in ``text`` (URLs, addresses, host names)."""
    found: list[str] = []
    for token in _SPLIT.split(text or ""):
        if "." not in token:
            continue
        domain = _registered(_host_of(token))
        if domain and domain not in found:
            found.append(domain)
    return found


def _base(domain: str) -> str:
    return registered_domain(domain) or domain.strip().lower()


def _in(domain: str, table: frozenset[str]) -> bool:
    d = _base(domain)
    if d in table:
        return True
    parts = d.split(".")
    return any(".".join(parts[i:]) in table for i in range(1, len(parts) - 1))


def is_public_mail_domain(domain: str) -> bool:
    """True for free mailbox providers (mail.ru, yandex.ru, gmail.com, tut.by…)."""
    # Exact match of the registered domain: a site hosted on narod.ru is not a mailbox.
    return bool(domain) and _base(domain) in PUBLIC_MAIL_DOMAINS


def is_hosting_domain(domain: str) -> bool:
    """True for free hosting, site builders, blogs and social networks, and sites on them."""
    if not domain:
        return False
    if _in(domain, HOSTING_DOMAINS):
        return True
    # Private PSL zones of hosting platforms (wixsite.com, github.io, blogspot.com…).
    host = _host_of(domain)
    parts = _extractor()(host) if host else None
    return bool(parts and parts.is_private and parts.suffix in HOSTING_DOMAINS)
