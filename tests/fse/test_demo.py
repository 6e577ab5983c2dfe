import pytest
from django.core.management import call_command

from fse import demo, indicators
from fse.models import Operation, Participant
from parcours.models import Person

pytestmark = pytest.mark.django_db


def test_demo_operation_has_the_demo_persons_as_participants_and_is_idempotent():
    call_command("seed_demo")
    operation = Operation.objects.get(number=demo.NUMBER)
    assert operation.funders.get().name.startswith("DDETS")
    count = Participant.objects.filter(operation=operation).count()
    # Later seeders (retention, plans) add people of their own, who are not participants.
    assert 0 < count <= min(Person.objects.count(), demo.MAX_PARTICIPANTS)
    assert Participant.objects.filter(operation=operation, person__isnull=True).count() == 0
    call_command("seed_demo")
    assert Participant.objects.filter(operation=operation).count() == count
    figures = indicators.compute(operation)
    assert figures.value("EECO01") == count
    assert figures.value(indicators.LEAVERS_ALL) > 0
    assert figures.value("EECR04", indicators.CUMULATED) + figures.value("EECR01", indicators.CUMULATED) > 0
    assert all(check.ok for check in indicators.aggregate_checks(figures))


def test_demo_operation_without_persons(monkeypatch):
    monkeypatch.setattr(
        "coordination.management.commands.seed_demo.SEEDERS", ["partenaires.territory.seed", "fse.demo.seed"]
    )
    call_command("seed_demo")
    assert Operation.objects.filter(number=demo.NUMBER).exists()
    assert not Participant.objects.exists()
