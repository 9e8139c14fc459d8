"""The proposals review queue with the keyboard: j/k move, x selects, a accepts, r rejects."""

from __future__ import annotations

from partnernet.apps.contacts.models import Person, Proposal, ProposalStatus
from partnernet.apps.contacts.services import feedback_apply, person_create
from partnernet.apps.register.models import Company
from partnernet.engines.mailfeedback import parse_message
from tests.apps.contacts import messages as m

LEFT = (
    "Павел Горскин больше не работает в компании.\n"
    "По всем вопросам обращайтесь к Ольге Смирновой, менеджеру по работе с партнёрами:\n"
    "o.smirnova@vega-it.example, +7 (495) 700-10-25.\n"
)


def test_review_queue_by_keyboard(page, live_server) -> None:
    company = Company.objects.create(display_name="ООО «Вега ИТ»", name_key="вега ит")
    gorskin = person_create(
        full_name="Горскин Павел", company=company, emails=["p.gorskin@vega-it.example"]
    )
    feedback_apply(
        result=parse_message(m.autoreply("p.gorskin@vega-it.example", "Павел Горскин", LEFT)),
        message_ref="msg-l",
    )
    first, second = Proposal.objects.order_by("created_at", "id")

    page.goto(f"{live_server.url}/contacts/proposals/")
    page.wait_for_selector("#proposal-table tbody tr[data-id]")
    # The first row has focus: "j" moves to the second, "r" rejects just that one.
    page.keyboard.press("j")
    page.keyboard.press("r")
    page.wait_for_load_state()
    page.wait_for_selector("#proposal-count")
    assert page.locator("#proposal-count").inner_text() == "1"
    second.refresh_from_db()
    assert second.status == ProposalStatus.REJECTED

    page.keyboard.press("a")
    page.wait_for_load_state()
    page.wait_for_selector("#proposal-count")
    assert page.locator("#proposal-count").inner_text() == "0"
    first.refresh_from_db()
    assert first.status == ProposalStatus.ACCEPTED
    assert Person.objects.get(pk=gorskin.pk).status == "left"
