"""Exclusive jobs: one run at a time across workers, and (when beat scheduled it) one run a day.

    with exclusive("alerts.nightly", daily=scheduled) as go:
        if go:
            ...

A PostgreSQL advisory lock (session level) keeps a second copy of the job out while one runs; it is released
when the run ends or when its worker dies (the connection closes), so a job re-delivered after a killed worker
(`acks_late`) runs again and completes. `daily=True` (the beat entry passes `scheduled=True`) also skips a run
when one already finished today (Europe/Paris): a restarted or duplicated beat does not run a nightly job twice.
"""

import zlib
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

from .models import JobRun

LOCK_NAMESPACE = 15_015  # first key of the two-key advisory lock: our jobs' namespace


@contextmanager
def exclusive(name: str, *, daily: bool = False):
    lock = zlib.crc32(name.encode()) - 2**31
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, lock])
        acquired = cursor.fetchone()[0]
    if not acquired:
        yield False
        return
    try:
        today = timezone.localdate().isoformat()
        run, _ = JobRun.objects.get_or_create(name=name)
        if daily and run.run_key == today and run.finished_at is not None:
            yield False
            return
        JobRun.objects.filter(pk=run.pk).update(run_key=today, started_at=timezone.now(), finished_at=None)
        yield True
        JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, lock])


def last_runs() -> dict:
    """Every exclusive job's last start and end (for `/healthz`)."""
    return {
        run.name: {
            "started_at": run.started_at.isoformat() if run.started_at else None,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        }
        for run in JobRun.objects.order_by("name")
    }
