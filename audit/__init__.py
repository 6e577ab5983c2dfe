"""The audit trail (privacy.md §5): `audit.record(user=, action=, person=None, obj=None, detail="")`, and
`audit.record_many(user=, action=, person_ids=, obj=None, detail="")` for set-wise writes (one row per person).

Import as `import audit` and call `audit.record(...)`. Rows hold ids, never names.
Authentication events: `audit.record_auth(action=, user=None, request=None, detail="")` (login, failure,
lock-out, logout, password change or reset; `audit.receivers` connects it to Django's and django-axes' signals;
MFA events use it too, with their own `Action` values).
Change history (before/after values) is kept separately by django-pghistory triggers on the tracked models.
"""


def record(*, user, action, person=None, obj=None, detail="", request=None):
    from .services import record as _record  # the package is imported before the app registry is ready

    return _record(user=user, action=action, person=person, obj=obj, detail=detail, request=request)


def record_many(*, user, action, person_ids, obj=None, detail=""):
    from .services import record_many as _record_many  # idem

    return _record_many(user=user, action=action, person_ids=person_ids, obj=obj, detail=detail)


def record_auth(*, action, user=None, request=None, detail=""):
    """One authentication event: the account's id (or none when unknown), the IP, a short code. Never a name,
    never the e-mail typed in a failed login."""
    from .services import record as _record

    return _record(user=user, action=action, detail=detail, request=request)
