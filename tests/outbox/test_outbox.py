"""The outbox: jobs commit or roll back with the change, leave after commit, wait while the broker refuses."""

import pytest
from django.db import transaction

import outbox
from outbox import dispatch
from outbox.models import OutboxMessage


def test_a_rolled_back_change_queues_nothing(db, django_capture_on_commit_callbacks):
    def change_then_fail():
        with transaction.atomic():
            outbox.enqueue("coordination.tasks.ping")
            raise RuntimeError

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        change_then_fail()
    assert callbacks == []
    assert not OutboxMessage.objects.exists()


def test_the_job_is_written_with_the_change_and_leaves_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbox.enqueue("coordination.tasks.ping")
    row = OutboxMessage.objects.get()
    assert (row.task, row.args, row.kwargs) == ("coordination.tasks.ping", [], {})
    callbacks[0]()  # the commit: published to Redis, row deleted
    assert not OutboxMessage.objects.exists()


def test_one_job_per_key_and_transaction(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        outbox.enqueue("alerts.tasks.run_alerts_for_person", 10**9, key="alerts.person.1000000000")
        outbox.enqueue("alerts.tasks.run_alerts_for_person", 10**9, key="alerts.person.1000000000")
        outbox.enqueue("alerts.tasks.run_alerts_for_person", 10**9 + 1, key="alerts.person.1000000001")
    assert len(callbacks) == 2


def test_flush_sends_waiting_rows_oldest_first_and_keeps_none(db):
    OutboxMessage.objects.bulk_create(OutboxMessage(task="coordination.tasks.ping") for _ in range(3))
    assert dispatch.flush(batch=2) == 3
    assert not OutboxMessage.objects.exists()


def test_a_refusing_broker_keeps_the_rows_with_the_error(db, settings):
    from celery import current_app

    OutboxMessage.objects.create(task="coordination.tasks.ping")
    broker = current_app.conf.broker_url
    current_app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there: connection refused
    try:
        assert dispatch.flush() == 0
    finally:
        current_app.conf.broker_url = broker
    row = OutboxMessage.objects.get()
    assert row.attempts == 1
    assert "Connection refused" in row.last_error or "111" in row.last_error
    assert dispatch.flush() == 1
