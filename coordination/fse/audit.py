"""Audit of FSE reads (privacy.md §5): report downloads, exports, participant records. Ids only, never names."""

import logging

logger = logging.getLogger("coordination.fse.audit")


def record(request, action: str, *, obj=None, person_id: int | None = None) -> None:
    """Log one audited read through the audit API of the people app when present, else the application log."""
    try:
        from coordination.audit import api as audit_api  # provided by the people app (Milestone 1)
    except ImportError:
        audit_api = None
    if audit_api is not None and hasattr(audit_api, "record"):
        audit_api.record(request=request, action=action, obj=obj, person_id=person_id)
        return
    logger.info(
        "audit action=%s user=%s object=%s:%s person=%s",
        action,
        getattr(request.user, "pk", None),
        type(obj).__name__ if obj is not None else "",
        getattr(obj, "pk", ""),
        person_id or "",
    )
