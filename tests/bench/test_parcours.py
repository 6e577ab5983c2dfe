"""The benchmark seed and scenarios work (a smoke test at a small size; speed is measured by `make bench`)."""

import pytest

from bench import parcours as bench
from parcours.models import Action, Activity, Event, FollowUp, Person

pytestmark = pytest.mark.django_db


def test_bench_seed_and_scenarios_run():
    bench.seed(persons=400, stdout=None)
    assert Person.objects.count() == 400
    assert FollowUp.objects.filter(structure__name="Bench CHRS de la travailleuse").count() == bench.CASELOAD
    assert Event.objects.filter(person_id=Person.objects.order_by("id").first().pk).count() == bench.FILE_EVENTS
    bench.seed(persons=400, stdout=None)  # idempotent at the same size
    assert Person.objects.count() == 400
    for scenario in bench.SCENARIOS:
        scenario.run()
        if scenario.baseline is not None:
            scenario.baseline()
    first = Person.objects.order_by("id").first()
    assert Action.objects.filter(person=first).count() == bench.PLAN_ACTIONS
    assert Activity.objects.filter(person=first).count() == bench.FEED_FACTS
    # The admin applies the access policy (R10): the baseline still shows the worker's rows, all of them.
    caseload_admin = {s.name: s for s in bench.SCENARIOS}["parcours.caseload_300_of_100k"].baseline()
    assert caseload_admin.context["cl"].result_count == bench.CASELOAD
