import factory
from django.conf import settings

from accounts.models import Membership, Role, User
from partenaires.enums import StructureKind
from tests.partenaires.factories import StructureFactory

PASSWORD = "un-mot-de-passe-de-test"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    # Never a real surname: tests check that a person's name stays out of pages that show the user's name.
    last_name = factory.Sequence(lambda n: f"Agent{n}")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(StructureFactory)
    role = Role.SOCIAL_WORKER

    class Params:
        social_worker = factory.Trait(role=Role.SOCIAL_WORKER)
        counsellor = factory.Trait(role=Role.INSERTION_COUNSELLOR)
        manager = factory.Trait(role=Role.MANAGER)
        coordinator = factory.Trait(
            role=Role.COORDINATOR, structure=factory.SubFactory(StructureFactory, kind=StructureKind.COORDINATION)
        )
        funder = factory.Trait(
            role=Role.FUNDER, structure=factory.SubFactory(StructureFactory, kind=StructureKind.FUNDER)
        )
        dpo = factory.Trait(
            role=Role.DPO, structure=factory.SubFactory(StructureFactory, kind=StructureKind.COORDINATION)
        )
        admin = factory.Trait(role=Role.ADMIN, user=factory.SubFactory(UserFactory, is_staff=True, is_superuser=True))


__all__ = ["PASSWORD", "MembershipFactory", "UserFactory", "settings"]
