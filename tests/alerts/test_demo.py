"""seed_demo then run_alerts (the commands): every rule whose model is installed fires on the demo people."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from alerts.models import Alert
from alerts.rules import RULES, is_available

pytestmark = pytest.mark.django_db


def test_seed_demo_then_run_alerts_raises_every_available_rule(client):
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    out = StringIO()
    call_command("run_alerts", stdout=out)
    raised = set(Alert.objects.open().values_list("rule", flat=True))
    available = {rule.CODE for rule in RULES if is_available(rule)}
    assert raised == available
    # PassIae and HousingRequest are installed: the rule runs for real and fires on the demo PASS.
    assert "PASS_IAE_END" in available
    pass_line = next(line for line in out.getvalue().splitlines() if line.startswith("PASS_IAE_END"))
    assert "skipped" not in pass_line
    assert Alert.objects.filter(rule="PASS_IAE_END", person__last_name="Morel").exists()
    from accounts.models import User

    client.force_login(User.objects.get(email="ts.chrs@demo.test"))
    home = client.get(reverse("home")).content.decode()
    assert "Voir mes alertes" in home
