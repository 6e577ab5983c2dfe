"""The main navigation, from every membership of the user (`accounts.scope.user_scope`, the same rule as the
permissions: docs/architecture.md, "Roles"). Each feature adds its entry here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.scope import user_scope


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool
    badge: int | str | None = None


# (label, url name, the `role_required` checks that see it ("field", "manager", "coordinator", "funder",
# "admin"); None = everyone[, dotted path of `f(request) -> int` for a badge])
ENTRIES = [
    (_("Accueil"), "home", None),
    (_("Personnes suivies"), "parcours:person_list", ("field", "coordinator")),
    (_("Orientations"), "parcours:referral_list", ("field",)),
    (_("Alertes"), "alerts:alert_list", ("field", "coordinator"), "alerts.views.nav_badge"),
    (_("Annuaire"), "partenaires:structure_list", ("field", "coordinator", "admin", "dpo")),
    (_("Évaluations"), "evaluations:cohort", ("coordinator", "manager")),
    (_("Opérations FSE"), "fse:operation_list", ("coordinator", "funder", "manager")),
    (_("Protection des données"), "dpo:dashboard", ("dpo", "admin")),
    # concertation (issue 12): commissions, and the tasks their decisions give to the user's structures.
    (_("Commissions"), "concertation:commission_list", ("field", "coordinator")),
    (_("Tâches"), "concertation:task_list", ("field",), "concertation.views.nav_badge"),
    # observatoire (issue 14)
    (_("Observatoire"), "observatoire:dashboard", ("coordinator", "manager", "funder")),
]


def navigation_for(request) -> list[NavItem]:
    scope = user_scope(request.user)
    items = []
    for label, url_name, checks, *badge in ENTRIES:
        if checks is not None and not any(scope.has(check) for check in checks):
            continue
        url = reverse(url_name)
        count = import_string(badge[0])(request) if badge else None
        items.append(NavItem(label=label, url=url, active=request.path == url, badge=count or None))
    if request.user.is_staff:
        items.append(NavItem(label=_("Administration"), url=reverse("admin:index"), active=False))
    return items


__all__ = ["ENTRIES", "NavItem", "navigation_for"]
