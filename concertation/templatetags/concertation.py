"""`{% load concertation %}`: the concertation section of a person file and the coordinator's home card.

`{% person_concertation person %}`: `person` comes from the access policy (the page is already checked); it
lists the person's nominative cases and their decisions (tasks), and offers "Proposer en commission" to
followers. Anonymous cases are not linked to the file (R4). Three queries whatever the data.
"""

import datetime as dt

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from alerts.models import CaseConferenceProposal

from .. import figures
from ..enums import SessionStatus
from ..models import CaseReview, Commission, Decision, Session

register = template.Library()


@register.inclusion_tag("concertation/includes/person_section.html", takes_context=True)
def person_concertation(context, person):
    access = getattr(person, "access", None)
    cases = list(
        CaseReview.objects.filter(person_id=person.pk)
        .nominative()
        .select_related("session__commission")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("owner_structure").order_by("id"))
        )
        .order_by("-session__starts_at", "-id")
    )
    pending = CaseConferenceProposal.objects.pending().filter(person_id=person.pk).exists()
    return {
        "person": person,
        "cases": cases,
        "pending": pending,
        "can_propose": bool(access and access.can_write),
    }


@register.inclusion_tag("concertation/includes/home_card.html", takes_context=True)
def concertation_home_card(context):
    today = timezone.localdate()
    user = context["request"].user
    commissions = list(Commission.objects.visible_to(user).order_by("name", "id"))
    year = figures.compute(today - dt.timedelta(days=365), today, [c.pk for c in commissions])
    upcoming = list(
        Session.objects.filter(commission__in=commissions, status=SessionStatus.PLANNED, starts_at__gte=timezone.now())
        .select_related("commission")
        .order_by("starts_at", "id")[:3]
    )
    return {
        "rows": [(c, year.get(c.pk) or figures.Figures()) for c in commissions],
        "pending": CaseConferenceProposal.objects.pending().count(),
        "upcoming": upcoming,
    }
