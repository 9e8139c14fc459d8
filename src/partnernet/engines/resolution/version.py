"""Which version of the feature code prepared a register (for stores of prepared registers).

A prepared register kept on disk (``register_store``) is only valid for the code that
normalised it. Two parts make the version:

- :data:`FEATURE_VERSION`, bumped by hand when features change in a way the source files below
  do not show (a data file read at run time, a behaviour change of a dependency);
- a digest of the source of every module that shapes a feature row, its weights or its
  grouping, and the versions of the libraries they call (iuliia's transliteration schemes,
  tldextract's suffix list) — so an edit there invalidates stores without anyone remembering
  to bump the number. A false invalidation costs one preparation; a missed one would link
  against features the current code no longer computes.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata, util

FEATURE_VERSION = 1

# Modules whose code decides a prepared register's rows, statistics and groups.
FEATURE_MODULES = (
    "partnernet.engines.resolution.features",
    "partnernet.engines.resolution.vocabulary",
    "partnernet.engines.resolution.records",
    "partnernet.engines.resolution.linker",
    "partnernet.engines.resolution.register_store",
    "partnernet.engines.names.legal_forms",
    "partnernet.engines.names.translit",
    "partnernet.engines.contactinfo.domains",
)
FEATURE_LIBRARIES = ("iuliia", "tldextract")


@lru_cache(maxsize=1)
def feature_fingerprint() -> str:
    """``FEATURE_VERSION`` and a digest of the feature code, e.g. ``"1-3f9c…"``.

    >>> feature_fingerprint() == feature_fingerprint() and feature_fingerprint().startswith("1-")
    True
    """
    digest = hashlib.sha256()
    for name in FEATURE_MODULES:
        spec = util.find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(name.encode())
        if origin and origin.endswith(".py"):
            with open(origin, "rb") as handle:
                digest.update(handle.read())
        else:  # no source (a frozen build): the module's presence only
            digest.update(b"?")
    for library in FEATURE_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=?".encode())
    return f"{FEATURE_VERSION}-{digest.hexdigest()[:16]}"
