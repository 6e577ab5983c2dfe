"""Empty lists say what to do next, and the pages of a file share one breadcrumb (issue 16)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_empty_lists_say_what_to_do_next(client, worker, coordinator):
    client.force_login(worker)
    pages = {
        "parcours:person_list": "Créez la fiche d'une personne",
        "parcours:referral_list": "ouvrez son dossier puis choisissez « Orienter vers un partenaire »",
        "concertation:proposal_list": "choisissez « Proposer en commission »",
    }
    for name, hint in pages.items():
        page = client.get(reverse(name)).content.decode()
        assert hint in page, name
    client.force_login(coordinator)
    pages = {
        "fse:operation_list": "Créez l'opération avec « Nouvelle opération »",
        "concertation:commission_list": "Créez une commission avec « Nouvelle commission »",
    }
    for name, hint in pages.items():
        page = client.get(reverse(name)).content.decode()
        assert hint in page, name


def test_the_pages_of_a_file_have_the_same_breadcrumb(client, worker, person):
    client.force_login(worker)
    for name in ("parcours:person_plan", "parcours:person_activity", "evaluations:person_evaluations"):
        page = client.get(reverse(name, args=[person.pk])).content.decode()
        crumbs = page.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]
        assert reverse("parcours:person_list") in crumbs, name
        assert reverse("parcours:person_detail", args=[person.pk]) in crumbs, name
        assert "DURAND Élise" in crumbs, name
        assert 'aria-current="page"' in crumbs, name
