"""The daily digest (counts, links, first name and initial only) and the escalation to coordinators."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from alerts import notify
from alerts.models import Alert, AlertSettings
from alerts.tasks import escalate_alerts, send_alert_digests
from tests.alerts.factories import AlertFactory
from tests.parcours.factories import FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_digest_lists_counts_and_links_with_first_name_and_initial(structure, worker, colleague):
    person = PersonFactory(first_name="Aïcha", last_name="Benhamou")
    FollowUpFactory(person=person, structure=structure, lead=True, referent=worker)
    urgent = AlertFactory(person=person, owner=worker, urgent=True, rule="STAY_END", subject_key="x:1")
    AlertFactory(person=person, owner=worker)
    AlertFactory(person=person, owner=worker, dismissed=True, subject_key="x:2")  # closed: not in the digest
    AlertFactory(person=PersonFactory(), owner=colleague)
    assert send_alert_digests() == 2
    mine = next(m for m in mail.outbox if m.to == [worker.email])
    assert mine.subject == "Vos alertes ouvertes : 2"
    assert "Aïcha B." in mine.body
    assert "Benhamou" not in mine.body
    assert "Benhamou" not in mine.subject
    assert "Urgentes : 1" in mine.body
    assert "À traiter : 1" in mine.body
    assert f"/personnes/alertes/{urgent.pk}/" in mine.body
    assert "/personnes/alertes/" in mine.body


def test_no_digest_without_open_alerts(worker):
    assert notify.send_digests() == 0
    assert mail.outbox == []


def test_the_digest_is_capped_and_says_how_many_more(worker):
    person = PersonFactory()
    for i in range(notify.DIGEST_MAX_LINES + 3):
        AlertFactory(person=person, owner=worker, subject_key=f"x:{i}")
    notify.send_digests()
    assert "… et 3 autre(s)." in mail.outbox[0].body


def test_escalation_after_7_days_once_and_only_unacknowledged(coordinator, worker, django_capture_on_commit_callbacks):
    old = AlertFactory(owner=worker)
    acknowledged = AlertFactory(owner=worker, acknowledged=True)
    recent = AlertFactory(owner=worker)
    eight_days_ago = timezone.now() - dt.timedelta(days=8)
    Alert.objects.filter(pk__in=[old.pk, acknowledged.pk]).update(created_at=eight_days_ago)
    Alert.objects.filter(pk=recent.pk).update(created_at=timezone.now() - dt.timedelta(days=6))
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_alerts() == 1
    assert set(Alert.objects.filter(escalated_at__isnull=False).values_list("pk", flat=True)) == {old.pk}
    assert mail.outbox[0].to == [coordinator.email]
    assert mail.outbox[0].subject == "1 alerte(s) non prise(s) en charge depuis 7 jours"
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_alerts() == 0  # once only
    assert len(mail.outbox) == 1


def test_escalation_delay_is_a_setting(coordinator, worker):
    AlertSettings.objects.update_or_create(pk=1, defaults={"escalation_days": 3})
    alert = AlertFactory(owner=worker)
    Alert.objects.filter(pk=alert.pk).update(created_at=timezone.now() - dt.timedelta(days=4))
    assert notify.escalate() == 1


def test_short_name():
    assert notify.short_name("Léa", "martin") == "Léa M."
    assert notify.short_name("Léa", "") == "Léa"


def test_managers_get_the_alerts_without_owner_in_their_digest(structure, manager, worker):
    person = PersonFactory(first_name="Noé", last_name="Petit")
    FollowUpFactory(person=person, structure=structure)  # no lead referent
    AlertFactory(person=person)
    assert notify.send_digests() == 1
    assert mail.outbox[0].to == [manager.email]
    assert "Noé P." in mail.outbox[0].body
