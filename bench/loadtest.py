"""`make loadtest`: Locust against gunicorn + a Celery worker on the bench data (docs/benchmarks.md).

    python -m bench.loadtest --users 50 --spawn-rate 5 --duration 5m --persons 100000 [--host URL] [--no-jobs]

Without `--host`: uses the bench database (`<DATABASE_URL name>_bench`, seeded by `seed_bench --persons N`),
creates the load-test accounts, starts gunicorn (`--web-workers`) and a Celery worker on every queue, queues a
nightly alert run and an FSE report render at the start (unless `--no-jobs`), runs Locust headless, and prints
one Markdown row per page (requests, failures, p50/p95/p99 ms, requests per second) and the jobs' durations.
With `--host`: only Locust, against that server (the accounts and `--data` file must exist there).
"""

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = [f"loadtest.worker{i:02d}@bench.test" for i in range(30)]
COORDINATOR = "loadtest.coordination@bench.test"
FUNDER = "loadtest.funder@bench.test"


def prepare(persons: int) -> dict:
    """Seed the bench data, create the accounts, render one report; return what the Locust users need."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.models import Membership, Role
    from bench.parcours import WORKER
    from evaluations.models import Evaluation
    from fse.models import Operation, Report
    from parcours.models import FollowUp, Referral
    from partenaires.models import Structure

    call_command("migrate", "--no-input", verbosity=0)
    call_command("seed_bench", persons=persons)
    User = get_user_model()
    home = Membership.objects.filter(user__email=WORKER).select_related("structure").first().structure

    def account(email: str, structure, role: str):
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=settings.DEMO_PASSWORD, first_name="Charge", last_name="Test"
        )
        Membership.objects.get_or_create(user=user, structure=structure, defaults={"role": role})
        return user

    for email in WORKERS:
        account(email, home, Role.SOCIAL_WORKER)
    coordination = Structure.objects.get_or_create(name="Bench coordination", defaults={"kind": "COORDINATION"})[0]
    account(COORDINATOR, coordination, Role.COORDINATOR)
    operation = Operation.objects.order_by("id").first()
    funder_structure = (operation.funders.first() if operation else None) or Structure.objects.get_or_create(
        name="Bench financeur", defaults={"kind": "FUNDER"}
    )[0]
    account(FUNDER, funder_structure, Role.FUNDER)
    if operation and not operation.funders.filter(pk=funder_structure.pk).exists():
        operation.funders.add(funder_structure)  # the funder downloads this operation's report
    person_ids = list(
        FollowUp.objects.filter(structure=home, ended_on__isnull=True)
        .order_by("person_id")
        .values_list("person_id", flat=True)[:300]
    )
    _drafts_and_referrals(home, person_ids, User.objects.get(email=WORKERS[0]))
    report = None
    if operation:
        report = Report.objects.filter(operation=operation, status="DONE").first()
        if report is None:
            from fse.tasks import generate_report

            report = Report.objects.create(
                operation=operation, period_start=operation.start_on, period_end=operation.end_on
            )
            generate_report.run(report.pk)
    return {
        "password": settings.DEMO_PASSWORD,
        "workers": WORKERS,
        "coordinator": COORDINATOR,
        "funder": FUNDER,
        "persons": person_ids,
        "evaluations": list(
            Evaluation.objects.filter(person_id__in=person_ids, status="DRAFT", structure=home).values_list(
                "id", flat=True
            )[:100]
        ),
        "referrals": list(
            Referral.objects.filter(to_structure=home, status="SENT").values_list("id", flat=True)[:100]
        ),
        "operation": operation.pk if operation else None,
        "report": report.pk if report else None,
    }


def _drafts_and_referrals(home, person_ids: list[int], worker) -> None:
    """What the workers' autosave and referral answers need: drafts of their structure, referrals sent to it."""
    import datetime as dt

    from django.utils import timezone

    from evaluations import services
    from evaluations.models import Evaluation
    from parcours.access import get_visible_person_or_404
    from parcours.models import FollowUp, Referral

    wanted = person_ids[:100]
    have = set(Evaluation.objects.drafts().filter(person_id__in=wanted).values_list("person_id", flat=True))
    for person_id in sorted(set(wanted) - have):
        person = get_visible_person_or_404(worker, person_id)  # through the access policy, as a page would
        services.evaluation_start(person=person, by=worker, structure=home)
    if Referral.objects.filter(to_structure=home, status="SENT").count() >= 100:
        return
    others = (
        FollowUp.objects.open()
        .exclude(structure=home)
        .exclude(person_id__in=person_ids)
        .exclude(person_id__in=Referral.objects.filter(to_structure=home, status="SENT").values("person_id"))
        .order_by("person_id")
        .distinct("person_id")
        .values_list("person_id", "structure_id")[:100]
    )
    today = timezone.localdate()
    Referral.objects.bulk_create(
        Referral(
            person_id=person_id,
            from_structure_id=structure_id,
            sent_by=worker,
            to_structure=home,
            kind="EMPLOYMENT",
            motive="Orientation (test de charge).",
            response_due_on=today + dt.timedelta(days=15),
        )
        for person_id, structure_id in others
    )


def _finished_after(result, queued_at: float) -> str:
    """Seconds from queueing to the end of the task, from the result backend's `date_done`."""
    import datetime as dt

    done = getattr(result, "date_done", None)
    if isinstance(done, str):
        done = dt.datetime.fromisoformat(done)
    if done is None:
        return "(no end time in the result backend)"
    if done.tzinfo is None:
        done = done.replace(tzinfo=dt.UTC)
    return f"{done.timestamp() - queued_at:.1f} s"


def _queue_jobs(data: dict) -> list:
    """Queue a nightly alert run and an FSE report render on the Celery workers: [(name, result, queued at)]."""
    from alerts.tasks import run_alerts_nightly
    from fse.models import Report
    from fse.tasks import generate_report

    results = [("nightly alert run", run_alerts_nightly.delay(), time.time())]
    report = Report.objects.filter(pk=data["report"]).first() if data.get("report") else None
    if report:
        fresh = Report.objects.create(
            operation=report.operation, period_start=report.period_start, period_end=report.period_end
        )
        results.append(("FSE report render", generate_report.delay(fresh.pk), time.time()))
    return results


def _wait(jobs: list) -> dict:
    """Wait for queued jobs: {name: "N.N s" from queueing to the end, or the error}."""
    timings = {}
    for name, result, queued_at in jobs:
        try:
            result.get(timeout=600)
            timings[name] = _finished_after(result, queued_at)
        except Exception as exc:  # noqa: BLE001
            timings[name] = f"{type(exc).__name__}: {exc}"
    return timings


def table(prefix: Path) -> str:
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))
    lines = [
        "| request | requests | failures | p50 ms | p95 ms | p99 ms | req/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {row['Failure Count']} | {row['50%']} | "
            f"{row['95%']} | {row['99%']} | {float(row['Requests/s']):.1f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", default="5m")
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--host", default="")
    parser.add_argument("--data", type=Path, help="the JSON of accounts and ids (with --host)")
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument(
        "--wait",
        default="5 15",
        help="seconds a user spends on a page before the next one, 'min max' (a person reading, not a robot)",
    )
    parser.add_argument("--no-jobs", action="store_true", help="no nightly alert run nor report during the test")
    parser.add_argument("--output", type=Path, default=BASE_DIR / "var" / "loadtest")
    options = parser.parse_args()
    options.output.mkdir(parents=True, exist_ok=True)
    prefix = options.output / "stats"
    children: list[subprocess.Popen] = []
    jobs_note = ""
    try:
        if options.host:
            data_file = options.data
        else:
            from bench.harness import _bench_database_url, _create_database

            os.environ["DATABASE_URL"] = _bench_database_url()
            os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")
            os.environ.update(SECURE_HTTPS="false", ALLOWED_HOSTS="127.0.0.1,localhost", DEBUG="false")
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")
            os.environ.setdefault("STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage")
            _create_database(os.environ["DATABASE_URL"])
            import django

            django.setup()
            started = time.perf_counter()
            data = prepare(options.persons)
            print(f"data ready in {time.perf_counter() - started:.0f} s", flush=True)
            data_file = options.output / "data.json"
            data_file.write_text(json.dumps(data))
            port = 8765
            env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
            log = (options.output / "servers.log").open("ab")
            children.append(
                subprocess.Popen(
                    [str(BIN / "gunicorn"), "coordination.wsgi", "--bind", f"127.0.0.1:{port}",
                     "--workers", str(options.web_workers), "--timeout", "120"],
                    cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True,
                )
            )  # fmt: skip
            # One worker per kind of work, as in production (docs/operations.md): a report never waits behind
            # the nightly alert run, so a job's time below is its own run, not a queue.
            for name, queues in (("alerts", "alerts"), ("reports", "default,reports")):
                children.append(
                    subprocess.Popen(
                        [str(BIN / "celery"), "-A", "coordination", "worker", "-Q", queues, "-n", f"{name}@%h",
                         "--concurrency", "1", "--loglevel", "WARNING"],
                        cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True,
                    )
                )  # fmt: skip
            options.host = f"http://127.0.0.1:{port}"
            time.sleep(8)
            if not options.no_jobs:
                # Once through the same workers first, so that neither measured run pays a cold start (imports,
                # fonts, connections) that its run alone does not.
                _wait(_queue_jobs(data))
                jobs_note = _queue_jobs(data)
        env = {**os.environ, "LOADTEST_DATA": str(data_file), "LOADTEST_WAIT": options.wait}
        command = [
            str(BIN / "locust"), "-f", str(BASE_DIR / "bench" / "locustfile.py"), "--headless",
            "--users", str(options.users), "--spawn-rate", str(options.spawn_rate), "--run-time", options.duration,
            "--host", options.host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=BASE_DIR, check=False)
        print(
            f"\n{options.users} users, {options.duration}, {options.persons} persons, think time {options.wait} s, "
            f"host {options.host}\n"
        )
        print(table(prefix))
        if jobs_note:
            for name, timing in _wait(jobs_note).items():
                print(f"job {name}, under load: queued → finished {timing}")
            print(f"load test + jobs: {time.perf_counter() - started:.0f} s")
            # The same jobs through the same workers, nothing else running: the figure to compare with.
            for name, timing in _wait(_queue_jobs(data)).items():
                print(f"job {name}, alone: queued → finished {timing}")
    finally:
        for child in children:
            try:
                os.killpg(child.pid, signal.SIGTERM)
                child.wait(30)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
    return 0


if __name__ == "__main__":
    tempfile.tempdir = None
    sys.exit(main())
