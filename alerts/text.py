"""The French explanation of an alert, built from its facts for what the viewer may see (privacy.md §3)."""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parcours.enums import (
    HEALTH_RESOURCE_KINDS,
    ContractType,
    EmploymentEndReason,
    EmploymentStatus,
    FollowUpKind,
    HousingEndReason,
    ResidentialStatus,
    ResourceKind,
)


def _date(value) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return date_format(day, "SHORT_DATE_FORMAT")


def _in_days(value, today: dt.date) -> str:
    if not value:
        return ""
    day = dt.date.fromisoformat(value) if isinstance(value, str) else value
    delta = (day - today).days
    if delta > 0:
        return _("dans %(n)s jours") % {"n": delta}
    if delta == 0:
        return _("aujourd'hui")
    return _("dépassée de %(n)s jours") % {"n": -delta}


def _label(enum, code) -> str:
    try:
        return str(enum(code).label)
    except ValueError:
        return code or ""


def explain(alert, *, shows_health: bool, today: dt.date) -> str:
    """One sentence naming the facts; ◆ facts (AAH, IJ) only for viewers with health access."""
    f = alert.facts or {}
    rule = alert.rule
    if rule in ("STAY_END", "INSTITUTION_EXIT"):
        where = _label(ResidentialStatus, f.get("status"))
        if f.get("structure"):
            where = f"{where} — {f['structure']}"
        text = _("Fin prévue le %(date)s (%(when)s) : %(where)s ; aucune orientation logement en cours.") % {
            "date": _date(f.get("planned_end_on")),
            "when": _in_days(f.get("planned_end_on"), today),
            "where": where,
        }
        if f.get("household"):
            text = f"{text} " + _("Le séjour concerne le ménage : la fin vaut pour chacun de ses membres.")
        return text
    if rule == "CONTRACT_END":
        what = _label(EmploymentStatus, f.get("situation"))
        if f.get("contract_type"):
            what = f"{what} ({_label(ContractType, f['contract_type'])})"
        return _("%(what)s : fin prévue le %(date)s (%(when)s) ; aucune suite en emploi ou formation.") % {
            "what": what,
            "date": _date(f.get("planned_end_on")),
            "when": _in_days(f.get("planned_end_on"), today),
        }
    if rule == "PASS_IAE_END":
        return _("Le PASS IAE prend fin le %(date)s (%(when)s) : vérifier une prolongation.") % {
            "date": _date(f.get("end_on")),
            "when": _in_days(f.get("end_on"), today),
        }
    if rule == "RESOURCE_END":
        kind = f.get("kind")
        what = _label(ResourceKind, kind) if shows_health or kind not in HEALTH_RESOURCE_KINDS else _("Une ressource")
        return _("%(what)s : fin prévue le %(date)s (%(when)s) ; aucune ressource prend le relais.") % {
            "what": what,
            "date": _date(f.get("expected_end_on")),
            "when": _in_days(f.get("expected_end_on"), today),
        }
    if rule == "PERMIT_RENEWAL":
        return _("Titre de séjour valable jusqu'au %(date)s (%(when)s) ; aucune demande de renouvellement.") % {
            "date": _date(f.get("permit_end_on")),
            "when": _in_days(f.get("permit_end_on"), today),
        }
    if rule == "NO_CONTACT":
        parts = []
        if f.get("had_contact"):
            parts.append(_("Dernier contact le %(date)s.") % {"date": _date(f.get("last_contact_on"))})
        else:
            parts.append(
                _("Aucun contact depuis le début de l'accompagnement (%(date)s).")
                % {"date": _date(f.get("last_contact_on"))}
            )
        if f.get("missed"):
            parts.append(_("%(n)s rendez-vous non honoré(s) récemment.") % {"n": f["missed"]})
        return " ".join(parts)
    if rule == "REFERRAL_STALLED":
        return _("Orientation %(kind)s vers %(to)s envoyée le %(sent)s : pas de réponse depuis le %(due)s.") % {
            "kind": _label(FollowUpKind, f.get("kind")).lower(),
            "to": f.get("to_structure", ""),
            "sent": _date(f.get("sent_on")),
            "due": _date(f.get("response_due_on")),
        }
    if rule == "EVALUATION_MISSING_OR_OUTDATED":
        if f.get("missing"):
            return _("Aucune évaluation finalisée depuis le début de l'accompagnement (%(date)s).") % {
                "date": _date(f.get("since"))
            }
        return _("Dernière évaluation finalisée le %(date)s : à mettre à jour.") % {
            "date": _date(f.get("finalised_on"))
        }
    if rule == "ACUTE_EVENT":
        enum = HousingEndReason if f.get("kind") == "housing" else EmploymentEndReason
        return _("Période terminée le %(date)s : %(reason)s.") % {
            "date": _date(f.get("ended_on")),
            "reason": _label(enum, f.get("end_reason")).lower(),
        }
    if rule == "EMPLOYMENT_LEVER":
        text = _("En %(work)s, avec un hébergement menacé (%(housing)s%(end)s). ") % {
            "work": _label(EmploymentStatus, f.get("situation")).lower(),
            "housing": _label(ResidentialStatus, f.get("status")),
            "end": (_(", fin le %(date)s") % {"date": _date(f.get("planned_end_on"))})
            if f.get("planned_end_on")
            else "",
        }
        return text + _(
            "Chercher une solution proche du lieu de travail, compatible avec les horaires, "
            "et vérifier l'éligibilité Action Logement."
        )
    if rule == "ACTION_OVERDUE":
        return _("Action du plan prévue pour le %(date)s (%(when)s), portée par %(owner)s : pas encore réalisée.") % {
            "date": _date(f.get("due_on")),
            "when": _in_days(f.get("due_on"), today),
            "owner": f.get("owner", ""),
        }
    if rule == "COMPLEX_CASE":
        urgent, barriers, structures = (f.get(k, 0) for k in ("urgent_alerts", "active_barriers", "structures"))
        return _("%(urgent)s, %(barriers)s, %(structures)s : proposer un passage en commission.") % {
            "urgent": ngettext("%(n)s alerte urgente en 12 mois", "%(n)s alertes urgentes en 12 mois", urgent)
            % {"n": urgent},
            "barriers": ngettext("%(n)s frein actif", "%(n)s freins actifs", barriers) % {"n": barriers},
            "structures": ngettext("%(n)s structure mobilisée", "%(n)s structures mobilisées", structures)
            % {"n": structures},
        }
    if rule == "DECISION_OVERDUE":
        # Registered by the concertation app; its facts are codes, dates and structure names only.
        return _(
            "Décision de la commission « %(commission)s » du %(session)s confiée à %(owner)s : échéance le "
            "%(due)s (%(delay)s). La marquer faite, ou pas possible avec le motif."
        ) % {
            "commission": f.get("commission", ""),
            "session": _date(f.get("session_on")),
            "owner": f.get("owner_structure", ""),
            "due": _date(f.get("due_on")),
            "delay": _in_days(f.get("due_on"), today),
        }
    return ""
