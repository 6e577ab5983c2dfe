"""Issue 13 in a browser: the CHRS worker adds an objective suggested by a barrier with an action owned by the
ACI; the ACI counsellor is notified and completes it; the CHRS sees it in the activity feed, then copies the
« volet insertion professionnelle » of a housing request. Axe checks on every new page."""

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from parcours.models import HousingRequest, Objective
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()


def field(page: Page, label: str):
    return page.get_by_label(re.compile(r"^\s*" + re.escape(label)))


def test_shared_plan_notification_activity_and_employment_section(page: Page, live_server):
    call_command("seed_demo")
    base = live_server.url
    person = Objective.objects.order_by("pk").first().person
    request = HousingRequest.objects.filter(person=person, linked_evaluation_id__isnull=False).get()

    # The CHRS worker adds the objective the plan suggests from a barrier, and an action owned by the ACI.
    log_in(page, base, "ts.chrs@demo.test")
    page.goto(f"{base}/personnes/{person.pk}/")
    page.get_by_role("link", name="Plan d'accompagnement partagé").click()
    expect(page.get_by_role("heading", name="Plan d'accompagnement partagé")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name=re.compile("^Ajouter l'objectif suggéré")).first.click()
    expect(page.get_by_text("L'objectif a été ajouté au plan.")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Ajouter une action à l'objectif Lever le frein")).click()
    assert serious_violations(page) == []
    field(page, "Action").fill("Inscription à l'auto-école sociale")
    field(page, "Structure qui porte l'action").select_option(label="ACI Les Jardins solidaires")
    field(page, "À réaliser avant le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Ajouter l'action").click()
    expect(page.get_by_text("Le plan d'accompagnement a été mis à jour.")).to_be_visible()
    expect(page.get_by_role("cell", name="Inscription à l'auto-école sociale", exact=True)).to_be_visible()
    log_out(page)

    # The ACI counsellor is notified, and completes the action.
    log_in(page, base, "cip.aci@demo.test")
    page.goto(f"{base}/personnes/notifications/")
    expect(page.get_by_role("link", name="Action confiée à votre structure").first).to_be_visible()
    assert serious_violations(page) == []
    page.goto(f"{base}/personnes/{person.pk}/plan/")
    page.get_by_role("link", name="Mettre à jour l'action Inscription à l'auto-école sociale").click()
    field(page, "Statut").select_option(label="Réalisée")
    field(page, "Résultat").fill("Inscrite, premier cours de code la semaine prochaine.")
    page.get_by_role("button", name="Enregistrer l'action").click()
    expect(page.get_by_text("Le plan d'accompagnement a été mis à jour.")).to_be_visible()
    log_out(page)

    # The CHRS sees it in the activity feed.
    log_in(page, base, "ts.chrs@demo.test")
    page.goto(f"{base}/personnes/{person.pk}/")
    page.get_by_role("link", name="Fil d'activité").click()
    expect(
        page.get_by_text("Action « Inscription à l'auto-école sociale » réalisée (ACI Les Jardins solidaires).")
    ).to_be_visible()
    assert serious_violations(page) == []

    # … and copies the « volet insertion professionnelle » of the SIAO request.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page.goto(f"{base}/personnes/{person.pk}/")
    page.locator(f"a[href='/personnes/demandes-logement/{request.pk}/']").click()
    expect(page.get_by_role("heading", name="Volet insertion professionnelle")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("button", name="Copier le volet insertion professionnelle").click()
    expect(page.get_by_text("Copié dans le presse-papiers.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Volet insertion professionnelle\n")
    assert "Distance à l'emploi retenue" in copied
