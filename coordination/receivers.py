"""Project wiring between sibling apps that may not import each other (accounts | audit)."""

import audit
from accounts.signals import mfa_failed
from audit.models import Action


def record_mfa_failure(sender, user, reason, request=None, **kwargs):
    """A refused second-factor code goes to the audit trail (privacy.md §5): a code, never the typed value."""
    audit.record(user=user, action=Action.MFA_FAILURE, detail=f"mfa:{reason}", request=request)


def connect() -> None:
    mfa_failed.connect(record_mfa_failure, dispatch_uid="coordination.receivers.mfa_failed")
