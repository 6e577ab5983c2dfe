"""PERMIT_RENEWAL — Titre de séjour à renouveler.

The residence permit ends within `permit_warning_days` (WARNING; URGENT within `permit_urgent_days`, or
already ended) and no renewal request is recorded (`permit_renewal_filed_on` empty). Subject: the person
(the permit is a fact of the person); the due date is the permit's end, so a new permit opens a new alert.
"""

from .common import followed, only_person, two_thresholds

CODE = "PERMIT_RENEWAL"


def sql() -> str:
    return f"""
        SELECT p.id AS person_id, 'person:' || p.id AS subject_key, p.permit_end_on AS due_on,
               {two_thresholds("p.permit_end_on", "permit_urgent_days")} AS severity,
               jsonb_build_object('permit_end_on', p.permit_end_on, 'residence_right', p.residence_right) AS facts,
               NULL::bigint AS owner_id
        FROM parcours_person p
        WHERE p.permit_end_on <= %(today)s::date + %(permit_warning_days)s AND p.permit_renewal_filed_on IS NULL
          AND {followed("p", "id")} AND {only_person("p", "id")}
    """
