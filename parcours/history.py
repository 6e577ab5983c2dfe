"""The change history of a person's file, read from pghistory's snapshots: who, when, field, before, after."""

from dataclasses import dataclass

from django.apps import apps

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
SKIPPED = {"id", "created_at", "search_name", "is_current", "person", "created_by", "last_contact_at"}
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


def _display(model, field, value) -> str:
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        return f"n° {value}"
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


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
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[i for i in user_ids if i]).order_by("pk")}
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
            who = names.get(context.get("user"), "—")
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
                        field=str(field.verbose_name),
                        before=_display(tracked, field, old)
                        if before is not None or row.pgh_label == "delete"
                        else "—",
                        after=_display(tracked, field, new),
                    )
                )
            previous[row.pgh_obj_id] = row
    changes.sort(key=lambda c: c.at, reverse=True)
    return changes[:ROW_LIMIT]
