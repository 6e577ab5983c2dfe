"""Signals of lower apps the DPO app turns into audit entries and notices (accounts and audit are siblings and
may not import each other: the wiring is here)."""

import audit
from accounts.signals import membership_saved, mfa_failed
from audit.models import Action
from parcours.rights import record_self_membership


def record_mfa_failure(sender, user, reason, request=None, **kwargs):
    """A refused second-factor code goes to the audit trail (privacy.md §5): a code, never the typed value."""
    audit.record(user=user, action=Action.MFA_FAILURE, detail=f"mfa:{reason}", request=request)


def on_membership_saved(sender, by, membership, request=None, **kwargs):
    record_self_membership(by=by, membership=membership, request=request)


def connect() -> None:
    mfa_failed.connect(record_mfa_failure, dispatch_uid="dpo.receivers.mfa_failed")
    membership_saved.connect(on_membership_saved, dispatch_uid="dpo.receivers.membership_saved")
