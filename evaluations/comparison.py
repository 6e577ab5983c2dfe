"""Comparison of two evaluation versions, section by section (domain.md §3 "Versioning").

A pure function over two plain documents (`Evaluation.as_data()`):

    {"fields": {name: value, ...},
     "barriers": {theme: {"status": code, "situations": [code, ...]}, ...},
     "distance": {"computed": level or None, "retained": level or None}}

so that it is tested without a database and works the same on a snapshot.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .enums import BarrierSituation, BarrierStatus, BarrierTheme, DistanceLevel, Section
from .sections import BY_NAME, FIELDS

EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class BarrierChange:
    theme: str
    old_status: str
    new_status: str
    old_situations: str
    new_situations: str


@dataclass
class SectionChanges:
    code: str
    title: str
    fields: list[FieldChange] = field(default_factory=list)
    barriers_added: list[BarrierChange] = field(default_factory=list)
    barriers_closed: list[BarrierChange] = field(default_factory=list)
    barriers_changed: list[BarrierChange] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.fields or self.barriers_added or self.barriers_closed or self.barriers_changed)


@dataclass
class Comparison:
    sections: list[SectionChanges]
    distance_before: str
    distance_after: str

    @property
    def changed_sections(self) -> list[SectionChanges]:
        return [section for section in self.sections if section.has_changes]

    @property
    def distance_changed(self) -> bool:
        return self.distance_before != self.distance_after


def display(name: str, value) -> str:
    """A stored value as a French reader sees it."""
    spec = BY_NAME.get(name)
    if value in (None, "", [], ()):
        return EMPTY
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value)
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if spec is not None and spec.choices is not None:
        labels = dict(spec.choices.choices)
        if isinstance(value, list | tuple):
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(labels.get(value, value))
    if name == "target_jobs" and isinstance(value, list):
        return "; ".join(" ".join(filter(None, [job.get("rome_code"), job.get("label")])) for job in value)
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def _unordered(items: list) -> list[str]:
    """A list compared without its order; items may be dicts (target jobs), which do not sort."""
    return sorted(json.dumps(item, sort_keys=True, default=str) for item in items)


def _situations(codes) -> str:
    labels = dict(BarrierSituation.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or []) or EMPTY


def _status_label(code: str | None) -> str:
    return str(dict(BarrierStatus.choices).get(code, EMPTY)) if code else EMPTY


def _distance_label(level: str | None) -> str:
    return str(DistanceLevel(level).label) if level else _("Non calculée")


def compare(old: dict, new: dict, *, show_health: bool, show_rqth: bool | None = None) -> Comparison:
    """What changed from `old` to `new`, per section. ◆ items are left out unless `show_health`; RQTH
    fields follow `show_rqth` (a HEALTH_TO_EMPLOYMENT consent), which defaults to `show_health`."""
    show_rqth = show_health if show_rqth is None else show_rqth
    sections = {code: SectionChanges(code=code, title=str(label)) for code, label in Section.choices}
    old_fields, new_fields = old.get("fields", {}), new.get("fields", {})
    for spec in FIELDS:
        if spec.health and not show_rqth:
            continue
        before, after = old_fields.get(spec.name), new_fields.get(spec.name)
        if isinstance(before, list) and isinstance(after, list) and _unordered(before) == _unordered(after):
            continue
        if (before in (None, "", [])) and (after in (None, "", [])):
            continue
        if before != after:
            sections[spec.section].fields.append(
                FieldChange(str(spec.label), display(spec.name, before), display(spec.name, after))
            )
    barriers = sections[Section.K]
    old_barriers, new_barriers = old.get("barriers", {}), new.get("barriers", {})
    for theme, theme_label in BarrierTheme.choices:
        if theme == BarrierTheme.HEALTH and not show_health:
            continue
        before = old_barriers.get(theme) or {}
        after = new_barriers.get(theme) or {}
        old_status, new_status = before.get("status"), after.get("status")
        old_sit, new_sit = sorted(before.get("situations") or []), sorted(after.get("situations") or [])
        if old_status == new_status and old_sit == new_sit:
            continue
        change = BarrierChange(
            theme=str(theme_label),
            old_status=_status_label(old_status),
            new_status=_status_label(new_status),
            old_situations=_situations(old_sit),
            new_situations=_situations(new_sit),
        )
        if new_status == BarrierStatus.ACTIVE and old_status != BarrierStatus.ACTIVE:
            barriers.barriers_added.append(change)
        elif old_status == BarrierStatus.ACTIVE and new_status in (BarrierStatus.RESOLVED, BarrierStatus.NONE):
            barriers.barriers_closed.append(change)
        else:
            barriers.barriers_changed.append(change)
    before_distance = (old.get("distance") or {}).get("retained")
    after_distance = (new.get("distance") or {}).get("retained")
    return Comparison(
        sections=list(sections.values()),
        distance_before=_distance_label(before_distance),
        distance_after=_distance_label(after_distance),
    )
