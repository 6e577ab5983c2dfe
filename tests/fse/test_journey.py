"""Browser journey: the coordinator reads the demo operation and generates its report; the funder downloads it
and cannot open a participant."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from fse import demo
from fse.models import Operation
from tests.browser.test_login_journey import log_in, serious_violations
from tests.parcours.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_coordinator_generates_the_report_and_the_funder_downloads_it(page: Page, live_server, celery_worker):
    PersonFactory.create_batch(24)
    call_command("seed_demo")
    operation = Operation.objects.get(number=demo.NUMBER)
    participant = operation.participants.first()
    total = operation.participants.count()

    log_in(page, live_server.url, "coordination@demo.test")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Opérations FSE").click()
    expect(page.get_by_role("heading", name="Opérations FSE")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name=demo.TITLE).click()
    expect(page.get_by_role("heading", name=demo.TITLE)).to_be_visible()
    eeco01 = page.get_by_role("row", name=re.compile("EECO01"))
    expect(eeco01.get_by_role("cell").last).to_have_text(str(total))
    assert serious_violations(page) == []

    page.get_by_role("button", name="Générer le rapport").click()
    expect(page.get_by_role("heading", name=re.compile("Rapport d'activité"))).to_be_visible()
    download_link = page.get_by_role("link", name=re.compile("Télécharger le rapport"))
    expect(download_link).to_be_visible(timeout=90_000)  # htmx polls the progress until the worker is done
    assert serious_violations(page) == []
    with page.expect_download() as download_info:
        download_link.click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, live_server.url, "financeur@demo.test")
    expect(page.get_by_role("heading", name="Rapports FSE")).to_be_visible()
    page.get_by_role("link", name=demo.TITLE).first.click()
    expect(page.get_by_role("heading", name=demo.TITLE)).to_be_visible()
    expect(page.get_by_role("link", name=participant.number)).to_have_count(0)
    assert serious_violations(page) == []
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger").first.click()
    with open(download_info.value.path(), "rb") as handle:
        assert handle.read(4) == b"%PDF"
    response = page.goto(f"{live_server.url}/fse/{operation.pk}/participants/{participant.pk}/")
    assert response.status == 404
