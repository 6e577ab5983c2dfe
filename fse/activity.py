"""Activity of the coordination action for the report (fse.md §10.6): counts read from the other apps.

Every figure is an aggregate over the whole territory (the coordination action is the network of partners, not
only the carrying structure) for the report period: one aggregate query per section, never a loop over rows, so
the report's memory and time stay flat whatever the volume. A section whose app is not installed says the figures
are not available, rather than printing zeros that would look like facts.
"""

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from alerts.enums import AlertStatus
from alerts.models import Alert
from evaluations.models import Evaluation
from parcours.enums import ReferralStatus
from parcours.models import Referral
from partenaires.models import PartnerAction

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


SECTIONS = [
    (_("Évaluations"), "evaluations", "Evaluation"),
    (_("Orientations"), "parcours", "Referral"),
    (_("Alertes de rupture"), "alerts", "Alert"),
    (_("Actions annoncées par les partenaires"), "partenaires", "PartnerAction"),
    (_("Commissions de concertation"), "concertation", "Session"),
]


def _evaluations(operation: Operation, start: date, end: date) -> list[tuple[str, int]]:
    """Versions finalised in the period: first evaluations and new versions of an earlier one."""
    counts = (
        Evaluation.objects.finalised()
        .filter(finalised_at__date__range=(start, end))
        .aggregate(
            finalised=Count("id"),
            first=Count("id", filter=Q(version_no=1)),
            new=Count("id", filter=Q(version_no__gt=1)),
        )
    )
    return [
        (str(_("Évaluations finalisées")), counts["finalised"]),
        (str(_("dont premières évaluations")), counts["first"]),
        (str(_("dont nouvelles versions")), counts["new"]),
    ]


def _referrals(operation: Operation, start: date, end: date) -> list[tuple[str, int]]:
    """Referrals sent between member structures in the period, by their current status."""
    counts = Referral.objects.filter(sent_at__date__range=(start, end)).aggregate(
        sent=Count("id"),
        **{status.value: Count("id", filter=Q(status=status)) for status in ReferralStatus},
    )
    return [(str(_("Orientations envoyées")), counts["sent"])] + [
        (str(status.label), counts[status.value]) for status in ReferralStatus
    ]


def _alerts(operation: Operation, start: date, end: date) -> list[tuple[str, int]]:
    """Alerts raised in the period; alerts resolved in the period (whenever raised), and among them those
    closed on a day strictly before their due date (the dashboard's "ruptures avoided" rule)."""
    resolved = Q(status=AlertStatus.RESOLVED, closed_at__date__range=(start, end))
    counts = (
        Alert.objects.filter(Q(created_at__date__range=(start, end)) | resolved)
        .annotate(closed_on=TruncDate("closed_at"))
        .aggregate(
            raised=Count("id", filter=Q(created_at__date__range=(start, end))),
            resolved=Count("id", filter=resolved),
            in_time=Count("id", filter=resolved & Q(due_on__isnull=False, closed_on__lt=F("due_on"))),
        )
    )
    return [
        (str(_("Alertes levées")), counts["raised"]),
        (str(_("Alertes résolues")), counts["resolved"]),
        (str(_("dont résolues avant l'échéance")), counts["in_time"]),
    ]


def _partner_actions(operation: Operation, start: date, end: date) -> list[tuple[str, int]]:
    """Actions and events the partners announced (published) in the period."""
    announced = PartnerAction.objects.filter(created_at__date__range=(start, end)).count()
    return [(str(_("Actions annoncées")), announced)]


def _conferences(operation: Operation, start: date, end: date) -> list[tuple[str, int]]:
    """Commissions of the territory (concertation figures, one SQL statement): sessions held in the period,
    cases examined, decisions and what became of them, median days from proposal to examination."""
    from concertation import figures

    total = figures.compute(start, end)[None]
    median = round(total.median_days) if total.median_days is not None else 0
    return [
        (str(_("Séances tenues")), total.sessions_held),
        (str(_("Situations examinées")), total.cases),
        (str(_("dont premier passage")), total.first_time),
        (str(_("dont suivi")), total.follow_up),
        (str(_("Décisions prises")), total.decisions),
        (str(_("dont réalisées dans les délais")), total.on_time),
        (str(_("dont en retard")), total.late),
        (str(_("dont pas possibles")), total.not_possible),
        (str(_("Délai médian de la proposition au passage (jours)")), median),
    ]


# (app_label, model) -> function(operation, start, end) -> lines; a section without a counter is "not available".
COUNTERS: dict = {
    ("evaluations", "Evaluation"): _evaluations,
    ("parcours", "Referral"): _referrals,
    ("alerts", "Alert"): _alerts,
    ("partenaires", "PartnerAction"): _partner_actions,
    ("concertation", "Session"): _conferences,
}


def summary(operation: Operation, start: date, end: date) -> list[Section]:
    sections = []
    for title, app_label, model_name in SECTIONS:
        counter = COUNTERS.get((app_label, model_name))
        if _model(app_label, model_name) is None or counter is None:
            sections.append(Section(str(title), False))
            continue
        sections.append(Section(str(title), True, counter(operation, start, end)))
    return sections
