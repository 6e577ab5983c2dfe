import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_is_503_without_a_live_worker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert (body["database"], body["redis"], body["celery_workers"]) == ("ok", "ok", 0)
    assert body["reasons"] == ["celery: no worker answers"]
    assert body["outbox"] == {"waiting": 0, "oldest": None, "oldest_age_seconds": 0}


def test_healthz_is_200_with_a_live_worker_and_needs_no_login(client, celery_worker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["redis"] == "ok"
    assert body["celery_workers"] >= 1
    assert body["reasons"] == []
    assert body["workers_per_queue"] == {"default": 1, "alerts": 1, "reports": 1}
    assert set(body["queue_lengths"]) == {"default", "alerts", "reports"}


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["redis"] == "down"
    assert response.json()["reasons"] == ["redis: down (jobs wait in the outbox)"]
