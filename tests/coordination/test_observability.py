"""Request ids, JSON logs, Sentry scrubbing and `/metrics`."""

import json
import logging

import pytest
from django.urls import reverse

from coordination.observability import ContextFilter, JsonFormatter, request_id_var
from coordination.sentry import scrub


@pytest.mark.django_db
def test_every_answer_carries_a_request_id_and_a_valid_incoming_one_is_kept(client):
    response = client.get(reverse("login"))
    assert len(response["X-Request-ID"]) == 32
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="lb-1234567890")
    assert response["X-Request-ID"] == "lb-1234567890"
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>")
    assert response["X-Request-ID"] != "<script>"


def test_json_log_lines_carry_the_request_id():
    record = logging.LogRecord("parcours", logging.INFO, __file__, 1, "person %s updated", (42,), None)
    token = request_id_var.set("abc123def456")
    try:
        ContextFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "person 42 updated"
    assert line["request_id"] == "abc123def456"
    assert line["level"] == "INFO"


def test_sentry_events_lose_personal_data():
    event = {
        "request": {"url": "https://x/personnes/?q=Durand", "data": {"last_name": "Durand"}, "cookies": "s=1",
                    "headers": {"Cookie": "s"}, "query_string": "q=Durand"},
        "user": {"id": 7, "email": "a@b.c", "username": "Durand"},
        "breadcrumbs": {"values": [{"category": "query", "message": "SELECT … 'Durand'", "data": {"p": "Durand"}}]},
        "exception": {"values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"name": "Durand"}}]}}]},
        "extra": {"name": "Durand"},
    }  # fmt: skip
    assert "Durand" not in json.dumps(scrub(event))
    assert event["user"] == {"id": 7}


@pytest.mark.django_db
def test_metrics_need_the_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get(reverse("metrics")).status_code == 404
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get(reverse("login"))
    response = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer s3cret-token")
    assert response.status_code == 200
    body = response.content.decode()
    assert "# TYPE http_request_duration_seconds histogram" in body
    assert 'http_request_duration_seconds_count{view="login",method="GET",status="2xx"}' in body
    assert 'celery_queue_length{queue="reports"}' in body
    assert "outbox_waiting_jobs 0" in body
