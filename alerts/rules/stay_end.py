"""STAY_END — Fin de séjour proche.

An open housing period in an emergency, shelter or supported-housing facility (except a pension de famille,
which has no end) whose planned end falls within `stay_end_warning_days` (WARNING; URGENT within
`stay_end_urgent_days`, or already past), and no next housing step recorded. Subject: the housing period.
"""

from .common import COLUMNS, followed, housing_next_step, only_person, two_thresholds

CODE = "STAY_END"


def condition(alias: str = "h") -> str:
    """The STAY_END condition on housing periods aliased `alias` (reused by EMPLOYMENT_LEVER)."""
    return (
        f"{alias}.ended_on IS NULL AND {alias}.residential_status IN %(stay_statuses)s "
        f"AND {alias}.planned_end_on <= %(today)s::date + %(stay_end_warning_days)s "
        f"AND NOT {housing_next_step(alias)}"
    )


def sql() -> str:
    return f"""
        SELECT h.person_id, 'housingsituation:' || h.id AS subject_key, h.planned_end_on AS due_on,
               {two_thresholds("h.planned_end_on", "stay_end_urgent_days")} AS severity,
               jsonb_build_object('status', h.residential_status, 'planned_end_on', h.planned_end_on,
                                  'structure', s.name) AS facts,
               NULL::bigint AS owner_id
        FROM parcours_housingsituation h
        LEFT JOIN partenaires_structure s ON s.id = h.structure_id
        WHERE {condition("h")} AND {followed("h")} AND {only_person("h")}
    """


__all__ = ["CODE", "COLUMNS", "condition", "sql"]
