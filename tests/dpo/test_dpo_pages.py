"""The DPO role (privacy.md §2, §5): dashboard, audit search, settings; only the DPO and administrators."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from dpo.models import BulkAccessNotice, RetentionSettings
from dpo.services import flag_bulk_access
from parcours.models import Notification, NotificationKind, RightsRequest, add_months
from tests.parcours.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_dashboard_is_for_the_dpo_and_administrators(client, dpo, admin_user, worker, coordinator, funder):
    url = reverse("dpo:dashboard")
    for user in (worker, coordinator, funder):
        client.force_login(user)
        assert client.get(url).status_code == 403
    for user in (dpo, admin_user):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert "Demandes d'exercice de droits, par échéance" in body
        assert "Réglages de conservation" in body


def test_dashboard_lists_rights_requests_by_deadline_and_legal_holds(client, dpo, person):
    today = timezone.localdate()
    late = RightsRequest.objects.create(
        person=person, kind="ACCESS", received_on=today - dt.timedelta(days=40), handled_by=dpo
    )
    soon = RightsRequest.objects.create(person=person, kind="ERASURE", received_on=today, handled_by=dpo)
    extended = RightsRequest.objects.create(
        person=person, kind="OBJECTION", received_on=today - dt.timedelta(days=20), handled_by=dpo
    )
    extended.extended_to = extended.due_on + dt.timedelta(days=40)
    extended.save()
    held = PersonFactory(retention_hold_until=today + dt.timedelta(days=100), retention_hold_reason="Contentieux")
    client.force_login(dpo)
    body = client.get(reverse("dpo:dashboard")).content.decode()
    positions = [body.index(reverse("dpo:request_detail", args=[r.pk])) for r in (late, soon, extended)]
    assert positions == sorted(positions)
    assert f"Personne n° {held.pk}" in body
    assert "Contentieux" in body
    assert late.due_on == add_months(late.received_on, 1)


def test_audit_search_by_person_user_and_date_is_paginated(client, dpo, worker, person):
    for _i in range(60):
        AuditEntry.objects.create(user=worker, action=Action.EXPORT, person_id=person.pk)
    AuditEntry.objects.create(user=dpo, action=Action.VIEW, person_id=person.pk + 1000)
    client.force_login(dpo)
    url = reverse("dpo:audit_search")
    page = client.get(url, {"person_id": person.pk, "user": worker.pk, "start": timezone.localdate().isoformat()})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 60
    assert len(page.context["page"].object_list) == 50
    assert "Page 1 sur 2" in page.content.decode()
    assert client.get(url, {"person_id": person.pk + 1000}).context["page"].paginator.count == 1
    # Bad input: a French message, never a 500.
    bad = client.get(url, {"person_id": "abc", "start": "2024-13-45"})
    assert bad.status_code == 200
    assert bad.context["page"].paginator.count == 0
    # A NUL byte is refused before the view by the project's middleware, in French (issue 11).
    nul = client.get(url, {"person_id": "abc\x00"})
    assert nul.status_code == 400


def test_settings_are_the_dpos_and_refuse_bad_values(client, dpo, admin_user):
    client.force_login(dpo)
    url = reverse("dpo:settings_update")
    data = {
        "retention_months": 36,
        "warning_days": 30,
        "archive_months": 0,
        "export_expiry_days": 7,
        "account_inactive_months": 6,
        "audit_retention_months": 12,
        "bulk_access_threshold": 50,
    }
    client.post(url, data)
    assert RetentionSettings.load().retention_months == 36
    response = client.post(url, {**data, "retention_months": 0}, follow=True)
    assert "entre 1 et 240" in response.content.decode()
    assert RetentionSettings.load().retention_months == 36
    client.force_login(admin_user)
    assert client.post(url, {**data, "retention_months": 12}).status_code == 403


def test_more_than_fifty_files_a_day_notify_the_dpo_once(dpo, worker, colleague):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    at = timezone.make_aware(dt.datetime.combine(yesterday, dt.time(11)))
    entries = [AuditEntry(user=worker, action=Action.VIEW, person_id=i) for i in range(51)]
    entries += [AuditEntry(user=colleague, action=Action.VIEW, person_id=i) for i in range(50)]
    AuditEntry.objects.bulk_create(entries)
    AuditEntry.objects.filter(person_id__lt=100).update(at=at)
    assert flag_bulk_access() == 1
    assert flag_bulk_access() == 0  # idempotent
    notice = BulkAccessNotice.objects.get()
    assert (notice.user, notice.people_count, notice.day) == (worker, 51, yesterday)
    assert Notification.objects.filter(kind=NotificationKind.BULK_ACCESS, recipient=dpo).count() == 1
