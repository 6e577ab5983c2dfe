"""seed_demo then run_alerts: every first-version rule available on this branch fires on the demo people."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from parcours.alerts.models import Alert
from parcours.alerts.rules import RULES, is_available

pytestmark = pytest.mark.django_db


def test_seed_demo_then_run_alerts_raises_every_available_rule(client):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    call_command("run_alerts")
    raised = set(Alert.objects.open().values_list("rule", flat=True))
    assert raised == {rule.CODE for rule in RULES if is_available(rule)}
    from coordination.accounts.models import User

    client.force_login(User.objects.get(email="ts.chrs@demo.test"))
    home = client.get(reverse("home")).content.decode()
    assert "Voir mes alertes" in home
