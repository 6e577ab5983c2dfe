"""SQL fragments shared by the rules (domain.md §5). Every fragment is set-wise: no loop over people.

Parameters are psycopg2 named parameters (`%(today)s`…), filled by the engine from `AlertSettings`
(every threshold by its field name) plus `today`, `person_ids` (None for the nightly run) and a few
derived values (see `engine.rule_params`).
"""

from parcours.enums import HOUSING_GROUP_STATUSES as _GROUPS
from parcours.enums import IN_WORK_OR_TRAINING, HousingGroup, ResidentialStatus

# Columns every rule returns, in this order.
COLUMNS = "person_id, subject_key, due_on, severity, facts, owner_id"

IN_WORK = tuple(str(s) for s in IN_WORK_OR_TRAINING)

STAY_STATUSES = tuple(
    str(s)
    for group in (HousingGroup.EMERGENCY, HousingGroup.SHELTER, HousingGroup.SUPPORTED)
    for s in _GROUPS[group]
    if s != ResidentialStatus.PENSION_DE_FAMILLE
)
INSTITUTION_STATUSES = tuple(str(s) for g in (HousingGroup.INSTITUTION, HousingGroup.ASYLUM) for s in _GROUPS[g])
PRECARIOUS_STATUSES = tuple(str(s) for g in (HousingGroup.STREET, HousingGroup.EMERGENCY) for s in _GROUPS[g])


def followed(alias: str, column: str = "person_id") -> str:
    """Rules only consider people with at least one open follow-up."""
    return (
        f"EXISTS (SELECT 1 FROM parcours_followup fu_open WHERE fu_open.person_id = {alias}.{column} "
        "AND fu_open.ended_on IS NULL)"
    )


def only_person(alias: str, column: str = "person_id") -> str:
    """The per-person run: the same SQL restricted to one person (a constant filter when NULL)."""
    return f"(%(person_ids)s::bigint[] IS NULL OR {alias}.{column} = ANY(%(person_ids)s::bigint[]))"


def housing_next_step(alias: str, column: str = "person_id") -> str:
    """A next housing step is recorded: a HOUSING referral SENT, or ACCEPTED in the last N days."""
    return (
        f"EXISTS (SELECT 1 FROM parcours_referral ns WHERE ns.person_id = {alias}.{column} AND ns.kind = 'HOUSING' "
        "AND (ns.status = 'SENT' OR (ns.status = 'ACCEPTED' AND ns.answered_at >= %(accepted_since)s)))"
    )


def employment_next_step(alias: str, end_expr: str) -> str:
    """A next employment step: a period in work or training starting on or after `end_expr` (a signed contract
    may be entered ahead), or an EMPLOYMENT referral SENT or recently ACCEPTED."""
    return (
        f"(EXISTS (SELECT 1 FROM parcours_employmentsituation nxt WHERE nxt.person_id = {alias}.person_id "
        f"AND nxt.id <> {alias}.id AND nxt.situation IN %(in_work)s AND nxt.started_on >= {end_expr}) "
        f"OR EXISTS (SELECT 1 FROM parcours_referral ns WHERE ns.person_id = {alias}.person_id "
        "AND ns.kind = 'EMPLOYMENT' "
        "AND (ns.status = 'SENT' OR (ns.status = 'ACCEPTED' AND ns.answered_at >= %(accepted_since)s))))"
    )


def two_thresholds(date_expr: str, near: str, first_severity: str = "WARNING", near_severity: str = "URGENT") -> str:
    """Severity when `date_expr` is within the nearer threshold (`near`, a parameter name) or only the first."""
    return f"CASE WHEN {date_expr} <= %(today)s::date + %({near})s THEN '{near_severity}' ELSE '{first_severity}' END"
