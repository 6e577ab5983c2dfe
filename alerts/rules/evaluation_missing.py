"""EVALUATION_MISSING_OR_OUTDATED — Évaluation manquante ou ancienne.

No finalised evaluation `evaluation_missing_days` days after the start of the earliest open follow-up
(subject: the person); or the last finalised version is older than `evaluation_outdated_days` days
(subject: that evaluation). WARNING. Active only when the evaluations app provides its models
(`evaluations.Evaluation`, merged separately): until then the rule matches nothing.
"""

from .common import only_person
from .complex_case import evaluations_available

CODE = "EVALUATION_MISSING_OR_OUTDATED"


def available() -> bool:
    return evaluations_available()


def sql() -> str:
    return f"""
        WITH f AS (
            SELECT fu.person_id, MIN(fu.started_on) AS since
            FROM parcours_followup fu WHERE fu.ended_on IS NULL AND {only_person("fu")}
            GROUP BY fu.person_id
        )
        SELECT f.person_id, 'person:' || f.person_id AS subject_key,
               f.since + %(evaluation_missing_days)s AS due_on, 'WARNING' AS severity,
               jsonb_build_object('missing', true, 'since', f.since) AS facts, NULL::bigint AS owner_id
        FROM f
        WHERE f.since <= %(today)s::date - %(evaluation_missing_days)s
          AND NOT EXISTS (SELECT 1 FROM evaluations_evaluation ev WHERE ev.person_id = f.person_id
                          AND ev.status = 'FINAL')
        UNION ALL
        SELECT f.person_id, 'evaluation:' || ev.id, (ev.finalised_at AT TIME ZONE %(tz)s)::date
               + %(evaluation_outdated_days)s, 'WARNING',
               jsonb_build_object('missing', false, 'finalised_on', (ev.finalised_at AT TIME ZONE %(tz)s)::date),
               NULL::bigint
        FROM f JOIN evaluations_evaluation ev ON ev.person_id = f.person_id AND ev.is_current
        WHERE ev.status = 'FINAL' AND ev.finalised_at < %(outdated_before)s
    """
