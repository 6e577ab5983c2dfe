"""Issue 11: authentication events go into the audit trail (privacy.md §5), ids only, never the typed e-mail."""

import re

import pytest
from django.core import mail
from django.urls import reverse

import audit
from audit.models import Action, AuditEntry
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


def login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR="192.0.2.7")


def test_a_login_and_a_logout_are_recorded(client, worker):
    assert login(client, worker.email, PASSWORD).status_code == 302
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert entry.user == worker
    assert entry.ip == "192.0.2.7"
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action=Action.LOGOUT, user=worker).exists()


def test_a_failed_login_names_the_account_by_id_and_never_stores_the_typed_email(client, worker):
    login(client, worker.email, "mauvais")
    login(client, "inconnu@example.test", "mauvais")
    known, unknown = AuditEntry.objects.filter(action=Action.LOGIN_FAILED).order_by("id")
    assert known.user == worker
    assert unknown.user is None
    rows = str(list(AuditEntry.objects.values()))
    assert worker.email not in rows
    assert "inconnu@example.test" not in rows


def test_a_lock_out_is_recorded(client, worker):
    for _ in range(5):
        response = login(client, worker.email, "mauvais")
    assert response.status_code == 429
    entry = AuditEntry.objects.get(action=Action.LOCKED_OUT)
    assert entry.user == worker


def test_a_password_change_is_recorded(client, worker):
    client.force_login(worker)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.PASSWORD_CHANGE, user=worker).exists()


def test_a_password_reset_through_the_link_is_recorded(client, worker):
    client.post(reverse("password_reset"), {"email": worker.email})
    link = re.search(r"https?://[^/]+(/comptes/reinitialiser/\S+)", mail.outbox[0].body).group(1)
    confirm_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(confirm_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert AuditEntry.objects.filter(action=Action.PASSWORD_RESET, user=worker).exists()


def test_record_auth_is_the_entry_point_for_other_auth_events(worker, rf):
    """The MFA work reuses `audit.record_auth` with its own actions."""
    entry = audit.record_auth(action=Action.LOGIN_FAILED, user=worker, request=rf.get("/", REMOTE_ADDR="192.0.2.9"))
    assert (entry.user, entry.ip, entry.person_id) == (worker, "192.0.2.9", None)
