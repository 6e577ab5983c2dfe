import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from partenaires.models import Structure
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_finds_their_chrs_and_changes_its_opening_hours(page: Page, live_server):
    call_command("seed_demo")
    log_in(page, live_server.url, "resp.chrs@demo.test")
    page.get_by_role("link", name="Annuaire").click()
    expect(page.get_by_role("heading", name="Annuaire des partenaires")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_label("Rechercher", exact=True).fill("hebergement")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name="CHRS Les Tilleuls")).to_be_visible()
    expect(page.get_by_role("link", name="Mission locale de la Vallée")).to_have_count(0)
    assert serious_violations(page) == []

    page.get_by_role("link", name="CHRS Les Tilleuls").click()
    expect(page.get_by_role("heading", name="CHRS Les Tilleuls", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Hébergement d'insertion")).to_be_visible()
    expect(page.get_by_text("Sophie Lefèvre", exact=True)).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Modifier la fiche").click()
    page.get_by_label("Horaires d'accueil").fill("Du lundi au samedi, 8 h – 19 h")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("La fiche a été mise à jour.")).to_be_visible()
    expect(page.get_by_text("Du lundi au samedi, 8 h – 19 h")).to_be_visible()
    assert Structure.objects.get(name="CHRS Les Tilleuls").opening_hours == "Du lundi au samedi, 8 h – 19 h"


def test_worker_reads_but_cannot_edit_and_the_calendar_is_accessible(page: Page, live_server):
    call_command("seed_demo")
    log_in(page, live_server.url, "cip.aci@demo.test")
    page.get_by_role("link", name="Annuaire").click()
    page.get_by_role("link", name="CHRS Les Tilleuls").click()
    expect(page.get_by_role("heading", name="CHRS Les Tilleuls", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Modifier la fiche")).to_have_count(0)

    page.goto(live_server.url + "/annuaire/actions/")
    expect(page.get_by_role("heading", name="Actions partenaires", level=1)).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Calendrier du mois").click()
    expect(page.get_by_role("table")).to_be_visible()
    assert serious_violations(page) == []
