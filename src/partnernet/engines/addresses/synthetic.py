"""Synthetic companies with known address habits: the benchmark's ground truth and demo data.

Each company has a domain, a main local-part pattern (sometimes a second one for part of the
staff), one transliteration habit, and the everyday mess of real address books: role mailboxes
listed under a person's name, people whose address follows their own passport spelling,
nicknames no rule explains, namesakes resolved with a digit or the patronymic initial, and
names written in every order (with or without patronymic, initials only, sometimes in Latin).

Names are drawn from frequency-weighted lists of Russian first names (by gender), surnames (with
gendered forms) and fathers' names for patronymics. Addresses are rendered with iuliia's own
``translate`` and plain string templates — not with the inference engine's code — so the
benchmark checks the engine against an independent rendering.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field

import iuliia

# (name, relative frequency) — shaped on the frequencies of names among working-age Russians.
MALE_NAMES: tuple[tuple[str, float], ...] = (
    ("Александр", 90),
    ("Сергей", 85),
    ("Дмитрий", 70),
    ("Андрей", 65),
    ("Алексей", 60),
    ("Максим", 40),
    ("Евгений", 40),
    ("Владимир", 38),
    ("Иван", 36),
    ("Михаил", 34),
    ("Николай", 26),
    ("Артём", 26),
    ("Павел", 24),
    ("Денис", 24),
    ("Роман", 22),
    ("Игорь", 22),
    ("Олег", 20),
    ("Антон", 20),
    ("Виталий", 16),
    ("Илья", 16),
    ("Кирилл", 16),
    ("Юрий", 16),
    ("Владислав", 14),
    ("Вадим", 12),
    ("Константин", 12),
    ("Виктор", 12),
    ("Никита", 12),
    ("Руслан", 10),
    ("Егор", 10),
    ("Вячеслав", 10),
    ("Станислав", 9),
    ("Георгий", 8),
    ("Григорий", 7),
    ("Валерий", 7),
    ("Анатолий", 6),
    ("Леонид", 5),
    ("Фёдор", 5),
    ("Пётр", 5),
    ("Тимур", 5),
    ("Ярослав", 4),
    ("Матвей", 4),
    ("Василий", 4),
    ("Борис", 4),
    ("Глеб", 4),
    ("Геннадий", 4),
    ("Семён", 3),
    ("Аркадий", 2),
    ("Степан", 3),
    ("Марат", 3),
    ("Эдуард", 3),
    ("Всеволод", 2),
    ("Ринат", 2),
    ("Тимофей", 3),
    ("Филипп", 3),
    ("Лев", 2),
    ("Яков", 1),
    ("Захар", 1),
    ("Савелий", 1),
    ("Даниил", 6),
    ("Ростислав", 2),
    ("Святослав", 1),
)
FEMALE_NAMES: tuple[tuple[str, float], ...] = (
    ("Елена", 80),
    ("Ольга", 70),
    ("Наталья", 65),
    ("Татьяна", 60),
    ("Екатерина", 55),
    ("Анна", 55),
    ("Ирина", 50),
    ("Мария", 45),
    ("Юлия", 42),
    ("Светлана", 38),
    ("Анастасия", 36),
    ("Марина", 30),
    ("Ксения", 24),
    ("Дарья", 22),
    ("Евгения", 20),
    ("Алина", 16),
    ("Виктория", 18),
    ("Надежда", 14),
    ("Людмила", 14),
    ("Галина", 10),
    ("Валентина", 8),
    ("Оксана", 12),
    ("Полина", 12),
    ("Кристина", 12),
    ("Вера", 8),
    ("Любовь", 8),
    ("Лариса", 8),
    ("Яна", 8),
    ("Алёна", 10),
    ("Елизавета", 8),
    ("Александра", 10),
    ("Софья", 6),
    ("Валерия", 8),
    ("Маргарита", 6),
    ("Вероника", 6),
    ("Диана", 6),
    ("Олеся", 5),
    ("Инна", 4),
    ("Жанна", 3),
    ("Алла", 3),
    ("Тамара", 3),
    ("Нина", 4),
    ("Лилия", 3),
    ("Регина", 2),
    ("Эльвира", 2),
    ("Ульяна", 3),
    ("Варвара", 3),
    ("Карина", 4),
    ("Снежана", 2),
    ("Зоя", 1),
    ("Таисия", 1),
)
# Masculine forms; feminine forms follow the usual rules (Иванов → Иванова, Тарасенко stays).
SURNAMES: tuple[tuple[str, float], ...] = tuple(
    (name, float(weight))
    for name, weight in (
        ("Иванов", 30),
        ("Смирнов", 28),
        ("Кузнецов", 25),
        ("Попов", 22),
        ("Васильев", 20),
        ("Петров", 20),
        ("Соколов", 18),
        ("Михайлов", 16),
        ("Новиков", 15),
        ("Фёдоров", 14),
        ("Морозов", 14),
        ("Волков", 13),
        ("Алексеев", 12),
        ("Лебедев", 12),
        ("Семёнов", 11),
        ("Егоров", 11),
        ("Павлов", 10),
        ("Козлов", 10),
        ("Степанов", 10),
        ("Николаев", 10),
        ("Орлов", 9),
        ("Андреев", 9),
        ("Макаров", 9),
        ("Никитин", 9),
        ("Захаров", 8),
        ("Зайцев", 8),
        ("Соловьёв", 8),
        ("Борисов", 8),
        ("Яковлев", 8),
        ("Григорьев", 8),
        ("Романов", 7),
        ("Воробьёв", 7),
        ("Сергеев", 7),
        ("Кузьмин", 7),
        ("Фролов", 7),
        ("Александров", 7),
        ("Дмитриев", 6),
        ("Королёв", 6),
        ("Гусев", 6),
        ("Киселёв", 6),
        ("Ильин", 6),
        ("Максимов", 6),
        ("Поляков", 6),
        ("Сорокин", 6),
        ("Виноградов", 6),
        ("Ковалёв", 6),
        ("Белов", 6),
        ("Медведев", 6),
        ("Антонов", 6),
        ("Тарасов", 5),
        ("Жуков", 5),
        ("Баранов", 5),
        ("Филиппов", 5),
        ("Комаров", 5),
        ("Давыдов", 5),
        ("Беляев", 5),
        ("Герасимов", 5),
        ("Богданов", 5),
        ("Осипов", 5),
        ("Сидоров", 5),
        ("Матвеев", 5),
        ("Титов", 5),
        ("Марков", 5),
        ("Миронов", 5),
        ("Крылов", 5),
        ("Куликов", 5),
        ("Карпов", 5),
        ("Власов", 5),
        ("Мельников", 5),
        ("Денисов", 5),
        ("Гаврилов", 4),
        ("Тихонов", 4),
        ("Казаков", 4),
        ("Афанасьев", 4),
        ("Данилов", 4),
        ("Савельев", 4),
        ("Тимофеев", 4),
        ("Фомин", 4),
        ("Чернов", 4),
        ("Абрамов", 4),
        ("Мартынов", 4),
        ("Ефимов", 4),
        ("Федотов", 4),
        ("Щербаков", 4),
        ("Назаров", 4),
        ("Калинин", 4),
        ("Исаев", 4),
        ("Чернышёв", 4),
        ("Быков", 4),
        ("Маслов", 4),
        ("Родионов", 4),
        ("Коновалов", 4),
        ("Лазарев", 4),
        ("Воронин", 4),
        ("Климов", 4),
        ("Филатов", 4),
        ("Пономарёв", 4),
        ("Голубев", 4),
        ("Кудрявцев", 4),
        ("Прохоров", 4),
        ("Наумов", 4),
        ("Потапов", 4),
        ("Журавлёв", 4),
        ("Овчинников", 4),
        ("Трофимов", 4),
        ("Леонов", 3),
        ("Соболев", 3),
        ("Ермаков", 3),
        ("Колесников", 3),
        ("Гончаров", 3),
        ("Емельянов", 3),
        ("Никифоров", 3),
        ("Грачёв", 3),
        ("Котов", 3),
        ("Гришин", 3),
        ("Ефремов", 3),
        ("Архипов", 3),
        ("Громов", 3),
        ("Кириллов", 3),
        ("Малышев", 3),
        ("Панов", 3),
        ("Моисеев", 3),
        ("Румянцев", 3),
        ("Акимов", 3),
        ("Кондратьев", 3),
        ("Бирюков", 3),
        ("Горбунов", 3),
        ("Анисимов", 3),
        ("Ерёмин", 3),
        ("Тихомиров", 3),
        ("Галкин", 3),
        ("Лукьянов", 3),
        ("Михеев", 3),
        ("Скворцов", 3),
        ("Юдин", 3),
        ("Белоусов", 3),
        ("Нестеров", 3),
        ("Симонов", 3),
        ("Прокофьев", 3),
        ("Харитонов", 3),
        ("Князев", 3),
        ("Цветков", 3),
        ("Левин", 3),
        ("Митрофанов", 3),
        ("Воронцов", 3),
        ("Щукин", 2),
        ("Хохлов", 2),
        ("Шубин", 2),
        ("Цыганов", 2),
        ("Шинкарёв", 2),
        ("Тарасенко", 4),
        ("Шевченко", 4),
        ("Бондаренко", 4),
        ("Коваленко", 4),
        ("Кравченко", 3),
        ("Ткаченко", 3),
        ("Литвиненко", 2),
        ("Руденко", 2),
        ("Мельниченко", 2),
        ("Савченко", 2),
        ("Ковальчук", 3),
        ("Полищук", 2),
        ("Мартынюк", 2),
        ("Климчук", 1),
        ("Бойко", 3),
        ("Кушнир", 1),
        ("Левченко", 2),
        ("Марченко", 2),
        ("Головко", 1),
        ("Петренко", 2),
        ("Новицкий", 2),
        ("Ковальский", 2),
        ("Заболоцкий", 1),
        ("Вишневский", 2),
        ("Соколовский", 1),
        ("Высоцкий", 1),
        ("Покровский", 1),
        ("Успенский", 1),
        ("Толстой", 1),
        ("Трубецкой", 1),
        ("Цой", 1),
        ("Ким", 2),
        ("Пак", 1),
        ("Ли", 1),
        ("Саркисян", 2),
        ("Петросян", 2),
        ("Аветисян", 1),
        ("Гогия", 1),
        ("Чхеидзе", 1),
        ("Абдуллаев", 2),
        ("Алиев", 2),
        ("Мамедов", 2),
        ("Гусейнов", 1),
        ("Хасанов", 2),
        ("Сафин", 2),
        ("Галиев", 1),
        ("Хабибуллин", 1),
        ("Зиннатуллин", 1),
        ("Шарипов", 1),
        ("Бабич", 1),
        ("Петрович", 1),
        ("Шостакович", 1),
        ("Черных", 2),
        ("Седых", 1),
        ("Долгих", 1),
        ("Белых", 1),
        ("Римский-Корсаков", 1),
        ("Мамин-Сибиряк", 1),
        ("Подъячев", 1),
        ("Объедков", 1),
        ("Синицын", 2),
        ("Лисицын", 1),
        ("Хабаров", 2),
        ("Юсупов", 2),
        ("Яшин", 2),
        ("Ющенко", 1),
        ("Щеглов", 1),
        ("Чижов", 2),
        ("Ксенофонтов", 1),
        ("Максимович", 1),
        ("Аксёнов", 2),
        ("Саксонов", 1),
    )
)
# Fathers' names: the older generation's first names.
FATHER_NAMES: tuple[tuple[str, float], ...] = (
    ("Александр", 70),
    ("Сергей", 60),
    ("Владимир", 60),
    ("Николай", 45),
    ("Виктор", 40),
    ("Юрий", 40),
    ("Анатолий", 30),
    ("Михаил", 35),
    ("Алексей", 30),
    ("Иван", 30),
    ("Валерий", 25),
    ("Андрей", 30),
    ("Евгений", 25),
    ("Игорь", 25),
    ("Василий", 20),
    ("Борис", 15),
    ("Геннадий", 15),
    ("Петр", 15),
    ("Дмитрий", 20),
    ("Олег", 15),
    ("Вячеслав", 12),
    ("Леонид", 12),
    ("Григорий", 10),
    ("Павел", 12),
    ("Фёдор", 8),
    ("Валентин", 8),
    ("Константин", 8),
    ("Аркадий", 6),
    ("Виталий", 8),
    ("Илья", 5),
    ("Никита", 3),
    ("Лев", 3),
    ("Яков", 3),
    ("Семён", 4),
    ("Эдуард", 5),
    ("Станислав", 5),
)
_PATRONYMIC_IRREGULAR = {
    "Илья": ("Ильич", "Ильинична"),
    "Никита": ("Никитич", "Никитична"),
    "Лев": ("Львович", "Львовна"),
    "Павел": ("Павлович", "Павловна"),
    "Пётр": ("Петрович", "Петровна"),
    "Петр": ("Петрович", "Петровна"),
    "Михаил": ("Михайлович", "Михайловна"),
    "Яков": ("Яковлевич", "Яковлевна"),
    "Дмитрий": ("Дмитриевич", "Дмитриевна"),
}
# Scheme shares among companies' mail admins (rough, and deliberately not the engine's seed).
SCHEME_SHARES: tuple[tuple[str, float], ...] = (
    ("icao_doc_9303", 22),
    ("mvd_310", 22),
    ("yandex_maps", 14),
    ("wikipedia", 10),
    ("bgn_pcgn", 6),
    ("mosmetro", 6),
    ("yandex_money", 5),
    ("gost_52535", 4),
    ("telegram", 4),
    ("gost_779_alt", 3),
    ("mvd_782", 2),
    ("scientific", 2),
)
PATTERN_SHARES: tuple[tuple[str, float], ...] = (
    ("{f}.{last}", 30),
    ("{first}.{last}", 22),
    ("{f}{last}", 9),
    ("{last}", 8),
    ("{first}_{last}", 4),
    ("{last}.{f}", 3),
    ("{first}", 3),
    ("{f}_{last}", 3),
    ("{first}{last}", 2),
    ("{last}_{f}", 2),
    ("{last}{f}", 2),
    ("{f}-{last}", 1),
    ("{first}-{last}", 1),
    ("{last}.{first}", 1),
    ("{f}{p}{last}", 2),
    ("{f}.{p}.{last}", 2),
    ("{last}{f}{p}", 2),
    ("{last}.{f}.{p}", 1),
    ("{first}.{l}", 1),
)
# Per-company and per-person rates of the generator (the benchmark's Bayes reference reads them).
KS_X_SHARE = 0.2  # companies writing «кс» as x
YO_SHARE = 0.25  # companies spelling ё their scheme's way
SECONDARY_PATTERN_COMPANIES = 0.12  # companies with a second pattern for part of the staff
SECONDARY_PATTERN_PEOPLE = 0.35  # share of their people on the second pattern
PERSONAL_SPELLING = 0.06  # people whose address follows their own passport spelling
PERSONAL_SCHEMES = ("icao_doc_9303", "mvd_310", "gost_52535", "wikipedia")
# Companies whose admin types names by ear, choosing each contested letter's spelling on its own
# (Yulia and Tatyana, Dmitriy and Sergey) instead of following one published scheme. The share
# and the per-rule rates are a judgement, argued in docs/address-inference.md.
BY_EAR_COMPANIES = 0.25
BY_EAR_RULES: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    ("ye", (("e", 75), ("ye", 25))),  # е at the start, after a vowel or ь/ъ: Evgeniy / Yevgeniy
    ("yo", (("e", 70), ("yo", 30))),  # ё: Semenov / Semyonov
    ("zh", (("zh", 95), ("j", 5))),
    ("y", (("y", 75), ("i", 20), ("j", 5))),  # й other than in -ий/-ый: Sergey / Sergei
    ("iy_end", (("iy", 45), ("y", 30), ("ii", 15), ("i", 5), ("ij", 5))),  # -ий: Dmitriy
    ("yi_end", (("y", 60), ("iy", 40))),  # -ый
    ("kh", (("kh", 65), ("h", 35))),  # х: Khabarov / Habarov
    ("ts", (("ts", 85), ("c", 10), ("tz", 5))),  # ц
    ("shch", (("sch", 55), ("shch", 40), ("sh", 5))),  # щ
    ("yu", (("yu", 85), ("iu", 10), ("ju", 5))),  # ю
    ("ya", (("ya", 80), ("ia", 15), ("ja", 5))),  # я
    ("iya_end", (("ia", 60), ("iya", 35), ("iia", 5))),  # -ия: Yulia, Maria / Yuliya
    ("ya_soft", (("ya", 60), ("ia", 40))),  # ья: Natalya / Natalia, Darya / Daria
    ("ks", (("ks", 80), ("x", 20))),  # кс: Aleksey / Alexey
)
_BY_EAR_PLAIN = {
    **dict(zip("абвгдезиклмнопрстуфыэ", "abvgdeziklmnoprstufye", strict=True)),
    "ч": "ch",
    "ш": "sh",
}
_VOWELS = set("аеёиоуыэюя")

ROLE_LOCALS = (
    "info",
    "sales",
    "zakupki",
    "buh",
    "office",
    "support",
    "hr",
    "secretary",
    "tender",
    "opt",
)
_NICKNAMES = {
    "Александр": ("alex", "sasha", "alexander"),
    "Дмитрий": ("dima", "dmitry"),
    "Сергей": ("serg", "sergio"),
    "Михаил": ("misha", "mike"),
    "Екатерина": ("katya", "kate"),
    "Евгений": ("eugene", "zhenya"),
    "Алексей": ("lesha", "alex"),
    "Анастасия": ("nastya",),
    "Мария": ("masha", "mary"),
    "Наталья": ("natasha",),
    "Павел": ("paul", "pasha"),
    "Юлия": ("julia", "yulya"),
    "Ольга": ("olya",),
    "Елена": ("lena", "helen"),
}
_CYR = re.compile(r"[а-яё]", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Person:
    last: str
    first: str
    patronymic: str
    gender: str

    def written(self, style: str) -> str:
        if style == "LFP":
            return f"{self.last} {self.first} {self.patronymic}"
        if style == "FL":
            return f"{self.first} {self.last}"
        if style == "LF":
            return f"{self.last} {self.first}"
        if style == "L_init":
            return f"{self.last} {self.first[0]}.{self.patronymic[0]}."
        if style == "FPL":
            return f"{self.first} {self.patronymic} {self.last}"
        raise ValueError(style)


@dataclass
class SyntheticCompany:
    domain: str
    pattern: str
    scheme: str
    ks_x: bool
    yo: bool
    secondary_pattern: str | None
    by_ear: dict[str, str] | None = None  # rule → spelling, for an admin typing by ear
    known: list[tuple[str, str, str]] = field(default_factory=list)  # (domain, full_name, email)
    held_out: list[tuple[str, str, str]] = field(default_factory=list)
    known_people: int = 0  # person addresses among ``known`` (roles excluded)


def feminine_surname(last: str) -> str:
    """Иванов → Иванова, Новицкий → Новицкая, Толстой → Толстая; Тарасенко, Цой stay."""
    parts = last.split("-")
    out = []
    for part in parts:
        if re.search(r"(ов|ев|ёв|ин|ын)$", part) and part not in {"Кушнир"}:
            out.append(part + "а")
        elif re.search(r"(ский|цкий)$", part) or (part.endswith("ой") and len(part) > 3):
            out.append(part[:-2] + "ая")
        else:
            out.append(part)
    return "-".join(out)


def patronymic(father: str, gender: str) -> str:
    """Андрей → Андреевич/Андреевна, Юрий → Юрьевич, Илья → Ильич, Игорь → Игоревич."""
    if father in _PATRONYMIC_IRREGULAR:
        male, female = _PATRONYMIC_IRREGULAR[father]
        return male if gender == "m" else female
    if father.endswith("ий"):
        stem = father[:-2] + "ь"
        return stem + ("евич" if gender == "m" else "евна")
    if father.endswith(("ей", "ай")):
        stem = father[:-1]
        return stem + ("евич" if gender == "m" else "евна")
    if father.endswith("ь"):
        stem = father[:-1]
        return stem + ("евич" if gender == "m" else "евна")
    return father + ("ович" if gender == "m" else "овна")


def _pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    names = [n for n, _ in table]
    weights = [w for _, w in table]
    return rng.choices(names, weights)[0]


def random_person(rng: random.Random) -> Person:
    gender = "m" if rng.random() < 0.55 else "f"
    first = _pick(rng, MALE_NAMES if gender == "m" else FEMALE_NAMES)
    last = _pick(rng, SURNAMES)
    if gender == "f":
        last = feminine_surname(last)
    return Person(last, first, patronymic(_pick(rng, FATHER_NAMES), gender), gender)


def _az(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().replace("ё", "e"))
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)))


def spell(word: str, scheme: str, ks_x: bool, yo: bool) -> str:
    """One word as the company's mail admin writes it (iuliia plus the two habits)."""
    low = word.lower()
    if not yo:
        low = low.replace("ё", "е")
    if ks_x:
        low = low.replace("кс", "x")
    schema = iuliia.schemas.get(scheme)
    return _az("".join(schema.translate(part) for part in low.split("-")))


def spell_by_ear(word: str, choices: dict[str, str]) -> str:
    """One word as an admin typing by ear writes it: each contested letter their own way."""
    out = []
    for part in word.lower().split("-"):
        i, n = 0, len(part)
        while i < n:
            cur, nxt = part[i], part[i + 1 : i + 2]
            prev = part[i - 1] if i else ""
            end = i + 2 == n
            if cur == "к" and nxt == "с":
                out.append(choices["ks"])
                i += 2
                continue
            if cur in "иы" and nxt == "й" and end:
                out.append(choices["iy_end" if cur == "и" else "yi_end"])
                i += 2
                continue
            if cur in "ьъ" and nxt == "я":
                out.append(choices["ya_soft"])
                i += 2
                continue
            if cur in "ьъ":
                i += 1
                continue
            if cur == "я" and prev == "и" and i + 1 == n:
                out.append(choices["iya_end"][1:])  # the и is already written
                i += 1
                continue
            if cur == "е":
                soft = not prev or prev in _VOWELS or prev in "ьъ"
                out.append(choices["ye"] if soft else "e")
            elif cur == "ё":
                out.append(choices["yo"])
            else:
                rule = {"ж": "zh", "й": "y", "х": "kh", "ц": "ts", "щ": "shch", "ю": "yu"}.get(cur)
                if cur == "я":
                    rule = "ya"
                out.append(choices[rule] if rule else _BY_EAR_PLAIN.get(cur, cur))
            i += 1
    return _az("".join(out))


def _by_ear_choices(rng: random.Random) -> dict[str, str]:
    return {rule: _pick(rng, options) for rule, options in BY_EAR_RULES}


def _spell(word: str, scheme: str, ks_x: bool, yo: bool, by_ear: dict[str, str] | None) -> str:
    return spell_by_ear(word, by_ear) if by_ear else spell(word, scheme, ks_x, yo)


def render(
    person: Person,
    pattern: str,
    scheme: str,
    ks_x: bool,
    yo: bool,
    by_ear: dict[str, str] | None = None,
) -> str:
    first = _spell(person.first, scheme, ks_x, yo, by_ear)
    last = _spell(person.last, scheme, ks_x, yo, by_ear)
    patr = _spell(person.patronymic, scheme, ks_x, yo, by_ear)
    return pattern.format(first=first, f=first[0], last=last, l=last[0], patr=patr, p=patr[0])


def _name_style(rng: random.Random) -> str:
    return rng.choices(["LFP", "FL", "LF", "L_init", "FPL"], [45, 25, 15, 10, 5])[0]


def _latin_name(
    person: Person, scheme: str, ks_x: bool, yo: bool, style: str, by_ear: dict[str, str] | None
) -> str:
    first = _spell(person.first, scheme, ks_x, yo, by_ear).capitalize()
    last = _spell(person.last, scheme, ks_x, yo, by_ear).capitalize()
    return f"{first} {last}" if style != "LF" else f"{last} {first}"


def generate_companies(
    n: int, *, seed: int = 0, held_out: int = 2, known_sizes: tuple[int, ...] | None = None
) -> list[SyntheticCompany]:
    """``n`` companies; ``held_out`` extra people per company carry the answers to check."""
    rng = random.Random(seed)
    companies = []
    for i in range(n):
        if known_sizes is not None:
            n_known = known_sizes[i % len(known_sizes)]
        else:
            n_known = rng.choices(
                [0, 1, 2, 3, 4, 5, 6, 8, 10, 14], [4, 22, 18, 12, 10, 8, 10, 8, 7, 5]
            )[0]
        pattern = _pick(rng, PATTERN_SHARES)
        secondary = (
            _pick(rng, PATTERN_SHARES) if rng.random() < SECONDARY_PATTERN_COMPANIES else None
        )
        if secondary == pattern:
            secondary = None
        scheme = _pick(rng, SCHEME_SHARES)
        ks_x = rng.random() < KS_X_SHARE
        yo = rng.random() < YO_SHARE
        collision_style = rng.choice(["digit", "patronymic"])
        # Its own stream, so that the rest of the register is drawn as without by-ear typists.
        ear_rng = random.Random(f"{seed}-{i}-by-ear")
        by_ear = _by_ear_choices(ear_rng) if ear_rng.random() < BY_EAR_COMPANIES else None
        company = SyntheticCompany(
            domain=f"firm{seed}-{i}.ru",
            pattern=pattern,
            scheme=scheme,
            ks_x=ks_x,
            yo=yo,
            secondary_pattern=secondary,
            by_ear=by_ear,
        )
        taken: dict[str, Person] = {}
        people: list[tuple[Person, str]] = []
        for _ in range(n_known + held_out):
            person = random_person(rng)
            if people and rng.random() < 0.04:
                # A namesake of a colleague (same surname and first name, another patronymic).
                other = rng.choice(people)[0]
                person = Person(
                    other.last,
                    other.first,
                    patronymic(_pick(rng, FATHER_NAMES), other.gender),
                    other.gender,
                )
            p_pattern = (
                secondary if secondary and rng.random() < SECONDARY_PATTERN_PEOPLE else pattern
            )
            p_scheme, p_ks, p_yo, p_ear = scheme, ks_x, yo, by_ear
            if rng.random() < PERSONAL_SPELLING:  # their address follows their passport spelling
                p_scheme = rng.choice(PERSONAL_SCHEMES)
                p_ks = False
                p_ear = None
            local = render(person, p_pattern, p_scheme, p_ks, p_yo, p_ear)
            if person.first in _NICKNAMES and rng.random() < 0.08:  # a nickname no rule explains
                nick = rng.choice(_NICKNAMES[person.first])
                local = f"{nick}.{_spell(person.last, scheme, ks_x, yo, by_ear)}"
            if local in taken:
                # The patronymic initial tells namesakes apart only where the pattern does not
                # carry it already (no mail system writes fedorov.a.a.a); there a digit does.
                if (
                    collision_style == "patronymic"
                    and "{f}" in p_pattern
                    and "{p}" not in p_pattern
                ):
                    seps = [c for c in "._-" if c in p_pattern]
                    sep = seps[0] if seps else ""
                    with_p = p_pattern.replace("{f}", "{f}" + sep + "{p}", 1)
                    local = render(person, with_p, p_scheme, p_ks, p_yo, p_ear)
                base = local
                suffix = 2
                while local in taken:
                    local = f"{base}{suffix}"
                    suffix += 1
            taken[local] = person
            people.append((person, local))
        known_people = 0
        for j, (person, local) in enumerate(people):
            style = _name_style(rng)
            name = person.written(style)
            if rng.random() < 0.03:
                name = _latin_name(person, scheme, ks_x, yo, style, by_ear)
            row = (company.domain, name, f"{local}@{company.domain}")
            if j < n_known:
                company.known.append(row)
                known_people += 1
            else:
                company.held_out.append(row)
        for _ in range(rng.choices([0, 1, 2, 3], [40, 35, 15, 10])[0]):
            role = rng.choice(ROLE_LOCALS)
            holder = random_person(rng)
            label = holder.written("LFP") if rng.random() < 0.5 else "Отдел продаж"
            company.known.append((company.domain, label, f"{role}@{company.domain}"))
        rng.shuffle(company.known)
        company.known_people = known_people
        companies.append(company)
    return companies


__all__ = [
    "BY_EAR_COMPANIES",
    "BY_EAR_RULES",
    "FATHER_NAMES",
    "FEMALE_NAMES",
    "KS_X_SHARE",
    "MALE_NAMES",
    "PATTERN_SHARES",
    "PERSONAL_SCHEMES",
    "PERSONAL_SPELLING",
    "SCHEME_SHARES",
    "SECONDARY_PATTERN_COMPANIES",
    "SECONDARY_PATTERN_PEOPLE",
    "SURNAMES",
    "YO_SHARE",
    "Person",
    "SyntheticCompany",
    "feminine_surname",
    "generate_companies",
    "patronymic",
    "random_person",
    "render",
    "spell",
    "spell_by_ear",
]
