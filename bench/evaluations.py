"""`make bench` for evaluations: 150,000 evaluations (1.2 million barrier rows) over the bench persons.

`seed(persons, stdout)` runs after `bench.parcours` (BENCH_MODULES order) and works on its persons: every
person gets a finalised version 1, every second person a version 2 (the current one). All rows are written
by `INSERT … SELECT` statements, never by a Python loop over people. When the people app has no bench
seeder yet, a minimal fallback creates the persons (20 structures of 5,000 follow-ups each, a third of
them at the hotel, in emergency shelter or on the street) so that the scenarios still run.

A third of the persons get a COORDINATION consent when none exists (the people bench seeds PARTNERS
consents only), so that the coordinator's cohort is not empty.

Scenarios: the form (display of a section, save of a section), the cohort view as the manager of the
structure following the most persons and as a coordinator, the PDF of one evaluation.
"""

from __future__ import annotations

import functools

from django.contrib.postgres.fields import ArrayField
from django.db import connection, models, transaction
from django.urls import reverse

from bench.harness import Scenario, get_ok, logged_in_client

BENCH_DOMAIN = "bench-evaluations.test"
FALLBACK_STRUCTURES = 20
THEMES = ("MOBILITY", "FAMILY", "HEALTH", "LANGUAGE", "HOUSING", "FINANCIAL", "ADMINISTRATIVE", "DIGITAL")
FIRST_SITUATION = {
    "MOBILITY": "NO_LICENCE",
    "FAMILY": "CHILDCARE",
    "HEALTH": "HEALTH_CONSTRAINT",
    "LANGUAGE": "FRENCH",
    "HOUSING": "COLLECTIVE",
    "FINANCIAL": "PRECARIOUS",
    "ADMINISTRATIVE": "RIGHTS",
    "DIGITAL": "NO_EQUIPMENT",
}


def _column_defaults(model, overrides: dict[str, str]) -> tuple[list[str], list[str]]:
    """Columns and SQL expressions for an INSERT … SELECT of `model`: overrides, else the field's default."""
    columns, expressions = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(f'"{field.column}"')
        if field.name in overrides:
            expressions.append(overrides[field.name])
        elif field.null:
            expressions.append("NULL")
        elif isinstance(field, ArrayField):
            expressions.append("'{}'")
        elif isinstance(field, models.JSONField):
            expressions.append("'[]'::jsonb" if field.default is list else "'{}'::jsonb")
        elif isinstance(field, models.BooleanField):
            expressions.append("false")
        elif isinstance(field, models.DateTimeField):
            expressions.append("now()")
        elif isinstance(field, models.IntegerField):
            expressions.append(str(field.default if field.has_default() else 0))
        else:
            expressions.append("''")
    return columns, expressions


def _without_triggers(cursor) -> None:
    # Bench data only: skip the history triggers (1.35 million history rows would be noise here).
    cursor.execute("SET LOCAL session_replication_role = replica")


def _bench_user(email: str, structure, role: str, **extra):
    from accounts.models import Membership, User

    user, _created = User.objects.get_or_create(
        email=email, defaults={"first_name": "Bench", "last_name": role.title(), **extra}
    )
    if structure is not None:
        Membership.objects.update_or_create(user=user, structure=structure, defaults={"role": role})
    return user


def _fallback_persons(persons: int, stdout) -> None:
    """Persons, follow-ups and housing periods when no people bench seeder ran before us."""
    from parcours.models import FollowUp, HousingSituation, Person
    from partenaires.models import Structure

    missing = persons - Person.objects.count()
    if missing <= 0:
        return
    structures = [
        Structure.objects.get_or_create(name=f"Bench évaluations {n:02d}", defaults={"kind": "CHRS"})[0]
        for n in range(FALLBACK_STRUCTURES)
    ]
    ids = "ARRAY[" + ",".join(str(s.pk) for s in structures) + "]"
    with transaction.atomic(), connection.cursor() as cursor:
        _without_triggers(cursor)
        start = Person.objects.aggregate(m=models.Max("id"))["m"] or 0
        columns, expressions = _column_defaults(
            Person,
            {
                "last_name": "'Bench' || g",
                "first_name": "'Personne'",
                "birth_date": "date '1960-01-01' + (g % 15000)",
                "gender": "'NOT_STATED'",
                "search_name": "'bench ' || g",
                "commune_insee": "'38185'",
            },
        )
        cursor.execute(
            f"INSERT INTO parcours_person ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)} FROM generate_series(1, {int(missing)}) AS g"
        )
        columns, expressions = _column_defaults(
            FollowUp,
            {
                "person": "p.id",
                "structure": f"({ids})[1 + (p.id % {FALLBACK_STRUCTURES})]",
                "kind": "'HOUSING'",
                "started_on": "current_date - 200",
                "sharing_basis": "'SIAO_L345_2_10'",
            },
        )
        cursor.execute(
            f"INSERT INTO parcours_followup ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)} FROM parcours_person p WHERE p.id > {int(start)}"
        )
        columns, expressions = _column_defaults(
            HousingSituation,
            {
                "person": "p.id",
                "residential_status": "(ARRAY['HOTEL_115','EMERGENCY_SHELTER','STREET','CHRS','WITH_FRIENDS',"
                "'SOCIAL_RESIDENCE'])[1 + ((p.id / 7) % 6)]",
                "started_on": "current_date - 100",
            },
        )
        cursor.execute(
            f"INSERT INTO parcours_housingsituation ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)} FROM parcours_person p WHERE p.id > {int(start)}"
        )
    if stdout:
        stdout.write(f"evaluations bench: {missing} fallback persons (no people bench seeder)")


def _coordination_consents(stdout) -> None:
    """A third of the persons agreed to share with the coordination team, so that the coordinator's cohort
    has people in it (the people bench seeds PARTNERS consents only)."""
    from parcours.models import Consent
    from partenaires.models import Structure

    if Consent.objects.filter(scope="COORDINATION").exists():
        return
    structure = Structure.objects.order_by("pk").first()
    collector = _bench_user(f"auteur@{BENCH_DOMAIN}", structure, "SOCIAL_WORKER")
    columns, expressions = _column_defaults(
        Consent,
        {
            "person": "p.id",
            "scope": "'COORDINATION'",
            "decision": "'GIVEN'",
            "decided_on": "current_date - 30",
            "collected_by": str(collector.pk),
            "collected_by_structure": str(structure.pk),
            "method": "'ORAL'",
            "is_current": "true",
        },
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _without_triggers(cursor)
        cursor.execute(
            f"INSERT INTO parcours_consent ({', '.join(columns)}) "
            f"SELECT {', '.join(expressions)} FROM parcours_person p WHERE p.id % 3 = 0"
        )
        cursor.execute("ANALYZE parcours_consent")
    if stdout:
        stdout.write("evaluations bench: COORDINATION consents for a third of the persons")


def seed(persons: int, stdout=None) -> None:
    from evaluations.cohort import refresh

    _fallback_persons(persons, stdout)
    _coordination_consents(stdout)
    _evaluations(persons, stdout)
    _users()
    # As Celery beat does in production: the cohort's summary over the bench data and the bench's viewers.
    row = refresh()
    if stdout:
        stdout.write(f"evaluations bench: cohort refreshed in {row.duration_ms} ms")


def _evaluations(persons: int, stdout) -> None:
    from evaluations.models import Barrier, Evaluation
    from parcours.models import FollowUp, Person

    target = persons + persons // 2
    if Evaluation.objects.count() >= target:
        return
    author = _bench_user(f"auteur@{BENCH_DOMAIN}", None, "SOCIAL_WORKER")
    # The structure that follows each person (the lowest id among its open follow-ups).
    follower = (
        "(SELECT f.structure_id FROM parcours_followup f WHERE f.person_id = p.id AND f.ended_on IS NULL "
        "ORDER BY f.structure_id LIMIT 1)"
    )
    readiness = "(ARRAY['IMMEDIATE','PART_TIME','WITH_SUPPORT','SELECTIVE','NOT_READY','UNKNOWN'])"
    distance = "(ARRAY['CLOSE','CLOSE','INTERMEDIATE','INTERMEDIATE','FAR','INTERMEDIATE'])"
    common = {
        "person": "p.id",
        "structure": "p.structure_id",
        "author": str(author.pk),
        "status": "'FINAL'",
        "finalised_by": str(author.pk),
        "nationality_category": "'FRENCH'",
        "residence_right": "'NOT_APPLICABLE'",
        "work_allowed": "'YES'",
        "education_level": "(ARRAY['AFS','CP4','C3A','NV5','NV4','NV3'])[1 + (p.id % 6)]",
        "employment_situation": "'JOB_SEEKING'",
        "target_jobs": """'[{"rome_code": "K2204", "label": "Agent d''entretien"}]'::jsonb""",
    }
    themes = ", ".join(f"('{t}', {n}, '{FIRST_SITUATION[t]}')" for n, t in enumerate(THEMES))
    # A barrier is ACTIVE when (evaluation id + theme index) % 4 = 0: the ids are drawn from the sequence in the
    # SELECT (`p.evaluation_id`), so that `active_themes` is written by the INSERT itself, not by an UPDATE of
    # every new row afterwards (150,000 wide rows rewritten, with their indexes).
    active = (
        f"ARRAY(SELECT t.theme FROM (VALUES {themes}) AS t(theme, n, situation) "
        "WHERE (p.evaluation_id + t.n) % 4 = 0 ORDER BY t.theme)::varchar[]"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        _without_triggers(cursor)
        before = Evaluation.objects.aggregate(m=models.Max("id"))["m"] or 0
        # The people to evaluate and their structure, listed once: an INSERT whose SELECT tests `NOT EXISTS`
        # against the table it writes re-reads its own new (invisible) index entries and slows down as it goes
        # (minutes for 100,000 rows, against seconds from a temporary table).
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_evaluated ON COMMIT DROP AS "
            f"SELECT p.id, {follower} AS structure_id, "
            "NOT EXISTS (SELECT 1 FROM evaluations_evaluation e WHERE e.person_id = p.id AND e.version_no = 1) "
            "AS needs_v1, "
            "p.id % 2 = 0 AND NOT EXISTS (SELECT 1 FROM evaluations_evaluation e WHERE e.person_id = p.id "
            "AND e.version_no = 2) AS needs_v2 "
            f"FROM parcours_person p WHERE {follower} IS NOT NULL"
        )
        for version, selector, offset in ((1, "p.needs_v1", 0), (2, "p.needs_v2", 3)):
            columns, expressions = _column_defaults(
                Evaluation,
                common
                | {
                    "version_no": str(version),
                    "is_current": "true" if version == 2 else "p.id % 2 = 1",
                    "finalised_at": f"now() - interval '{300 - 200 * version} days'",
                    "job_readiness": f"{readiness}[1 + ((p.id + {offset}) % 6)]",
                    "distance_computed": f"{distance}[1 + ((p.id + {offset}) % 6)]",
                    "distance_level": f"{distance}[1 + ((p.id + {offset}) % 6)]",
                    "distance_score": f"(p.id + {offset}) % 6",
                    "active_themes": active,
                },
            )
            cursor.execute(
                f"INSERT INTO evaluations_evaluation (id, {', '.join(columns)}) "
                f"SELECT p.evaluation_id, {', '.join(expressions)} FROM ("
                "SELECT nextval(pg_get_serial_sequence('evaluations_evaluation', 'id')) AS evaluation_id, "
                f"p.id, p.structure_id FROM bench_evaluated p WHERE {selector} ORDER BY p.id) AS p"
            )
        cursor.execute(
            f"INSERT INTO {Barrier._meta.db_table} (evaluation_id, theme, status, situations, comment) "
            "SELECT e.id, t.theme, CASE WHEN (e.id + t.n) % 4 = 0 THEN 'ACTIVE' ELSE 'NONE' END, "
            "CASE WHEN (e.id + t.n) % 4 = 0 THEN ARRAY[t.situation]::varchar[] ELSE '{}'::varchar[] END, '' "
            f"FROM evaluations_evaluation e CROSS JOIN (VALUES {themes}) AS t(theme, n, situation) "
            f"WHERE e.id > {int(before)}"
        )
    with connection.cursor() as cursor:  # outside the transaction: VACUUM sets the visibility map
        cursor.execute("VACUUM ANALYZE evaluations_evaluation")
        cursor.execute("ANALYZE")
    if stdout:
        stdout.write(
            f"evaluations bench: {Evaluation.objects.count()} evaluations, {Barrier.objects.count()} barriers "
            f"for {Person.objects.count()} persons ({FollowUp.objects.open().count()} open follow-ups)"
        )


# --- scenarios -----------------------------------------------------------------------------------------
def _users() -> dict:
    """The bench's viewers: a manager and a worker of the structure following the most people, a coordinator
    and an administrator."""
    from accounts.models import Role
    from parcours.models import FollowUp

    top = (
        FollowUp.objects.open()
        .values("structure_id")
        .annotate(n=models.Count("id"))
        .order_by("-n", "structure_id")
        .first()
    )
    from partenaires.models import Structure

    structure = Structure.objects.get(pk=top["structure_id"])
    manager = _bench_user(f"responsable@{BENCH_DOMAIN}", structure, Role.MANAGER)
    worker = _bench_user(f"travailleur@{BENCH_DOMAIN}", structure, Role.SOCIAL_WORKER)
    coordinator_structure = Structure.objects.get_or_create(
        name="Bench coordination évaluations", defaults={"kind": "COORDINATION"}
    )[0]
    coordinator = _bench_user(f"coordination@{BENCH_DOMAIN}", coordinator_structure, Role.COORDINATOR)
    admin = _bench_user(f"admin@{BENCH_DOMAIN}", None, Role.ADMIN, is_staff=True, is_superuser=True)
    return {"structure": structure, "manager": manager, "worker": worker, "coordinator": coordinator, "admin": admin}


@functools.cache
def _state() -> dict:
    """Users, a draft and URLs, built once the data exists (the module is imported before seeding)."""
    from evaluations.models import Evaluation
    from parcours.models import FollowUp

    users = _users()
    structure, manager, worker = users["structure"], users["manager"], users["worker"]
    coordinator, admin = users["coordinator"], users["admin"]
    final = (
        Evaluation.objects.current()
        .filter(structure=structure, person__in=FollowUp.objects.open().filter(structure=structure).values("person"))
        .order_by("person_id")
        .first()
    )
    draft = Evaluation.objects.drafts().filter(person=final.person).first()
    if draft is None:
        from evaluations import services
        from parcours.access import get_visible_person_or_404

        person = get_visible_person_or_404(worker, final.person_id)
        draft = services.evaluation_start(person=person, by=worker, structure=structure)
    return {
        "manager": logged_in_client(manager.email),
        "worker": logged_in_client(worker.email),
        "coordinator": logged_in_client(coordinator.email),
        "admin": logged_in_client(admin.email),
        "draft": draft,
        "final": final,
    }


def _get(client_key: str, url_fn):
    def run():
        state = _state()
        return get_ok(state[client_key], url_fn(state))()

    return run


def _save_section():
    from evaluations.models import Evaluation

    state = _state()
    draft = state["draft"]
    lock_version = Evaluation.objects.filter(pk=draft.pk).values_list("lock_version", flat=True).get()
    level = "NV4" if lock_version % 2 else "NV5"
    response = state["worker"].post(
        reverse("evaluations:evaluation_edit", args=[draft.pk, "B"]),
        {"lock_version": lock_version, "education_level": level},
    )
    assert response.status_code == 302, response.status_code
    return response


def _admin_changelist(state):
    return reverse("admin:evaluations_evaluation_changelist")


SCENARIOS = [
    Scenario(
        name="evaluations_form_display",
        run=_get("worker", lambda s: reverse("evaluations:evaluation_edit", args=[s["draft"].pk, "K"])),
        goal_p95_ms=300,
    ),
    Scenario(name="evaluations_form_save", run=_save_section, goal_p95_ms=300),
    Scenario(
        name="evaluations_cohort_manager",
        run=_get("manager", lambda s: reverse("evaluations:cohort")),
        baseline=_get("admin", _admin_changelist),
        goal_p95_ms=300,
    ),
    Scenario(
        name="evaluations_cohort_coordinator",
        run=_get("coordinator", lambda s: reverse("evaluations:cohort")),
        goal_p95_ms=300,
    ),
    Scenario(
        name="evaluations_pdf",
        run=_get("worker", lambda s: reverse("evaluations:evaluation_pdf", args=[s["final"].pk])),
        repeat=10,
        goal_p95_ms=1000,
    ),
]
