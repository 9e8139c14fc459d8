"""Person names: split a full name into surname, first name and patronymic, and infer gender.

Russian business lists write people in every order: «Тарасенко Андрей Викторович» (documents,
CRM exports), «Андрей Тарасенко» (signatures, event badges), «Тарасенко А.В.» (letters,
contracts), «А.В. Тарасенко», and in Latin script «Andrey Tarasenko». The parser decides the
order from three kinds of evidence, strongest first:

1. a patronymic ending (-ович/-евич/-ич, -овна/-евна/-ична; Latin -ovich/-ovna…) marks the
   patronymic, and the first name stands right before it;
2. a built-in list of common first names (Cyrillic, plus their usual Latin spellings), with
   pymorphy3's ``Name``/``Surn`` tags for names the list lacks;
3. typical surname endings (-ов, -ева, -ский, -енко, -ук…).

When nothing decides, a two-word name is read surname-first if it is Cyrillic (the register's
own habit) and first-name-first if it is Latin.

>>> p = parse_person_name("Тарасенко Андрей Викторович")
>>> (p.last, p.first, p.patronymic, p.gender)
('Тарасенко', 'Андрей', 'Викторович', 'm')
>>> p = parse_person_name("Тарасенко А.В.")
>>> (p.last, p.first, p.first_initial, p.patronymic_initial)
('Тарасенко', None, 'А', 'В')
>>> parse_person_name("Anna Rimskaya-Korsakova").last
'Rimskaya-Korsakova'
>>> parse_person_name("Иванова Мария").gender
'f'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

Gender = Literal["m", "f"]
Script = Literal["cyrillic", "latin"]


def _words(text: str) -> list[str]:
    return text.split()


MALE_FIRST_NAMES = frozenset(
    _words(
        """
        Александр Алексей Анатолий Андрей Антон Аркадий Арсений Артём Артем Артур Богдан Борис
        Вадим Валентин Валерий Василий Виктор Виталий Владимир Владислав Всеволод Вячеслав
        Гавриил Геннадий Георгий Герман Глеб Григорий Давид Даниил Данила Денис Дмитрий Евгений
        Егор Елисей Ефим Захар Иван Игнат Игорь Илья Иннокентий Иосиф Кирилл Климент Константин
        Лев Леонид Макар Максим Марат Марк Матвей Михаил Мирон Назар Никита Николай Олег Остап
        Павел Пётр Петр Платон Прохор Радик Ринат Роберт Родион Роман Ростислав Руслан Савелий
        Святослав Семён Семен Сергей Станислав Степан Тимофей Тимур Тихон Фёдор Федор Филипп
        Эдуард Эльдар Юлиан Юрий Яков Ян Ярослав Айдар Рустам Рамиль Ильдар Альберт Эрик
        Вениамин Нестор Трофим Фома Афанасий Аристарх
        """
    )
)
FEMALE_FIRST_NAMES = frozenset(
    _words(
        """
        Агата Аглая Александра Алёна Алена Алина Алиса Алла Анастасия Ангелина Анжела Анна
        Антонина Арина Валентина Валерия Варвара Василиса Вера Вероника Виктория Галина Дарья
        Диана Ева Евгения Екатерина Елена Елизавета Жанна Зинаида Зоя Злата Инга Инна Ирина
        Карина Кира Клавдия Кристина Ксения Лариса Лидия Лилия Любовь Людмила Майя Маргарита
        Марина Мария Милана Надежда Наталья Наталия Нина Оксана Олеся Ольга Полина Раиса Регина
        Римма Светлана Снежана София Софья Стефания Таисия Тамара Татьяна Ульяна Эвелина
        Элеонора Эльвира Юлия Яна Ярослава Дина Лиана Эльмира Гульнара Альбина Ася Эмилия Нелли
        Виолетта Мирослава
        """
    )
)

_PATRONYMIC_M = re.compile(r"(ович|евич|ёвич|ьич|ич)$")
_PATRONYMIC_F = re.compile(r"(овна|евна|ёвна|ична|инична)$")
_PATRONYMIC_M_LAT = re.compile(r"(ovich|evich|yevich|ich|ovic|evic|ovitch|evitch)$")
_PATRONYMIC_F_LAT = re.compile(r"(ovna|evna|yevna|ichna|ovnaa)$")
_SURNAME_F = re.compile(r"(ова|ева|ёва|ина|ына|ская|цкая|ская|ая)$")
_SURNAME_M = re.compile(r"(ов|ев|ёв|ин|ын|ский|цкий|ской|ой|ый)$")
_SURNAME_ANY = re.compile(r"(енко|ко|ук|юк|чук|ян|дзе|швили|их|ых|ец|иц|ич|ман|берг)$")
_SURNAME_F_LAT = re.compile(r"(ova|eva|ina|yna|skaya|tskaya|kaya|aya)$")
_SURNAME_M_LAT = re.compile(r"(ov|ev|in|yn|sky|skiy|skii|skij|tsky|tskiy|koy|oy|iy|yi)$")
_SURNAME_ANY_LAT = re.compile(r"(enko|ko|uk|yuk|iuk|chuk|yan|ian|dze|shvili|ikh|ykh|ets|ich)$")

_INITIAL = re.compile(r"^([^\W\d_])\.?$")
_GLUED_INITIALS = re.compile(r"^([^\W\d_])\.([^\W\d_])\.?$")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")


@dataclass(frozen=True, slots=True)
class PersonName:
    """One person's name split into parts. Initials are set whenever the part is known."""

    last: str
    first: str | None = None
    patronymic: str | None = None
    first_initial: str | None = None
    patronymic_initial: str | None = None
    gender: Gender | None = None
    script: Script = "cyrillic"

    @property
    def full(self) -> str:
        """Surname-first full form, the register's canonical order."""
        first = self.first or (f"{self.first_initial}." if self.first_initial else "")
        patr = self.patronymic or (f"{self.patronymic_initial}." if self.patronymic_initial else "")
        return " ".join(part for part in (self.last, first, patr) if part)

    @property
    def key(self) -> str:
        """A case- and ё-insensitive identity used to tell people apart inside one company."""
        parts = (self.last, self.first or self.first_initial or "", self.patronymic or "")
        return "|".join(p.lower().replace("ё", "е") for p in parts)


def _morph() -> Any:
    return _load_morph()


@lru_cache(maxsize=1)
def _load_morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=20000)
def _morph_tags(word: str) -> tuple[float, float, float, str | None]:
    """pymorphy3's evidence: P(first name), P(surname), P(patronymic) and gender of a word."""
    name = surn = patr = 0.0
    gender: str | None = None
    for parse in _morph().parse(word.lower()):
        tag = parse.tag
        if "nomn" not in tag:
            continue
        if "Name" in tag:
            name += parse.score
            if gender is None:
                gender = "m" if "masc" in tag else "f" if "femn" in tag else None
        elif "Surn" in tag:
            surn += parse.score
        elif "Patr" in tag:
            patr += parse.score
    return name, surn, patr, gender


def _strip_accents(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


_LATIN_SCHEMES = (
    "icao_doc_9303",
    "mvd_310",
    "mvd_782",
    "bgn_pcgn",
    "wikipedia",
    "yandex_maps",
    "mosmetro",
    "gost_779_alt",
    "telegram",
)


@lru_cache(maxsize=1)
def _latin_first_names() -> dict[str, Gender]:
    """Usual Latin spellings of the built-in first names (passport, informal and English)."""
    import iuliia

    schemes = [iuliia.schemas.get(n) for n in _LATIN_SCHEMES]
    out: dict[str, Gender] = {}
    for names, gender in ((MALE_FIRST_NAMES, "m"), (FEMALE_FIRST_NAMES, "f")):
        for name in names:
            for scheme in schemes:
                spelling = re.sub(r"[^a-z]", "", _strip_accents(scheme.translate(name)).lower())
                out.setdefault(spelling, gender)  # type: ignore[arg-type]
    # English forms people choose for themselves on business cards.
    for name in ("alexander", "alex", "michael", "peter", "paul", "george", "gregory", "eugene"):
        out.setdefault(name, "m")
    for name in ("helen", "catherine", "kate", "julia", "natalie", "mary", "sophia", "xenia"):
        out.setdefault(name, "f")
    return out


def _cap(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


def _first_name_gender(word: str, script: Script) -> tuple[float, Gender | None]:
    """How much the word looks like a first name (0..1) and the gender it implies."""
    cap = _cap(word)
    if script == "latin":
        latin = _latin_first_names().get(_strip_accents(word).lower())
        return (1.0, latin) if latin else (0.0, None)
    if cap in MALE_FIRST_NAMES or cap.replace("ё", "е") in MALE_FIRST_NAMES:
        return 1.0, "m"
    if cap in FEMALE_FIRST_NAMES or cap.replace("ё", "е") in FEMALE_FIRST_NAMES:
        return 1.0, "f"
    if "-" in word:
        return 0.0, None
    name, _surn, _patr, tagged = _morph_tags(word)
    return min(name, 0.8), ("m" if tagged == "m" else "f" if tagged == "f" else None)


def _patronymic_gender(word: str, script: Script) -> Gender | None:
    low = _strip_accents(word).lower() if script == "latin" else word.lower()
    if len(low) < 5 or "-" in low:
        return None
    if script == "latin":
        if _PATRONYMIC_F_LAT.search(low):
            return "f"
        return "m" if _PATRONYMIC_M_LAT.search(low) else None
    if _PATRONYMIC_F.search(low):
        return "f"
    return "m" if _PATRONYMIC_M.search(low) else None


def _surname_score(word: str, script: Script) -> float:
    low = _strip_accents(word).lower() if script == "latin" else word.lower()
    if "-" in low:
        return 1.0
    if script == "latin":
        regexes = (_SURNAME_F_LAT, _SURNAME_M_LAT, _SURNAME_ANY_LAT)
        return 0.6 if any(r.search(low) for r in regexes) else 0.0
    if any(r.search(low) for r in (_SURNAME_F, _SURNAME_M, _SURNAME_ANY)):
        return 0.6
    return min(_morph_tags(word)[1], 0.6)


def surname_gender(last: str) -> Gender | None:
    """Gender implied by a surname's ending, if any (Иванова → f, Тарасенко → None).

    >>> [surname_gender(s) for s in ("Иванова", "Римский-Корсаков", "Толстой", "Цой")]
    ['f', 'm', 'm', None]
    """
    low = last.lower().split("-")[-1]
    if _CYRILLIC.search(low):
        if re.search(r"(ова|ева|ёва|ина|ына|ская|цкая|ая)$", low):
            return "f"
        # Short -ой names (Цой, Хой) are Korean or Chinese and do not change with gender.
        if re.search(r"(ов|ев|ёв|ин|ын|ский|цкий|ской|ый)$", low) or (
            low.endswith("ой") and len(low) > 4
        ):
            return "m"
        return None
    low = _strip_accents(low)
    if re.search(r"(ova|eva|ina|yna|skaya|tskaya|aya)$", low):
        return "f"
    if re.search(r"(ov|ev|in|yn|sky|skiy|skii|skij)$", low) or (
        re.search(r"(oy|oi)$", low) and len(low) > 4
    ):
        return "m"
    return None


def infer_gender(name: PersonName) -> Gender | None:
    """Patronymic first (decisive), then the first name, then the surname's ending."""
    if name.patronymic:
        gender = _patronymic_gender(name.patronymic, name.script)
        if gender:
            return gender
    if name.first:
        score, gender = _first_name_gender(name.first, name.script)
        if gender and score >= 0.5:
            return gender
    return surname_gender(name.last)


def _tokens(text: str) -> tuple[list[str], bool]:
    """Words and initials of a name; the flag says a comma put the surname first."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    comma = "," in text
    text = re.sub(r"[,;\"«»()]", " ", text)
    tokens: list[str] = []
    for raw in text.split():
        raw = raw.strip("-'’")
        if not raw:
            continue
        # "А.В." and "А.В" are two initials; "А." one.
        pieces = [p for p in raw.split(".") if p] if "." in raw else [raw]
        if len(pieces) > 1 and all(len(p) == 1 for p in pieces):
            tokens.extend(f"{p}." for p in pieces)
        elif len(pieces) == 1 and raw.endswith("."):
            tokens.append(raw if len(pieces[0]) == 1 else pieces[0])
        else:
            tokens.extend(pieces)
    return [t for t in tokens if any(ch.isalpha() for ch in t)], comma


def _is_initial(token: str) -> bool:
    return bool(_INITIAL.match(token)) and (len(token) == 2 or len(token) == 1)


def _assign_words(
    words: list[str], script: Script, comma: bool
) -> tuple[str, str | None, str | None]:
    """(last, first, patronymic) for two or more full words."""
    n = len(words)
    patr_idx = [i for i, w in enumerate(words) if _patronymic_gender(w, script)]
    # Candidate readings: surname first or last, with the patronymic after the first name.
    readings: list[tuple[float, tuple[str, str | None, str | None]]] = []

    def first_score(w: str) -> float:
        return _first_name_gender(w, script)[0]

    def patr_score(w: str) -> float:
        if _patronymic_gender(w, script) is None:
            return -2.0
        return 1.5 + (0.5 if script == "cyrillic" and _morph_tags(w)[2] > 0.3 else 0.0)

    def last_score(w: str) -> float:
        return _surname_score(w, script) - 1.2 * first_score(w) - (0.8 if w in patr_set else 0.0)

    patr_set = {words[i] for i in patr_idx}
    if n == 2:
        a, b = words
        readings.append(
            (last_score(a) + first_score(b) + 0.15 * (script == "cyrillic"), (a, b, None))
        )
        readings.append((first_score(a) + last_score(b) + 0.15 * (script == "latin"), (b, a, None)))
    else:
        # Surname first: L F P...; surname last: F P L; extra words join the surname.
        head_last = " ".join(words[: n - 2])
        tail_last = " ".join(words[2:])
        readings.append(
            (
                last_score(words[0]) + first_score(words[n - 2]) + patr_score(words[n - 1]) + 0.1,
                (head_last, words[n - 2], words[n - 1]),
            )
        )
        readings.append(
            (
                first_score(words[0]) + patr_score(words[1]) + last_score(words[2]),
                (tail_last, words[0], words[1]),
            )
        )
        if comma:
            readings[0] = (readings[0][0] + 1.0, readings[0][1])
    readings.sort(key=lambda r: -r[0])
    last, first, patr = readings[0][1]
    if patr is not None and _patronymic_gender(patr, script) is None and n > 2:
        # Three words without any patronymic: a double surname written with a space.
        last = f"{last} {patr}" if readings[0][1][0] == head_last else f"{patr} {last}"
        patr = None
    return last, first, patr


@lru_cache(maxsize=50000)
def parse_person_name(text: str) -> PersonName | None:
    """Split a full name written in any usual order; None when it holds no name at all."""
    tokens, comma = _tokens(text or "")
    if not tokens:
        return None
    script: Script = "cyrillic" if any(_CYRILLIC.search(t) for t in tokens) else "latin"
    if script == "cyrillic":
        tokens = [t for t in tokens if _CYRILLIC.search(t)] or tokens
    initials = [t[0].upper() for t in tokens if _is_initial(t)]
    words = [_cap(t) for t in tokens if not _is_initial(t)]
    if not words:
        return None
    first: str | None = None
    patronymic: str | None = None
    if len(words) == 1:
        last = words[0]
        # A lone first name ("Андрей") is a first name, not a surname, when initials don't follow.
        if (
            not initials
            and _first_name_gender(last, script)[0] >= 1.0
            and not _surname_score(last, script)
        ):
            return PersonName(
                last="",
                first=last,
                first_initial=last[0].upper(),
                gender=_first_name_gender(last, script)[1],
                script=script,
            )
    elif initials and len(words) == 2:
        last, first, _ = _assign_words(words, script, comma)
    else:
        last, first, patronymic = _assign_words(words, script, comma)
    first_initial = first[0].upper() if first else (initials[0] if initials else None)
    if patronymic:
        patronymic_initial: str | None = patronymic[0].upper()
    elif first and initials:
        patronymic_initial = initials[0]
    elif not first and len(initials) > 1:
        patronymic_initial = initials[1]
    else:
        patronymic_initial = None
    name = PersonName(
        last=last,
        first=first,
        patronymic=patronymic,
        first_initial=first_initial,
        patronymic_initial=patronymic_initial,
        script=script,
    )
    return PersonName(
        last=name.last,
        first=name.first,
        patronymic=name.patronymic,
        first_initial=name.first_initial,
        patronymic_initial=name.patronymic_initial,
        gender=infer_gender(name),
        script=script,
    )


__all__ = [
    "FEMALE_FIRST_NAMES",
    "MALE_FIRST_NAMES",
    "Gender",
    "PersonName",
    "infer_gender",
    "parse_person_name",
    "surname_gender",
]
