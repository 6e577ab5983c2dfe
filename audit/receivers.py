"""Authentication events into the audit trail (privacy.md §5: logins, failed logins, lock-outs).

Connected in `AuditConfig.ready`. A failed login names the account only by its id, and only when the typed
identifier is an existing account; the identifier itself is never stored.
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import record_auth
from .models import Action


def _account(identifier):
    """The account named by a typed identifier (its e-mail), or None; a plain object with `pk` only."""
    if not identifier or not isinstance(identifier, str):
        return None
    model = get_user_model()
    pk = (
        model._default_manager.filter(**{f"{model.USERNAME_FIELD}__iexact": identifier})
        .values_list("pk", flat=True)
        .first()
    )
    return model(pk=pk) if pk is not None else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def on_login(sender, request, user, **kwargs):
    record_auth(action=Action.LOGIN, user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def on_logout(sender, request, user, **kwargs):
    record_auth(action=Action.LOGOUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    record_auth(action=Action.LOGIN_FAILED, user=_account(credentials.get("username")), request=request)


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    record_auth(action=Action.LOCKED_OUT, user=_account(username), request=request)
