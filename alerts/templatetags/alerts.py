"""`{% load alerts %}{% person_alerts person %}`: the alerts section of a person file (one line to include).

`person` must come from the access policy (`get_visible_person_or_404`); two queries whatever the data.
"""

from django import template

from alerts.models import Alert
from alerts.presenters import present

register = template.Library()


@register.inclusion_tag("alerts/includes/person_alerts.html", takes_context=True)
def person_alerts(context, person):
    user = context["request"].user
    alerts = list(Alert.objects.open().filter(person_id=person.pk).by_urgency())
    return {"rows": present(user, alerts)}


@register.inclusion_tag("alerts/includes/person_alert_badge.html")
def person_alert_badge(person):
    """The header badge of a person file: open alerts, and how many are urgent (one query)."""
    severities = list(Alert.objects.open().filter(person_id=person.pk).values_list("severity", flat=True))
    return {"count": len(severities), "urgent": severities.count("URGENT")}
