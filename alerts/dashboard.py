"""Coordinator dashboard figures: aggregates only (no person), and the 12-month trend as server-side SVG."""

import datetime as dt

from django.db import connection

from .enums import AlertRule, Severity
from .models import CaseConferenceProposal

CHART_WIDTH, CHART_HEIGHT, MARGIN = 640, 220, 32


def _month_starts(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for back in range(11, -1, -1):
        year, month = first.year, first.month - back
        while month <= 0:
            month += 12
            year -= 1
        months.append(dt.date(year, month, 1))
    return months


def figures(today: dt.date) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rule, severity, COUNT(*) FROM parcours_alert WHERE status IN ('OPEN', 'ACKNOWLEDGED') "
            "GROUP BY rule, severity"
        )
        open_counts = {(rule, sev): n for rule, sev, n in cursor.fetchall()}
        cursor.execute(
            """
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM acknowledged_at - created_at))
                     FILTER (WHERE acknowledged_at IS NOT NULL),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM closed_at - created_at))
                     FILTER (WHERE status = 'RESOLVED'),
                   COUNT(*) FILTER (WHERE status = 'RESOLVED' AND due_on IS NOT NULL
                                    AND (closed_at AT TIME ZONE %s)::date < due_on),
                   COUNT(*) FILTER (WHERE status = 'RESOLVED')
            FROM parcours_alert WHERE created_at >= %s
            """,
            ["Europe/Paris", _month_starts(today)[0]],
        )
        ack_seconds, resolve_seconds, avoided, resolved = cursor.fetchone()
        months = _month_starts(today)
        cursor.execute(
            """
            SELECT m.month,
                   (SELECT COUNT(*) FROM parcours_alert a WHERE a.created_at >= m.month
                      AND a.created_at < m.month + interval '1 month'),
                   (SELECT COUNT(*) FROM parcours_alert a WHERE a.closed_at >= m.month
                      AND a.closed_at < m.month + interval '1 month' AND a.status = 'RESOLVED')
            FROM unnest(%s::timestamptz[]) AS m(month) ORDER BY m.month
            """,
            [[dt.datetime.combine(d, dt.time.min, tzinfo=dt.UTC) for d in months]],
        )
        trend = [(months[i], created, closed) for i, (_m, created, closed) in enumerate(cursor.fetchall())]
    table = [
        {
            "rule": label,
            "counts": [open_counts.get((code, sev), 0) for sev in Severity.values],
            "total": sum(open_counts.get((code, sev), 0) for sev in Severity.values),
        }
        for code, label in AlertRule.choices
    ]
    return {
        "severities": Severity.labels,
        "table": table,
        "open_total": sum(open_counts.values()),
        "median_ack_days": _days(ack_seconds),
        "median_resolve_days": _days(resolve_seconds),
        "avoided": avoided,
        "resolved": resolved,
        "chart": chart(trend),
        "trend": trend,
    }


def _days(seconds) -> str | None:
    return None if seconds is None else f"{seconds / 86400:.1f}".replace(".", ",")


def chart(trend: list[tuple]) -> dict:
    """Coordinates for an SVG line chart (two series), computed here so the template only draws."""
    peak = max([1] + [max(c, r) for _m, c, r in trend])
    inner_w, inner_h = CHART_WIDTH - 2 * MARGIN, CHART_HEIGHT - 2 * MARGIN
    step = inner_w / max(1, len(trend) - 1)

    def point(i, value):
        return round(MARGIN + i * step, 1), round(CHART_HEIGHT - MARGIN - value / peak * inner_h, 1)

    created = [point(i, c) for i, (_m, c, _r) in enumerate(trend)]
    resolved = [point(i, r) for i, (_m, _c, r) in enumerate(trend)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "peak": peak,
        "baseline": CHART_HEIGHT - MARGIN,
        "left": MARGIN,
        "right": CHART_WIDTH - MARGIN,
        "top": MARGIN,
        "created": " ".join(f"{x},{y}" for x, y in created),
        "resolved": " ".join(f"{x},{y}" for x, y in resolved),
        "labels": [{"x": point(i, 0)[0], "text": month.strftime("%m/%y")} for i, (month, _c, _r) in enumerate(trend)],
    }


def open_proposals():
    return list(
        CaseConferenceProposal.objects.filter(handled_at__isnull=True)
        .select_related("alert")
        .order_by("proposed_at")[:50]
    )
