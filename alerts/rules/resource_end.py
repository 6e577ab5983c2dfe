"""RESOURCE_END — Fin de ressource.

An open resource whose expected end falls within `resource_end_warning_days` (WARNING; URGENT within
`resource_end_urgent_days`), and no other resource starting on or after that end. Subject: the resource.
The kind is a fact; AAH and IJ (◆ health items) are left out of the text for viewers without health access.
"""

from .common import followed, only_person, two_thresholds

CODE = "RESOURCE_END"


def sql() -> str:
    return f"""
        SELECT r.person_id, 'resource:' || r.id AS subject_key, r.expected_end_on AS due_on,
               {two_thresholds("r.expected_end_on", "resource_end_urgent_days")} AS severity,
               jsonb_build_object('kind', r.kind, 'expected_end_on', r.expected_end_on) AS facts,
               NULL::bigint AS owner_id
        FROM parcours_resource r
        WHERE r.ended_on IS NULL AND r.expected_end_on <= %(today)s::date + %(resource_end_warning_days)s
          AND NOT EXISTS (SELECT 1 FROM parcours_resource nxt WHERE nxt.person_id = r.person_id
                          AND nxt.id <> r.id AND nxt.started_on >= r.expected_end_on)
          AND {followed("r")} AND {only_person("r")}
    """
