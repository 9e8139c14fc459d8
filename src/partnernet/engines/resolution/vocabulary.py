"""English words of IT company names and the Russian words they translate.

English-language partner lists often *translate* a Russian company name instead of
transliterating it: «Волжские цифровые технологии» becomes "Volga Digital Technologies".
Cognates need nothing here (the Latin key already folds "Technologies" and «Технологии»
together); this table covers the words whose English and Russian forms differ. It is general
vocabulary of the trade, kept short on purpose: a word missing here only costs a weaker name
score, a wrong entry would join unrelated names.
"""

from __future__ import annotations

from functools import lru_cache

from partnernet.engines.names.translit import latin_key

# English word -> the Russian word it translates in company names.
ENGLISH_RUSSIAN: tuple[tuple[str, str], ...] = (
    ("digital", "цифровые"),
    ("solutions", "решения"),
    ("solution", "решение"),
    ("networks", "сети"),
    ("network", "сеть"),
    ("security", "безопасность"),
    ("secure", "безопасность"),
    ("protection", "защита"),
    ("corporate", "корпоративные"),
    ("enterprise", "корпоративные"),
    ("engineering", "инженерные"),
    ("computer", "компьютерные"),
    ("computers", "компьютеры"),
    ("communications", "коммуникации"),
    ("communication", "связь"),
    ("software", "софт"),
    ("management", "управление"),
    ("industrial", "промышленные"),
    ("automation", "автоматизация"),
    ("trade", "торговый"),
    ("trading", "торговый"),
    ("house", "дом"),
    ("new", "новые"),
    ("smart", "умные"),
    ("north", "северные"),
    ("northern", "северные"),
    ("south", "южные"),
    ("southern", "южные"),
    ("east", "восточные"),
    ("eastern", "восточные"),
    ("west", "западные"),
    ("western", "западные"),
    ("central", "центральные"),
    ("volga", "волжские"),
    ("siberian", "сибирские"),
    ("siberia", "сибирь"),
    ("ural", "уральские"),
    ("urals", "уральские"),
    ("moscow", "московские"),
    ("petersburg", "петербургские"),
    ("baltic", "балтийские"),
    ("caspian", "каспийские"),
    ("development", "развитие"),
    ("research", "исследования"),
    ("storage", "хранение"),
    ("cloud", "облачные"),
    ("clouds", "облака"),
    ("data", "данные"),
    ("power", "энергия"),
    ("energy", "энергия"),
    ("science", "наука"),
    ("scientific", "научные"),
    ("education", "образование"),
    ("learning", "обучение"),
    ("vision", "видение"),
    ("reliable", "надёжные"),
    ("leading", "ведущие"),
    ("first", "первый"),
    ("unified", "единые"),
    ("united", "объединённые"),
    ("agency", "агентство"),
    ("bureau", "бюро"),
    ("business", "бизнес"),
    ("plus", "плюс"),
    ("leader", "лидер"),
    ("horizon", "горизонт"),
    ("capital", "столичные"),
    ("russian", "российские"),
    ("pacific", "тихоокеанские"),
    ("caucasus", "кавказские"),
    ("caucasian", "кавказские"),
    ("eurasian", "евразийские"),
    ("belarusian", "белорусские"),
    # "IT", «ИТ» and «АйТи» are one word; "Information Technologies" folds into it too
    # (``features.name_parts``).
    ("it", "айти"),
)


@lru_cache(maxsize=1)
def translations() -> dict[str, str]:
    """Latin key of the English word -> Latin key of the Russian one."""
    out: dict[str, str] = {}
    for english, russian in ENGLISH_RUSSIAN:
        en, ru = latin_key(english), latin_key(russian)
        if en and ru and " " not in en and " " not in ru:
            out.setdefault(en, ru)
    return out


def translate(token: str) -> str:
    """The Russian word's key for an English word's key; other tokens unchanged.

    >>> translate(latin_key("Digital")) == latin_key("Цифровые")
    True
    >>> translate("sistem")
    'sistem'
    """
    return translations().get(token, token)
