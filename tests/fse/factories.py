import datetime

import factory
from django.utils import timezone

from fse.enums import Answer, Gender, Housing, LabourStatusEntry, LabourStatusExit, Nationality, Programme
from fse.models import Operation, Participant
from fse.services import match_key
from tests.partenaires.factories import StructureFactory


class OperationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Operation
        skip_postgeneration_save = True

    programme = Programme.FSE_PLUS
    number = factory.Sequence(lambda n: f"OP{n:05d}")
    title = factory.Sequence(lambda n: f"Opération de test {n}")
    carrier = factory.SubFactory(StructureFactory)
    start_on = datetime.date(2024, 1, 1)
    end_on = datetime.date(2026, 12, 31)

    class Params:
        fse_2014 = factory.Trait(programme=Programme.FSE_2014)

    @factory.post_generation
    def funders(self, create, extracted, **kwargs):
        if create and extracted:
            self.funders.set(extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A validated, complete participant: unemployed for a short time, ISCED 3, ordinary housing."""

    class Meta:
        model = Participant

    operation = factory.SubFactory(OperationFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda p: f"{p.operation.number}-{p.sequence:04d}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    first_name = "Camille"
    match_key = factory.LazyAttribute(lambda p: match_key(p.last_name, p.first_name, p.birth_date))
    gender = Gender.WOMAN
    birth_date = datetime.date(1990, 5, 17)
    phone = "0600000000"
    email = ""
    commune_insee = "75056"
    entry_on = datetime.date(2025, 3, 1)
    lm_status_entry = LabourStatusEntry.UNEMPLOYED
    unemployed_since = datetime.date(2025, 1, 1)
    isced_entry = 3
    disability = Answer.NO
    nationality = Nationality.FRENCH
    born_abroad = Answer.NO
    parent_born_abroad = Answer.NO
    housing_entry = Housing.ORDINARY
    validated_at = factory.LazyFunction(timezone.now)

    class Params:
        man = factory.Trait(gender=Gender.MAN)
        non_binary = factory.Trait(gender=Gender.NON_BINARY)
        employed = factory.Trait(lm_status_entry=LabourStatusEntry.EMPLOYED, unemployed_since=None)
        inactive = factory.Trait(lm_status_entry=LabourStatusEntry.INACTIVE, unemployed_since=None)
        draft = factory.Trait(validated_at=None)
        left = factory.Trait(
            exit_on=datetime.date(2025, 9, 30),
            exit_observed_on=datetime.date(2025, 10, 10),
            lm_status_exit=LabourStatusExit.EMPLOYED,
        )
