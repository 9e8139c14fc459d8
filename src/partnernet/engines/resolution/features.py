"""Comparison features of a record, computed by our own normalisers.

A row is first normalised exactly as the register normalises it on import
(``engines.sources.canonical.canonical_row``: legal form split off, Latin key, valid
identifiers, resolved city, registered domains, E.164 phones), then becomes one flat row of
the columns the Splink model reads (see ``model``):

- ``name_key``: the Latin key of the name without its legal form — Cyrillic and Latin
  spellings of the same words give the same key («Инфосистемы Джет», "Infosystems Jet");
  ``name_sorted``: its words sorted (word order differs between lists); ``name_full``: the
  words translated but not cut to stems (glued brands that share a first morpheme,
  «ЛайнСтор» and «ЛайнСекьюр», share their stems but not their words);
- ``name_tokens``: the words' stems with an inverse-document-frequency weight,
  ``name_weight`` their sum; the weight makes «Системы», "Group", "IT" count little and a rare
  word count much;
- ``name_sound``: the consonant skeleton of the whole name with the script it came from
  (a Latin brand and its Cyrillic transcription sound alike: "LineForce" / «Лайнфорс»;
  ``c:lnfrk`` / ``l:lnfrk``);
- ``tax_id`` (valid INN, BIN or UNP with its kind), ``ogrn`` (valid OGRN/OGRNIP);
- ``legal_form``: the kind of legal entity (ООО, АО, ИП, …; "LLC" is an ООО): an АО and an
  ООО of one name are two legal entities;
- ``domains``: registered web domains of websites and e-mail addresses, without public mail
  and hosting domains; ``phones``: E.164 numbers;
- ``city``, ``region``: resolved keys (spellings like "СПб" and "St. Petersburg" agree);
- blocking keys: ``name_block`` (the name key unless hundreds of records share it),
  ``rare_tokens`` (the two rarest stems), ``name_prefix``, ``sound_block`` (the skeleton
  unless hundreds of records share it).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from partnernet.engines import ids
from partnernet.engines.contactinfo.domains import is_hosting_domain, is_public_mail_domain
from partnernet.engines.names.legal_forms import BY_CODE, split_legal_form
from partnernet.engines.names.translit import latin_key
from partnernet.engines.resolution.records import CompanyRecord
from partnernet.engines.resolution.vocabulary import translate
from partnernet.engines.sources.canonical import canonical_row

# Names longer than this are cut before normalising: a pasted paragraph is not a name.
MAX_NAME_CHARS = 300
MAX_TOKENS = 12
# A blocking key shared by more records than this stops being used as a key on its own.
BLOCK_CAP = 300
PREFIX_CHARS = 4
STEM_CHARS = 5
MIN_POPULATION = 3000

_TOKEN = re.compile(r"[a-z0-9]+")
_TAX_KINDS = ("inn", "bin", "unp")


_IT = translate("it")[:STEM_CHARS]
_IT_PHRASE = ("infor", "tehno")


def stem(token: str) -> str:
    """The comparable stem of a Latin-key word: translated to Russian, first five letters.

    Five letters hold the root of a Russian word and drop its ending («Северные» and
    «Северо-…» agree), and a typo past the root does not matter.

    >>> stem("infosistem"), stem("cifrov"), stem("digital"), stem("it"), stem("1c")
    ('infos', 'cifro', 'cifro', 'aiti', '1c')
    """
    return translate(token)[:STEM_CHARS]


_VOWELS = re.compile(r"[aeiouh]")
_SOFT = str.maketrans("jc", "gk")
_DZH = re.compile("дж", re.IGNORECASE)
MIN_SOUND_CHARS = 4


@lru_cache(maxsize=200_000)
def name_sound(name: str) -> str | None:
    """The consonant skeleton of a name without its legal form, words glued in order.

    A Latin brand and its Cyrillic transcription are spelled differently but keep their
    consonants: "LineForce" / «Лайнфорс» (lnfr), "LabTeam" / «Лабтим» (lbtm), "LogicBit" /
    «Лоджикбит» (lgkbt: «дж» is read as the g of "logic", c as k). Vowels and h vary between
    spellings and go; words are glued because one list writes "Smart Trade" and another
    «Смарттрейд». Skeletons shorter than four letters say too little and are not kept.

    >>> name_sound("LineForce") == name_sound("ООО «Лайнфорс»")
    True
    >>> name_sound("Smart Trade LLC") == name_sound("Смарттрейд")
    True
    >>> name_sound("LogicBit") == name_sound("Лоджикбит"), name_sound("ООО Ру")
    (True, None)
    """
    parsed = split_legal_form(name) if name else None
    core = (parsed.core if parsed else "").strip() or name
    tokens = latin_key(_DZH.sub("г", core[:MAX_NAME_CHARS])).split()[:MAX_TOKENS]
    glued = _VOWELS.sub("", "".join(tokens)).translate(_SOFT)
    skeleton = re.sub(r"(.)\1+", r"\1", glued)
    return skeleton if len(skeleton) >= MIN_SOUND_CHARS else None


_CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


def sound_key(name: str) -> str | None:
    """The skeleton with the script it was heard from: ``c:lnfr`` (Cyrillic) or ``l:lnfr``.

    The skeleton is needed across scripts (a brand and its transcription); within one script
    the spelling levels already compare the names, and equal skeletons there are mostly
    different names ("Garant" / "Granit": grnt), so the model weighs the two cases apart.

    >>> sound_key("LineForce"), sound_key("ООО «Лайнфорс»"), sound_key("ООО Ру")
    ('l:lnfr', 'c:lnfr', None)
    """
    skeleton = name_sound(name)
    if skeleton is None:
        return None
    return f"{'c' if _CYRILLIC.search(name) else 'l'}:{skeleton}"


def skeleton_of(key: str | None) -> str | None:
    """The skeleton of a ``sound_key`` (the script marker dropped)."""
    return key.partition(":")[2] if key else None


@dataclass(frozen=True)
class NameParts:
    key: str | None
    tokens: tuple[str, ...]
    stems: tuple[str, ...]


@lru_cache(maxsize=200_000)
def name_parts(latin: str) -> NameParts:
    """Key, words and distinct stems of a name's Latin key (no key: no usable name).

    The key is the sorted set of stems: word order, endings, a translated word and a typo
    late in a word do not change it. "Информационные технологии" and "Information
    Technologies" are also written "IT" (stem of «АйТи»): the pair of stems folds into it.
    """
    tokens = tuple(_TOKEN.findall(latin.lower()))[:MAX_TOKENS]
    if not tokens:
        return NameParts(None, (), ())
    stems = [stem(t) for t in tokens]
    for i in range(len(stems) - 1):
        if (stems[i], stems[i + 1]) == _IT_PHRASE:
            stems[i : i + 2] = [_IT, ""]
    distinct = tuple(dict.fromkeys(s for s in stems if s))
    return NameParts(" ".join(sorted(distinct)), tokens, distinct)


def _fields(record: CompanyRecord) -> dict[str, str]:
    fields = {
        "name": record.name[:MAX_NAME_CHARS],
        "website": " ".join(record.websites),
        "email": " ".join(record.emails),
        "phone": "; ".join(record.phones),
        "city": record.city,
        "region": record.region,
        "country": record.country,
        "address": record.address,
    }
    for value in record.identifiers:
        match = ids.classify(value)
        kind = "inn" if match is None else {"ogrnip": "ogrn"}.get(match.kind, match.kind)
        if kind in ("inn", "ogrn", "bin", "unp", "kpp"):
            fields[kind] = f"{fields[kind]} {value}" if kind in fields else value
    return fields


# The register's normaliser, applied part by part with a cache: partner lists repeat the same
# names, cities, phones and sites many times, and each part is normalised independently.
_ID_FIELDS = ("inn", "ogrn", "kpp", "bin", "unp")


@lru_cache(maxsize=200_000)
def _name_part(name: str) -> tuple[str, str, str | None]:
    rec = canonical_row({"name": name})
    return rec.get("name_key") or "", rec.get("latin_key") or "", rec.get("legal_form")


# Legal-form families that stand for different kinds of legal entity. A public and a non-public
# joint-stock company are one kind here: lists translate both as "JSC".
_FORM_KIND = {"ПАО": "АО"}


def legal_form_kind(code: str | None) -> str | None:
    """The kind of legal entity a legal-form code names (LLC, ООО, ТОО -> ООО; JSC, ЗАО,
    ПАО -> АО; ИП), or None.

    >>> legal_form_kind("LLC"), legal_form_kind("ПАО"), legal_form_kind("ИП"), legal_form_kind(None)
    ('ООО', 'АО', 'ИП', None)
    """
    form = BY_CODE.get(code) if code else None
    if form is None:
        return None
    family: str = form.family or form.code
    return _FORM_KIND.get(family, family)


@lru_cache(maxsize=100_000)
def _place_part(city: str, address: str, region: str, country: str) -> tuple[Any, Any, Any]:
    rec = canonical_row({"city": city, "address": address, "region": region, "country": country})
    return rec.get("city"), rec.get("region"), rec.get("country")


@lru_cache(maxsize=100_000)
def _id_part(values: tuple[str, ...], country: str) -> dict[str, str]:
    rec = canonical_row({**dict(zip(_ID_FIELDS, values, strict=True)), "country": country})
    return {k: rec[k] for k in _ID_FIELDS if rec.get(k)}


@lru_cache(maxsize=100_000)
def _contact_part(website: str, email: str, phone: str, country: str) -> tuple[Any, Any]:
    rec = canonical_row({"website": website, "email": email, "phone": phone, "country": country})
    return tuple(rec.get("domains") or ()), tuple(rec.get("phones") or ())


def canonical_parts(fields: Mapping[str, str]) -> dict[str, Any]:
    """The parts of ``canonical_row(fields)`` the resolver reads, computed with caches."""
    name_key, latin, legal_form = _name_part(
        " ".join(fields.get("name", "").split())[:MAX_NAME_CHARS]
    )
    country_text = fields.get("country", "")
    city, region, country = _place_part(
        fields.get("city", ""), fields.get("address", ""), fields.get("region", ""), country_text
    )
    id_country = country_text or (city or {}).get("country", "") or ""
    identifiers = _id_part(tuple(fields.get(k, "") for k in _ID_FIELDS), id_country)
    domains, phones = _contact_part(
        fields.get("website", ""), fields.get("email", ""), fields.get("phone", ""), id_country
    )
    return {
        "name_key": name_key,
        "latin_key": latin,
        "legal_form": legal_form,
        "city": city,
        "region": region,
        "country": country,
        "domains": domains,
        "phones": phones,
        **identifiers,
    }


@lru_cache(maxsize=100_000)
def _usable_domain(domain: str) -> bool:
    return not (is_public_mail_domain(domain) or is_hosting_domain(domain))


def base_row(record: CompanyRecord, canonical: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The unweighted feature row of a record (``canonical``: its canonical record, if known)."""
    if canonical is None:
        canonical = record.extra.get("canonical")  # the register stores it on every row
    rec = canonical if canonical is not None else canonical_parts(_fields(record))
    tax = next((f"{k}:{rec[k]}" for k in _TAX_KINDS if rec.get(k)), None)
    ogrn = rec.get("ogrn") or rec.get("ogrnip")
    for kind, value in record.valid_identifiers.items():
        if value and kind in _TAX_KINDS and tax is None:
            tax = f"{kind}:{value}"
        elif value and kind in ("ogrn", "ogrnip") and not ogrn:
            ogrn = value
    city = rec.get("city") or {}
    city_key = record.city_key or city.get("key") or None
    # Region by name: geo spells it the same whether it came from a city or a region column.
    region_key = record.region_key or city.get("region") or rec.get("region")
    latin = rec.get("latin_key") or ""
    if not rec.get("name_key"):
        latin = ""  # only a legal form, or nothing: no name to compare
    domains = sorted({d for d in rec.get("domains") or () if d and _usable_domain(d)})
    phones = sorted(set(rec.get("phones") or ()))
    return {
        "unique_id": record.record_id,
        "latin": latin,
        "name_sound": sound_key(" ".join(record.name.split())) if latin else None,
        "legal_form": legal_form_kind(rec.get("legal_form")),
        "tax_id": tax,
        "ogrn": ogrn or None,
        "domains": domains or None,
        "phones": phones or None,
        "city": city_key,
        "region": region_key or None,
    }


@dataclass
class TokenStats:
    """How many records carry each name skeleton, name key and city (document frequencies)."""

    records: int = 0
    stems: Counter[str] = field(default_factory=Counter)
    keys: Counter[str] = field(default_factory=Counter)
    cities: Counter[str] = field(default_factory=Counter)
    sounds: Counter[str] = field(default_factory=Counter)
    places: dict[str, set[str | None]] = field(default_factory=dict)
    # name key -> contact (domain, phone, identifier) -> the cities it was seen in with the
    # name: one company's branches share its domain, so their cities count as one company.
    contacts: dict[str, dict[str, set[str]]] = field(default_factory=dict)
    # name key -> full translated words (``name_full``) -> cities seen with them: the words
    # behind one key ("trans" stands for TransLab, TransLink, TransCentr …) — see
    # ``variant_frequencies``.
    variants: dict[str, dict[str, set[str | None]]] = field(default_factory=dict)

    def add(
        self,
        parts: NameParts,
        city: str | None,
        contacts: Sequence[str] = (),
        sound_: str | None = None,
        full: str | None = None,
    ) -> None:
        if parts.key:
            if full:
                self.variants.setdefault(parts.key, {}).setdefault(full, set()).add(city)
            if city and contacts:
                by_contact = self.contacts.setdefault(parts.key, {})
                for contact in contacts:
                    by_contact.setdefault(contact, set()).add(city)
            seen = self.places.setdefault(parts.key, set())
            if city in seen:
                return  # one company, as far as we can tell
            seen.add(city)
            self.keys[parts.key] += 1
            if sound_:
                self.sounds[skeleton_of(sound_) or ""] += 1
        self.records += 1
        self.stems.update(parts.stems)
        if city:
            self.cities[city] += 1

    def extended(self, rows: Sequence[Mapping[str, Any]]) -> TokenStats:
        """A copy that also counts ``rows`` (a new list against a prepared register)."""
        # Shallow copies; only the sets the new rows add to are copied (copying every set
        # of a 100,000-company register, or every contact of a common name, would cost
        # seconds per list).
        copy = TokenStats(
            self.records,
            Counter(self.stems),
            Counter(self.keys),
            Counter(self.cities),
            Counter(self.sounds),
            dict(self.places),
            dict(self.contacts),
            dict(self.variants),
        )
        own: set[str] = set()
        own_contacts: set[tuple[str, str]] = set()
        for row in rows:
            parts = name_parts(row["latin"])
            contacts = contacts_of(row)
            key = parts.key
            if key and key not in own:
                own.add(key)
                if key in self.places:
                    copy.places[key] = set(self.places[key])
                if key in self.contacts:
                    copy.contacts[key] = dict(self.contacts[key])
                if key in self.variants:
                    copy.variants[key] = {f: set(c) for f, c in self.variants[key].items()}
            if key and row["city"] and key in self.contacts:
                for contact in contacts:
                    if (key, contact) not in own_contacts:
                        own_contacts.add((key, contact))
                        if contact in self.contacts[key]:
                            copy.contacts[key][contact] = set(self.contacts[key][contact])
            copy.add(parts, row["city"], contacts, row.get("name_sound"), _full_of(row))
        return copy

    def companies_bearing(self, key: str, seen: Iterable[str | None] | None = None) -> int:
        """How many companies bear a name: its distinct cities, where cities that share a
        domain, phone or identifier under that name count once (a company's branches).

        ``seen``: only these of the name's cities (those of one variant of its words)."""
        cities = {c for c in (self.places.get(key, ()) if seen is None else seen) if c is not None}
        links = self.contacts.get(key)
        if len(cities) < 2 or not links:
            return len(cities)
        parent = {c: c for c in cities}

        def find(c: str) -> str:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        for linked in links.values():
            inside = [c for c in linked if c in parent]
            if not inside:
                continue
            first, *rest = inside
            for other in rest:
                parent[find(other)] = find(first)
        return len({find(c) for c in cities})

    def variant_frequencies(self) -> dict[str, float]:
        """Term frequency of each name by its full words (``name_tf`` column): the share of
        other companies bearing words that would still make an exact name match with it.

        The name key cuts words to five letters so endings and late typos do not matter, but
        glued brands then share a key ("TransLab", "TransLink", "TransCentr" are all
        "trans"): counted by key, each would look as common as all of them together, and
        two rows of "TransLab" would prove little. Counted here: the companies whose full
        words are the same words as these (``same_words``, the exact level's own test).

        Companies are counted as the distinct cities the words are seen in (a record without
        a city adds none; cities linked by a shared contact count once). Words seen in one
        place belong, as far as we know, to one company, so a second company with them is
        unlikely (a quarter of a company, not a whole one); «Альянс» seen in thirty cities is
        borne by twenty-nine others.
        """
        # A small import says little about how common a name is in the market: assume at
        # least a market of MIN_POPULATION companies (the demo market's size).
        total = max(MIN_POPULATION, self.records)
        out: dict[str, float] = {}
        for key, fulls in self.variants.items():
            names = list(fulls)
            for full in names:
                if len(names) == 1:
                    n = self.companies_bearing(key)
                else:
                    seen: set[str | None] = set()
                    for other in names:
                        if other == full or same_words(full, other):
                            seen |= fulls[other]
                    n = self.companies_bearing(key, seen)
                out[name_tf_key(key, full)] = max((n or 1) - 1, 0.25) / total
        return out

    def city_frequencies(self) -> dict[str, float]:
        total = max(1, sum(self.cities.values()))  # shares of a whole: fine at any size
        return {k: n / total for k, n in self.cities.items()}

    def weight(self, stem_: str) -> float:
        """Inverse document frequency, at least 0.1 so a common word still counts a little."""
        df = self.stems.get(stem_, 0) + 1
        return max(0.1, math.log((self.records + 1) / df))


@lru_cache(maxsize=200_000)
def _name_columns(
    latin: str,
) -> tuple[NameParts, str | None, str | None, str | None, tuple[str, ...]]:
    """The name columns that do not depend on the statistics (computed once per name)."""
    parts = name_parts(latin)
    return (
        parts,
        " ".join(sorted(parts.tokens)) or None,
        " ".join(sorted(translate(t) for t in parts.tokens)) or None,
        "".join(parts.tokens)[:PREFIX_CHARS] if parts.key else None,
        tuple(s for s in parts.stems if len(s) >= 3),
    )


def finish_row(
    row: Mapping[str, Any], stats: TokenStats, weights: dict[str, float] | None = None
) -> dict[str, Any]:
    """The model's row: name columns with weights and the capped blocking keys added.

    ``weights``: a memo of stem weights under ``stats``, shared by the rows of one pass."""
    parts, name_sorted, name_full, prefix, long_stems = _name_columns(row["latin"])
    out = dict(row)
    del out["latin"]
    if weights is None:
        weights = {}
    weighted = []
    for s in parts.stems:
        w = weights.get(s)
        if w is None:
            w = weights[s] = round(stats.weight(s), 4)
        weighted.append({"t": s, "w": w})
    key = parts.key
    out["name_key"] = key
    out["name_sorted"] = name_sorted
    out["name_full"] = name_full
    out["name_tf"] = name_tf_key(key, name_full) if key and name_full else None
    out["name_tokens"] = weighted or None
    out["name_weight"] = sum(t["w"] for t in weighted) if weighted else None
    out["name_block"] = key if key and stats.keys.get(key, 0) <= BLOCK_CAP else None
    rare = sorted(
        (s for s in long_stems if stats.stems.get(s, 0) <= BLOCK_CAP),
        key=lambda s: (stats.stems.get(s, 0), s),
    )[:2]
    out["rare_tokens"] = rare or None
    out["name_prefix"] = prefix
    sound_ = skeleton_of(row.get("name_sound"))
    out["sound_block"] = sound_ if sound_ and stats.sounds.get(sound_, 0) <= BLOCK_CAP else None
    return out


def token_stats(rows: Sequence[Mapping[str, Any]]) -> TokenStats:
    """Frequencies over distinct (name, city) pairs — roughly, over companies.

    Counting rows would make a popular partner's name "common" because it is on forty
    lists; counting a name once per city makes «Альянс» common (it is in every city) and
    «Инфосистемы Джет» rare, which is what the name evidence should reflect.
    """
    stats = TokenStats()
    for row in rows:
        stats.add(
            name_parts(row["latin"]),
            row["city"],
            contacts_of(row),
            row.get("name_sound"),
            _full_of(row),
        )
    return stats


def _full_of(row: Mapping[str, Any]) -> str | None:
    """A base row's full translated words (``name_full`` of its finished row)."""
    return _name_columns(row["latin"])[2] if row["latin"] else None


def name_tf_key(key: str, full: str) -> str:
    """The ``name_tf`` value: a name's key with its full words (``variant_frequencies``)."""
    return f"{key}|{full}"


# "The same words" — the exact name level's test (``model``'s SQL is built from these) and
# ``variant_frequencies``'. Inflected forms of the same words score >= 0.92 («Информационные
# технологии» / «Информационных технологий» 0.96), glued brands with one shared morpheme
# <= 0.91. Jaro-Winkler rewards a shared prefix, and glued brands share theirs ("LinkTeam" /
# "LinkTech" 0.92, "TechPrime" / «ТехПро» 0.94): the same words also differ by at most two
# edits, or one in eight letters of a long name (an ending per word).
SAME_WORDS_SIMILARITY = 0.92
SAME_WORDS_EDITS = 2
SAME_WORDS_LETTERS_PER_EDIT = 8


@lru_cache(maxsize=500_000)
def same_words(a: str, b: str) -> bool:
    """Whether two full names (translated words, sorted) are the same words (see above).

    >>> same_words("informacionnye tehnologii", "informacionnyh tehnologii")
    True
    >>> same_words("translab", "translink")
    False
    """
    if JaroWinkler.similarity(a, b) < SAME_WORDS_SIMILARITY:
        return False
    allowed = max(SAME_WORDS_EDITS, min(len(a), len(b)) // SAME_WORDS_LETTERS_PER_EDIT)
    return DamerauLevenshtein.distance(a, b) <= allowed


def contacts_of(row: Mapping[str, Any]) -> list[str]:
    """A feature row's own contacts: identifiers, domains and phones, tagged by kind."""
    out = [f"t:{row['tax_id']}"] if row.get("tax_id") else []
    if row.get("ogrn"):
        out.append(f"o:{row['ogrn']}")
    out.extend(f"d:{d}" for d in row.get("domains") or ())
    out.extend(f"p:{p}" for p in row.get("phones") or ())
    return out


def feature_rows(records: Sequence[CompanyRecord]) -> tuple[list[dict[str, Any]], TokenStats]:
    """Feature rows (one per record, same order) and the statistics they were weighted with."""
    bases = [base_row(r) for r in records]
    stats = token_stats(bases)
    return [finish_row(b, stats) for b in bases], stats
