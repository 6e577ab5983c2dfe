"""Rules reading models of other branches (evaluations), run against stand-in tables.

PASS_IAE_END reads the real `parcours.PassIae` now: its tests are in test_rules.py.

The tables are created in a schema of their own, first on the search path, inside the test's transaction
(rolled back after): once the real models are merged, these tests still use the stand-ins, with exactly the
columns the rules read.
"""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from alerts.rules import complex_case, evaluation_missing
from tests.alerts.conftest import open_alerts, run
from tests.parcours.factories import FollowUpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stand_in_tables(monkeypatch):
    with connection.cursor() as c:
        c.execute("CREATE SCHEMA alerts_stand_in")
        c.execute("SET LOCAL search_path = alerts_stand_in, public")
        c.execute(
            "CREATE TABLE evaluations_evaluation (id bigserial PRIMARY KEY, person_id bigint, "
            "status varchar(10), is_current boolean, finalised_at timestamptz)"
        )
        c.execute(
            "CREATE TABLE evaluations_barrier (id bigserial PRIMARY KEY, evaluation_id bigint, "
            "theme varchar(32), status varchar(16))"
        )
    monkeypatch.setattr(evaluation_missing, "available", lambda: True)
    monkeypatch.setattr(complex_case, "evaluations_available", lambda: True)


def evaluation(person, days_ago, barriers=0):
    with connection.cursor() as c:
        c.execute(
            "INSERT INTO evaluations_evaluation (person_id, status, is_current, finalised_at) "
            "VALUES (%s, 'FINAL', true, %s) RETURNING id",
            [person.pk, timezone.now() - dt.timedelta(days=days_ago)],
        )
        pk = c.fetchone()[0]
        for i in range(barriers):
            c.execute(
                "INSERT INTO evaluations_barrier (evaluation_id, theme, status) VALUES (%s, %s, 'ACTIVE')", [pk, i]
            )
    return pk


def test_evaluation_missing_two_months_after_the_follow_up_start(stand_in_tables, followed):
    followed.followups.update(started_on=timezone.localdate() - dt.timedelta(days=60))
    run("EVALUATION_MISSING_OR_OUTDATED")
    assert open_alerts() == []
    followed.followups.update(started_on=timezone.localdate() - dt.timedelta(days=61))
    run("EVALUATION_MISSING_OR_OUTDATED")
    assert open_alerts("EVALUATION_MISSING_OR_OUTDATED")[0].subject_key == f"person:{followed.pk}"
    evaluation(followed, days_ago=10)
    run("EVALUATION_MISSING_OR_OUTDATED")
    assert open_alerts() == []


def test_evaluation_outdated_after_six_months(stand_in_tables, followed):
    pk = evaluation(followed, days_ago=184)
    run("EVALUATION_MISSING_OR_OUTDATED")
    assert open_alerts("EVALUATION_MISSING_OR_OUTDATED")[0].subject_key == f"evaluation:{pk}"


def test_complex_case_from_barriers_and_structures(stand_in_tables, followed, other_structure):
    evaluation(followed, days_ago=5, barriers=3)
    run("COMPLEX_CASE")
    assert open_alerts() == []  # one structure only
    FollowUpFactory(person=followed, structure=other_structure, employment=True)
    run("COMPLEX_CASE")
    assert open_alerts("COMPLEX_CASE")[0].facts["active_barriers"] == 3
