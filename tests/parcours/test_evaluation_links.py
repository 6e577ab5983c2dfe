"""The evaluation carried into the housing request and the referral (issue 13), households, and the "Orienter"
buttons that pre-fill a referral."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluations import services as evaluation_services
from parcours import services
from parcours.models import Activity, HouseholdMember, HousingRequest
from tests.accounts.factories import MembershipFactory
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import (
    FollowUpFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    PersonFactory,
    ReferralFactory,
)
from tests.partenaires.factories import ServiceFactory, StructureFactory

pytestmark = pytest.mark.django_db

SYNTHESIS = {
    "job_readiness": "WITH_SUPPORT",
    "hours_constraints": ["NIGHT"],
    "workplace_commune_insee": "38185",
    "housing_near_workplace": True,
    "action_logement": "TO_CHECK",
    "recommended_housing_type": "SOCIAL_RESIDENCE",
    "rqth_status": "YES",
}


def final_evaluation(person, structure, **kwargs):
    return EvaluationFactory(
        person=person, structure=structure, complete=True, final=True, **(SYNTHESIS | kwargs),
        barriers={"MOBILITY": ["NO_LICENCE"], "HEALTH": ["HEALTH_CONSTRAINT"]},
    )  # fmt: skip


class TestHousingRequest:
    def test_linked_shown_copied_flagged_and_relinked(self, client, person, worker, structure):
        evaluation = final_evaluation(person, structure)
        request = services.housing_request_record(
            person=person, by=worker,
            housing_request=HousingRequest(kind="SIAO", filed_on=timezone.localdate(), reference="SIAO-1"),
        )  # fmt: skip
        assert request.linked_evaluation_id == evaluation.pk
        client.force_login(worker)
        url = reverse("parcours:housing_request_detail", args=[request.pk])
        body = client.get(url).content.decode()
        assert "Volet insertion professionnelle" in body
        assert "Éligible" not in body  # TO_CHECK
        assert "À vérifier avec l" in body
        assert "Résidence sociale" in body
        assert "38185" in body
        assert "Copier le volet insertion professionnelle" in body
        assert "RQTH" not in body  # never a ◆ item
        # A newer version finalised: the older request is « à mettre à jour », partners told.
        draft = EvaluationFactory(person=person, structure=structure, complete=True, author=worker,
                                  barriers={"MOBILITY": ["NO_LICENCE"]})  # fmt: skip
        newer = evaluation_services.evaluation_finalise(
            evaluation=draft, person=person, by=worker, lock_version=draft.lock_version
        )
        request.refresh_from_db()
        assert request.status == "TO_UPDATE"
        assert Activity.objects.filter(kind="EVALUATION_FINALISED", person=person).exists()
        body = client.get(url).content.decode()
        assert "Une évaluation plus récente a été finalisée" in body
        assert client.post(reverse("parcours:housing_request_relink", args=[request.pk])).status_code == 302
        request.refresh_from_db()
        assert (request.status, request.linked_evaluation_id) == ("ACTIVE", newer.pk)

    def test_outsiders_get_404(self, client, person, structure, outsider, funder):
        request = HousingRequest.objects.create(person=person, kind="SIAO", filed_on=timezone.localdate())
        for user in (outsider, funder):
            client.force_login(user)
            assert client.get(reverse("parcours:housing_request_detail", args=[request.pk])).status_code == 404
            response = client.post(reverse("parcours:housing_request_relink", args=[request.pk]))
            assert response.status_code == 404


class TestReferral:
    def test_the_referral_view_shows_the_synthesis_never_a_health_item(
        self, client, person, structure, outsider, other_structure
    ):
        final_evaluation(person, structure, worker_synthesis="Projet de chantier d'insertion.")
        referral = ReferralFactory(person=person, from_structure=structure, to_structure=other_structure)
        client.force_login(outsider)
        body = client.get(reverse("parcours:referral_detail", args=[referral.pk])).content.decode()
        assert "Synthèse de la dernière évaluation" in body
        assert "Mobilité" in body
        assert "Pas de permis" in body
        assert "Santé" not in body
        assert "RQTH" not in body
        assert "Une contrainte de santé existe" not in body

    def test_orienter_from_the_directory_prefills_and_offers_only_that_structures_services(
        self, client, person, worker, structure
    ):
        aci = StructureFactory(name="ACI Les Ateliers (test)")
        chantier = ServiceFactory(structure=aci, name="Chantier espaces verts")
        ServiceFactory(structure=StructureFactory(name="Autre (test)"), name="Service d'ailleurs")
        client.force_login(worker)
        body = client.get(reverse("partenaires:structure_detail", args=[aci.pk])).content.decode()
        start = reverse("parcours:referral_create")
        assert f"{start}?structure={aci.pk}" in body
        assert f"{start}?service={chantier.pk}" in body
        response = client.post(start + f"?service={chantier.pk}", {"person": person.pk, "service": chantier.pk})
        assert response.status_code == 302
        assert (
            response["Location"] == reverse("parcours:referral_create", args=[person.pk]) + f"?service={chantier.pk}"
        )
        body = client.get(response["Location"]).content.decode()
        assert f'<option value="{aci.pk}" selected>' in body
        assert "Chantier espaces verts" in body
        assert "Service d&#x27;ailleurs" not in body
        # Someone the worker does not follow cannot be chosen.
        stranger = PersonFactory(followed_by=StructureFactory())
        assert client.post(start, {"person": stranger.pk}).status_code == 400

    def test_orienter_on_the_synthesis_page(self, client, person, worker, structure):
        evaluation = final_evaluation(person, structure, recommended_orientation="IAE")
        client.force_login(worker)
        body = client.get(reverse("evaluations:evaluation_detail", args=[evaluation.pk])).content.decode()
        assert reverse("parcours:referral_create", args=[person.pk]) + "?type=EMPLOYMENT" in body


class TestHousehold:
    def test_members_visible_to_the_user_and_children_by_age(self, client, person, worker, structure):
        household = HouseholdFactory(household_type="COUPLE_WITH_CHILDREN")
        HouseholdMemberFactory(household=household, person=person)
        partner = PersonFactory(last_name="Partenaire", first_name="Visible", followed_by=structure)
        hidden = PersonFactory(last_name="Cache", first_name="Invisible", followed_by=StructureFactory())
        HouseholdMemberFactory(household=household, person=partner, role="PARTNER")
        HouseholdMemberFactory(household=household, person=hidden, role="OTHER")
        client.force_login(worker)
        response = client.post(
            reverse("parcours:household_member_add", args=[person.pk]), {"role": "CHILD", "child_age": 7}
        )
        assert response.status_code == 302
        assert HouseholdMember.objects.get(child_age=7).household == household
        body = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
        assert "PARTENAIRE Visible" in body
        assert "7 ans" in body
        assert "Invisible" not in body
        response = client.post(reverse("parcours:household_member_add", args=[person.pk]), {"role": "CHILD"})
        assert response.status_code == 400

    def test_a_stay_ending_concerns_every_member(self, person, structure, worker):
        from alerts import engine
        from alerts.models import Alert
        from tests.parcours.factories import HousingSituationFactory

        household = HouseholdFactory(household_type="COUPLE_WITH_CHILDREN")
        HouseholdMemberFactory(household=household, person=person)
        partner = PersonFactory(followed_by=structure)
        HouseholdMemberFactory(household=household, person=partner, role="PARTNER")
        stay = HousingSituationFactory(person=person, ending_in_days=20, structure=structure)
        engine.run(rules=["STAY_END"])
        keys = set(Alert.objects.open().filter(rule="STAY_END").values_list("person_id", "subject_key"))
        assert keys == {(person.pk, f"housingsituation:{stay.pk}"), (partner.pk, f"housingsituation:{stay.pk}")}
        assert Alert.objects.get(person=partner).facts["household"] is True
        stay.ended_on = timezone.localdate() - dt.timedelta(days=0)
        stay.end_reason = "MOVED_ON"
        stay.save()
        engine.run(rules=["STAY_END"])
        assert not Alert.objects.open().exists()


def test_other_members_cannot_be_attached_without_write_access(person, worker):
    other = PersonFactory()
    FollowUpFactory(person=other, structure=StructureFactory())
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.household_member_add(person=person, by=worker, role="PARTNER", member=other)
    assert MembershipFactory  # the cast factory stays importable for other tests
