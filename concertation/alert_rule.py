"""DECISION_OVERDUE — Décision de commission en retard (registered in the alerts engine by `apps.py`).

A commission decision that is a task (an owner structure and a due date) still "à faire" after its due date.
Subject: the decision; owner: the referent of the owner structure's open follow-up of the person, else the
lead referent (the engine's default). Closes by itself once the task is done or declared not possible.
Set-wise like every rule (domain.md §5); only people with an open follow-up, like the other rules.
"""

from alerts.rules.common import followed, only_person

CODE = "DECISION_OVERDUE"


def sql() -> str:
    return f"""
        SELECT c.person_id, 'decision:' || d.id AS subject_key, d.due_on AS due_on, 'WARNING' AS severity,
               jsonb_build_object('commission', cm.name, 'session_on', (s.starts_at AT TIME ZONE %(tz)s)::date,
                                  'owner_structure', os.name, 'due_on', d.due_on, 'kind', d.kind) AS facts,
               (SELECT fu.referent_id FROM parcours_followup fu
                WHERE fu.person_id = c.person_id AND fu.structure_id = d.owner_structure_id
                  AND fu.ended_on IS NULL AND fu.referent_id IS NOT NULL
                ORDER BY fu.id LIMIT 1) AS owner_id
        FROM concertation_decision d
        JOIN concertation_casereview c ON c.id = d.case_id
        JOIN concertation_session s ON s.id = c.session_id
        JOIN concertation_commission cm ON cm.id = s.commission_id
        JOIN partenaires_structure os ON os.id = d.owner_structure_id
        WHERE d.status = 'TODO' AND d.due_on IS NOT NULL AND d.due_on < %(today)s::date
          AND {followed("c")} AND {only_person("c")}
    """
