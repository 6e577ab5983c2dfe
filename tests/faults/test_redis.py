"""Redis stops: pages keep serving, saves keep working, the jobs wait in the outbox and leave when it is back.

Before the outbox (issue 15), recording an event with Redis stopped gave a 500 after ~20 s: the alert run queued
after the commit (`run_alerts_for_person.delay`) retried the broker and the result store, then raised.
"""

import uuid

import pytest
import requests
from django.urls import reverse
from django.utils import timezone

from outbox.models import OutboxMessage
from parcours.models import Event, Referral
from tests.faults.conftest import wait_for
from tests.parcours.conftest import person  # noqa: F401 (fixture)

pytestmark = pytest.mark.faults


def test_redis_stopped_then_back(stack, person, worker, outsider, structure, other_structure):  # noqa: F811
    stack.start_web()
    stack.start_worker()
    browser = stack.session(worker)
    stack.redis.stop()

    # Pages keep serving.
    page = browser.get(stack.web_url + reverse("parcours:person_detail", args=[person.pk]), timeout=60)
    assert page.status_code == 200

    # Saves keep working: an event (queues an alert run) and a referral (queues an e-mail).
    event = stack.post(
        browser,
        reverse("parcours:event_create", args=[person.pk]),
        {
            "kind": "INTERVIEW",
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "with_person": "on",
            "visibility": "PRIVATE",
            "text": "Point d'étape.",
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert event.status_code == 302, event.text[:2000]
    assert Event.objects.filter(person=person).count() == 1
    referral = stack.post(
        browser,
        reverse("parcours:referral_create", args=[person.pk]),
        {
            "to_structure": other_structure.pk,
            "kind": "EMPLOYMENT",
            "motive": "Reprise d'activité.",
            "from_structure": structure.pk,
            "submission_key": str(uuid.uuid4()),
        },
    )
    assert referral.status_code == 302, referral.text[:2000]
    assert Referral.objects.filter(person=person).count() == 1
    waiting = set(OutboxMessage.objects.values_list("task", flat=True))
    assert {"alerts.tasks.run_alerts_for_person", "parcours.tasks.send_notification_email"} <= waiting
    assert not list(stack.mail.iterdir())

    # /healthz says why it is degraded.
    health = requests.get(stack.web_url + "/healthz", timeout=30)
    assert health.status_code == 503
    body = health.json()
    assert body["redis"] == "down"
    assert body["reasons"] == ["redis: down (jobs wait in the outbox)"]
    assert body["outbox"]["waiting"] >= 2

    # Redis is back (empty: a restart without persistence): the outbox flush sends what waited.
    stack.redis.start()
    assert "published, 0 still waiting" in stack.manage("flush_outbox").stdout
    assert OutboxMessage.objects.count() == 0
    wait_for(lambda: list(stack.mail.iterdir()), 90, what="the referral e-mail sent by the worker")
    message = next(stack.mail.iterdir()).read_text()
    assert "orientation" in message
    assert "Durand" not in message  # ids and links only
    health = wait_for(
        lambda: (r := requests.get(stack.web_url + "/healthz", timeout=30)).status_code == 200 and r,
        90,
        what="/healthz back to 200",
    )
    assert health.json()["outbox"]["waiting"] == 0
