"""The catalogue of channel-strategy dimensions and tactics, loaded from YAML.

The shipped catalogue (``catalogue.yaml`` beside this module) holds the dimensions of the book's
chapter 5: §5.6–§5.13 as the book lists them, §5.1–§5.5 reconstructed by us and marked so. A
user catalogue (same format) may add dimensions and tactics; it may not silently redefine
shipped ones (see :func:`merge`).

Texts are ``{"ru": ..., "en": ...}`` mappings; :func:`text` picks one language with a fallback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

ROLES = ("vendor", "distributor", "partner")
LANGUAGES = ("ru", "en")
CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")

Text = Mapping[str, str]


class CatalogueError(ValueError):
    """The catalogue data is malformed or a merge would redefine an existing entry."""


def text(value: Text | str | None, lang: str = "ru") -> str:
    """One language of a bilingual text; falls back to the other language, then to ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if value.get(lang):
        return value[lang]
    for other in LANGUAGES:
        if value.get(other):
            return value[other]
    return next(iter(value.values()), "")


@dataclass(frozen=True)
class Parameter:
    """A named option of a tactic, e.g. the years of a master distributor's exclusivity."""

    key: str
    type: str  # "integer" | "choice" | "text"
    name: Text
    default: Any = None
    values: tuple[str, ...] = ()
    labels: Mapping[str, Text] = field(default_factory=dict)

    def check(self, value: Any) -> str | None:
        """An error message if ``value`` does not fit the parameter, else None."""
        if self.type == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                return f"{self.key} must be an integer"
            if value < 0:
                return f"{self.key} must not be negative"
        elif self.type == "choice" and value not in self.values:
            return f"{self.key} must be one of {', '.join(self.values)}"
        return None


@dataclass(frozen=True)
class Tactic:
    key: str
    dimension: str
    name: Text
    description: Text
    when_to_use: Text
    roles: tuple[str, ...]
    number: int | None = None
    reconstructed: bool = False
    origin: str = "book"  # "book" | "reconstructed" | "user"
    combines: tuple[str, ...] = ()
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    measures: tuple[str, ...] = ()

    def applies_to(self, role: str) -> bool:
        return role in self.roles

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "dimension": self.dimension,
            "number": self.number,
            "name": dict(self.name),
            "description": dict(self.description),
            "when_to_use": dict(self.when_to_use),
            "roles": list(self.roles),
            "reconstructed": self.reconstructed,
            "origin": self.origin,
            "combines": list(self.combines),
            "parameters": {
                key: {
                    "type": p.type,
                    "name": dict(p.name),
                    "default": p.default,
                    "values": list(p.values),
                }
                for key, p in self.parameters.items()
            },
            "measures": list(self.measures),
        }


@dataclass(frozen=True)
class Dimension:
    key: str
    name: Text
    description: Text
    roles: tuple[str, ...]
    tactics: tuple[Tactic, ...]
    section: str | None = None
    reconstructed: bool = False
    origin: str = "book"
    exclusive: tuple[tuple[str, ...], ...] = ()

    def applies_to(self, role: str) -> bool:
        return role in self.roles

    def tactic(self, key: str) -> Tactic:
        for tactic in self.tactics:
            if tactic.key == key:
                return tactic
        raise KeyError(f"{self.key}.{key}")

    def tactic_keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.tactics)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "section": self.section,
            "name": dict(self.name),
            "description": dict(self.description),
            "roles": list(self.roles),
            "reconstructed": self.reconstructed,
            "origin": self.origin,
            "exclusive": [list(group) for group in self.exclusive],
            "tactics": [t.to_dict() for t in self.tactics],
        }


@dataclass(frozen=True)
class Catalogue:
    dimensions: tuple[Dimension, ...]

    def dimension(self, key: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def has_dimension(self, key: str) -> bool:
        return any(d.key == key for d in self.dimensions)

    def tactic(self, dimension: str, key: str) -> Tactic:
        return self.dimension(dimension).tactic(key)

    def for_role(self, role: str) -> tuple[Dimension, ...]:
        """Dimensions a company of ``role`` decides on, in catalogue order."""
        return tuple(d for d in self.dimensions if d.applies_to(role))

    def to_dict(self) -> dict[str, Any]:
        return {"dimensions": [d.to_dict() for d in self.dimensions]}


# --- parsing -------------------------------------------------------------------------------------


def _text(raw: Any, where: str, *, required: bool = True) -> dict[str, str]:
    if raw is None and not required:
        return {}
    if isinstance(raw, str):
        return {"ru": raw, "en": raw}
    if not isinstance(raw, Mapping) or not any(raw.get(lang) for lang in LANGUAGES):
        raise CatalogueError(f"{where}: expected a text with 'ru' and/or 'en'")
    return {str(k): str(v) for k, v in raw.items() if v}


def _roles(raw: Any, where: str, default: Iterable[str] = ROLES) -> tuple[str, ...]:
    roles = tuple(raw) if raw else tuple(default)
    unknown = [r for r in roles if r not in ROLES]
    if unknown:
        raise CatalogueError(f"{where}: unknown role(s) {unknown}; expected {list(ROLES)}")
    return roles


def _parameters(raw: Any, where: str) -> dict[str, Parameter]:
    params: dict[str, Parameter] = {}
    for key, spec in (raw or {}).items():
        ptype = spec.get("type", "text")
        if ptype not in ("integer", "choice", "text"):
            raise CatalogueError(f"{where}.{key}: unknown parameter type {ptype!r}")
        values = tuple(spec.get("values") or ())
        if ptype == "choice" and not values:
            raise CatalogueError(f"{where}.{key}: a choice parameter needs values")
        params[key] = Parameter(
            key=key,
            type=ptype,
            name=_text(spec.get("name", key), f"{where}.{key}.name"),
            default=spec.get("default"),
            values=values,
            labels={
                v: _text(t, f"{where}.{key}.labels") for v, t in (spec.get("labels") or {}).items()
            },
        )
    return params


def _origin(raw: Mapping[str, Any], default: str) -> str:
    if raw.get("origin"):
        return str(raw["origin"])
    return "reconstructed" if raw.get("reconstructed") else default


def _tactic(
    raw: Mapping[str, Any], dimension: str, dim_roles: tuple[str, ...], default_origin: str
) -> Tactic:
    key = raw.get("key")
    if not key:
        raise CatalogueError(f"{dimension}: a tactic without a key")
    where = f"{dimension}.{key}"
    return Tactic(
        key=str(key),
        dimension=dimension,
        number=raw.get("number"),
        name=_text(raw.get("name"), f"{where}.name"),
        description=_text(raw.get("description"), f"{where}.description"),
        when_to_use=_text(raw.get("when_to_use"), f"{where}.when_to_use", required=False),
        roles=_roles(raw.get("roles"), where, dim_roles),
        reconstructed=bool(raw.get("reconstructed", False)),
        origin=_origin(raw, default_origin),
        combines=tuple(raw.get("combines") or ()),
        parameters=_parameters(raw.get("parameters"), where),
        measures=tuple(raw.get("measures") or ()),
    )


def _dimension(raw: Mapping[str, Any], default_origin: str) -> Dimension:
    key = raw.get("key")
    if not key:
        raise CatalogueError("a dimension without a key")
    key = str(key)
    roles = _roles(raw.get("roles"), key)
    origin = _origin(raw, default_origin)
    tactics = tuple(_tactic(t, key, roles, origin) for t in raw.get("tactics") or ())
    dimension = Dimension(
        key=key,
        section=str(raw["section"]) if raw.get("section") else None,
        name=_text(raw.get("name"), f"{key}.name"),
        description=_text(raw.get("description"), f"{key}.description", required=False),
        roles=roles,
        tactics=tactics,
        reconstructed=bool(raw.get("reconstructed", False)),
        origin=origin,
        exclusive=tuple(tuple(group) for group in raw.get("exclusive") or ()),
    )
    _check_dimension(dimension)
    return dimension


def _check_dimension(dimension: Dimension) -> None:
    keys = dimension.tactic_keys()
    if len(set(keys)) != len(keys):
        raise CatalogueError(f"{dimension.key}: duplicate tactic keys")
    known = set(keys)
    for group in dimension.exclusive:
        if missing := set(group) - known:
            raise CatalogueError(
                f"{dimension.key}: exclusive group names unknown {sorted(missing)}"
            )
    for tactic in dimension.tactics:
        if missing := set(tactic.combines) - known:
            raise CatalogueError(
                f"{dimension.key}.{tactic.key}: combines unknown {sorted(missing)}"
            )
        if extra := set(tactic.roles) - set(dimension.roles):
            raise CatalogueError(
                f"{dimension.key}.{tactic.key}: roles {sorted(extra)} not among the dimension's"
            )


def parse(data: Mapping[str, Any], *, origin: str = "book") -> Catalogue:
    """Build a catalogue from parsed YAML/JSON data (``{"dimensions": [...]}``)."""
    dimensions = tuple(_dimension(d, origin) for d in data.get("dimensions") or ())
    keys = [d.key for d in dimensions]
    if len(set(keys)) != len(keys):
        raise CatalogueError("duplicate dimension keys")
    return Catalogue(dimensions)


def load_file(path: str | Path, *, origin: str = "book") -> Catalogue:
    with open(path, encoding="utf-8") as handle:
        return parse(yaml.safe_load(handle) or {}, origin=origin)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The shipped catalogue (parsed once per process)."""
    return load_file(CATALOGUE_PATH)


def merge(base: Catalogue, user: Mapping[str, Any]) -> Catalogue:
    """Add a user's dimensions and tactics to ``base``.

    ``user`` has the catalogue format. A dimension with a new key is appended whole. A dimension
    with an existing key contributes only its tactics, which are appended to the shipped ones;
    its other fields are ignored. Redefining an existing tactic is an error rather than a silent
    overwrite, so the shipped texts stay the reference. User entries carry ``origin: user``.
    """
    dimensions = list(base.dimensions)
    for raw in user.get("dimensions") or ():
        key = raw.get("key")
        if not key:
            raise CatalogueError("a user dimension without a key")
        if not base.has_dimension(key):
            dimensions.append(_dimension(raw, "user"))
            continue
        index = next(i for i, d in enumerate(dimensions) if d.key == key)
        existing = dimensions[index]
        added = tuple(_tactic(t, key, existing.roles, "user") for t in raw.get("tactics") or ())
        clashes = set(existing.tactic_keys()) & {t.key for t in added}
        if clashes:
            raise CatalogueError(f"{key}: user tactics redefine shipped ones {sorted(clashes)}")
        extra_exclusive = tuple(tuple(group) for group in raw.get("exclusive") or ())
        merged = Dimension(
            key=existing.key,
            section=existing.section,
            name=existing.name,
            description=existing.description,
            roles=existing.roles,
            tactics=existing.tactics + added,
            reconstructed=existing.reconstructed,
            origin=existing.origin,
            exclusive=existing.exclusive + extra_exclusive,
        )
        _check_dimension(merged)
        dimensions[index] = merged
    keys = [d.key for d in dimensions]
    if len(set(keys)) != len(keys):
        raise CatalogueError("duplicate dimension keys")
    return Catalogue(tuple(dimensions))


def load(user_files: Iterable[str | Path] = ()) -> Catalogue:
    """The shipped catalogue with every user catalogue file merged in, in order."""
    catalogue = default_catalogue()
    for path in user_files:
        with open(path, encoding="utf-8") as handle:
            catalogue = merge(catalogue, yaml.safe_load(handle) or {})
    return catalogue
