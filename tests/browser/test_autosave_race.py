"""Issue 16 in a browser: the user clicks « Enregistrer et continuer » while their own autosave is in flight.

The autosave request reaches the server (the draft's lock version moves on) but its answer is held back, so the
page still carries the old lock version when the form is submitted: the race the browser walk lost 4 times in 10.
No false « Quelqu'un a enregistré ce brouillon… » conflict may appear, and the last input must be kept."""

import contextlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import FollowUpFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, user) -> None:
    """The session of a Django test client, handed to the browser (the log-in journey is tested elsewhere)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_save_and_continue_while_the_own_autosave_is_in_flight(page: Page, live_server, worker, structure):
    person = PersonFactory(last_name="Course", first_name="Léa")
    FollowUpFactory(person=person, structure=structure, housing=True, lead=True)
    draft = EvaluationFactory(person=person, structure=structure, author=worker, complete=True, education_level="")
    base = live_server.url
    sign_in(page, base, worker)

    held = []  # autosaves the server has answered, their answers not yet given to the page

    def hold_autosaves(route):
        request = route.request
        if request.method == "POST" and request.headers.get("hx-request") == "true":
            held.append((route, route.fetch()))
        else:
            route.continue_()

    page.route("**/evaluations/**", hold_autosaves)
    page.goto(base + reverse("evaluations:evaluation_edit", args=[draft.pk, "B"]))
    lock_before = page.locator("#id_lock_version").input_value()

    level = page.locator("#id_education_level")
    expect(level).to_be_visible()
    level.select_option("NV3")  # autosave after 800 ms
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the autosave was not sent"
    draft.refresh_from_db()
    assert draft.education_level == "NV3"  # saved on the server...
    assert page.locator("#id_lock_version").input_value() == lock_before  # ...the page does not know yet

    level.select_option("NV4")  # the user's last word, then at once « Enregistrer et continuer »
    page.get_by_role("button", name="Enregistrer et continuer").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Quelqu'un a enregistré ce brouillon", exact=False)).to_have_count(0)
    expect(page).to_have_url(base + reverse("evaluations:evaluation_edit", args=[draft.pk, "C"]))
    for route, response in held:  # the late answers change nothing any more (the page that sent them is gone)
        with contextlib.suppress(Exception):
            route.fulfill(response=response)
    draft = Evaluation.objects.get(pk=draft.pk)
    assert draft.education_level == "NV4"  # no input lost
