"""Issue 11 hardening: no-store on every signed-in response, password reset rate limit, lock-out per account and
IP (an office behind one NAT is not locked out together)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.accounts.factories import PASSWORD, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_password_reset_limits():
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match="*password-reset:*"):
        client.delete(key)


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_person_pages_csv_and_pdf_are_never_stored(client, worker, structure):
    from tests.parcours.factories import FollowUpFactory, PersonFactory

    person = PersonFactory()
    FollowUpFactory(person=person, structure=structure)
    client.force_login(worker)
    for url in [
        reverse("parcours:person_detail", args=[person.pk]),
        reverse("parcours:person_notice", args=[person.pk]),
        reverse("parcours:person_list"),
        reverse("parcours:referral_list"),
        reverse("home"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url


def test_exports_and_redirects_are_never_stored(client, coordinator):
    from tests.fse.factories import OperationFactory

    operation = OperationFactory()
    client.force_login(coordinator)
    export = client.get(reverse("fse:participant_export", args=[operation.pk, "csv"]))
    assert export.status_code == 200
    assert _no_store(export)
    assert _no_store(client.get(reverse("fse:participant_export", args=[operation.pk, "xlsx"])))


def test_static_files_stay_cacheable(client, worker, settings):
    settings.WHITENOISE_USE_FINDERS = True  # tests build no collected files (as in development)
    client.force_login(worker)
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert not _no_store(response)


# --- password reset rate limit ------------------------------------------------------------------------------
def test_password_reset_is_limited_per_email(client, worker, settings):
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_EMAIL):
        assert client.post(reverse("password_reset"), {"email": worker.email}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": worker.email.upper()})
    assert response.status_code == 429
    assert "Trop de demandes de réinitialisation" in response.content.decode()


def test_password_reset_is_limited_per_ip_whether_the_account_exists_or_not(client, settings):
    for index in range(settings.PASSWORD_RESET_LIMIT_PER_IP):
        response = client.post(reverse("password_reset"), {"email": f"inconnu{index}@example.test"})
        assert response.status_code == 302
    response = client.post(reverse("password_reset"), {"email": "encore@example.test"})
    assert response.status_code == 429
    other_ip = client.post(reverse("password_reset"), {"email": "encore@example.test"}, REMOTE_ADDR="192.0.2.50")
    assert other_ip.status_code == 302


# --- lock-out per account and IP ------------------------------------------------------------------------------
def _login(client, email, password, ip="198.51.100.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_one_account_locked_out_does_not_lock_its_office(client, worker, structure):
    colleague = MembershipFactory(structure=structure, social_worker=True).user
    for _ in range(5):
        response = _login(client, worker.email, "mauvais")
    assert response.status_code == 429
    assert _login(client, worker.email, PASSWORD).status_code == 429  # the account is locked from that IP
    assert _login(client, colleague.email, PASSWORD).status_code == 302  # same IP, another account: not locked
