"""`AlertFactory(person=…, stay_end=True, urgent=True, acknowledged=True, dismissed=True)`."""

import factory
from django.utils import timezone

from alerts.enums import AlertRule, AlertStatus, DismissReason, Severity
from alerts.models import Alert
from tests.parcours.factories import PersonFactory


class AlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    person = factory.SubFactory(PersonFactory)
    rule = AlertRule.NO_CONTACT
    subject_key = factory.LazyAttribute(lambda o: f"person:{o.person.pk}")
    severity = Severity.WARNING
    due_on = factory.LazyFunction(timezone.localdate)
    facts = factory.LazyFunction(lambda: {"last_contact_on": "2026-01-05", "had_contact": True, "missed": 0})

    class Params:
        urgent = factory.Trait(severity=Severity.URGENT)
        resource = factory.Trait(
            rule=AlertRule.RESOURCE_END,
            subject_key=factory.Sequence(lambda n: f"resource:{n + 1000}"),
            facts={"kind": "AAH", "expected_end_on": "2026-12-31"},
        )
        acknowledged = factory.Trait(
            status=AlertStatus.ACKNOWLEDGED, acknowledged_at=factory.LazyFunction(timezone.now)
        )
        dismissed = factory.Trait(
            status=AlertStatus.DISMISSED,
            dismiss_reason=DismissReason.ALREADY_HANDLED,
            closed_at=factory.LazyFunction(timezone.now),
        )
