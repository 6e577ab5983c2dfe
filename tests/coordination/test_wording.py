"""French wording: plurals through ngettext follow the French rule (0 and 1 singular), never « (s) »."""

import datetime as dt

from django.utils import translation
from django.utils.translation import ngettext

from alerts.text import explain
from evaluations.synthesis import _points


class FakeAlert:
    rule = "COMPLEX_CASE"
    facts = {"urgent_alerts": 3, "active_barriers": 1, "structures": 0}


def test_zero_and_one_are_singular_in_french():
    with translation.override("fr"):
        assert ngettext("%(n)s point", "%(n)s points", 0) % {"n": 0} == "0 point"
        assert _points(1) == "1 point"
        assert _points(2) == "2 points"
        text = explain(FakeAlert(), shows_health=False, today=dt.date(2026, 1, 1))
    assert (
        text
        == "3 alertes urgentes en 12 mois, 1 frein actif, 0 structure mobilisée : proposer un passage en commission."
    )
    assert "(s)" not in text


def test_english_plurals():
    with translation.override("en"):
        assert _points(0) == "0 points"
        assert _points(1) == "1 point"


def test_empty_choices_say_choose_never_dashes(client, db):
    from django.urls import reverse

    from tests.accounts.factories import MembershipFactory

    worker = MembershipFactory(social_worker=True).user
    client.force_login(worker)
    text = client.get(reverse("parcours:person_create")).content.decode()
    assert "---------" not in text
    assert "Choisir…" in text
