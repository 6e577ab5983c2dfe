"""`{{ obj|label:"field" }}`: the French label of a choice field, like `get_FOO_display()` but without
Django's per-call hashing of every translated choice (which translates the whole list on each call)."""

from django import template
from django.utils.translation import get_language

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
    import datetime as dt

    from django.db.models import Count, Exists, OuterRef, Q
    from django.utils import timezone

    from accounts.scope import user_scope

    from ..models import FollowUp, Person, Referral

    user = context["request"].user
    scope = user_scope(user)
    since = timezone.localdate() - dt.timedelta(days=45)
    as_referent = FollowUp.objects.open().filter(person_id=OuterRef("pk"), referent=user)
    people = (
        Person.objects.visible_to(user)
        .followed_by(scope.field_structures)
        .aggregate(
            followed=Count("pk"),
            as_referent=Count("pk", filter=Q(Exists(as_referent))),
            without_contact=Count("pk", filter=Q(last_contact_at__isnull=True) | Q(last_contact_at__date__lt=since)),
        )
    )
    referrals = Referral.objects.pending().aggregate(
        received=Count("pk", filter=Q(to_structure_id__in=scope.field_structures)),
        sent=Count("pk", filter=Q(from_structure_id__in=scope.field_structures)),
    )
    return people | referrals


@register.inclusion_tag("parcours/includes/referral_response_stats.html")
def referral_response_stats(structure):
    """The directory's "how fast it answers referrals" panel for a structure (aggregates, no person)."""
    from parcours.referral_stats import referral_response_stats as stats

    return {"stats": stats(structure.pk)}


@register.filter
def disclose(value, limit):
    """`{{ count|disclose:limit }}`: « < limit » for a count below `limit` (parcours.disclosure); exact when
    `limit` is empty."""
    from ..disclosure import mask

    return mask(value, limit or None)
