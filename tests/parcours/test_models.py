import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from parcours.enums import ConsentDecision, ConsentScope, HousingGroup
from parcours.models import Consent, Event, HousingSituation, Person
from tests.parcours.factories import (
    ConsentFactory,
    EmploymentSituationFactory,
    EventFactory,
    FollowUpFactory,
    HousingSituationFactory,
    PersonFactory,
    ReferralFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db
today = timezone.localdate


def _violates(name: str, make) -> None:
    with pytest.raises(IntegrityError, match=name), transaction.atomic():
        make()


def test_person_search_name_is_normalised():
    person = PersonFactory(last_name="Lefèvre-Hérault", first_name="Zoé")
    assert person.search_name == "lefevre herault zoe"
    person.first_name = "Chloé"
    person.save(update_fields=["first_name"])
    person.refresh_from_db()
    assert person.search_name == "lefevre herault chloe"


def test_person_search_ignores_accents_and_case():
    target = PersonFactory(last_name="Lefèvre", first_name="Zoé")
    PersonFactory(last_name="Martin", first_name="Paul")
    assert list(Person.objects.search("LEFEVRE zoe")) == [target]
    assert list(Person.objects.search("zoé")) == [target]
    assert list(Person.objects.search("fevre")) == []


def test_housing_periods_are_coherent():
    person = PersonFactory()
    _violates(
        "parcours_housing_end_after_start",
        lambda: HousingSituationFactory(person=person, started_on=today(), ended_on=today() - dt.timedelta(days=1)),
    )
    _violates(
        "parcours_housing_planned_end_after_start",
        lambda: HousingSituationFactory(person=person, started_on=today(), planned_end_on=today() - dt.timedelta(1)),
    )
    HousingSituationFactory(person=person)
    _violates("parcours_housing_one_open", lambda: HousingSituationFactory(person=person))
    HousingSituationFactory(person=person, closed=True)  # a closed period may coexist


def test_housing_group_and_in_groups():
    situation = HousingSituationFactory(hotel=True)
    assert situation.housing_group == HousingGroup.EMERGENCY
    assert list(HousingSituation.objects.in_groups(HousingGroup.EMERGENCY)) == [situation]
    assert not HousingSituation.objects.in_groups(HousingGroup.STREET).exists()


def test_employment_and_resource_periods():
    _violates(
        "parcours_employment_end_after_start",
        lambda: EmploymentSituationFactory(started_on=today(), ended_on=today() - dt.timedelta(days=3)),
    )
    _violates("parcours_resource_amount_positive", lambda: ResourceFactory(monthly_amount=-1))
    person = PersonFactory()
    EmploymentSituationFactory(person=person, iae=True)
    EmploymentSituationFactory(person=person, employed=True)  # two open jobs are allowed
    assert person.employment_situations.open().in_work_or_training().count() == 2


def test_one_open_lead_and_one_open_followup_per_kind(structure, other_structure):
    person = PersonFactory()
    FollowUpFactory(person=person, structure=structure, lead=True)
    _violates(
        "parcours_followup_one_lead", lambda: FollowUpFactory(person=person, structure=other_structure, lead=True)
    )
    _violates("parcours_followup_one_open_per_kind", lambda: FollowUpFactory(person=person, structure=structure))
    _violates(
        "parcours_followup_end_reason_with_end",
        lambda: FollowUpFactory(person=person, structure=other_structure, ended_on=today()),
    )


def test_appointment_needs_a_status_and_only_it():
    _violates("parcours_event_appointment_has_status", lambda: EventFactory(kind="APPOINTMENT", status=""))
    _violates("parcours_event_status_only_for_appointments", lambda: EventFactory(kind="NOTE", status="MISSED"))


def test_contacts_are_honoured_appointments_interviews_and_calls_with_the_person():
    person = PersonFactory()
    honoured = EventFactory(person=person, honoured=True)
    interview = EventFactory(person=person)
    call = EventFactory(person=person, call=True)
    EventFactory(person=person, call=True, with_person=False)
    EventFactory(person=person, missed=True)
    EventFactory(person=person, note=True)
    assert set(Event.objects.contacts()) == {honoured, interview, call}
    assert all(e.is_contact for e in (honoured, interview, call))


def test_consent_ledger_keeps_one_current_row_per_scope():
    person = PersonFactory()
    first = ConsentFactory(person=person, partners=True)
    ConsentFactory(person=person, coordination=True)
    withdrawal = ConsentFactory(person=person, partners=True, withdrawn=True)
    first.refresh_from_db()
    assert not first.is_current
    assert withdrawal.is_current
    assert Consent.objects.filter(person=person).count() == 3
    assert not Consent.objects.active(ConsentScope.PARTNERS).filter(person=person).exists()
    assert Consent.objects.active(ConsentScope.COORDINATION).filter(person=person).exists()
    assert dict(Consent.objects.current().filter(person=person).values_list("scope", "decision")) == {
        ConsentScope.PARTNERS: ConsentDecision.WITHDRAWN,
        ConsentScope.COORDINATION: ConsentDecision.GIVEN,
    }


def test_referral_constraints(structure, other_structure):
    person = PersonFactory()
    _violates(
        "parcours_referral_other_structure",
        lambda: ReferralFactory(person=person, from_structure=structure, to_structure=structure),
    )
    _violates(
        "parcours_referral_refusal_has_reason",
        lambda: ReferralFactory(person=person, refused=True, refusal_reason=""),
    )
    _violates(
        "parcours_referral_other_reason_has_detail",
        lambda: ReferralFactory(person=person, refused=True, refusal_reason="OTHER"),
    )
    ReferralFactory(person=person, from_structure=structure, to_structure=other_structure)
    _violates(
        "parcours_referral_one_pending",
        lambda: ReferralFactory(person=person, from_structure=structure, to_structure=other_structure),
    )


def test_changes_are_kept_with_before_and_after_values():
    person = PersonFactory(last_name="Avant")
    person.last_name = "Après"
    person.save()
    history = list(person.history.order_by("pgh_id").values_list("pgh_label", "last_name"))
    assert history == [("insert", "Avant"), ("update", "Après")]
