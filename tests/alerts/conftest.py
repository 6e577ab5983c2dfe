import datetime as dt

import pytest
from django.utils import timezone

from alerts import engine
from alerts.models import Alert
from tests.parcours.conftest import (  # noqa: F401  the privacy cast, shared with the people app's tests
    admin_user,
    coordination_consent,
    employment_structure,
    employment_worker,
    partners_consent,
    past_follower,
    person,
    referral_recipient,
)
from tests.parcours.factories import FollowUpFactory, PersonFactory


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def run(*rules, person_id=None):
    return {r.rule: r for r in engine.run(rules=list(rules) or None, person_id=person_id)}


def open_alerts(rule=None):
    qs = Alert.objects.open()
    return list(qs.filter(rule=rule) if rule else qs)


@pytest.fixture
def followed(structure, worker):
    """A person followed by `structure`, with `worker` as lead referent (the owner of its alerts)."""
    someone = PersonFactory(last_name="Martin", first_name="Léa")
    FollowUpFactory(person=someone, structure=structure, housing=True, lead=True, referent=worker)
    return someone


def local_noon(days_ago: int) -> dt.datetime:
    """Noon (local time) `days_ago` calendar days ago. The rules count local days: `now - N days` lands on the
    next local day in the last hour before midnight when a summer-time change lies in between."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
