"""A social worker evaluates a demo person across sections, saves, reloads, finalises, compares, downloads."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from evaluations.models import Evaluation
from partenaires.territory import structure
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_evaluates_finalises_compares_and_downloads(page: Page, live_server):
    call_command("seed_demo")
    # A demo person of the CHRS with two finalised versions.
    person = Evaluation.objects.filter(version_no=2, structure=structure("chrs")).order_by("person_id").first().person
    log_in(page, live_server.url, "ts.chrs@demo.test")
    page.goto(f"{live_server.url}/evaluations/personnes/{person.pk}/")
    expect(page.get_by_role("cell", name="Version 2")).to_be_visible()
    page.get_by_role("button", name="Nouvelle version").click()

    # A: administrative situation, then "save and continue".
    expect(page.get_by_role("heading", name="A. Situation administrative")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Nationalité").select_option(label="Française")
    page.get_by_label("Droit au séjour").select_option(label="Sans objet (Français·e, UE)")
    page.get_by_label("Fin de validité du titre").fill("")
    page.get_by_label("Demande de renouvellement déposée le").fill("")
    page.get_by_label("Autorisation de travail").select_option(label="Oui")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # B: plain Save, then a reload keeps the answer.
    expect(page.get_by_role("heading", name="B. Formation")).to_be_visible()
    expect(page.get_by_text("Étape 2 sur 12")).to_be_visible()
    page.get_by_label("Niveau de formation").select_option(label="Baccalauréat")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("Brouillon enregistré.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Niveau de formation")).to_have_value("NV4")

    # I: autosave (htmx) without pressing any button.
    page.get_by_role("link", name="I. Disponibilité").click()
    page.get_by_label("Disponibilité pour un emploi").select_option(label="Disponible immédiatement")
    expect(page.get_by_text(re.compile("Brouillon enregistré à"))).to_be_visible()
    page.reload()
    expect(page.get_by_label("Disponibilité pour un emploi")).to_have_value("IMMEDIATE")

    # K: barriers by theme.
    page.get_by_role("link", name="K. Freins périphériques").click()
    assert serious_violations(page) == []
    page.get_by_label("Statut du frein « Mobilité »").select_option(label="Frein levé")
    page.get_by_label("Statut du frein « Numérique »").select_option(label="Frein actif")
    page.get_by_label("Sans équipement").check()
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # M then finalise.
    expect(page.get_by_role("heading", name="M. Synthèse")).to_be_visible()
    page.get_by_role("button", name="Enregistrer et finaliser").click()
    expect(page.get_by_role("heading", name="Finaliser l'évaluation")).to_be_visible()
    page.get_by_role("button", name="Finaliser cette version").click()

    # The synthesis says why, then the comparison with version 2 and the PDF.
    expect(page.get_by_text("Évaluation finalisée : version 3.")).to_be_visible()
    expect(page.get_by_role("heading", name="Distance à l'emploi")).to_be_visible()
    expect(page.get_by_text(re.compile(r"Calcul : disponibilité 0 \+ freins 0"))).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Comparer avec la version précédente").click()
    expect(page.get_by_role("heading", name="Freins levés")).to_be_visible()
    expect(page.get_by_text("Numérique : Sans équipement")).to_be_visible()
    page.get_by_role("link", name="Retour à la synthèse").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger la synthèse (PDF)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"


def test_draft_input_survives_a_network_drop(page: Page, live_server):
    call_command("seed_demo")
    person = Evaluation.objects.filter(version_no=2, structure=structure("chrs")).order_by("person_id").first().person
    log_in(page, live_server.url, "ts.chrs@demo.test")
    page.goto(f"{live_server.url}/evaluations/personnes/{person.pk}/")
    page.get_by_role("button", name="Nouvelle version").click()
    page.get_by_role("link", name="I. Disponibilité").click()
    expect(page.get_by_role("heading", name="I. Disponibilité")).to_be_visible()

    page.context.set_offline(True)
    page.get_by_label("Disponibilité pour un emploi").select_option(label="Pas prêt·e actuellement")
    expect(page.get_by_text("Connexion perdue")).to_be_visible()
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text(re.compile("Brouillon enregistré à"))).to_be_visible()
    expect(page.get_by_text("Connexion perdue")).to_be_hidden()
    page.reload()
    expect(page.get_by_label("Disponibilité pour un emploi")).to_have_value("NOT_READY")
