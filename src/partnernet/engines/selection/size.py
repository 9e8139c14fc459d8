"""A coarse company-size signal from what the public lists reveal.

Partner lists almost never give head counts or revenue. Two things they do show grow with a
partner's size: the number of cities it has offices in, and the number of vendors that
authorised it (a vendor programme costs certified staff and sales targets, so a small firm
carries few). The signal is deliberately coarse: three steps, and "unknown" when the company
was seen on no vendor's list and has one office or none.
"""

from __future__ import annotations


def size_signal(*, offices: int, vendors: int) -> str:
    """``large``, ``medium``, ``small`` or ``""`` (unknown).

    >>> size_signal(offices=4, vendors=1), size_signal(offices=1, vendors=6)
    ('large', 'large')
    >>> size_signal(offices=2, vendors=0), size_signal(offices=1, vendors=3)
    ('medium', 'medium')
    >>> size_signal(offices=1, vendors=1), size_signal(offices=1, vendors=0)
    ('small', '')
    """
    if offices >= 4 or vendors >= 6:
        return "large"
    if offices >= 2 or vendors >= 3:
        return "medium"
    if vendors >= 1:
        return "small"
    return ""
