"""Second factor (privacy.md §8): required for coordinators, administrators and the DPO, available to everyone."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import resolve, reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_TOTP_KEY
from audit.models import Action, AuditEntry
from tests.accounts.factories import PASSWORD, MembershipFactory
from tests.accounts.otp import current_code, force_login_without_second_factor, next_unused_code
from tests.parcours.test_url_leaks import urls

pytestmark = pytest.mark.django_db

SETUP = reverse("accounts:mfa_setup")
VERIFY = reverse("accounts:mfa_verify")
EXEMPT = {"logout", "accounts:mfa_setup", "accounts:mfa_verify", "accounts:mfa_recovery_codes", "healthz"}


@pytest.fixture
def admin(db):
    return MembershipFactory(admin=True).user


def _every_page():
    ids = {"pk": 1, "person_id": 1, "str:kind": "hebergement"}
    for name, url in urls(ids):
        if name in EXEMPT or not getattr(resolve(url).func, "login_required", True):
            continue  # public pages (login, password reset) and the second-factor pages themselves
        yield name, url


@pytest.mark.parametrize("who", ["coordinator", "admin", "dpo"])
def test_without_a_second_factor_no_page_is_reachable(client, who, request):
    user = request.getfixturevalue(who)
    force_login_without_second_factor(client, user)
    pages = list(_every_page())
    assert len(pages) > 50
    assert any(name == "parcours:person_list" for name, _u in pages)
    for name, url in pages:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{method.__name__.upper()} {name} answered {response.status_code}"
            assert response["Location"].startswith(SETUP), f"{name} does not send to enrolment"


def test_with_a_device_not_yet_verified_pages_send_to_verification(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    force_login_without_second_factor(client, coordinator)
    response = client.get(reverse("parcours:person_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert "next=%2Fpersonnes%2F" in response["Location"]


def test_forced_login_of_tests_is_verified(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("home")).status_code == 200


def test_worker_needs_no_second_factor(client, worker):
    client.post(reverse("login"), {"username": worker.email, "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200


def _password_step(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD, "next": "/personnes/"})
    assert response.status_code == 302
    return client.get(response["Location"])


def test_sign_in_with_code_then_replay_and_old_code_are_refused(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    response = _password_step(client, coordinator)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    page = client.get(response["Location"])
    assert "Code de vérification" in page.content.decode()
    code = next_unused_code(device)
    response = client.post(VERIFY, {"code": code, "next": "/personnes/"})
    assert response.status_code == 302
    assert response["Location"] == "/personnes/"
    assert client.get(reverse("parcours:person_list")).status_code == 200

    # Same code again in a new session: a replay, refused in French and logged.
    client.logout()
    _password_step(client, coordinator)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Ce code a déjà été utilisé" in response.content.decode()
    assert AuditEntry.objects.filter(user=coordinator, action=Action.MFA_FAILURE, detail="mfa:replayed").exists()
    assert client.get(reverse("parcours:person_list")).status_code == 302


def test_code_outside_the_time_window_is_refused(client, coordinator):
    device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    _password_step(client, coordinator)
    stale = current_code(device, step_offset=-5)  # two and a half minutes old
    response = client.post(VERIFY, {"code": stale})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert AuditEntry.objects.filter(user=coordinator, action=Action.MFA_FAILURE, detail="mfa:invalid").count() == 1
    # Hostile input: never a 500.
    for junk in ["", "x" * 500, "12\x0034", "<script>"]:
        assert client.post(VERIFY, {"code": junk}).status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret_then_recovery_codes(client, coordinator):
    _password_step(client, coordinator)
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert "<svg" in page
    from accounts.mfa import base32_secret

    assert base32_secret(device) in page
    response = client.post(SETUP, {"code": current_code(device)})
    assert response.status_code == 200
    body = response.content.decode()
    codes = list(StaticToken.objects.filter(device__user=coordinator).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in body for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("parcours:person_list")).status_code == 200

    # A recovery code signs in once.
    client.logout()
    _password_step(client, coordinator)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    _password_step(client, coordinator)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200


def test_enrolled_device_cannot_be_replaced_without_verifying_it(client, coordinator):
    TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
    _password_step(client, coordinator)
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response["Location"] == VERIFY


def test_a_worker_may_enrol_and_is_then_asked_for_the_code(client, worker):
    client.post(reverse("login"), {"username": worker.email, "password": PASSWORD})
    assert "Configurer une application" in client.get(reverse("accounts:security")).content.decode()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=worker)
    client.post(SETUP, {"code": current_code(device)})
    client.logout()
    response = _password_step(client, worker)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_demo_otp_prints_the_demo_code_and_refuses_other_accounts(db, worker):
    call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_otp", "coordination@demo.test", stdout=out, stderr=io.StringIO())
    device = TOTPDevice.objects.get(user__email="coordination@demo.test")
    assert device.key == DEMO_TOTP_KEY
    assert out.getvalue().strip() == current_code(device)
    for email in ("ts.chrs@demo.test", worker.email):
        with pytest.raises(CommandError, match="Refused"):
            call_command("demo_otp", email, stdout=io.StringIO())
    assert TOTPDevice.objects.filter(user__email="dpo@demo.test", key=DEMO_TOTP_KEY).exists()
