import datetime

import factory
from django.utils import timezone

from partenaires.enums import StructureKind
from partenaires.models import Contact, PartnerAction, Service, Structure


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = StructureKind.CHRS

    class Params:
        described = factory.Trait(
            description="Accueil et accompagnement des personnes sans abri.",
            address="12 rue des Tilleuls",
            postal_code="38100",
            commune="Villeneuve-sur-Vallée",
            insee_code="38999",
            phone="04 76 00 00 00",
            email=factory.Sequence(lambda n: f"contact{n}@structure.test"),
            opening_hours="Du lundi au vendredi, 9 h – 17 h",
            is_member=True,
        )


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    structure = factory.SubFactory(StructureFactory)
    name = factory.Sequence(lambda n: f"Service {n}")
    description = "Un service d'accompagnement pour les personnes du territoire."
    thematiques = factory.LazyFunction(
        lambda: ["logement-hebergement--rechercher-une-solution-dhebergement-temporaire"]
    )
    publics = factory.LazyFunction(lambda: ["tous-publics"])

    @factory.post_generation
    def index(obj, create, extracted, **kwargs):
        # The structure's search document includes its services (the services layer does the same).
        if create:
            obj.structure.refresh_search_fields()


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    structure = factory.SubFactory(StructureFactory)
    name = factory.Faker("name", locale="fr_FR")
    role = "Chef·fe de service"
    phone = "04 76 11 22 33"


class PartnerActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerAction

    structure = factory.SubFactory(StructureFactory)
    title = factory.Sequence(lambda n: f"Action {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))
    place = "Salle des fêtes"
    commune = "Villeneuve-sur-Vallée"
