"""Signals the accounts app sends, so that the audit trail records them without accounts importing audit.

`mfa_failed(sender, user, reason, request)`: a second-factor code was refused (`reason`: "invalid",
"replayed" or "throttled"). The project wiring (`coordination.receivers`) writes it to the audit trail.
"""

from django.dispatch import Signal

mfa_failed = Signal()

# `membership_saved(sender, by, membership, request)`: the admin site saved a membership (added or changed).
# The DPO app audits and notifies it when `by` gave it to themselves (privacy.md R10).
membership_saved = Signal()
