"""The cohort's figures: counts by distance to employment and by barrier theme, and the key population (close to
employment, on the street, in emergency shelter or at the hotel), for one viewer's scope.

Scopes (privacy.md: "aggregates: structure (managers)"):
- "coordination": a coordinator without a field structure counts the people R4 shows to every coordinator
  (`parcours.access.coordination_view_q`), the same people for all of them;
- "structures:<ids>": a structure manager counts the people the structures they manage follow now
  (`parcours.access.followed_q`; those follow-ups make them visible to the manager, R1).

Why a summary: live, these counts read every person of the scope, so their cost followed the territory (at
1,000,000 people: 750 ms for a manager whose structure follows 40,000 people, 2.2 s for a coordinator's 333,000,
docs/benchmarks.md). `refresh()` rebuilds, set-wise in one transaction, the counts and the ranked key
population of every scope in use (coordination, and each distinct set of structures a manager manages); a page
reads its own rows only. It runs from Celery beat (`evaluations.tasks.refresh_cohort`, at most
`EVALUATIONS_COHORT_REFRESH_SECONDS` old, shown on the page) and after seed_demo / seed_bench.

What stays live: a name is shown only if, now, the person is in the viewer's scope under the access policy and
still in the key population (a page of ids is re-checked, so a file closed since the refresh never shows). A
scope the summary does not hold (a manager appointed since the last refresh, a coordinator who also works in a
structure) is counted live by the same SQL, narrowed to that scope.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Role
from accounts.scope import user_scope
from parcours.access import coordination_view_q, followed_q
from parcours.enums import HOUSING_GROUP_STATUSES, HousingGroup
from parcours.models import FollowUp, HousingSituation, Person

from .enums import BarrierTheme, DistanceLevel
from .models import CohortPerson, CohortRefresh, Evaluation

COORDINATION = "coordination"
# Statuses of the key population: on the street, in emergency shelter or at the hotel.
KEY_STATUSES = [s for group in (HousingGroup.STREET, HousingGroup.EMERGENCY) for s in HOUSING_GROUP_STATUSES[group]]

# `{members}`: a relation (scope, person_id) of the people each scope counts, each person once per scope.
_CTE = """
WITH cur AS MATERIALIZED (
    SELECT m.scope, e.id, e.person_id, e.distance_level, e.active_themes
    FROM {members} m
    JOIN evaluations_evaluation e ON e.person_id = m.person_id AND e.is_current
),
key_population AS (
    SELECT DISTINCT cur.scope, cur.id, cur.person_id
    FROM cur
    JOIN ({open_housing}) h ON h.person_id = cur.person_id
    WHERE cur.distance_level = %s AND h.residential_status = ANY(%s)
)
"""
# The health theme is left out: the counts are shown to viewers without health access.
_COUNTS = """
SELECT cur.scope, 'distance', cur.distance_level, COUNT(*) FROM cur GROUP BY cur.scope, cur.distance_level
UNION ALL
SELECT cur.scope, 'theme', t.theme, COUNT(*)
FROM cur, unnest(cur.active_themes) AS t(theme) WHERE t.theme <> %s GROUP BY cur.scope, t.theme
UNION ALL
SELECT k.scope, 'key', '', COUNT(*) FROM key_population k GROUP BY k.scope
"""
_RANKED = """
SELECT k.scope, ROW_NUMBER() OVER (PARTITION BY k.scope ORDER BY p.last_name, p.first_name, p.id), k.person_id
FROM key_population k JOIN parcours_person p ON p.id = k.person_id
"""


def _sql(queryset) -> tuple[str, tuple]:
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:  # nobody
        return "SELECT NULL::bigint AS pk WHERE false", ()


def _open_housing() -> str:
    """The open housing situations (`HousingSituation.objects.open()`, one definition of "open"), as SQL."""
    sql, params = _sql(HousingSituation.objects.open().order_by().values("person_id", "residential_status"))
    assert not params, params  # noqa: S101 (inlined in a statement whose parameters come after)
    return sql


def _cte_params() -> list:
    return [DistanceLevel.CLOSE, KEY_STATUSES]


# --- scopes -------------------------------------------------------------------------------------------------
def scope_of(user) -> tuple[str | None, object]:
    """(summary key or None, QuerySet of the Person ids the viewer's cohort counts)."""
    scope = user_scope(user)
    if scope.is_coordinator:
        visible = Person.objects.visible_to(user).order_by().values("pk")
        return (COORDINATION if not scope.field_structures else None), visible
    # A manager's people (`followed_q`, privacy.md: "aggregates: structure (managers)"): within what they may see,
    # since MANAGER is a field role and an open follow-up shows the file (R1); the summary counts the same people.
    managed = sorted(scope.manager_structures)
    return _structures_key(managed), Person.objects.filter(followed_q(managed)).order_by().values("pk")


def _structures_key(ids) -> str:
    return "structures:" + ",".join(str(i) for i in sorted(ids))


# --- refresh --------------------------------------------------------------------------------------------------
def _members_sql() -> tuple[str, list]:
    """Every scope in use and its people, set-wise: coordination, and each distinct set of managed structures."""
    coordination, coordination_params = _sql(Person.objects.filter(coordination_view_q()).order_by().values("pk"))
    followups, followup_params = _sql(FollowUp.objects.open().order_by().values("structure_id", "person_id"))
    managers = f"""
        SELECT DISTINCT array_agg(m.structure_id ORDER BY m.structure_id) AS ids
        FROM accounts_membership m JOIN accounts_user u ON u.id = m.user_id
        WHERE m.role = '{Role.MANAGER.value}' AND u.is_active
        GROUP BY m.user_id
    """
    members = f"""
        SELECT '{COORDINATION}'::text AS scope, c.pk AS person_id FROM ({coordination}) c
        UNION ALL
        SELECT DISTINCT 'structures:' || array_to_string(s.ids, ','), f.person_id
        FROM ({managers}) s JOIN ({followups}) f ON f.structure_id = ANY(s.ids)
    """
    scopes = f"""SELECT '{COORDINATION}'::text AS scope
        UNION SELECT 'structures:' || array_to_string(ids, ',') FROM ({managers}) s"""
    return members, [*coordination_params, *followup_params], scopes


def refresh() -> CohortRefresh:
    """Rebuild every scope's counts and ranked key population in one transaction (readers see the old rows until
    it commits)."""
    started = time.perf_counter()
    members, members_params, scopes = _members_sql()
    cte = _CTE.format(members="cohort_members", open_housing=_open_housing())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('evaluations.cohort'))")
        cursor.execute("DROP TABLE IF EXISTS cohort_members")  # within an outer transaction (tests), not dropped
        cursor.execute(f"CREATE TEMPORARY TABLE cohort_members ON COMMIT DROP AS {members}", members_params)
        cursor.execute("ANALYZE cohort_members")
        cursor.execute("DELETE FROM evaluations_cohortcount")
        cursor.execute("DELETE FROM evaluations_cohortperson")
        cursor.execute(
            f"""INSERT INTO evaluations_cohortcount (scope, kind, code, n)
            {cte} {_COUNTS}
            UNION ALL
            SELECT s.scope, 'people', '', COUNT(m.person_id)
            FROM ({scopes}) s LEFT JOIN cohort_members m ON m.scope = s.scope GROUP BY s.scope""",
            [*_cte_params(), BarrierTheme.HEALTH],
        )
        cursor.execute(f"INSERT INTO evaluations_cohortperson (scope, rank, person_id) {cte} {_RANKED}", _cte_params())
        row, _created = CohortRefresh.objects.update_or_create(
            pk=1,
            defaults={"refreshed_at": timezone.now(), "duration_ms": round((time.perf_counter() - started) * 1000)},
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE evaluations_cohortcount")
        cursor.execute("ANALYZE evaluations_cohortperson")
    return row


# --- reading ------------------------------------------------------------------------------------------------
@dataclass
class Figures:
    counts: dict = field(default_factory=lambda: {"distance": {}, "theme": {}, "key": {}})
    key_total: int = 0
    rows: list = field(default_factory=list)  # the page of the key population: (current evaluation, housing status)
    refreshed_at: object = None  # None: counted live

    def add(self, kind: str, code: str, n: int) -> None:
        if kind in self.counts:
            self.counts[kind][code or ""] = n
        if kind == "key":
            self.key_total = n


def figures(user, page_number: int, page_size: int) -> tuple[Figures, int]:
    """The viewer's figures with one page of the key population, and the page number actually shown (a page
    past the end shows the last one)."""
    key, people = scope_of(user)
    stored = _stored(key) if key else None
    result = stored if stored is not None else _live(people)
    pages = max((result.key_total + page_size - 1) // page_size, 1)
    number = min(max(page_number, 1), pages)
    offset = (number - 1) * page_size
    if stored is not None:
        ranked = CohortPerson.objects.filter(scope=key, rank__gt=offset, rank__lte=offset + page_size)
        person_ids = list(ranked.order_by("rank").values_list("person_id", flat=True))
    else:
        person_ids = _live_page(people, page_size, offset)
    result.rows = _page_rows(people, person_ids)
    return result, number


def _stored(key: str) -> Figures | None:
    """The scope's rows of the summary and the refresh time (one query); None when the summary lacks the scope."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT kind, code, n, NULL FROM evaluations_cohortcount WHERE scope = %s
            UNION ALL SELECT 'refreshed', '', 0, refreshed_at FROM evaluations_cohortrefresh""",
            [key],
        )
        rows = cursor.fetchall()
    if not any(kind == "people" for kind, _code, _n, _at in rows):
        return None
    result = Figures(refreshed_at=next(at for kind, _code, _n, at in rows if kind == "refreshed"))
    for kind, code, n, _at in rows:
        result.add(kind, code, n)
    return result


def _live_members(people) -> tuple[str, tuple]:
    """The viewer's scope as the `{members}` relation of the summary's SQL, for a count made live."""
    sql, params = _sql(people)
    return f"(SELECT ''::text AS scope, v.pk AS person_id FROM ({sql}) v)", params


def _live(people) -> Figures:
    members, params = _live_members(people)
    with connection.cursor() as cursor:
        cursor.execute(
            _CTE.format(members=members, open_housing=_open_housing()) + _COUNTS,
            [*params, *_cte_params(), BarrierTheme.HEALTH],
        )
        result = Figures()
        for _scope, kind, code, n in cursor.fetchall():
            result.add(kind, code, n)
    return result


def _live_page(people, limit: int, offset: int) -> list[int]:
    members, params = _live_members(people)
    with connection.cursor() as cursor:
        cursor.execute(
            _CTE.format(members=members, open_housing=_open_housing())
            + f"SELECT r.person_id FROM ({_RANKED}) AS r(scope, rank, person_id) ORDER BY r.rank LIMIT %s OFFSET %s",
            [*params, *_cte_params(), limit, offset],
        )
        return [row[0] for row in cursor.fetchall()]


def _page_rows(people, person_ids: list[int]) -> list[tuple[Evaluation, str]]:
    """The page's people that are, now, in the viewer's scope (`people`) and the key population: (current
    evaluation with its person, residential status), in the given order. One query over the page's ids."""
    housing = (
        HousingSituation.objects.open()
        .filter(person_id=OuterRef("person_id"), residential_status__in=KEY_STATUSES)
        .order_by("-started_on", "-id")
        .values("residential_status")[:1]
    )
    current = (
        Evaluation.objects.current()
        .filter(distance_level=DistanceLevel.CLOSE, person_id__in=people.filter(pk__in=person_ids))
        .order_by()
        .annotate(housing=Subquery(housing))
        .filter(housing__isnull=False)
        .select_related("person")
        # What the list shows: not the wide evaluation rows (their frozen snapshot) nor the whole person.
        .only("person_id", "version_no", "finalised_at", "person__last_name", "person__first_name")
    )
    by_person = {e.person_id: e for e in current}
    return [(by_person[pk], by_person[pk].housing) for pk in person_ids if pk in by_person]


def seed(stdout=None, **_kwargs) -> None:
    """seed_demo's last step: the cohort's summary over the demo data."""
    row = refresh()
    if stdout:
        stdout.write(f"evaluations: cohort refreshed in {row.duration_ms} ms")
