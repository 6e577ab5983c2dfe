from django import template
from django.db.models import Count

from fse.models import Operation, Report

register = template.Library()


@register.inclusion_tag("fse/includes/home_card.html", takes_context=True)
def fse_home_card(context, title: str, funder: bool = False):
    """The home-page card of FSE operations (coordinators) or reports (funders): a few rows, two queries."""
    user = context["request"].user
    operations = list(
        Operation.objects.visible_to(user)
        .annotate(report_count=Count("reports", distinct=True))
        .order_by("-start_on", "number")[:5]
    )
    latest = (
        list(Report.objects.visible_to(user).filter(status="DONE").select_related("operation")[:3]) if funder else []
    )
    return {"title": title, "operations": operations, "latest_reports": latest, "funder": funder}
