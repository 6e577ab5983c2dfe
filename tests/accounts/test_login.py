import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_with_email_redirects_home(client, worker):
    response = login(client, worker.email, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == worker


def test_login_is_case_insensitive_on_email(client, worker):
    response = login(client, worker.email.upper(), PASSWORD)
    assert response.status_code == 302


def test_wrong_password_and_unknown_account_get_the_same_french_message(client, worker):
    wrong = login(client, worker.email, "mauvais-mot-de-passe")
    unknown = login(client, "personne@inconnu.test", "mauvais-mot-de-passe")
    assert wrong.status_code == unknown.status_code == 200
    message = "Adresse e-mail ou mot de passe incorrect"
    assert message in wrong.content.decode()
    assert message in unknown.content.decode()


def test_pages_require_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post_and_ends_the_session(client, worker):
    client.force_login(worker)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_session_idles_out_after_the_configured_time(client, worker, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    client.force_login(worker)
    client.get(reverse("home"))
    assert 29 * 60 < client.session.get_expiry_age() <= 30 * 60


class TestThrottling:
    def test_five_failures_lock_the_account_even_with_the_right_password(self, client, worker):
        for _ in range(4):
            assert login(client, worker.email, "mauvais").status_code == 200
        locked = login(client, worker.email, "mauvais")
        assert locked.status_code == 429
        response = login(client, worker.email, PASSWORD)
        assert response.status_code == 429
        content = response.content.decode()
        assert "Trop de tentatives de connexion" in content
        assert "15 minutes" in content
        assert worker.email not in content

    def test_an_unknown_account_is_locked_the_same_way(self, client, worker):
        for _ in range(5):
            response = login(client, "inconnu@example.test", "mauvais")
        assert response.status_code == 429
        known = [login(client, worker.email, "mauvais") for _ in range(5)][-1]
        # Same page, whether or not the account exists (only the lock-out counts differ by IP here).
        assert known.status_code == 429
        assert known.content == response.content

    def test_a_success_before_the_limit_resets_the_count(self, client, worker):
        for _ in range(4):
            login(client, worker.email, "mauvais")
        assert login(client, worker.email, PASSWORD).status_code == 302
        client.post(reverse("logout"))
        for _ in range(4):
            assert login(client, worker.email, "mauvais").status_code == 200
