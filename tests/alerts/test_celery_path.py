"""The real path: a change committed → task on the `alerts` queue (Redis) → real worker → alert."""

import time

import pytest
from django.db import transaction
from django.utils import timezone

from alerts.models import Alert
from alerts.tasks import run_alerts_for_people, run_alerts_for_person, run_alerts_nightly
from coordination.celery import app
from parcours import services
from parcours.models import HousingSituation
from parcours.signals import send_people_changed, send_person_changed
from tests.alerts.conftest import days
from tests.parcours.factories import FollowUpFactory, HousingSituationFactory, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_moving_a_planned_end_to_20_days_raises_the_alert_within_seconds(celery_worker, structure, worker):
    person = PersonFactory()
    FollowUpFactory(person=person, structure=structure, lead=True, referent=worker)
    stay = HousingSituationFactory(person=person, ending_in_days=200)
    with transaction.atomic():
        HousingSituation.objects.filter(pk=stay.pk).update(planned_end_on=days(20))
        send_person_changed(person.pk)  # what every people service does after a change (parcours.signals)
    assert wait_for(lambda: Alert.objects.filter(person=person, rule="STAY_END", status="OPEN").exists())
    assert Alert.objects.get(rule="STAY_END").severity == "URGENT"


def test_a_situation_recorded_through_the_service_queues_the_person_run(celery_worker, structure, worker):
    person = PersonFactory()
    FollowUpFactory(person=person, structure=structure, lead=True, referent=worker)
    situation = HousingSituation(residential_status="HOTEL_115", started_on=timezone.localdate(),
                                 planned_end_on=days(10))  # fmt: skip
    services.situation_record(person=person, by=worker, situation=situation)
    assert wait_for(lambda: Alert.objects.filter(person=person, rule="STAY_END").exists())


def test_the_nightly_task_runs_on_the_alerts_queue(celery_worker, structure, worker):
    person = PersonFactory()
    FollowUpFactory(person=person, structure=structure, lead=True, referent=worker)
    HousingSituationFactory(person=person, ending_in_days=40)
    result = run_alerts_nightly.apply_async()
    assert result.get(timeout=30)["STAY_END"][0] == 1
    assert run_alerts_for_person.delay(10**9).get(timeout=20) == {}  # a person gone: nothing, quietly
    routes = app.amqp.router.route({}, "alerts.tasks.run_alerts_nightly")
    assert routes["queue"].name == "alerts"
    assert "run-alerts-nightly" in app.conf.beat_schedule


def test_jobs_queued_under_the_names_before_the_move_still_run():
    """docs/architecture.md, "Migration notes": the old task names stay registered as aliases."""
    app.loader.import_default_modules()
    for old, new in [
        ("parcours.alerts.tasks.run_alerts_for_person", "alerts.tasks.run_alerts_for_person"),
        ("parcours.alerts.tasks.run_alerts_nightly", "alerts.tasks.run_alerts_nightly"),
        ("coordination.fse.tasks.generate_report", "fse.tasks.generate_report"),
    ]:
        assert app.tasks[old].run is app.tasks[new].run


def test_many_people_changed_at_once_queue_one_job_per_chunk_that_the_worker_runs(celery_worker, structure, worker):
    """An import sends `people_changed` once: one outbox job per 1,000 people, run set-wise by the worker."""
    from alerts import services as alert_services
    from outbox.models import OutboxMessage

    people = [PersonFactory() for _ in range(3)]
    for person in people:
        FollowUpFactory(person=person, structure=structure, lead=True, referent=worker)
        HousingSituationFactory(person=person, ending_in_days=20)
    ids = [p.pk for p in people]
    with transaction.atomic():
        send_people_changed(ids)
        queued = list(OutboxMessage.objects.values_list("task", "args"))
        assert queued == [("alerts.tasks.run_alerts_for_people", [sorted(ids)])]
    assert wait_for(lambda: Alert.objects.filter(person__in=people, rule="STAY_END").count() == 3)
    assert run_alerts_for_people.delay([10**9]).get(timeout=20) == {}  # people gone: nothing, quietly
    with transaction.atomic():
        alert_services.people_changed(range(1, alert_services.PEOPLE_CHUNK * 2 + 2))
        assert OutboxMessage.objects.filter(task="alerts.tasks.run_alerts_for_people").count() == 3
        transaction.set_rollback(True)
