"""The language switch of the header: kept on the account, applied on every page, British dates in English."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db


def test_the_switch_is_kept_on_the_account(client, worker):
    client.force_login(worker)
    page = client.get(reverse("home")).content.decode()
    assert 'name="language" value="en"' in page
    response = client.post(reverse("set_language"), {"language": "en", "next": "/personnes/"})
    assert response.status_code == 302
    assert response["Location"] == "/personnes/"
    worker.refresh_from_db()
    assert worker.language == "en"
    client.cookies.clear()  # another browser: the account still says English
    client.force_login(worker)
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def test_bad_input_falls_back_to_french_and_never_leaves_the_site(client, worker):
    client.force_login(worker)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    worker.refresh_from_db()
    assert worker.language == "fr"
    assert client.get(reverse("set_language")).status_code == 405


def test_english_dates_are_day_first():
    with translation.override("en"):
        assert date_format(dt.date(2026, 12, 29), "SHORT_DATE_FORMAT") == "29/12/2026"
    with translation.override("fr"):
        assert date_format(dt.date(2026, 12, 29), "SHORT_DATE_FORMAT") == "29/12/2026"
