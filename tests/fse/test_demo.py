import pytest
from django.core.management import call_command

from coordination.fse import demo, indicators
from coordination.fse.models import Operation, Participant
from tests.parcours.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_demo_creates_the_operation_even_without_persons():
    call_command("seed_demo")
    operation = Operation.objects.get(number=demo.NUMBER)
    assert operation.funders.get().name.startswith("DDETS")
    assert not Participant.objects.exists()


def test_demo_participants_for_existing_persons_idempotent():
    PersonFactory.create_batch(30)
    call_command("seed_demo")
    call_command("seed_demo")
    operation = Operation.objects.get(number=demo.NUMBER)
    assert Participant.objects.filter(operation=operation).count() == 30
    figures = indicators.compute(operation)
    assert figures.value("EECO01") == 30
    assert figures.value(indicators.LEAVERS_ALL) > 0
    assert all(check.ok for check in indicators.aggregate_checks(figures))
