"""The rules of domain.md §5, one module each. A rule module has `CODE`, `sql()` returning a SELECT of
`common.COLUMNS` computed set-wise over the whole tables, and optionally `available()` (False when a model
it reads is not installed yet). Order matters: COMPLEX_CASE reads the alerts the others wrote.
Higher apps add their rules with `register(rule)` (e.g. concertation's DECISION_OVERDUE).
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


def register(rule) -> None:
    """Add a rule of a higher app (called from its `AppConfig.ready`; alerts never imports it).

    `rule` has the shape of a rule module (`CODE`, `sql()`, optional `available()`). It runs before
    COMPLEX_CASE, which reads the alerts the others wrote. Registering the same code twice is a no-op.
    """
    if rule.CODE in RULES_BY_CODE:
        return
    RULES.insert(RULES.index(complex_case), rule)
    RULES_BY_CODE[rule.CODE] = rule


def is_available(rule) -> bool:
    return getattr(rule, "available", lambda: True)()
