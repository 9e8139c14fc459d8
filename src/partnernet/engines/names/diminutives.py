"""Everyday short forms of Russian first names: "Саша" is Александр or Александра.

Contact lists and auto-replies name people the way colleagues call them ("обращайтесь к Саше
Петрову"), registers the way the passport does. The table holds the common, unambiguous-enough
short forms (the ones a Russian speaker reads as that name without context); affectionate and
rare forms are left out, since each entry here can join two records. Keys and forms are lower
case with ё written as е, as in a person's name key.

>>> sorted(full_forms("Саша"))
['александр', 'александра', 'саша']
>>> same_first_name("Дима", "Дмитрий"), same_first_name("Дима", "Вадим")
(True, False)
"""

from __future__ import annotations

from functools import lru_cache

_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "александр": ("саша", "шура", "саня"),
    "александра": ("саша", "шура"),
    "алексей": ("алеша", "леша"),
    "анастасия": ("настя",),
    "анатолий": ("толя",),
    "андрей": ("андрюша",),
    "анна": ("аня",),
    "антон": ("тоша",),
    "артем": ("тема",),
    "борис": ("боря",),
    "валентин": ("валя",),
    "валентина": ("валя",),
    "валерий": ("валера",),
    "василий": ("вася",),
    "виктор": ("витя",),
    "виктория": ("вика",),
    "владимир": ("вова", "володя"),
    "владислав": ("влад",),
    "вячеслав": ("слава",),
    "галина": ("галя",),
    "геннадий": ("гена",),
    "георгий": ("жора", "гоша"),
    "григорий": ("гриша",),
    "дарья": ("даша",),
    "дмитрий": ("дима",),
    "евгений": ("женя",),
    "евгения": ("женя",),
    "екатерина": ("катя",),
    "елена": ("лена",),
    "елизавета": ("лиза",),
    "иван": ("ваня",),
    "илья": ("илюша",),
    "ирина": ("ира",),
    "константин": ("костя",),
    "ксения": ("ксюша",),
    "леонид": ("леня",),
    "любовь": ("люба",),
    "людмила": ("люда", "мила"),
    "максим": ("макс",),
    "маргарита": ("рита",),
    "мария": ("маша",),
    "михаил": ("миша",),
    "надежда": ("надя",),
    "наталья": ("наташа",),
    "наталия": ("наташа",),
    "николай": ("коля",),
    "ольга": ("оля",),
    "павел": ("паша",),
    "петр": ("петя",),
    "роман": ("рома",),
    "светлана": ("света",),
    "семен": ("сеня",),
    "сергей": ("сережа",),
    "станислав": ("стас",),
    "степан": ("степа",),
    "татьяна": ("таня",),
    "тимофей": ("тима",),
    "федор": ("федя",),
    "юлия": ("юля",),
    "юрий": ("юра",),
    "ярослав": ("слава",),
}


def _key(name: str) -> str:
    return name.strip().lower().replace("ё", "е")


@lru_cache(maxsize=1)
def _full_by_short() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for full, shorts in _SHORT_FORMS.items():
        for short in shorts:
            found.setdefault(short, set()).add(full)
    return {short: frozenset(fulls) for short, fulls in found.items()}


def full_forms(first_name: str) -> frozenset[str]:
    """The name itself and the full names it is a short form of (lower case, ё as е)."""
    key = _key(first_name)
    return frozenset({key}) | _full_by_short().get(key, frozenset())


def same_first_name(a: str, b: str) -> bool:
    """Whether two first names can name the same person: equal, or one a short form of the
    other, or both short forms of one name ("Слава" and "Вячеслав"; "Слава" and "Ярослав")."""
    return bool(full_forms(a) & full_forms(b))


__all__ = ["full_forms", "same_first_name"]
