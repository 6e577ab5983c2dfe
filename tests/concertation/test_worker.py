"""The real paths through Redis and a real Celery worker: the minutes on the `reports` queue, and a task
past its due date raising DECISION_OVERDUE in the alerts engine."""

import datetime as dt
import io
import time

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from alerts.models import Alert
from alerts.tasks import run_alerts_nightly
from concertation import services
from concertation.enums import MinutesStatus, TaskStatus
from concertation.models import Decision, Minutes
from coordination.celery import app
from tests.accounts.factories import MembershipFactory
from tests.concertation.factories import CaseReviewFactory, DecisionFactory
from tests.parcours.factories import ConsentFactory, FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_published_minutes_are_rendered_kept_and_mailed_without_names(
    celery_worker, held, coordinator, worker, outsider, structure
):
    named = PersonFactory(last_name="Nommée", first_name="Claire")
    hidden = PersonFactory(last_name="Cachée", first_name="Zoé")
    ConsentFactory(person=named, case_conference=True)
    ConsentFactory(person=hidden, coordination=True, refused=True)
    DecisionFactory(case=CaseReviewFactory(session=held, person=named, nominative=True), text="Orientation SIAO.")
    DecisionFactory(
        case=CaseReviewFactory(session=held, person=hidden, nominative=True, initials="Z. C."),
        text="Immersion ACI.",
        task=True,
        owner_structure=structure,
    )
    services.minutes_publish(session_id=held.pk, by=coordinator)
    assert wait_for(lambda: Minutes.objects.filter(session=held, status=MinutesStatus.DONE).exists())
    minutes = Minutes.objects.get(session=held)
    data = minutes.file.read()
    assert data.startswith(b"%PDF")
    import hashlib

    assert hashlib.sha256(data).hexdigest() == minutes.checksum
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "NOMMÉE Claire" in text
    assert "Orientation SIAO." in text
    assert "Cachée" not in text
    assert "CACHÉE" not in text
    assert "Zoé" not in text
    assert "Z. C." in text
    assert wait_for(lambda: len(mail.outbox) >= 3)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([coordinator.email, worker.email, outsider.email])
    for message in mail.outbox:
        for name in ("Nommée", "NOMMÉE", "Claire", "Cachée", "Zoé"):
            assert name not in message.body
            assert name not in message.subject
        assert f"/concertation/seances/{held.pk}/releve.pdf" in message.body
    assert app.amqp.router.route({}, "concertation.tasks.render_minutes")["queue"].name == "reports"


def test_a_task_past_its_due_date_raises_decision_overdue_then_closes_when_done(celery_worker, held, structure):
    person = PersonFactory()
    referent = MembershipFactory(structure=structure, social_worker=True).user
    FollowUpFactory(person=person, structure=structure, lead=True, referent=referent)
    decision = DecisionFactory(
        case=CaseReviewFactory(session=held, person=person), owner_structure=structure,
        due_on=timezone.localdate() + dt.timedelta(days=5),
    )  # fmt: skip
    assert run_alerts_nightly.delay().get(timeout=60)["DECISION_OVERDUE"] == [0, 0, 0]
    Decision.objects.filter(pk=decision.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    assert run_alerts_nightly.delay().get(timeout=60)["DECISION_OVERDUE"][0] == 1
    alert = Alert.objects.get(rule="DECISION_OVERDUE")
    assert alert.subject_key == f"decision:{decision.pk}"
    assert alert.owner == referent
    assert alert.status == "OPEN"
    # Done through the service: the person's rules rerun on the worker and the alert resolves by itself.
    services.task_set_status(decision_id=decision.pk, by=referent, status=TaskStatus.DONE)
    assert wait_for(lambda: Alert.objects.filter(pk=alert.pk, status="RESOLVED").exists())
