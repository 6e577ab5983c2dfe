"""The observatory's aggregates: each one is ONE SQL query over the whole tables (no Python loop over rows).

Live queries (exact and current), except the monthly dashboards: `monthly_activity_summary` reads the
materialised summary of summary.py (the live territory-wide caseload at each month's end took seconds at
100,000 people, docs/benchmarks.md); `monthly_activity` stays as the live, independent computation the
summary is tested against.

Functions take a `Filters` (period, territory, sector, structure, and the structures a manager is limited
to) and return plain rows; nothing here knows about users, masking or templates (see figures.py).
Times: referral and alert dates are compared with local (Europe/Paris) midnights; inclusive day bounds.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import connection
from django.utils import timezone

from parcours.enums import (
    HOUSING_GROUP_STATUSES,
    PLAN_THEME_BY_BARRIER,
    HousingGroup,
    ObjectiveStatus,
    RefusalReason,
)
from partenaires.enums import SECTOR_BY_KIND, Sector

from .filters import Filters, kinds_of_sector

PRECARIOUS_GROUPS = (HousingGroup.STREET, HousingGroup.EMERGENCY, HousingGroup.HOSTED)
DURATION_BUCKETS = (
    ("LT3", 0, 91),
    ("3TO6", 91, 183),
    ("6TO12", 183, 366),
    ("GT12", 366, None),
)


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_tz())


def bounds(filters: Filters) -> tuple[dt.datetime, dt.datetime]:
    return local_midnight(filters.start), local_midnight(filters.end + dt.timedelta(days=1))


def sector_case(column: str) -> str:
    """SQL CASE giving the sector of a structure kind column."""
    whens = " ".join(f"WHEN '{kind}' THEN '{sector}'" for kind, sector in SECTOR_BY_KIND.items())
    return f"(CASE {column} {whens} ELSE '{Sector.OTHER}' END)"


def structure_subquery(filters: Filters) -> tuple[str | None, list]:
    """`SELECT id FROM partenaires_structure WHERE …` for the territory, sector, structure and manager limits,
    or (None, []) when no filter narrows the structures."""
    conditions, params = [], []
    if filters.territory:
        conditions.append("s.commune = %s")
        params.append(filters.territory)
    if filters.sector:
        conditions.append("s.kind = ANY(%s)")
        params.append(kinds_of_sector(filters.sector))
    if filters.structure_id:
        conditions.append("s.id = %s")
        params.append(filters.structure_id)
    if filters.limit_to is not None:
        conditions.append("s.id = ANY(%s)")
        params.append(list(filters.limit_to))
    if not conditions:
        return None, []
    return "SELECT s.id FROM partenaires_structure s WHERE " + " AND ".join(conditions), params


def _in_structures(column: str, filters: Filters) -> tuple[str, list]:
    sub, params = structure_subquery(filters)
    return (f"{column} IN ({sub})", params) if sub else ("TRUE", [])


def _either_side(filters: Filters) -> tuple[str, list]:
    sub, params = structure_subquery(filters)
    if not sub:
        return "TRUE", []
    # `= ANY(ARRAY(…))`: the structures are listed once (an init plan), and both sides become index conditions
    # (a BitmapOr over the two foreign-key indexes) instead of a filter on every referral (91 → 15 ms at 1,000,000
    # people, a territory's referrals among 200,000).
    return (
        f"(r.from_structure_id = ANY(ARRAY({sub})) OR r.to_structure_id = ANY(ARRAY({sub})))",
        params + params,
    )


def _month_row(month, caseload, sent, received, median, raised, in_time, finalised, **extra) -> dict:
    """One month of the activity figures, as the live query and the summary both give it."""
    return {
        "month": month,
        "caseload": caseload,
        "sent": sent,
        "received": received,
        "median_days": round(median, 1) if median is not None else None,
        "alerts_raised": raised,
        "alerts_resolved_in_time": in_time,
        "evaluations_finalised": finalised,
        **extra,
    }


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- 2. the partnership matrix --------------------------------------------------------------------
REFUSAL_REASONS = list(RefusalReason.values)


def partnership_matrix(filters: Filters, *, by: str = "structure", with_previous: bool = True) -> list[dict]:
    """Per pair (of structures, or of sectors with `by="sector"`): sent, accepted, refused (and by reason),
    expired, median days to answer (accepted and refused, from sending to answer), and the previous period's
    sent / accepted / decided for the trend. Pairs with nothing sent in the period are left out.

    `sent` counts every referral sent in the period, whatever its status (pending and cancelled included)."""
    start, end = bounds(filters)
    previous_start = local_midnight(filters.previous.start) if with_previous else start
    where, params = _either_side(filters)
    reason_columns = ", ".join(
        f"COUNT(*) FILTER (WHERE cur AND status = 'REFUSED' AND refusal_reason = '{reason}')"
        for reason in REFUSAL_REASONS
    )
    if by == "sector":
        # The sector of each structure once (a CASE of 35 kinds), not twice per referral; OFFSET 0 keeps the
        # subquery from being flattened into the join.
        sectors = f"(SELECT id, {sector_case('kind')} AS sector FROM partenaires_structure OFFSET 0)"
        keys = "fs.sector AS a, ts.sector AS b"
        joins = f"JOIN {sectors} fs ON fs.id = r.from_structure_id JOIN {sectors} ts ON ts.id = r.to_structure_id"
        names = "'', ''"
        named = ""
    else:
        # Grouped by ids, named afterwards: the names are not carried through the sort of every referral.
        keys = "r.from_structure_id AS a, r.to_structure_id AS b"
        joins = ""
        names = "fs.name, ts.name"
        named = "JOIN partenaires_structure fs ON fs.id = g.a JOIN partenaires_structure ts ON ts.id = g.b"
    sql = f"""
        SELECT g.a, g.b, {names}, g.sent, g.accepted, g.refused, g.expired, g.median, g.p_sent, g.p_accepted,
               g.p_decided, g.reasons
        FROM (
        SELECT a, b,
               COUNT(*) FILTER (WHERE cur) AS sent,
               COUNT(*) FILTER (WHERE cur AND status = 'ACCEPTED') AS accepted,
               COUNT(*) FILTER (WHERE cur AND status = 'REFUSED') AS refused,
               COUNT(*) FILTER (WHERE cur AND status = 'EXPIRED') AS expired,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM answered_at - sent_at) / 86400)
                 FILTER (WHERE cur AND status IN ('ACCEPTED', 'REFUSED')) AS median,
               COUNT(*) FILTER (WHERE NOT cur) AS p_sent,
               COUNT(*) FILTER (WHERE NOT cur AND status = 'ACCEPTED') AS p_accepted,
               COUNT(*) FILTER (WHERE NOT cur AND status IN ('ACCEPTED', 'REFUSED', 'EXPIRED')) AS p_decided,
               ARRAY[{reason_columns}] AS reasons
        FROM (
            SELECT {keys}, r.status, r.refusal_reason, r.sent_at, r.answered_at, r.sent_at >= %s AS cur
            FROM parcours_referral r {joins}
            WHERE r.sent_at >= %s AND r.sent_at < %s AND {where}
        ) x
        GROUP BY a, b
        HAVING COUNT(*) FILTER (WHERE cur) > 0
        ) g {named}
        ORDER BY g.a, g.b
    """
    rows = _fetch(sql, [start, previous_start, end, *params])
    result = []
    for row in rows:
        a, b, a_name, b_name, sent, accepted, refused, expired, median, p_sent, p_accepted, p_decided = row[:12]
        reasons = dict(zip(REFUSAL_REASONS, row[12], strict=True))
        decided = accepted + refused + expired
        result.append(
            {
                "from": a,
                "to": b,
                "from_name": a_name or Sector(a).label if by == "sector" else a_name,
                "to_name": b_name or Sector(b).label if by == "sector" else b_name,
                "sent": sent,
                "accepted": accepted,
                "refused": refused,
                "expired": expired,
                "refused_by_reason": reasons,
                "decided": decided,
                "acceptance_rate": round(100 * accepted / decided) if decided else None,
                "median_days_to_answer": round(median, 1) if median is not None else None,
                "previous_sent": p_sent,
                "previous_acceptance_rate": round(100 * p_accepted / p_decided) if p_decided else None,
            }
        )
    return result


def matrix_json(start: dt.date, end: dt.date) -> dict:
    """The `partnership_matrix` command's output: {from: {to: {sent, accepted, refused, expired, median}}}."""
    rows = partnership_matrix(Filters(start, end), with_previous=False)
    result: dict = {}
    for row in rows:
        result.setdefault(str(row["from"]), {})[str(row["to"])] = {
            "sent": row["sent"],
            "accepted": row["accepted"],
            "refused": row["refused"],
            "expired": row["expired"],
            "median_days_to_answer": row["median_days_to_answer"],
        }
    return result


# --- 1. monthly series of the dashboards ----------------------------------------------------------
def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + dt.timedelta(days=32)).replace(day=1)
    return months


def monthly_activity(filters: Filters) -> list[dict]:
    """Month by month, for the filtered structures (all of them for the territory): active caseload at the
    month's end (people with an open follow-up), referrals sent and received, median days to answer the
    referrals received, alerts raised, alerts resolved before their due date, evaluations finalised."""
    months = month_starts(filters.start, filters.end)
    sub, sparams = structure_subquery(filters)

    def cond(column):
        return (f"{column} IN ({sub})", list(sparams)) if sub else ("TRUE", [])

    f_cond, f_params = cond("f.structure_id")
    s_cond, s_params = cond("r.from_structure_id")
    r_cond, r_params = cond("r.to_structure_id")
    m_cond, m_params = cond("r.to_structure_id")
    a_cond, a_params = cond("a.structure_id")
    v_cond, v_params = cond("a.structure_id")
    e_cond, e_params = cond("e.structure_id")
    tz = settings.TIME_ZONE
    sql = f"""
        WITH months AS (
            SELECT m::date AS m, (m::timestamp AT TIME ZONE %s) AS m_start,
                   ((m + interval '1 month')::timestamp AT TIME ZONE %s) AS m_end,
                   (m + interval '1 month' - interval '1 day')::date AS m_last
            FROM unnest(%s::date[]) AS m
        )
        SELECT m,
          (SELECT COUNT(DISTINCT f.person_id) FROM parcours_followup f
            WHERE {f_cond} AND f.started_on <= m_last AND (f.ended_on IS NULL OR f.ended_on > m_last)),
          (SELECT COUNT(*) FROM parcours_referral r
            WHERE {s_cond} AND r.sent_at >= m_start AND r.sent_at < m_end),
          (SELECT COUNT(*) FROM parcours_referral r
            WHERE {r_cond} AND r.sent_at >= m_start AND r.sent_at < m_end),
          (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM r.answered_at - r.sent_at) / 86400)
             FROM parcours_referral r
            WHERE {m_cond} AND r.sent_at >= m_start AND r.sent_at < m_end AND r.status IN ('ACCEPTED', 'REFUSED')),
          (SELECT COUNT(*) FROM parcours_alert a WHERE {a_cond} AND a.created_at >= m_start AND a.created_at < m_end),
          (SELECT COUNT(*) FROM parcours_alert a
            WHERE {v_cond} AND a.status = 'RESOLVED' AND a.closed_at >= m_start AND a.closed_at < m_end
              AND a.due_on IS NOT NULL AND (a.closed_at AT TIME ZONE %s)::date <= a.due_on),
          (SELECT COUNT(*) FROM evaluations_evaluation e
            WHERE {e_cond} AND e.finalised_at >= m_start AND e.finalised_at < m_end)
        FROM months ORDER BY m
    """
    params = [tz, tz, months, *f_params, *s_params, *r_params, *m_params, *a_params, *v_params, tz, *e_params]
    return [_month_row(*row) for row in _fetch(sql, params)]


def _explicit_structures(filters: Filters) -> bool:
    """True when the filters name the structures (the structure filter, a manager's structures)."""
    return bool(filters.structure_id) or filters.limit_to is not None


def monthly_activity_summary(filters: Filters) -> list[dict]:
    """`monthly_activity` read from the materialised summary (observatoire/summary.py), in one query: the
    additive figures sum the StructureMonth rows of the filtered structures, the median unnests their answer
    delays; the caseload comes from TerritoryMonth (whole territory, commune, sector), or, when the filters
    name structures, is counted live over those structures' follow-ups (narrow, indexed)."""
    months = month_starts(filters.start, filters.end)
    sub, sparams = structure_subquery(filters)
    s_cond, s_params = (f"sm.structure_id IN ({sub})", list(sparams)) if sub else ("TRUE", [])
    if _explicit_structures(filters):
        caseload = f"""(SELECT COUNT(DISTINCT f.person_id) FROM parcours_followup f
            WHERE f.structure_id IN ({sub}) AND f.started_on <= m_last
              AND (f.ended_on IS NULL OR f.ended_on > m_last))"""
        c_params = list(sparams)
    else:
        caseload = """COALESCE((SELECT tm.caseload FROM observatoire_territorymonth tm
            WHERE tm.month = months.m AND tm.commune IS NOT DISTINCT FROM %s AND tm.sector IS NOT DISTINCT FROM %s
            LIMIT 1), 0)"""
        c_params = [filters.territory or None, filters.sector or None]
    sql = f"""
        WITH months AS (
            SELECT m::date AS m, (m + interval '1 month' - interval '1 day')::date AS m_last
            FROM unnest(%s::date[]) AS m
        ),
        sums AS (
            SELECT sm.month, SUM(sm.sent) AS sent, SUM(sm.received) AS received,
                   SUM(sm.alerts_raised) AS raised, SUM(sm.alerts_resolved_in_time) AS in_time,
                   SUM(sm.evaluations_finalised) AS finalised
            FROM observatoire_structuremonth sm
            WHERE sm.month = ANY(%s::date[]) AND {s_cond}
            GROUP BY sm.month
        ),
        medians AS (
            SELECT sm.month, percentile_cont(0.5) WITHIN GROUP (ORDER BY d) AS median
            FROM observatoire_structuremonth sm CROSS JOIN LATERAL unnest(sm.answer_days) AS d
            WHERE sm.month = ANY(%s::date[]) AND {s_cond}
            GROUP BY sm.month
        )
        SELECT months.m, {caseload}, COALESCE(sums.sent, 0), COALESCE(sums.received, 0), medians.median,
               COALESCE(sums.raised, 0), COALESCE(sums.in_time, 0), COALESCE(sums.finalised, 0),
               (SELECT refreshed_at FROM observatoire_summaryrefresh ORDER BY id DESC LIMIT 1)
        FROM months LEFT JOIN sums ON sums.month = months.m LEFT JOIN medians ON medians.month = months.m
        ORDER BY months.m
    """
    params = [months, months, *s_params, months, *s_params, *c_params]
    return [_month_row(*row[:8], refreshed_at=row[8]) for row in _fetch(sql, params)]


# `fse` is a sibling layer (import-linter forbids importing it): its tables are read in SQL, aggregates only.
FUNDED_OPERATIONS = "SELECT operation_id FROM fse_operation_funders WHERE structure_id = ANY(%s)"


def funded_operations_count(funder_structure_ids) -> int:
    return _fetch(f"SELECT COUNT(DISTINCT operation_id) FROM ({FUNDED_OPERATIONS}) o", [list(funder_structure_ids)])[
        0
    ][0]


def funder_activity(filters: Filters, funder_structure_ids) -> list[dict]:
    """Month by month over the FSE operations a funder's organisation funds: participants entered and left."""
    months = month_starts(filters.start, filters.end)
    funders = list(funder_structure_ids)
    sql = f"""
        SELECT m::date,
          (SELECT COUNT(*) FROM fse_participant p WHERE p.operation_id IN ({FUNDED_OPERATIONS})
             AND p.entry_on >= m::date AND p.entry_on < (m + interval '1 month')::date),
          (SELECT COUNT(*) FROM fse_participant p WHERE p.operation_id IN ({FUNDED_OPERATIONS})
             AND p.exit_on >= m::date AND p.exit_on < (m + interval '1 month')::date)
        FROM unnest(%s::date[]) AS m ORDER BY m
    """
    return [
        {"month": month, "entered": entered, "left": left}
        for month, entered, left in _fetch(sql, [funders, funders, months])
    ]


# --- 3. unmet needs -------------------------------------------------------------------------------
def refusals_no_capacity(filters: Filters) -> list[dict]:
    """Referrals refused for lack of places, by offer type (the receiving structure's kind) and territory."""
    start, end = bounds(filters)
    where, params = _in_structures("r.to_structure_id", filters)
    sql = f"""
        SELECT s.kind, s.commune, COUNT(*)
        FROM parcours_referral r JOIN partenaires_structure s ON s.id = r.to_structure_id
        WHERE r.status = 'REFUSED' AND r.refusal_reason = 'NO_CAPACITY'
          AND r.sent_at >= %s AND r.sent_at < %s AND {where}
        GROUP BY s.kind, s.commune ORDER BY s.kind, s.commune
    """
    return [{"kind": k, "territory": c, "count": n} for k, c, n in _fetch(sql, [start, end, *params])]


def _addressed_cte() -> str:
    """The addressed (person, barrier theme) pairs, listed once from the objectives and hash-joined: an EXISTS
    per active barrier probed the objectives 200,000 times at 100,000 people (580 ms against 60 ms)."""
    themes = ", ".join(f"('{barrier}', '{plan}')" for barrier, plan in PLAN_THEME_BY_BARRIER.items())
    return f"""
        addressed AS (
            SELECT DISTINCT o.person_id, b.theme
            FROM parcours_objective o
            JOIN (VALUES {themes}) AS b(theme, plan_theme)
              ON o.barrier_theme = b.theme OR (o.barrier_theme = '' AND o.theme = b.plan_theme)
            WHERE o.person_id IS NOT NULL AND o.status <> '{ObjectiveStatus.ABANDONED}'
        )
    """


def barrier_rows_sql(group: str, where: str) -> str:
    """Active barriers of the current evaluations grouped by `group` (columns of `e`, `s` and `t.theme`):
    (…group, count, addressed). Parameters: the finalisation bound, then those of `where`."""
    return f"""
        WITH {_addressed_cte()}
        SELECT {group}, COUNT(*), COUNT(a.person_id)
        FROM evaluations_evaluation e
        JOIN partenaires_structure s ON s.id = e.structure_id
        CROSS JOIN LATERAL unnest(e.active_themes) AS t(theme)
        LEFT JOIN addressed a ON a.person_id = e.person_id AND a.theme = t.theme
        WHERE e.is_current AND e.finalised_at < %s AND {where}
        GROUP BY {group}
    """


def active_barriers(filters: Filters) -> list[dict]:
    """Active barriers of the latest finalised evaluations (finalised by the period's end), by territory of
    the evaluating structure and theme, with `addressed`: those the person's shared action plan addresses
    with an objective (and its actions) that is not abandoned, on that barrier theme, or without a barrier
    theme on the plan theme of the barrier (the rule of the plan page, parcours/views/plan.py `_coverage`)."""
    _start, end = bounds(filters)
    where, params = _in_structures("e.structure_id", filters)
    sql = barrier_rows_sql("s.commune, t.theme", where) + " ORDER BY s.commune, t.theme"
    return [
        {"territory": c, "theme": t, "count": n, "addressed": addressed}
        for c, t, n, addressed in _fetch(sql, [end, *params])
    ]


def summary_day() -> dt.date | None:
    """The local day of the last refresh of the materialised summary (None: never refreshed)."""
    rows = _fetch("SELECT refreshed_at FROM observatoire_summaryrefresh ORDER BY id DESC LIMIT 1", [])
    return timezone.localdate(rows[0][0]) if rows else None


def active_barriers_summary(filters: Filters) -> list[dict]:
    """`active_barriers` from the summary's per-structure rows (observatoire/summary.py) when the period ends on
    or after the day of the refresh (the summary holds every current evaluation then); live otherwise."""
    day = summary_day()
    if day is None or filters.end < day:
        return active_barriers(filters)
    where, params = _in_structures("b.structure_id", filters)
    sql = f"""
        SELECT s.commune, b.theme, SUM(b.count)::int, SUM(b.addressed)::int
        FROM observatoire_structurebarriers b JOIN partenaires_structure s ON s.id = b.structure_id
        WHERE {where}
        GROUP BY s.commune, b.theme ORDER BY s.commune, b.theme
    """
    return [
        {"territory": c, "theme": t, "count": n, "addressed": addressed} for c, t, n, addressed in _fetch(sql, params)
    ]


def close_people_sql(where: str) -> tuple[str, callable]:
    """One row per person whose latest evaluation says "close to employment" and whose current housing is
    precarious: (person_id, structure_id, grp, bucket, days), and the function giving its parameters for a day
    followed by those of `where`."""
    statuses = {group: list(HOUSING_GROUP_STATUSES[group]) for group in PRECARIOUS_GROUPS}
    group_case = " ".join(f"WHEN h.residential_status = ANY(%s) THEN '{group}'" for group in PRECARIOUS_GROUPS)
    bucket_case = " ".join(
        f"WHEN %s - h.started_on >= {low}" + (f" AND %s - h.started_on < {high}" if high else "") + f" THEN '{key}'"
        for key, low, high in DURATION_BUCKETS
    )
    sql = f"""
        SELECT DISTINCT ON (e.person_id) e.person_id, e.structure_id,
               CASE {group_case} END AS grp,
               CASE {bucket_case} END AS bucket,
               %s - h.started_on AS days
        FROM evaluations_evaluation e
        JOIN parcours_housingsituation h ON h.person_id = e.person_id AND h.ended_on IS NULL
        WHERE e.is_current AND e.distance_level = 'CLOSE' AND h.residential_status = ANY(%s)
          AND h.started_on <= %s AND {where}
        ORDER BY e.person_id, h.started_on DESC
    """

    def params(today: dt.date, where_params: list) -> list:
        bucket_params = []
        for _key, _low, high in DURATION_BUCKETS:
            bucket_params += [today, today] if high else [today]
        all_statuses = [s for group in PRECARIOUS_GROUPS for s in statuses[group]]
        return [
            *[statuses[g] for g in PRECARIOUS_GROUPS],
            *bucket_params,
            today,
            all_statuses,
            today,
            *where_params,
        ]

    return sql, params


def close_to_employment_unstably_housed(filters: Filters, today: dt.date | None = None) -> list[dict]:
    """People whose latest evaluation says "close to employment" (retained distance) and whose current housing
    is the street, emergency shelter or hotel, or hosted by third parties: by housing group and time spent
    there (from the start of the current housing period), with the median number of days."""
    today = today or timezone.localdate()
    where, params = _in_structures("e.structure_id", filters)
    people, people_params = close_people_sql(where)
    sql = f"""
        SELECT grp, bucket, COUNT(DISTINCT person_id), percentile_cont(0.5) WITHIN GROUP (ORDER BY days)
        FROM ({people}) x
        GROUP BY grp, bucket ORDER BY grp, bucket
    """
    rows = _fetch(sql, people_params(today, params))
    return [{"group": g, "bucket": b, "count": n, "median_days": m} for g, b, n, m in rows]


def close_to_employment_summary(filters: Filters) -> list[dict]:
    """`close_to_employment_unstably_housed` from the summary's per-structure rows when it was refreshed today
    (the durations are counted from the day of the refresh); live otherwise."""
    today = timezone.localdate()
    if summary_day() != today:
        return close_to_employment_unstably_housed(filters, today)
    where, params = _in_structures("c.structure_id", filters)
    sql = f"""
        SELECT c.grp, c.bucket, COUNT(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY d)
        FROM observatoire_structurecloseness c CROSS JOIN LATERAL unnest(c.days) AS d
        WHERE {where}
        GROUP BY c.grp, c.bucket ORDER BY c.grp, c.bucket
    """
    return [{"group": g, "bucket": b, "count": n, "median_days": m} for g, b, n, m in _fetch(sql, params)]


def alerts_closed_without_solution(filters: Filters) -> list[dict]:
    """Alerts dismissed (closed without a solution) in the period, by rule and reason."""
    start, end = bounds(filters)
    where, params = _in_structures("a.structure_id", filters)
    sql = f"""
        SELECT a.rule, a.dismiss_reason, COUNT(*)
        FROM parcours_alert a
        WHERE a.status = 'DISMISSED' AND a.closed_at >= %s AND a.closed_at < %s AND {where}
        GROUP BY a.rule, a.dismiss_reason ORDER BY a.rule, a.dismiss_reason
    """
    return [{"rule": r, "reason": d, "count": n} for r, d, n in _fetch(sql, [start, end, *params])]


# --- 4. interconnaissance -------------------------------------------------------------------------
def met_pairs_sql() -> str:
    return """
        known AS (
            SELECT s1, s2, bool_or(ev) AS by_event, bool_or(NOT ev) AS by_referral FROM (
                SELECT DISTINCT a.structure_id AS s1, b.structure_id AS s2, TRUE AS ev
                FROM partenaires_eventregistration a
                JOIN partenaires_eventregistration b ON b.action_id = a.action_id AND a.structure_id < b.structure_id
                JOIN partenaires_partneraction pa ON pa.id = a.action_id
                WHERE a.status = 'ATTENDED' AND b.status = 'ATTENDED' AND pa.starts_on >= %s AND pa.starts_on <= %s
                UNION
                SELECT DISTINCT LEAST(r.from_structure_id, r.to_structure_id),
                       GREATEST(r.from_structure_id, r.to_structure_id), FALSE
                FROM parcours_referral r WHERE r.sent_at >= %s AND r.sent_at < %s
            ) u GROUP BY s1, s2
        )
    """


def _since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=365)


def met_pairs_params(today: dt.date) -> list:
    since = _since(today)
    return [since, today, local_midnight(since), local_midnight(today + dt.timedelta(days=1))]


def _known(today: dt.date, live: bool) -> tuple[str, list]:
    """The `known` CTE: read from the materialised summary when it was refreshed today (the pairs of the 12
    months before the refresh day; 55 ms of aggregation over every referral, twice per page, at 1,000,000 people),
    computed live otherwise or when `live`."""
    if not live and summary_day() == today:
        return "known AS (SELECT s1_id AS s1, s2_id AS s2, by_event, by_referral FROM observatoire_knownpair)", []
    return met_pairs_sql(), met_pairs_params(today)


def known_pairs(
    filters: Filters, today: dt.date | None = None, limit: int = 500, *, live: bool = False
) -> tuple[int, list[dict]]:
    """Pairs of structures that met at an event (both present) or worked together on a referral in the last
    12 months, with at least one side among the filtered structures: (total, first `limit` rows)."""
    today = today or timezone.localdate()
    known, known_params = _known(today, live)
    sub, params = structure_subquery(filters)
    where = f"(k.s1 IN ({sub}) OR k.s2 IN ({sub}))" if sub else "TRUE"
    sql = f"""
        WITH {known}
        SELECT k.s1, a.name, k.s2, b.name, k.by_event, k.by_referral, COUNT(*) OVER ()
        FROM known k JOIN partenaires_structure a ON a.id = k.s1 JOIN partenaires_structure b ON b.id = k.s2
        WHERE {where}
        ORDER BY a.name, b.name, k.s1, k.s2 LIMIT %s
    """
    rows = _fetch(sql, [*known_params, *params, *params, limit])
    total = rows[0][6] if rows else 0
    return total, [
        {"a": a, "a_name": an, "b": b, "b_name": bn, "by_event": ev, "by_referral": rf}
        for a, an, b, bn, ev, rf, _t in rows
    ]


def never_met_pairs(
    filters: Filters, today: dt.date | None = None, limit: int = 500, *, live: bool = False
) -> tuple[int, list[dict]]:
    """Pairs of member structures of the same territory (commune) that neither met at an event nor worked
    together on a referral in the last 12 months: (total, first `limit` rows)."""
    today = today or timezone.localdate()
    known, known_params = _known(today, live)
    sub, params = structure_subquery(filters)
    narrowed = f"AND (a.id IN ({sub}) OR b.id IN ({sub}))" if sub else ""
    # Pairs are of the same commune: a territory filter narrows both sides before the join.
    same = "AND commune = %s" if filters.territory else ""
    sql = f"""
        WITH {known},
        members AS (SELECT id, name, commune FROM partenaires_structure WHERE is_member AND commune <> '' {same})
        SELECT a.id, a.name, b.id, b.name, a.commune, COUNT(*) OVER ()
        FROM members a JOIN members b ON b.commune = a.commune AND a.id < b.id
        WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.s1 = a.id AND k.s2 = b.id) {narrowed}
        ORDER BY a.commune, a.name, b.name, a.id, b.id LIMIT %s
    """
    rows = _fetch(
        sql,
        [
            *known_params,
            *([filters.territory] if filters.territory else []),
            *params,
            *params,
            limit,
        ],
    )
    total = rows[0][5] if rows else 0
    return total, [{"a": a, "a_name": an, "b": b, "b_name": bn, "territory": c} for a, an, b, bn, c, _t in rows]
