"""`make run`'s first start: the demo is seeded and the alert rules run once, so the inbox is not empty."""

import pytest
from django.core.management import call_command

from alerts.models import Alert
from coordination.devserver import prepare

pytestmark = pytest.mark.django_db


def test_first_start_seeds_the_demo_and_runs_the_alerts_once(tmp_path):
    marker = tmp_path / "var" / "demo-seeded"
    commands = []

    def run(*args):
        commands.append(args[0])
        if args[0] != "migrate":  # the test database is already migrated
            call_command(*args)

    prepare(run=run, marker=marker)
    assert marker.exists()
    assert commands == ["migrate", "seed_demo", "run_alerts"]
    assert Alert.objects.open().filter(rule="NO_CONTACT").exists()
    prepare(run=run, marker=marker)  # later starts only migrate
    assert commands[3:] == ["migrate"]
