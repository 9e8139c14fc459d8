"""Company and person names for the simulated market.

Names are built from word lists the way Russian IT companies actually name themselves:
common single words that many unrelated companies share ("Альянс", "Атлас"), glued
morphemes ("Техносервис", "ИнфоЛайн"), descriptive phrases with a regional adjective
("Сибирские сетевые решения"), acronyms ("НТЦ Ирбис", "ИВС"), Latin brands registered in
Cyrillic transcription ("NetLogic" = «НетЛоджик»), and sole proprietors registered under
their own full name. Each name may carry an official English variant; where it has none,
English-language lists transliterate it (see ``noise.py``).

The common words are drawn with Zipf-like weights on purpose: the resolver must not merge
"Альянс" in Omsk with "Альянс" in Tula.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from functools import cache

from partnernet.engines.addresses.synthetic import feminine_surname
from partnernet.engines.names.translit import to_latin

# (Russian, English or None). None = no natural English word: English lists transliterate.
COMMON_WORDS: tuple[tuple[str, str | None], ...] = (
    ("Альянс", "Alliance"),
    ("Атлас", "Atlas"),
    ("Форт", "Fort"),
    ("Вектор", "Vector"),
    ("Спектр", "Spectrum"),
    ("Гарант", "Garant"),
    ("Меридиан", "Meridian"),
    ("Прогресс", "Progress"),
    ("Стандарт", "Standard"),
    ("Профи", "Profi"),
    ("Импульс", "Impulse"),
    ("Орион", "Orion"),
    ("Сириус", "Sirius"),
    ("Эталон", "Etalon"),
    ("Монолит", "Monolith"),
    ("Лидер", "Leader"),
    ("Контур", "Contour"),
    ("Аспект", "Aspect"),
    ("Квант", "Quant"),
    ("Интеграл", "Integral"),
    ("Феникс", "Phoenix"),
    ("Олимп", "Olymp"),
    ("Гелиос", "Helios"),
    ("Максимум", "Maximum"),
    ("Альфа", "Alpha"),
    ("Омега", "Omega"),
    ("Дельта", "Delta"),
    ("Сигма", "Sigma"),
    ("Бастион", "Bastion"),
    ("Цитадель", "Citadel"),
    ("Горизонт", "Horizon"),
    ("Перспектива", "Perspective"),
    ("Навигатор", "Navigator"),
    ("Матрица", "Matrix"),
    ("Алгоритм", "Algorithm"),
    ("Кристалл", "Crystal"),
    ("Гранит", "Granit"),
    ("Магистраль", "Magistral"),
    ("Стратегия", "Strategy"),
    ("Ресурс", "Resource"),
    ("Ромашка", None),
    ("Ладога", None),
    ("Байкал", None),
    ("Сокол", None),
    ("Берёза", None),
    ("Рубин", "Rubin"),
    ("Сапфир", "Sapphire"),
    ("Янтарь", None),
    ("Ирбис", "Irbis"),
    ("Беркут", None),
    ("Кедр", None),
    ("Тайга", "Taiga"),
    ("Ангара", None),
    ("Енисей", None),
    ("Заря", None),
    ("Парус", None),
    ("Арктика", "Arctic"),
    ("Рубеж", None),
    ("Север", None),
    ("Витязь", None),
)

# Morphemes glued into one word: (Russian, English).
PREFIXES: tuple[tuple[str, str], ...] = (
    ("Инфо", "Info"),
    ("Техно", "Techno"),
    ("Теле", "Tele"),
    ("Софт", "Soft"),
    ("Компьютер", "Computer"),
    ("Дата", "Data"),
    ("Микро", "Micro"),
    ("Мега", "Mega"),
    ("Нео", "Neo"),
    ("Про", "Pro"),
    ("Интел", "Intel"),
    ("Энерго", "Energo"),
    ("Гео", "Geo"),
    ("Транс", "Trans"),
    ("Сиб", "Sib"),
    ("Урал", "Ural"),
    ("Волга", "Volga"),
    ("Балт", "Balt"),
    ("Стрим", "Stream"),
    ("Смарт", "Smart"),
    ("Сервер", "Server"),
    ("Сеть", "Set"),
    ("Электро", "Electro"),
    ("Авто", "Auto"),
    ("Систем", "System"),
)
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("системы", "systems"),
    ("сервис", "service"),
    ("софт", "soft"),
    ("ком", "com"),
    ("тех", "tech"),
    ("лайн", "line"),
    ("нет", "net"),
    ("трейд", "trade"),
    ("линк", "link"),
    ("центр", "centre"),
    ("проект", "project"),
    ("лаб", "lab"),
    ("интеграция", "integration"),
    ("маркет", "market"),
    ("информ", "inform"),
    ("телеком", "telecom"),
    ("технологии", "technologies"),
    ("групп", "group"),
)

# Latin brand morphemes with the Cyrillic transcription a company registers.
LATIN_MORPHEMES: tuple[tuple[str, str], ...] = (
    ("Soft", "Софт"),
    ("Net", "Нет"),
    ("Tech", "Тех"),
    ("Data", "Дата"),
    ("Line", "Лайн"),
    ("Pro", "Про"),
    ("Lab", "Лаб"),
    ("Logic", "Лоджик"),
    ("Sys", "Сис"),
    ("Cloud", "Клауд"),
    ("Smart", "Смарт"),
    ("Digital", "Диджитал"),
    ("Trade", "Трейд"),
    ("Link", "Линк"),
    ("Point", "Поинт"),
    ("Byte", "Байт"),
    ("Bit", "Бит"),
    ("Core", "Кор"),
    ("Wave", "Вейв"),
    ("Stack", "Стек"),
    ("Sky", "Скай"),
    ("Max", "Макс"),
    ("Vision", "Вижн"),
    ("Team", "Тим"),
    ("Force", "Форс"),
    ("Nova", "Нова"),
    ("Prime", "Прайм"),
    ("Secure", "Секьюр"),
    ("Flex", "Флекс"),
    ("Store", "Стор"),
)

# Descriptive phrases: (Russian, English, grammatical head for adjective agreement).
PHRASES: tuple[tuple[str, str, str], ...] = (
    ("Сетевые решения", "Network Solutions", "pl"),
    ("Информационные технологии", "Information Technologies", "pl"),
    ("Компьютерные системы", "Computer Systems", "pl"),
    ("Цифровые технологии", "Digital Technologies", "pl"),
    ("Инженерные системы", "Engineering Systems", "pl"),
    ("Бизнес-системы", "Business Systems", "pl"),
    ("Системы безопасности", "Security Systems", "pl"),
    ("Телекоммуникационные системы", "Telecommunication Systems", "pl"),
    ("Интеллектуальные системы", "Intelligent Systems", "pl"),
    ("Корпоративные решения", "Corporate Solutions", "pl"),
    ("Облачные решения", "Cloud Solutions", "pl"),
    ("Аудиовизуальные системы", "Audiovisual Systems", "pl"),
    ("Инфосистемы", "Infosystems", "pl"),
    ("Системная интеграция", "System Integration", "f"),
    ("Информационная безопасность", "Information Security", "f"),
    ("Сервисная компания", "Service Company", "f"),
    ("Центр информационных технологий", "IT Centre", "m"),
    ("Центр системной интеграции", "System Integration Centre", "m"),
    ("Системный интегратор", "System Integrator", "m"),
    ("Компьютерный центр", "Computer Centre", "m"),
    ("Информационный центр", "Information Centre", "m"),
    ("Инженерное бюро", "Engineering Bureau", "n"),
    ("Агентство информационных технологий", "IT Agency", "n"),
)

# Regional adjective stems by federal district (or country): (stem, English).
REGION_ADJECTIVES: dict[str, tuple[tuple[str, str], ...]] = {
    "Центральный": (("Центральн", "Central"), ("Российск", "Russian")),
    "Северо-Западный": (("Северо-Западн", "North-West"), ("Северн", "Northern")),
    "Южный": (("Южн", "South"), ("Кубанск", "Kuban"), ("Донск", "Don")),
    "Северо-Кавказский": (("Кавказск", "Caucasus"), ("Южн", "South")),
    "Приволжский": (("Приволжск", "Volga"), ("Поволжск", "Volga"), ("Волжск", "Volga")),
    "Уральский": (("Уральск", "Ural"), ("Западно-Сибирск", "West Siberian")),
    "Сибирский": (("Сибирск", "Siberian"), ("Енисейск", "Yenisei")),
    "Дальневосточный": (("Дальневосточн", "Far Eastern"), ("Тихоокеанск", "Pacific")),
    "KZ": (
        ("Казахстанск", "Kazakhstan"),
        ("Евразийск", "Eurasian"),
        ("Центрально-Азиатск", "Central Asian"),
    ),
    "BY": (("Белорусск", "Belarusian"), ("Западн", "Western")),
}
# Adjectives that only a company in that city would take.
CITY_ADJECTIVES: dict[str, tuple[tuple[str, str], ...]] = {
    "Москва": (("Московск", "Moscow"), ("Столичн", "Capital")),
    "Санкт-Петербург": (("Петербургск", "Petersburg"), ("Невск", "Neva"), ("Балтийск", "Baltic")),
    "Новосибирск": (("Новосибирск", "Novosibirsk"), ("Сибирск", "Siberian")),
    "Екатеринбург": (("Уральск", "Ural"), ("Екатеринбургск", "Yekaterinburg")),
    "Казань": (("Казанск", "Kazan"), ("Татарстанск", "Tatarstan")),
    "Нижний Новгород": (("Нижегородск", "Nizhny Novgorod"),),
    "Иркутск": (("Байкальск", "Baikal"), ("Иркутск", "Irkutsk")),
    "Пермь": (("Пермск", "Perm"), ("Камск", "Kama")),
    "Омск": (("Омск", "Omsk"), ("Иртышск", "Irtysh")),
    "Самара": (("Самарск", "Samara"),),
    "Хабаровск": (("Амурск", "Amur"), ("Хабаровск", "Khabarovsk")),
    "Калининград": (("Балтийск", "Baltic"), ("Калининградск", "Kaliningrad")),
    "Минск": (("Минск", "Minsk"),),
    "Алматы": (("Алматинск", "Almaty"),),
}

ACRONYM_HEADS: tuple[tuple[str, str], ...] = (
    ("НТЦ", "STC"),
    ("НПО", "NPO"),
    ("НПП", "NPP"),
    ("СКБ", "SKB"),
    ("ИТЦ", "ITC"),
    ("ТСК", "TSK"),
    ("ИВЦ", "IVC"),
)
# Letters that make plausible Russian abbreviations (no Ё, Ъ, Ь, Ы, Й at the start).
_ACRONYM_LETTERS = "АБВГДЕИКЛМНОПРСТУФЦЭ"
_VOWELS = "АЕИОУЭ"
_CONSONANTS = "БВГДКЛМНПРСТФ"

IT_ABBREVIATIONS: tuple[tuple[str, str], ...] = (
    ("ИТ-Групп", "IT Group"),
    ("АйТи Сервис", "IT Service"),
    ("ИТ-Альянс", "IT Alliance"),
    ("АйТи-Решения", "IT Solutions"),
    ("ИТ Эксперт", "IT Expert"),
    ("АйТиКом", "ITCom"),
    ("ИТ-Профи", "IT Profi"),
    ("ИТ Интеграция", "IT Integration"),
)

# Decorations appended to a base name: (Russian, English).
NAME_TAILS: tuple[tuple[str, str], ...] = (
    (" Плюс", " Plus"),
    ("-М", "-M"),
    ("-Сервис", " Service"),
    (" Групп", " Group"),
    ("-Телеком", " Telecom"),
    ("-Интеграция", " Integration"),
    (" Инжиниринг", " Engineering"),
    ("-Софт", " Soft"),
    (" Трейд", " Trade"),
    ("-Центр", " Centre"),
    (" Технологии", " Technologies"),
    (" Системс", " Systems"),
)

# Sole-proprietor names: male surname, and first name with its patronymic forms.
SURNAMES: tuple[str, ...] = (
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Кузьмин",
    "Фролов",
    "Александров",
    "Дмитриев",
    "Королёв",
    "Гусев",
    "Киселёв",
    "Ильин",
    "Максимов",
    "Поляков",
    "Сорокин",
    "Виноградов",
    "Ковалёв",
    "Белов",
    "Медведев",
    "Антонов",
    "Тарасов",
    "Жуков",
    "Баранов",
    "Филиппов",
    "Комаров",
    "Давыдов",
    "Беляев",
    "Герасимов",
    "Богданов",
    "Осипов",
    "Сидоров",
    "Матвеев",
    "Титов",
    "Марков",
    "Миронов",
    "Крылов",
    "Куликов",
    "Карпов",
    "Власов",
    "Мельников",
    "Денисов",
    "Гаврилов",
    "Тихонов",
    "Казаков",
    "Афанасьев",
    "Данилов",
    "Савельев",
    "Тимофеев",
    "Фомин",
    "Чернов",
    "Абрамов",
    "Шинкарев",
    "Горскин",
    "Цыганов",
    "Тарасенко",
    "Коваленко",
    "Бондаренко",
    "Шевченко",
    "Лысенко",
    "Кравченко",
    "Ткаченко",
    "Шестаков",
    "Ершов",
    "Щербаков",
    "Юдин",
    "Ясинский",
    "Жилинский",
    "Островский",
    "Нурланов",
    "Ахметов",
    "Сулейменов",
    "Омаров",
    "Ковальчук",
)
MALE_FIRST: tuple[tuple[str, str, str], ...] = (
    ("Александр", "Александрович", "Александровна"),
    ("Алексей", "Алексеевич", "Алексеевна"),
    ("Андрей", "Андреевич", "Андреевна"),
    ("Сергей", "Сергеевич", "Сергеевна"),
    ("Дмитрий", "Дмитриевич", "Дмитриевна"),
    ("Иван", "Иванович", "Ивановна"),
    ("Михаил", "Михайлович", "Михайловна"),
    ("Николай", "Николаевич", "Николаевна"),
    ("Владимир", "Владимирович", "Владимировна"),
    ("Евгений", "Евгеньевич", "Евгеньевна"),
    ("Павел", "Павлович", "Павловна"),
    ("Юрий", "Юрьевич", "Юрьевна"),
    ("Олег", "Олегович", "Олеговна"),
    ("Роман", "Романович", "Романовна"),
    ("Виктор", "Викторович", "Викторовна"),
    ("Игорь", "Игоревич", "Игоревна"),
    ("Максим", "Максимович", "Максимовна"),
    ("Артём", "Артёмович", "Артёмовна"),
    ("Константин", "Константинович", "Константиновна"),
    ("Илья", "Ильич", "Ильинична"),
    ("Пётр", "Петрович", "Петровна"),
    ("Борис", "Борисович", "Борисовна"),
)
FEMALE_FIRST: tuple[str, ...] = (
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Анна",
    "Мария",
    "Юлия",
    "Екатерина",
    "Марина",
    "Анастасия",
    "Людмила",
    "Галина",
    "Виктория",
    "Ксения",
)


@dataclass(frozen=True, slots=True)
class GeneratedName:
    """A company name as registered (Cyrillic, without legal form) and its English variant."""

    name: str
    name_en: str | None
    style: str  # common | compound | descriptive | acronym | it_abbreviation | latin_brand | person


@dataclass(frozen=True, slots=True)
class PersonName:
    surname: str
    first: str
    patronymic: str

    @property
    def full(self) -> str:
        return f"{self.surname} {self.first} {self.patronymic}"

    @property
    def short(self) -> str:
        """'Петров А. В.' — the way lists abbreviate sole proprietors."""
        return f"{self.surname} {self.first[0]}. {self.patronymic[0]}."


def _zipf_weights(n: int, exponent: float = 0.9) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(n)]


# Cumulative weights: ``random.choices`` would rebuild them on every call.
_COMMON_CUM = list(itertools.accumulate(_zipf_weights(len(COMMON_WORDS))))
_LATIN_CUM = list(itertools.accumulate(_zipf_weights(len(LATIN_MORPHEMES), 0.6)))


def _adjective(stem: str, head: str) -> str:
    """Agree a regional adjective stem with the phrase head (m, f, n, pl)."""
    soft = stem[-1] in "кгхжшщч"
    endings = {
        "m": "ий" if soft else "ый",
        "f": "ая",
        "n": "ое",
        "pl": "ие" if soft else "ые",
    }
    return stem + endings[head]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _acronym(rng: random.Random) -> str:
    if rng.random() < 0.5:
        # Pronounceable: КРОК-, ТЕКАР-like consonant-vowel patterns.
        pattern = rng.choice(("CVCV", "CVCC", "CCVC", "CVCVC", "VCVC"))
        letters = [rng.choice(_CONSONANTS if ch == "C" else _VOWELS) for ch in pattern]
        return "".join(letters)
    return "".join(rng.choice(_ACRONYM_LETTERS) for _ in range(rng.choice((3, 3, 4))))


def _glue(rng: random.Random, left: str, right: str) -> str:
    """Join two morphemes the ways companies do: ТехноСервис / Техносервис / Техно-Сервис."""
    roll = rng.random()
    if roll < 0.45:
        return left + right.lower()
    if roll < 0.8:
        return left + right[:1].upper() + right[1:]
    return f"{left}-{right[:1].upper()}{right[1:]}"


def company_name(
    rng: random.Random, *, district: str = "Центральный", city: str = ""
) -> GeneratedName:
    """One company name; ``district`` (federal district, or 'KZ'/'BY') and ``city`` pick the
    regional words it may carry."""
    roll = rng.random()
    if roll < 0.24:
        word, en = rng.choices(COMMON_WORDS, cum_weights=_COMMON_CUM)[0]
        if rng.random() < 0.3:
            tail, tail_en = rng.choice(NAME_TAILS)
            return GeneratedName(word + tail, en + tail_en if en else None, "common")
        return GeneratedName(word, en, "common")
    if roll < 0.47:
        (pre, pre_en), (suf, suf_en) = rng.choice(PREFIXES), rng.choice(SUFFIXES)
        name = _glue(rng, pre, suf)
        english = pre_en + suf_en.capitalize() if rng.random() < 0.6 else None
        return GeneratedName(name, english, "compound")
    if roll < 0.66:
        phrase, phrase_en, head = rng.choice(PHRASES)
        if rng.random() < 0.55:
            stems = REGION_ADJECTIVES.get(district) or REGION_ADJECTIVES["Центральный"]
            if city in CITY_ADJECTIVES and rng.random() < 0.6:
                stems = CITY_ADJECTIVES[city]
            stem, stem_en = rng.choice(stems)
            name = f"{_adjective(stem, head)} {_lower_first(phrase)}"
            return GeneratedName(name, f"{stem_en} {phrase_en}", "descriptive")
        if rng.random() < 0.5:
            # "Инфосистемы Атлас" ~ "Atlas Infosystems": descriptor first in Russian only.
            word, en = rng.choices(COMMON_WORDS, cum_weights=_COMMON_CUM)[0]
            return GeneratedName(
                f"{phrase} {word}", f"{en} {phrase_en}" if en else None, "descriptive"
            )
        return GeneratedName(phrase, phrase_en if rng.random() < 0.7 else None, "descriptive")
    if roll < 0.77:
        if rng.random() < 0.45:
            head, head_en = rng.choice(ACRONYM_HEADS)
            word, en = rng.choices(COMMON_WORDS, cum_weights=_COMMON_CUM)[0]
            return GeneratedName(f"{head} {word}", f"{head_en} {en}" if en else None, "acronym")
        acronym = _acronym(rng)
        return GeneratedName(acronym, None, "acronym")
    if roll < 0.83:
        name, en = rng.choice(IT_ABBREVIATIONS)
        if rng.random() < 0.4:
            word, word_en = rng.choices(COMMON_WORDS, cum_weights=_COMMON_CUM)[0]
            name, en = f"{name} {word}", f"{en} {word_en}" if word_en else en
        return GeneratedName(name, en, "it_abbreviation")
    # Latin brand registered in Cyrillic transcription (or, rarely, in Latin itself).
    first = rng.choices(range(len(LATIN_MORPHEMES)), cum_weights=_LATIN_CUM)[0]
    second = rng.randrange(len(LATIN_MORPHEMES) - 1)
    second += second >= first  # two different morphemes
    (a, a_ru), (b, b_ru) = LATIN_MORPHEMES[first], LATIN_MORPHEMES[second]
    brand = a + b
    if rng.random() < 0.15:
        return GeneratedName(brand, brand, "latin_brand")
    cyr = a_ru + (b_ru if rng.random() < 0.5 else b_ru.lower())
    return GeneratedName(cyr, brand, "latin_brand")


def person_name(rng: random.Random) -> PersonName:
    """A Russian full name (sole proprietors register under it)."""
    surname = rng.choice(SURNAMES)
    _father, patronymic_m, patronymic_f = rng.choice(MALE_FIRST)
    if rng.random() < 0.22:
        return PersonName(feminine_surname(surname), rng.choice(FEMALE_FIRST), patronymic_f)
    return PersonName(surname, rng.choice(MALE_FIRST)[0], patronymic_m)


@cache
def latin(text: str, scheme: str = "wikipedia") -> str:
    """``text`` in Latin letters by an iuliia scheme (cached: lists repeat names a lot)."""
    return to_latin(text, scheme=scheme)
