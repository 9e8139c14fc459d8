"""What an auto-reply says: the return date, people to contact, phones, the new address.

Name models (natasha, pymorphy3, petrovich) load lazily, once per process, the first time a
name is needed: the bounce path never pays for them.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# --- quoted text and signatures ------------------------------------------------------------

_QUOTE_START = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|исходное сообщение|forwarded message|"
    r"пересылаемое сообщение|переадресованное сообщение)\s*-{2,}|"
    r"_{10,}\s*$|"
    r"(?:from|от|sent|отправлено|date|дата)\s*:\s.*$(?=\n\s*(?:sent|отправлено|to|кому|"
    r"date|дата|subject|тема)\s*:)|"
    r"on .{5,80} wrote:\s*$|.{5,80} (?:писал|написал|пишет)\(?а?\)?:\s*$|"
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4}.{0,40}, .{1,80}:\s*$|"
    # any other client's attribution line: it ends with a colon, the quoted lines follow
    # ("пн, 11 янв. 2027 г. в 07:58, Вектор <partners@…>:")
    r"(?!>)[^\n]{5,160}:[ \t]*$(?=\n(?:[ \t]*\n)*[ \t]*>))",
    re.I | re.M,
)
_SIGNATURE = re.compile(
    r"^\s*(?:с уважением|с наилучшими пожеланиями|всего доброго|спасибо|best regards|"
    r"kind regards|regards|sincerely|thanks|thank you|cheers|--\s*$)",
    re.I | re.M,
)


def strip_quoted(text: str) -> str:
    """The reply's own text: quoted copies of our newsletter are cut away."""
    m = _QUOTE_START.search(text)
    if m:
        text = text[: m.start()]
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith(">"))


def split_signature(text: str) -> tuple[str, str]:
    m = _SIGNATURE.search(text)
    if not m or m.start() < 20:
        return text, ""
    return text[: m.start()], text[m.start() :]


# --- phones --------------------------------------------------------------------------------

# A word of its own: the "кс" ending "факс" is no correspondent account ("к/с").
_NOT_PHONE_CUE = re.compile(
    r"(?<![а-яёa-z])(?:инн|кпп|огрн(?:ип)?|бик|окпо|оквэд|октмо|окато|р/?с|к/?с|расч[её]тный|"
    r"корр?(?:еспондентский)?\.?|сч[её]т|счет|inn|kpp|ogrn|bic|swift|iban|account|acc\.?|"
    r"№|n[o°]\.?|паспорт|договор|заказ|order|invoice)[\s.:№#]*$",
    re.I,
)


@lru_cache(maxsize=1)
def _phonenumbers() -> Any:
    import phonenumbers

    return phonenumbers


# Words that place a reply in another CIS country, whose local numbers ("8 (029) …" in
# Belarus, "0555 …" in Kyrgyzstan, "(71) …" in Uzbekistan) are not Russian ones. Kazakhstan
# shares +7 and reads as Russia.
_COUNTRY_WORDS = {
    "BY": r"беларус|белорус|минск|гомел|брест|гродн|витебск|могил[её]в|пинск|\bчуп\b|\bунп\b|"
    r"\+375|belarus|minsk",
    "UZ": r"узбекист|ташкент|самарканд|бухар|наманган|\+998|uzbekistan|tashkent|samarkand",
    "KG": r"кыргызст|киргиз|бишкек|\+996|kyrgyz|bishkek",
    "AZ": r"азербайдж|\bбаку\b|сумгаит|v[öo]en|\+994|azerbaijan|\bbaku\b",
    "AM": r"армени|ереван|\+374|armenia|yerevan",
    "GE": r"грузи[яи]|тбилиси|батуми|\+995|georgia|tbilisi",
    "TJ": r"таджикист|душанбе|\+992|tajikistan|dushanbe",
    "MD": r"молдов|кишин[её]в|\+373|moldova|chisinau",
}
_COUNTRY_RX = {region: re.compile(words, re.I) for region, words in _COUNTRY_WORDS.items()}


def local_region(text: str) -> str | None:
    """The one CIS country other than Russia the text names, if exactly one."""
    found = [region for region, rx in _COUNTRY_RX.items() if rx.search(text)]
    return found[0] if len(found) == 1 else None


def find_phones(text: str) -> list[tuple[int, int, str, str]]:
    """Phones in text as (start, end, E.164, kind 'mobile'|'work') — never tax or bank ids;
    numbers written the local way of another CIS country the text names are that country's."""
    return phones_in_region(text, local_region(text))


def phones_in_region(text: str, region: str | None) -> list[tuple[int, int, str, str]]:
    """``find_phones`` with the other country already known (``local_region`` of the whole
    reply, read once for its parts)."""
    found = _phones_in(text, "RU")
    if region is not None:
        taken = [(a, b) for a, b, _e, _k in found]
        found += [
            hit
            for hit in _phones_in(text, region)
            if not any(a < hit[1] and hit[0] < b for a, b in taken)
        ]
        found.sort()
    return found


def _phones_in(text: str, region: str) -> list[tuple[int, int, str, str]]:
    pn = _phonenumbers()
    out = []
    for m in pn.PhoneNumberMatcher(text, region):
        raw = m.raw_string
        before = text[max(0, m.start - 25) : m.start]
        if _NOT_PHONE_CUE.search(before):
            continue
        digits = re.sub(r"\D", "", raw)
        plain = re.fullmatch(r"\d+", raw.strip()) is not None
        if plain and not (len(digits) == 11 and digits[0] in "78"):
            # A bare run of digits: INN (10/12), OGRN (13/15), BIK (9), account (20)…
            continue
        if not pn.is_valid_number(m.number):
            continue
        e164 = pn.format_number(m.number, pn.PhoneNumberFormat.E164)
        kind = "mobile" if pn.number_type(m.number) == pn.PhoneNumberType.MOBILE else "work"
        out.append((m.start, m.end, e164, kind))
    return out


# --- dates ---------------------------------------------------------------------------------

_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_RU_MONTH = (
    r"(?:январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|"
    r"сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])"
)
_EN_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_ORD = r"(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    ("iso", re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")),
    (
        "dmy",
        re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d/])(?:\.(?!\d))?"),
    ),
    (
        "d_ru",
        re.compile(r"\b(\d{1,2})(?:-?(?:го|ое|е))?\s+(" + _RU_MONTH + r")(?:\s+(\d{4}))?", re.I),
    ),
    (
        "d_en",
        re.compile(
            r"\b(\d{1,2})" + _ORD + r"(?:\s+of)?\s+(" + _EN_MONTH + r")"
            r"(?:,?\s+(\d{4}))?",
            re.I,
        ),
    ),
    (
        "en_d",
        re.compile(r"\b(" + _EN_MONTH + r")\s+(\d{1,2})" + _ORD + r"\b(?:,?\s+(\d{4}))?", re.I),
    ),
    # A day of the month alone ("вернусь 12-го", "до 15 числа"): read only after a return or
    # until cue, as the next such day.
    (
        "day",
        re.compile(r"(?<![\d.,/:-])(\d{1,2})(?:-?го\b|\s+числа\b)|\bthe (\d{1,2})" + _ORD, re.I),
    ),
]
_RETURN_CUE = re.compile(
    r"(?:вернусь|выйду|выхожу|буду (?:на (?:работе|связи|месте)|в офисе)|приступлю|"
    r"back (?:in the office |at work |to the office )?(?:on|by)|return(?:ing)? (?:to the office )?"
    r"(?:on|by)|will be back|be back|returning|i'?ll be in the office|back in office)\D{0,25}$",
    re.I,
)
_UNTIL_CUE = re.compile(
    r"(?:\bдо\b|\bпо\b|until|till|through|thru|up to|till the|until the|[-–—]|\bto\b|"
    r"включительно)\s*(?:\w+\s+)?$",
    re.I,
)
_FROM_CUE = re.compile(r"(?:\bс\b|\bfrom\b|\bот\b)\s*$", re.I)


def _month(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for stem, num in _MONTHS.items():
        if w.startswith(stem):
            if stem == "ма" and not re.match(r"ма[яй]$", w):
                continue
            if stem == "mar" and w.startswith("март"):
                return 3
            return num
    return None


@dataclass
class FoundDate:
    start: int
    end: int
    value: date
    cue: str  # 'return', 'until', 'from', ''


_SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/\d{2,4}(?![\d/])")
_WEEKDAYS = (
    ("mon", "понедельник", "пн"),
    ("tue", "вторник", "вт"),
    ("wed", "сред", "ср"),
    ("thu", "четверг", "чт"),
    ("fri", "пятниц", "пт"),
    ("sat", "суббот", "сб"),
    ("sun", "воскресень", "вс"),
)
_WEEKDAY_WORD = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|"
    r"(понедельник|вторник|сред|четверг|пятниц|суббот|воскресень)[а-я]*|\b(пн|вт|ср|чт|пт|сб|вс)\b",
    re.I,
)


def _weekday_beside(text: str, start: int, end: int) -> int | None:
    """The weekday written right before or after a date ("Wed 3/2", "3/2 (Wednesday)")."""
    for window in (text[max(0, start - 12) : start], text[end : end + 14]):
        found = _WEEKDAY_WORD.search(window)
        if found:
            word = found.group().lower().rstrip(".")
            for number, forms in enumerate(_WEEKDAYS):
                if any(word.startswith(f) for f in forms):
                    return number
    return None


def _slash_order(
    first: int,
    second: int,
    year: int | None,
    reference: date,
    *,
    weekday: int | None,
    order: str | None,
) -> tuple[int, int]:
    """(day, month) of an English slash date both of whose numbers can be a month ("3/2").
    A weekday beside it decides; then an order the text's other dates set; else the reading
    nearest after the reply, as an absence's end is ("back on 3/2" written on 28 January is
    3 February; written on 24 February, 2 March; "1/11" written on 7 January is 11 January)."""
    readings = {"dm": (first, second), "md": (second, first)}
    dates = {key: _complete(year, mo, d, reference) for key, (d, mo) in readings.items()}
    if weekday is not None:
        fitting = [k for k, v in dates.items() if v is not None and v.weekday() == weekday]
        if len(fitting) == 1:
            return readings[fitting[0]]
    if order is not None:
        return readings[order]
    ahead = sorted((v - reference, k) for k, v in dates.items() if v is not None and v >= reference)
    return readings[ahead[0][1]] if ahead else readings["md"]


def find_dates(text: str, reference: date) -> list[FoundDate]:
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    english = len(re.findall(r"[a-z]", text[:2000], re.I)) > len(
        re.findall(r"[а-я]", text[:2000], re.I)
    )
    # English slash dates: a date of the text that can only be read one way sets the order
    # for all ("from 23/12/2026 until 04/01/2027", "from 12/22/2026 through 01/05/2027").
    slash = [(int(a), int(b)) for a, b in _SLASH_DATE.findall(text)]
    day_first = any(a > 12 for a, _b in slash) and not any(b > 12 for _a, b in slash)
    month_first = any(b > 12 for _a, b in slash) and not any(a > 12 for a, _b in slash)
    for kind, rx in _DATE_PATTERNS:
        for m in rx.finditer(text):
            y: int | None
            if any(a <= m.start() < b for a, b in taken):
                continue
            before = text[max(0, m.start() - 40) : m.start()]
            try:
                if kind == "iso":
                    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
                elif kind == "dmy":
                    d, mo = int(m.group(1)), int(m.group(2))
                    y = _year(m.group(3))
                    if english and "/" in m.group(0) and d <= 12 and mo <= 12:
                        d, mo = _slash_order(
                            d,
                            mo,
                            y,
                            reference,
                            weekday=_weekday_beside(text, m.start(), m.end()),
                            order="dm" if day_first else "md" if month_first else None,
                        )
                    elif english and "/" in m.group(0) and d <= 12:
                        d, mo = mo, d  # "12/22": only month-first
                elif kind == "d_ru" or kind == "d_en":
                    d, mo, y = int(m.group(1)), _month(m.group(2)) or 0, _year(m.group(3))
                elif kind == "day":
                    if not (_RETURN_CUE.search(before) or _UNTIL_CUE.search(before)):
                        continue
                    d = int(m.group(1) or m.group(2))
                    y, mo = reference.year, reference.month
                    if d < reference.day:
                        y, mo = (y + 1, 1) if mo == 12 else (y, mo + 1)
                else:
                    mo, d, y = _month(m.group(1)) or 0, int(m.group(2)), _year(m.group(3))
                value = _complete(y, mo, d, reference)
            except ValueError:
                continue
            if value is None:
                continue
            cue = ""
            if _RETURN_CUE.search(before):
                cue = "return"
            elif _UNTIL_CUE.search(before):
                cue = "until"
            elif _FROM_CUE.search(before):
                cue = "from"
            # Dates far from the message (contract dates, birthdays) are not return dates; a
            # parental leave may run three years, when the text gives the year and says "until".
            horizon = 1100 if cue in ("return", "until") and y is not None else 400
            if not (reference - timedelta(days=40) <= value <= reference + timedelta(days=horizon)):
                continue
            found.append(FoundDate(m.start(), m.end(), value, cue))
            taken.append((m.start(), m.end()))
    found.sort(key=lambda f: f.start)
    # "с 24 по 31 декабря": the first day borrows the month of the second.
    return found


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + 2000 if y < 100 else y


def _complete(y: int | None, mo: int, d: int, ref: date) -> date | None:
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    if y is None:
        y = ref.year
        try:
            value = date(y, mo, d)
        except ValueError:
            return None
        if value < ref - timedelta(days=14):
            value = date(y + 1, mo, d)
        return value
    if not (2000 <= y <= 2100):
        return None
    return date(y, mo, d)


def return_date(text: str, reference: date) -> date | None:
    """The date the person is back (or away until), from Russian or English wording."""
    dates = find_dates(text, reference)
    if not dates:
        return None
    for cue in ("return", "until"):
        chosen = [f for f in dates if f.cue == cue]
        if chosen:
            return max(chosen, key=lambda f: f.value).value
    later = [f for f in dates if f.value >= reference]
    if len(later) >= 2 or (later and dates[0].cue == "from" and len(dates) > 1):
        return max(later, key=lambda f: f.value).value
    if len(later) == 1 and later[0].cue != "from":
        return later[0].value
    return None


# --- names ---------------------------------------------------------------------------------

_lock = threading.Lock()
_models: dict[str, Any] = {}


def _load() -> dict[str, Any]:
    with _lock:
        if not _models:
            import pymorphy3
            from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter
            from petrovich.main import Petrovich

            emb = NewsEmbedding()
            _models.update(
                Doc=Doc,
                segmenter=Segmenter(),
                ner=NewsNERTagger(emb),
                morph=pymorphy3.MorphAnalyzer(),
                petrovich=Petrovich(),
            )
    return _models


@dataclass
class NameSpan:
    start: int
    end: int
    text: str
    nominative: str


_LATIN_NAME = re.compile(
    r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?\b("
    r"[A-Z][a-z]{1,20}(?:-[A-Z][a-z]+)?[ \t]+[A-Z][a-z]{1,25}(?:-[A-Z][a-z]+)?"
    # a surname in capitals, either side ("KOVALENKO Oksana"), or an initial ("J. Smirnova")
    # (four letters or more, so "IT", "HR", "CEO" are not surnames)
    r"|[A-Z]{4,25}(?:-[A-Z]{2,25})?[ \t]+[A-Z][a-z]{1,20}"
    r"|[A-Z][a-z]{1,20}[ \t]+[A-Z]{4,25}(?:-[A-Z]{2,25})?"
    r"|[A-Z]\.[ \t]?[A-Z][a-z]{1,25}(?:-[A-Z][a-z]+)?"
    r")\b"
)
_LATIN_STOP = {
    "Contact",
    "Best",
    "Kind",
    "Thank",
    "Thanks",
    "Please",
    "Dear",
    "Regards",
    "Out",
    "Office",
    "Sales",
    "Automatic",
    "Reply",
    "Auto",
    "The",
    "This",
    "For",
    "With",
    "In",
    "On",
    "Tel",
    "Phone",
    "Mobile",
    "Email",
    "Department",
    "Manager",
    "Director",
    "Head",
    "Account",
    "Support",
    "Partner",
    "Channel",
    "Team",
    "Group",
    "Limited",
    "Ltd",
    "Company",
    "Russia",
    "Moscow",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Yours",
    "Hello",
    "Hi",
    "Until",
    "From",
    "Senior",
    "Key",
    "Chief",
    "Technical",
    "Customer",
    "Service",
    "Services",
    "Marketing",
    "Finance",
    "General",
    "If",
    "You",
    "Your",
    "My",
    "Our",
    "We",
    "As",
    "Subject",
    "Urgent",
    "Mailbox",
    "Human",
    "Resources",
}


_NAME_CONTEXT = re.compile(
    r"@|обращ|пиш|свяж|звон|замещ|исполня|отвеча|ответит|помож|консульт|вопрос|коллег|менеджер|"
    r"вместо|обязанност|преемни|сотрудни|contact|reach|write|call|colleague|manager|absence|"
    r"replace|successor|responsible|handle|assist|"
    # a duty or urgent contact, or a name with a phone beside it
    r"дежурн|срочн|urgent|duty|\bтел\b|телефон|\bмоб|mobile|phone|\+\d|\b8 ?\(",
    re.I,
)


_CAPITAL_PAIR = re.compile(r"[А-ЯЁ][а-яё]+[ \t]+[А-ЯЁ][а-яё]+")


_LEAD_PUNCTUATION = re.compile(r"\s*[,(<\[:–—-]?\s*")


def _address_follows(after: str, words: int = 8) -> bool:
    """An e-mail address within the first ``words`` words of ``after`` (a word may end glued
    to it: "e-mail:ivan@…"). Counted, not matched with a nested pattern, whose backtracking cost
    milliseconds on every capitalised pair of a long line."""
    found = _EMAIL.search(after)
    if found is None:
        return False
    lead = _LEAD_PUNCTUATION.match(after)
    start = lead.end() if lead else 0
    return len(after[start : found.start()].split()) <= words


_LEGAL_FORM_AFTER = re.compile(
    r"[ \t,]*(?:LLP|LLC|Ltd|Limited|GmbH|Inc|JSC|Corp|AG|SA|BV|Oy|AB|OOO|TOO|LTD|Group)\b"
)
# A phone right after a name ("Vlasenko Sergey, +7 (863) 300-17-88", "…, mobile 8 916 …").
_PHONE_FOLLOWS = re.compile(
    r"[ \t]*[,(:–—-]?[ \t]*(?:(?:tel|phone|mobile|mob|cell|ph)\.?:?[ \t]*)?(?:\+7|8)[ \t(-]*\d",
    re.I,
)


def find_names(text: str) -> list[NameSpan]:
    """Person names with their nominative form (Russian via natasha; Latin by shape).

    The NER model only reads lines that can name a contact: two capitalised words in a row,
    and an address or a "contact …" word on the line or the one before. It is the slow step
    (tens of milliseconds per call), and the rest of an auto-reply names nobody useful.
    """
    spans: list[NameSpan] = []
    if re.search(r"[А-Яа-яЁё]", text):
        with _one_blas_thread():
            spans.extend(_russian_names(text))
    for mm in _LATIN_NAME.finditer(text):
        # Capitals are a way of writing the surname, not part of it: "KOVALENKO" is "Kovalenko".
        name = " ".join(w.title() if len(w) > 1 and w.isupper() else w for w in mm.group(1).split())
        first, last = name.split()[0], name.split()[-1]
        if first in _LATIN_STOP or last in _LATIN_STOP:
            continue
        if _LEGAL_FORM_AFTER.match(text, mm.end(1)):
            continue  # "Shymkent Soft LLP" is a company
        if any(s.start <= mm.start(1) < s.end for s in spans):
            continue
        # Capitalised pairs are names only beside an address or after a contact word.
        after = text[mm.end(1) : mm.end(1) + 80]
        before = text[max(0, mm.start(1) - 40) : mm.start(1)]
        if not (
            mm.group(0) != mm.group(1)  # "Mr. Dmitry Chernenko": a title says it is a person
            or _address_follows(after)
            or _PHONE_FOLLOWS.match(after)
            or re.search(
                r"(?:colleague|contact|reach|write to|call|manager|director|"
                r"engineer|specialist|assistant|replacement|successor|handled by|"
                r"taken over by|over by|deputy)\s*[,:]?\s*$|"
                # "for technical questions - Vlasenko Sergey": a topic, then a dash or colon
                r"(?:questions|enquiries|inquiries|requests|matters|urgent)\s*[:–—-]\s*$",
                before,
                re.I,
            )
        ):
            continue
        spans.append(NameSpan(mm.start(1), mm.end(1), mm.group(1), name))
    spans.sort(key=lambda s: s.start)
    return spans


def _russian_names(text: str) -> list[NameSpan]:
    spans: list[NameSpan] = []
    m = _load()
    offset = 0
    previous = ""
    lines = text.split("\n")
    for number, para in enumerate(lines):
        start_of_para = offset
        offset += len(para) + 1
        # The last line with words before this one (a block "замещает:", blank, "Ковальчук
        # Богдан" reads its cue across the blank line) and the next one (the address under
        # "закреплён за Ксенией Лаптевой").
        following = lines[number + 1] if number + 1 < len(lines) else ""
        context = previous + " " + para + " " + following
        if para.strip():
            previous = para
        if not _NAME_CONTEXT.search(context):
            continue  # no contact word near
        # A surname in capitals beside a first name ("инженер ХВАН Денис") is written as a name
        # (same length, so every offset stays).
        para, capitals = _capitals_as_surnames(para, m["morph"])
        if not (_CAPITAL_PAIR.search(para) or _SURNAME_INITIALS.search(para)):
            continue  # no two capitalised words, nor a surname with initials
        doc = m["Doc"](para)
        doc.segment(m["segmenter"])
        doc.tag_ner(m["ner"])
        for span in doc.spans:
            if span.type != "PER":
                continue
            surface = span.text
            if not re.search(r"[А-ЯЁ]", surface) or len(surface.split()) < 2:
                continue
            start = span.start
            prev = re.search(r"([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)[ \t]+$", para[:start])
            if prev and any("Surn" in p.tag.grammemes for p in m["morph"].parse(prev.group(1))):
                start = prev.start(1)
            # The model's span may run on past the name ("Носова Татьяна (t.") or start with a
            # capitalised verb ("Пишите Марине"): only the name's own words are kept.
            words = _NAME_WORDS.match(para, start)
            while words is not None and _not_a_name_word(words.group().split()[0], m["morph"]):
                words = _NAME_WORDS.match(para, words.start() + len(words.group().split()[0]) + 1)
            if words is None or len(words.group().split()) < 2:
                continue
            start = words.start()
            stop = min(span.stop, words.end())
            if stop <= start:
                continue
            start, stop = _with_short_surname(para, start, stop, m["morph"])
            surface = para[start:stop]
            if len(surface.split()) < 2:
                continue
            spans.append(
                NameSpan(
                    start_of_para + start,
                    start_of_para + stop,
                    surface,
                    nominative(surface, case_hint=_case_before(para[:start])),
                )
            )
        # A surname with initials is read by its own rule, over what the model made of it
        # ("Лукьяновой М." without the second initial, in the dative).
        for found in _names_with_initials(para, m["morph"]):
            a, b = start_of_para + found.start, start_of_para + found.end
            spans = [s for s in spans if not (s.start < b and a < s.end)]
            spans.append(NameSpan(a, b, found.text, found.nominative))
        found_here = [(s.start - start_of_para, s.end - start_of_para) for s in spans]
        for pair in _CAPITAL_PAIR.finditer(para):
            # Pairs the model missed ("работает Голубева Светлана", "к Зарине Ильдаровне").
            if any(a < pair.end() and pair.start() < b for a, b in found_here):
                continue
            found_span = _pair_name_span(para, pair, m["morph"])
            if found_span is None and any(a < pair.end() and pair.start() < b for a, b in capitals):
                found_span = pair.span()
            if found_span is None:
                continue
            a, b = found_span
            if any(x < b and a < y for x, y in found_here):
                continue
            found_here.append((a, b))  # a name of three words is not read again as a pair
            surface = para[a:b]
            spans.append(
                NameSpan(
                    start_of_para + a,
                    start_of_para + b,
                    surface,
                    nominative(surface, case_hint=_case_before(para[:a])),
                )
            )
    return spans


def _pair_name_span(para: str, pair: re.Match[str], morph: Any) -> tuple[int, int] | None:
    """The name a pair of capitalised words opens, as (start, stop) in ``para``, or None:
    a surname and a first name in either order, with a patronymic after them ("Жумабаева
    Айгерим Нурлановна"; a patronymic also makes a name of any word that can be a first name:
    "Динара", also a coin); or a first name and patronymic, with the surname on either side
    if there is one ("Зарине Ильдаровне Хайруллиной", "Гульшат Рафаэлевне")."""
    first, second = pair.group().split()
    after = _NEXT_WORD.match(para, pair.end())
    patronymic_after = after is not None and _is_patronymic(after[1], morph)
    if _surname_and_first_name([first, second], morph) or (
        patronymic_after
        and any("Name" in p.tag.grammemes for p in morph.parse(second))
        and _surname_like(first, morph)
    ):
        return pair.start(), after.end(1) if after is not None and patronymic_after else pair.end()
    surname_after = after is not None and _surname_like(after[1], morph)
    if _is_patronymic(second, morph) and (
        _first_name_before_patronymic(first, second, morph)
        # a surname agreeing with the patronymic vouches for any first-name reading
        # ("Лейсан", which the dictionary knows only as a man's name, «Ильдаровне Закировой»)
        or (
            surname_after
            and after is not None
            and _agreeing_parts(second, after[1], "Patr", morph)
            and any("Name" in p.tag.grammemes for p in morph.parse(first))
        )
    ):
        if surname_after and after is not None:
            return pair.start(), after.end(1)
        before = _PREVIOUS_WORD.search(para[: pair.start()])
        if before is not None and _surname_like(before[1], morph):
            return before.start(1), pair.end()
        return pair.start(), pair.end()
    return None


def _is_patronymic(word: str, morph: Any) -> bool:
    return any("Patr" in p.tag.grammemes and p.score >= 0.3 for p in morph.parse(word))


def _first_name_before_patronymic(first: str, patronymic: str, morph: Any) -> bool:
    """A first-name reading of ``first`` in a case and gender the patronymic can be in."""
    forms = {
        (p.tag.case, p.tag.gender)
        for p in morph.parse(patronymic)
        if "Patr" in p.tag.grammemes and not _NEVER & p.tag.grammemes
    }
    return any(
        "Name" in p.tag.grammemes
        and not _NEVER & p.tag.grammemes
        # an indeclinable reading fits any case and, often wrongly gendered in the dictionary
        # ("Зульфие" as a man's name), any gender
        and (
            "Fixd" in p.tag.grammemes
            or any(p.tag.case == case and p.tag.gender in (gender, None) for case, gender in forms)
        )
        for p in morph.parse(first)
    )


def _case_before(before: str) -> str | None:
    """The case the words before a name ask of it: none after a dash, colon or line start
    (the nominative), the preposition's case after «к», «с», «у»…"""
    if _APPOSITION.search(before):
        return "nomn"
    words = before.split()
    if words and words[-1].lower() in _TITLES:
        # "к г-ну Эльвину": the title's own case, else the preposition's before it
        title = _TITLES[words.pop().lower()]
        if title is not None:
            return title
    return _PREPOSITION_CASE.get(words[-1].lower()) if words else None


_TITLES = {"г-ну": "datv", "господину": "datv", "г-же": "datv", "госпоже": "datv",
           "г-н": "nomn", "г-жа": "nomn",
           "г-на": None, "господина": None, "г-жи": None}  # fmt: skip


# "Лукьяновой М.С.", "А.Н. Воробьёву": a surname with initials, either order.
_SURNAME_INITIALS = re.compile(
    r"(?P<s1>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)[ \t]+(?P<i1>[А-ЯЁ]\.[ \t]?[А-ЯЁ]\.)|"
    r"(?P<i2>[А-ЯЁ]\.[ \t]?[А-ЯЁ]\.)[ \t]?(?P<s2>[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?)"
)
# The case a preposition before the name asks for ("к Лукьяновой" is dative).
_PREPOSITION_CASE = {"к": "datv", "ко": "datv", "с": "ablt", "за": "ablt", "у": "gent",
                     "от": "gent", "для": "gent", "о": "loct", "об": "loct"}  # fmt: skip


def _names_with_initials(para: str, morph: Any) -> list[NameSpan]:
    """Surnames written with initials; the surname goes to the nominative by its dictionary
    reading, in the case the preposition before it asks for; initials stay as written."""
    found: list[NameSpan] = []
    position = 0
    while (match := _SURNAME_INITIALS.search(para, position)) is not None:
        position = match.end()
        surname = match.group("s1") or match.group("s2")
        initials = match.group("i1") or match.group("i2")
        before = para[: match.start()].split()
        wanted = _PREPOSITION_CASE.get(before[-1].lower()) if before else None
        readings = [p for p in morph.parse(surname) if "Surn" in p.tag.grammemes]
        if not readings:
            if match.group("s1"):
                # "Замещает И.В. Гончаренко": the initials belong to the word after them
                position = match.start("i1")
            continue
        # Without a preposition the name is most often the subject ("Меня замещает Лукьянова
        # М.С."): a nominative reading wins over a likelier oblique one.
        reading = next(
            (p for p in readings if p.tag.case == (wanted or "nomn")),
            readings[0],
        )
        nom = reading.inflect({"nomn"})
        word = _cap(nom.word if nom else surname, surname)
        if "ё" not in surname.lower():
            word = word.replace("ё", "е")
        name = f"{word} {initials}" if match.group("s1") else f"{initials} {word}"
        found.append(NameSpan(match.start(), match.end(), match.group(), name))
    return found


_NAME_WORDS = re.compile(
    r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?:[ \t]+(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?|[А-ЯЁ]\.))*"
)


_NEXT_WORD = re.compile(r"[ \t]+([А-ЯЁ][а-яё]+)(?![а-яё-])")
_PREVIOUS_WORD = re.compile(r"(?<![А-Яа-яЁё])([А-ЯЁ][а-яё]+)[ \t]+$")


def _with_short_surname(para: str, start: int, stop: int, morph: Any) -> tuple[int, int]:
    """A first name and patronymic the model found, with the surname it left out — short or
    indeclinable ones: "Алексеем Викторовичем Ким", "Ли Виктория Андреевна"."""
    words = para[start:stop].split()
    if len(words) != 2 or not any("Patr" in p.tag.grammemes for p in morph.parse(words[-1])):
        return start, stop
    after = _NEXT_WORD.match(para, stop)
    if after and not _common_word(after.group(1), morph):
        return start, after.end(1)
    before = _PREVIOUS_WORD.search(para[:start])
    if before and not _common_word(before.group(1), morph):
        return before.start(1), stop
    return start, stop


def _common_word(word: str, morph: Any) -> bool:
    """A capitalised word that is an everyday noun or adjective, not a surname ("Сотрудник",
    "Менеджер"); a particle-looking word beside a name is a surname ("Ли")."""
    parses = morph.parse(word)
    if any({"Surn", "Name"} & p.tag.grammemes for p in parses[:3]):
        return False
    return parses[0].tag.POS in ("NOUN", "ADJF", "VERB", "INFN", "ADVB", "PREP", "NPRO")


_NOT_NAME_POS = {"VERB", "INFN", "PREP", "CONJ", "PRCL", "ADVB", "NPRO", "PRED", "INTJ", "GRND"}


def _not_a_name_word(word: str, morph: Any) -> bool:
    """A capitalised word that opens a sentence rather than a name ("Пишите", "Обращайтесь").
    A name reading as likely as the verb keeps the word: "Ержану" is also a form of a verb."""
    parses = morph.parse(word)
    if parses[0].tag.POS not in _NOT_NAME_POS:
        return False
    return not any(
        {"Name", "Surn", "Patr"} & p.tag.grammemes and p.score >= parses[0].score for p in parses
    )


def _surname_and_first_name(words: list[str], morph: Any) -> bool:
    """One word is a first name by its likeliest reading, the other can be a surname (or the
    two readings agree, or a sure surname stands beside any first-name reading)."""
    a, b = words
    return (
        (_likely_first_name(a, morph) and _surname_like(b, morph))
        or (_surname_like(a, morph) and _likely_first_name(b, morph))
        # a first-name reading and a surname reading in the same case and gender: "Ерлану
        # Касымову", where «Ерлану» is likelier a common noun but also the dative of Ерлан
        or _agreeing_parts(a, b, "Name", morph)
        or _agreeing_parts(b, a, "Name", morph)
        # a sure surname beside a word the dictionary knows as a name at all ("Лейсан
        # Гайнуллиной": «Лейсан» only as a man's name, so nothing agrees)
        or (_any_name(a, morph) and _sure_surname(b, morph))
    )


def _likely_first_name(word: str, morph: Any) -> bool:
    """A first name by its likeliest reading, or by the only kind of reading there is: an
    indeclinable name ("Айгерим") spreads its score over six cases, none of them likely alone."""
    parses = morph.parse(word)
    top = parses[0]
    return "Name" in top.tag.grammemes and (
        top.score >= 0.5 or all("Name" in p.tag.grammemes for p in parses)
    )


_CAPITALS_WORD = re.compile(r"(?<![А-Яа-яЁё-])[А-ЯЁ]{3,}(?:-[А-ЯЁ]{2,})?(?![А-Яа-яЁё-])")


def _capitals_as_surnames(para: str, morph: Any) -> tuple[str, list[tuple[int, int]]]:
    """The line with every capitals-only word that stands right beside a first name written
    as a name ("ХВАН Денис" → "Хван Денис"), and where those words are."""
    spans: list[tuple[int, int]] = []
    for word in _CAPITALS_WORD.finditer(para):
        after = _NEXT_WORD.match(para, word.end())
        before = _PREVIOUS_WORD.search(para[: word.start()])
        if (after and _likely_first_name(after[1], morph)) or (
            before and _likely_first_name(before[1], morph)
        ):
            spans.append(word.span())
    for a, b in spans:
        para = para[:a] + "-".join(w.capitalize() for w in para[a:b].split("-")) + para[b:]
    return para, spans


def _any_name(word: str, morph: Any) -> bool:
    return any("Name" in p.tag.grammemes for p in morph.parse(word))


def _sure_surname(word: str, morph: Any) -> bool:
    """Most of the word's readings (by the dictionary's weights) are a surname's."""
    parses = morph.parse(word)
    surname = sum(p.score for p in parses if "Surn" in p.tag.grammemes)
    return surname >= 0.5 and not any(
        p.tag.POS in _NOT_NAME_POS or ("Name" in p.tag.grammemes and p.score >= 0.3)
        for p in parses[:1]
    )


def _agreeing_parts(word: str, surname: str, part: str, morph: Any) -> bool:
    """A ``part`` reading (Name, Patr) of ``word`` and a surname reading of ``surname`` in the
    same case and gender."""
    forms = {
        (p.tag.case, p.tag.gender)
        for p in morph.parse(word)
        if part in p.tag.grammemes and not _NEVER & p.tag.grammemes
    }
    return any(
        (p.tag.case, p.tag.gender) in forms
        for p in morph.parse(surname)
        if "Surn" in p.tag.grammemes and not _NEVER & p.tag.grammemes and p.score >= 0.2
    )


# Endings of Russian and CIS surnames, for those the dictionary reads as something else
# ("Гулямов" as a plural of a noun).
_SURNAME_SHAPE = re.compile(
    r"(?:[оеё]в|[иы]н|[оеё]ва|[иы]на|[сц]к(?:ий|ая)|енко|[ую]к|ян|дзе|швили|ули)$"
)


def _surname_like(word: str, morph: Any) -> bool:
    """A surname by the dictionary, or by its shape when the dictionary knows no name reading."""
    parses = morph.parse(word)
    if any("Surn" in p.tag.grammemes and p.score >= 0.1 for p in parses[:3]):
        return True
    return bool(_SURNAME_SHAPE.search(word.lower())) and not any(
        p.tag.POS in _NOT_NAME_POS or ("Name" in p.tag.grammemes and p.score >= 0.5)
        for p in parses[:1]
    )


@contextmanager
def _one_blas_thread() -> Iterator[None]:
    """The NER model multiplies small matrices: with several BLAS threads on a busy machine
    the threads spin for nothing (three times the CPU on a 2-core box). One thread for it."""
    controller = _blas_controller()
    if controller is None:
        yield
        return
    with controller.limit(limits=1, user_api="blas"):
        yield


@lru_cache(maxsize=1)
def _blas_controller() -> Any:
    # Finding the loaded BLAS libraries scans the process's shared objects: a fifth of the
    # parse time when done for every auto-reply. Once per process is enough.
    try:
        import numpy  # noqa: F401  (loads the BLAS the NER model will use, so it is found)
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


_CASES = {"nomn", "gent", "datv", "accs", "ablt", "loct"}


def _cap(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


# Readings a person's name in an e-mail never has: a plural, or the vocative (pymorphy3 offers
# both for rare names: "Ирэн" as the plural of "Ирэна", "Дюваль" as a vocative).
_NEVER = frozenset({"plur", "voct"})


def _agrees(parse: Any, gender: str | None, case: str | None) -> bool:
    g = set(parse.tag.grammemes)
    return (not gender or parse.tag.gender in (gender, None) or "ms-f" in g) and (
        not case or parse.tag.case == case or "Fixd" in g
    )


def _name_parse(parses: list[Any], gender: str | None, case: str | None) -> Any:
    """The parse of a name part that agrees with the rest of the name (gender, case)."""
    best = None
    for p in parses:
        g = set(p.tag.grammemes)
        if not {"Name", "Surn", "Patr"} & g or _NEVER & g:
            continue
        if gender and p.tag.gender not in (gender, None) and "ms-f" not in g:
            continue
        if case and p.tag.case != case and "Fixd" not in g:
            continue
        return p
    for p in parses:
        g = set(p.tag.grammemes)
        if {"Name", "Surn", "Patr"} & g and not _NEVER & g:
            best = best or p
    return best


# A name set off by a dash, a colon or a bracket, or opening its line, governs no case: it
# stands in the nominative ("d.shapiro@… — Дина Шапиро", "Замещает: Носова Татьяна").
_APPOSITION = re.compile(r"(?:^|[—–:(]|\s-)\s*$")


def nominative(
    surface: str, natasha_normal: str | None = None, *, case_hint: str | None = None
) -> str:
    """A Russian name in the nominative: "Андрею Тарасенко" → "Андрей Тарасенко".

    Two proposals: natasha's normal form (context-aware) and pymorphy3's ``inflect({'nomn'})``
    of every part, with the parts agreeing in gender and case with the first name. A proposal
    is accepted when the petrovich round trip (inflecting it back into the observed case) gives
    the surface form again; natasha's form is the fallback.
    """
    m = _load()
    morph = m["morph"]
    words = surface.split()
    # Each word's analyses are read once (a dictionary walk, the costly step here).
    analyses: dict[str, list[Any]] = {}

    def parses(word: str) -> list[Any]:
        if word not in analyses:
            analyses[word] = morph.parse(word)
        return analyses[word]

    # Gender and case come from the first name or patronymic, the least ambiguous parts: the
    # likeliest singular reading of any word ("Эльдар", "Ильхамович"; one person is never a
    # plural, as in the plural-name reading pymorphy3 offers for "Гусейнов" or "Ренат").
    gender = case = None
    best = 0.0
    for w in words:
        named = [
            p
            for p in parses(w)
            if {"Name", "Patr"} & p.tag.grammemes and not _NEVER & p.tag.grammemes
        ]
        # An indeclinable reading ("Кристине" as a French name) only when it is the only one,
        # or when the dictionary ranks it first ("Нелли", "Натали": not forms of Нелля, Наталя).
        declinable = [p for p in named if "Fixd" not in p.tag.grammemes]
        for p in named if _mostly_indeclinable(parses(w)) else (declinable or named):
            if p.score > best:
                gender, case, best = p.tag.gender, p.tag.case, p.score
    oblique_surname = any(
        any("Surn" in p.tag.grammemes for p in parses(w))
        and not any("Surn" in p.tag.grammemes and p.tag.case == "nomn" for p in parses(w))
        for w in words
    )
    # A surname that cannot be in the case and gender the first name gave ("Лейсан
    # Гайнуллиной": «Лейсан» known only as a man's nominative) decides them instead.
    surname_disagrees = case_hint is None and any(
        any("Surn" in p.tag.grammemes for p in parses(w))
        and not any({"Name", "Patr"} & p.tag.grammemes for p in parses(w))
        and not any(
            "Surn" in p.tag.grammemes
            and p.tag.case == case
            and (p.tag.gender in (gender, None) or "ms-f" in p.tag.grammemes)
            for p in parses(w)
        )
        for w in words
    )
    if (
        (case_hint not in (None, "nomn") and case != case_hint)
        or (case is None and case_hint is None and oblique_surname)
        or (case is not None and surname_disagrees and oblique_surname)
    ):
        # The preposition's case ("к Эльвину Гасанову": the dative, so a man, whatever the
        # dictionary thinks of «Эльвину»), or, with no first name the dictionary knows, the
        # surname's likeliest declinable reading ("Айтен Гасановой").
        best = 0.0
        for w in words:
            for p in parses(w):
                g = p.tag.grammemes
                if (
                    {"Name", "Patr", "Surn"} & g
                    and not _NEVER & g
                    and "Fixd" not in g
                    and p.tag.case in ((case_hint,) if case_hint not in (None, "nomn") else _CASES)
                    and p.score > best
                ):
                    gender, case, best = p.tag.gender, p.tag.case, p.score
    if case_hint == "nomn" and all(
        any(
            p.tag.case == "nomn"
            and {"Name", "Surn", "Patr"} & p.tag.grammemes
            and not _NEVER & p.tag.grammemes
            for p in parses(w)
        )
        for w in words
    ):
        # Every word can be a nominative: the text's own form is it ("Дина", not "Дин"). A
        # word that cannot ("— Кристине Зайцевой", the dative after a dash) goes the usual way.
        return surface
    if case in (None, "nomn"):
        if case == "nomn" or natasha_normal is None:
            # A name already in the nominative, unless only an indeclinable reading says so
            # ("Кристине" read as a French name): then the other parts decide, below.
            if not _only_indeclinable_first_name(words, parses):
                return surface if case == "nomn" else (natasha_normal or surface)
        else:
            return natasha_normal
    # The likeliest reading first; if petrovich, inflecting the proposal back into that case,
    # does not give the text again, another reading with the parts in the same roles that
    # petrovich agrees with; else the likeliest reading's proposal (petrovich itself cannot decline
    # some names, such as "Никита"). A proposal that keeps an indeclinable reading of a first
    # name ranks after one that found a Russian name for it.
    first_cand, first_roles, _first_kept = _propose(words, parses, gender, case)
    options = [first_cand] + (
        [natasha_normal] if natasha_normal and natasha_normal != first_cand else []
    )
    for option in options:
        if case and _petrovich_agrees(option.split(), first_roles, words, case, gender):
            return option
    kept: str | None = None
    for r_gender, r_case in dict.fromkeys(_readings(words, parses)):
        if r_case in (None, "nomn") or r_gender is None or (r_gender, r_case) == (gender, case):
            continue
        cand, roles, fixed_kept = _propose(words, parses, r_gender, r_case)
        # The same parts in the same roles (a first name read as a surname is another name).
        if roles != first_roles or not _petrovich_agrees(
            cand.split(), roles, words, r_case, r_gender
        ):
            continue
        if not fixed_kept:
            return cand
        kept = kept or cand
    return kept or natasha_normal or first_cand


def _mostly_indeclinable(parses: list[Any]) -> bool:
    """The dictionary's likeliest first-name reading of the word is an indeclinable nominative,
    ahead of a declinable one: "Нелли" is Нелли far more often than a form of Нелля."""
    named = [p for p in parses if _singular_first_name(p)]
    declinable = [p.score for p in named if "Fixd" not in p.tag.grammemes]
    return bool(
        named
        and declinable
        and "Fixd" in named[0].tag.grammemes
        and named[0].tag.case == "nomn"
        and named[0].score > max(declinable)
    )


def _singular_first_name(parse: Any) -> bool:
    return "Name" in parse.tag.grammemes and not _NEVER & parse.tag.grammemes


def _only_indeclinable_first_name(words: list[str], parses: Any) -> bool:
    """The nominative reading comes only from an indeclinable first name, and another part
    cannot be a nominative ("Кристине Зайцевой")."""
    fixd_nomn = any(
        _mostly_indeclinable(parses(w))
        or (
            all("Fixd" in p.tag.grammemes for p in parses(w) if _singular_first_name(p))
            and any(_singular_first_name(p) for p in parses(w))
        )
        for w in words
    )
    other_oblique = any(
        any("Surn" in p.tag.grammemes for p in parses(w))
        and not any("Surn" in p.tag.grammemes and p.tag.case == "nomn" for p in parses(w))
        for w in words
    )
    return fixd_nomn and other_oblique


def _readings(words: list[str], parses: Any) -> list[tuple[str | None, str | None]]:
    """(gender, case) pairs the parts of a name can be read in, likeliest first."""
    found: list[tuple[float, str | None, str | None]] = []
    for w in words:
        for p in parses(w):
            g = p.tag.grammemes
            if {"Name", "Surn", "Patr"} & g and not _NEVER & g and "Fixd" not in g:
                found.append((p.score, p.tag.gender, p.tag.case))
    found.sort(key=lambda t: -t[0])
    return [(gender, case) for _score, gender, case in found]


def _propose(
    words: list[str], parses: Any, gender: str | None, case: str | None
) -> tuple[str, list[str], bool]:
    """Each part in the nominative for one reading: the proposal, each part's role, and
    whether an indeclinable first-name reading was kept for want of a Russian one."""
    out: list[str] = []
    roles: list[str] = []
    fixed_kept = False
    for w in words:
        p = _name_parse(parses(w), gender, case)
        if p is None or not _agrees(p, gender, case):
            # A surname the dictionary does not know (or only guesses at, disagreeing with the
            # first name), beside a first name that gives the case: the nominative petrovich
            # inflects back into this form ("Зимину" → "Зимин", "Зиминой" → "Зимина").
            if p is not None and "Fixd" in p.tag.grammemes and "Name" in p.tag.grammemes:
                # an indeclinable first-name reading of the other gender ("Зульфие" read as a
                # man's name beside «Рашитовне»): the first name petrovich declines into it
                first = _unknown_name(w, case, gender, "firstname") if gender and case else None
                if first is not None and first.lower() != w.lower():
                    out.append(first)
                    roles.append("first")
                    continue
            last = _unknown_surname(w, case, gender) if gender and case else None
            if last is not None or p is None:
                out.append(last or w)
                roles.append("last" if last else "")
                continue
        g = set(p.tag.grammemes)
        if (
            "Fixd" in g
            and "Name" in g
            and gender
            and case
            and case != "nomn"
            and not _mostly_indeclinable(parses(w))
        ):
            # An indeclinable reading ("Анне" as the French Anne) where petrovich finds a
            # Russian name in this case ("Анна" → "Анне"): the Russian one.
            first = _unknown_name(w, case, gender, "firstname")
            if first is not None and first.lower() != w.lower():
                out.append(first)
                roles.append("first")
                continue
            fixed_kept = True
        roles.append("first" if "Name" in g else ("middle" if "Patr" in g else "last"))
        nom = p if p.tag.case == "nomn" or "Fixd" in g else p.inflect({"nomn"})
        out.append(_cap(nom.word if nom else w, w))
    return " ".join(out), roles, fixed_kept


# Nominative endings of Russian surnames, to rank the forms that inflect into the observed one.
_SURNAME_ENDINGS = {
    "masc": ("ов", "ев", "ин", "ын", "ой", "ий", "ый", "ко", "ук", "юк", "ич", "ец", "ан", "ян"),
    "femn": ("ова", "ева", "ина", "ына", "ая", "яя", "ко", "ук", "юк", "ич"),
}
_ENDING_SWAPS = ("", "а", "ий", "ой", "ый", "ь", "я", "ов", "ев", "ин", "ын")


def _unknown_surname(word: str, case: str, gender: str) -> str | None:
    """The nominative of a capitalised surname pymorphy3 does not know, from the case and
    gender its first name shows: the forms petrovich inflects back into ``word``, a typical
    surname ending first ("Толстому" → "Толстой", not "Толстом")."""
    return _unknown_name(word, case, gender, "lastname")


def _unknown_name(word: str, case: str, gender: str, part: str) -> str | None:
    """The nominative of a name part (petrovich's ``lastname`` or ``firstname``) that inflects
    back into ``word`` in this case and gender."""
    if not word[:1].isupper() or case == "nomn" or len(word) < 3:
        return None
    try:
        from petrovich.enums import Case, Gender
    except ImportError:
        return None
    pcase = getattr(Case, _PETROVICH_CASE.get(case, ""), None)
    if pcase is None:
        return None
    pgender = Gender.FEMALE if gender == "femn" else Gender.MALE
    pv = _load()["petrovich"]
    # An indeclinable surname ("Тарасенко") may be its own nominative; a first name asked for
    # here is one pymorphy3 read as indeclinable, so another form is wanted.
    options = ([word] if part == "lastname" else []) + [
        word[:-k] + ending for k in (1, 2, 3) for ending in _ENDING_SWAPS if len(word) - k > 2
    ]
    fitting = []
    for option in dict.fromkeys(options):
        try:
            if getattr(pv, part)(option, pcase, pgender).lower() == word.lower():
                fitting.append(option)
        except Exception:  # petrovich's rules on odd input
            continue
    if part == "lastname":
        typical = _SURNAME_ENDINGS["femn" if gender == "femn" else "masc"]
        fitting.sort(key=lambda f: (not f.lower().endswith(typical), len(f)))
    else:
        # a first name the dictionary knows first ("Зульфия", not "Зульфиа")
        morph = _load()["morph"]

        def known(form: str) -> bool:
            return any(
                "Name" in p.tag.grammemes and p.tag.case == "nomn" and p.normal_form == form.lower()
                for p in morph.parse(form)
            )

        fitting.sort(key=lambda f: (not known(f), -len(f)))
    return fitting[0] if fitting else None


_PETROVICH_CASE = {
    "gent": "GENITIVE",
    "datv": "DATIVE",
    "accs": "ACCUSATIVE",
    "ablt": "INSTRUMENTAL",
    "loct": "PREPOSITIONAL",
}


def _petrovich_agrees(
    nominatives: list[str], roles: list[str], surface: list[str], case: str, gender: str | None
) -> bool:
    try:
        from petrovich.enums import Case, Gender
    except ImportError:
        return True
    pv = _load()["petrovich"]
    pcase = getattr(Case, _PETROVICH_CASE.get(case, ""), None)
    if pcase is None:
        return True
    g = Gender.FEMALE if gender == "femn" else Gender.MALE
    if len(nominatives) != len(surface):
        return False
    for nom, role, surf in zip(nominatives, roles, surface, strict=False):
        if not role:
            continue
        fn = {"first": pv.firstname, "middle": pv.middlename, "last": pv.lastname}[role]
        try:
            if fn(nom, pcase, g).lower() != surf.lower():
                return False
        except Exception:
            return False
    return True


# --- positions ------------------------------------------------------------------------------

_POSITION_WORDS = (
    r"(?:ведущ\w+ |старш\w+ |главн\w+ |генеральн\w+ |коммерческ\w+ |технически\w+ |"
    r"исполнительн\w+ |финансов\w+ |региональн\w+ )?"
    r"(?:менеджер\w*|директор\w*|руководител\w*|специалист\w*|инженер\w*|бухгалтер\w*|"
    r"ассистент\w*|секретар\w*|начальник\w*|заместител\w*|помощни\w*|консультант\w*|"
    r"аналитик\w*|администратор\w*|координатор\w*|архитектор\w*|юрист\w*|пресейл\w*|"
    r"(?:senior |junior |key |regional |technical |sales |channel |partner |account )*"
    r"(?:manager|director|head of [\w ]+|engineer|specialist|assistant|coordinator|"
    r"consultant|architect|executive|representative|officer|lead))"
)
_POSITION = re.compile(r"\b" + _POSITION_WORDS + r"(?:[^,.;()\n<>@+\d]{0,60})", re.I)


def position_near(text: str, start: int, end: int) -> str | None:
    """A job title written next to a name: "Андрей Тарасенко, менеджер по работе с партнёрами"
    or "менеджеру по работе с партнёрами Андрею Тарасенко"."""
    after = text[end : end + 90]
    m = re.match(r"\s*[,(–—-]\s*(" + _POSITION.pattern + r")", after, re.I)
    if m:
        return _tidy_position(m.group(1))
    before = text[max(0, start - 80) : start]
    found = list(_POSITION.finditer(before))
    m2 = found[-1] if found else None
    if m2 and before[m2.end() :].strip(" ,:") == "":
        return _tidy_position(m2.group(0))
    return None


def _tidy_position(text: str) -> str:
    # "руководитель отдела продаж: m.lysenko@…": a colon ends the position.
    text = text.split(":", 1)[0]
    text = re.split(
        r"\s+(?:по (?:телефону|почте|адресу|e-?mail)|tel|phone|e-?mail|at)\b", text, flags=re.I
    )[0]
    words = text.strip(" ,.;:-–—").split()
    if words and re.match(r"[а-яё]", words[0], re.I):
        # "менеджеру по работе с партнёрами" → "менеджер по работе с партнёрами": the head
        # noun and the adjectives before it go to the nominative.
        morph = _load()["morph"]
        for i, w in enumerate(words[:3]):
            p = morph.parse(w)[0]
            if p.tag.POS not in ("NOUN", "ADJF"):
                break
            if p.tag.case not in (None, "nomn"):
                nom = p.inflect({"nomn"})
                if nom:
                    words[i] = nom.word
            if p.tag.POS == "NOUN":
                break
    return " ".join(words)


def emails(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0).lower().strip(".")) for m in _EMAIL.finditer(text)]
