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


def test_edit_an_address_and_merge_two_people(page, live_server) -> None:
    company = Company.objects.create(display_name="ООО «Вега ИТ»", name_key="вега ит")
    first = person_create(
        full_name="Шинкарев Борис Петрович",
        company=company,
        emails=["b.shinkarev@vega-it.exmaple"],  # a typo to correct
    )
    second = person_create(
        full_name="Шинкарев Борис", company=company, emails=["boris@vega-it.example"]
    )
    email = first.emails.get()

    page.goto(f"{live_server.url}/contacts/{first.pk}/")
    # The edit button swaps the table row for a form (htmx); the keyboard does the rest.
    page.click(f"#email-{email.pk} a.email-edit")
    field = page.locator(f"#email-{email.pk} input[name=address]")
    field.wait_for()
    field.fill("b.shinkarev@vega-it")
    field.press("Enter")
    page.wait_for_selector(".invalid-feedback")
    assert "has no dot" in page.locator(".invalid-feedback").inner_text()
    page.fill("input[name=address]", "b.shinkarev@vega-it.example")
    page.fill("input[name=reason]", "typo")
    page.press("input[name=reason]", "Enter")
    page.wait_for_selector("#email-table")
    assert "b.shinkarev@vega-it.example" in page.locator("#email-table").inner_text()
    email.refresh_from_db()
    assert email.address == "b.shinkarev@vega-it.example"

    # The page offers the other record as a likely duplicate; keep the second one.
    page.click("#duplicates a.merge-link")
    page.wait_for_selector("#merge-compare")
    page.check(f"input[name=survivor][value='{second.pk}']")
    page.click("#merge-submit")
    page.wait_for_url(f"{live_server.url}/contacts/{second.pk}/")
    table = page.locator("#email-table").inner_text()
    assert "b.shinkarev@vega-it.example" in table and "boris@vega-it.example" in table
    first.refresh_from_db()
    assert first.merged_into_id == second.pk

    # Un-merge from the hidden duplicate's page.
    page.goto(f"{live_server.url}/contacts/{first.pk}/")
    page.click("#unmerge")
    page.wait_for_selector("#email-table")
    first.refresh_from_db()
    assert first.merged_into_id is None
    assert list(first.emails.values_list("address", flat=True)) == ["b.shinkarev@vega-it.example"]
