"""`make bench`: performance scenarios of every app, each printed as one JSON line.

Runs in its own database (`<name>_bench` beside the configured one), builds the synthetic data with
`seed_bench` (set-wise, idempotent at a given size), then times each scenario and its baseline (the
Django admin page on the same rows) in the same run. Speed is measured here, never in tests.

An app takes part by exposing `<app>/bench.py` with `SCENARIOS: list[Scenario]` and, for data,
`seed(persons: int, stdout) -> None`, listed in BENCH_MODULES below.

Environment: `BENCH_PERSONS` (default 100,000), `BENCH_REPEAT` (an upper bound on each scenario's repetitions,
for runs at 1,000,000 people where an admin baseline takes seconds).
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

# Modules with a `seed(persons, stdout)` function and/or a SCENARIOS list, in dependency order.
BENCH_MODULES = [
    "bench.partenaires",
    "bench.parcours",
    "bench.evaluations",
    "bench.alerts",
    "bench.fse",
    # observatoire
    "bench.observatoire",
]


@dataclass
class Scenario:
    name: str
    run: Callable[[], object]
    baseline: Callable[[], object] | None = None
    repeat: int = 30
    goal_p95_ms: float | None = None
    extra: dict = field(default_factory=dict)


def measure(fn: Callable[[], object], repeat: int) -> dict:
    from django.db import connection

    fn()  # warm-up: caches, first connection
    timings = []
    # Count statements with an execute wrapper: the debug query log read by CaptureQueriesContext stays empty
    # for requests of the test client even with reset_queries disconnected (the count was always 0).
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        fn()
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95_index = max(0, round(0.95 * len(timings)) - 1)
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[p95_index], 1),
        "queries": len(queries),
    }


def logged_in_client(email: str):
    """A Django test client logged in as `email` (no password round trip, no throttling)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    user = get_user_model().objects.get(email=email)
    client.force_login(user)
    _verify_second_factor(client, user)
    return client


def _verify_second_factor(client, user) -> None:
    """Coordinators, administrators and the DPO need a verified device (accounts.mfa): mark the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.mfa import needs_mfa

    if not needs_mfa(user):
        return
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def get_ok(client, url: str) -> Callable[[], object]:
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return fetch


def _bench_database_url() -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/") or "coordination"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def _create_database(url: str) -> None:
    import psycopg2

    parts = urlsplit(url)
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parts.path.lstrip("/")])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{parts.path.lstrip("/")}"')
    admin.close()


def main() -> int:
    import importlib.util

    os.environ["DATABASE_URL"] = _bench_database_url()
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ.setdefault("SECURE_HTTPS", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")
    _create_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    persons = int(os.environ.get("BENCH_PERSONS", 100_000))
    call_command("migrate", "--no-input", verbosity=0)
    call_command("seed_bench", persons=persons)
    only = set(sys.argv[1:])
    for path in BENCH_MODULES:
        if importlib.util.find_spec(path.rsplit(".", 1)[0]) is None or importlib.util.find_spec(path) is None:
            continue
        module = importlib.import_module(path)
        for scenario in getattr(module, "SCENARIOS", []):
            if only and scenario.name not in only:
                continue
            repeat = min(scenario.repeat, int(os.environ.get("BENCH_REPEAT", scenario.repeat)))
            line = {"scenario": scenario.name, **measure(scenario.run, repeat), **scenario.extra}
            if scenario.baseline is not None:
                baseline = measure(scenario.baseline, repeat)
                line["baseline"] = baseline
                line["ratio_p95"] = round(line["p95_ms"] / baseline["p95_ms"], 2) if baseline["p95_ms"] else None
            if scenario.goal_p95_ms is not None:
                line["goal_p95_ms"] = scenario.goal_p95_ms
                line["goal_met"] = line["p95_ms"] <= scenario.goal_p95_ms
            print(json.dumps(line, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
