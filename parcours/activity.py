"""The French sentence of a fact of the « Fil d'activité », built from its codes for a viewer (issue 13)."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .enums import (
    ActionStatus,
    ActivityKind,
    ContractType,
    EmploymentEndReason,
    EmploymentStatus,
    FollowUpKind,
    RefusalReason,
    ResidentialStatus,
)


def _label(enum, code) -> str:
    try:
        return str(enum(code).label)
    except ValueError:
        return code or ""


def _date(value) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return date_format(day, "SHORT_DATE_FORMAT")


def describe(activity) -> str:
    """One sentence; the caller has already filtered the facts the viewer may not see (`for_viewer`)."""
    f = activity.facts or {}
    kind = activity.kind
    if kind in (ActivityKind.CONTRACT_SIGNED, ActivityKind.CONTRACT_ENDED):
        what = _label(EmploymentStatus, f.get("situation"))
        if f.get("contract_type"):
            what = f"{what} ({_label(ContractType, f['contract_type'])})"
        if kind == ActivityKind.CONTRACT_SIGNED:
            return _("Contrat signé : %(what)s, à partir du %(date)s.") % {"what": what, "date": _date(f.get("on"))}
        text = _("Contrat terminé le %(date)s : %(what)s.") % {"what": what, "date": _date(f.get("on"))}
        if f.get("end_reason"):
            text = f"{text[:-1]} — {_label(EmploymentEndReason, f['end_reason']).lower()}."
        return text
    if kind == ActivityKind.HOUSING_EXIT:
        text = _("Sortie le %(date)s : %(where)s.") % {
            "date": _date(f.get("on")),
            "where": _label(ResidentialStatus, f.get("status")),
        }
        if f.get("destination"):
            text = f"{text[:-1]} ; " + _("destination : %(to)s.") % {"to": _label(ResidentialStatus, f["destination"])}
        return text
    if kind in (ActivityKind.REFERRAL_ACCEPTED, ActivityKind.REFERRAL_REFUSED):
        to = activity.referral.to_structure.name if activity.referral_id and activity.referral else ""
        values = {"kind": _label(FollowUpKind, f.get("kind")).lower(), "to": to}
        if kind == ActivityKind.REFERRAL_ACCEPTED:
            return _("Orientation (%(kind)s) acceptée par %(to)s.") % values
        text = _("Orientation (%(kind)s) refusée par %(to)s.") % values
        if f.get("reason"):
            text = f"{text[:-1]} — {_label(RefusalReason, f['reason']).lower()}."
        return text
    if kind in (ActivityKind.OBJECTIVE_REACHED, ActivityKind.OBJECTIVE_ABANDONED):
        statement = activity.objective.statement if activity.objective_id and activity.objective else ""
        if kind == ActivityKind.OBJECTIVE_REACHED:
            return _("Objectif atteint : « %(statement)s ».") % {"statement": statement}
        return _("Objectif abandonné : « %(statement)s ».") % {"statement": statement}
    if kind in (ActivityKind.ACTION_ASSIGNED, ActivityKind.ACTION_COMPLETED):
        action = activity.action if activity.action_id else None
        title = action.title if action else ""
        owner = action.owner_structure.name if action else ""
        if kind == ActivityKind.ACTION_ASSIGNED:
            return _("Action « %(title)s » confiée à %(owner)s, à réaliser avant le %(date)s.") % {
                "title": title,
                "owner": owner,
                "date": _date(action.due_on) if action else "",
            }
        if f.get("status") == ActionStatus.NOT_DONE:
            return _("Action « %(title)s » non réalisée (%(owner)s).") % {"title": title, "owner": owner}
        return _("Action « %(title)s » réalisée (%(owner)s).") % {"title": title, "owner": owner}
    if kind == ActivityKind.EVALUATION_FINALISED:
        return _("Évaluation insertion professionnelle finalisée.")
    return str(activity.get_kind_display()) + "."
