"""Benchmark data and scenarios of the shared case file (run by `make bench`, see coordination/bench.py).

`seed(persons, stdout)` builds, set-wise with INSERT … SELECT over generate_series, a territory of
`persons` people: 50 structures, one housing follow-up each and an
employment one for 60 %, two housing periods, an employment period, a resource, about five events, a
referral for 10 % and a PARTNERS consent for half of them. A bench worker's structure follows 300 of them,
one of which has 200 events. Idempotent at a given size: a different size rebuilds the parcours tables.
The change-history triggers are switched off while seeding (no scenario reads the history): they would
write a second copy of every row.
"""

import time
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from accounts.models import Membership, Role
from bench.harness import Scenario, get_ok, logged_in_client
from parcours import text
from partenaires.models import Structure

WORKER = "bench.worker@bench.test"
ADMIN = "bench.admin@bench.test"
CASELOAD = 300
FILE_EVENTS = 200
SEARCH_NAME = "Lefèvre"

LAST_NAMES = [
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefèvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Müller",
    "Lefebvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "López",
    "Jean",
    "Dupuy",
    "Guillot",
    "Hubert",
    "Berger",
    "Carpentier",
    "Sánchez",
    "Dupuis",
    "Moulin",
    "Louis",
    "Deschamps",
    "Huet",
    "Vasseur",
    "Perez",
    "Boucher",
    "Fleury",
    "Royer",
    "Klein",
    "Jacquet",
    "Adam",
    "Paris",
    "Poirier",
    "Marty",
    "Aubry",
    "Guyot",
    "Carré",
    "Charles",
    "Renault",
    "Charpentier",
    "Ménard",
    "Maillard",
    "Baron",
    "Bertin",
    "Bailly",
    "Hervé",
    "Schneider",
    "Fernández",
    "Le",
    "Gall",
    "Collet",
    "Léger",
    "Bouvier",
    "Julien",
    "Prévost",
    "Millet",
    "Perrot",
    "Daniel",
    "Le",
    "Roux",
    "Cousin",
    "Germain",
    "Breton",
    "Besson",
    "Langlois",
    "Rémy",
    "Le",
    "Goff",
    "Pelletier",
    "Lévêque",
    "Perrier",
    "Leblanc",
    "Barré",
    "Lebrun",
    "Marchal",
    "Weber",
    "Mallet",
    "Hamon",
    "Boulanger",
    "Jacob",
    "Monnier",
    "Michaud",
    "Rodríguez",
    "Guichard",
    "Gillet",
    "Étienne",
    "Grondin",
    "Poulain",
    "Tessier",
    "Chevallier",
    "Collin",
    "Chauvin",
    "Da",
    "Silva",
    "Bouchet",
    "Gay",
    "Lemaître",
    "Bénard",
    "Maréchal",
    "Humbert",
    "Reynaud",
    "Antoine",
    "Hoarau",
    "Perret",
    "Barthélemy",
    "Cordier",
    "Pichon",
    "Lejeune",
    "Gilbert",
    "Lamy",
    "Delaunay",
    "Pasquier",
    "Carlier",
    "Laporte",
]
FIRST_NAMES = [
    "Marie",
    "Jean",
    "Pierre",
    "Michel",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Philippe",
    "Alain",
    "Nicolas",
    "Christophe",
    "Patrick",
    "Sandrine",
    "Céline",
    "Stéphane",
    "David",
    "Laurent",
    "Sébastien",
    "Julien",
    "Aurélie",
    "Émilie",
    "Camille",
    "Léa",
    "Manon",
    "Chloé",
    "Inès",
    "Sarah",
    "Lucas",
    "Hugo",
    "Louis",
    "Gabriel",
    "Arthur",
    "Jules",
    "Adam",
    "Raphaël",
    "Mohamed",
    "Ahmed",
    "Youssef",
    "Karim",
    "Rachid",
    "Fatima",
    "Aïcha",
    "Leïla",
    "Nadia",
    "Samira",
    "Mariama",
    "Awa",
    "Fatou",
    "Kadiatou",
    "Aminata",
    "Ibrahim",
    "Moussa",
    "Mamadou",
    "Oumar",
    "Kevin",
    "Dylan",
    "Jordan",
    "Anthony",
    "Mélanie",
    "Jessica",
    "Laetitia",
    "Océane",
    "Clément",
    "Thomas",
    "Antoine",
    "Maxime",
    "Alexandre",
    "Romain",
    "Quentin",
    "Valentin",
    "Florian",
    "Hélène",
    "Anne",
    "Claire",
    "Sophie",
    "Julie",
    "Pauline",
    "Marion",
    "Lucie",
    "Margaux",
    "Zoé",
    "Jade",
    "Alice",
    "Lina",
    "Rose",
    "Anna",
    "Mila",
    "Ambre",
    "Noah",
    "Ethan",
    "Nathan",
    "Théo",
    "Tom",
    "Paul",
    "Sacha",
    "Éric",
    "Franck",
    "Bruno",
    "Thierry",
    "Pascal",
    "Didier",
    "Gilles",
    "Olivier",
    "Frédéric",
]


def _execute(sql: str, params=None) -> None:
    # The driver's own cursor: named parameters, no wrapper in between (bulk set-wise statements).
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        cursor.execute(sql, params or {})


def _count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _users_and_structures():
    User = get_user_model()
    housing = [
        Structure.objects.get_or_create(name=f"Bench hébergement {i:02d}", defaults={"kind": "CHRS"})[0]
        for i in range(25)
    ]
    employment = [
        Structure.objects.get_or_create(name=f"Bench emploi {i:02d}", defaults={"kind": "ACI"})[0] for i in range(25)
    ]
    home = Structure.objects.get_or_create(name="Bench CHRS de la travailleuse", defaults={"kind": "CHRS"})[0]
    worker = User.objects.filter(email=WORKER).first() or User.objects.create_user(
        email=WORKER, password=settings.DEMO_PASSWORD, first_name="Bench", last_name="Travailleuse"
    )
    Membership.objects.get_or_create(user=worker, structure=home, defaults={"role": Role.SOCIAL_WORKER})
    admin = User.objects.filter(email=ADMIN).first() or User.objects.create_superuser(
        email=ADMIN, password=settings.DEMO_PASSWORD, first_name="Bench", last_name="Admin"
    )
    # The admin applies the access policy (privacy.md R10, no superuser exception): the baseline user is a
    # member of the worker's structure with her role, so the admin pages show the same rows as hers.
    Membership.objects.get_or_create(user=admin, structure=home, defaults={"role": Role.SOCIAL_WORKER})
    return housing, employment, home, worker, admin


def seed(persons: int, stdout=None) -> None:
    started = time.perf_counter()
    housing, employment, home, worker, admin = _users_and_structures()
    existing = _count("SELECT count(*) FROM parcours_person")
    if existing == persons:
        _seed_plan(home, worker)
        if stdout:
            stdout.write(f"parcours bench: {persons} people already there")
        return
    with transaction.atomic():
        _execute(
            "TRUNCATE parcours_person, parcours_household, parcours_referraltransition, parcours_notification, "
            "parcours_duplicatecheckrequest CASCADE"
        )
        tables = [m._meta.db_table for m in apps.get_app_config("parcours").get_models()]
        for table in tables:
            _execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        _build(persons, housing, employment, home, worker)
        _execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the foreign keys now, before the triggers come back
        for table in tables:
            _execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    _seed_plan(home, worker)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if stdout:
        stdout.write(f"parcours bench: {persons} people built in {time.perf_counter() - started:.0f} s")


def _build(persons: int, housing, employment, home, worker) -> None:
    lasts = LAST_NAMES
    firsts = FIRST_NAMES
    housing_ids = [s.pk for s in housing]
    employment_ids = [s.pk for s in employment]
    # People: names from two lists (deterministic), birth dates over 18-65 years.
    _execute(
        """
        INSERT INTO parcours_person (last_name, first_name, birth_date, gender, nationality_category,
            residence_right, work_allowed, qpv_resident, phone, email, commune_insee, restricted,
            retention_hold_reason, search_name, search_name_reversed, created_at)
        SELECT l.v, f.v, DATE '1960-01-01' + (g * 37 %% 17000)::int,
               CASE g %% 3 WHEN 0 THEN 'FEMALE' WHEN 1 THEN 'MALE'
               ELSE 'NOT_STATED' END, 'FRENCH', 'NOT_APPLICABLE', '', g %% 7 = 0, '06 00 00 00 00', '', '38185',
               false, '', ln.v || ' ' || fn.v, fn.v || ' ' || ln.v, now()
        FROM generate_series(1::bigint, %(n)s) AS g
        JOIN LATERAL (SELECT (%(lasts)s::text[])[1 + (g * 7919) %% %(nl)s] AS v) l ON true
        JOIN LATERAL (SELECT (%(firsts)s::text[])[1 + (g * 104729) %% %(nf)s] AS v) f ON true
        JOIN LATERAL (SELECT (%(lasts_n)s::text[])[1 + (g * 7919) %% %(nl)s] AS v) ln ON true
        JOIN LATERAL (SELECT (%(firsts_n)s::text[])[1 + (g * 104729) %% %(nf)s] AS v) fn ON true
        """,
        {
            "n": int(persons),
            "lasts": lasts,
            "firsts": firsts,
            "lasts_n": [text.normalize(v) for v in lasts],
            "firsts_n": [text.normalize(v) for v in firsts],
            "nl": len(lasts),
            "nf": len(firsts),
        },
    )
    first_id = _count("SELECT min(id) FROM parcours_person")
    params = {"first": first_id, "caseload": CASELOAD, "home": home.pk, "worker": worker.pk}
    params |= {"housing": housing_ids, "employment": employment_ids}
    # Follow-ups: the worker's structure follows the first 300 people (she is their referent); everyone has a
    # housing follow-up elsewhere and 60 % an employment one.
    _execute(
        """
        INSERT INTO parcours_followup (person_id, structure_id, referent_id, kind, is_lead, started_on, end_reason,
            sharing_basis, created_at)
        SELECT id, %(home)s, %(worker)s, 'HOUSING', true, current_date - (id %% 600)::int, '', 'SIAO_L345_2_10', now()
        FROM parcours_person WHERE id < %(first)s + %(caseload)s
        UNION ALL
        SELECT id, (%(housing)s::bigint[])[1 + id %% 25], NULL, 'HOUSING', id >= %(first)s + %(caseload)s,
               current_date - (id %% 600)::int, '', 'SIAO_L345_2_10', now()
        FROM parcours_person WHERE id %% 10 <> 0 OR id < %(first)s + %(caseload)s
        UNION ALL
        SELECT id, (%(employment)s::bigint[])[1 + id %% 25], NULL, 'EMPLOYMENT', false,
               current_date - (id %% 400)::int,
               '', 'INSERTION_L263_4_1', now()
        FROM parcours_person WHERE id %% 5 < 3
        """,
        params,
    )
    _execute(
        """
        INSERT INTO parcours_housingsituation (person_id, residential_status, structure_id, started_on,
            planned_end_on, ended_on, end_reason, exit_destination, created_at)
        SELECT id, (ARRAY['STREET','WITH_FRIENDS','HOTEL_115','SQUAT'])[1 + id %% 4], NULL,
               current_date - 700 + (id %% 50)::int, NULL, current_date - 650 + (id %% 300)::int, 'MOVED_ON', '', now()
        FROM parcours_person
        UNION ALL
        SELECT id, (ARRAY['CHRS','EMERGENCY_SHELTER','SOCIAL_RESIDENCE','PENSION_DE_FAMILLE','IML'])[1 + id %% 5],
               (%(housing)s::bigint[])[1 + id %% 25], current_date - 650 + (id %% 300)::int,
               current_date + (id %% 200)::int, NULL, '', '', now()
        FROM parcours_person
        """,
        params,
    )
    _execute(
        """
        INSERT INTO parcours_employmentsituation (person_id, situation, contract_type, working_time, employer_name,
            workplace_commune_insee, staggered_hours, started_on, planned_end_on, ended_on, end_reason, created_at)
        SELECT id, (ARRAY['JOB_SEEKING','IAE','EMPLOYED','TRAINING','PROJECT_BUILDING'])[1 + id %% 5],
               CASE id %% 5 WHEN 1 THEN 'CDDI' WHEN 2 THEN 'CDD' ELSE '' END, '', '', '', false,
               current_date - (id %% 500)::int,
               CASE WHEN id %% 5 IN (1, 2) THEN current_date + (id %% 120)::int END, NULL,
               '', now()
        FROM parcours_person
        """,
        params,
    )
    _execute(
        """
        INSERT INTO parcours_resource (person_id, kind, monthly_amount, started_on, expected_end_on, created_at)
        SELECT id, (ARRAY['RSA','ARE','SALARY','AAH','NONE'])[1 + id %% 5], 600 + id %% 400,
               current_date - (id %% 800)::int, CASE WHEN id %% 3 = 0 THEN current_date + (id %% 90)::int END, now()
        FROM parcours_person
        """,
        params,
    )
    # A PASS IAE for the IAE employees (ending over the next 8 months) and housing requests for half the people.
    _execute(
        """
        INSERT INTO parcours_passiae (person_id, number, start_on, end_on, created_at)
        SELECT id, lpad(id::text, 12, '0'), current_date - 500 + (id %% 240)::int,
               current_date + (id %% 240)::int, now()
        FROM parcours_person WHERE id %% 5 = 1
        """,
        params,
    )
    _execute(
        """
        INSERT INTO parcours_housingrequest (person_id, kind, reference, filed_on, renewal_due_on, status,
            created_at)
        SELECT id, (ARRAY['SIAO','SOCIAL_HOUSING'])[1 + id %% 2], 'B' || id, current_date - (id %% 300)::int,
               CASE WHEN id %% 2 = 1 THEN current_date - (id %% 300)::int + 365 END,
               (ARRAY['ACTIVE','ACTIVE','TO_UPDATE','SATISFIED','CLOSED'])[1 + (id / 2) %% 5], now()
        FROM parcours_person WHERE id %% 4 < 2
        """,
        params,
    )
    # About five events per person (one missed appointment in ten), and 200 on the first person of the caseload.
    _execute(
        """
        INSERT INTO parcours_event (person_id, structure_id, author_id, kind, at, status, with_whom, with_person,
            visibility, text, created_at)
        SELECT p.id, %(home)s, %(worker)s,
               CASE WHEN k %% 10 = 0 THEN 'APPOINTMENT' WHEN k %% 3 = 0 THEN 'PHONE_CALL' ELSE 'INTERVIEW' END,
               now() - make_interval(days => ((p.id * 13 + k * 37) %% 700)::int),
               CASE WHEN k %% 10 = 0 THEN 'MISSED' ELSE '' END, '', true,
               CASE WHEN k %% 4 = 0 THEN 'SHARED' ELSE 'PRIVATE' END,
               'Point d''étape sur les démarches de logement et d''emploi.', now()
        FROM parcours_person p
        CROSS JOIN LATERAL generate_series(1, CASE WHEN p.id = %(first)s THEN %(file_events)s ELSE 5 END) AS k
        """,
        params | {"file_events": FILE_EVENTS},
    )
    _execute(
        """
        UPDATE parcours_person p SET last_contact_at = e.m
        FROM (SELECT person_id, max(at) AS m FROM parcours_event
              WHERE kind IN ('INTERVIEW', 'PHONE_CALL') GROUP BY person_id) e
        WHERE e.person_id = p.id
        """
    )
    _execute(
        """
        INSERT INTO parcours_consent (person_id, scope, decision, decided_on, method, document, is_current,
            created_at, collected_by_id, collected_by_structure_id)
        SELECT id, 'PARTNERS', 'GIVEN', current_date - (id %% 300)::int, 'ORAL', '', true, now(), %(worker)s, %(home)s
        FROM parcours_person WHERE id %% 2 = 0
        """,
        params,
    )
    _execute(
        """
        INSERT INTO parcours_referral (person_id, from_structure_id, sent_by_id, to_structure_id, kind, motive,
            status, sent_at, response_due_on, answered_at, refusal_reason, refusal_detail)
        SELECT id, %(home)s, %(worker)s, (%(employment)s::bigint[])[1 + (id / 10) %% 25], 'EMPLOYMENT',
               'Orientation vers un parcours d''insertion.',
               (ARRAY['SENT','ACCEPTED','REFUSED','EXPIRED','CANCELLED'])[1 + (id / 10) %% 5],
               now() - make_interval(days => (id %% 60)::int),
               (now() - make_interval(days => (id %% 60)::int))::date + 15,
               CASE WHEN (id / 10) %% 5 = 0 THEN NULL ELSE now() END,
               CASE WHEN (id / 10) %% 5 = 2 THEN 'NO_CAPACITY' ELSE '' END, ''
        FROM parcours_person WHERE id %% 10 = 0
        """,
        params,
    )


PLAN_OBJECTIVES = 40
PLAN_ACTIONS = 200
FEED_FACTS = 200


def _seed_plan(home, worker) -> None:
    """The file person's shared plan (40 objectives, 200 actions owned by two structures) and 200 facts in their
    activity feed (issue 13). Idempotent: rebuilt only when missing."""
    import datetime as dt

    from django.utils import timezone

    from parcours.enums import ActivityKind, PlanTheme
    from parcours.models import Action, Activity, Objective

    person_id = _count("SELECT min(id) FROM parcours_person")
    if person_id is None or Action.objects.filter(person_id=person_id).count() >= PLAN_ACTIONS:
        return
    today = timezone.localdate()
    other = Structure.objects.get(name="Bench emploi 00")
    with transaction.atomic():
        Objective.objects.filter(person_id=person_id).delete()
        Activity.objects.filter(person_id=person_id).delete()
        themes = [t for t in PlanTheme.values if t != PlanTheme.HEALTH]
        objectives = Objective.objects.bulk_create(
            Objective(
                person_id=person_id,
                theme=themes[i % len(themes)],
                statement=f"Objectif de banc d'essai n° {i}",
                target_on=today + dt.timedelta(days=30 + i),
                created_by=worker,
                created_by_structure=home,
                created_at=timezone.now() - dt.timedelta(days=100),
            )
            for i in range(PLAN_OBJECTIVES)
        )
        per = PLAN_ACTIONS // PLAN_OBJECTIVES
        actions = Action.objects.bulk_create(
            Action(
                objective=objectives[i // per],
                person_id=person_id,
                title=f"Action de banc d'essai n° {i}",
                owner_structure=home if i % 2 else other,
                referent=worker if i % 2 else None,
                due_on=today + dt.timedelta(days=(i % 60) - 20),
                status="DONE" if i % 3 == 0 else "PLANNED",
            )
            for i in range(PLAN_ACTIONS)
        )
        for objective in objectives:
            objective.structures.set([home, other])
        kinds = [k for k in ActivityKind.values if not k.startswith("REFERRAL")]
        Activity.objects.bulk_create(
            Activity(
                person_id=person_id,
                kind=kinds[i % len(kinds)],
                at=timezone.now() - dt.timedelta(hours=i),
                structure=home if i % 2 else other,
                by=worker,
                objective=actions[i].objective,
                action=actions[i],
                facts={"situation": "IAE", "contract_type": "CDDI", "on": today.isoformat(), "status": "DONE"},
            )
            for i in range(FEED_FACTS)
        )


# --- scenarios ------------------------------------------------------------------------------------------
def _caseload():
    client = logged_in_client(WORKER)
    return get_ok(client, "/personnes/?vue=structure")


def _caseload_admin():
    """The same 300 follow-ups in the admin: the bench worker is their referent."""
    worker = get_user_model().objects.get(email=WORKER)
    return get_ok(logged_in_client(ADMIN), f"/admin/parcours/followup/?referent__id__exact={worker.pk}")


def _file_person_id() -> int:
    return _count("SELECT min(id) FROM parcours_person")


def _person_file():
    return get_ok(logged_in_client(WORKER), f"/personnes/{_file_person_id()}/?onglet=evenements")


def _person_file_admin():
    return get_ok(logged_in_client(ADMIN), f"/admin/parcours/person/{_file_person_id()}/change/")


def _search():
    client = logged_in_client(WORKER)

    def run():
        response = client.post("/personnes/?vue=tous", {"q": SEARCH_NAME})
        assert response.status_code == 200, response.status_code
        return response

    return run


def _search_admin():
    return get_ok(logged_in_client(ADMIN), f"/admin/parcours/person/?q={quote(SEARCH_NAME)}")


def _plan():
    return get_ok(logged_in_client(WORKER), f"/personnes/{_file_person_id()}/plan/")


def _activity_feed():
    return get_ok(logged_in_client(WORKER), f"/personnes/{_file_person_id()}/activite/")


def _duplicate_check():
    """The duplicate check of a new file, typed with a day-off birth date and a typo in the last name."""
    from parcours.services import find_duplicates

    worker = get_user_model().objects.get(email=WORKER)
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_name, first_name, birth_date FROM parcours_person ORDER BY id LIMIT 1")
        last_name, first_name, birth_date = cursor.fetchone()
    import datetime as dt

    def run():
        found = find_duplicates(
            user=worker, last_name=last_name + "e", first_name=first_name, birth_date=birth_date + dt.timedelta(days=1)
        )
        assert found.any
        return found

    return run


class _Lazy:
    """Builds the client on first call, once the bench database is ready (not at import)."""

    def __init__(self, factory):
        self.factory = factory
        self.fn = None

    def __call__(self):
        if self.fn is None:
            self.fn = self.factory()
        return self.fn()


SCENARIOS = [
    Scenario(
        "parcours.caseload_300_of_100k",
        run=_Lazy(_caseload),
        baseline=_Lazy(_caseload_admin),
        goal_p95_ms=150,
        extra={"rows": CASELOAD},
    ),
    Scenario(
        "parcours.person_file_200_events",
        run=_Lazy(_person_file),
        baseline=_Lazy(_person_file_admin),
        goal_p95_ms=150,
        extra={"events": FILE_EVENTS},
    ),
    Scenario(
        "parcours.name_search",
        run=_Lazy(_search),
        baseline=_Lazy(_search_admin),
        goal_p95_ms=150,
        extra={"query": "lefevre"},
    ),
    # issue 13: the shared plan and the activity feed of a person with 200 actions, among all the people.
    Scenario(
        "parcours.plan_200_actions",
        run=_Lazy(_plan),
        goal_p95_ms=150,
        extra={"actions": PLAN_ACTIONS, "objectives": PLAN_OBJECTIVES},
    ),
    Scenario(
        "parcours.activity_feed_200_facts",
        run=_Lazy(_activity_feed),
        goal_p95_ms=150,
        extra={"facts": FEED_FACTS, "page": 50},
    ),
    Scenario(
        "parcours.duplicate_check_fuzzy_100k",
        run=_Lazy(_duplicate_check),
        goal_p95_ms=100,
        extra={"dates_looked_up": "about 40 (day off, swap, year digit)"},
    ),
]
