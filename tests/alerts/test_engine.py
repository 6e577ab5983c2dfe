"""The engine: idempotence, overlapping runs, dismissal memory, dry run, per-person run, the command."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from alerts import engine
from alerts.enums import AlertStatus, DismissReason
from alerts.models import Alert, AlertTransition
from alerts.services import alert_dismiss, person_changed
from tests.alerts.conftest import days, open_alerts, run
from tests.parcours.factories import (
    EmploymentSituationFactory,
    FollowUpFactory,
    HousingSituationFactory,
    PersonFactory,
    ResourceFactory,
)


def build_cases(structure, worker, n=5):
    people = []
    for _ in range(n):
        person = PersonFactory()
        FollowUpFactory(person=person, structure=structure, lead=True, referent=worker)
        HousingSituationFactory(person=person, ending_in_days=20)
        EmploymentSituationFactory(person=person, employed=True, ending_in_days=40)
        ResourceFactory(person=person, ending_in_days=10)
        people.append(person)
    return people


def snapshot():
    return sorted(Alert.objects.values_list("person_id", "rule", "subject_key", "severity", "status", "due_on"))


@pytest.mark.django_db
class TestIdempotence:
    def test_two_runs_give_the_same_alerts(self, structure, worker):
        build_cases(structure, worker)
        first = {r.rule: r.created for r in engine.run()}
        before = snapshot()
        second = engine.run()
        assert snapshot() == before
        assert all(r.created == 0 and r.updated == 0 and r.resolved == 0 for r in second)
        assert first["STAY_END"] == 5
        assert first["EMPLOYMENT_LEVER"] == 5
        assert first["COMPLEX_CASE"] == 5
        assert AlertTransition.objects.filter(to_status=AlertStatus.OPEN).count() == len(before)

    def test_a_dismissed_alert_stays_closed_while_its_due_date_is_unchanged(self, followed, worker):
        stay = HousingSituationFactory(person=followed, ending_in_days=20)
        run("STAY_END")
        alert = open_alerts("STAY_END")[0]
        alert_dismiss(alert_id=alert.pk, by=worker, reason=DismissReason.FALSE_POSITIVE)
        run("STAY_END")
        assert open_alerts() == []
        stay.planned_end_on = days(25)
        stay.save()
        run("STAY_END")
        (new,) = open_alerts("STAY_END")
        assert new.pk != alert.pk

    def test_a_later_match_opens_a_new_alert_after_auto_resolution(self, followed):
        resource = ResourceFactory(person=followed, ending_in_days=20)
        run("RESOURCE_END")
        resource.expected_end_on = days(200)
        resource.save()
        run("RESOURCE_END")
        resource.expected_end_on = days(20)
        resource.save()
        run("RESOURCE_END")
        assert Alert.objects.filter(rule="RESOURCE_END").count() == 2
        assert len(open_alerts()) == 1

    def test_acknowledged_alerts_are_kept_and_updated(self, followed, worker):
        from alerts.services import alert_acknowledge

        stay = HousingSituationFactory(person=followed, ending_in_days=50)
        run("STAY_END")
        alert = alert_acknowledge(alert_id=open_alerts()[0].pk, by=worker)
        stay.planned_end_on = days(10)
        stay.save()
        run("STAY_END")
        alert.refresh_from_db()
        assert (alert.status, alert.severity, alert.due_on) == (AlertStatus.ACKNOWLEDGED, "URGENT", days(10))

    def test_only_the_alerts_whose_values_changed_are_updated(self, structure, worker, other_structure):
        """Unchanged matches are left out of the upsert; a new referent, structure, due date or severity is not."""
        from tests.accounts.factories import MembershipFactory

        people = build_cases(structure, worker, n=3)
        engine.run(rules=["STAY_END"])
        colleague = MembershipFactory(structure=other_structure, social_worker=True).user
        people[0].followups.update(referent=colleague, structure=other_structure)
        stay = people[1].housing_situations.get()
        stay.planned_end_on = days(5)
        stay.save()
        (result,) = engine.run(rules=["STAY_END"])
        assert (result.created, result.updated, result.resolved) == (0, 2, 0)
        moved = Alert.objects.get(person=people[0], rule="STAY_END")
        assert (moved.owner_id, moved.structure_id) == (colleague.pk, other_structure.pk)
        sooner = Alert.objects.get(person=people[1], rule="STAY_END")
        assert sooner.due_on == days(5)
        assert sooner.severity == "URGENT"

    def test_dry_run_saves_nothing_and_person_run_touches_one_person(self, structure, worker):
        one, two = build_cases(structure, worker, n=2)
        results = engine.run(dry_run=True)
        assert {r.rule: r.created for r in results}["STAY_END"] == 2
        assert Alert.objects.count() == 0
        engine.run(person_id=one.pk)
        assert set(Alert.objects.values_list("person_id", flat=True)) == {one.pk}
        # The per-person run resolves only that person's alerts.
        one.housing_situations.update(planned_end_on=days(300))
        engine.run(person_id=two.pk)
        assert Alert.objects.get(person=one, rule="STAY_END").status == AlertStatus.OPEN

    def test_a_run_for_several_people_touches_only_them(self, structure, worker):
        one, two, three = build_cases(structure, worker, n=3)
        engine.run(person_ids=[one.pk, three.pk, three.pk])
        assert set(Alert.objects.values_list("person_id", flat=True)) == {one.pk, three.pk}
        engine.run(person_ids=[])  # an empty set is nobody, not everybody
        assert not Alert.objects.filter(person=two).exists()

    def test_the_command_prints_counts_and_refuses_bad_ids(self, followed, capsys):
        HousingSituationFactory(person=followed, ending_in_days=20)
        call_command("run_alerts", "--dry-run")
        out = capsys.readouterr().out
        assert "STAY_END" in out
        assert "Simulation" in out
        assert Alert.objects.count() == 0
        call_command("run_alerts", "--person", str(followed.pk))
        assert Alert.objects.filter(person=followed).exists()
        for bad in ("abc", "999999999"):
            with pytest.raises(CommandError, match="Personne introuvable"):
                call_command("run_alerts", "--person", bad)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_create_no_duplicate(structure, worker):
    build_cases(structure, worker, n=8)
    errors, barrier = [], threading.Barrier(2)

    def nightly():
        try:
            barrier.wait()
            engine.run()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=nightly) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    keys = list(Alert.objects.open().values_list("person_id", "rule", "subject_key"))
    assert len(keys) == len(set(keys)) > 0
    assert Alert.objects.filter(rule="STAY_END").count() == 8


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_alert(followed):
    from django.db import IntegrityError

    Alert.objects.create(person=followed, rule="STAY_END", subject_key="housingsituation:1", severity="WARNING")
    with pytest.raises(IntegrityError), transaction.atomic():
        Alert.objects.create(person=followed, rule="STAY_END", subject_key="housingsituation:1", severity="URGENT")


@pytest.mark.django_db
def test_person_changed_queues_once_per_person_on_commit(followed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        person_changed(followed.pk)
        person_changed(followed.pk)
    assert len(callbacks) == 1
