"""Cities, regions and federal districts of Russia, Kazakhstan and Belarus.

Data: HFLabs' city and region lists (CC BY-SA 4.0, see ``data/README.md``), the 2021
census million-plus cities, and our own tables of Kazakh and Belarusian cities, English
exonyms and aliases. :func:`resolve_city` turns any usual spelling or a postal address
into a :class:`City`; :func:`resolve_region` does the same for regions.

>>> resolve_city("Yekaterinburg") == resolve_city("Екатеринбург") == resolve_city("ЕКБ")
True
>>> len(million_plus_cities())
16
>>> resolve_region("Свердловская обл.").iso
'RU-SVE'
"""

from __future__ import annotations

from partnernet.engines.geo.model import City, Region
from partnernet.engines.geo.resolve import (
    cities,
    city_by_key,
    federal_districts,
    million_plus_cities,
    norm,
    regions,
    resolve_city,
    resolve_region,
)

__all__ = [
    "City",
    "Region",
    "cities",
    "city_by_key",
    "federal_districts",
    "million_plus_cities",
    "norm",
    "regions",
    "resolve_city",
    "resolve_region",
]
