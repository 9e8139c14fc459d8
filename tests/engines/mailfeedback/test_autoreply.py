from __future__ import annotations

from datetime import date

import pytest

from partnernet.engines.mailfeedback import parse_message
from partnernet.engines.mailfeedback.autoreply import classify_type
from partnernet.engines.mailfeedback.extract import (
    find_names,
    find_phones,
    nominative,
    return_date,
    strip_quoted,
)
from partnernet.engines.mailfeedback.outcome import AutoReply


def _auto(body: str, subject: str = "Автоматический ответ: Вебинар", extra: str = "") -> bytes:
    return (
        "From: =?utf-8?B?0JHQvtGA0LjRgSDQqNC40L3QutCw0YDQtdCy?= <b.sh@vega.example>\n"
        f"To: news@news.example\nSubject: {subject}\nDate: Wed, 25 Nov 2026 09:00:00 +0300\n"
        f"{extra}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}"
    ).encode()


REF = date(2026, 11, 25)


def _reply(body: str) -> AutoReply:
    """What an auto-reply (RFC 3834 header) with this body is read as."""
    reply = parse_message(_auto(body, extra="Auto-Submitted: auto-replied\n")).autoreply
    assert reply is not None
    return reply


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Я в отпуске до 15.01.2027.", date(2027, 1, 15)),
        ("С 24 по 31 декабря меня не будет.", date(2026, 12, 31)),
        ("I am away until January 10th.", date(2027, 1, 10)),
        ("Out of office till 5 Dec 2026.", date(2026, 12, 5)),
        ("В командировке, вернусь 2 декабря.", date(2026, 12, 2)),
        ("Back on 2026-12-07.", date(2026, 12, 7)),
        ("Нахожусь в отпуске.", None),
        # an ambiguous slash date is the reading nearest after the reply; a date of the text
        # that reads only one way sets the order for all
        ("Out of office until 01/04/2027.", date(2027, 1, 4)),
        ("Back on 12/1.", date(2026, 12, 1)),
        ("Back on 1/12.", date(2026, 12, 1)),
        ("Away from 24/12/2026 until 06/01/2027.", date(2027, 1, 6)),
        ("Away from 11/30/2026 until 01/02/2027.", date(2027, 1, 2)),
        # a weekday beside an ambiguous date says its order (3 February 2027 is a Wednesday,
        # 2 March a Tuesday)
        ("Back on Wed 3/2.", date(2027, 2, 3)),
        ("Back on 3/2 (Wednesday).", date(2027, 2, 3)),
        ("Back on Tuesday 3/2.", date(2027, 3, 2)),
        ("Back on 3/2.", date(2027, 2, 3)),
        # a day of the month alone, after a return or until cue: the next such day
        ("В командировке, вернусь 27-го.", date(2026, 11, 27)),
        ("В отпуске до 3 числа.", date(2026, 12, 3)),
        ("Отгрузка 12-го числа прошла, я в отпуске.", None),
        ("Out of office, back on the 3rd.", date(2026, 12, 3)),
        # a parental leave with its year runs past the usual horizon; a contract date does not
        ("В отпуске по уходу за ребёнком до 01.03.2028.", date(2028, 3, 1)),
        ("Договор от 01.03.2028 продлён.", None),
    ],
)
def test_return_dates_in_russian_and_english(text: str, expected: date | None) -> None:
    assert return_date(text, REF) == expected


def test_tax_and_bank_ids_are_never_phones() -> None:
    text = (
        "ИНН 7701234567 КПП 770101001 ОГРН 1027700132195 р/с 40702810900000012345 "
        "БИК 044525225, тел. +7 (495) 123-45-67"
    )
    assert [p[2] for p in find_phones(text)] == ["+74951234567"]


@pytest.mark.parametrize("label", ["Тел./факс:", "тел/факс", "Факс:", "Fax:"])
def test_a_fax_label_is_no_bank_account_label(label: str) -> None:
    # "факс" ends in the letters of "к/с" (correspondent account), which is never a phone
    text = f"к/с 30101810400000000225\n{label} 8 (4212) 41-90-00"
    assert [p[2] for p in find_phones(text)] == ["+74212419000"]


def test_quoted_newsletter_is_ignored() -> None:
    text = "Я в отпуске.\n\n-----Original Message-----\nFrom: news\nЗвоните +7 495 777-00-11\n"
    assert "777" not in strip_quoted(text)
    text2 = "Back soon.\n> Call +7 495 777-00-11\n"
    assert "777" not in strip_quoted(text2)


def test_replacement_name_comes_back_in_the_nominative() -> None:
    body = (
        "Я больше не работаю в компании. Мои обязанности исполняет Андрей Тарасенко, "
        "a.tarasenko@vega.example. Обращайтесь к Екатерине Соколовой по тел. "
        "+7 916 123-45-67."
    )
    result = parse_message(_auto(body, extra="Auto-Submitted: auto-replied\n"))
    assert result.kind == "autoreply"
    a = result.autoreply
    assert a is not None and a.type == "left"
    names = [(c.name, c.email, c.phones) for c in a.contacts]
    assert ("Андрей Тарасенко", "a.tarasenko@vega.example", []) in names
    assert ("Екатерина Соколова", None, ["+79161234567"]) in names


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a surname the dictionary does not know, in the dative
        ("В мое отсутствие пишите Глебу Лапину: g.lapin@vega.example", "Глеб Лапин"),
        # the model's span runs on into the bracketed address
        (
            "Я в отпуске до 20.11. Замещает: Петрова Татьяна (t.petrova@vega.example).",
            "Петрова Татьяна",
        ),
        # surname first, a pair the model may miss
        (
            "Вместо меня работает Лукина Марина, m.lukina@vega.example.",
            "Лукина Марина",
        ),
        # the address first, the name after it in brackets
        ("Я в отпуске. Пишите на адрес m.orlov@vega.example (Максим Орлов).", "Максим Орлов"),
        # the address first, the name after a dash
        (
            "Я в отпуске до 30 октября. Замещающий сотрудник: e-mail: o.petrova@vega.example "
            "— Ольга Петрова, менеджер отдела продаж.",
            "Ольга Петрова",
        ),
        # a block under its cue, across a blank line
        (
            "Я в отпуске с 14.07 по 28.07.\nНа время отпуска меня замещает:\n\n"
            "Соловьёва Анна\nведущий менеджер\na.solovyova@vega.example",
            "Соловьёва Анна",
        ),
        # a name set off by a dash stands in the nominative (pymorphy3 reads "Дина" as "Дин")
        (
            "Я в отпуске до 23.11. В моё отсутствие:\n"
            "d.levina@vega.example — Дина Левина (продажи)",
            "Дина Левина",
        ),
        # a dative after a dash is still a dative (and "Кристине" no French name)
        (
            "Я больше не работаю в компании. Мои дела переданы моей преемнице — "
            "Кристине Лебедевой: k.lebedeva@vega.example",
            "Кристина Лебедева",
        ),
        # a first name petrovich cannot decline ("Никита"): pymorphy3's reading stands
        ("В моё отсутствие пишите Никите Белову: n.belov@vega.example", "Никита Белов"),
        # a first name that is also a form of a verb ("Ержану"), the verb opening the span
        (
            "По текущим сделкам адресуйте Ержану Абдыкадырову: e.abd@vega.example",
            "Ержан Абдыкадыров",
        ),
        # an indeclinable first name the dictionary ranks above a declinable reading
        # ("Нелли" is not a form of "Нелля"), and one it also offers as a plural ("Ирэн")
        ("В моё отсутствие пишите Нелли Горбуновой: n.gorb@vega.example", "Нелли Горбунова"),
        ("Обращайтесь к Натали Рябининой: n.ryab@vega.example", "Натали Рябинина"),
        ("Обращайтесь к Ирэн Соколовой: i.sok@vega.example", "Ирэн Соколова"),
        # a first name and patronymic the model misses, with and without the surname
        (
            "По срочным вопросам обращайтесь к Лейсан Ильдаровне Закировой: l.z@vega.example",
            "Лейсан Ильдаровна Закирова",
        ),
        ("Обращайтесь к Гузель Маратовне: g.m@vega.example", "Гузель Маратовна"),
        # a first name that is likelier a common noun, agreeing with a surname beside it
        ("Обращайтесь к Ерлану Жаксылыкову: e.zh@vega.example", "Ерлан Жаксылыков"),
        # the preposition's case decides the gender the dictionary would get wrong
        ("Обращайтесь к г-ну Эльвину Мамедову (e.mam@vega.example).", "Эльвин Мамедов"),
        # a surname with no first name the dictionary knows still goes to the nominative
        ("Вместо меня по всем вопросам — к Айгюн Мамедовой, a.m@vega.example.", "Айгюн Мамедова"),
        # name, phone and address each in a block of its own (an HTML reply as text)
        (
            "Я в отпуске.\n\n\nМеня замещает коллега\n\n\nМорозова Елена\n\n\n"
            "тел. 8-916-555-00-11\n\n\nmorozova.e@vega.example\n",
            "Морозова Елена",
        ),
        # a short or indeclinable surname the model leaves out
        (
            "Отсутствую до 15.02.\nЗамещающий сотрудник: Ли Анна Олеговна\n"
            "Эл. почта: a.li@vega.example",
            "Ли Анна Олеговна",
        ),
        (
            "Я больше не работаю в компании. Связывайтесь с Алексеем Ильичом Цой:\n"
            "a.tsoy@vega.example",
            "Алексей Ильич Цой",
        ),
        # Latin names with the surname in capitals or as an initial
        (
            "I am out of the office until 18.01. In my absence please contact my deputy "
            "PETRENKO Olga, o.petrenko@vega.example.",
            "Petrenko Olga",
        ),
        ("I am on leave. Please contact K. Ivanova (k.ivanova@vega.example).", "K. Ivanova"),
        # a surname with initials, either order
        ("Я в отпуске до 3 марта. Меня замещает Белова Н.А., n.belova@vega.example", "Белова Н.А."),
        (
            "В командировке до 4 декабря. По срочным вопросам — к Петровой И.В. "
            "(i.petrova@vega.example).",
            "Петрова И.В.",
        ),
        (
            "Я в отпуске до 29 июня. Обращайтесь к С.Н. Журавлёву (s.zhuravlev@vega.example).",
            "С.Н. Журавлёв",
        ),
        # the address on the line under the name
        (
            "Я больше не работаю в компании. Ваш аккаунт теперь закреплён за Полиной Гусевой\n"
            "(p.guseva@vega.example).",
            "Полина Гусева",
        ),
    ],
)
def test_stand_in_name_and_address_are_read_together(body: str, expected: str) -> None:
    reply = _reply(body)
    named = [(c.name, c.email) for c in reply.contacts if c.email]
    assert len(named) == 1
    assert named[0][0] == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Я в отпуске до понедельника", "vacation"),
        ("Я в отъезде до 14 марта", "vacation"),
        ("Меня не будет в офисе до 5 декабря.", "vacation"),
        ("Меня нет на месте, отвечу позже.", "vacation"),
        ("В связи с увольнением почтовый ящик будет закрыт.", "left"),
        ("Я перешла на новую работу.", "left"),
        ("С 1 марта адрес моей почты изменился, теперь это x@y.example", "moved"),
        ("I have left Vega Systems. Your new account manager is Yana Lee.", "left"),
        ("I have left the office on a business trip until Monday.", "vacation"),
        ("I'm off sick until February 3rd.", "vacation"),
        ("I'm on paternity leave until May", "vacation"),
        ("During my absence please contact my colleague", "vacation"),
        ("Сотрудник больше не работает в компании", "left"),
        ("Мой адрес изменился, пишите на новый адрес", "moved"),
        ("I am no longer with the company", "left"),
        ("Thank you for your message", "other"),
        # leaving, said of the company by name, in the passive, or as a successor's arrival
        ("С 1 марта я не работаю в АО «Вега». Клиенты переданы коллегам.", "left"),
        ("Сотрудница уволена, письмо не будет прочитано.", "left"),
        ("Вместо Анны Ивановой теперь работает Пётр Сидоров.", "left"),
        # an address to be switched off, with a new one given, is a move
        ("Мой новый адрес — a@b.example. Старый ящик отключат 1 марта.", "moved"),
        ("Мы сменили почтовый домен: пишите на a@new.example.", "moved"),
        ("Our company has changed its e-mail domain.", "moved"),
        # absences other than leave, and a closed office
        ("До 3 декабря я на обучении.", "vacation"),
        ("Буду в офисе с 9 января.", "vacation"),
        ("В командировке, вернусь в пятницу.", "vacation"),
        ("С 1 по 8 января офис компании «Вега» не работает.", "vacation"),
        ("Our office is closed for the holidays.", "vacation"),
        ("Пётр Ильин с 1 декабря в компании не работает.", "left"),
        ("С 1 марта я перехожу на другую должность и больше не занимаюсь закупками.", "left"),
        ("Mr. Peter Brandt has left Vega Systems LLC as of 30 November.", "left"),
        ("She has left the office early today.", "other"),
    ],
)
def test_types(text: str, kind: str) -> None:
    assert classify_type(text) == kind


def test_bounce_with_auto_submitted_is_still_a_bounce() -> None:
    raw = b"""From: MAILER-DAEMON@relay.example
To: news@news.example
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied

<gone@partner.example>: host mx.partner.example said: 550 5.1.1 User unknown (in reply to
    RCPT TO command)
"""
    result = parse_message(raw)
    assert result.kind == "bounce"
    assert result.recipients[0].reason == "userunknown"


def test_human_reply_and_read_receipt_are_not_autoreplies() -> None:
    human = _auto("Thanks, I'll come. I was on vacation last week.", subject="Re: Webinar")
    assert parse_message(human).kind == "other"
    receipt = _auto("Прочитано", subject="Read: Webinar")
    assert parse_message(receipt).kind == "other"


@pytest.mark.parametrize(
    ("tail", "kind"),
    [
        # the same sentence, nothing else: a client that marks its auto-replies in no header
        ("", "autoreply"),
        ("Запись вебинара пришлёте?\n", "other"),
        ("\nОтправлено с iPhone\n", "other"),
        ("\nSent from my Android phone\n", "other"),
    ],
)
def test_a_person_typing_about_their_leave_is_no_auto_reply(tail: str, kind: str) -> None:
    body = "Добрый день! С 3 по 14 марта я нахожусь в отпуске.\n" + tail
    assert parse_message(_auto(body, subject="Re: Вебинар")).kind == kind


def test_a_colon_ends_the_position() -> None:
    body = (
        "Я больше не работаю в компании. Моих клиентов ведёт Ирина Сергеевна Котова, "
        "менеджер по работе с партнёрами: i.kotova@vega.example, тел. 8 (800) 555-00-11."
    )
    reply = _reply(body)
    (contact,) = [c for c in reply.contacts if c.email]
    assert contact.position == "менеджер по работе с партнёрами"


@pytest.mark.parametrize(
    "name",
    [
        "Алиев Тимур Русланович",
        "Мамедов Орхан Ильхамович",
        "Ибрагимов Ренат Маратович",
        "Ирэн Дюваль",  # a vocative reading is never a name in a letter
    ],
)
def test_a_name_already_in_the_nominative_stays_as_written(name: str) -> None:
    # pymorphy3 also reads such surnames and first names as plural first names ("Ибрагимы");
    # one person is never a plural.
    assert nominative(name) == name


def test_a_capitalised_verb_is_not_part_of_a_name() -> None:
    text = (
        "Вопросы по договорам ведёт Ирина Котова, юрист.\n"
        "Звоните Ирине на i.kotova@vega.example или по телефону."
    )
    assert [n.text for n in find_names(text)] == ["Ирина Котова"]


def test_a_retired_address_with_a_new_one_given_is_a_move() -> None:
    body = (
        "Этот адрес больше не используется.\n"
        "Пишите мне, пожалуйста, на новый адрес: a.b@nord.example"
    )
    reply = _reply(body)
    assert (reply.type, reply.new_address) == ("moved", "a.b@nord.example")
    assert reply.contacts == []


def test_the_address_after_the_change_is_the_new_one_whatever_stands_before_it() -> None:
    body = (
        "Our company has rebranded as Nord Data and my e-mail address has changed to\n"
        "v.orlov@norddata.example. Please update your address book."
    )
    result = parse_message(_auto(body, subject="Automatic reply: news"))
    assert result.autoreply is not None
    assert result.autoreply.new_address == "v.orlov@norddata.example"
    assert [c.email for c in result.autoreply.contacts] == []


def test_the_person_who_left_is_no_contact() -> None:
    body = (
        "Сотрудник Кравцов Д. С. в компании больше не работает.\n"
        "Все обращения переданы Орловой Анне Викторовне:\na.orlova@vega.example"
    )
    result = parse_message(_auto(body, extra="Auto-Submitted: auto-replied\n"))
    assert result.autoreply is not None and result.autoreply.type == "left"
    names = [c.name for c in result.autoreply.contacts]
    assert "Кравцов Д. С." not in names
    assert "Орлова Анна Викторовна" in names  # "Анне" is no indeclinable French Anne here


def test_capitalised_department_words_are_no_names() -> None:
    body = "I am out of the office until Monday. Contact IT Support at it.support@vega.example."
    result = parse_message(_auto(body, subject="Automatic reply: news"))
    assert result.autoreply is not None
    assert [c.name for c in result.autoreply.contacts if c.name] == []


@pytest.mark.parametrize(
    ("signed", "contact", "is_contact"),
    [
        # a namesake colleague (a relative, often) is a contact; the sender's own name is not
        ("Oleg Kamalov", "R. Kamalova", True),
        ("Oleg Kamalov", "O. Kamalov", False),
        ("Oleg Kamalov", "Kamalov Oleg", False),
    ],
)
def test_a_colleague_with_the_senders_surname_is_still_a_contact(
    signed: str, contact: str, is_contact: bool
) -> None:
    raw = (
        f"From: {signed} <o.kamalov@vega.example>\nTo: news@news.example\n"
        "Subject: Auto: news\nDate: Wed, 25 Nov 2026 09:00:00 +0300\n"
        "Auto-Submitted: auto-replied\nContent-Type: text/plain; charset=utf-8\n\n"
        "I'm travelling on business until 2 December.\n"
        f"Urgent requests: {contact}, colleague@vega.example\n"
    ).encode()
    result = parse_message(raw)
    assert result.autoreply is not None
    names = [c.name for c in result.autoreply.contacts]
    assert (contact in names) is is_contact


@pytest.mark.parametrize(
    ("address", "is_contact"),
    [
        ("zhuravlev@vega.example", False),  # the signature is the sender's own name
        ("p.zhuravlev@vega.example", False),
        ("a.zhuravlev@vega.example", True),  # another Zhuravlev: the initials differ
        ("zhuravleva@vega.example", True),  # a woman's address: not this man
    ],
)
def test_a_signature_spelt_by_the_senders_address_is_no_contact(
    address: str, is_contact: bool
) -> None:
    raw = (
        f"From: {address}\nTo: news@news.example\nSubject: Автоответ: новости\n"
        "Date: Wed, 25 Nov 2026 09:00:00 +0300\nAuto-Submitted: auto-replied\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "В командировке до 4 декабря. По срочным вопросам обращайтесь к Беловой Н.А. "
        "(n.belova@vega.example).\n\nЖуравлёв П.С.\n"
    ).encode()
    result = parse_message(raw)
    assert result.autoreply is not None
    names = [c.name for c in result.autoreply.contacts]
    assert "Белова Н.А." in names
    assert ("Журавлёв П.С." in names) is is_contact


def test_an_html_table_of_stand_ins_reads_row_by_row() -> None:
    html = (
        "<p>Я в отпуске до 24 августа. Прошу обращаться:</p><table>"
        "<tr><th>Вопрос</th><th>Сотрудник</th><th>Телефон</th><th>E-mail</th></tr>"
        "<tr><td>Счета</td><td>Бекмуратова Динара Ерлановна</td><td>+7 (727) 311-22-33</td>"
        "<td>d.bek@vega.example</td></tr>"
        "<tr><td>Склад</td><td>Гулямов Тимур</td><td>+7 (495) 600-11-22</td>"
        "<td>t.gul@vega.example</td></tr></table>"
    )
    raw = (
        "From: x@vega.example\nTo: news@news.example\nSubject: Автоответ: новости\n"
        "Date: Mon, 10 Aug 2026 08:30:00 +0500\nAuto-Submitted: auto-replied\n"
        f"Content-Type: text/html; charset=utf-8\n\n{html}"
    ).encode()
    result = parse_message(raw)
    assert result.autoreply is not None
    assert [(c.name, c.email, c.phones) for c in result.autoreply.contacts] == [
        # an indeclinable first name between a surname and a patronymic the model misses
        ("Бекмуратова Динара Ерлановна", "d.bek@vega.example", ["+77273112233"]),
        ("Гулямов Тимур", "t.gul@vega.example", ["+74956001122"]),
    ]


@pytest.mark.parametrize(
    ("signed", "signature"),
    [
        ("Магомедов Шамиль", "Магомедов Ш.А."),  # the patronymic only in the signature
        ("Giorgi Tsagareli", "Георгий Цагарели"),  # the header in Latin, the signature not
    ],
)
def test_the_senders_signature_in_another_form_is_no_contact(signed: str, signature: str) -> None:
    from email.header import Header
    from email.utils import formataddr

    sender = formataddr((str(Header(signed, "utf-8")), "s@vega.example"))
    raw = (
        f"From: {sender}\nTo: news@news.example\nSubject: Auto: news\n"
        "Date: Wed, 25 Nov 2026 09:00:00 +0300\nAuto-Submitted: auto-replied\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "До 3 декабря я на обучении. По срочным вопросам обращайтесь к Беловой Н.А. "
        f"(n.belova@vega.example).\n\n{signature}\n"
    ).encode()
    result = parse_message(raw)
    assert result.autoreply is not None
    assert [c.name for c in result.autoreply.contacts] == ["Белова Н.А."]


def test_a_department_mailbox_is_no_contact_but_a_named_person_is() -> None:
    body = (
        "Сотрудник уволен. По всем вопросам пишите на общий ящик sales@vega.example "
        "или Ольге Мельник: o.melnik@vega.example."
    )
    result = parse_message(_auto(body, extra="Auto-Submitted: auto-replied\n"))
    assert result.autoreply is not None and result.autoreply.type == "left"
    assert [(c.name, c.email) for c in result.autoreply.contacts] == [
        ("Ольга Мельник", "o.melnik@vega.example")
    ]


def test_a_bilingual_reply_names_each_stand_in_once() -> None:
    body = (
        "Я в отпуске до 5 мая. Обращайтесь к Тамаре Беридзе (t.beridze@vega.example), "
        "тел. +7 495 600-11-22.\n\n"
        "I am on leave until May 5. Please contact Tamara Beridze (t.beridze@vega.example), "
        "mobile +7 916 700-11-22.\n"
    )
    reply = _reply(body)
    assert [(c.name, c.email, c.phones) for c in reply.contacts] == [
        ("Тамара Беридзе", "t.beridze@vega.example", ["+74956001122", "+79167001122"])
    ]


def test_a_moved_reply_gives_the_new_address_and_no_contact_for_the_old_one() -> None:
    body = (
        "Компания сменила почтовый домен. Адрес p.gor@vega.example\nбольше не обслуживается; "
        "пишите на p.gor@vega-group.example."
    )
    result = parse_message(_auto(body, extra="Auto-Submitted: auto-replied\n"))
    assert result.autoreply is not None and result.autoreply.type == "moved"
    assert result.autoreply.new_address == "p.gor@vega-group.example"
    assert result.autoreply.contacts == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a duty manager, an urgent contact, a topic and a dash: a name with a phone only
        (
            "С 1 по 8 января офис не работает.\nДежурный менеджер: Алина Сорокина, "
            "+7 (4932) 11-22-33.",
            ("Алина Сорокина", ["+74932112233"]),
        ),
        (
            "Я в командировке до 18.03.\nСрочно — Рустем Ильдарович Хабибуллин, "
            "тел. 8 (347) 200-11-22.",
            ("Рустем Ильдарович Хабибуллин", ["+73472001122"]),
        ),
        (
            "Я в отпуске до 14 августа.\nПо поставкам — Фарид Юнусов, +7 (499) 100-20-30.\n"
            "Мой мобильный для экстренных случаев: 8-916-000-11-22.",
            ("Фарид Юнусов", ["+74991002030"]),
        ),
        # initials right after a capitalised verb belong to the surname after them
        (
            "Я в отпуске по 20.08. Замещает Е.П. Остапенко, тел. 8 (495) 700-10-20, доб. 11.",
            ("Е.П. Остапенко", ["+74957001020"]),
        ),
        # a Latin name after a topic and a dash, with a phone only
        (
            "I am on leave until 21 September.\nFor technical questions - Bondarenko Pavel, "
            "+7 (863) 300-11-22.",
            ("Bondarenko Pavel", ["+78633001122"]),
        ),
    ],
)
def test_a_stand_in_with_a_phone_and_no_address(body: str, expected: tuple[str, list[str]]) -> None:
    reply = _reply(body)
    assert [(c.name, c.phones) for c in reply.contacts] == [expected]


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("Ваше обращение зарегистрировано. Номер заявки: SD-1042.", "autoreply"),
        ("Your request #5521 has been received by our support team.", "autoreply"),
        # an auto-generated notification that answers nothing of ours
        ("Задача «Обновить прайс» перешла в статус «Выполнена».", "other"),
    ],
)
def test_a_help_desk_acknowledgement_sent_as_auto_generated_is_an_auto_reply(
    body: str, kind: str
) -> None:
    raw = _auto(body, subject="[SD-1042] Обращение", extra="Auto-Submitted: auto-generated\n")
    assert parse_message(raw).kind == kind


def test_an_out_of_office_first_line_is_an_auto_reply_without_headers() -> None:
    body = "Out of office, back on the 5th.\nMeanwhile please write to a.dz@vega.example.\n"
    result = parse_message(_auto(body, subject="Re: Partner news"))
    assert result.kind == "autoreply"
    assert result.autoreply is not None and result.autoreply.until == date(2026, 12, 5)


def test_a_company_name_in_latin_letters_is_no_person() -> None:
    body = (
        "Ruslan Ismailov no longer works at Shymkent Soft LLP.\n"
        "Please send your correspondence to office@vega.example."
    )
    result = parse_message(_auto(body, subject="Automatic reply: news"))
    assert result.autoreply is not None and result.autoreply.type == "left"
    assert result.autoreply.contacts == []


def test_a_first_name_and_patronymic_after_a_topic_and_a_dash_is_a_contact() -> None:
    body = "Я в отпуске до 13 января.\nСчета, сверки — Ольга Петровна, тел. 8 (846) 270-31-15.\n"
    reply = _reply(body)
    assert [(c.name, c.phones) for c in reply.contacts] == [("Ольга Петровна", ["+78462703115"])]


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("ЧУП «Полоцк Софт», г. Полоцк, УНП 391234567\nтел. 8 (0214) 42-10-20", ["+375214421020"]),
        ("ИП Асанова, г. Бишкек\nмоб. 0555 11 22 33", ["+996555112233"]),
        ("ООО «Самарканд Савдо», Самарканд\nтел. (66) 233-45-67", ["+998662334567"]),
        # no other country named: a local foreign number is no Russian phone, and nothing else
        ("ООО «Вега»\nмоб. 0555 11 22 33", []),
        # two countries named: no guess between them
        ("Офисы в Минске и Бишкеке\nмоб. 0555 11 22 33", []),
    ],
)
def test_local_numbers_of_the_cis_country_a_reply_names(text: str, phones: list[str]) -> None:
    assert [p[2] for p in find_phones(text)] == phones


def test_a_quote_attribution_line_of_any_client_is_cut_with_its_address() -> None:
    body = (
        "Я в отпуске до 25 января.\nПо технике — Рустам Алиев +7 951 000 11 22\nВиктор\n\n"
        "пн, 11 янв. 2027 г. в 07:58, Вектор <partners@news.example>:\n\n> Уважаемые партнёры!\n"
    )
    reply = _reply(body)
    assert [(c.name, c.email) for c in reply.contacts] == [("Рустам Алиев", None)]


def test_latin_look_alike_letters_in_russian_words_are_read_as_cyrillic() -> None:
    # "oтпуске" and "Cергей" carry a Latin o and C
    body = "Я в o\u0442пуске до 25 января. По закупкам — C\u0435ргей Носов, s.nosov@vega.example"
    result = parse_message(_auto(body, extra="Auto-Submitted: auto-replied\n"))
    assert result.autoreply is not None and result.autoreply.type == "vacation"
    assert [c.name for c in result.autoreply.contacts] == ["Сергей Носов"]


@pytest.mark.parametrize(
    "body",
    [
        # the absent person named first, the stand-in after, the absent one again in the
        # accusative after "замещает"
        "Гульнара Ахметова в отпуске по 9 января.\nЗаявки обрабатывает Марат Валиев (замещает "
        "Гульнару Ахметову),\nm.valiev@vega.example, тел. +7 (8552) 47-33-21.",
    ],
)
def test_the_absent_person_is_no_contact_and_does_not_take_the_address(body: str) -> None:
    reply = _reply(body)
    assert [(c.name, c.email) for c in reply.contacts] == [
        ("Марат Валиев", "m.valiev@vega.example")
    ]


def test_a_bilingual_block_merges_the_name_without_details_into_its_twin() -> None:
    body = (
        "Я в отпуске до 11 января / I am on leave until 11 January.\n"
        "В срочных случаях / For urgent matters:\nАлексей Гончаренко / Alexey Goncharenko\n"
        "a.gon@vega.example\n+7 495 221-63-07\n"
    )
    reply = _reply(body)
    assert [(c.name, c.email, c.phones) for c in reply.contacts] == [
        ("Алексей Гончаренко", "a.gon@vega.example", ["+74952216307"])
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Это автоответ. Я ушла из компании, эта почта скоро перестанет работать.", "left"),
        ("Пишите теперь на рабочую почту i.sh@vega.example, этот ящик я больше не читаю.", "moved"),
        ("До 11 мая я на майских.", "vacation"),
        ("Заболела, буду на связи с понедельника.", "vacation"),
    ],
)
def test_informal_ways_of_saying_left_moved_and_away(text: str, kind: str) -> None:
    assert classify_type(text) == kind


def test_a_titled_latin_name_is_a_person_without_other_cues() -> None:
    body = (
        "I am on annual leave until July 27th. For licensing please contact my deputy "
        "Gulnara Akhmetova (g.akh@vega.example).\n"
        "For tenders and framework agreements: Mr. Dmitry Chernov, ext. 4410 at +7 (347) "
        "246-18-00.\nIlnur\nMob. +7 917 345 22 81\n"
    )
    result = parse_message(_auto(body, subject="Automatic reply: news"))
    assert result.autoreply is not None
    assert [c.name for c in result.autoreply.contacts] == ["Gulnara Akhmetova", "Dmitry Chernov"]


def test_a_surname_in_capitals_beside_a_first_name_is_a_name() -> None:
    body = (
        "На время отпуска меня замещают:\n - по закупкам: Тимофеев Олег, o.tim@vega.example\n"
        " - по договорам: ведущий юрисконсульт Исмаилова Лейла Гасановна, тел. +7 (812) "
        "335-20-47\n - по тех. поддержке: инженер ЦОЙ Денис, +7 921 744-05-18\n"
    )
    reply = _reply(body)
    assert [(c.name, c.phones) for c in reply.contacts] == [
        ("Тимофеев Олег", []),
        ("Исмаилова Лейла Гасановна", ["+78123352047"]),
        # a bulleted topic line cues its person, however far the list's own cue is above
        ("Цой Денис", ["+79217440518"]),
    ]


def test_a_name_with_a_foreign_phone_is_read_without_other_words() -> None:
    body = "Я в отпуске до 5.06\nПо поставкам в Узбекистан: Тимур Расулов +998 90 123 45 67\n"
    reply = _reply(body)
    assert [(c.name, c.phones) for c in reply.contacts] == [("Тимур Расулов", ["+998901234567"])]


def test_an_acknowledgement_sent_as_bulk_is_still_an_auto_reply() -> None:
    raw = _auto(
        "Ваше обращение зарегистрировано под номером ВХ-2026/18845.",
        subject="Регистрация обращения",
        extra="Auto-Submitted: auto-generated\nPrecedence: bulk\n",
    )
    assert parse_message(raw).kind == "autoreply"
