import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.parcours.factories import ReferralFactory
from tests.partenaires.factories import ContactFactory, PartnerActionFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_structure_page_shows_everything(client_for, outsider):
    structure = StructureFactory(described=True, name="CHRS Les Tilleuls", publics=["jeunes"], housing_offers=["CHRS"])
    ServiceFactory(structure=structure, name="Hébergement d'insertion", conditions="Orientation SIAO")
    ContactFactory(structure=structure, name="Sophie Lefèvre", role="Cheffe de service")
    PartnerActionFactory(structure=structure, title="Portes ouvertes")
    PartnerActionFactory(
        structure=structure, title="Action passée", starts_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    response = client_for(outsider).get(reverse("partenaires:structure_detail", args=[structure.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    for text in [
        "CHRS Les Tilleuls",
        "Hébergement d&#x27;insertion",
        "Orientation SIAO",
        "Sophie Lefèvre",
        "Portes ouvertes",
        "Du lundi au vendredi",
        "Jeunes",
        "CHRS, hébergement d&#x27;insertion",
    ]:
        assert text in content
    assert "Action passée" not in content
    assert "Modifier la fiche" not in content


def test_unknown_structure_is_404(client_for, worker):
    assert client_for(worker).get(reverse("partenaires:structure_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("size", [1, 50])
def test_structure_page_constant_queries(client_for, worker, django_assert_num_queries, size):
    structure = StructureFactory()
    for _ in range(size):
        ServiceFactory(structure=structure)
        ContactFactory(structure=structure)
        PartnerActionFactory(structure=structure)
        ReferralFactory(to_structure=structure, accepted=True)
    client = client_for(worker)
    # session, user, structure, services, contacts, actions, memberships, referral response figures;
    # plus the request's savepoint pair, the session save and its savepoint pair (5), the alerts badge, the
    # concertation tasks badge.
    with django_assert_num_queries(16):
        assert client.get(reverse("partenaires:structure_detail", args=[structure.pk])).status_code == 200


def test_structure_page_says_how_fast_it_answers_referrals(client_for, outsider):
    structure = StructureFactory()
    now = timezone.now()
    for days in (2, 4, 9):  # sent 40 days ago, answered `days` days later
        ReferralFactory(
            to_structure=structure, days_ago=40, accepted=True, answered_at=now - datetime.timedelta(days=40 - days)
        )
    ReferralFactory(to_structure=structure, days_ago=3)  # still waiting
    ReferralFactory(to_structure=structure, days_ago=3, cancelled=True)  # withdrawn by the sender: not counted
    content = client_for(outsider).get(reverse("partenaires:structure_detail", args=[structure.pk])).content.decode()
    assert "4 orientations reçues ces 12 derniers mois" in content
    assert "3 avec réponse, dont 3 acceptées" in content
    assert "Délai médian de réponse : 4,0 jours" in content


def test_structure_page_without_referrals_says_so(client_for, outsider):
    structure = StructureFactory()
    content = client_for(outsider).get(reverse("partenaires:structure_detail", args=[structure.pk])).content.decode()
    assert "Aucune orientation reçue ces 12 derniers mois." in content


def test_data_inclusion_labels_follow_the_language(client_for, outsider):
    """Issue 16: themes, publics, service types and fees stayed in French on English pages."""
    structure = StructureFactory(described=True, publics=["jeunes"])
    ServiceFactory(structure=structure, type="accompagnement", fees="gratuit", mobilisation_modes=["telephoner"])
    outsider.language = "en"
    outsider.save(update_fields=["language"])
    client = client_for(outsider)
    english = client.get(reverse("partenaires:structure_detail", args=[structure.pk])).content.decode()
    for text in ["Looking for temporary accommodation", "Young people", "Everyone", "Support", "Free", "Phone"]:
        assert text in english, text
    for text in ["Rechercher une solution d’hébergement temporaire", "Tous publics", "Gratuit", "Téléphoner"]:
        assert text not in english, text
    search = client.get(reverse("partenaires:structure_list")).content.decode()
    assert "Housing and accommodation" in search  # a theme group of the filter
    assert "Logement et hébergement" not in search
    structure.refresh_from_db()
    assert "rechercher une solution d hebergement temporaire" in structure.search_document  # still French
