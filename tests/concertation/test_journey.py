"""Browser journey of issue 12, with axe checks: a worker proposes a person, the coordinator puts the case on
the planned session, holds it, records a decision owned by the ACI and publishes the minutes; the ACI's
counsellor sees the task and marks it done; the funder gets 404 on the session."""

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from concertation.enums import MinutesStatus, SessionStatus
from concertation.models import Minutes, Session
from parcours.models import Person
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()


def test_a_case_from_proposal_to_done_task(page: Page, live_server, celery_worker):
    call_command("seed_demo")
    base = live_server.url
    kevin = Person.objects.get(last_name="Dubois", first_name="Kevin")
    session = Session.objects.get(status=SessionStatus.PLANNED)

    # 1. The CHRS worker proposes Kevin from his file.
    log_in(page, base, "ts.chrs@demo.test")
    page.goto(f"{base}/personnes/{kevin.pk}/")
    page.get_by_role("link", name="Proposer en commission").click()
    expect(page.get_by_role("heading", name="Proposer en commission")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Présentation courte de la situation").fill("Fin de séjour CHRS et reprise d'emploi en vue.")
    page.get_by_label("Question posée à la commission").fill("Quel logement près du futur lieu de travail ?")
    page.get_by_role("button", name="Proposer en commission").click()
    expect(page.get_by_text("Situation proposée en commission : la coordination est informée.")).to_be_visible()
    log_out(page)

    # 2. The coordinator puts it on the planned session, holds the session and records the decisions.
    log_in(page, base, "coordination@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Commissions").click()
    expect(page.get_by_role("heading", name="Commissions de concertation")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Propositions (1 en attente)").click()
    card = page.get_by_role("article").filter(has_text="DUBOIS Kevin")
    expect(card).to_be_visible()
    assert serious_violations(page) == []
    card.get_by_label("Présentation", exact=True).select_option("NOMINATIVE")
    card.get_by_role("button", name="Inscrire à l'ordre du jour").click()
    expect(page.get_by_text("La situation est inscrite à l'ordre du jour")).to_be_visible()
    expect(page.get_by_role("link", name="DUBOIS Kevin")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Marquer la séance comme tenue").click()
    expect(page.locator("#statut-seance")).to_have_text("Tenue")
    session_url = page.url
    agenda = page.locator("section[aria-labelledby='ordre-du-jour'] tbody a")
    case_urls = [agenda.nth(i).get_attribute("href") for i in range(agenda.count())]
    kevin_url = page.get_by_role("link", name="DUBOIS Kevin").get_attribute("href")
    assert len(case_urls) == 4
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    for url in case_urls:
        page.goto(base + url)
        if url == kevin_url:
            expect(page.get_by_role("heading", name="La situation sur un écran")).to_be_visible()
            assert serious_violations(page) == []
            page.get_by_label("Type de décision").select_option(label="Action d'un partenaire")
            page.get_by_role("textbox", name="Décision").fill("Immersion de deux semaines à l'ACI, horaires de jour.")
            page.get_by_label("Structure responsable").select_option(label="ACI Les Jardins solidaires")
            page.get_by_label("Échéance").fill(due)
        else:
            page.get_by_label("Type de décision").select_option(label="Report")
            page.get_by_role("textbox", name="Décision").fill("Point à la prochaine séance.")
        page.get_by_role("button", name="Enregistrer la décision").click()
        expect(page.get_by_text("La décision est enregistrée.")).to_be_visible()
    page.goto(session_url)
    page.get_by_role("button", name="Publier le relevé de décisions").click()
    expect(page.get_by_text("Le relevé de décisions est en préparation")).to_be_visible()
    for _ in range(150):
        if Minutes.objects.filter(session=session, status=MinutesStatus.DONE).exists():
            break
        time.sleep(0.2)
    page.reload()
    expect(page.get_by_role("link", name="Télécharger le relevé de décisions (PDF)")).to_be_visible()
    assert serious_violations(page) == []
    log_out(page)

    # 3. The ACI's counsellor sees the task in the structure's inbox and marks it done.
    log_in(page, base, "cip.aci@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Tâches").click()
    expect(page.get_by_role("heading", name="Tâches confiées par les commissions")).to_be_visible()
    assert serious_violations(page) == []
    row = page.get_by_role("row").filter(has_text="Immersion de deux semaines à l'ACI, horaires de jour.")
    row.get_by_label("Nouveau statut").select_option(label="Fait")
    row.get_by_role("button", name="Mettre à jour la tâche").click()
    expect(page.get_by_text("La tâche est mise à jour.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Immersion de deux semaines à l'ACI, horaires de jour.")
    expect(row.get_by_role("cell", name="Fait", exact=True)).to_be_visible()
    log_out(page)

    # 4. The funder: the session does not exist for them.
    log_in(page, base, "financeur@demo.test")
    response = page.goto(session_url)
    assert response.status == 404
