"""Signals other apps may listen to (the notification of partners is another issue's work)."""

from django.dispatch import Signal

# Sent on commit after a decision is recorded: `decision_id`, `person_id`, `owner_structure_id` (ids only).
decision_recorded = Signal()
