import factory

from partenaires.enums import StructureKind
from partenaires.models import Structure


class StructureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = StructureKind.CHRS
