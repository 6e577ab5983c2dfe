"""« Dossiers à compléter » names the participant and what is missing, not bare numbers."""

import pytest
from django.urls import reverse

from tests.fse.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_incomplete_records_say_who_and_what_is_missing(client, coordinator, operation):
    ParticipantFactory(operation=operation, last_name="Traoré", first_name="Awa", draft=True, phone="")
    ParticipantFactory(operation=operation, last_name="Complet")
    client.force_login(coordinator)
    page = client.get(reverse("fse:operation_detail", args=[operation.pk])).content.decode()
    section = page.split("Dossiers à compléter", 1)[1].split("</ul>", 1)[0]
    assert "TRAORÉ Awa" in section
    assert (
        "fiche d&#x27;entrée à valider, coordonnées" in section or "fiche d'entrée à valider, coordonnées" in section
    )
    assert "COMPLET" not in section
