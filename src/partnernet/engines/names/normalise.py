"""Company-name normalisation: the matching key, the display form and the tokens.

:func:`normalise_company_name` is the exact-match key of a company name: the legal form
and quotes are removed (:func:`~partnernet.engines.names.legal_forms.split_legal_form`),
Latin look-alike letters typed into Cyrillic words (and the reverse) are fixed, ``ё``→``е``,
case-folded, every punctuation mark becomes a space (``&`` and ``+`` too),
whitespace collapses. The result is a fixed point: normalising it again changes nothing,
and it does not depend on where the legal form stood or which quotes were used.

:func:`display_name` is how the UI shows a name. Our convention:

- a Russian-style legal form goes first and the name in «ёлочки»: ``ООО «Ромашка»``
  (one level of quotes, whatever nesting the source had);
- an individual entrepreneur is not quoted: ``ИП Иванов Иван Иванович``;
- an English-style legal form follows the name: ``Jet Infosystems Ltd``, ``Acme GmbH``;
- no legal form: the bare name;
- a name typed in capitals (a word of five or more letters and no lower-case letters) is
  shown in title case, keeping words of up to three letters as they are, since those are
  usually acronyms: ``ИНФОСИСТЕМЫ ДЖЕТ, АО`` → ``АО «Инфосистемы Джет»``.

>>> normalise_company_name('ООО «Ромашка-Плюс»')
'ромашка плюс'
>>> normalise_company_name('РОМАШКА-ПЛЮС, ооо') == normalise_company_name('"Ромашка Плюс" ООО')
True
>>> normalise_company_name('Общество с ограниченной ответственностью "Ёлка"')
'елка'
>>> display_name('ИНФОСИСТЕМЫ ДЖЕТ, АО')
'АО «Инфосистемы Джет»'
>>> display_name('ООО "ТД "Ромашка""')
'ООО «ТД Ромашка»'
>>> display_name('jet infosystems ltd.')
'jet infosystems Ltd'
>>> name_tokens('ООО «Инфосистемы Джет»')
['инфосистемы', 'джет']
"""

from __future__ import annotations

import re
from functools import lru_cache

from partnernet.engines.names.legal_forms import BY_CODE, split_legal_form
from partnernet.engines.names.translit import fix_lookalikes

_PUNCT = re.compile(r"[^\w]+|_+")

# How English-style legal forms are written after a name.
_ENGLISH_DISPLAY = {
    "LLC": "LLC",
    "LLP": "LLP",
    "LTD": "Ltd",
    "PLC": "plc",
    "INC": "Inc.",
    "CORP": "Corp.",
    "GMBH": "GmbH",
    "AG": "AG",
    "JSC": "JSC",
    "PJSC": "PJSC",
    "CJSC": "CJSC",
    "OJSC": "OJSC",
}


def _key(text: str) -> str:
    text = fix_lookalikes(text).replace("ё", "е").replace("Ё", "Е").casefold()
    return " ".join(_PUNCT.sub(" ", text).split())


@lru_cache(maxsize=200_000)
def normalise_company_name(name: str) -> str:
    """The matching key of a company name ('' for a name that is only a legal form)."""
    key = _key(split_legal_form(name).core)
    # Punctuation removal can expose a legal form ("Ромашка-ООО" → "ромашка ооо"):
    # repeat until nothing changes so the key is a fixed point.
    while True:
        again = _key(split_legal_form(key).core)
        if again == key:
            return key
        key = again


def _tidy_case(core: str) -> str:
    letters = [ch for ch in core if ch.isalpha()]
    if not letters or any(ch.islower() for ch in letters):
        return core
    if not any(len(word) >= 5 for word in re.findall(r"[^\W\d_]+", core)):
        return core
    return re.sub(
        r"[^\W\d_]+",
        lambda m: m.group(0) if len(m.group(0)) <= 3 else m.group(0).capitalize(),
        core,
    )


def display_name(name: str) -> str:
    """The name as the UI shows it (see the module documentation for the convention)."""
    parsed = split_legal_form(name)
    core = _tidy_case(" ".join(parsed.core.split()))
    form = parsed.legal_form
    if form is None:
        return core
    if not core:
        return form
    if form in _ENGLISH_DISPLAY:
        return f"{core} {_ENGLISH_DISPLAY[form]}"
    if BY_CODE[form].family == "ИП":
        return f"{form} {core}"
    return f"{form} «{core}»"


def name_tokens(name: str) -> list[str]:
    """The words of the matching key."""
    return normalise_company_name(name).split()
