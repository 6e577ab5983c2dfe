"""Browser journey: the coordinator reads the matrix, opens the unmet needs, attaches two figures to a new
proposal, submits it and downloads the note d'opportunité (rendered by a real Celery worker)."""

import re
import time

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from observatoire.enums import NoteStatus
from observatoire.models import OpportunityNote, Proposal
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
TITLE = "Accueil de jour tremplin vers l'emploi"


def test_coordinator_turns_figures_into_a_proposal_and_downloads_the_note(page: Page, live_server, celery_worker):
    call_command("seed_demo")
    log_in(page, live_server.url, "coordination@demo.test")
    expect(page.get_by_role("heading", name="Tableau de bord du territoire")).to_be_visible()
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Observatoire").click()
    expect(page.get_by_role("heading", name="Tableau de bord du territoire")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Matrice des partenariats").first.click()
    expect(page.get_by_role("heading", name="Matrice des partenariats", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Orientations")).first).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Propositions PTI").click()
    page.get_by_role("link", name="Nouvelle proposition").click()
    page.get_by_label("Intitulé").fill(TITLE)
    page.get_by_label("Besoin auquel le projet répond").fill("Des refus faute de place bloquent des parcours.")
    page.get_by_label("Public visé").fill("Personnes à la rue proches de l'emploi.")
    page.get_by_label("Partenaires").select_option(label=["ACI Les Jardins solidaires", "SIAO de la Vallée"])
    page.get_by_label("Moyens demandés").fill("Un local, deux postes.")
    page.get_by_label("Résultats attendus").fill("Des entrées en emploi.")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    for figure in ("Refus faute de place, par type d'offre et territoire", "Alertes closes sans solution, par règle"):
        page.get_by_role("link", name="Choisir des figures dans les besoins non couverts").click()
        expect(page.get_by_role("heading", name="Besoins non couverts", exact=True)).to_be_visible()
        assert serious_violations(page) == []
        page.get_by_role("link", name=f"Joindre à une proposition : {figure}").click()
        page.get_by_label("Proposition").select_option(label=TITLE)
        page.get_by_role("button", name="Joindre comme preuve").click()
        expect(page.get_by_role("heading", name=figure, exact=True)).to_be_visible()

    page.get_by_role("button", name="Soumettre au comité du PTI").click()
    expect(page.get_by_text("Proposition soumise au comité du PTI.")).to_be_visible()
    expect(page.get_by_text("Soumise au comité du PTI").first).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Télécharger ou préparer la note d'opportunité (PDF)").click()
    page.get_by_role("button", name="Préparer la note d'opportunité").click()
    expect(page.get_by_text(re.compile("État de la dernière note"))).to_be_visible()
    assert serious_violations(page) == []
    proposal = Proposal.objects.get(title=TITLE)
    for _ in range(180):
        if OpportunityNote.objects.filter(proposal=proposal, status=NoteStatus.DONE).exists():
            break
        time.sleep(0.5)
    page.get_by_role("link", name="Retour à la proposition").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger ou préparer la note d'opportunité (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
