"""Figures per commission and period (issue 12, item 6), for the FSE report and the coordinator's home card.

One SQL statement, set-wise, whatever the volume: sessions held in the period, the cases they examined (first
time, or follow-up when the person had an earlier case in a held session of the same commission), the
decisions taken on those cases (carried out on time, late — done after the due date or still to do past it —,
not possible) and the median number of days from proposal to examination. `GROUPING SETS` gives each
commission and the total in the same pass.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils import timezone

FIGURES_SQL = """
WITH s AS (
    SELECT s.id, s.commission_id, s.starts_at FROM concertation_session s
    WHERE s.status IN ('HELD', 'PUBLISHED')
      AND (s.starts_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s
      AND (%(all)s OR s.commission_id = ANY(%(ids)s))
), c AS (
    SELECT c.id, s.commission_id, c.proposal_id, s.starts_at,
           EXISTS (SELECT 1 FROM concertation_casereview e JOIN concertation_session es ON es.id = e.session_id
                   WHERE e.person_id = c.person_id AND es.commission_id = s.commission_id
                     AND es.status IN ('HELD', 'PUBLISHED') AND (es.starts_at, es.id) < (s.starts_at, s.id))
               AS follow_up
    FROM concertation_casereview c JOIN s ON s.id = c.session_id
), per_session AS (
    SELECT commission_id, COUNT(*) AS sessions FROM s GROUP BY GROUPING SETS ((commission_id), ())
), per_case AS (
    SELECT c.commission_id, COUNT(*) AS cases, COUNT(*) FILTER (WHERE NOT c.follow_up) AS first_time,
           COUNT(*) FILTER (WHERE c.follow_up) AS follow_up,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY (c.starts_at AT TIME ZONE %(tz)s)::date - (p.proposed_at AT TIME ZONE %(tz)s)::date
           ) FILTER (WHERE p.id IS NOT NULL) AS median_days
    FROM c LEFT JOIN parcours_caseconferenceproposal p ON p.id = c.proposal_id
    GROUP BY GROUPING SETS ((c.commission_id), ())
), per_decision AS (
    SELECT c.commission_id, COUNT(*) AS decisions,
           COUNT(*) FILTER (WHERE d.status = 'DONE' AND (d.due_on IS NULL OR d.done_on <= d.due_on)) AS on_time,
           COUNT(*) FILTER (WHERE (d.status = 'DONE' AND d.done_on > d.due_on)
                            OR (d.status = 'TODO' AND d.due_on < %(today)s)) AS late,
           COUNT(*) FILTER (WHERE d.status = 'NOT_POSSIBLE') AS not_possible,
           COUNT(*) FILTER (WHERE d.status = 'TODO' AND (d.due_on IS NULL OR d.due_on >= %(today)s)) AS open
    FROM concertation_decision d JOIN c ON c.id = d.case_id
    GROUP BY GROUPING SETS ((c.commission_id), ())
)
SELECT ps.commission_id, ps.sessions, COALESCE(pc.cases, 0), COALESCE(pc.first_time, 0),
       COALESCE(pc.follow_up, 0), pc.median_days, COALESCE(pd.decisions, 0), COALESCE(pd.on_time, 0),
       COALESCE(pd.late, 0), COALESCE(pd.not_possible, 0), COALESCE(pd.open, 0)
FROM per_session ps
LEFT JOIN per_case pc ON pc.commission_id IS NOT DISTINCT FROM ps.commission_id
LEFT JOIN per_decision pd ON pd.commission_id IS NOT DISTINCT FROM ps.commission_id
"""


@dataclass
class Figures:
    sessions_held: int = 0
    cases: int = 0
    first_time: int = 0
    follow_up: int = 0
    median_days: float | None = None
    decisions: int = 0
    on_time: int = 0
    late: int = 0
    not_possible: int = 0
    open: int = 0


def compute(start: dt.date, end: dt.date, commission_ids=None, today: dt.date | None = None) -> dict:
    """{commission_id: Figures, None: totals}, for sessions held between `start` and `end` (local dates)."""
    params = {
        "tz": settings.TIME_ZONE,
        "start": start,
        "end": end,
        "all": commission_ids is None,
        "ids": list(commission_ids or []),
        "today": today or timezone.localdate(),
    }
    with connection.cursor() as cursor:
        cursor.execute(FIGURES_SQL, params)
        rows = cursor.fetchall()
    result = {None: Figures()}
    for commission_id, *values in rows:
        figures = Figures(*values)
        if figures.median_days is not None:
            figures.median_days = float(figures.median_days)
        result[commission_id] = figures
    return result
