"""The shared case file in a browser: create a person (with the duplicate warning), record a housing situation,
refer to the ACI, accept there, and check that the funder gets 404. Axe checks on the caseload and the file."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()


def field(page: Page, label: str):
    """An input by the start of its label (crispy adds an asterisk to required ones)."""
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label)))


def fill_person(page: Page, last_name: str, first_name: str) -> None:
    field(page, "Nom").fill(last_name)
    field(page, "Prénom").fill(first_name)
    field(page, "Date de naissance").fill("1991-03-14")
    field(page, "Sexe").select_option(label="Femme")
    field(page, "Votre accompagnement").select_option(label="Hébergement / logement")


def test_create_refer_accept_and_funder_404(page: Page, live_server):
    call_command("seed_demo")
    base = live_server.url
    log_in(page, base, "ts.chrs@demo.test")
    page.get_by_role("link", name="Personnes suivies", exact=True).click()
    expect(page.get_by_role("heading", name="Personnes suivies")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Nouvelle personne").click()
    fill_person(page, "Kouyaté", "Maïmouna")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("heading", name="KOUYATÉ Maïmouna")).to_be_visible()
    person_url = page.url

    # Retyping the same person with a typo: warned, with a link to the existing file.
    page.goto(base + "/personnes/nouvelle/")
    fill_person(page, "Kouyate", "Maimouna")
    page.get_by_role("button", name="Créer la fiche").click()
    expect(page.get_by_role("heading", name="Cette personne est peut-être déjà connue")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="KOUYATÉ Maïmouna").click()
    expect(page.get_by_role("heading", name="KOUYATÉ Maïmouna")).to_be_visible()
    assert page.url == person_url

    # A housing situation ending in 20 days.
    page.get_by_text("Autres actions").click()  # the grouped menu of the file
    page.get_by_role("link", name="Situation résidentielle").click()
    field(page, "Situation résidentielle").select_option(label="CHRS / insertion")
    today = timezone.localdate()
    field(page, "Début").fill(today.isoformat())
    field(page, "Fin de séjour prévue").fill((today + dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Enregistrer la situation").click()
    expect(page.get_by_text("La situation a été enregistrée.")).to_be_visible()
    expect(page.get_by_text("CHRS / insertion").first).to_be_visible()
    assert serious_violations(page) == []

    # Refer to the ACI.
    page.get_by_text("Autres actions").click()
    page.get_by_role("link", name="Orienter vers un partenaire").click()
    field(page, "Structure destinataire").select_option(label="ACI Les Jardins solidaires")
    field(page, "Accompagnement demandé").select_option(label="Emploi / insertion professionnelle")
    field(page, "Motif de l'orientation").fill("Souhaite reprendre une activité en chantier.")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(page.get_by_text("L'orientation a été envoyée.")).to_be_visible()
    log_out(page)

    # The ACI counsellor accepts and then sees the file.
    log_in(page, base, "cip.aci@demo.test")
    page.get_by_role("link", name="Orientations", exact=True).click()
    assert serious_violations(page) == []
    page.get_by_role("link", name="KOUYATÉ Maïmouna").click()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Accepter l'orientation").click()
    expect(page.get_by_role("heading", name="KOUYATÉ Maïmouna")).to_be_visible()
    expect(
        page.get_by_text("ACI Les Jardins solidaires — Emploi / insertion professionnelle, Karim Benali")
    ).to_be_visible()
    log_out(page)

    # The funder never sees a person.
    log_in(page, base, "financeur@demo.test")
    response = page.goto(person_url)
    assert response.status == 404


def test_person_file_is_accessible(page: Page, live_server):
    call_command("seed_demo")
    log_in(page, live_server.url, "ts.chrs@demo.test")
    page.get_by_role("link", name="Personnes suivies", exact=True).click()
    page.get_by_role("table").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Distance à l'emploi")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Événements").click()
    assert serious_violations(page) == []
