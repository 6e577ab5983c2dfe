"""Browser journey: the coordinator signs in with the demo second factor; the DPO reads the dashboard, opens a
file through "Accès exceptionnel" and produces the full export of the demo access request."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from parcours.models import RightsRequest
from tests.accounts.otp import next_unused_code
from tests.browser.test_login_journey import log_in, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_signs_in_with_the_second_factor(page: Page, live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("seed_demo")
    page.goto(live_server.url + "/personnes/")
    page.get_by_label("Adresse e-mail").fill("coordination@demo.test")
    page.get_by_label("Mot de passe").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Validation en deux étapes")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Code de vérification").fill("000000")
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_text("Code incorrect ou expiré")).to_be_visible()
    device = TOTPDevice.objects.get(user__email="coordination@demo.test")
    page.get_by_label("Code de vérification").fill(next_unused_code(device))
    page.wait_for_timeout(1100)  # django-otp's throttling: one second after a failure
    page.get_by_role("button", name="Vérifier").click()
    expect(page).to_have_url(re.compile(r"/personnes/$"))
    page.get_by_role("link", name="Sécurité du compte").click()
    expect(page.get_by_text("Votre rôle exige un second facteur")).to_be_visible()
    assert serious_violations(page) == []


def test_dpo_dashboard_break_glass_and_full_export(page: Page, live_server):
    call_command("seed_demo")
    rights_request = RightsRequest.objects.get(handled_by__email="dpo@demo.test")
    log_in(page, live_server.url, "dpo@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Protection des données"
    ).click()
    expect(page.get_by_role("heading", name="Demandes d'exercice de droits, par échéance")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("link", name="Accès exceptionnel").click()
    page.get_by_label("Personne n°").fill(str(rights_request.person_id))
    page.get_by_label("Motif").fill("trop court")
    page.get_by_role("button", name="Ouvrir en lecture seule pour 60 minutes").click()
    expect(page.get_by_text("20 caractères au moins").first).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Motif").fill("Vérification d'une réclamation reçue par courrier")
    page.get_by_role("button", name="Ouvrir en lecture seule pour 60 minutes").click()
    expect(page.get_by_text("Accès exceptionnel en lecture seule")).to_be_visible()

    page.goto(live_server.url + f"/dpo/demandes/{rights_request.pk}/")
    page.get_by_role("button", name="Produire l'export complet (PDF et JSON)").click()
    expect(page.get_by_text("L'export complet est prêt")).to_be_visible()
    assert serious_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="JSON").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8")
    assert "Note privée du CHRS (démo)" in content
    assert "Note privée de l'ACI (démo)" in content
