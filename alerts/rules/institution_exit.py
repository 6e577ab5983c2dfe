"""INSTITUTION_EXIT — Sortie d'institution.

An open period in an institution (prison, hospital, LHSS/LAM, child welfare) or in asylum accommodation whose
planned end falls within `institution_exit_warning_days` (WARNING; URGENT within
`institution_exit_urgent_days`), and no next housing step recorded. Subject: the housing period.
"""

from .common import followed, housing_next_step, only_person, two_thresholds

CODE = "INSTITUTION_EXIT"


def sql() -> str:
    return f"""
        SELECT h.person_id, 'housingsituation:' || h.id AS subject_key, h.planned_end_on AS due_on,
               {two_thresholds("h.planned_end_on", "institution_exit_urgent_days")} AS severity,
               jsonb_build_object('status', h.residential_status, 'planned_end_on', h.planned_end_on,
                                  'structure', s.name) AS facts,
               NULL::bigint AS owner_id
        FROM parcours_housingsituation h
        LEFT JOIN partenaires_structure s ON s.id = h.structure_id
        WHERE h.ended_on IS NULL AND h.residential_status IN %(institution_statuses)s
          AND h.planned_end_on <= %(today)s::date + %(institution_exit_warning_days)s
          AND NOT {housing_next_step("h")} AND {followed("h")} AND {only_person("h")}
    """
