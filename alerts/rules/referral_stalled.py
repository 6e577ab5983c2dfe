"""REFERRAL_STALLED — Orientation sans réponse.

A referral still SENT after its response deadline (`response_due_on`, sending + 15 days by default, set by
`ParcoursSettings.referral_response_days`). Subject: the referral; owner: the worker who sent it.
"""

from .common import followed, only_person

CODE = "REFERRAL_STALLED"


def sql() -> str:
    return f"""
        SELECT r.person_id, 'referral:' || r.id AS subject_key, r.response_due_on AS due_on,
               'WARNING' AS severity,
               jsonb_build_object('to_structure', s.name, 'kind', r.kind,
                                  'sent_on', (r.sent_at AT TIME ZONE %(tz)s)::date,
                                  'response_due_on', r.response_due_on) AS facts,
               r.sent_by_id AS owner_id
        FROM parcours_referral r JOIN partenaires_structure s ON s.id = r.to_structure_id
        WHERE r.status = 'SENT' AND r.response_due_on < %(today)s::date
          AND {followed("r")} AND {only_person("r")}
    """
