"""`{{ obj|label:"field" }}`: the French label of a choice field, like `get_FOO_display()` but without
Django's per-call hashing of every translated choice (which translates the whole list on each call)."""

import datetime as dt

from django import template
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import get_language

from accounts.scope import user_scope

from ..models import Person, Referral
from ..referral_stats import referral_response_stats as response_stats

register = template.Library()

_LABELS: dict = {}


def choice_label(instance, field_name: str) -> str:
    value = getattr(instance, field_name)
    if value in (None, ""):
        return ""
    key = (instance._meta.label, field_name, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        field = instance._meta.get_field(field_name)
        labels = {code: str(label) for code, label in field.flatchoices}
        _LABELS[key] = labels
    return labels.get(value, value)


@register.filter
def label(instance, field_name: str) -> str:
    return choice_label(instance, field_name)


@register.inclusion_tag("parcours/includes/home_cards.html", takes_context=True)
def parcours_home_cards(context):
    """The home page cards of a field worker: their people and the referrals waiting for their structure."""
    user = context["request"].user
    scope = user_scope(user)
    since = timezone.localdate() - dt.timedelta(days=45)
    people = (
        Person.objects.visible_to(user)
        .followed_by(scope.field_structures)
        .aggregate(
            followed=Count("pk"),
            as_referent=Count("pk", filter=Q(pk__in=Person.objects.with_referent(user).values("pk"))),
            without_contact=Count("pk", filter=Q(last_contact_at__isnull=True) | Q(last_contact_at__date__lt=since)),
        )
    )
    referrals = (
        Referral.objects.visible_to(user)
        .pending()
        .aggregate(
            received=Count("pk", filter=Q(to_structure_id__in=scope.field_structures)),
            sent=Count("pk", filter=Q(from_structure_id__in=scope.field_structures)),
        )
    )
    return people | referrals


@register.inclusion_tag("parcours/includes/referral_response_stats.html")
def referral_response_stats(structure):
    """The directory's "how fast it answers referrals" panel for a structure (aggregates, no person)."""
    return {"stats": response_stats(structure.pk)}


@register.filter
def disclose(value, limit):
    """`{{ count|disclose:limit }}`: « < limit » for a count below `limit` (parcours.disclosure); exact when
    `limit` is empty."""
    from ..disclosure import mask

    return mask(value, limit or None)
