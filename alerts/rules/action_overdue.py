"""ACTION_OVERDUE — Action du plan en retard.

A planned action of the shared plan (parcours.Action) whose due date has passed, under an objective still in
progress. WARNING; URGENT when `action_overdue_urgent_days` days late. Subject: the action. Owner: the action's
referent when set, else the lead referent. The facts hold dates and the owner structure's name, never the
action's text nor its theme (a HEALTH objective's action stays a ◆ item).
"""

from .common import followed, only_person

CODE = "ACTION_OVERDUE"
URGENT_AFTER_DAYS = 30


def sql() -> str:
    return f"""
        SELECT a.person_id, 'action:' || a.id AS subject_key, a.due_on AS due_on,
               CASE WHEN a.due_on < %(today)s::date - {URGENT_AFTER_DAYS} THEN 'URGENT' ELSE 'WARNING' END
                   AS severity,
               jsonb_build_object('due_on', a.due_on, 'owner', s.name) AS facts,
               a.referent_id AS owner_id
        FROM parcours_action a
        JOIN parcours_objective o ON o.id = a.objective_id
        JOIN partenaires_structure s ON s.id = a.owner_structure_id
        WHERE a.status = 'PLANNED' AND a.due_on < %(today)s::date AND o.status = 'IN_PROGRESS'
          AND {followed("a")} AND {only_person("a")}
    """
