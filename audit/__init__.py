"""The audit trail (privacy.md §5): `audit.record(user=, action=, person=None, obj=None, detail="")`, and
`audit.record_many(user=, action=, person_ids=, obj=None, detail="")` for set-wise writes (one row per person).

Import as `import audit` and call `audit.record(...)`. Rows hold ids, never names.
Change history (before/after values) is kept separately by django-pghistory triggers on the tracked models.
"""


def record(*, user, action, person=None, obj=None, detail="", request=None):
    from .services import record as _record  # the package is imported before the app registry is ready

    return _record(user=user, action=action, person=person, obj=obj, detail=detail, request=request)


def record_many(*, user, action, person_ids, obj=None, detail=""):
    from .services import record_many as _record_many  # idem

    return _record_many(user=user, action=action, person_ids=person_ids, obj=obj, detail=detail)
