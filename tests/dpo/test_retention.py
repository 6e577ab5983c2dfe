"""Retention (privacy.md §6): `apply_retention [--dry-run]`, set-wise, idempotent, all or nothing per person."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from dpo import retention
from dpo.models import AccessExport
from evaluations.models import Evaluation
from fse.models import Participant
from parcours.enums import FollowUpEndReason
from parcours.models import Event, Notification, NotificationKind, Person, add_months
from tests.accounts.factories import UserFactory
from tests.evaluations.factories import EvaluationFactory
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.parcours.factories import EventFactory, FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _contact(person, months, days=0, structure=None):
    at = timezone.make_aware(
        dt.datetime.combine(add_months(timezone.localdate(), -months) - dt.timedelta(days=days), dt.time(10))
    )
    Person.objects.filter(pk=person.pk).update(last_contact_at=at, created_at=at - dt.timedelta(days=30))
    return at


@pytest.fixture
def cast(structure, worker):
    due = PersonFactory(last_name="Echu", first_name="Un", phone="0600000001", email="echu@example.test")
    FollowUpFactory(person=due, structure=structure, housing=True, lead=True, referent=worker)
    EventFactory(person=due, structure=structure, text="Texte libre à effacer")
    _contact(due, 24, 3)
    held = PersonFactory(
        last_name="Retenu",
        retention_hold_until=timezone.localdate() + dt.timedelta(days=90),
        retention_hold_reason="Contentieux",
    )
    _contact(held, 30)
    soon = PersonFactory(last_name="Bientot")
    FollowUpFactory(person=soon, structure=structure, housing=True, lead=True, referent=worker)
    _contact(soon, 23, 10)
    recent = PersonFactory(last_name="Recent")
    _contact(recent, 3)
    return {"due": due, "held": held, "soon": soon, "recent": recent}


def _run(dry_run):
    out = io.StringIO()
    call_command("apply_retention", *(["--dry-run"] if dry_run else []), stdout=out)
    return dict(
        line.split(": ", 1)[0:1] + [int(line.split(": ", 1)[1].split(" ")[0])] for line in out.getvalue().splitlines()
    )


def test_dry_run_then_run_anonymises_exactly_those_due(cast, worker):
    before = {p.pk: (p.last_name, p.phone) for p in Person.objects.all()}
    counts = _run(dry_run=True)
    assert counts["people_anonymised"] == 1
    assert counts["warnings"] == 1
    assert {p.pk: (p.last_name, p.phone) for p in Person.objects.all()} == before  # the dry run changes nothing
    assert not Notification.objects.exists()

    counts = _run(dry_run=False)
    assert counts["people_anonymised"] == 1
    due = Person.objects.get(pk=cast["due"].pk)
    assert (due.last_name, due.first_name, due.phone, due.email) == ("ANONYME", "", "", "")
    assert due.birth_date.month == 1
    assert due.birth_date.day == 1
    assert due.anonymised_at is not None
    assert list(Event.objects.filter(person=due).values_list("text", flat=True)) == [""]
    assert not due.history.exclude(last_name="ANONYME").exists()  # the change history goes too
    assert set(Person.objects.filter(anonymised_at__isnull=True).values_list("pk", flat=True)) == {
        cast["held"].pk,
        cast["soon"].pk,
        cast["recent"].pk,
    }
    # The warning, 30 days before, to the lead referent, with the date.
    warning = Notification.objects.get(kind=NotificationKind.RETENTION_WARNING)
    assert (warning.recipient, warning.person_id) == (worker, cast["soon"].pk)
    # Idempotent.
    assert _run(dry_run=False)["people_anonymised"] == 0
    assert _run(dry_run=False)["warnings"] == 0


def test_an_interrupted_batch_leaves_people_untouched(cast, monkeypatch):
    from evaluations import retention as evaluations_retention

    def boom(ids):
        raise RuntimeError("interrupted")

    monkeypatch.setattr(evaluations_retention, "clear_free_text", boom)
    with pytest.raises(RuntimeError):
        retention.anonymise_due()
    due = Person.objects.get(pk=cast["due"].pk)
    assert (due.last_name, due.anonymised_at) == ("Echu", None)
    assert Event.objects.get(person=due).text == "Texte libre à effacer"


def test_finalised_evaluation_text_is_cleared_despite_the_immutability_trigger(cast):
    evaluation = EvaluationFactory(person=cast["due"], complete=True, final=True, worker_synthesis="Synthèse libre")
    retention.anonymise_due()
    assert Evaluation.objects.get(pk=evaluation.pk).worker_synthesis == ""


def test_followups_without_contact_for_two_years_end(structure):
    person = PersonFactory()
    old = FollowUpFactory(
        person=person, structure=structure, housing=True, started_on=timezone.localdate() - dt.timedelta(days=900)
    )
    fresh = FollowUpFactory(person=person, structure=structure, employment=True)
    _contact(person, 1)
    assert retention.rights.end_followups_without_contact(retention.policy(), dry_run=True) == 1
    retention.apply_retention()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.end_reason, old.ended_on) == (FollowUpEndReason.NO_CONTACT, timezone.localdate())
    assert fresh.ended_on is None


def test_fse_records_are_kept_until_the_audit_date_then_deleted(cast):
    kept = ParticipantFactory(
        operation=OperationFactory(audit_retention_until=timezone.localdate() + dt.timedelta(days=1)),
        person=cast["due"],
    )
    gone = ParticipantFactory(
        operation=OperationFactory(audit_retention_until=timezone.localdate() - dt.timedelta(days=1))
    )
    counts = _run(dry_run=False)
    assert counts["fse_participants_deleted"] == 1
    assert not Participant.objects.filter(pk=gone.pk).exists()
    kept.refresh_from_db()
    assert kept.person_id is None  # anonymising the social file only clears the link
    assert kept.last_name != ""


def test_exports_expire_and_unused_accounts_are_deactivated(db, dpo, cast):
    from parcours.models import RightsRequest

    rr = RightsRequest.objects.create(
        person=cast["recent"], kind="ACCESS", received_on=timezone.localdate(), handled_by=dpo
    )
    AccessExport.objects.create(
        rights_request=rr, person_id=rr.person_id, created_by=dpo, expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    AccessExport.objects.create(
        rights_request=rr, person_id=rr.person_id, created_by=dpo, expires_at=timezone.now() + dt.timedelta(days=6)
    )
    idle = UserFactory(last_login=timezone.now() - dt.timedelta(days=200))
    active = UserFactory(last_login=timezone.now() - dt.timedelta(days=20))
    counts = _run(dry_run=False)
    assert counts["exports_expired"] == 1
    assert AccessExport.objects.count() == 1
    assert not User.objects.get(pk=idle.pk).is_active
    assert User.objects.get(pk=active.pk).is_active


def test_demo_dry_run_then_run_anonymises_exactly_the_old_demo_files(db):
    call_command("seed_demo", stdout=io.StringIO())
    due = set(Person.objects.filter(last_name="Ancien", anonymised_at__isnull=True).values_list("pk", flat=True))
    assert len(due) == 2
    assert _run(dry_run=True)["people_anonymised"] == 2
    _run(dry_run=False)
    assert set(Person.objects.filter(anonymised_at__isnull=False).values_list("pk", flat=True)) == due
    assert Person.objects.filter(last_name="Litige", anonymised_at__isnull=True).exists()
