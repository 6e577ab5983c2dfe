from datetime import timedelta

from django.utils import timezone

from .models import Action, AuditEntry

# One VIEW row per user, person and window (privacy.md §5).
VIEW_WINDOW = timedelta(minutes=15)


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def record(*, user, action: str, person=None, obj=None, detail: str = "", request=None) -> AuditEntry | None:
    """Record one entry of the trail. `person` and `obj` may be instances or ids; `detail` is a short code.

    Views are folded: a second VIEW of the same person by the same user within 15 minutes adds no row.
    """
    person_id = getattr(person, "pk", person)
    user_id = getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None
    object_type = obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else ""
    object_id = str(obj.pk) if obj is not None and hasattr(obj, "pk") and obj.pk is not None else ""
    if action == Action.VIEW and person_id is not None:
        recent = AuditEntry.objects.filter(
            user_id=user_id, person_id=person_id, action=Action.VIEW, at__gte=timezone.now() - VIEW_WINDOW
        )
        if recent.exists():
            return None
    return AuditEntry.objects.create(
        user_id=user_id,
        action=action,
        person_id=person_id,
        object_type=object_type,
        object_id=object_id,
        detail=detail[:200],
        ip=_client_ip(request),
    )


def record_many(*, user, action: str, person_ids, obj=None, detail: str = "") -> int:
    """Record the same entry for each of `person_ids` in one INSERT (set-wise writes, e.g. an import)."""
    user_id = getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None
    object_type = obj._meta.label_lower if obj is not None and hasattr(obj, "_meta") else ""
    object_id = str(obj.pk) if obj is not None and getattr(obj, "pk", None) is not None else ""
    entries = [
        AuditEntry(
            user_id=user_id,
            action=action,
            person_id=person_id,
            object_type=object_type,
            object_id=object_id,
            detail=detail[:200],
        )
        for person_id in person_ids
    ]
    return len(AuditEntry.objects.bulk_create(entries, batch_size=1000))
