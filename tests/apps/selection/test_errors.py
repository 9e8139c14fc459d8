"""Selection errors: English for the CLI and API, the user's language in the views."""

from __future__ import annotations

import pytest
from django.utils import translation

from partnernet.apps.selection.errors import MESSAGES, user_message
from partnernet.apps.selection.selectors import SelectionError, fit_criteria, regional_selection
from partnernet.apps.selection.services import funnel_stage_update, quota_create
from partnernet.engines.selection.phased import RuleError, StageRule
from partnernet.engines.selection.regional import QuotaError, parse_quota


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("planet:3", "quota_territory"),
        ("city:a:b:c", "quota_syntax"),
        ("region:0", "quota_not_positive"),
    ],
)
def test_quota_errors_carry_a_code_the_ui_can_word(text: str, code: str) -> None:
    with pytest.raises(QuotaError) as caught:
        parse_quota(text)
    assert caught.value.code == code
    assert code in MESSAGES
    with translation.override("ru"):
        worded = user_message(caught.value)
    assert worded != str(caught.value)
    assert f"«{caught.value.params.get('quota', text)}»" in worded or "«planet»" in worded


@pytest.mark.parametrize(
    ("text", "code"),
    [("deals_12m ~ 3", "rule_syntax"), ("9x>=1", "rule_metric"), ("a>=b", "rule_number")],
)
def test_rule_errors_carry_a_code(text: str, code: str) -> None:
    with pytest.raises(RuleError) as caught:
        StageRule.parse(text)
    assert (caught.value.code, caught.value.params["rule"]) == (code, text)


@pytest.mark.django_db
def test_wrapped_engine_errors_keep_code_and_english_message() -> None:
    with pytest.raises(SelectionError) as caught:
        quota_create(spec="planet:3")
    assert caught.value.code == "quota_territory"
    assert str(caught.value).startswith("unknown territory type 'planet'")  # the CLI's words
    with translation.override("ru"):
        assert user_message(caught.value).startswith("Неизвестный тип территории «planet»")
    with translation.override("en"):
        assert user_message(caught.value).startswith("Unknown kind of territory “planet”")


@pytest.mark.django_db
def test_every_selection_error_code_has_a_wording() -> None:
    from partnernet.apps.selection.models import FunnelStageDefinition

    raised = []
    for call in (
        lambda: regional_selection(quotas=[]),
        lambda: fit_criteria(min_size="huge"),
        lambda: fit_criteria(niches=["underwater basket weaving"]),
        lambda: funnel_stage_update(
            stage=FunnelStageDefinition.objects.first(), rules="deals_12m ~ 3"
        ),
    ):
        with pytest.raises(SelectionError) as caught:
            call()
        raised.append(caught.value)
    for error in raised:
        assert error.code in MESSAGES, error.code
        with translation.override("ru"):
            assert user_message(error) != str(error)


def test_unknown_code_falls_back_to_the_message() -> None:
    error = SelectionError("something_new", "something new went wrong")
    assert user_message(error) == "something new went wrong"
    assert user_message(ValueError("plain")) == "plain"
