"""The rules of domain.md §5, one module each. A rule module has `CODE`, `sql()` returning a SELECT of
`common.COLUMNS` computed set-wise over the whole tables, and optionally `available()` (False when a model
it reads is not installed yet). Order matters: COMPLEX_CASE reads the alerts the others wrote.
"""

from . import (
    action_overdue,
    acute_event,
    complex_case,
    contract_end,
    employment_lever,
    evaluation_missing,
    institution_exit,
    no_contact,
    pass_iae_end,
    permit_renewal,
    referral_stalled,
    resource_end,
    stay_end,
)

RULES = [
    stay_end,
    institution_exit,
    contract_end,
    pass_iae_end,
    resource_end,
    permit_renewal,
    no_contact,
    referral_stalled,
    evaluation_missing,
    acute_event,
    employment_lever,
    action_overdue,
    complex_case,
]
RULES_BY_CODE = {rule.CODE: rule for rule in RULES}


def is_available(rule) -> bool:
    return getattr(rule, "available", lambda: True)()
