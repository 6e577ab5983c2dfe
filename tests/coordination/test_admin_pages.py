"""Every admin list and add page opens for the administrator, or refuses plainly: never an error.

A browser walk found `/admin/concertation/session/add/` failing on a URL field without a scheme; this walks every
model the admin registers, so a new model admin is covered without editing the test.
"""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_every_admin_list_and_add_page_answers(client):
    client.force_login(MembershipFactory(admin=True).user)
    answers = {}
    for model in admin.site._registry:
        for page in ("changelist", "add"):
            try:
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}")
            except NoReverseMatch:
                continue
            answers[url] = client.get(url).status_code
    assert len(answers) > 40
    assert {url: status for url, status in answers.items() if status not in (200, 302, 403)} == {}
    assert answers[reverse("admin:concertation_session_add")] == 200


def test_the_admin_never_shows_a_second_factor_secret(client):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin_user = MembershipFactory(admin=True).user
    client.force_login(admin_user)  # gives the administrator a confirmed device (tests/accounts/otp.py)
    device = TOTPDevice.objects.get(user=admin_user)
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    assert client.get("/admin/otp_totp/totpdevice/999999/config/").status_code == 403  # not a 500
    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200
    assert device.key not in change.content.decode()
