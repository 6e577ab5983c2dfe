"""PASS_IAE_END — Fin de PASS IAE.

`PassIae.end_on` within `pass_iae_info_days` (INFO; WARNING within `pass_iae_warning_days`); the alert stays
until `pass_iae_grace_days` after the end (prolongation may be requested until 6 months after). Subject: the
PASS (`parcours.PassIae`, domain.md §2.3). A prolongation moves `end_on`, which moves or closes the alert.
"""

from .common import followed, only_person, two_thresholds

CODE = "PASS_IAE_END"


def sql() -> str:
    return f"""
        SELECT pi.person_id, 'passiae:' || pi.id AS subject_key, pi.end_on AS due_on,
               {two_thresholds("pi.end_on", "pass_iae_warning_days", "INFO", "WARNING")} AS severity,
               jsonb_build_object('end_on', pi.end_on) AS facts, NULL::bigint AS owner_id
        FROM parcours_passiae pi
        WHERE pi.end_on <= %(today)s::date + %(pass_iae_info_days)s
          AND pi.end_on >= %(today)s::date - %(pass_iae_grace_days)s
          AND {followed("pi")} AND {only_person("pi")}
    """
