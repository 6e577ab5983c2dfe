"""Phones: every page of the leak walk's URL list, as every demo role, at 390 px wide, never scrolls sideways."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Browser

from accounts.models import User
from parcours.models import Consent, Event, FollowUp, HousingSituation, Person, Referral
from tests.parcours.test_url_leaks import urls

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
KNOWN_OVERFLOW: set[str] = set()
ROLES = [
    "ts.chrs@demo.test",
    "cip.aci@demo.test",
    "resp.chrs@demo.test",
    "coordination@demo.test",
    "financeur@demo.test",
    "admin@demo.test",
]
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


def demo_ids() -> dict:
    """The ids of a demo person followed by the CHRS, with one of each of their objects."""
    worker = User.objects.get(email="ts.chrs@demo.test")
    person = Person.objects.visible_to(worker).filter(referrals__isnull=False).order_by("pk").first()

    def first(model):
        return model.objects.filter(person=person).order_by("pk").values_list("pk", flat=True).first() or 1

    return {
        "pk": person.pk,
        "person_id": person.pk,
        "referral_id": first(Referral),
        "situation_id": first(HousingSituation),
        "event_id": first(Event),
        "consent_id": first(Consent),
        "followup_id": first(FollowUp),
        "str:kind": "hebergement",
    }


@pytest.mark.parametrize("email", ROLES)
def test_no_page_scrolls_sideways_at_390_px(browser: Browser, live_server, email):
    call_command("seed_demo")
    # KNOWN_OVERFLOW: pages with a known sideways scroll at 390 px, each tracked in an open issue (none today:
    # the plan's tables scroll inside their `.table-responsive` box, which now contains their hidden labels).
    pages = [
        (name, url)
        for name, url in urls(demo_ids())
        if name not in ("logout", "set_language") and name not in KNOWN_OVERFLOW
    ]
    assert len(pages) > 40
    overflowing = []
    visited = 0
    for user_email in [email]:
        context = browser.new_context(viewport=PHONE, locale="fr-FR")
        # Layout only: scripts (htmx, Bootstrap's collapse) do not change the width of a closed page.
        context.route(re.compile(r".*\.js(\?.*)?$"), lambda route: route.abort())
        page = context.new_page()
        page.goto(live_server.url + "/comptes/connexion/")
        page.get_by_label("Adresse e-mail").fill(user_email)
        page.get_by_label("Mot de passe").fill(settings.DEMO_PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_load_state()
        for name, url in pages:
            try:
                response = page.goto(live_server.url + url, wait_until="domcontentloaded")
            except Exception:  # a download (PDF, CSV): no page to lay out
                continue
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            width, widest = page.evaluate(OVERFLOW)
            visited += 1
            if width > PHONE["width"]:
                overflowing.append(f"{user_email} {name} {url}: {width} px ({widest})")
        context.close()
    assert visited > 20
    assert overflowing == []
