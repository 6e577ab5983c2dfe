"""The activity report of an operation for a period: aggregates only, rendered to PDF by WeasyPrint (fse.md §10).

Its size does not grow with the number of participants: every figure is an aggregation, no list of
participants is ever put in the PDF.
"""

import base64
from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from parcours import disclosure

from . import activity, indicators
from .models import Operation

EMBLEM = Path(settings.BASE_DIR) / "static" / "fse" / "eu-emblem.svg"
BAR_COLOURS = ("#1d4e89", "#6f42c1", "#198754", "#495057")


def bar_chart(title: str, items: list[tuple[str, int]], width: int = 480, limit: int | None = None) -> dict:
    """A horizontal bar chart as SVG geometry (rendered by the template, no JavaScript, no image file).

    With `limit`, a count below it is drawn without a bar and reads « < limit » (parcours.disclosure)."""
    label_width, row_height, value_width = 190, 22, 50
    highest = max((value for _label, value in items), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(items):
        shown = disclosure.mask(value, limit)
        bar = round((width - label_width - value_width) * value / highest) if shown == value else 0
        bars.append(
            {
                "label": str(label),
                "value": shown,
                "y": index * row_height,
                "text_y": index * row_height + 15,
                "width": bar,
                "value_x": label_width + bar + 6,
                "colour": BAR_COLOURS[index % len(BAR_COLOURS)],
            }
        )
    return {
        "title": title,
        "bars": bars,
        "width": width,
        "height": len(items) * row_height + 4,
        "label_width": label_width,
        "label_x": label_width - 6,
    }


def context(operation: Operation, start: date, end: date, progress: Callable[[int], None] = lambda p: None) -> dict:
    figures = indicators.compute(operation, start, end)
    progress(30)
    quality = indicators.quality(operation)
    checks = indicators.aggregate_checks(figures)
    breakdowns = indicators.breakdowns(operation, start, end)
    progress(50)
    main_set = indicators.indicator_set(operation)
    # Reports are shared with funders: exact figures only for the operation's reporting periods (issue 11).
    limit = disclosure.limit_for(masked=not indicators.is_reporting_period(operation, start, end))
    entrants_rows = indicators.masked_rows(figures.table(main_set, indicators.ENTRANTS), limit)
    leavers_rows = indicators.masked_rows(
        [row for row in figures.table(main_set, indicators.LEAVERS) if row.collected], limit
    )
    in_progress_at_start = (
        indicators.counted_participants(operation).filter(entry_on__lt=start).exclude(exit_on__lt=start).count()
    )
    in_progress_at_end = (
        indicators.counted_participants(operation).filter(entry_on__lte=end).exclude(exit_on__lte=end).count()
    )
    gender_items = [
        (_("Femmes"), figures.value(main_set[0].code, indicators.PERIOD, "women")),
        (_("Hommes"), figures.value(main_set[0].code, indicators.PERIOD, "men")),
        (_("Non binaires"), figures.value(main_set[0].code, indicators.PERIOD, "non_binary")),
    ]
    return {
        "operation": operation,
        "carrier": operation.carrier,
        "funders": list(operation.funders.all()),
        "start": start,
        "end": end,
        "generated_at": timezone.localtime(),
        "emblem": "data:image/svg+xml;base64," + base64.b64encode(EMBLEM.read_bytes()).decode(),
        "entrants_rows": entrants_rows,
        "leavers_rows": leavers_rows,
        "leavers": indicators.masked_rows([figures.rows[indicators.LEAVERS_ALL]], limit)[0],
        "entrants_total": disclosure.mask(figures.value(main_set[0].code), limit),
        "leavers_total": disclosure.mask(figures.value(indicators.LEAVERS_ALL), limit),
        "in_progress_at_start": disclosure.mask(in_progress_at_start, limit),
        "in_progress_at_end": disclosure.mask(in_progress_at_end, limit),
        "small_cells": limit,
        "checks": checks,
        "quality": quality,
        "rules": rule_settings(operation),
        "charts": [
            bar_chart(_("Entrées de la période par sexe"), gender_items, limit=limit),
            bar_chart(_("Entrées par mois"), breakdowns["months"], limit=limit),
            bar_chart(_("Âge à l'entrée"), breakdowns["ages"], limit=limit),
            bar_chart(_("Situation sur le marché du travail à l'entrée"), breakdowns["statuses"], limit=limit),
            bar_chart(_("Situation de logement à l'entrée"), breakdowns["housing"], limit=limit),
            bar_chart(_("Situation à la sortie"), breakdowns["exit_status"], limit=limit),
            bar_chart(_("Motifs de sortie"), breakdowns["exit_reasons"], limit=limit),
        ],
        "activity": activity.summary(operation, start, end),
    }


def rule_settings(operation: Operation) -> list[tuple[str, str]]:
    """The operation's active rule settings, stated next to the tables (fse.md §10.3)."""
    yes, no = _("oui"), _("non")
    return [
        (_("Durée minimale d'accompagnement"), _("%(days)s jours") % {"days": operation.min_support_days}),
        (
            _("Âges"),
            _("moins de %(child)s ans ; %(child)s à %(young)s ans ; %(senior)s ans et plus, à la date d'entrée")
            % {
                "child": operation.child_under_age,
                "young": operation.young_max_age,
                "senior": operation.senior_min_age,
            },
        ),
        (
            _("Chômage de longue durée"),
            _("plus de %(months)s mois (%(young_months)s mois avant %(age)s ans)%(inclusive)s")
            % {
                "months": operation.ltu_months,
                "young_months": operation.ltu_months_young,
                "age": operation.ltu_young_under_age,
                "inclusive": _(", durée exacte incluse") if operation.ltu_inclusive else "",
            },
        ),
        (_("Délai d'observation de la sortie"), _("%(days)s jours") % {"days": operation.result_window_days}),
        (_("EECR01 : inactifs à l'entrée seulement"), yes if operation.eecr01_inactive_at_entry_only else no),
        (_("EECR04 : sans emploi à l'entrée seulement"), yes if operation.eecr04_not_employed_at_entry_only else no),
        (_("Périmètre de l'EECO16"), operation.get_eeco16_scope_display()),
        (_("Origine étrangère"), operation.get_foreign_background_rule_display()),
        (_("Minorités collectées"), yes if operation.collect_minority else no),
        (_("Situation à six mois collectée"), yes if operation.collects_six_month else no),
    ]


def render_html(ctx: dict) -> str:
    return render_to_string("fse/pdf/report.html", ctx)


def render_pdf(
    operation: Operation, start: date, end: date, progress: Callable[[int], None] = lambda p: None
) -> bytes:
    from weasyprint import HTML  # heavy (Pango, fonts): loaded by the worker that renders a report only

    html = render_html(context(operation, start, end, progress))
    progress(70)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
