"""The Person link: prefill through the access policy, import matching or creating persons, audit."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from fse import people
from fse.enums import Housing, LabourStatusEntry
from fse.importer import parse
from fse.models import Participant
from fse.services import participants_import
from parcours.enums import EmploymentStatus, FollowUpKind, ResidentialStatus
from parcours.models import FollowUp, Person
from tests.accounts.factories import MembershipFactory
from tests.evaluations.factories import EvaluationFactory
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.fse.test_import import csv_bytes, row
from tests.parcours.factories import (
    ConsentFactory,
    EmploymentSituationFactory,
    FollowUpFactory,
    HousingSituationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(structure):
    person = PersonFactory(woman=True, followed_by=structure, phone="0611111111")
    person.ft_registered_since = timezone.localdate() - datetime.timedelta(days=400)
    person.save()
    EmploymentSituationFactory(person=person, situation=EmploymentStatus.JOB_SEEKING)
    HousingSituationFactory(person=person, residential_status=ResidentialStatus.CHRS)
    return person


def test_prefill_from_situations(person):
    values = people.prefill(person, timezone.localdate())
    assert values["gender"] == "F"
    assert values["lm_status_entry"] == LabourStatusEntry.UNEMPLOYED
    assert values["unemployed_since"] == person.ft_registered_since  # the earlier of registration and seeking
    assert values["housing_entry"] == Housing.SHELTER
    assert values["phone"] == "0611111111"
    assert "disability" not in values  # sensitive items are asked, never copied


def test_prefill_isced_from_the_latest_finalised_evaluation(person):
    today = timezone.localdate()
    assert people.prefill(person, today)["isced_entry"] is None  # no evaluation: typed at entry
    EvaluationFactory(person=person, complete=True, final=True, education_level="C12")  # 2nde or 1re: ISCED 2
    assert people.prefill(person, today)["isced_entry"] == 2
    EvaluationFactory(person=person, complete=True, final=True, version=2, education_level="NV3")  # Bac+2
    assert people.prefill(person, today)["isced_entry"] == 5  # the latest version wins
    EvaluationFactory(person=person, complete=True, final=True, version=3, education_level="AFS")
    assert people.prefill(person, today)["isced_entry"] == 0  # no schooling: 0 is a level, not "unknown"
    EvaluationFactory(person=person, complete=True, education_level="NV1")  # a draft is never used
    assert people.prefill(person, today)["isced_entry"] == 0


def test_the_participant_form_is_prefilled_with_the_isced_level(client, coordinator, person):
    ConsentFactory(person=person, coordination=True)
    EvaluationFactory(person=person, complete=True, final=True, education_level="AFS")
    operation = OperationFactory()
    client.force_login(coordinator)
    response = client.get(reverse("fse:participant_create", args=[operation.pk]), {"personne": person.pk})
    assert response.status_code == 200
    assert response.context["form"].initial["isced_entry"] == 0


def test_entry_status_order():
    person = PersonFactory()
    today = timezone.localdate()
    employed = EmploymentSituationFactory(person=person, employed=True)
    training = EmploymentSituationFactory(person=person, situation=EmploymentStatus.TRAINING)
    assert people.entry_status(person, [employed, training], today)[0] == LabourStatusEntry.EMPLOYED
    assert people.entry_status(person, [training], today) == (LabourStatusEntry.INACTIVE, None, True)
    assert people.entry_status(person, [], today) == (LabourStatusEntry.INACTIVE, None, False)


def test_coordinator_prefills_a_participant_only_from_a_visible_person(client, coordinator, person):
    operation = OperationFactory()
    client.force_login(coordinator)
    url = reverse("fse:participant_create", args=[operation.pk])
    assert client.get(url, {"personne": person.pk}).status_code == 404  # no COORDINATION consent
    ConsentFactory(person=person, coordination=True)
    response = client.get(url, {"personne": person.pk})
    assert response.status_code == 200
    assert person.last_name in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.VIEW, person_id=person.pk, user=coordinator).exists()
    data = {
        "personne": person.pk, "last_name": person.last_name, "first_name": person.first_name, "gender": "F",
        "birth_date": person.birth_date.isoformat(), "phone": person.phone, "entry_on": "2025-02-01",
        "lm_status_entry": "INACTIVE", "isced_entry": 2, "disability": "NO", "nationality": "FR",
        "born_abroad": "NO", "parent_born_abroad": "NO", "housing_entry": "SHELTER", "validate": "1",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert Participant.objects.get().person == person
    again = client.post(url, {**data, "last_name": "Autre"})
    assert "déjà participante" in again.content.decode()


def test_import_matches_persons_of_the_carrier_or_creates_them(structure, other_structure):
    operation = OperationFactory(carrier=structure)
    known = PersonFactory(last_name="Dupont", first_name="Elodie", birth_date=datetime.date(1990, 5, 17))
    FollowUpFactory(person=known, structure=structure)
    elsewhere = PersonFactory(last_name="Martin", first_name="Jean", birth_date=datetime.date(1991, 1, 1))
    FollowUpFactory(person=elsewhere, structure=other_structure)
    rows = [row(), row(nom="Martin", prenom="Jean", date_naissance="1991-01-01", sexe="M")]
    result = parse(csv_bytes(rows), "p.csv", operation)
    assert participants_import(operation=operation, rows=result.rows) == (2, 0)
    dupont = Participant.objects.get(last_name="Dupont")
    assert dupont.person == known  # "Élodie" matched "Elodie"
    martin = Participant.objects.get(last_name="Martin")
    assert martin.person != elsewhere  # never matched with a person the carrier does not follow
    created = martin.person
    assert created.gender == "MALE"
    followup = FollowUp.objects.get(person=created)
    assert (followup.structure, followup.kind, followup.is_lead) == (structure, FollowUpKind.EMPLOYMENT, True)
    # A re-import neither duplicates persons nor participants.
    participants_import(operation=operation, rows=parse(csv_bytes(rows), "p.csv", operation).rows)
    assert Person.objects.count() == 3
    assert Participant.objects.count() == 2


def test_participant_detail_says_whether_the_person_is_visible(client, coordinator, person):
    participant = ParticipantFactory(person=person)
    client.force_login(coordinator)
    url = reverse("fse:participant_detail", args=[participant.operation_id, participant.pk])
    assert "que vous ne pouvez pas consulter" in client.get(url).content.decode()
    ConsentFactory(person=person, coordination=True)
    assert "vous pouvez le consulter" in client.get(url).content.decode()


def test_downloads_and_exports_are_audited(client, coordinator, operation):
    client.force_login(coordinator)
    client.get(reverse("fse:participant_export", args=[operation.pk, "csv"]))
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert (entry.user, entry.object_id, entry.detail) == (coordinator, str(operation.pk), "fse_participants_csv")


def test_a_person_created_by_an_import_is_found_by_first_name_last_name_and_shows_it_in_the_trail(
    client, structure, worker
):
    """Issue 10, item 5: imported people get every derived field, their audit entry and the change signal."""
    from parcours.signals import people_changed

    changed = []

    def receiver(sender, person_ids, **kwargs):
        changed.extend(person_ids)

    people_changed.connect(receiver, dispatch_uid="test_import_signal")
    try:
        operation = OperationFactory(carrier=structure)
        rows = [row(nom="Lefèvre", prenom="Zoé", date_naissance="1992-03-04", sexe="F")]
        assert participants_import(operation=operation, rows=parse(csv_bytes(rows), "p.csv", operation).rows) == (
            1,
            0,
        )
    finally:
        people_changed.disconnect(dispatch_uid="test_import_signal")
    created = Participant.objects.get().person
    assert list(Person.objects.search("zoe lefevre")) == [created]
    assert list(Person.objects.search("lefevre zoe")) == [created]
    assert changed == [created.pk]
    entry = AuditEntry.objects.for_person(created.pk).get()
    assert (entry.action, entry.object_id, entry.detail) == (
        Action.CREATE,
        str(operation.pk),
        f"fse_import:{operation.pk}",
    )
    # The person's access trail shows the import.
    client.force_login(MembershipFactory(admin=True).user)
    trail = client.get(reverse("parcours:person_trail", args=[created.pk])).content.decode()
    assert f"fse_import:{operation.pk}" in trail
    # The worker of the carrying structure finds the person with a "first last" search of the caseload.
    client.force_login(worker)
    response = client.post(reverse("parcours:person_list"), {"q": "Zoé Lefèvre"}, follow=True)
    assert f'href="{reverse("parcours:person_detail", args=[created.pk])}"' in response.content.decode()
