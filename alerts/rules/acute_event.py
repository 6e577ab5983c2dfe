"""ACUTE_EVENT — Événement grave.

A housing or employment period that ended in the last `acute_event_days` days for a serious reason
(exclusion, voluntary departure, hospitalisation, incarceration, no-show; dismissal, end of trial period,
abandonment). URGENT at once. Subject: the period.
"""

from .common import followed, only_person

CODE = "ACUTE_EVENT"

HOUSING_REASONS = ("EXCLUSION", "VOLUNTARY_DEPARTURE", "HOSPITALISATION", "INCARCERATION", "NO_SHOW")
EMPLOYMENT_REASONS = ("DISMISSAL", "TRIAL_END", "ABANDONMENT")


def sql() -> str:
    return f"""
        SELECT h.person_id, 'housingsituation:' || h.id AS subject_key, h.ended_on AS due_on,
               'URGENT' AS severity,
               jsonb_build_object('kind', 'housing', 'end_reason', h.end_reason, 'ended_on', h.ended_on) AS facts,
               NULL::bigint AS owner_id
        FROM parcours_housingsituation h
        WHERE h.ended_on >= %(today)s::date - %(acute_event_days)s AND h.ended_on <= %(today)s::date
          AND h.end_reason IN {HOUSING_REASONS!r} AND {followed("h")} AND {only_person("h")}
        UNION ALL
        SELECT e.person_id, 'employmentsituation:' || e.id, e.ended_on, 'URGENT',
               jsonb_build_object('kind', 'employment', 'end_reason', e.end_reason, 'ended_on', e.ended_on),
               NULL::bigint
        FROM parcours_employmentsituation e
        WHERE e.ended_on >= %(today)s::date - %(acute_event_days)s AND e.ended_on <= %(today)s::date
          AND e.end_reason IN {EMPLOYMENT_REASONS!r} AND {followed("e")} AND {only_person("e")}
    """
