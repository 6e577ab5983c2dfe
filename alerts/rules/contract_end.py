"""CONTRACT_END — Fin de contrat proche.

An open employment period whose planned end (contract end) falls within `contract_end_warning_days`
(WARNING; URGENT within `contract_end_urgent_days`), and no next employment step: no period in work or
training starting on or after that end, no EMPLOYMENT referral sent or recently accepted.
Subject: the employment period.
"""

from .common import employment_next_step, followed, only_person, two_thresholds

CODE = "CONTRACT_END"


def sql() -> str:
    return f"""
        SELECT e.person_id, 'employmentsituation:' || e.id AS subject_key, e.planned_end_on AS due_on,
               {two_thresholds("e.planned_end_on", "contract_end_urgent_days")} AS severity,
               jsonb_build_object('situation', e.situation, 'contract_type', e.contract_type,
                                  'planned_end_on', e.planned_end_on) AS facts,
               NULL::bigint AS owner_id
        FROM parcours_employmentsituation e
        WHERE e.ended_on IS NULL AND e.planned_end_on <= %(today)s::date + %(contract_end_warning_days)s
          AND NOT {employment_next_step("e", "e.planned_end_on")} AND {followed("e")} AND {only_person("e")}
    """
