"""The main navigation, by role of the active membership. Each feature adds its entry here."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool
    badge: int | None = None


# (label, url name, roles that see it; None = every role[, dotted path of `f(request) -> int` for a badge])
ENTRIES = [
    (_("Accueil"), "home", None),
    (
        _("Personnes suivies"),
        "parcours:person_list",
        (Role.SOCIAL_WORKER, Role.INSERTION_COUNSELLOR, Role.MANAGER, Role.COORDINATOR),
    ),
    (_("Orientations"), "parcours:referral_list", (Role.SOCIAL_WORKER, Role.INSERTION_COUNSELLOR, Role.MANAGER)),
    (
        _("Alertes"),
        "alerts:alert_list",
        (Role.SOCIAL_WORKER, Role.INSERTION_COUNSELLOR, Role.MANAGER, Role.COORDINATOR),
        "alerts.views.nav_badge",
    ),
    (_("Annuaire"), "partenaires:structure_list", [r for r in Role if r != Role.FUNDER]),
    (_("Évaluations"), "evaluations:cohort", (Role.COORDINATOR, Role.MANAGER)),
    (_("Opérations FSE"), "fse:operation_list", (Role.COORDINATOR, Role.FUNDER, Role.MANAGER)),
    # observatoire
    (_("Observatoire"), "observatoire:dashboard", (Role.COORDINATOR, Role.MANAGER, Role.FUNDER)),
]


def navigation_for(request, membership) -> list[NavItem]:
    role = membership.role if membership else None
    items = []
    for label, url_name, roles, *badge in ENTRIES:
        if roles is not None and role not in roles:
            continue
        url = reverse(url_name)
        count = import_string(badge[0])(request) if badge else None
        items.append(NavItem(label=label, url=url, active=request.path == url, badge=count or None))
    if request.user.is_staff:
        items.append(NavItem(label=_("Administration"), url=reverse("admin:index"), active=False))
    return items


__all__ = ["NavItem", "Role", "navigation_for"]
