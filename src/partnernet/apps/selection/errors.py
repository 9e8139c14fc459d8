"""Selection errors worded in the user's language.

Services and engines raise errors with an English message (the CLI and the API show it) and a
stable code with parameters; the views show the translation of the code instead.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from partnernet.engines.errors import CodedError

MESSAGES = {
    "unknown_niche": _("Unknown niche “%(word)s”. Known: %(known)s."),
    "unknown_sector": _("Unknown vertical “%(word)s”. Known: %(known)s."),
    "unknown_size": _("Unknown company size “%(size)s”. Use one of: %(known)s."),
    "unknown_stage": _("There is no funnel stage “%(stage)s”."),
    "unknown_kind": _("Unknown kind of partner: %(kinds)s. Known: %(known)s."),
    "unknown_fact": _("Unknown fact “%(fact)s”. Known: %(known)s."),
    "unknown_approach": _("Unknown way of selecting partners “%(approach)s”."),
    "shortlist_name": _("Give the shortlist a name."),
    "no_quota": _("Give at least one quota, e.g. city:1000000:5."),
    "no_niche": _("Choose a niche or a vertical."),
    "quota_territory": _("Unknown kind of territory “%(territory)s”. Use one of: %(known)s."),
    "quota_syntax": _(
        "Cannot read the quota “%(quota)s”: write %(kind)s:[MIN_POPULATION:]NUMBER[:KIND]."
    ),
    "quota_not_positive": _("Quota “%(quota)s”: the number of partners needed must be positive."),
    "unknown_operator": _("Unknown comparison “%(op)s”. Use one of: %(known)s."),
    "rule_metric": _("Rule “%(rule)s”: “%(metric)s” is not the name of a figure."),
    "rule_number": _("Rule “%(rule)s”: “%(value)s” is not a number."),
    "rule_syntax": _(
        "Cannot read the rule “%(rule)s”: write FIGURE OPERATOR NUMBER, e.g. deals_12m>=3."
    ),
    "funnel_empty": _("A funnel needs at least one stage."),
}


def user_message(error: Exception) -> str:
    """The error in the active language when its code is known, else its own message."""
    if isinstance(error, CodedError) and error.code in MESSAGES:
        try:
            return str(MESSAGES[error.code]) % error.params
        except (KeyError, TypeError, ValueError):
            pass  # a parameter missing from the raise: the English message still says it
    return str(error)
