"""The small-number rule of the observatory (issue 14, item 3; privacy.md §3 "Aggregates").

Below the coordinator (managers, funders, and whatever leaves the coordination: exports of those users,
evidence frozen into a proposal and its PDF note), a count under `OBSERVATOIRE_SMALL_NUMBER_THRESHOLD`
(5 by default) is never shown as a figure: `mask(n)` returns « < 5 ». Rates and medians computed from a
count under the threshold are hidden the same way (`mask_derived`).

This helper is the observatory's own, deliberately small; the FSE reports have theirs for funders.
Usage: `masker = Masker.for_user(user)` then `masker(value)` in tables, charts and exports.
"""

from dataclasses import dataclass

from django.conf import settings

from accounts.scope import user_scope


def threshold() -> int:
    return settings.OBSERVATOIRE_SMALL_NUMBER_THRESHOLD


def small_label() -> str:
    return f"< {threshold()}"


def mask(value):
    """A count as shown below the coordinator: the number, or « < 5 » when under the threshold."""
    if value is None:
        return None
    return small_label() if value < threshold() else value


@dataclass(frozen=True)
class Masker:
    active: bool

    @classmethod
    def for_user(cls, user) -> "Masker":
        return cls(active=not user_scope(user).is_coordinator)

    def __call__(self, value):
        return mask(value) if self.active else value

    def derived(self, value, base):
        """A rate or a median computed over `base` items: hidden when `base` is itself a small number."""
        if self.active and base is not None and base < threshold():
            return small_label()
        return value

    def is_masked(self, value) -> bool:
        return isinstance(value, str) and value == small_label()
