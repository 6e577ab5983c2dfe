"""EMPLOYMENT_LEVER — Levier emploi à préserver (the project's core aim).

A person in work or training (an open period in one of the seven situations of domain.md §2.3) whose housing
is at risk: either the STAY_END condition holds, or the open housing period is in the street or emergency
groups since more than `lever_precarious_days` days with no next housing step. URGENT.
Subject: the housing period. Simplifications (said in docs/alerts.md): "consecutive days" are those of the
current housing period; "no ACTIVE housing request" reads `parcours.HousingRequest` (status `ACTIVE`).
"""

from . import stay_end
from .common import followed, housing_next_step, only_person

CODE = "EMPLOYMENT_LEVER"


def sql() -> str:
    return f"""
        SELECT h.person_id, 'housingsituation:' || h.id AS subject_key, h.planned_end_on AS due_on,
               'URGENT' AS severity,
               jsonb_build_object('status', h.residential_status, 'planned_end_on', h.planned_end_on,
                                  'housing_since', h.started_on, 'situation', w.situation,
                                  'workplace_commune', w.workplace_commune_insee,
                                  'staggered_hours', w.staggered_hours) AS facts,
               NULL::bigint AS owner_id
        FROM parcours_housingsituation h
        JOIN LATERAL (
            SELECT e.situation, e.workplace_commune_insee, e.staggered_hours
            FROM parcours_employmentsituation e
            WHERE e.person_id = h.person_id AND e.ended_on IS NULL AND e.situation IN %(in_work)s
            ORDER BY e.started_on DESC, e.id DESC LIMIT 1
        ) w ON TRUE
        WHERE h.ended_on IS NULL
          AND (({stay_end.condition("h")})
               OR (h.residential_status IN %(precarious_statuses)s
                   AND h.started_on < %(today)s::date - %(lever_precarious_days)s
                   AND NOT {housing_next_step("h")}
                   AND NOT EXISTS (SELECT 1 FROM parcours_housingrequest hr
                                   WHERE hr.person_id = h.person_id AND hr.status = 'ACTIVE')))
          AND {followed("h")} AND {only_person("h")}
    """
