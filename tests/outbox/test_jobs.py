"""Exclusive jobs: one run at a time, and once a day when beat schedules them."""

import threading

import psycopg2
from django.db import connection

from alerts.tasks import run_alerts_nightly
from outbox.jobs import LOCK_NAMESPACE, exclusive
from outbox.models import JobRun
from parcours.tasks import expire_referrals


def test_a_scheduled_nightly_job_runs_once_a_day(db):
    first = run_alerts_nightly(scheduled=True)
    assert "STAY_END" in first
    run = JobRun.objects.get(name="alerts.run_alerts_nightly")
    assert run.finished_at is not None
    assert run_alerts_nightly(scheduled=True) == {}  # a second beat, or beat restarted: skipped
    assert "STAY_END" in run_alerts_nightly()  # by hand (not scheduled): runs again


def test_a_job_already_running_elsewhere_is_skipped(transactional_db):
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"] or None,
        host=settings["HOST"] or (settings["OPTIONS"] or {}).get("host"),  # the embedded server: a socket
        port=settings["PORT"] or None,
    )  # fmt: skip
    try:
        with other.cursor() as cursor:  # another worker holds the job's lock
            import zlib

            cursor.execute(
                "SELECT pg_advisory_lock(%s, %s)", [LOCK_NAMESPACE, zlib.crc32(b"parcours.expire_referrals") - 2**31]
            )
        assert expire_referrals() == 0
        assert not JobRun.objects.filter(name="parcours.expire_referrals").exists()
    finally:
        other.close()  # its lock goes with its connection (a killed worker's too)
    ran = []
    thread = threading.Thread(target=lambda: ran.append(_run_in_thread()))
    thread.start()
    thread.join()
    assert ran == [True]


def _run_in_thread() -> bool:
    try:
        with exclusive("parcours.expire_referrals") as go:
            return go
    finally:
        connection.close()
