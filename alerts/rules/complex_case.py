"""COMPLEX_CASE — Situation complexe : proposer une commission.

At least `complex_urgent_alerts` URGENT alerts raised in the last `complex_window_days` days; or, when the
evaluations app is installed, at least `complex_barriers` ACTIVE barriers in the last finalised evaluation
and at least `complex_structures` structures with an open follow-up. INFO, owner the lead referent, who may
propose the case to a conference (a `CaseConferenceProposal` for the coordinators). Runs last: it reads
the alerts the other rules have just written. Subject: the person.
"""

from django.apps import apps

from .common import followed, only_person

CODE = "COMPLEX_CASE"


def evaluations_available() -> bool:
    return apps.is_installed("evaluations") and "evaluation" in apps.all_models.get("evaluations", {})


def sql() -> str:
    barriers = ""
    if evaluations_available():
        barriers = f"""
        UNION ALL
        SELECT ev.person_id, 0 AS urgent, COUNT(*) AS barriers
        FROM evaluations_evaluation ev JOIN evaluations_barrier b ON b.evaluation_id = ev.id
        WHERE ev.is_current AND ev.status = 'FINAL' AND b.status = 'ACTIVE' AND {only_person("ev")}
        GROUP BY ev.person_id
        """
    return f"""
        WITH signals AS (
            SELECT a.person_id, COUNT(*) AS urgent, 0 AS barriers
            FROM parcours_alert a
            WHERE a.severity = 'URGENT' AND a.rule <> 'COMPLEX_CASE' AND a.created_at >= %(complex_since)s
              AND {only_person("a")}
            GROUP BY a.person_id
            {barriers}
        ), per_person AS (
            SELECT person_id, SUM(urgent) AS urgent, SUM(barriers) AS barriers FROM signals GROUP BY person_id
        ), structures AS (
            SELECT fu.person_id, COUNT(DISTINCT fu.structure_id) AS structures
            FROM parcours_followup fu
            WHERE fu.ended_on IS NULL AND fu.person_id IN (SELECT person_id FROM per_person)
            GROUP BY fu.person_id
        )
        SELECT pp.person_id, 'person:' || pp.person_id AS subject_key, NULL::date AS due_on, 'INFO' AS severity,
               jsonb_build_object('urgent_alerts', pp.urgent, 'active_barriers', pp.barriers,
                                  'structures', COALESCE(st.structures, 0)) AS facts,
               NULL::bigint AS owner_id
        FROM per_person pp LEFT JOIN structures st ON st.person_id = pp.person_id
        WHERE (pp.urgent >= %(complex_urgent_alerts)s
               OR (pp.barriers >= %(complex_barriers)s AND COALESCE(st.structures, 0) >= %(complex_structures)s))
          AND {followed("pp")}
    """
