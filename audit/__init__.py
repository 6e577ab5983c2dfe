"""The audit trail (privacy.md §5): `audit.record(user=, action=, person=None, obj=None, detail="")`.

Import as `import audit` and call `audit.record(...)`. Rows hold ids, never names.
Change history (before/after values) is kept separately by django-pghistory triggers on the tracked models.
"""


def record(*, user, action, person=None, obj=None, detail="", request=None):
    from .services import record as _record

    return _record(user=user, action=action, person=person, obj=obj, detail=detail, request=request)
