"""The dual timeline: housing and employment periods on one time axis, with the events (pure Python, no query).

Positions are percentages of the window, drawn as SVG attributes (the CSP forbids inline styles).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone

from .enums import EventStatus
from .templatetags.parcours_tags import choice_label

WINDOW_DAYS_BEFORE = 730
WINDOW_DAYS_AFTER = 120
MIN_DAYS_BEFORE = 180


@dataclass
class Bar:
    x: float
    width: float
    label: str
    css: str
    title: str


@dataclass
class Tick:
    x: float
    label: str
    css: str


_STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "/": "/", ".": ".", "-": "-", " ": " "}


def _date_label(day: dt.date | None, pattern: str | None = None) -> str:
    """The short date in the active language; plain strftime when the format allows (hundreds per page)."""
    if not day:
        return "…"
    if pattern:
        return day.strftime(pattern)
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def _strftime_pattern() -> str | None:
    django_format = formats.get_format("SHORT_DATE_FORMAT")
    if all(c in _STRFTIME for c in django_format):
        return "".join(_STRFTIME[c] for c in django_format)
    return None


def build(*, housing, employment, events, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    # The window starts with the first known fact (a month before), at most two years back and at least six
    # months back: a new person does not get an empty two-year chart.
    known = [p.started_on for p in [*housing, *employment]] + [timezone.localdate(e.at) for e in events]
    if not known:
        return {"empty": True, "housing": [], "employment": [], "events": [], "years": []}
    earliest = min(known) - dt.timedelta(days=30)
    start = max(earliest, today - dt.timedelta(days=WINDOW_DAYS_BEFORE))
    start = min(start, today - dt.timedelta(days=MIN_DAYS_BEFORE))
    end = today + dt.timedelta(days=WINDOW_DAYS_AFTER)
    span = (end - start).days
    pattern = _strftime_pattern()

    def pos(day: dt.date) -> float:
        return round(100 * min(max((day - start).days, 0), span) / span, 2)

    def bars(periods, css_prefix, label_field):
        result = []
        for period in periods:
            last = period.ended_on or period.planned_end_on or end
            if last < start:
                continue
            x1, x2 = pos(period.started_on), pos(last)
            css = css_prefix + (" timeline-open" if period.ended_on is None else "")
            planned = period.ended_on or period.planned_end_on
            name = choice_label(period, label_field)
            title = f"{name} : {_date_label(period.started_on)} → {_date_label(planned)}"
            result.append(Bar(x=x1, width=max(x2 - x1, 0.6), label=name, css=css, title=title))
        return result

    ticks = []
    for event in events:
        day = timezone.localdate(event.at)
        if day < start or day > end:
            continue
        css = "timeline-event"
        if event.status == EventStatus.MISSED:
            css += " timeline-missed"
        ticks.append(Tick(x=pos(day), label=f"{choice_label(event, 'kind')} {_date_label(day, pattern)}", css=css))
    years = []
    for year in range(start.year + 1, end.year + 1):
        years.append(Tick(x=pos(dt.date(year, 1, 1)), label=str(year), css="timeline-year"))
    return {
        "empty": False,
        "housing": bars(housing, "timeline-housing", "residential_status"),
        "employment": bars(employment, "timeline-employment", "situation"),
        "events": ticks,
        "years": years,
        "today": pos(today),
        "start": start,
        "end": end,
    }
