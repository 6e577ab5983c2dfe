"""ACTION_OVERDUE: an overdue action of the shared plan raises an alert, and completing it resolves it — through
the real path (service → task on the `alerts` queue → real worker)."""

import datetime as dt
import time

import pytest
from django.utils import timezone

from alerts.models import Alert
from alerts.text import explain
from parcours import services
from parcours.models import Objective
from tests.alerts.conftest import open_alerts, run
from tests.parcours.factories import ActionFactory, FollowUpFactory, ObjectiveFactory, PersonFactory


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db
class TestRule:
    def test_fires_on_planned_overdue_actions_only(self, followed, structure):
        objective = ObjectiveFactory(person=followed, created_by_structure=structure)
        late = ActionFactory(objective=objective, overdue=True)
        ActionFactory(objective=objective)  # not due yet
        ActionFactory(objective=objective, overdue=True, done=True)
        run("ACTION_OVERDUE")
        (alert,) = open_alerts("ACTION_OVERDUE")
        assert (alert.subject_key, alert.severity, alert.due_on) == (f"action:{late.pk}", "WARNING", late.due_on)
        text = explain(alert, shows_health=False, today=timezone.localdate())
        assert "portée par" in text
        assert late.title not in text  # no free text in alerts
        Objective.objects.filter(pk=objective.pk).update(status="ABANDONED", abandon_reason="Parti.")
        run("ACTION_OVERDUE")
        assert open_alerts("ACTION_OVERDUE") == []

    def test_urgent_after_30_days_and_people_without_open_follow_up_are_ignored(self, followed, structure):
        objective = ObjectiveFactory(person=followed, created_by_structure=structure)
        ActionFactory(objective=objective, due_on=timezone.localdate() - dt.timedelta(days=31))
        unfollowed = PersonFactory()
        FollowUpFactory(person=unfollowed, structure=structure, ended=True)
        ActionFactory(objective=ObjectiveFactory(person=unfollowed, created_by_structure=structure), overdue=True)
        run("ACTION_OVERDUE")
        (alert,) = open_alerts("ACTION_OVERDUE")
        assert alert.person == followed
        assert alert.severity == "URGENT"


@pytest.mark.django_db(transaction=True)
def test_fires_and_resolves_with_a_real_worker(celery_worker, structure, worker):
    person = PersonFactory()
    FollowUpFactory(person=person, structure=structure, lead=True, referent=worker)
    objective = ObjectiveFactory(
        person=person, created_by_structure=structure, created_at=timezone.now() - dt.timedelta(days=20)
    )
    action = services.action_create(
        objective=objective, by=worker, title="Dossier CAF", owner_structure=structure,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )  # fmt: skip
    # The due date moves into the past (a correction): the person's rules run on the worker.
    action = services.action_update(
        action=action, by=worker, lock_version=action.lock_version,
        fields={"due_on": timezone.localdate() - dt.timedelta(days=2)},
    )  # fmt: skip
    assert wait_for(lambda: Alert.objects.filter(person=person, rule="ACTION_OVERDUE", status="OPEN").exists())
    services.action_update(action=action, by=worker, lock_version=action.lock_version, fields={"status": "DONE"})
    assert wait_for(
        lambda: Alert.objects.filter(
            person=person, rule="ACTION_OVERDUE", status="RESOLVED", resolution="AUTO"
        ).exists()
    )
