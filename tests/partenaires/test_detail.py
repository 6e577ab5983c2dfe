import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

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
    client = client_for(worker)
    # session, user, structure, services, contacts, actions, memberships;
    # plus the request's savepoint pair, the session save and its savepoint pair (5).
    with django_assert_num_queries(13):  # +1: alerts badge of the navigation
        assert client.get(reverse("partenaires:structure_detail", args=[structure.pk])).status_code == 200
