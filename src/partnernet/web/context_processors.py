"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def demo_banner(request: HttpRequest) -> dict[str, Any]:
    """Tell every page whether the register holds demo data (the banner says how to clear it)."""
    from partnernet.web.demo_state import demo_loaded

    return {"demo_loaded": demo_loaded()}
