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
        UNION ALL
        -- A stay ending concerns every member of the household (issue 13): the other current members with a
        -- file get the alert too (same subject). Their alerts follow the nightly run.
        SELECT hm2.person_id, 'housingsituation:' || h.id, h.planned_end_on,
               {two_thresholds("h.planned_end_on", "stay_end_urgent_days")},
               jsonb_build_object('status', h.residential_status, 'planned_end_on', h.planned_end_on,
                                  'structure', s.name, 'household', true),
               NULL::bigint
        FROM parcours_housingsituation h
        JOIN parcours_householdmember hm1 ON hm1.person_id = h.person_id AND hm1.left_on IS NULL
        JOIN parcours_householdmember hm2 ON hm2.household_id = hm1.household_id AND hm2.left_on IS NULL
             AND hm2.person_id IS NOT NULL AND hm2.person_id <> h.person_id
        LEFT JOIN partenaires_structure s ON s.id = h.structure_id
        WHERE {condition("h")} AND {followed("hm2")} AND {only_person("hm2")}
    """


__all__ = ["CODE", "COLUMNS", "condition", "sql"]
