"""Quality and speed of the identity engines: geo, names, ids, contactinfo.

Run: .venv/bin/python bench/identity_bench.py

Quality of city resolution is measured on spellings generated from the data itself
(Russian name, English name, other transliteration schemes, upper case, "г." prefixes,
postal addresses) and compared with the plain approach a user would otherwise take: an
exact lookup of the lower-cased Russian name. Speed (CPU time): strings per second, cold (caches
cleared, every string distinct) and warm (a partner list repeats its cities).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

from partnernet.engines import geo, ids
from partnernet.engines.contactinfo import domains, phones
from partnernet.engines.geo import resolve as geo_resolve
from partnernet.engines.names import normalise, translit


def timed(fn: Callable[[str], object], items: Sequence[str]) -> float:
    """CPU seconds (process time): stable on a machine shared with other jobs."""
    start = time.process_time()
    for item in items:
        fn(item)
    return time.process_time() - start


def city_cases(rng: random.Random) -> list[tuple[str, str]]:
    """(spelling, expected key) for cities of 50k+ people (unambiguous by population)."""
    cities = [c for c in geo.cities() if c.population >= 50_000]
    by_name: dict[str, list[geo.City]] = {}
    for c in geo.cities():
        by_name.setdefault(c.name_ru, []).append(c)
    cases = []
    for c in cities:
        if max(by_name[c.name_ru], key=lambda x: x.population) != c:
            continue
        spellings = [
            c.name_ru,
            c.name_ru.upper(),
            f"г. {c.name_ru}",
            f"{c.name_ru} г.",
            c.name_en,
            c.name_en.upper(),
            translit.to_latin(c.name_ru, "icao_doc_9303"),
            translit.to_latin(c.name_ru, "bgn_pcgn"),
            translit.to_latin(c.name_ru, "mvd_782"),
            f"{rng.randint(100000, 999999)}, г. {c.name_ru}, ул. Ленина, д. {rng.randint(1, 99)}",
            f"ул. Мира, {rng.randint(1, 99)}, {c.name_en}, {rng.randint(100000, 999999)}",
        ]
        cases += [(s, c.key) for s in spellings]
    return cases


def main() -> None:
    rng = random.Random(2026)
    print("## Identity engines\n")

    # --- geo quality -------------------------------------------------------------------
    cases = city_cases(rng)
    plain = {c.name_ru.lower(): c.key for c in geo.cities()}
    ours = sum(
        1 for s, k in cases if (geo.resolve_city(s) or None) and geo.resolve_city(s).key == k
    )  # type: ignore[union-attr]
    peer = sum(1 for s, k in cases if plain.get(s.lower()) == k)
    wrong = sum(
        1 for s, k in cases if geo.resolve_city(s) is not None and geo.resolve_city(s).key != k
    )  # type: ignore[union-attr]
    print(f"resolve_city on {len(cases)} spellings of {len(cases) // 11} cities:")
    print(f"  ours: {ours / len(cases):.1%} right, {wrong / len(cases):.2%} wrong city, rest None")
    print(f"  plain lower-case exact lookup: {peer / len(cases):.1%} right")
    for s, k in cases:
        found = geo.resolve_city(s)
        if found is None or found.key != k:
            print(f"  missed: {s!r} -> {found.key if found else None} (want {k})")

    # --- geo speed ---------------------------------------------------------------------
    texts = [s for s, _ in cases]
    distinct = [f"{t} {i}" if i % 2 else f"{i}, {t}" for i, t in enumerate(texts * 20)][:100_000]
    geo_resolve.resolve_city.cache_clear()
    cold = timed(geo.resolve_city, distinct)
    warm_list = [rng.choice(texts[:300]) for _ in range(100_000)]
    geo_resolve.resolve_city.cache_clear()
    warm = timed(geo.resolve_city, warm_list)
    print(f"resolve_city, 100,000 distinct strings (cold cache): {cold:.2f} s CPU")
    print(f"resolve_city, 100,000 strings, 300 distinct (a real list): {warm:.3f} s CPU")

    # --- names, ids, contact info speed --------------------------------------------------
    forms = ["ООО «{}»", "{}, АО", "{} LLC", 'Общество с ограниченной ответственностью "{}"']
    words = ["Инфосистемы", "Джет", "Ромашка", "Технологии", "Системы", "Альянс", "Софт", "Групп"]
    names = [
        rng.choice(forms).format(" ".join(rng.sample(words, 2)) + f" {i}") for i in range(50_000)
    ]
    t = timed(normalise.normalise_company_name, names)
    print(f"normalise_company_name: {len(names) / t:,.0f} names/s (distinct)")
    t = timed(translit.latin_key, names)
    print(f"latin_key: {len(names) / t:,.0f} names/s (distinct)")

    numbers = [ids.inn.generate(rng) for _ in range(25_000)] + [
        ids.ogrn.generate(rng, kind="person") for _ in range(25_000)
    ]
    t = timed(ids.classify, numbers)
    print(f"ids.classify: {len(numbers) / t:,.0f} numbers/s")

    phone_texts = [
        f"8 ({rng.choice(['495', '812', '343', '727', '916'])}) {rng.randint(200, 999)}-"
        f"{rng.randint(10, 99)}-{rng.randint(10, 99)} доб. {i % 300}"
        for i in range(20_000)
    ]
    t = timed(phones.normalise_phone, phone_texts)
    print(f"normalise_phone: {len(phone_texts) / t:,.0f} phones/s (distinct)")
    urls = [f"https://www.site{i}.ru/about" for i in range(20_000)]
    t = timed(domains.registered_domain, urls)
    print(f"registered_domain: {len(urls) / t:,.0f} URLs/s (distinct)")


if __name__ == "__main__":
    main()
