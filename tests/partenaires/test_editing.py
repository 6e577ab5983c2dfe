import pytest
from django.urls import reverse
from django.utils import timezone

from partenaires.models import Contact, Service, Structure
from tests.partenaires.factories import ContactFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def structure_data(structure, **changes):
    data = {
        "name": structure.name,
        "kind": structure.kind,
        "opening_hours": "Lundi au vendredi, 9 h – 12 h",
        "description": "Hébergement et accompagnement.",
    }
    data.update(changes)
    return data


def edit_url(structure):
    return reverse("partenaires:structure_edit", args=[structure.pk])


def test_manager_edits_their_structure_and_it_counts_as_reviewed(client_for, manager, structure):
    response = client_for(manager).post(edit_url(structure), structure_data(structure, is_member="on"))
    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.opening_hours == "Lundi au vendredi, 9 h – 12 h"
    assert structure.reviewed_on == timezone.localdate()
    # Membership of the coordination is not the manager's to set: the forged field is ignored.
    assert structure.is_member is False
    assert "hebergement et accompagnement" in structure.search_document


def test_manager_sees_the_edit_form(client_for, manager, structure):
    response = client_for(manager).get(edit_url(structure))
    assert response.status_code == 200
    assert "Horaires d&#x27;accueil" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_manager_of_another_structure_gets_403(client_for, manager, other_structure, method):
    before = Structure.objects.get(pk=other_structure.pk).opening_hours
    response = getattr(client_for(manager), method)(edit_url(other_structure), structure_data(other_structure))
    assert response.status_code == 403
    assert Structure.objects.get(pk=other_structure.pk).opening_hours == before


@pytest.mark.parametrize("user_fixture", ["worker", "colleague", "outsider", "funder"])
def test_read_only_roles_get_403_on_edit(request, client_for, structure, user_fixture):
    user = request.getfixturevalue(user_fixture)
    assert client_for(user).post(edit_url(structure), structure_data(structure)).status_code == 403
    assert client_for(user).get(reverse("partenaires:structure_create")).status_code == 403


def test_coordinator_edits_any_structure_and_sets_membership(client_for, coordinator, other_structure):
    response = client_for(coordinator).post(edit_url(other_structure), structure_data(other_structure, is_member="on"))
    assert response.status_code == 302
    other_structure.refresh_from_db()
    assert other_structure.is_member is True


def test_coordinator_creates_a_structure(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("partenaires:structure_create"),
        {
            "name": "Pension de famille Les Lilas",
            "kind": "PENSION_DE_FAMILLE",
            "housing_offers": ["PENSION_DE_FAMILLE"],
        },
    )
    structure = Structure.objects.get(name="Pension de famille Les Lilas")
    assert response["Location"] == reverse("partenaires:structure_detail", args=[structure.pk])
    assert structure.housing_offers == ["PENSION_DE_FAMILLE"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"siret": "73282932000075"}, "siret", "clé de contrôle"),
        ({"siret": "1234"}, "siret", "14 chiffres"),
        ({"website": "pas une adresse"}, "website", "Saisissez une URL valide"),
        ({"publics": ["tous-publics", "jeunes"]}, "publics", "Tous publics"),
        ({"publics": ["martiens"]}, "publics", "Sélectionnez un choix valide"),
        ({"postal_code": "ABCDE"}, "postal_code", "5 chiffres"),
        ({"name": ""}, "name", "Ce champ est obligatoire"),
    ],
)
def test_bad_input_gives_a_french_message_and_saves_nothing(client_for, manager, structure, changes, field, message):
    response = client_for(manager).post(edit_url(structure), structure_data(structure, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    structure.refresh_from_db()
    assert structure.opening_hours == ""
    assert structure.reviewed_on is None


def test_manager_adds_a_service_and_search_finds_it(client_for, manager, structure):
    client = client_for(manager)
    response = client.post(
        reverse("partenaires:service_create", args=[structure.pk]),
        {
            "name": "Accompagnement vers l'emploi",
            "description": "Entretiens individuels avec une conseillère.",
            "thematiques": ["trouver-un-emploi--convaincre-un-recruteur-en-entretien"],
            "publics": ["tous-publics"],
            "type": "accompagnement",
            "fees": "gratuit",
            "zone": "38185,38",
        },
    )
    assert response.status_code == 302
    service = Service.objects.get(structure=structure)
    assert service.zone == ["38185", "38"]
    assert structure.pk in Structure.objects.search("conseillere").values_list("pk", flat=True)
    structure.refresh_from_db()
    assert structure.reviewed_on == timezone.localdate()


def test_unknown_thematique_in_a_forged_post_is_refused(client_for, manager, structure):
    response = client_for(manager).post(
        reverse("partenaires:service_create", args=[structure.pk]),
        {"name": "Service", "description": "Une description.", "thematiques": ["inconnue"]},
    )
    assert response.status_code == 200
    assert "thematiques" in response.context["form"].errors
    assert not Service.objects.exists()


def test_manager_edits_and_deletes_a_service(client_for, manager, structure):
    service = ServiceFactory(structure=structure, name="Ancien nom")
    client = client_for(manager)
    url = reverse("partenaires:service_edit", args=[structure.pk, service.pk])
    assert client.post(url, {"name": "Nouveau nom", "description": "Une description."}).status_code == 302
    service.refresh_from_db()
    assert service.name == "Nouveau nom"
    assert client.post(reverse("partenaires:service_delete", args=[structure.pk, service.pk])).status_code == 302
    assert not Service.objects.exists()
    structure.refresh_from_db()
    assert "nouveau nom" not in structure.search_document


def test_service_of_another_structure_is_404_through_a_managed_structure(client_for, manager, structure):
    foreign = ServiceFactory()
    url = reverse("partenaires:service_edit", args=[structure.pk, foreign.pk])
    assert client_for(manager).post(url, {"name": "Piraté", "description": "Une description."}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name != "Piraté"


def test_worker_cannot_delete_a_service(client_for, worker, structure):
    service = ServiceFactory(structure=structure)
    url = reverse("partenaires:service_delete", args=[structure.pk, service.pk])
    assert client_for(worker).post(url).status_code == 403
    assert Service.objects.filter(pk=service.pk).exists()


def test_delete_needs_post(client_for, manager, structure):
    service = ServiceFactory(structure=structure)
    assert (
        client_for(manager).get(reverse("partenaires:service_delete", args=[structure.pk, service.pk])).status_code
        == 405
    )


def test_manager_adds_edits_and_deletes_a_contact(client_for, manager, structure):
    client = client_for(manager)
    response = client.post(
        reverse("partenaires:contact_create", args=[structure.pk]),
        {"name": "Sophie Lefèvre", "role": "Cheffe de service", "email": "sophie@chrs.test"},
    )
    assert response.status_code == 302
    contact = Contact.objects.get(structure=structure)
    url = reverse("partenaires:contact_edit", args=[structure.pk, contact.pk])
    assert client.post(url, {"name": "Sophie Lefèvre", "phone": "0476000000"}).status_code == 302
    contact.refresh_from_db()
    assert contact.phone == "0476000000"
    assert client.post(reverse("partenaires:contact_delete", args=[structure.pk, contact.pk])).status_code == 302
    assert not Contact.objects.exists()


def test_contact_without_phone_or_email_is_a_form_error(client_for, manager, structure):
    response = client_for(manager).post(reverse("partenaires:contact_create", args=[structure.pk]), {"name": "X"})
    assert response.status_code == 200
    assert "Indiquez au moins un téléphone ou une adresse e-mail." in response.content.decode()
    assert not Contact.objects.exists()


def test_outsider_cannot_add_a_contact(client_for, outsider, structure):
    response = client_for(outsider).post(
        reverse("partenaires:contact_create", args=[structure.pk]), {"name": "X", "phone": "01"}
    )
    assert response.status_code == 403
    assert not Contact.objects.exists()


def test_edit_links_show_only_to_editors(client_for, manager, worker, structure):
    ContactFactory(structure=structure)
    url = reverse("partenaires:structure_detail", args=[structure.pk])
    assert "Modifier la fiche" in client_for(manager).get(url).content.decode()
    assert "Modifier la fiche" not in client_for(worker).get(url).content.decode()
