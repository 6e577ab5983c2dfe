"""Benchmark of the rupture-risk alerts (run by `make bench`, see coordination/bench.py).

Scenarios:
- `alerts_nightly_run`: the full nightly run (every rule, set-wise, upserts and auto-resolution) over every
  person of the bench database (100,000 by default). `extra` gives the total seconds of a first run (alerts
  created), the seconds of each rule, and the peak Python memory (tracemalloc) of a run, which stays flat
  in the number of persons because no row is loaded into Python. The p50/p95 are those of later runs
  (the nightly steady state: alerts kept, a few created or resolved).
- `alerts_naive_per_person_5000`: the same rules evaluated the naive way — a Python loop over a sample of
  5,000 persons, loading each person's periods, events and referrals through the ORM — for the ratio with
  the set-wise engine (`extra`: seconds for 5,000, extrapolated to all persons, ratio).

Data: when `bench.parcours` (the people app's seeder) has already built the persons, `seed` does nothing;
otherwise it builds, set-wise, a minimal territory: persons, one lead housing follow-up each, a housing
period, an employment period for 40 %, a resource, three events, a referral for 10 %, permits for 5 %.
"""

import datetime as dt
import time
import tracemalloc

from django.db import connection, transaction
from django.utils import timezone

from bench.harness import Scenario

SAMPLE = 5_000
BENCH_EMAIL = "bench.alerts@bench.test"
EXTRA: dict = {}
NAIVE_EXTRA: dict = {}


def seed(persons: int, stdout=None) -> None:
    from parcours.models import Person

    existing = Person.objects.count()
    if existing >= persons:
        if stdout:
            stdout.write(f"alerts bench: {existing} persons already there")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL session_replication_role = replica")  # no history triggers while seeding
        c.execute(
            "TRUNCATE parcours_alerttransition, parcours_caseconferenceproposal, parcours_alert, parcours_event, "
            "parcours_referral, parcours_resource, parcours_employmentsituation, parcours_housingsituation, "
            "parcours_followup, parcours_person RESTART IDENTITY CASCADE"
        )
        c.execute(
            "INSERT INTO partenaires_structure (name, kind) SELECT 'Structure bench alertes ' || g, 'CHRS' "
            "FROM generate_series(1, 50) g WHERE NOT EXISTS (SELECT 1 FROM partenaires_structure "
            "WHERE name = 'Structure bench alertes ' || g)"
        )
        from accounts.models import User

        user = User.objects.filter(email=BENCH_EMAIL).first() or User.objects.create_user(
            email=BENCH_EMAIL, password=None
        )
        params = {"n": persons, "today": timezone.localdate(), "user": user.pk, "now": timezone.now()}
        c.execute("CREATE TEMP TABLE bench_s ON COMMIT DROP AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id "
                  "FROM partenaires_structure WHERE name LIKE 'Structure bench alertes %%'")  # fmt: skip
        c.execute(
            """
            INSERT INTO parcours_person (id, last_name, first_name, birth_date, gender, nationality_category,
                residence_right, permit_end_on, work_allowed, qpv_resident, phone, email, commune_insee,
                restricted, retention_hold_reason, search_name, created_at)
            SELECT g, 'Nom' || g, 'Prénom', DATE '1970-01-01' + (g %% 15000), 'NOT_STATED', '', '',
                   CASE WHEN g %% 20 = 0 THEN %(today)s::date + (g %% 200) END, '', false, '', '', '38185',
                   false, '', 'nom' || g || ' prenom', %(now)s
            FROM generate_series(1, %(n)s) g
            """,
            params,
        )
        c.execute("SELECT setval('parcours_person_id_seq', %(n)s)", params)
        c.execute(
            """
            INSERT INTO parcours_followup (person_id, structure_id, referent_id, kind, is_lead, started_on,
                end_reason, sharing_basis, created_at)
            SELECT g, s.id, %(user)s, 'HOUSING', true, %(today)s::date - (g %% 400), '', 'SIAO_L345_2_10', %(now)s
            FROM generate_series(1, %(n)s) g JOIN bench_s s ON s.i = g %% 50
            """,
            params,
        )
        c.execute(
            """
            INSERT INTO parcours_housingsituation (person_id, residential_status, structure_id, started_on,
                planned_end_on, end_reason, exit_destination, created_at)
            SELECT g, (ARRAY['CHRS', 'EMERGENCY_SHELTER', 'STREET', 'DETENTION', 'SOCIAL_RENTAL',
                             'HOTEL_115', 'SOCIAL_RESIDENCE', 'WITH_FAMILY'])[1 + g %% 8],
                   s.id, %(today)s::date - 11 - (g %% 300), %(today)s::date + (g %% 250) - 10, '', '', %(now)s
            FROM generate_series(1, %(n)s) g JOIN bench_s s ON s.i = g %% 50
            """,
            params,
        )
        c.execute(
            """
            INSERT INTO parcours_employmentsituation (person_id, situation, contract_type, working_time,
                employer_name, workplace_commune_insee, staggered_hours, started_on, planned_end_on, end_reason,
                created_at)
            SELECT g, (ARRAY['EMPLOYED', 'IAE', 'JOB_SEEKING', 'TRAINING'])[1 + g %% 4], '', '', '', '', false,
                   %(today)s::date - 100, %(today)s::date + (g %% 180), '', %(now)s
            FROM generate_series(1, %(n)s) g WHERE g %% 5 < 2
            """,
            params,
        )
        c.execute(
            """
            INSERT INTO parcours_resource (person_id, kind, started_on, expected_end_on, created_at)
            SELECT g, 'RSA', %(today)s::date - 200, %(today)s::date + (g %% 365), %(now)s
            FROM generate_series(1, %(n)s) g
            """,
            params,
        )
        c.execute(
            """
            INSERT INTO parcours_event (person_id, structure_id, author_id, kind, at, status, with_whom,
                with_person, visibility, text, created_at)
            SELECT g, s.id, %(user)s, CASE WHEN k = 3 AND g %% 7 = 0 THEN 'APPOINTMENT' ELSE 'INTERVIEW' END,
                   %(now)s - make_interval(days => (g * k) %% 90),
                   CASE WHEN k = 3 AND g %% 7 = 0 THEN 'MISSED' ELSE '' END, '', true, 'PRIVATE', '', %(now)s
            FROM generate_series(1, %(n)s) g CROSS JOIN generate_series(1, 3) k JOIN bench_s s ON s.i = g %% 50
            """,
            params,
        )
        c.execute(
            """
            INSERT INTO parcours_referral (person_id, from_structure_id, to_structure_id, sent_by_id, kind, motive,
                status, sent_at, response_due_on, refusal_reason, refusal_detail)
            SELECT g, s.id, t.id, %(user)s, (ARRAY['HOUSING', 'EMPLOYMENT'])[1 + g %% 2], 'Bench', 'SENT',
                   %(now)s - make_interval(days => g %% 40), %(today)s::date - (g %% 40) + 15, '', ''
            FROM generate_series(1, %(n)s) g JOIN bench_s s ON s.i = g %% 50 JOIN bench_s t ON t.i = (g + 1) %% 50
            WHERE g %% 10 = 0
            """,
            params,
        )
        c.execute(
            """
            UPDATE parcours_person p SET last_contact_at = e.m
            FROM (SELECT person_id, MAX(at) AS m FROM parcours_event WHERE kind = 'INTERVIEW' GROUP BY person_id) e
            WHERE e.person_id = p.id
            """
        )
        c.execute("ANALYZE")
    if stdout:
        stdout.write(f"alerts bench: {persons} persons seeded in {time.perf_counter() - started:.1f} s")


def nightly() -> None:
    from alerts import engine

    tracemalloc.start()
    started = time.perf_counter()
    results = engine.run()
    total = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if "first_run_seconds" not in EXTRA:
        from parcours.models import Person

        EXTRA["persons"] = Person.objects.count()
        EXTRA["first_run_seconds"] = round(total, 2)
        EXTRA["first_run_seconds_per_rule"] = {r.rule: r.seconds for r in results if r.available}
        EXTRA["alerts_created"] = sum(r.created for r in results)
    EXTRA["steady_run_seconds"] = round(total, 2)
    EXTRA["steady_seconds_per_rule"] = {r.rule: r.seconds for r in results if r.available}
    EXTRA["peak_python_memory_kib"] = max(EXTRA.get("peak_python_memory_kib", 0), round(peak / 1024))
    EXTRA["goal_seconds"] = 60
    EXTRA["goal_met"] = EXTRA["first_run_seconds"] < 60


# --- the naive evaluation: a loop over people, the ORM for each (what the engine avoids) ----------------
def naive_matches(person, cfg, today: dt.date) -> list[tuple[str, str]]:
    from alerts.rules.common import IN_WORK, INSTITUTION_STATUSES, PRECARIOUS_STATUSES, STAY_STATUSES

    matches = []
    if not person.followups.filter(ended_on__isnull=True).exists():
        return matches
    referrals = list(person.referrals.all())
    accepted_since = today - dt.timedelta(days=cfg.next_step_accepted_days)

    def next_step(kind):
        return any(
            r.kind == kind
            and (
                r.status == "SENT"
                or (r.status == "ACCEPTED" and r.answered_at and r.answered_at.date() >= accepted_since)
            )
            for r in referrals
        )

    housing = list(person.housing_situations.all())
    jobs = list(person.employment_situations.all())
    resources = list(person.resources.all())
    in_work = any(j.ended_on is None and j.situation in IN_WORK for j in jobs)
    for h in housing:
        if h.ended_on is None and h.planned_end_on and not next_step("HOUSING"):
            if h.residential_status in STAY_STATUSES and h.planned_end_on <= today + dt.timedelta(
                cfg.stay_end_warning_days
            ):
                matches.append(("STAY_END", f"housingsituation:{h.pk}"))
                if in_work:
                    matches.append(("EMPLOYMENT_LEVER", f"housingsituation:{h.pk}"))
            if h.residential_status in INSTITUTION_STATUSES and h.planned_end_on <= today + dt.timedelta(
                cfg.institution_exit_warning_days
            ):
                matches.append(("INSTITUTION_EXIT", f"housingsituation:{h.pk}"))
        long_precarious = h.started_on < today - dt.timedelta(cfg.lever_precarious_days)
        precarious = h.ended_on is None and in_work and h.residential_status in PRECARIOUS_STATUSES
        if precarious and long_precarious and not next_step("HOUSING"):
            matches.append(("EMPLOYMENT_LEVER", f"housingsituation:{h.pk}"))
        if h.ended_on and today - dt.timedelta(cfg.acute_event_days) <= h.ended_on <= today and h.end_reason in (
            "EXCLUSION", "VOLUNTARY_DEPARTURE", "HOSPITALISATION", "INCARCERATION", "NO_SHOW"
        ):  # fmt: skip
            matches.append(("ACUTE_EVENT", f"housingsituation:{h.pk}"))
    for j in jobs:
        if (
            j.ended_on is None
            and j.planned_end_on
            and j.planned_end_on <= today + dt.timedelta(cfg.contract_end_warning_days)
        ):
            nxt = any(o.pk != j.pk and o.situation in IN_WORK and o.started_on >= j.planned_end_on for o in jobs)
            if not nxt and not next_step("EMPLOYMENT"):
                matches.append(("CONTRACT_END", f"employmentsituation:{j.pk}"))
    for r in resources:
        if (
            r.ended_on is None
            and r.expected_end_on
            and r.expected_end_on <= today + dt.timedelta(cfg.resource_end_warning_days)
        ) and not any(o.pk != r.pk and o.started_on >= r.expected_end_on for o in resources):
            matches.append(("RESOURCE_END", f"resource:{r.pk}"))
    if (
        person.permit_end_on
        and not person.permit_renewal_filed_on
        and person.permit_end_on <= today + dt.timedelta(cfg.permit_warning_days)
    ):
        matches.append(("PERMIT_RENEWAL", f"person:{person.pk}"))
    since = min(f.started_on for f in person.followups.filter(ended_on__isnull=True))
    last = timezone.localdate(person.last_contact_at) if person.last_contact_at else since
    missed = person.events.filter(
        kind="APPOINTMENT", status="MISSED", at__gte=timezone.now() - dt.timedelta(cfg.missed_window_days)
    ).count()
    if last <= today - dt.timedelta(cfg.no_contact_days) or missed >= cfg.missed_appointments:
        matches.append(("NO_CONTACT", f"person:{person.pk}"))
    for r in referrals:
        if r.status == "SENT" and r.response_due_on < today:
            matches.append(("REFERRAL_STALLED", f"referral:{r.pk}"))
    return matches


def naive() -> None:
    from alerts.models import AlertSettings
    from parcours.models import Person

    cfg, today = AlertSettings.load(), timezone.localdate()
    started = time.perf_counter()
    count = 0
    for person in Person.objects.order_by("id")[:SAMPLE]:
        count += len(naive_matches(person, cfg, today))
    seconds = time.perf_counter() - started
    persons = EXTRA.get("persons") or Person.objects.count()
    NAIVE_EXTRA["sample"] = SAMPLE
    NAIVE_EXTRA["naive_seconds_for_sample"] = round(seconds, 2)
    NAIVE_EXTRA["naive_matches_in_sample"] = count
    NAIVE_EXTRA["naive_extrapolated_seconds_all_persons"] = round(seconds * persons / SAMPLE, 1)
    if EXTRA.get("steady_run_seconds"):
        NAIVE_EXTRA["setwise_run_seconds_all_persons"] = EXTRA["steady_run_seconds"]
        NAIVE_EXTRA["ratio_naive_over_setwise"] = round(seconds * persons / SAMPLE / EXTRA["steady_run_seconds"], 1)


SCENARIOS = [
    Scenario(name="alerts_nightly_run", run=nightly, repeat=1, extra=EXTRA),
    Scenario(name="alerts_naive_per_person_5000", run=naive, repeat=1, extra=NAIVE_EXTRA),
]
