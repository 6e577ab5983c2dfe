"""Phones: every page of the leak walk's URL list that a demo role can open, at 390 px wide, never scrolls sideways,
and axe finds no serious violation on it.

The ids fill each URL family with a real demo object (a structure, an evaluation, a commission, a proposal…), so
the walk lays out real pages rather than 404s. Which pages a role can open is asked first through Django's test
client (fast, in-process); the browser then lays out those pages and the error pages, signed in as the role
(second factor included).
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, Error

from accounts.models import User
from alerts.models import Alert
from concertation.models import CaseReview, Commission, Decision, Session
from evaluations.enums import Section
from evaluations.models import Evaluation
from fse.models import Operation, Participant, Report
from observatoire.models import Proposal
from parcours.models import (
    Action,
    Consent,
    Event,
    FollowUp,
    HousingRequest,
    HousingSituation,
    Objective,
    PassIae,
    Person,
    Referral,
    RightsRequest,
)
from partenaires.models import Contact, PartnerAction, Service, Structure
from tests.browser.test_login_journey import log_in
from tests.parcours.test_url_leaks import urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Pages with a known sideways scroll at 390 px, each tracked in an open issue (none today: the plan's tables
# scroll inside their `.table-responsive` box, which now contains their visually hidden labels).
KNOWN_OVERFLOW: set[str] = set()
SKIPPED = {"logout", "set_language"}
# Each role opens at least this many pages of the walk: a role that suddenly sees almost nothing is a failure too.
ROLES = {
    "ts.chrs@demo.test": 50,
    "cip.aci@demo.test": 45,
    "resp.chrs@demo.test": 60,
    "coordination@demo.test": 55,
    "financeur@demo.test": 15,
    "admin@demo.test": 50,
}
# The widest element, to say what to fix when a page overflows.
OVERFLOW = """() => {
  const width = document.documentElement.scrollWidth;
  let widest = "";
  let right = 0;
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.right > right) { right = r.right; widest = el.tagName + "." + String(el.className).slice(0, 40); }
  }
  return [width, widest];
}"""


def first(queryset) -> int:
    return queryset.order_by("pk").values_list("pk", flat=True).first() or 1


def demo_ids() -> dict:
    """A demo person followed by the CHRS (with a plan when one exists), and one real object of each URL family."""
    worker = User.objects.get(email="ts.chrs@demo.test")
    visible = Person.objects.visible_to(worker).filter(referrals__isnull=False)
    person = visible.filter(objectives__isnull=False).order_by("pk").first() or visible.order_by("pk").first()
    structure = worker.memberships.order_by("pk").values_list("structure_id", flat=True).first()
    operation = first(Operation.objects.all())
    session = first(Session.objects.all())
    return {
        "pk": person.pk,
        "person_id": person.pk,
        "referral_id": first(Referral.objects.filter(person=person)),
        "situation_id": first(HousingSituation.objects.filter(person=person)),
        "event_id": first(Event.objects.filter(person=person)),
        "consent_id": first(Consent.objects.filter(person=person)),
        "followup_id": first(FollowUp.objects.filter(person=person)),
        "objective_id": first(Objective.objects.filter(person=person)),
        "action_id": first(Action.objects.filter(person=person)),
        "request_id": first(HousingRequest.objects.filter(person=person)),
        "pass_iae_id": first(PassIae.objects.filter(person=person)),
        "str:kind": "hebergement",
        "partenaires:pk": structure,
        "partenaires:service_pk": first(Service.objects.filter(structure_id=structure)),
        "partenaires:contact_pk": first(Contact.objects.filter(structure_id=structure)),
        "partenaires:action_pk": first(PartnerAction.objects.all()),
        "evaluations:pk": first(Evaluation.objects.filter(person=person)),
        "evaluations:str:section": Section.A.value,
        "alerts:pk": first(Alert.objects.filter(person=person)),
        "fse:pk": operation,
        "fse:participant_pk": first(Participant.objects.filter(operation_id=operation)),
        "fse:report_pk": first(Report.objects.all()),
        "dpo:request_id": first(RightsRequest.objects.all()),
        "concertation:commission_id": first(Commission.objects.all()),
        "concertation:session_id": session,
        "concertation:case_id": first(CaseReview.objects.filter(session_id=session)),
        "concertation:decision_id": first(Decision.objects.all()),
        "observatoire:pk": first(Proposal.objects.all()),
        "observatoire:from_id": structure,
        "observatoire:to_id": first(Structure.objects.exclude(pk=structure)),
    }


def openable_pages(user: User) -> list[tuple[str, str]]:
    """The HTML pages of the walk that `user` opens with a 200, asked through the test client."""
    client = Client()
    client.force_login(user)  # the second factor too (tests/accounts/otp.py)
    pages = []
    for name, url in urls(demo_ids()):
        if name in SKIPPED or name in KNOWN_OVERFLOW:
            continue
        response = client.get(url)
        if (
            response.status_code == 200
            and not getattr(response, "streaming", False)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            pages.append((name, url))
    return pages


@pytest.mark.parametrize("email", ROLES)
def test_every_page_fits_a_phone_and_passes_axe(browser: Browser, live_server, email):
    call_command("seed_demo")
    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    # The browser signs in first: a role without a second factor yet enrols one here, as a newcomer would.
    log_in(page, live_server.url, email)
    page.wait_for_load_state()
    assert "/deux-etapes/" not in page.url, page.url
    assert "/connexion/" not in page.url, page.url
    pages = openable_pages(User.objects.get(email=email))
    assert len(pages) >= ROLES[email], pages
    # The error page a role meets most: a missing object.
    pages.append(("404", "/personnes/999999999/"))
    # Layout only: scripts (htmx, Bootstrap's collapse) do not change the width of a closed page.
    context.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
    overflowing, failures, violations = [], [], []
    axe = Axe()
    for name, url in pages:
        try:
            response = page.goto(live_server.url + url, wait_until="domcontentloaded")
        except Error as error:
            failures.append(f"{name} {url}: {str(error).splitlines()[0]}")
            if page.is_closed():
                page = context.new_page()
            continue
        expected = 404 if name == "404" else 200
        if response is None or response.status != expected:
            failures.append(f"{name} {url}: {response and response.status}")
            continue
        width, widest = page.evaluate(OVERFLOW)
        if width > PHONE["width"]:
            overflowing.append(f"{name} {url}: {width} px ({widest})")
        if name.startswith("admin:"):  # Django's own admin templates: their layout is checked, not their axe
            continue
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in ("serious", "critical"):
                violations.append(f"{name} {url}: {violation['id']} {[n['target'] for n in violation['nodes']][:3]}")
    context.close()
    assert failures == [], "\n".join(failures)
    assert overflowing == [], "\n".join(overflowing)
    assert violations == [], "\n".join(violations)
