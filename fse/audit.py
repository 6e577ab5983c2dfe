"""Audit of FSE reads (privacy.md §5) through the people app's audit trail: ids and short codes only."""

import audit
from audit.models import Action

VIEW, EXPORT, DOWNLOAD = Action.VIEW, Action.EXPORT, Action.DOWNLOAD


def record(request, action: str, *, obj=None, person_id: int | None = None, detail: str = "") -> None:
    audit.record(user=request.user, action=action, person=person_id, obj=obj, detail=detail, request=request)
