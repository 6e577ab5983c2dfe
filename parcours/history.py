"""The change history of a person's file, read from pghistory's snapshots: who, when, field, before, after."""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .enums import HEALTH_RESOURCE_KINDS

# (history model, how it points to the person)
SOURCES = [
    ("PersonHistory", "pgh_obj_id"),
    ("FollowUpHistory", "person_id"),
    ("HousingSituationHistory", "person_id"),
    ("EmploymentSituationHistory", "person_id"),
    ("ResourceHistory", "person_id"),
    ("ConsentHistory", "person_id"),
    ("ReferralHistory", "person_id"),
]
SKIPPED = {
    "id",
    "created_at",
    "search_name",
    "search_name_reversed",
    "is_current",
    "person",
    "created_by",
    "last_contact_at",
}
# Who made a change when the request left no user in the history context (imports, tasks, the demo seeding).
AUTHOR_FIELDS = ("created_by_id", "sent_by_id", "collected_by_id")
ROW_LIMIT = 300


@dataclass
class Change:
    at: object
    user: str
    what: str
    label: str
    field: str
    before: str
    after: str


def _display(model, field, value, names: dict) -> str:
    """A stored value as a reader sees it: choice labels, names of related rows, localised dates."""
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return names.get((field.related_model, value), _("n° %(id)s") % {"id": value})
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


def _related_names(rows) -> dict:
    """{(model, pk): name} of every structure and user the rows point to: one query per related model."""
    wanted: dict = {}
    for history, items in rows:
        for field in history.pgh_tracked_model._meta.concrete_fields:
            if not field.is_relation or field.name in SKIPPED:
                continue
            ids = {getattr(row, field.attname) for row in items} - {None}
            if ids:
                wanted.setdefault(field.related_model, set()).update(ids)
    names = {}
    for model, ids in wanted.items():
        if model.__name__ not in ("Structure", "User", "Service", "Household"):
            continue
        for obj in model.objects.filter(pk__in=sorted(ids)).order_by("pk"):
            names[(model, obj.pk)] = getattr(obj, "name", None) or str(obj)
    return names


def person_history(person) -> list[Change]:
    """Field-level changes, newest first. ◆ resources are left out for viewers without health access."""
    access = person.access
    rows = []
    for name, link in SOURCES:
        history = apps.get_model("parcours", name)
        qs = history.objects.filter(**{link: person.pk}).select_related("pgh_context").order_by("pgh_obj_id", "pgh_id")
        rows.append((history, list(qs[:ROW_LIMIT])))
    user_ids = {
        (row.pgh_context.metadata or {}).get("user")
        for _h, items in rows
        for row in items
        if row.pgh_context_id and row.pgh_context
    }
    user_ids |= {getattr(row, name, None) for _h, items in rows for row in items for name in AUTHOR_FIELDS}
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[i for i in user_ids if i]).order_by("pk")}
    related = _related_names(rows)
    changes = []
    for history, items in rows:
        tracked = history.pgh_tracked_model
        fields = [f for f in tracked._meta.concrete_fields if f.name not in SKIPPED]
        previous = {}
        for row in items:
            if (
                tracked.__name__ == "Resource"
                and row.kind in HEALTH_RESOURCE_KINDS
                and not access.shows_resource_kind(row.kind)
            ):
                continue
            before = previous.get(row.pgh_obj_id)
            context = (row.pgh_context.metadata or {}) if row.pgh_context_id and row.pgh_context else {}
            author = context.get("user") or next(
                (getattr(row, name) for name in AUTHOR_FIELDS if getattr(row, name, None)), None
            )
            who = names.get(author) or _("système (import ou tâche)")
            what = str(tracked._meta.verbose_name).capitalize()
            for field in fields:
                new = getattr(row, field.attname)
                old = getattr(before, field.attname) if before is not None else None
                if row.pgh_label == "insert" and new in (None, "", False):
                    continue
                if before is not None and old == new and row.pgh_label != "delete":
                    continue
                if row.pgh_label == "delete":
                    new = None
                    old = getattr(row, field.attname)
                    if old in (None, ""):
                        continue
                changes.append(
                    Change(
                        at=row.pgh_created_at,
                        user=who,
                        what=what,
                        label=row.pgh_label,
                        field=str(field.verbose_name).capitalize(),
                        before=_display(tracked, field, old, related)
                        if before is not None or row.pgh_label == "delete"
                        else "—",
                        after=_display(tracked, field, new, related),
                    )
                )
            previous[row.pgh_obj_id] = row
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:ROW_LIMIT]
