"""The home page dashboards by role (issue 14, item 1): `{% observatoire_home_cards role %}`."""

import datetime as dt

from django import template
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import FIELD_ROLES, Role
from accounts.scope import user_scope

from ..aggregates import monthly_activity
from ..filters import Filters
from ..smallnumbers import Masker

register = template.Library()


def _worker_figures(user, scope) -> dict:
    from alerts.enums import Severity
    from alerts.models import Alert
    from parcours.enums import ActionStatus
    from parcours.models import Action, FollowUp, Person, Referral

    by_severity = dict(Alert.objects.open().owned_by(user).order_by().values_list("severity").annotate(n=Count("pk")))
    since = timezone.localdate() - dt.timedelta(days=45)
    mine = FollowUp.objects.open().filter(person_id=OuterRef("pk"), referent=user)
    without_contact = (
        Person.objects.filter(Exists(mine))
        .filter(Q(last_contact_at__isnull=True) | Q(last_contact_at__date__lt=since))
        .count()
    )
    waiting = Referral.objects.pending().filter(to_structure_id__in=sorted(scope.field_structures)).count()
    # Planned plan actions the user carries: theirs, or their structure's when nobody is named.
    today = timezone.localdate()
    actions = (
        Action.objects.filter(status=ActionStatus.PLANNED, due_on__lte=today + dt.timedelta(days=7))
        .filter(Q(referent=user) | Q(referent__isnull=True, owner_structure_id__in=sorted(scope.field_structures)))
        .aggregate(overdue=Count("pk", filter=Q(due_on__lt=today)), due_soon=Count("pk", filter=Q(due_on__gte=today)))
    )
    return {
        "actions_overdue": actions["overdue"],
        "actions_due_soon": actions["due_soon"],
        "alerts": [(label, by_severity.get(code, 0)) for code, label in reversed(Severity.choices)],
        "waiting": waiting,
        "without_contact": without_contact,
    }


def _month_figures(user, limit_to) -> dict:
    today = timezone.localdate()
    filters = Filters(today.replace(day=1), today, limit_to=tuple(sorted(limit_to)) if limit_to is not None else None)
    row = monthly_activity(filters)[0]
    masker = Masker.for_user(user)
    return {key: masker(value) if key not in ("month", "median_days") else value for key, value in row.items()}


@register.inclusion_tag("observatoire/includes/home_cards.html", takes_context=True)
def observatoire_home_cards(context, role):
    user = context["request"].user
    scope = user_scope(user)
    result = {"role": role, "roles": Role}
    if role in FIELD_ROLES and scope.field_structures:
        result["worker"] = _worker_figures(user, scope)
    if role == Role.MANAGER and scope.manager_structures:
        result["month"] = _month_figures(user, scope.manager_structures)
    if role == Role.COORDINATOR and scope.is_coordinator:
        result["month"] = _month_figures(user, None)
    return result
