"""Activity of the coordination action for the report (fse.md §10.6): counts read from the other apps.

Each section is computed only when its app provides the model; otherwise the report says the figures are not
available yet, rather than printing zeros that would look like facts.
"""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from .models import Operation


@dataclass
class Section:
    title: str
    available: bool
    lines: list[tuple[str, int]] = field(default_factory=list)


def _model(app_label: str, name: str):
    try:
        return apps.get_model(app_label, name)
    except LookupError:
        return None


def _structures(operation: Operation) -> list[int]:
    return [operation.carrier_id] if operation.carrier_id else []


SECTIONS = [
    (_("Évaluations"), "evaluations", "Evaluation"),
    (_("Orientations"), "parcours", "Referral"),
    (_("Alertes de rupture"), "parcours", "Alert"),
    (_("Actions annoncées par les partenaires"), "partenaires", "PartnerAction"),
    (_("Commissions de concertation"), "conferences", "Conference"),
]


def _referrals(operation: Operation, start: date, end: date) -> list[tuple[str, int]]:
    """Referrals sent between member structures in the period (the whole territory: the coordination action)."""
    from django.db.models import Count, Q

    from parcours.enums import ReferralStatus
    from parcours.models import Referral

    counts = Referral.objects.filter(sent_at__date__range=(start, end)).aggregate(
        sent=Count("id"),
        **{status.value: Count("id", filter=Q(status=status)) for status in ReferralStatus},
    )
    return [(str(_("Orientations envoyées")), counts["sent"])] + [
        (str(status.label), counts[status.value]) for status in ReferralStatus
    ]


# (app_label, model) -> function(operation, start, end) -> lines; other apps' sections join as they ship.
COUNTERS: dict = {("parcours", "Referral"): _referrals}


def summary(operation: Operation, start: date, end: date) -> list[Section]:
    sections = []
    for title, app_label, model_name in SECTIONS:
        counter = COUNTERS.get((app_label, model_name))
        if _model(app_label, model_name) is None or counter is None:
            sections.append(Section(str(title), False))
            continue
        sections.append(Section(str(title), True, counter(operation, start, end)))
    return sections
