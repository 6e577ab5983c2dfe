"""The observatory's figures: each aggregate turned into a titled table (HTML, CSV/XLSX, frozen evidence) and
a chart, with the small-number rule applied for the viewer. One registry, FIGURES, used by every view."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.enums import AlertRule, DismissReason
from evaluations.enums import BarrierTheme
from parcours.enums import HousingGroup, RefusalReason
from partenaires.enums import StructureKind

from . import aggregates, charts, html
from .filters import Filters
from .smallnumbers import Masker


@dataclass
class Figure:
    key: str
    title: str
    headers: list
    rows: list
    chart: dict | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)

    def tbody(self):
        """The table's rows as HTML (rendered in Python: observatoire/html.py)."""
        return html.tbody_rows(self.rows)

    def as_table(self) -> dict:
        return {"headers": [str(h) for h in self.headers], "rows": [[_cell(c) for c in row] for row in self.rows]}


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, int | float | str):
        return value
    return str(value)


def _month(day) -> str:
    return date_format(day, "M Y")


def _label(choices, code) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code or "—"


BUCKET_LABELS = {
    "LT3": gettext_lazy("moins de 3 mois"),
    "3TO6": gettext_lazy("3 à 6 mois"),
    "6TO12": gettext_lazy("6 à 12 mois"),
    "GT12": gettext_lazy("plus de 12 mois"),
}


# --- dashboards -----------------------------------------------------------------------------------
def activity(filters: Filters, masker: Masker, **_kw) -> Figure:
    rows = aggregates.monthly_activity_summary(filters)
    refreshed_at = rows[0]["refreshed_at"] if rows else None
    table = [
        [
            _month(r["month"]),
            masker(r["caseload"]),
            masker(r["sent"]),
            masker(r["received"]),
            masker.derived(r["median_days"], r["received"]),
            masker(r["alerts_raised"]),
            masker(r["alerts_resolved_in_time"]),
            masker(r["evaluations_finalised"]),
        ]
        for r in rows
    ]
    months = [row[0] for row in table]
    chart = charts.column_chart(
        _("Orientations envoyées et reçues par mois"),
        months,
        [(_("Envoyées"), [row[2] for row in table]), (_("Reçues"), [row[3] for row in table])],
    )
    return Figure(
        "activity",
        _("Activité mois par mois"),
        [
            _("Mois"),
            _("File active (fin de mois)"),
            _("Orientations envoyées"),
            _("Orientations reçues"),
            _("Délai médian de réponse (jours)"),
            _("Alertes levées"),
            _("Alertes résolues avant l'échéance"),
            _("Évaluations finalisées"),
        ],
        table,
        chart,
        note=_("Chiffres de la synthèse mise à jour le %(date)s.")
        % {"date": date_format(timezone.localtime(refreshed_at), "DATETIME_FORMAT")}
        if refreshed_at
        else _("La synthèse mensuelle n'a pas encore été calculée : elle le sera dans l'heure."),
        extra={
            "caseload_chart": charts.column_chart(
                _("File active en fin de mois"), months, [(_("Personnes"), [row[1] for row in table])]
            )
        },
    )


def funder_activity(filters: Filters, masker: Masker, *, funder_structures=(), **_kw) -> Figure:
    rows = aggregates.funder_activity(filters, funder_structures)
    table = [[_month(r["month"]), masker(r["entered"]), masker(r["left"])] for r in rows]
    chart = charts.column_chart(
        _("Entrées et sorties de participants par mois"),
        [row[0] for row in table],
        [(_("Entrées"), [row[1] for row in table]), (_("Sorties"), [row[2] for row in table])],
    )
    return Figure(
        "funder_activity",
        _("Participants des opérations financées, mois par mois"),
        [_("Mois"), _("Entrées"), _("Sorties")],
        table,
        chart,
    )


# --- the partnership matrix -----------------------------------------------------------------------
def _matrix_rows(rows, masker):
    table = []
    for r in rows:
        trend = None
        if r["acceptance_rate"] is not None and r["previous_acceptance_rate"] is not None:
            trend = r["acceptance_rate"] - r["previous_acceptance_rate"]
        table.append(
            [
                r["from_name"],
                r["to_name"],
                masker(r["sent"]),
                masker(r["accepted"]),
                masker(r["refused"]),
                masker(r["expired"]),
                masker.derived(r["acceptance_rate"], r["decided"]),
                masker.derived(r["median_days_to_answer"], r["accepted"] + r["refused"]),
                masker(r["previous_sent"]),
                masker.derived(trend, r["decided"]),
                *[masker(r["refused_by_reason"][reason]) for reason in aggregates.REFUSAL_REASONS],
            ]
        )
    return table


def _matrix_headers(first, second):
    return [
        first,
        second,
        _("Envoyées"),
        _("Acceptées"),
        _("Refusées"),
        _("Expirées"),
        _("Taux d'acceptation (%)"),
        _("Délai médian de réponse (jours)"),
        _("Envoyées, période précédente"),
        _("Évolution du taux (points)"),
        *[_("Refus : %(reason)s") % {"reason": label} for label in RefusalReason.labels],
    ]


def matrix(filters: Filters, masker: Masker, **_kw) -> Figure:
    rows = aggregates.partnership_matrix(filters)
    figure = Figure(
        "matrix",
        _("Matrice des partenariats : paires de structures"),
        _matrix_headers(_("Structure qui oriente"), _("Structure destinataire")),
        _matrix_rows(rows, masker),
    )
    figure.extra["pairs"] = rows
    return figure


def matrix_sectors(filters: Filters, masker: Masker, **_kw) -> Figure:
    rows = aggregates.partnership_matrix(filters, by="sector")
    return Figure(
        "matrix_sectors",
        _("Matrice des partenariats : paires de secteurs"),
        _matrix_headers(_("Secteur qui oriente"), _("Secteur destinataire")),
        _matrix_rows(rows, masker),
    )


# --- unmet needs ----------------------------------------------------------------------------------
def no_capacity(filters: Filters, masker: Masker, **_kw) -> Figure:
    rows = aggregates.refusals_no_capacity(filters)
    totals: dict = {}
    for r in rows:
        totals[r["kind"]] = totals.get(r["kind"], 0) + r["count"]
    chart = charts.bar_chart(
        _("Refus faute de place par type d'offre"),
        [(_label(StructureKind, kind), masker(n)) for kind, n in sorted(totals.items())],
    )
    return Figure(
        "no_capacity",
        _("Refus faute de place, par type d'offre et territoire"),
        [_("Type d'offre"), _("Territoire"), _("Refus faute de place")],
        [[_label(StructureKind, r["kind"]), r["territory"] or "—", masker(r["count"])] for r in rows],
        chart,
    )


def barriers(filters: Filters, masker: Masker, **_kw) -> Figure:
    rows = aggregates.active_barriers_summary(filters)
    totals: dict = {}
    for r in rows:
        totals[r["theme"]] = totals.get(r["theme"], 0) + r["count"]
    chart = charts.bar_chart(
        _("Freins actifs par thème"), [(_label(BarrierTheme, t), masker(n)) for t, n in sorted(totals.items())]
    )
    return Figure(
        "barriers",
        _("Freins actifs des dernières évaluations, par territoire"),
        [_("Territoire"), _("Frein"), _("Freins actifs"), _("Dont avec un objectif ou une action")],
        [
            [r["territory"] or "—", _label(BarrierTheme, r["theme"]), masker(r["count"]), masker(r["addressed"])]
            for r in rows
        ],
        chart,
        note=_(
            "Un frein est couvert quand le plan d'accompagnement partagé de la personne a un objectif non abandonné "
            "sur ce frein (ou sur son thème), avec ses actions."
        ),
    )


def close_to_employment(filters: Filters, masker: Masker, **_kw) -> Figure:
    rows = aggregates.close_to_employment_summary(filters)
    table = [
        [
            _label(HousingGroup, r["group"]),
            str(BUCKET_LABELS.get(r["bucket"], r["bucket"])),
            masker(r["count"]),
            masker.derived(round(r["median_days"]) if r["median_days"] is not None else None, r["count"]),
        ]
        for r in rows
    ]
    chart = charts.bar_chart(
        _("Proches de l'emploi sans logement stable"), [(f"{row[0]} — {row[1]}", row[2]) for row in table]
    )
    return Figure(
        "close_to_employment",
        _("Personnes proches de l'emploi à la rue, en urgence ou à l'hôtel, ou hébergées par des tiers"),
        [_("Situation de logement"), _("Depuis"), _("Personnes"), _("Durée médiane (jours)")],
        table,
        chart,
    )


def alerts_dismissed(filters: Filters, masker: Masker, **_kw) -> Figure:
    rows = aggregates.alerts_closed_without_solution(filters)
    totals: dict = {}
    for r in rows:
        totals[r["rule"]] = totals.get(r["rule"], 0) + r["count"]
    chart = charts.bar_chart(
        _("Alertes closes sans solution par règle"),
        [(_label(AlertRule, rule), masker(n)) for rule, n in sorted(totals.items())],
    )
    return Figure(
        "alerts_dismissed",
        _("Alertes closes sans solution, par règle"),
        [_("Règle"), _("Motif"), _("Alertes")],
        [[_label(AlertRule, r["rule"]), _label(DismissReason, r["reason"]), masker(r["count"])] for r in rows],
        chart,
    )


FIGURE_LABELS = {
    "activity": gettext_lazy("Activité mois par mois"),
    "funder_activity": gettext_lazy("Participants des opérations financées, mois par mois"),
    "matrix": gettext_lazy("Matrice des partenariats : paires de structures"),
    "matrix_sectors": gettext_lazy("Matrice des partenariats : paires de secteurs"),
    "no_capacity": gettext_lazy("Refus faute de place, par type d'offre et territoire"),
    "barriers": gettext_lazy("Freins actifs des dernières évaluations, par territoire"),
    "close_to_employment": gettext_lazy("Personnes proches de l'emploi sans logement stable"),
    "alerts_dismissed": gettext_lazy("Alertes closes sans solution, par règle"),
}

# key -> (builder, roles that may read it: "coordinator", "manager", "funder")
FIGURES = {
    "activity": (activity, ("coordinator", "manager")),
    "funder_activity": (funder_activity, ("funder",)),
    "matrix": (matrix, ("coordinator", "manager")),
    "matrix_sectors": (matrix_sectors, ("coordinator", "manager")),
    "no_capacity": (no_capacity, ("coordinator", "manager")),
    "barriers": (barriers, ("coordinator", "manager")),
    "close_to_employment": (close_to_employment, ("coordinator", "manager")),
    "alerts_dismissed": (alerts_dismissed, ("coordinator", "manager")),
}
UNMET_NEEDS = ("no_capacity", "barriers", "close_to_employment", "alerts_dismissed")
