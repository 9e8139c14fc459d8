"""Whether the database holds the demo market: a marker file beside the database."""

from __future__ import annotations

from django.conf import settings


def _marker():
    return settings.DATA_DIR / "demo_loaded"


def demo_loaded() -> bool:
    return _marker().exists()


def mark_demo_loaded(loaded: bool) -> None:
    marker = _marker()
    if loaded:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text("demo market loaded; `partnernet demo --clear` removes it\n")
    else:
        marker.unlink(missing_ok=True)
