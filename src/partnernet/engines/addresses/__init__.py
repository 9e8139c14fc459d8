"""Corporate e-mail address inference: learn each domain's pattern and transliteration habit.

    from partnernet.engines.addresses import AddressModel

    model = AddressModel.learn([(domain, full_name, email), ...])
    model.guess("firma.ru", "Тарасенко Андрей Викторович", top=3)   # -> list[Candidate]
    model.record_outcome("firma.ru", "Тарасенко Андрей", "a.tarasenko@firma.ru", confirmed=False)
    model.summary("firma.ru")                                       # -> DomainSummary

See docs/address-inference.md for the model and its figures.
"""

from partnernet.engines.addresses.infer import (
    AddressModel,
    Calibration,
    Candidate,
    DomainSummary,
    KnownAddress,
    normalise_domain,
)
from partnernet.engines.addresses.patterns import (
    DEFAULT_PATTERNS,
    Pattern,
    is_role_mailbox,
    split_digit_suffix,
)
from partnernet.engines.addresses.translit_variants import SCHEMES, Habit, spellings, transliterate

__all__ = [
    "DEFAULT_PATTERNS",
    "SCHEMES",
    "AddressModel",
    "Calibration",
    "Candidate",
    "DomainSummary",
    "Habit",
    "KnownAddress",
    "Pattern",
    "is_role_mailbox",
    "normalise_domain",
    "spellings",
    "split_digit_suffix",
    "transliterate",
]
