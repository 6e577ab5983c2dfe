"""NO_CONTACT — Sans contact.

No individual contact (honoured appointment, interview, call with the person) for `no_contact_days` days or
more — counted from the start of the earliest open follow-up when there was never one —, or at least
`missed_appointments` missed appointments in the last `missed_window_days` days. Subject: the person.
"""

from .common import only_person

CODE = "NO_CONTACT"


def sql() -> str:
    return f"""
        WITH f AS (
            SELECT fu.person_id, MIN(fu.started_on) AS since
            FROM parcours_followup fu WHERE fu.ended_on IS NULL AND {only_person("fu")}
            GROUP BY fu.person_id
        ), m AS (
            SELECT ev.person_id, COUNT(*) AS missed
            FROM parcours_event ev
            WHERE ev.kind = 'APPOINTMENT' AND ev.status = 'MISSED' AND ev.at >= %(missed_since)s
              AND {only_person("ev")}
            GROUP BY ev.person_id
        ), c AS (
            SELECT p.id AS person_id,
                   COALESCE((p.last_contact_at AT TIME ZONE %(tz)s)::date, f.since) AS last_contact_on,
                   p.last_contact_at IS NOT NULL AS had_contact,
                   COALESCE(m.missed, 0) AS missed
            FROM f JOIN parcours_person p ON p.id = f.person_id
            LEFT JOIN m ON m.person_id = f.person_id
        )
        SELECT c.person_id, 'person:' || c.person_id AS subject_key,
               LEAST(c.last_contact_on + %(no_contact_days)s, %(today)s::date) AS due_on,
               'WARNING' AS severity,
               jsonb_build_object('last_contact_on', c.last_contact_on, 'had_contact', c.had_contact,
                                  'missed', c.missed) AS facts,
               NULL::bigint AS owner_id
        FROM c
        WHERE c.last_contact_on <= %(today)s::date - %(no_contact_days)s OR c.missed >= %(missed_appointments)s
    """
