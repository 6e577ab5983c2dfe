"""Reuse the privacy cast of the people app around `person`."""

from tests.parcours.conftest import (  # noqa: F401
    admin_user,
    coordination_consent,
    employment_structure,
    employment_worker,
    partners_consent,
    past_follower,
    person,
    referral_recipient,
)
