"""Browser journey of a social worker handling an end-of-stay alert, with axe checks."""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from parcours.models import Person
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_acknowledges_an_end_of_stay_alert_then_it_resolves(page: Page, live_server, celery_worker):
    call_command("seed_demo")
    call_command("run_alerts")
    log_in(page, live_server.url, "ts.chrs@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Alertes").click()
    expect(page.get_by_role("heading", name="Alertes de risque de rupture")).to_be_visible()
    assert serious_violations(page) == []

    # The inbox groups by person; the stay end and the employment lever due the same week fold together.
    card = page.locator(".inbox-person").filter(has_text="MOREL Inès")
    expect(card).to_be_visible()
    folded = card.get_by_text("Plusieurs échéances la même semaine")
    if folded.count():
        folded.first.click()
    card.get_by_role("link", name="Fin de séjour proche").click()
    expect(page.get_by_role("heading", name="Fin de séjour proche")).to_be_visible()
    expect(page.get_by_text("aucune orientation logement en cours")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Note (facultative)").fill("Dossier SIAO relancé.")
    page.get_by_role("button", name="Prendre en compte").click()
    expect(page.get_by_text("Alerte prise en compte.")).to_be_visible()
    expect(page.locator("#statut-alerte")).to_have_text("Prise en compte")

    # The worker opens the person's file and records the new housing solution there; the service queues
    # the person's rules on commit, which the real worker runs: the alert resolves by itself.
    alert_url = page.url
    page.get_by_role("link", name="MOREL Inès").click()
    expect(page.get_by_role("heading", name="MOREL Inès")).to_be_visible()
    page.get_by_text("Autres actions").click()
    page.get_by_role("link", name="Situation résidentielle").click()
    page.get_by_label("Situation résidentielle").select_option(label="Location parc social")
    page.get_by_label("Début").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.get_by_text("La situation a été enregistrée.")).to_be_visible()
    person = Person.objects.get(last_name="Morel", first_name="Inès")
    for _ in range(100):
        if not person.alerts.filter(rule="STAY_END", status__in=["OPEN", "ACKNOWLEDGED"]).exists():
            break
        time.sleep(0.2)
    page.goto(alert_url)
    expect(page.locator("#statut-alerte")).to_have_text("Résolue — Résolue automatiquement")


def test_dismissing_without_a_reason_shows_the_error_next_to_the_field(page: Page, live_server):
    call_command("seed_demo")
    call_command("run_alerts")
    log_in(page, live_server.url, "ts.chrs@demo.test")
    page.goto(live_server.url + "/personnes/alertes/?rule=NO_CONTACT")
    page.get_by_role("link", name="Sans contact").first.click()
    page.get_by_role("button", name="Écarter l'alerte").click()
    expect(page.get_by_text("Choisissez pourquoi l'alerte est écartée.")).to_be_visible()
    assert serious_violations(page) == []


def test_the_coordinator_dashboard_and_settings_pass_axe(page: Page, live_server):
    call_command("seed_demo")
    call_command("run_alerts")
    log_in(page, live_server.url, "coordination@demo.test")
    page.goto(live_server.url + "/personnes/alertes/tableau-de-bord/")
    expect(page.get_by_role("img", name="Alertes créées et résolues par mois, sur 12 mois")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Modifier les seuils des règles").click()
    page.get_by_label("sans contact depuis (jours)").fill("0")
    page.get_by_role("button", name="Enregistrer les réglages").click()
    expect(page.get_by_text("Indiquez une valeur d'au moins 1.")).to_be_visible()
    assert serious_violations(page) == []
