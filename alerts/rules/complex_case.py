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
        # The active themes kept on the evaluation (one barrier per theme, evaluations.services keeps them in
        # step): an index-only scan of the current versions instead of a join with every barrier row (10 s of
        # a nightly run at 1,000,000 people and 12 million barriers).
        barriers = f"""
        UNION ALL
        SELECT ev.person_id, 0 AS urgent, cardinality(ev.active_themes) AS barriers
        FROM evaluations_evaluation ev
        WHERE ev.is_current AND cardinality(ev.active_themes) > 0 AND {only_person("ev")}
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
            -- Only the people who may qualify: the structures are then counted for them, not for everyone.
            SELECT person_id, SUM(urgent) AS urgent, SUM(barriers) AS barriers FROM signals GROUP BY person_id
            HAVING SUM(urgent) >= %(complex_urgent_alerts)s OR SUM(barriers) >= %(complex_barriers)s
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
