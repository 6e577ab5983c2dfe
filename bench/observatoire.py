"""Observatory benchmark: the dashboards, the partnership matrix, unmet needs and « qui connaît qui » over
the bench territory (5,000 structures from bench.partenaires, the people of bench.parcours) plus
`persons / 10` referrals between random member structures spread over 18 months (20,000 referrals in all
at 100,000 people, with bench.parcours' own 10,000).

Every aggregate is one SQL query; the monthly dashboards read the materialised summary, rebuilt at the end of
`seed` (observatoire/summary.py).
"""

from django.db import connection, transaction

from accounts.models import Membership, Role, User
from bench.harness import Scenario, get_ok, logged_in_client
from observatoire.summary import refresh
from partenaires.models import Structure

COORDINATOR = "bench.coordination@bench.test"
MANAGER = "bench.manager.obs@bench.test"
MOTIVE = "bench-observatoire"


def seed(persons: int, stdout=None) -> None:
    wanted = persons // 10
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM parcours_referral WHERE motive = %s", [MOTIVE])
        have = cursor.fetchone()[0]
    members = list(
        Structure.objects.filter(source="bench", is_member=True).order_by("pk").values_list("pk", flat=True)
    )
    if not members:
        return
    _users(members[0])
    if have != wanted:
        _referrals(members, wanted, stdout)
    row = refresh()
    if stdout:
        stdout.write(f"observatoire: summary refreshed in {row.duration_ms} ms")


def _referrals(members: list[int], wanted: int, stdout) -> None:
    sender = User.objects.get(email=COORDINATOR).pk
    with transaction.atomic(), connection.cursor() as cursor:
        # Bench data only: no history triggers. pghistory's context function opens a subtransaction per row, and
        # past 64 of them in one transaction every visibility check slows down (7 minutes for 100,000 rows).
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("DELETE FROM parcours_referral WHERE motive = %s", [MOTIVE])
        cursor.execute(
            """
            INSERT INTO parcours_referral (person_id, from_structure_id, sent_by_id, to_structure_id, kind, motive,
                status, sent_at, response_due_on, answered_at, refusal_reason, refusal_detail)
            SELECT p.id, s.a, %(sender)s, s.b, 'EMPLOYMENT', %(motive)s, st.status, t.sent_at,
                   t.sent_at::date + 15,
                   CASE WHEN st.status = 'SENT' THEN NULL
                        ELSE t.sent_at + make_interval(hours => (1 + (p.id * 7) %% 400)::int) END,
                   CASE WHEN st.status = 'REFUSED' THEN
                        (ARRAY['NO_CAPACITY','NOT_ELIGIBLE','PERSON_DECLINED'])[1 + (p.id %% 3)] ELSE '' END,
                   ''
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM parcours_person ORDER BY id LIMIT %(wanted)s) p
            CROSS JOIN LATERAL (
                SELECT (%(members)s::bigint[])[1 + (p.n * 7919) %% %(count)s] AS a,
                       (%(members)s::bigint[])[1 + (p.n * 104729 + 1) %% %(count)s] AS b
            ) s
            CROSS JOIN LATERAL (SELECT now() - make_interval(days => (p.n %% 548)::int) AS sent_at) t
            CROSS JOIN LATERAL (
                SELECT CASE WHEN p.n %% 548 < 10 THEN 'SENT'
                            ELSE (ARRAY['ACCEPTED','ACCEPTED','REFUSED','EXPIRED','CANCELLED'])[1 + (p.n / 7) %% 5]
                       END AS status
            ) st
            WHERE s.a <> s.b
            ON CONFLICT DO NOTHING
            """,
            {"sender": sender, "motive": MOTIVE, "wanted": wanted, "members": members, "count": len(members)},
        )
        cursor.execute("ANALYZE parcours_referral")
    if stdout:
        stdout.write(f"observatoire: {wanted} referrals between {len(members)} member structures")


def _users(structure_id: int) -> None:
    coordinator, _created = User.objects.get_or_create(email=COORDINATOR, defaults={"first_name": "Banc"})
    Membership.objects.get_or_create(user=coordinator, structure_id=structure_id, defaults={"role": Role.COORDINATOR})
    manager, _created = User.objects.get_or_create(email=MANAGER, defaults={"first_name": "Banc"})
    Membership.objects.get_or_create(user=manager, structure_id=structure_id, defaults={"role": Role.MANAGER})


class _Lazy:
    def __init__(self, email, url):
        self.email, self.url, self.fetch = email, url, None

    def __call__(self):
        if self.fetch is None:
            self.fetch = get_ok(logged_in_client(self.email), self.url)
        return self.fetch()


GOAL = 300
SCENARIOS = [
    Scenario(name="observatoire_dashboard_territory", run=_Lazy(COORDINATOR, "/observatoire/"), goal_p95_ms=GOAL),
    Scenario(name="observatoire_dashboard_structure", run=_Lazy(MANAGER, "/observatoire/"), goal_p95_ms=GOAL),
    Scenario(
        name="observatoire_partnership_matrix",
        run=_Lazy(COORDINATOR, "/observatoire/partenariats/?territory=Montcourt"),
        goal_p95_ms=GOAL,
    ),
    Scenario(
        name="observatoire_partnership_matrix_structure",
        run=_Lazy(MANAGER, "/observatoire/partenariats/"),
        goal_p95_ms=GOAL,
    ),
    Scenario(
        name="observatoire_unmet_needs",
        run=_Lazy(COORDINATOR, "/observatoire/besoins-non-couverts/"),
        goal_p95_ms=GOAL,
    ),
    Scenario(
        name="observatoire_who_knows_whom",
        run=_Lazy(COORDINATOR, "/observatoire/interconnaissance/?territory=Montcourt"),
        goal_p95_ms=GOAL,
    ),
    Scenario(
        name="observatoire_matrix_csv",
        run=_Lazy(COORDINATOR, "/observatoire/export/matrix_sectors/csv/"),
        goal_p95_ms=GOAL,
    ),
]
