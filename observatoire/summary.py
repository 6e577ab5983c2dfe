"""The observatory's materialised summary: the monthly dashboards read it instead of the live tables.

Why: the territory dashboard's live query counts, for every month of the period, the distinct people with an
open follow-up at the month's end over every follow-up of the territory (4.8 s p95 at 100,000 people,
docs/benchmarks.md). The summary is rebuilt set-wise in SQL, in one transaction, by `refresh()`:

- StructureMonth: per structure and month (Europe/Paris), referrals sent and received, the answer delays of
  the received ones (an array: a median does not add up), alerts raised, alerts resolved before their due
  date, evaluations finalised. Any set of structures sums its rows.
- StructureBarriers and StructureCloseness: the unmet-needs figures of the current evaluations (active barriers
  by theme; people close to employment without stable housing, by housing group and time spent there), per
  structure, read when the period reaches the day of the refresh (the live queries took 457 and 386 ms at
  1,000,000 people); a past period is counted live.
- KnownPair: the pairs of structures that met at an event or on a referral in the 12 months before the refresh
  day (« qui connaît qui »), read that day; live otherwise.
- TerritoryMonth: the active caseload at each month's end for the whole territory, each commune, each sector
  and each commune × sector (GROUPING SETS). Distinct people do not add up over structures, so each
  combination the filters offer is stored; a filter on named structures (a manager's structures, the
  structure filter) counts its caseload live, narrowed to those structures (an index scan).

It runs from Celery beat (`observatoire.tasks.refresh_summary`, settings CELERY_BEAT_SCHEDULE) and after
seed_demo and seed_bench. Months are covered from the earliest data to the current month plus
FUTURE_MONTHS (open follow-ups are still open at the end of the coming months). Drill-downs to people never
read it: they go through parcours.access.
"""

import datetime as dt
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import SummaryRefresh

FUTURE_MONTHS = 1


def _sector_case(column: str) -> str:
    from .aggregates import sector_case

    return sector_case(column)


def _month(column: str) -> str:
    return f"date_trunc('month', {column} AT TIME ZONE %(tz)s)::date"


STRUCTURE_MONTHS_SQL = f"""
INSERT INTO observatoire_structuremonth (structure_id, month, sent, received, answer_days, alerts_raised,
    alerts_resolved_in_time, evaluations_finalised)
SELECT s, m, SUM(sent), SUM(received),
       COALESCE(array_agg(days ORDER BY days) FILTER (WHERE days IS NOT NULL), '{{}}'),
       SUM(raised), SUM(in_time), SUM(finalised)
FROM (
    SELECT r.from_structure_id AS s, {_month("r.sent_at")} AS m, 1 AS sent, 0 AS received, NULL::float8 AS days,
           0 AS raised, 0 AS in_time, 0 AS finalised
    FROM parcours_referral r
    UNION ALL
    SELECT r.to_structure_id, {_month("r.sent_at")}, 0, 1,
           CASE WHEN r.status IN ('ACCEPTED', 'REFUSED') THEN EXTRACT(EPOCH FROM r.answered_at - r.sent_at) / 86400
           END, 0, 0, 0
    FROM parcours_referral r
    UNION ALL
    SELECT a.structure_id, {_month("a.created_at")}, 0, 0, NULL, 1, 0, 0 FROM parcours_alert a
    UNION ALL
    SELECT a.structure_id, {_month("a.closed_at")}, 0, 0, NULL, 0, 1, 0 FROM parcours_alert a
    WHERE a.status = 'RESOLVED' AND a.closed_at IS NOT NULL AND a.due_on IS NOT NULL
      AND (a.closed_at AT TIME ZONE %(tz)s)::date <= a.due_on
    UNION ALL
    SELECT e.structure_id, {_month("e.finalised_at")}, 0, 0, NULL, 0, 0, 1 FROM evaluations_evaluation e
    WHERE e.finalised_at IS NOT NULL
) x
GROUP BY s, m
"""

# The caseload at the end of month m: follow-ups started on or before m's last day and not ended by then
# (ended_on > last day), exactly as aggregates.monthly_activity's live query.
TERRITORY_MONTHS_SQL = """
INSERT INTO observatoire_territorymonth (month, commune, sector, caseload)
SELECT m, commune, sector, COUNT(DISTINCT person_id)
FROM (
    SELECT f.person_id, ms.m::date AS m, st.commune, {sector} AS sector
    FROM parcours_followup f
    JOIN partenaires_structure st ON st.id = f.structure_id
    CROSS JOIN LATERAL generate_series(
        date_trunc('month', f.started_on)::date,
        LEAST(COALESCE(date_trunc('month', f.ended_on - 1)::date, %(last)s), %(last)s),
        interval '1 month'
    ) AS ms(m)
    WHERE (ms.m + interval '1 month' - interval '1 day')::date >= f.started_on
      AND (f.ended_on IS NULL OR f.ended_on > (ms.m + interval '1 month' - interval '1 day')::date)
) x
GROUP BY GROUPING SETS ((m), (m, commune), (m, sector), (m, commune, sector))
"""


def _unmet_needs(cursor, today: dt.date, now: dt.datetime) -> None:
    """The unmet-needs figures of the current evaluations, per structure: the same row definitions as the live
    aggregates (observatoire.aggregates), grouped by structure instead of territory."""
    from .aggregates import barrier_rows_sql, close_people_sql, met_pairs_params, met_pairs_sql

    cursor.execute(
        "INSERT INTO observatoire_structurebarriers (structure_id, theme, count, addressed) "
        + barrier_rows_sql("e.structure_id, t.theme", "TRUE"),
        [now],
    )
    people, people_params = close_people_sql("TRUE")
    cursor.execute(
        f"""INSERT INTO observatoire_structurecloseness (structure_id, grp, bucket, days)
        SELECT structure_id, grp, bucket, array_agg(days ORDER BY days) FROM ({people}) x
        GROUP BY structure_id, grp, bucket""",
        people_params(today, []),
    )
    cursor.execute(
        f"""INSERT INTO observatoire_knownpair (s1_id, s2_id, by_event, by_referral)
        WITH {met_pairs_sql()} SELECT s1, s2, by_event, by_referral FROM known""",
        met_pairs_params(today),
    )


def last_month(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    month = today.replace(day=1)
    for _ in range(FUTURE_MONTHS):
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return month


def refresh(today: dt.date | None = None) -> SummaryRefresh:
    """Rebuild the whole summary in one transaction (readers see the old rows until it commits)."""
    started = time.perf_counter()
    last = last_month(today)
    params = {"tz": settings.TIME_ZONE, "last": last}
    with transaction.atomic(), connection.cursor() as cursor:
        # One refresh at a time: a second one waits, then rebuilds from the same committed data.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('observatoire.summary'))")
        cursor.execute("DELETE FROM observatoire_structuremonth")
        cursor.execute("DELETE FROM observatoire_territorymonth")
        cursor.execute("DELETE FROM observatoire_structurebarriers")
        cursor.execute("DELETE FROM observatoire_structurecloseness")
        cursor.execute("DELETE FROM observatoire_knownpair")
        cursor.execute(STRUCTURE_MONTHS_SQL, params)
        cursor.execute(TERRITORY_MONTHS_SQL.format(sector=_sector_case("st.kind")), params)
        _unmet_needs(cursor, timezone.localdate(), timezone.now())
        cursor.execute("SELECT MIN(month) FROM observatoire_structuremonth")
        first = cursor.fetchone()[0]
        cursor.execute("SELECT MIN(month) FROM observatoire_territorymonth")
        first_caseload = cursor.fetchone()[0]
        firsts = [m for m in (first, first_caseload) if m is not None]
        row, _created = SummaryRefresh.objects.update_or_create(
            pk=1,
            defaults={
                "refreshed_at": timezone.now(),
                "duration_ms": round((time.perf_counter() - started) * 1000),
                "first_month": min(firsts) if firsts else None,
                "last_month": last,
            },
        )
    with connection.cursor() as cursor:
        for table in ("structuremonth", "territorymonth", "structurebarriers", "structurecloseness", "knownpair"):
            cursor.execute(f"ANALYZE observatoire_{table}")
    return row


def seed(stdout=None, **_kwargs) -> None:
    """seed_demo's last step: the summary over the demo data."""
    row = refresh()
    if stdout:
        stdout.write(f"observatoire: summary refreshed in {row.duration_ms} ms")
