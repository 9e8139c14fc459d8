from __future__ import annotations

import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnernet.engines.contactinfo import domains
from partnernet.engines.contactinfo.domains import (
    domains_in,
    is_hosting_domain,
    is_public_mail_domain,
    registered_domain,
)


@pytest.mark.parametrize(
    ("text", "domain"),
    [
        ("jet.su", "jet.su"),
        ("www.jet.su", "jet.su"),
        ("https://www.jet.su/about?x=1#top", "jet.su"),
        ("http://JET.SU:8080", "jet.su"),
        ("//jet.su/path", "jet.su"),
        ("ivanov@jet.su", "jet.su"),
        ("mailto:Ivanov@Jet.Su", "jet.su"),
        ("Иванов <ivanov@mail.jet.su>", "jet.su"),
        ("jet.su.", "jet.su"),
        ("shop.romashka.ru", "romashka.ru"),
        ("romashka.co.uk", "romashka.co.uk"),
        ("www.romashka.msk.ru", "romashka.msk.ru"),
        ("romashka.com.ru", "romashka.com.ru"),
        ("пример.рф", "пример.рф"),
        ("https://www.пример.рф/путь", "пример.рф"),
        ("http://xn--e1afmkfd.xn--p1ai/", "пример.рф"),
        ("romashka.narod.ru", "romashka.narod.ru"),
        ("www.romashka.ucoz.ru", "romashka.ucoz.ru"),
        ("romashka.wixsite.com/site", "romashka.wixsite.com"),
        ("Сайт: www.jet.su", "jet.su"),
        ("jet.su, www.jet.ru", "jet.su"),
        ("test.kz", "test.kz"),
        ("test.com.kz", "test.com.kz"),
    ],
)
def test_registered_domain(text: str, domain: str) -> None:
    assert registered_domain(text) == domain


@pytest.mark.parametrize(
    "text", ["", "localhost", "192.168.0.1", "http://", "a@b", "нет сайта", "foo..bar", "-.ru"]
)
def test_no_domain(text: str) -> None:
    assert registered_domain(text) is None


def test_domains_in_text() -> None:
    text = "пишите на info@jet.su или sales@jet.ru, сайт https://www.jet.su"
    assert domains_in(text) == ["jet.su", "jet.ru"]


@pytest.mark.parametrize(
    "domain",
    [
        "mail.ru",
        "bk.ru",
        "list.ru",
        "inbox.ru",
        "yandex.ru",
        "ya.ru",
        "yandex.com",
        "narod.ru",
        "gmail.com",
        "rambler.ru",
        "outlook.com",
        "hotmail.com",
        "icloud.com",
        "yahoo.com",
        "mail.kz",
        "tut.by",
        "MAIL.RU",
        "ivanov@mail.ru",
    ],
)
def test_public_mail(domain: str) -> None:
    assert is_public_mail_domain(domain)


@pytest.mark.parametrize("domain", ["jet.su", "croc.ru", "lanit.ru", "", "romashka.narod.ru"])
def test_not_public_mail(domain: str) -> None:
    assert not is_public_mail_domain(domain)


@pytest.mark.parametrize(
    "domain",
    [
        "narod.ru",
        "romashka.narod.ru",
        "ucoz.ru",
        "romashka.tilda.ws",
        "romashka.wixsite.com",
        "user.github.io",
        "romashka.blogspot.com",
        "vk.com",
        "https://vk.com/romashka",
    ],
)
def test_hosting(domain: str) -> None:
    assert is_hosting_domain(domain)


@pytest.mark.parametrize("domain", ["jet.su", "romashka.msk.ru", "gmail.com", ""])
def test_not_hosting(domain: str) -> None:
    assert not is_hosting_domain(domain)


labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)


@given(
    labels,
    st.sampled_from(["ru", "su", "com", "kz", "by", "рф", "co.uk"]),
    st.sampled_from(["", "www.", "mail.", "a.b."]),
    st.sampled_from(["", "http://", "https://"]),
    st.sampled_from(["", "/", "/x/y?z=1", ":8080/"]),
)
def test_url_decorations_do_not_change_the_domain(
    label: str, suffix: str, sub: str, scheme: str, tail: str
) -> None:
    bare = registered_domain(f"{label}.{suffix}")
    assert bare == f"{label}.{suffix}"
    assert registered_domain(f"{scheme}{sub}{label}.{suffix}{tail}".upper()) == bare
    assert registered_domain(f"user@{sub}{label}.{suffix}") == bare
    assert registered_domain(bare) == bare  # idempotent


@given(st.text(max_size=40))
def test_never_crashes(text: str) -> None:
    registered_domain(text)
    domains_in(text)
    is_hosting_domain(text)
    is_public_mail_domain(text)


def test_doctests() -> None:
    result = doctest.testmod(domains)
    assert result.attempted > 0 and result.failed == 0
