"""Break-glass (R10): read-only FULL view for 60 minutes after a typed reason, logged and notified."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from audit.models import Action, AuditEntry
from parcours.models import BreakGlassGrant, Notification, NotificationKind
from tests.accounts.factories import MembershipFactory
from tests.parcours.test_url_leaks import MARKERS, history_rows, urls

pytestmark = pytest.mark.django_db

REASON = "Signalement d'un usage anormal du dossier à vérifier"


def _open(client, person, reason=REASON):
    return client.post(reverse("dpo:break_glass"), {"person_id": person.pk, "reason": reason})


def test_administrator_sees_no_file_without_break_glass(client, admin_user, person):
    client.force_login(admin_user)
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404


@pytest.mark.parametrize("who", ["admin_user", "dpo"])
def test_break_glass_opens_one_person_read_only_in_full_view(
    client, who, request, person, structure, manager, manager_of_other, dpo
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = _open(client, person)
    assert response.status_code == 302
    assert response["Location"] == reverse("parcours:person_detail", args=[person.pk])
    body = client.get(response["Location"]).content.decode()
    assert "QWERTYUIOP" in body
    assert "Accès exceptionnel en lecture seule" in body
    # FULL view: every structure's private notes (matrix: BG).
    body = client.get(response["Location"] + "?onglet=evenements").content.decode()
    assert "Note privée des Tilleuls n°1" in body
    assert "Note privée des Jardins n°2" in body
    # Read-only.
    assert client.post(reverse("parcours:person_edit", args=[person.pk]), {"last_name": "X"}).status_code == 403
    # Logged and shown in the person's trail.
    assert AuditEntry.objects.filter(user=user, action=Action.BREAK_GLASS, person_id=person.pk).count() == 1
    assert "Accès exceptionnel" in client.get(reverse("parcours:person_trail", args=[person.pk])).content.decode()
    # Notified to the DPO and to the managers of the following structures.
    notified = set(
        Notification.objects.filter(kind=NotificationKind.BREAK_GLASS, person=person).values_list(
            "recipient_id", flat=True
        )
    )
    expected = {manager.pk, manager_of_other.pk} | ({dpo.pk} if user != dpo else set())
    assert notified == expected


def test_short_reason_and_expired_grant_are_refused(client, admin_user, person):
    client.force_login(admin_user)
    response = _open(client, person, reason="pour voir")
    assert response.status_code == 200
    assert "20 caractères au moins" in response.content.decode()
    assert not BreakGlassGrant.objects.exists()
    _open(client, person)
    BreakGlassGrant.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404
    # Bad input never gives a 500.
    assert client.post(reverse("dpo:break_glass"), {"person_id": "x\x00", "reason": REASON}).status_code == 200
    response = client.post(reverse("dpo:break_glass"), {"person_id": 999999, "reason": REASON})
    assert "Aucun dossier ne porte ce numéro" in response.content.decode()


def test_grant_is_personal_and_other_roles_cannot_open_it(client, admin_user, coordinator, worker, person):
    client.force_login(admin_user)
    _open(client, person)
    other_admin = MembershipFactory(admin=True).user
    client.force_login(other_admin)
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404
    for user in (coordinator, worker):
        client.force_login(user)
        assert _open(client, person).status_code == 403


def test_giving_oneself_a_membership_in_the_admin_is_audited_and_notified(client, admin_user, structure, manager, dpo):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_membership_add"),
        {"user": admin_user.pk, "structure": structure.pk, "role": "SOCIAL_WORKER"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=admin_user, structure=structure)
    assert AuditEntry.objects.filter(
        user=admin_user, action=Action.SELF_MEMBERSHIP, object_id=str(membership.pk)
    ).exists()
    notified = set(
        Notification.objects.filter(kind=NotificationKind.SELF_MEMBERSHIP).values_list("recipient_id", flat=True)
    )
    assert notified == {dpo.pk, manager.pk}
    # Giving someone else a membership is ordinary administration.
    other = MembershipFactory().user
    client.post(
        reverse("admin:accounts_membership_add"), {"user": other.pk, "structure": structure.pk, "role": "MANAGER"}
    )
    assert AuditEntry.objects.filter(action=Action.SELF_MEMBERSHIP).count() == 1


def test_leak_walk_for_an_administrator_before_and_after_break_glass(client, file, admin_user):
    """privacy.md §3's cast includes "administrator before and after break-glass" (admin site pages aside: the
    admin classes are covered by their own policy tests)."""
    person, ids, _cast = file
    pages = [(name, url) for name, url in urls(ids) if not name.startswith("admin:") and name != "logout"]
    client.force_login(admin_user)
    for name, url in pages:
        body = client.get(url).content.decode(errors="replace")
        assert not [m for m in MARKERS if m in body], f"GET {name} leaks before break-glass"
    _open(client, person)
    assert MARKERS[1] in client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    for name, url in pages:
        before = history_rows()
        client.post(url, {})
        assert history_rows() == before, f"POST {name} changed the file under break-glass"
