"""« Dossiers à compléter » names the participant and what is missing, not bare numbers."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.fse.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def test_incomplete_records_say_who_and_what_is_missing(client, coordinator, operation):
    ParticipantFactory(operation=operation, last_name="Traoré", first_name="Awa", draft=True, phone="")
    ParticipantFactory(operation=operation, last_name="Complet")
    client.force_login(coordinator)
    page = client.get(reverse("fse:operation_detail", args=[operation.pk])).content.decode()
    section = strip_tags(page.split("Dossiers à compléter", 1)[1].split("</ul>", 1)[0])
    assert "TRAORÉ Awa" in section
    assert (
        "fiche d&#x27;entrée à valider, coordonnées" in section or "fiche d'entrée à valider, coordonnées" in section
    )
    assert "COMPLET" not in section


def test_each_missing_item_links_to_the_section_of_the_form(client, coordinator, operation):
    """Issue 16: the list of missing fields links to the form's section where each is filled in."""
    draft = ParticipantFactory(operation=operation, draft=True, phone="", email="")
    left = ParticipantFactory(operation=operation, left=True, lm_status_exit="")
    client.force_login(coordinator)
    page = client.get(reverse("fse:operation_detail", args=[operation.pk])).content.decode()
    section = page.split("Dossiers à compléter", 1)[1].split("</ul>", 1)[0]
    edit = reverse("fse:participant_edit", args=[operation.pk, draft.pk])
    assert f'<a href="{edit}#fse-entree">fiche d' in section
    assert f'<a href="{edit}#fse-coordonnees">coordonnées</a>' in section
    exit_edit = reverse("fse:participant_edit", args=[operation.pk, left.pk])
    assert f'<a href="{exit_edit}#fse-sortie">situation à la sortie</a>' in section
    form = client.get(edit).content.decode()
    for anchor in ("fse-entree", "fse-coordonnees", "fse-sortie"):
        assert f'id="{anchor}"' in form
    frozen = client.get(exit_edit).content.decode()  # a validated record: the entry data are read-only
    assert 'id="fse-sortie"' in frozen
