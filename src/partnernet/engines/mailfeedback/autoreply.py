"""Auto-replies: out-of-office, "no longer with the company", "my address has changed".

Detection trusts headers first (RFC 3834 ``Auto-Submitted: auto-replied``, ``X-Autoreply``,
``X-Autorespond``, ``Precedence: auto_reply``, Exchange's ``X-MS-Exchange-*AutoReply``), then
subject prefixes in Russian and English, then — for clients that set neither — a strong phrase at
the top of the body. Read receipts, mailing-list traffic and human replies are told apart.
Bounces were decided before this module is asked.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime

from ..addresses.patterns import is_role_mailbox
from ..names.translit import fix_lookalikes, latin_key
from . import extract
from .mime import header, part_text, walk
from .outcome import AutoReply, AutoReplyType, ExtractedContact

AUTO_SUBJECT = re.compile(
    r"^\s*(?:\[?(?:автоматический ответ|автоответ|авто-ответ|автоответчик|auto(?:matic)?"
    r"[- ]?(?:reply|response|answer)|auto|autoreply|autoresponse|out of (?:the )?office|"
    r"ooo|абсент|отсутствую|отсутствие|вне офиса|в отпуске|on vacation|on leave|away|"
    r"abwesend|absence|vacation|отпуск)\]?\s*[:\-—|]|"
    r"(?:re:\s*)?(?:автоматический ответ|автоответ|automatic reply|auto-?reply|out of office|"
    r"out of the office|вне офиса|в отпуске|отсутствую|on vacation|i am away|i'm away|"
    r"away from (?:the )?office))",
    re.I,
)
_READ_RECEIPT_SUBJECT = re.compile(
    r"^\s*(?:read|прочитано|прочтено|не прочитано|not read|delivered|доставлено|"
    r"return receipt|уведомление о прочтении)\s*:",
    re.I,
)

# Only the address is retired: with a new address given, the person moved, not left.
_ADDRESS_RETIRED_WORDS = (
    r"ящик(?:\s+\S+@\S+)?\s+(?:больше\s+не|не)\s+(?:обслуживается|используется|проверяется)|"
    r"адрес(?:\s+\S+@\S+)?\s+(?:больше\s+не|не)\s+(?:обслуживается|используется|активен)|"
    r"(?:ящик|адрес)\w*(?:\s+\S+)?\s+(?:будет\s+)?(?:закрыт|удал[её]н|отключ[её]н)|"
    r"(?:ящик|адрес)\w*(?:\s+\S+)?\s+(?:отключат|закроют|удалят)|"
    r"(?:ящик|адрес)\w*(?:\s+\S+){0,3}\s+(?:я\s+)?больше\s+не\s+(?:отвечаю|читаю|проверяю)|"
    r"(?:mailbox|address|account) (?:is )?(?:no longer|not) (?:monitored|in use|active|"
    r"being monitored|checked)"
)
_ADDRESS_RETIRED = re.compile(_ADDRESS_RETIRED_WORDS, re.I)
_LEFT = re.compile(
    r"\bi(?: have|'ve) left (?!the office|for )|"
    r"больше не работа|не работает в (?:компании|организации|нашей)|уволил(?:ся|ась)|"
    r"покинул[аи]? (?:компанию|организацию)|(?:работа|работу) в компании (?:завершил|прекратил)|"
    r"no longer (?:with|works?|employed|at|part of|working)|(?:has|have) left (?:the |our )?"
    r"(?:company|organi[sz]ation|firm)|left the company|is not with .{0,30} anymore|"
    + _ADDRESS_RETIRED_WORDS
    + r"|(?:mailbox|address) (?:has been|was|is) (?:retired|closed|deactivated|discontinued)|"
    r"в связи с (?:моим )?увольнением|переш(?:[её]л|ла|ли) на (?:другую|новую) работу|"
    r"не работа(?:ю|ет) (?:больше )?в (?:ооо|ао|зао|пао|оао|ип|гк|фирме|группе|«)|"
    r"в (?:компании|организации|фирме) (?:больше |уже )?не работа|"
    r"(?:перехожу|переш(?:[её]л|ла)|переведен\w*) на (?:другую|новую) (?:должность|позицию)|"
    r"больше не занимаюсь|(?:has|have) left (?!the office|for |on |early|a message|you)|"
    r"\bуволен[аы]?\b|вместо (?!меня)\w+ \w+ (?:теперь )?работает|"
    r"(?:ушла|ушёл|ушел|ушли) из (?:компании|организации)",
    re.I,
)
_MOVED = re.compile(
    r"(?:мой |наш )?(?:новый|изменил(?:ся|ась)?|сменил(?:ся)?) (?:e-?mail|адрес|почтов)|"
    r"адрес (?:\w+ ){0,2}(?:изменился|сменился|поменялся)|теперь (?:пишите|мой адрес)|"
    r"пишите (?:мне,? (?:пожалуйста,? )?(?:теперь |впредь )?|теперь |впредь )на (?:новый )?адрес|"
    r"пишите на новый адрес|"
    r"(?:my|our) (?:new )?(?:e-?mail )?address (?:has )?changed|new (?:e-?mail )?address|"
    r"please (?:update|use) (?:your|my) (?:address book|new)|have moved to|has moved to|"
    r"(?:we|i) (?:have )?moved (?:to|our)|"
    r"(?:сменил|изменил|поменял)\w* (?:\w+ )?(?:почтовый )?домен|"
    r"домен (?:\w+ )?(?:изменился|сменился|поменялся)|"
    r"(?:changed|moved to) (?:(?:our|its|a new) )?(?:e-?mail |mail )?domain|"
    r"new (?:e-?mail |mail )?domain|(?:пишите теперь|теперь пишите) на",
    re.I,
)
_VACATION = re.compile(
    r"отпуск|вне офиса|отсутств|командировк|больничн|декрет|выходн|праздни|на конференци|"
    r"в отъезде|в поездке|меня не будет|меня нет на месте|не буду на месте|я не работаю|"
    r"не смогу (?:ответить|оперативно)|ограниченн\w+ доступ|нет доступа к почте|"
    r"vacation|holiday|out of (?:the )?office|away from|annual leave|on (?:\w+ )?leave|"
    r"business trip|my absence|"
    r"sick leave|off sick|out sick|maternity|limited access|no access to (?:my )?e-?mail|"
    r"travel(?:l)?ing|"
    r"will be back|be back on|return(?:ing)? on|i am away|i'm away|currently away|"
    r"на уч[её]бе|на обучении|на курсах|на стажировке|study leave|on (?:a )?training|"
    r"вернусь|буду (?:в офисе|на работе|на месте) с|"
    r"офис\w* (?:\w+ |«[^»]{1,40}» ){0,3}(?:не работает|закрыт)|не работаем|"
    r"(?:office|company) (?:is |will be )?closed|на майских|каникул|заболел|приболел",
    re.I,
)
_BODY_ONLY = re.compile(
    r"(?:это|данное) (?:письмо|сообщение) (?:сгенерировано|отправлено|создано) автоматически|"
    r"автоматическ\w+ (?:ответ|уведомлен)|"
    r"this is an? (?:automatic|automated|auto-generated) (?:reply|response|message)|"
    r"i am (?:currently )?out of (?:the )?office|i'?m (?:currently )?out of (?:the )?office|"
    r"я (?:сейчас |в настоящее время )?(?:нахожусь )?(?:в отпуске|в командировке|вне офиса)|"
    r"(?:нахожусь|буду) в (?:отпуске|командировке)|"
    r"(?:^|\n)\s*(?:out of (?:the )?office|away from the office|это автоответ)\b|"
    r"больше не работа\w+ в|no longer with (?:the |our )?(?:company|[A-Z])",
    re.I,
)
# Signs a person typed the message: a phone mail client's line (no server-side auto-reply
# carries one) or a question put to the reader ("Можно ли будет потом получить запись?").
# Used only when nothing but the body says "auto-reply": "2 февраля я буду в отпуске" in a
# human answer is the same phrase as in an out-of-office text.
_TYPED_BY_A_PERSON = re.compile(
    r"^\s*(?:отправлено (?:с|из) |sent (?:from|with) (?:my )?)(?:iphone|ipad|android|"
    r"мобильно|моего|samsung|huawei|xiaomi|outlook для|outlook for|яндекс|mail\.ru|почты)|"
    r"\?[ \t]*$",
    re.I | re.M,
)
_RECEIPT_ACKNOWLEDGED = re.compile(
    r"(?:обращение|заявка|запрос|письмо|сообщение)\w* (?:\w+ )?(?:зарегистрирован|принят|получен|"
    r"создан)|номер (?:заявки|обращения|запроса|тикета)|"
    r"(?:ticket|request|case) (?:#?\S+ )?(?:has been |was )?(?:created|opened|registered|received|"
    r"logged)|we have received your (?:message|request|e-?mail)",
    re.I,
)
_REPLACEMENT_CUE = re.compile(
    r"вместо (?:меня|него|неё|нее)|мои обязанности|е[её]? обязанности|его обязанности|"
    r"(?:новый|новым|нового|новому) (?:менеджер|ответственн|контакт|сотрудник)|теперь (?:ваш|вас)|"
    r"заменяет|замени[лв]|преемник|передан[ыо]?|(?:has|have) taken over|took over|"
    r"replacement|successor|new (?:contact|account manager|manager)|now (?:handled|managed) by|"
    r"is now responsible|will now be",
    re.I,
)
_CONTACT_CUE = re.compile(
    r"обращайтесь|обратитесь|пишите|свяжитесь|звоните|адресуйте|направляйте|перенаправ|замещ|"
    r"заместител|deputy|"
    r"исполня|отвечает|ответит|поможет|проконсультирует|по (?:\w+ )?вопросам|вопрос\w* (?:по|к)\b|"
    r"дежурн|срочн|urgent|on duty|(?:questions|enquiries|inquiries|requests|matters)\b|"
    # a topic, then its person: "по поставкам — Фарид Юнусов", "счета, сверки — Ирина Сергеевна"
    r"\bпо \w+(?: и \w+)? [—–-] |[а-яё] [—–] (?=[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+)|"
    r"(?:^|\n)[ \t]*(?:[-–—•*][ \t]*)?по [^\n:]{3,40}:[ \t]*(?=[А-ЯЁа-яё])|"
    r"в (?:моё|мое|мо[её]м) отсутствие|вместо меня|"
    r"contact|reach|write to|please (?:email|e-mail|call)|in my absence|colleague|"
    r"responsible|handle|assist|forward",
    re.I,
)


def _is_auto_header(msg: Message) -> bool:
    auto = header(msg, "Auto-Submitted").lower()
    if auto.startswith("auto-replied"):
        return True
    for name in (
        "X-Autoreply",
        "X-Autorespond",
        "X-Autoresponder",
        "X-Auto-Reply",
        "X-Autogenerated",
        "X-AutoReply-From",
        "X-Mail-Autoreply",
        "X-Vacation",
        "X-MS-Exchange-Inbox-Rules-Loop",
    ):
        if msg.get(name) is not None and name != "X-Autogenerated":
            return True
        if name == "X-Autogenerated" and "reply" in header(msg, name).lower():
            return True
    if header(msg, "Precedence").lower() in ("auto_reply", "auto-reply"):
        return True
    if header(msg, "X-Precedence").lower() in ("auto_reply", "auto-reply"):
        return True
    mailer = header(msg, "X-Mailer").lower()
    return "autoreply" in mailer or "vacation" in mailer


def _is_read_receipt(msg: Message, subject: str) -> bool:
    try:
        report = str(msg.get_param("report-type") or "").lower()
    except Exception:
        report = ""
    return "disposition-notification" in report or bool(_READ_RECEIPT_SUBJECT.match(subject))


def _body(msg: Message) -> str:
    plain: list[str] = []
    html: list[str] = []
    for part in walk(msg):
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain":
            plain.append(part_text(part))
        elif ctype == "text/html":
            html.append(part_text(part))
        if len(plain) > 3:
            break
    return "\n".join(plain) if plain else "\n".join(html)


def _reference_date(msg: Message) -> date:
    try:
        value = parsedate_to_datetime(header(msg, "Date"))
        if value is not None:
            return value.date()
    except Exception:
        pass
    return datetime.now(UTC).date()


def classify_type(text: str) -> AutoReplyType:
    left = _LEFT.search(text)
    moved = _MOVED.search(text)
    if left and not (_ADDRESS_RETIRED.fullmatch(left.group()) and moved):
        return "left"
    if moved:
        return "moved"
    if _VACATION.search(text):
        return "vacation"
    return "other"


def detect(msg: Message, *, subject: str, from_addrs: list[str]) -> AutoReply | None:
    if _is_read_receipt(msg, subject):
        return None
    by_header = _is_auto_header(msg)
    by_subject = bool(AUTO_SUBJECT.search(subject))
    list_mail = msg.get("List-Id") is not None or header(msg, "Precedence").lower() in (
        "bulk",
        "list",
        "junk",
    )
    generated = header(msg, "Auto-Submitted").lower().startswith("auto-generated")
    if not by_header and not by_subject and list_mail and not generated:
        return None
    body = _body(msg)
    # Latin look-alike letters typed into Russian words ("oтпуске", "Cергей") made Cyrillic.
    own = fix_lookalikes(extract.strip_quoted(body))
    head = own[:1500]
    # RFC 3834 asks responders for "auto-replied", but help desks send their "request
    # registered" answer as "auto-generated": a reply to our message all the same.
    by_header = by_header or bool(generated and _RECEIPT_ACKNOWLEDGED.search(head))
    if not (by_header or by_subject) and (
        not _BODY_ONLY.search(head) or len(own) > 4000 or _TYPED_BY_A_PERSON.search(own)
    ):
        return None
    if list_mail and not by_header and not by_subject and not _BODY_ONLY.search(head):
        return None
    return build(
        own,
        subject=subject,
        sender=from_addrs[0] if from_addrs else None,
        sender_name=parseaddr(header(msg, "From"))[0],
        reference=_reference_date(msg),
    )


def build(
    text: str, *, subject: str, sender: str | None, sender_name: str, reference: date
) -> AutoReply:
    """Everything we read from the reply's own text (quoted newsletter already removed)."""
    kind = classify_type(subject + "\n" + text)
    main, signature = extract.split_signature(text)
    reply = AutoReply(type=kind, sender=sender, subject=subject)
    if kind == "vacation":
        reply.until = extract.return_date(main, reference) or extract.return_date(
            subject, reference
        )
    # The reply's other country, if it names one, is read once for the text and the signature.
    region = extract.local_region(text)
    main_phones = extract.phones_in_region(main, region)
    contacts, contact_phone_spans = _contacts(
        main, sender=sender, sender_name=sender_name, kind=kind, phones=main_phones
    )
    if kind == "moved":
        # The address written right after the words that say it changed ("has changed to X",
        # «на новый адрес: X»), else the one address no name goes with.
        cue = _MOVED.search(main)
        # an address the text itself retires ("адрес X больше не обслуживается") is the old one
        retired = [m.span() for m in _ADDRESS_RETIRED.finditer(main)]
        after = [
            a
            for s, _e, a in extract.emails(main)
            if cue
            and cue.start() <= s < cue.end() + 200
            and a != (sender or "").lower()
            and not any(r0 <= s < r1 for r0, r1 in retired)
        ]
        unnamed = [c.email for c in contacts if c.email and c.name is None]
        new = after[0] if after else (unnamed[0] if unnamed else None)
        if new:
            reply.new_address = new
            # the old address beside it (the same mailbox name at the old domain) is no contact
            local = new.split("@")[0]
            contacts = [
                c
                for c in contacts
                if c.email != new and (c.name or (c.email or "").split("@")[0] != local)
            ]
    reply.contacts = contacts
    own_phones: list[str] = []
    for start, _end, e164, _kind in main_phones:
        if not any(a <= start < b for a, b in contact_phone_spans) and e164 not in own_phones:
            own_phones.append(e164)
    for _s, _e, e164, _k in extract.phones_in_region(signature, region):
        if e164 not in own_phones and not any(e164 in c.phones for c in contacts):
            own_phones.append(e164)
    reply.phones = own_phones
    return reply


def _same_person(name: str, sender_name: str, sender: str | None = None) -> bool:
    if not sender_name:
        return _named_by_the_address(name, sender) if sender else False
    # Compared through a transliteration-blind key: "Георгий Цагарели" signs a reply whose
    # From header reads "Giorgi Tsagareli".
    words, sender_words = re.findall(r"\w+", name), re.findall(r"\w+", sender_name)
    keys, sender_keys = [latin_key(w) for w in words], [latin_key(w) for w in sender_words]
    a = {k[:4] for k, w in zip(keys, words, strict=True) if len(w) > 2 and k}
    b = {k[:4] for k, w in zip(sender_keys, sender_words, strict=True) if len(w) > 2 and k}
    shared = a & b
    if len(shared) >= 2:
        return True
    if not shared:
        return False
    # One shared word (the surname) is the sender only if the rest agrees by initials, either
    # way round: "A. Yusupova" is a colleague of Marat Yusupov; "Tarasenko A." is Andrey
    # Tarasenko, "Магомедов Ш.А." is Шамиль Магомедов (whose From header has no patronymic),
    # "Георгий Цагарели" is Giorgi Tsagareli.
    own_rest = [k for k in keys if k and k[:4] not in shared]
    sender_rest = [k for k in sender_keys if k and k[:4] not in shared]
    return all(any(o.startswith(k[:1]) for o in sender_rest) for k in own_rest) or all(
        any(k.startswith(o[:1]) for k in own_rest) for o in sender_rest
    )


def _twins(known: ExtractedContact, other: ExtractedContact) -> bool:
    """The same person written twice: the same name in either script, and the same address
    (or, where one has none, a shared phone)."""
    if not (known.name and other.name and _same_person(other.name, known.name)):
        return False
    if known.email and other.email:
        return known.email == other.email
    if not (known.email or known.phones) or not (other.email or other.phones):
        return True  # one writing carries nothing: "Алексей Гончаренко / Alexey Goncharenko"
    return bool(set(known.phones) & set(other.phones)) or not (known.email or other.email)


_FEMININE_END = ("а", "я", "a", "ya", "ia")


def _named_by_the_address(name: str, address: str) -> bool:
    """The name is the sender's own when the sender's address spells its surname, in any
    transliteration and the same gender, and any initials it carries are the name's: a
    signature "Колесников А.В." under a reply from kolesnikov@ or a.kolesnikov@."""
    tokens = [t for t in re.split(r"[._\-\d]+", address.split("@")[0].lower()) if t]
    words = re.findall(r"\w+", name)
    keys = [latin_key(w) for w in words]
    for word, key in zip(words, keys, strict=True):
        if len(word) <= 2:
            continue
        for token in (t for t in tokens if len(t) > 2):
            if latin_key(token) == key and word.lower().endswith(_FEMININE_END) == token.endswith(
                _FEMININE_END
            ):
                short = [latin_key(t) for t in tokens if len(t) <= 2]  # "yu." is Юлия's
                return all(any(k.startswith(t) for k in keys) for t in short)
    return False


# Words right after a name that make it the person who left or is away, not a contact.
_LEAVER_AFTER_NAME = re.compile(
    r"[ \t,]*(?:(?:в|из) (?:компании|организации) )?(?:больше не работает|уже не работает|"
    r"уволил(?:ся|ась)|покинул[а]? (?:компанию|организацию)|(?:is )?no longer (?:with|works)|"
    r"(?:has )?left (?:the|our) (?:company|organi[sz]ation)|"
    r"(?:находится |сейчас )?(?:в отпуске|на больничном|в командировке|отсутствует)|"
    r"is (?:on leave|out of (?:the )?office|away))",
    re.I,
)
# "замещает Гульнару Ахметову": the one stood in for, named in the accusative after the verb
# (a stand-in after it is in the nominative: "Меня замещает Лукьянова М.С.").
_STOOD_IN_FOR = re.compile(r"(?:замещает|заменяет|подменяет|замещаю)[ \t]*$", re.I)
# A line in which the sender speaks of themself again ends the stretch of a contact above it.
_SENDER_SPEAKS = re.compile(r"\n[ \t]*(?:мой|моя|мои|мне|меня|я|my|i|i'm|me)\b", re.I)
_NAME_IN_BRACKETS = re.compile(r"[ \t]*(?:[(\[]|[—–]|--?)[ \t]*")


def _contacts(
    text: str,
    *,
    sender: str | None,
    sender_name: str,
    kind: AutoReplyType,
    phones: list[tuple[int, int, str, str]],
) -> tuple[list[ExtractedContact], list[tuple[int, int]]]:
    """People the reply points to. Each is a name (nominative) with the e-mail and phones
    written in the same stretch of text (``phones``: those found in ``text``), up to the next
    person."""
    mails = [(s, e, a) for s, e, a in extract.emails(text) if a != (sender or "").lower()]
    has_cue = bool(_CONTACT_CUE.search(text) or _REPLACEMENT_CUE.search(text))
    if not mails and not has_cue:
        return [], []
    names = [
        n
        for n in extract.find_names(text)
        if not _same_person(n.nominative, sender_name, sender)
        # the person who left or is away bounds nobody's stretch and is no contact
        and not _LEAVER_AFTER_NAME.match(text, n.end)
        and not (_STOOD_IN_FOR.search(text, 0, n.start) and n.text != n.nominative)
    ]
    # Stretches: from each name (or orphan e-mail) to the next one, at most a paragraph on.
    anchors: list[tuple[int, int, str, str | None]] = []  # start, end, kind, name
    # An address with the name after it in brackets or after a dash ("d.voronina@… (Дарья
    # Воронина)", "e-mail: m.shevchenko@… — Мария Шевченко").
    named_before = {
        n.start: a
        for n in names
        for _s, e, a in mails
        if e <= n.start and _NAME_IN_BRACKETS.fullmatch(text, e, n.start)
    }
    for n in names:
        anchors.append((n.start, n.end, "name", n.nominative))
    for s, e, a in mails:
        if a in named_before.values():
            continue
        # A department's mailbox (sales@, info@) with no name beside it is nobody to contact
        # in person: the reply names no one.
        if not any(n.start <= s <= n.end + 160 for n in names) and not is_role_mailbox(
            a.split("@")[0]
        ):
            anchors.append((s, e, "mail", a))
    anchors.sort()
    contacts: list[ExtractedContact] = []
    spans: list[tuple[int, int]] = []
    replacement_text = bool(_REPLACEMENT_CUE.search(text)) or kind == "left"
    for i, (start, end, akind, value) in enumerate(anchors):
        stop = anchors[i + 1][0] if i + 1 < len(anchors) else len(text)
        para_end = text.find("\n\n", end)
        if para_end != -1 and para_end < stop:
            stop = para_end
        stop = min(stop, end + 200)
        own_line = _SENDER_SPEAKS.search(text, end, stop)
        if own_line is not None:
            stop = own_line.start()  # "Мой мобильный: …" is the sender's, not this person's
        window = text[start:stop]
        before = text[max(0, start - 160) : start]
        if akind == "name":
            if not (
                start in named_before
                or _CONTACT_CUE.search(before + window)
                or _REPLACEMENT_CUE.search(before + window)
                or extract.emails(window)
            ):
                continue
            found = [a for s, _e, a in mails if start <= s < stop]
            if not found and start not in named_before:
                # Lines set apart by blank lines (an HTML reply turned to text: name, phone and
                # address each in its own block): the address before the next person counts.
                wider = min(anchors[i + 1][0] if i + 1 < len(anchors) else len(text), end + 200)
                found = [a for s, _e, a in mails if start <= s < wider]
                if found:
                    stop = wider
            email = named_before.get(start) or (found[0] if found else None)
            name: str | None = value
            position = extract.position_near(text, start, end)
        else:
            email = value
            name = None
            position = None
        own_phones = [p for p in phones if start <= p[0] < stop]
        spans.extend((p[0], p[1]) for p in own_phones)
        contact = ExtractedContact(
            name=name,
            email=email,
            phones=list(dict.fromkeys(p[2] for p in own_phones)),
            position=position,
            role="replacement" if replacement_text else "standin",
        )
        if any(c.email == email and email and c.name == name for c in contacts):
            continue
        # A bilingual reply names each person twice ("Тамара Беридзе", "Tamara Beridze"):
        # the first writing stands, with what the second adds.
        twin = next((c for c in contacts if _twins(c, contact)), None)
        if twin is not None:
            twin.email = twin.email or email
            twin.phones.extend(p for p in contact.phones if p not in twin.phones)
            continue
        contacts.append(contact)
    return contacts, spans
