"""A double submission of a form that creates something creates it once (sequential and simultaneous)."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluations.models import Evaluation
from fse.models import Report
from outbox.models import SubmissionKey
from parcours.models import Event, Referral
from tests.evaluations.factories import EvaluationFactory


def _event(key=None) -> dict:
    return {
        "kind": "INTERVIEW",
        "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "with_person": "on",
        "visibility": "PRIVATE",
        "text": "Point d'étape.",
        "submission_key": key or str(uuid.uuid4()),
    }


def test_the_forms_carry_a_fresh_key(client, worker, person):
    client.force_login(worker)
    url = reverse("parcours:event_create", args=[person.pk])
    first, second = (client.get(url).content.decode() for _ in range(2))
    assert 'name="submission_key"' in first
    keys = [page.split('name="submission_key" value="')[1][:36] for page in (first, second)]
    assert keys[0] != keys[1]


def test_event_sent_twice_is_recorded_once(client, worker, person):
    client.force_login(worker)
    url = reverse("parcours:event_create", args=[person.pk])
    data = _event()
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert Event.objects.filter(person=person).count() == 1
    third = client.post(url, _event())  # a new form: a new event
    assert third.status_code == 302
    assert Event.objects.filter(person=person).count() == 2


def test_a_refused_form_does_not_use_up_its_key(client, worker, person):
    client.force_login(worker)
    url = reverse("parcours:event_create", args=[person.pk])
    key = str(uuid.uuid4())
    bad = client.post(url, {**_event(key), "kind": "APPOINTMENT"})  # an appointment needs a status
    assert bad.status_code == 200
    assert not SubmissionKey.objects.exists()
    assert client.post(url, {**_event(key), "kind": "APPOINTMENT", "status": "PLANNED"}).status_code == 302
    assert Event.objects.filter(person=person).count() == 1


def test_referral_sent_twice_is_sent_once(client, worker, person, structure, other_structure):
    client.force_login(worker)
    url = reverse("parcours:referral_create", args=[person.pk])
    data = {
        "to_structure": other_structure.pk,
        "kind": "EMPLOYMENT",
        "motive": "Reprise d'activité.",
        "from_structure": structure.pk,
        "submission_key": str(uuid.uuid4()),
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    referral = Referral.objects.get(person=person)
    assert second.url == reverse("parcours:referral_detail", args=[referral.pk])


def test_report_requested_twice_is_rendered_once(client, coordinator, operation, django_capture_on_commit_callbacks):
    client.force_login(coordinator)
    url = reverse("fse:report_create", args=[operation.pk])
    data = {"start": "2026-01-01", "end": "2026-06-30", "submission_key": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url, data)
        client.post(url, data)
    assert Report.objects.filter(operation=operation).count() == 1
    assert len(callbacks) == 1


def _simultaneously(user, url: str, data: dict, n: int = 2) -> list[int]:
    """`n` clients POST the same form at the same moment (each thread has its own database connection)."""
    barrier = threading.Barrier(n)
    statuses: list[int] = []

    def post():
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            statuses.append(client.post(url, data).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


@pytest.mark.django_db(transaction=True)
def test_event_double_click_at_the_same_moment_creates_one(worker, person):
    url = reverse("parcours:event_create", args=[person.pk])
    statuses = _simultaneously(worker, url, _event(), n=3)
    assert statuses == [302, 302, 302]
    assert Event.objects.filter(person=person).count() == 1


@pytest.mark.django_db(transaction=True)
def test_evaluation_finalised_twice_at_the_same_moment_makes_one_version(worker, person, structure):
    draft = EvaluationFactory(person=person, structure=structure, author=worker, complete=True)
    url = reverse("evaluations:evaluation_finalise", args=[draft.pk])
    statuses = _simultaneously(worker, url, {"lock_version": draft.lock_version})
    assert all(status in (200, 302, 409) for status in statuses), statuses  # never a 500
    assert Evaluation.objects.filter(person=person, status="FINAL").count() == 1
    draft.refresh_from_db()
    assert draft.version_no == 1


@pytest.mark.django_db(transaction=True)
def test_import_confirmed_twice_at_the_same_moment_imports_once(coordinator, operation):
    import io

    from fse.models import ImportBatch, Participant
    from tests.fse.test_import import ROW, csv_bytes

    client = Client()
    client.force_login(coordinator)
    url = reverse("fse:participant_import", args=[operation.pk])
    upload = io.BytesIO(csv_bytes([ROW]))
    upload.name = "p.csv"
    client.post(url, {"file": upload})
    batch = ImportBatch.objects.get()
    statuses = _simultaneously(coordinator, url, {"batch": batch.pk})
    assert statuses == [302, 302]
    assert Participant.objects.filter(operation=operation).count() == 1
    batch.refresh_from_db()
    assert batch.created_count == 1
