import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from partenaires.models import Structure
from partenaires.referentials import normalize
from partenaires.validators import siret_checksum_ok
from tests.partenaires.factories import ContactFactory, ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_normalize_removes_accents_case_and_punctuation():
    assert normalize("Hébergement d'URGENCE — Œuvre") == "hebergement d urgence oeuvre"


@pytest.mark.parametrize(
    ("siret", "valid"),
    [("73282932000074", True), ("73282932000075", False), ("35600000000048", True), ("35600000012345", False)],
)
def test_siret_checksum(siret, valid):
    assert siret_checksum_ok(siret) is valid


def test_bad_siret_checksum_is_refused_with_a_french_message():
    structure = StructureFactory.build(siret="73282932000075")
    with pytest.raises(ValidationError) as error:
        structure.full_clean()
    assert "clé de contrôle" in str(error.value.message_dict["siret"])


def test_unknown_referential_slugs_are_refused():
    service = ServiceFactory.build(structure=StructureFactory(), thematiques=["pas-une-thematique"])
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "pas-une-thematique" in str(error.value.message_dict["thematiques"])


def test_tous_publics_cannot_be_combined():
    structure = StructureFactory.build(publics=["tous-publics", "jeunes"])
    with pytest.raises(ValidationError) as error:
        structure.full_clean()
    assert "Tous publics" in str(error.value.message_dict["publics"])


def test_search_document_covers_structure_and_services():
    structure = StructureFactory(name="Les Tilleuls", description="Hébergement d'insertion")
    ServiceFactory(structure=structure, name="Atelier numérique")
    structure.refresh_from_db()
    assert "hebergement d insertion" in structure.search_document
    assert "atelier numerique" in structure.search_document
    assert list(Structure.objects.search("NUMÉRIQUE tilleuls")) == [structure]


def test_contact_needs_a_phone_or_an_email():
    with pytest.raises(IntegrityError):
        ContactFactory(phone="", email="")
