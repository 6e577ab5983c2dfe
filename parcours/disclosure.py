"""Statistical disclosure control of the figures shown to people outside the teams (issue 11, item 7).

A small count over a period someone chose freely can single out a person ("the one woman over 55 who entered in
March"). So, where aggregates are shown to a funder (and later to the observatory's public), every count below
`settings.STATISTICAL_DISCLOSURE_THRESHOLD` (default 5) reads « < 5 » instead, zero included (a zero next to
masked cells would tell them apart). The exception — exact figures — is decided by the caller: for FSE, the
official report of one of the operation's reporting periods (`fse.indicators.is_reporting_period`).

Public API (no model, no query: any layer above `parcours` may use it):

- `threshold()`: the configured threshold;
- `limit_for(*, masked)`: the threshold when `masked`, else None (exact figures);
- `mask(value, limit)`: an int below `limit` becomes « < limit »; dicts and lists are masked recursively; other
  values (None, text) and every value when `limit` is None are returned unchanged.
- the template filter `{{ value|disclose:limit }}` (`{% load parcours_tags %}`) does the same in templates.

Known limit: no secondary suppression; a total shown next to masked cells may let a reader deduce one of them.
"""

from django.conf import settings


def threshold() -> int:
    return settings.STATISTICAL_DISCLOSURE_THRESHOLD


def limit_for(*, masked: bool) -> int | None:
    return threshold() if masked else None


def small_cell(limit: int) -> str:
    return f"< {limit}"


def mask(value, limit: int | None):
    if limit is None:
        return value
    if isinstance(value, dict):
        return {key: mask(item, limit) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask(item, limit) for item in value)
    if isinstance(value, int) and not isinstance(value, bool) and value < limit:
        return small_cell(limit)
    return value
