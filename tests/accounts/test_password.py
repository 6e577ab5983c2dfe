import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Un-nouveau-mot-de-passe-2026"


def test_password_reset_by_email(client, worker):
    response = client.post(reverse("password_reset"), {"email": worker.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [worker.email]
    assert "nouveau mot de passe" in message.subject
    link = re.search(r"https?://[^/]+(/comptes/reinitialiser/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    confirm_url = form_page.redirect_chain[-1][0]
    done = client.post(confirm_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)


def test_password_reset_does_not_reveal_unknown_addresses(client, worker):
    known = client.post(reverse("password_reset"), {"email": worker.email})
    unknown = client.post(reverse("password_reset"), {"email": "personne@inconnu.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_password_reset_with_a_bad_link_says_so_in_french(client):
    response = client.get("/comptes/reinitialiser/MQ/mauvais-jeton/")
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.content.decode()


def test_password_change_enforces_the_length_rule(client, worker):
    client.force_login(worker)
    page = client.get(reverse("password_change"))
    assert page.status_code == 200
    too_short = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "court", "new_password2": "court"},
    )
    assert too_short.status_code == 200
    assert "12 caractères" in too_short.content.decode()
    ok = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert ok.status_code == 302
    worker.refresh_from_db()
    assert worker.check_password(NEW_PASSWORD)
