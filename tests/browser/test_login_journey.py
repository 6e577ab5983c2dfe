import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def log_in(page: Page, base_url: str, email: str) -> None:
    """Password, then the second factor when the page asks for it (the user's TOTP device, e.g. the demo one)."""
    page.goto(base_url + "/")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    if "/deux-etapes/" not in page.url:
        return
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.otp import next_unused_code

    enrolling = "/deux-etapes/configurer/" in page.url
    device = TOTPDevice.objects.filter(user__email=email, confirmed=not enrolling).order_by("id").first()
    page.get_by_label("Code de vérification").fill(next_unused_code(device))
    if enrolling:  # no device yet: enrol with the secret the page shows, then leave the recovery codes page
        page.get_by_role("button", name="Activer").click()
        page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    else:
        page.get_by_role("button", name="Vérifier").click()


def test_social_worker_logs_in_sees_home_and_logs_out(page: Page, live_server):
    call_command("seed_demo")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    assert serious_violations(page) == []

    log_in(page, live_server.url, "ts.chrs@demo.test")
    expect(page.get_by_role("heading", name="Bonjour Camille")).to_be_visible()
    expect(page.get_by_text("CHRS Les Tilleuls").first).to_be_visible()
    expect(page.get_by_role("heading", name="Mes personnes suivies")).to_be_visible()
    assert serious_violations(page) == []

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()


def test_skip_link_is_the_first_keyboard_stop(page: Page, live_server):
    call_command("seed_demo")
    log_in(page, live_server.url, "ts.chrs@demo.test")
    expect(page.get_by_role("heading", name="Bonjour Camille")).to_be_visible()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
