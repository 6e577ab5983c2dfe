"""The person file in a browser, counting a person's interactions: recording a contact takes at most 3 from the
caseload, finishing a referral at most 5 from the synthesis; the summary fits 1366×900; tabs load on demand."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation
from parcours.models import Event, Person, Referral
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class Counter:
    """Each click, choice or typed field is one interaction of the person at the keyboard."""

    def __init__(self):
        self.count = 0

    def __call__(self, action):
        self.count += 1
        return action


def test_contact_in_3_and_referral_in_5_interactions(page: Page, live_server):
    call_command("seed_demo")
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, live_server.url, "ts.chrs@demo.test")
    page.get_by_role("link", name="Personnes suivies", exact=True).click()
    expect(page.get_by_role("heading", name="Personnes suivies")).to_be_visible()

    # A contact, from the caseload.
    contact = Counter()
    first = page.get_by_role("table").get_by_role("link").first
    name = first.inner_text()
    contact(first.click())
    contact(page.get_by_role("link", name="Noter un contact").click())
    contact(page.get_by_role("button", name="Enregistrer").click())
    expect(page.get_by_text("L'événement a été enregistré.")).to_be_visible()
    assert contact.count <= 3
    person = Person.objects.get(pk=int(re.search(r"/personnes/(\d+)/", page.url).group(1)))
    assert f"{person.last_name.upper()} {person.first_name}" == name
    assert Event.objects.filter(person=person, kind="INTERVIEW").exists()

    # The summary fits one screen at 1366×900, the distance to employment and its reasons included.
    evaluated = Evaluation.objects.current().exclude(recommended_orientation="").order_by("person_id").first()
    page.goto(f"{live_server.url}/personnes/{evaluated.person_id}/")
    expect(page.get_by_role("heading", name="Distance à l'emploi")).to_be_visible()
    bottom = page.evaluate("document.querySelector('.person-summary').getBoundingClientRect().bottom")
    assert bottom <= 900
    assert serious_violations(page) == []

    # A referral, from the synthesis: the link presets the kind the evaluation recommends.
    referral = Counter()
    before = Referral.objects.filter(person_id=evaluated.person_id).count()
    referral(page.get_by_role("link", name="Orienter selon la préconisation").click())
    referral(
        page.get_by_label(re.compile(r"^\s*Structure destinataire")).select_option(label="ACI Les Jardins solidaires")
    )
    referral(page.get_by_label(re.compile(r"^\s*Motif de l'orientation")).fill("Prête à reprendre un emploi."))
    referral(page.get_by_role("button", name="Envoyer l'orientation").click())
    expect(page.get_by_text("L'orientation a été envoyée.")).to_be_visible()
    assert referral.count <= 5
    assert Referral.objects.filter(person_id=evaluated.person_id).count() == before + 1


def test_tabs_load_on_demand_and_the_menu_opens_with_the_keyboard(page: Page, live_server):
    call_command("seed_demo")
    log_in(page, live_server.url, "ts.chrs@demo.test")
    page.get_by_role("link", name="Personnes suivies", exact=True).click()
    page.get_by_role("table").get_by_role("link").first.click()
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.get_by_role("link", name="Orientations", exact=True).last.click()
    expect(page).to_have_url(re.compile(r"onglet=orientations"))
    page.get_by_text("Autres actions").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Modifier l'identité")).to_be_visible()
    assert serious_violations(page) == []
