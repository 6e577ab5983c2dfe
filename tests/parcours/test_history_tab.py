"""The « Historique » tab reads like a story: field labels, structure names, localised dates, the author."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.parcours.factories import HousingSituationFactory

pytestmark = pytest.mark.django_db


def test_history_is_humanised(client, worker, person, structure):
    HousingSituationFactory(
        person=person, structure=structure, started_on=dt.date(2026, 3, 28), residential_status="CHRS"
    )
    client.force_login(worker)
    client.post(
        reverse("parcours:person_edit", args=[person.pk]),
        {
            "last_name": "Durand-Martin",
            "first_name": person.first_name,
            "birth_date": person.birth_date.isoformat(),
            "gender": person.gender,
        },
    )
    text = client.get(reverse("parcours:person_detail", args=[person.pk]) + "?onglet=historique").content.decode()
    assert "search name" not in text
    assert "structure n°" not in text.lower()
    assert structure.name in text
    assert "28/03/2026" in text
    assert "2026-03-28" not in text
    assert "<td>—</td><td>Personne" not in text  # an author on every row: the user, or the system
    assert str(worker) in text or "système (import ou tâche)" in text
