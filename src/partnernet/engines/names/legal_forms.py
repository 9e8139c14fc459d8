"""Legal forms in company names: find them wherever they stand and split them off.

Partner lists write one company as «ООО "Ромашка"», "Ромашка, ООО", "ROMASHKA LLC",
"Общество с ограниченной ответственностью «Ромашка»" or "OOO Romashka". :func:`split_legal_form`
returns the name without the legal form and without quotes (``core``, original case) and
the legal form as a canonical code (``legal_form``) with its full name (``legal_form_full``).

How a legal form is found:

1. quotes of every kind are removed: «» „“ “” "" ‹› and '' / ‘’ where they stand at a
   word boundary (an apostrophe inside a word, as in O'Neil, stays). Nested quotes
   («ООО «Ромашка»») are no problem: every quote character goes;
2. abbreviations as whole words at the start or at the end of the name, repeatedly
   (ООО, АО, ПАО, ЗАО, ОАО, НАО, ИП, ТОО, ЧУП, ОДО, УП, LLC, Ltd, JSC, GmbH…, and the
   Kazakh- and Belarusian-language ЖШС, АҚ, ТАА, ААТ, ЗАТ as their Russian codes), with or
   without dots ("О.О.О.", "L.L.C.", "Ltd."), in Latin transliteration ("OOO", "ZAO")
   and with Latin look-alike letters typed for Cyrillic ones ("OOO" with Latin O's);
   English forms (Ltd, Inc, GmbH, AG, plc, Corp) at the end, or at the start when
   written with a dot or followed by a quoted name ("Ltd. Ромашка", "Ltd «Ромашка»": the
   word order of translated Russian lists); the Latin "IP"/"IE" (ИП) only next to a
   person's name ("IP Baranov M.M.", "Guseva Yu.P., IE");
3. if no abbreviation stands at an edge: a full form ("Общество с ограниченной
   ответственностью", "Закрытое акционерное общество", "Limited Liability Company"…)
   anywhere in the name, any case, ``ё``/``е`` alike.

Abbreviations in the *middle* of a name are left alone ("Группа АО Плюс" is a name).
A branch qualifier ("…, филиал в г. Казани", "… (Kazan branch)", "Филиал … в г. Казани")
is cut off the core too and returned as ``branch`` (see :func:`split_branch`): a branch
is the same legal entity. A name that is only a legal form ("ООО") has the core ``''``.
When a name carries two legal forms the first found wins (edges before full phrases).

>>> split_legal_form('ООО «Ромашка»')  # doctest: +NORMALIZE_WHITESPACE
ParsedName(core='Ромашка', legal_form='ООО',
           legal_form_full='Общество с ограниченной ответственностью', branch=None)
>>> split_legal_form('ИНФОСИСТЕМЫ ДЖЕТ, АО').core
'ИНФОСИСТЕМЫ ДЖЕТ'
>>> split_legal_form('ROMASHKA LLC').legal_form
'LLC'
>>> split_legal_form('Общество с ограниченной ответственностью "Ромашка"').legal_form
'ООО'
>>> split_legal_form('ЗАО „Лютик“').core
'Лютик'
>>> split_legal_form('«ООО «Ромашка»»').core
'Ромашка'
>>> split_legal_form('ООО').core
''
>>> split_legal_form('Ромашка').legal_form is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class LegalForm:
    """One legal form: canonical ``code``, full name, the abbreviations and full phrases
    that denote it, and ``family`` — the code of the Russian form it corresponds to
    (LLC and ТОО and ОДО are all limited-liability companies: family 'ООО')."""

    code: str
    full: str
    family: str
    abbreviations: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    # English forms that only ever follow the name ("Acme GmbH"); at the start of a name
    # "AG" or "Limited" is more likely a word of the name.
    trailing_only: bool = False


LEGAL_FORMS: tuple[LegalForm, ...] = (
    LegalForm(
        "ООО",
        "Общество с ограниченной ответственностью",
        "ООО",
        ("ООО", "OOO", "О.О.О.", "ТАА"),  # ТАА: the Belarusian-language form
        ("общество с ограниченной ответственностью",),
    ),
    LegalForm(
        "ПАО",
        "Публичное акционерное общество",
        "ПАО",
        ("ПАО", "PAO"),
        ("публичное акционерное общество",),
    ),
    LegalForm(
        "НАО",
        "Непубличное акционерное общество",
        "АО",
        ("НАО", "NAO"),
        ("непубличное акционерное общество",),
    ),
    LegalForm(
        "ЗАО",
        "Закрытое акционерное общество",
        "АО",
        ("ЗАО", "ZAO", "ЗАТ"),
        ("закрытое акционерное общество",),
    ),
    LegalForm(
        "ОАО",
        "Открытое акционерное общество",
        "ПАО",
        ("ОАО", "OAO", "ААТ"),
        ("открытое акционерное общество",),
    ),
    LegalForm(
        "АО", "Акционерное общество", "АО", ("АО", "AO", "АҚ"), ("акционерное общество",)
    ),  # АҚ: the Kazakh-language form
    LegalForm(
        "ИП",
        "Индивидуальный предприниматель",
        "ИП",
        # not the Kazakh "ЖК": in Russian it is a residential complex ("ЖК «Солнечный»")
        ("ИП", "ПБОЮЛ"),
        (
            "индивидуальный предприниматель",
            "предприниматель без образования юридического лица",
            "individual entrepreneur",
            "sole proprietor",
        ),
    ),
    LegalForm(
        "ТОО",
        "Товарищество с ограниченной ответственностью",
        "ООО",
        ("ТОО", "TOO", "ЖШС"),  # ЖШС: the Kazakh-language form
        ("товарищество с ограниченной ответственностью",),
    ),
    LegalForm(
        "ОДО",
        "Общество с дополнительной ответственностью",
        "ООО",
        ("ОДО", "ODO"),
        ("общество с дополнительной ответственностью",),
    ),
    LegalForm(
        "ИООО",
        "Иностранное общество с ограниченной ответственностью",
        "ООО",
        ("ИООО",),
        ("иностранное общество с ограниченной ответственностью",),
    ),
    LegalForm(
        "СООО",
        "Совместное общество с ограниченной ответственностью",
        "ООО",
        ("СООО",),
        ("совместное общество с ограниченной ответственностью",),
    ),
    LegalForm(
        "ЧТУП",
        "Частное торговое унитарное предприятие",
        "УП",
        ("ЧТУП",),
        ("частное торговое унитарное предприятие",),
    ),
    LegalForm(
        "ЧПУП",
        "Частное производственное унитарное предприятие",
        "УП",
        ("ЧПУП",),
        ("частное производственное унитарное предприятие",),
    ),
    LegalForm(
        "ЧУП",
        "Частное унитарное предприятие",
        "УП",
        ("ЧУП", "CHUP"),
        ("частное унитарное предприятие",),
    ),
    LegalForm(
        "ФГУП",
        "Федеральное государственное унитарное предприятие",
        "УП",
        ("ФГУП",),
        ("федеральное государственное унитарное предприятие",),
    ),
    LegalForm(
        "ГУП",
        "Государственное унитарное предприятие",
        "УП",
        ("ГУП",),
        ("государственное унитарное предприятие",),
    ),
    LegalForm(
        "МУП",
        "Муниципальное унитарное предприятие",
        "УП",
        ("МУП",),
        ("муниципальное унитарное предприятие",),
    ),
    LegalForm(
        "РУП",
        "Республиканское унитарное предприятие",
        "УП",
        ("РУП",),
        ("республиканское унитарное предприятие",),
    ),
    LegalForm("УП", "Унитарное предприятие", "УП", ("УП",), ("унитарное предприятие",)),
    LegalForm(
        "АНО",
        "Автономная некоммерческая организация",
        "АНО",
        ("АНО",),
        ("автономная некоммерческая организация",),
    ),
    LegalForm(
        "PJSC",
        "Public Joint Stock Company",
        "ПАО",
        ("PJSC",),
        ("public joint stock company", "public joint-stock company"),
    ),
    LegalForm(
        "CJSC",
        "Closed Joint Stock Company",
        "АО",
        ("CJSC",),
        ("closed joint stock company", "closed joint-stock company"),
    ),
    LegalForm(
        "OJSC",
        "Open Joint Stock Company",
        "ПАО",
        ("OJSC",),
        ("open joint stock company", "open joint-stock company"),
    ),
    LegalForm(
        "JSC",
        "Joint Stock Company",
        "АО",
        ("JSC", "JSCo"),
        ("joint stock company", "joint-stock company"),
    ),
    LegalForm(
        "LLC",
        "Limited Liability Company",
        "ООО",
        ("LLC", "L.L.C.", "LTD.LIAB.CO"),
        ("limited liability company",),
    ),
    LegalForm(
        "LLP",
        "Limited Liability Partnership",
        "ООО",
        ("LLP",),
        ("limited liability partnership",),
    ),
    LegalForm("LTD", "Limited", "ООО", ("LTD", "Limited", "Co.Ltd", "CoLtd"), (), True),
    LegalForm("PLC", "Public Limited Company", "ПАО", ("PLC",), ("public limited company",), True),
    LegalForm("INC", "Incorporated", "АО", ("Inc", "Incorporated"), (), True),
    LegalForm("CORP", "Corporation", "АО", ("Corp", "Corporation"), (), True),
    LegalForm(
        "GMBH",
        "Gesellschaft mit beschränkter Haftung",
        "ООО",
        ("GmbH",),
        ("gesellschaft mit beschränkter haftung",),
        True,
    ),
    LegalForm("AG", "Aktiengesellschaft", "АО", ("AG",), ("aktiengesellschaft",), True),
)

BY_CODE: dict[str, LegalForm] = {form.code: form for form in LEGAL_FORMS}

# Latin letters that look like Cyrillic ones; "OOO" typed with Latin O's is still ООО.
_LOOKALIKE = str.maketrans("aoepcxkmthbyAOEPCXKMTHBY", "аоерсхкмтнвуАОЕРСХКМТНВУ")
_QUOTES = '«»„“”"‹›〝〞＂'
_QUOTE_BETWEEN_WORDS = re.compile(rf"(?<=\w)[{_QUOTES}]+(?=\w)")
_QUOTE = re.compile(rf"[{_QUOTES}]")
# '' ‘’ ‚ and ` are quotes only at a word boundary; inside a word they are apostrophes.
_SINGLE_QUOTE = re.compile(r"(?<!\w)['‘’‚`]+|['‘’‚`]+(?!\w)")
_EDGE_PUNCT = " \t\r\n,;:-–—/|."


# Every full phrase contains one of these stems; names without them skip the big regex.
_PHRASE_HINT = re.compile(
    r"обществ|предпр|товарищ|организац|company|partnership|gesellschaft|entrepreneur|proprietor",
    re.IGNORECASE,
)


def _abbr_key(word: str) -> str:
    return re.sub(r"[.\s]", "", word).casefold().replace("ё", "е")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, LegalForm], re.Pattern[str], dict[str, LegalForm]]:
    abbreviations: dict[str, LegalForm] = {}
    phrases: dict[str, LegalForm] = {}
    for form in LEGAL_FORMS:
        for abbr in form.abbreviations:
            abbreviations.setdefault(_abbr_key(abbr), form)
        for phrase in form.phrases:
            phrases[phrase] = form
    # Longest phrase first so "закрытое акционерное общество" beats "акционерное общество".
    ordered = sorted(phrases, key=len, reverse=True)
    pattern = "|".join(r"\s+".join(map(re.escape, p.split())) for p in ordered)
    phrase_re = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.IGNORECASE)
    return abbreviations, phrase_re, phrases


def find_abbreviation(word: str) -> LegalForm | None:
    """The legal form a single word abbreviates ("ООО", "O.O.O.", "Ltd.", "OOO"), or None."""
    abbreviations = _tables()[0]
    key = _abbr_key(word.strip(_EDGE_PUNCT + _QUOTES + "()[]"))
    if not key:
        return None
    form = abbreviations.get(key)
    if (form is None and key.isascii() and key.isalpha()) or form is None:
        form = abbreviations.get(key.translate(_LOOKALIKE))
    return form


@dataclass(frozen=True)
class ParsedName:
    """A company name split into its core and its legal form."""

    core: str
    legal_form: str | None
    legal_form_full: str | None
    # A branch qualifier cut off the name ("филиал в г. Казани", "Kazan branch"), or None.
    branch: str | None = None

    @property
    def family(self) -> str | None:
        """The Russian legal form this one corresponds to (LLC → ООО, JSC → АО)."""
        return BY_CODE[self.legal_form].family if self.legal_form else None


def strip_quotes(text: str) -> str:
    """Remove every quote character; a quote between two letters becomes a space."""
    text = _QUOTE_BETWEEN_WORDS.sub(" ", text)
    text = _QUOTE.sub("", text)
    return _SINGLE_QUOTE.sub("", text)


_INITIALS = re.compile(r"^[^\W\d_]{1,2}\.(?:[^\W\d_]{1,2}\.?)?$")
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ichna|вич|вна|ична)$", re.IGNORECASE)
_IP = BY_CODE["ИП"]
# "IP" (transliterated ИП) and "IE" (individual entrepreneur) are also ordinary words and
# acronyms ("IP Telecom"), so they count only next to a person's name.
_IP_LATIN = frozenset({"ip", "ie"})


def _looks_like_person(words: list[str]) -> bool:
    """ "Baranov M.M.", "Zakharova Yuliya Igorevna": 2-3 words with initials or a patronymic."""
    words = [w.strip(",;") for w in words]
    if not 2 <= len(words) <= 3:
        return False
    return any(_INITIALS.match(w) for w in words[1:]) or bool(_PATRONYMIC.search(words[-1]))


def _strip_edges(words: list[str], quoted_after_first: bool = False) -> LegalForm | None:
    """Pop legal-form abbreviations off both ends of ``words``; the first one found.

    English forms normally follow the name, but translated Russian lists also put them
    first when the name is quoted ("Ltd. «Ромашка»"), so they count at the start then.
    The Latin "IP" (ИП) counts only next to a person's name ("IP Baranov M.M.").
    """
    found: LegalForm | None = None
    while words:
        head = words[0].strip(_EDGE_PUNCT + "()[]")
        first = find_abbreviation(words[0])
        if first is None and head.casefold() in _IP_LATIN and _looks_like_person(words[1:]):
            first = _IP
        leading_ok = quoted_after_first or words[0].endswith(".")
        if first is not None and head and (not first.trailing_only or leading_ok):
            found = found or first
            words.pop(0)
            quoted_after_first = False
            continue
        quoted_after_first = False
        tail = words[-1].strip(_EDGE_PUNCT + "()[]")
        last = find_abbreviation(words[-1])
        if last is None and tail.casefold() in _IP_LATIN and _looks_like_person(words[:-1]):
            last = _IP
        if last is not None and tail:
            found = found or last
            words.pop()
            # "Softline Co., Ltd.": the "Co." belongs to the legal form.
            if words and _abbr_key(words[-1].strip(_EDGE_PUNCT)) == "co":
                words.pop()
            continue
        break
    return found


_FIRST_WORD_QUOTED = re.compile(rf"^\s*[^\s{_QUOTES}]+\s*[{_QUOTES}']")


def _balance(core: str) -> str:
    """Drop brackets left unpaired at the edges once a legal form was cut out."""
    while (
        core
        and core[0] in "(["
        and core.count(core[0]) > core.count(")" if core[0] == "(" else "]")
    ):
        core = core[1:].strip(_EDGE_PUNCT)
    while (
        core
        and core[-1] in ")]"
        and core.count(core[-1]) > core.count("(" if core[-1] == ")" else "[")
    ):
        core = core[:-1].strip(_EDGE_PUNCT)
    return core


_BRANCH_WORDS = (
    r"(?:филиал\w*|представительств\w*|обособленное\s+подразделение|отделение|"
    r"branch(?:\s+office)?|representative\s+office|rep\.\s+office)"
)
_BRANCH_PARENS = re.compile(rf"\s*\(([^()]*\b{_BRANCH_WORDS}\b[^()]*)\)\s*$", re.IGNORECASE)
_BRANCH_TAIL = re.compile(rf"\s*[,;–—-]\s*({_BRANCH_WORDS}\b.*)$", re.IGNORECASE)
_BRANCH_HEAD = re.compile(
    rf"^\s*({_BRANCH_WORDS}(?:\s+of)?)\s+(.+?)(\s+(?:в|in)\s+(?:г\.\s*|городе\s+)?[^\s,«»\"]+)?$",
    re.IGNORECASE,
)


def split_branch(name: str) -> tuple[str, str | None]:
    """Cut a branch qualifier off a company name: (name, qualifier or None).

    >>> split_branch('ООО «Ромашка», филиал в г. Казани')
    ('ООО «Ромашка»', 'филиал в г. Казани')
    >>> split_branch('LLC «Romashka» (Kazan branch)')
    ('LLC «Romashka»', 'Kazan branch')
    >>> split_branch('Филиал ООО «Ромашка» в г. Казани')
    ('ООО «Ромашка»', 'Филиал в г. Казани')
    """
    for pattern in (_BRANCH_PARENS, _BRANCH_TAIL):
        match = pattern.search(name)
        if match and match.start() > 0:
            return name[: match.start()].rstrip(), match.group(1).strip()
    match = _BRANCH_HEAD.match(name)
    if match:
        label = match.group(1) + (match.group(3) or "")
        return match.group(2).strip(), " ".join(label.split())
    return name, None


@lru_cache(maxsize=200_000)
def split_legal_form(name: str) -> ParsedName:
    """Split ``name`` into core and legal form (see the module documentation)."""
    _, phrase_re, phrases = _tables()
    text, branch = split_branch(name.replace("\u00a0", " "))
    words = strip_quotes(text).split()
    # An abbreviation at an edge wins over a full phrase elsewhere: in
    # «ООО "Акционерное общество Ромашка"» the phrase is part of the quoted name.
    found = _strip_edges(words, bool(_FIRST_WORD_QUOTED.match(text)))
    if found is None and _PHRASE_HINT.search(text):
        match = phrase_re.search(text.replace("ё", "е").replace("Ё", "Е"))
        if match:
            found = phrases[" ".join(match.group(0).split()).casefold()]
            text = text[: match.start()] + " " + text[match.end() :]
            words = strip_quotes(text).split()
            _strip_edges(words)
    core = _balance(" ".join(words).strip(_EDGE_PUNCT))
    if found is None:
        return ParsedName(core=core, legal_form=None, legal_form_full=None, branch=branch)
    return ParsedName(core=core, legal_form=found.code, legal_form_full=found.full, branch=branch)


def same_family(a: str | None, b: str | None) -> bool:
    """True when two legal-form codes denote the same kind of entity (ООО and LLC)."""
    if not a or not b:
        return False
    return BY_CODE[a].family == BY_CODE[b].family
