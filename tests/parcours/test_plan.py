"""The shared action plan (issue 13): who edits it, the bad inputs, ◆ objectives, suggestions from the barriers,
the optimistic lock, the signable PDF and constant query counts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.locking import EDIT_CONFLICT_MESSAGE
from parcours.models import Action, HouseholdMember, Objective
from tests.accounts.factories import MembershipFactory
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import (
    ActionFactory,
    FollowUpFactory,
    HouseholdFactory,
    HouseholdMemberFactory,
    ObjectiveFactory,
    PersonFactory,
    ReferralFactory,
)
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def _objective(person, worker, structure, **kwargs):
    return services.objective_create(
        person=person, by=worker, structure=structure, theme=kwargs.pop("theme", "HOUSING"),
        statement=kwargs.pop("statement", "Accéder à un logement autonome"), **kwargs,
    )  # fmt: skip


class TestServices:
    def test_a_follower_adds_an_objective_and_an_action_owned_by_the_other_structure(
        self, person, worker, structure, employment_worker, employment_structure
    ):
        objective = _objective(person, worker, structure, target_on=today() + dt.timedelta(days=90))
        action = services.action_create(
            objective=objective, by=worker, title="Signer un CDDI", owner_structure=employment_structure,
            due_on=today() + dt.timedelta(days=10), referent=employment_worker,
        )  # fmt: skip
        assert action.person == person
        assert action.status == "PLANNED"
        assert set(objective.structures.values_list("pk", flat=True)) == {structure.pk, employment_structure.pk}
        # The employment follower edits it too ("any follower with write access").
        updated = services.action_update(
            action=action, by=employment_worker, lock_version=action.lock_version,
            fields={"status": "DONE", "outcome": "CDDI signé."},
        )  # fmt: skip
        assert updated.status == "DONE"
        assert updated.completed_at is not None

    def test_an_owner_structure_that_does_not_follow_is_refused_unless_invited(self, person, worker, structure):
        objective = _objective(person, worker, structure)
        stranger = StructureFactory(name="Mission locale (test)")
        with pytest.raises(ValidationError, match="n'accompagne pas la personne"):
            services.action_create(
                objective=objective, by=worker, title="Atelier CV", owner_structure=stranger,
                due_on=today() + dt.timedelta(days=5),
            )  # fmt: skip
        assert not Action.objects.exists()
        ReferralFactory(person=person, from_structure=structure, to_structure=stranger)
        services.action_create(
            objective=objective, by=worker, title="Atelier CV", owner_structure=stranger,
            due_on=today() + dt.timedelta(days=5),
        )  # fmt: skip
        assert Action.objects.get().owner_structure == stranger

    def test_a_due_date_before_the_objective_creation_is_refused(self, person, worker, structure):
        objective = _objective(person, worker, structure)
        with pytest.raises(ValidationError) as error:
            services.action_create(
                objective=objective, by=worker, title="Rendez-vous CAF", owner_structure=structure,
                due_on=today() - dt.timedelta(days=1),
            )  # fmt: skip
        assert "ne peut pas précéder la création de l'objectif" in str(error.value)

    def test_an_abandoned_objective_cannot_change_status(self, person, worker, structure):
        objective = _objective(person, worker, structure)
        with pytest.raises(ValidationError, match="motif de l'abandon"):
            services.objective_update(
                objective=objective, by=worker, lock_version=objective.lock_version, fields={"status": "ABANDONED"}
            )
        objective.refresh_from_db()
        objective = services.objective_update(
            objective=objective, by=worker, lock_version=objective.lock_version,
            fields={"status": "ABANDONED", "abandon_reason": "La personne a quitté le département."},
        )  # fmt: skip
        with pytest.raises(ValidationError, match="a été abandonné"):
            services.objective_update(
                objective=objective, by=worker, lock_version=objective.lock_version, fields={"status": "REACHED"}
            )
        with pytest.raises(ValidationError, match="a été abandonné"):
            services.action_create(
                objective=objective, by=worker, title="x", owner_structure=structure, due_on=today()
            )

    def test_a_stale_copy_is_refused_with_the_evaluations_message(self, person, worker, structure, colleague):
        objective = _objective(person, worker, structure)
        stale = objective.lock_version
        services.objective_update(objective=objective, by=colleague, lock_version=stale, fields={"statement": "A"})
        with pytest.raises(ValidationError) as error:
            services.objective_update(objective=objective, by=worker, lock_version=stale, fields={"statement": "B"})
        assert error.value.messages == [str(EDIT_CONFLICT_MESSAGE)]
        assert Objective.objects.get().statement == "A"

    def test_health_objectives_need_health_access(self, person, employment_worker, employment_structure):
        with pytest.raises(ValidationError, match="santé"):
            _objective(person, employment_worker, employment_structure, theme="HEALTH")

    def test_readers_without_write_access_cannot_edit(self, person, worker, structure, past_follower):
        objective = _objective(person, worker, structure)
        with pytest.raises(PermissionDenied):
            services.objective_update(
                objective=objective, by=past_follower, lock_version=objective.lock_version, fields={"statement": "x"}
            )


class TestPages:
    def test_plan_page_shows_objectives_and_hides_health_ones_from_shared_viewers(
        self, client, person, worker, structure, employment_worker, employment_structure
    ):
        ActionFactory(objective=ObjectiveFactory(person=person, created_by_structure=structure, statement="Logement"))
        ObjectiveFactory(person=person, created_by_structure=structure, health=True)
        client.force_login(worker)
        body = client.get(reverse("parcours:person_plan", args=[person.pk])).content.decode()
        assert "Logement" in body
        assert "Reprendre un suivi de santé" in body
        client.force_login(employment_worker)
        body = client.get(reverse("parcours:person_plan", args=[person.pk])).content.decode()
        assert "Logement" in body
        assert "Reprendre un suivi de santé" not in body
        health = Objective.objects.get(theme="HEALTH")
        url = reverse("parcours:objective_edit", args=[person.pk, health.pk])
        assert client.get(url).status_code == 404

    def test_suggestions_from_the_barriers_in_one_click(self, client, person, worker, structure):
        EvaluationFactory(
            person=person, structure=structure, complete=True, final=True,
            barriers={"MOBILITY": ["NO_LICENCE"], "HEALTH": ["HEALTH_CONSTRAINT"]},
        )  # fmt: skip
        client.force_login(worker)
        url = reverse("parcours:person_plan", args=[person.pk])
        body = client.get(url).content.decode()
        assert "Ajouter l'objectif suggéré : Mobilité" in body
        assert "Aucun objectif" in body
        response = client.post(reverse("parcours:objective_suggest", args=[person.pk]), {"barrier": "MOBILITY"})
        assert response.status_code == 302
        objective = Objective.objects.get()
        assert (objective.theme, objective.barrier_theme) == ("MOBILITY", "MOBILITY")
        assert "Pas de permis" in objective.statement
        body = client.get(url).content.decode()
        assert "Ajouter l'objectif suggéré : Mobilité" not in body  # addressed now
        # An unknown or inactive barrier: a message, nothing created.
        client.post(reverse("parcours:objective_suggest", args=[person.pk]), {"barrier": "DIGITAL"})
        assert Objective.objects.count() == 1

    def test_the_health_barrier_is_not_suggested_without_health_access(
        self, client, person, structure, employment_worker
    ):
        EvaluationFactory(
            person=person, structure=structure, complete=True, final=True, barriers={"HEALTH": ["HEALTH_CONSTRAINT"]}
        )
        client.force_login(employment_worker)
        body = client.get(reverse("parcours:person_plan", args=[person.pk])).content.decode()
        assert "Santé" not in body
        client.post(reverse("parcours:objective_suggest", args=[person.pk]), {"barrier": "HEALTH"})
        assert not Objective.objects.exists()

    def test_forms_through_the_pages_and_the_lock_message(self, client, person, worker, structure):
        client.force_login(worker)
        response = client.post(
            reverse("parcours:objective_create", args=[person.pk]),
            {"theme": "EMPLOYMENT", "statement": "Trouver un emploi", "structures": [structure.pk]},
        )
        assert response.status_code == 302
        objective = Objective.objects.get()
        url = reverse("parcours:action_create", args=[person.pk, objective.pk])
        response = client.post(url, {"title": "Atelier", "owner_structure": structure.pk, "due_on": "2000-01-01"})
        assert response.status_code == 400
        assert "ne peut pas précéder la création de l&#x27;objectif" in response.content.decode()
        stranger = StructureFactory()
        response = client.post(url, {"title": "Atelier", "owner_structure": stranger.pk, "due_on": today()})
        assert "n&#x27;accompagne pas la personne" in response.content.decode()
        response = client.post(url, {"title": "Atelier", "owner_structure": structure.pk, "due_on": today()})
        assert response.status_code == 302
        action = Action.objects.get()
        edit = reverse("parcours:action_edit", args=[person.pk, action.pk])
        data = {"title": "Atelier", "owner_structure": structure.pk, "due_on": today(), "status": "DONE",
                "outcome": "", "not_done_reason": "", "lock_version": action.lock_version}  # fmt: skip
        assert client.post(edit, data).status_code == 302
        response = client.post(edit, data)  # the same, stale copy
        assert response.status_code == 400
        assert "Quelqu&#x27;un a enregistré ce brouillon" in response.content.decode()
        response = client.post(edit, data | {"lock_version": "x"})  # forged: a form error, never a 500
        assert response.status_code == 400

    def test_the_plan_prints_as_a_pdf(self, client, person, worker, structure):
        ActionFactory(objective=ObjectiveFactory(person=person, created_by_structure=structure))
        client.force_login(worker)
        response = client.get(reverse("parcours:plan_pdf", args=[person.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert person.last_name not in response["Content-Disposition"]

    def test_outsiders_get_404(self, client, person, outsider, funder):
        for user in (outsider, funder):
            client.force_login(user)
            assert client.get(reverse("parcours:person_plan", args=[person.pk])).status_code == 404
            assert client.get(reverse("parcours:person_activity", args=[person.pk])).status_code == 404

    def test_plan_query_count_is_constant(self, client, person, worker, structure, django_assert_num_queries):
        other = StructureFactory()
        FollowUpFactory(person=person, structure=other, employment=True)
        EvaluationFactory(person=person, structure=structure, complete=True, final=True, barriers={"MOBILITY": []})
        ActionFactory(objective=ObjectiveFactory(person=person, created_by_structure=structure))
        client.force_login(worker)
        url = reverse("parcours:person_plan", args=[person.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for _ in range(20):
            objective = ObjectiveFactory(person=person, created_by_structure=structure)
            objective.structures.add(structure, other)
            ActionFactory(objective=objective, owner_structure=other, referent=MembershipFactory(structure=other).user)
            ActionFactory(objective=objective, overdue=True)
        with django_assert_num_queries(len(one.captured_queries)):
            client.get(url)


def test_activity_feed_query_count_is_constant(client, person, worker, structure, django_assert_num_queries):
    other = StructureFactory()
    FollowUpFactory(person=person, structure=other, employment=True)
    objective = ObjectiveFactory(person=person, created_by_structure=structure)
    action = ActionFactory(objective=objective, owner_structure=other)
    services.record_activity(person=person, kind="ACTION_ASSIGNED", by=worker, structure=structure, action=action,
                             objective=objective, to_structures=[other])  # fmt: skip
    client.force_login(worker)
    url = reverse("parcours:person_activity", args=[person.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for kind in ["CONTRACT_SIGNED", "HOUSING_EXIT", "OBJECTIVE_REACHED", "ACTION_COMPLETED", "REFERRAL_ACCEPTED"] * 8:
        referral = ReferralFactory(person=person, from_structure=structure, to_structure=StructureFactory())
        services.record_activity(person=person, kind=kind, by=worker, structure=structure, objective=objective,
                                 action=action, referral=referral, facts={"on": "2026-01-02"})  # fmt: skip
    with django_assert_num_queries(len(one.captured_queries)):
        body = client.get(url).content.decode()
    assert "Contrat signé" in body


def test_a_person_not_followed_by_a_structure_is_not_a_plan_owner(person, worker, structure):
    unrelated = PersonFactory()
    FollowUpFactory(person=unrelated, structure=StructureFactory())
    with pytest.raises((PermissionDenied, ValidationError)):
        _objective(unrelated, worker, structure)


def test_an_action_stays_editable_after_its_owner_stopped_following(
    person, worker, structure, employment_worker, employment_structure
):
    objective = _objective(person, worker, structure)
    action = services.action_create(
        objective=objective, by=worker, title="Atelier", owner_structure=employment_structure, due_on=today()
    )
    employment_structure.followups.filter(person=person).update(ended_on=today(), end_reason="COMPLETED")
    with pytest.raises(ValidationError, match="pourquoi"):
        services.action_update(
            action=action, by=worker, lock_version=action.lock_version, fields={"status": "NOT_DONE"}
        )
    updated = services.action_update(
        action=action, by=worker, lock_version=action.lock_version,
        fields={"status": "NOT_DONE", "not_done_reason": "La structure a terminé son accompagnement.",
                "owner_structure": employment_structure},
    )  # fmt: skip
    assert updated.status == "NOT_DONE"


class TestHouseholdObjectives:
    """An objective that concerns the household shows on the plan of every member the user sees, never naming a
    member the user may not see; it is edited from its owner's plan only."""

    @pytest.fixture
    def family(self, person, structure, other_structure):
        """`person` (head), `partner` followed by `structure` too, `hidden` followed only by `other_structure`."""
        household = HouseholdFactory(household_type="COUPLE_WITH_CHILDREN")
        partner = PersonFactory(last_name="Martin", first_name="Paul")
        FollowUpFactory(person=partner, structure=structure, housing=True)
        hidden = PersonFactory(last_name="Secretan", first_name="Iris")
        FollowUpFactory(person=hidden, structure=other_structure, housing=True)
        for member, role in ((person, "HEAD"), (partner, "PARTNER"), (hidden, "CHILD")):
            HouseholdMemberFactory(household=household, person=member, role=role)
        return household, partner, hidden

    def test_a_household_objective_shows_on_every_visible_member_plan(
        self, client, person, worker, structure, outsider, family
    ):
        household, partner, hidden = family
        shared = ObjectiveFactory(person=person, created_by_structure=structure, household=household,
                                  statement="Trouver un T4 pour la famille")  # fmt: skip
        ActionFactory(objective=shared, title="Déposer la demande de logement social")
        ObjectiveFactory(person=person, created_by_structure=structure, statement="Objectif personnel d'Élise")
        ObjectiveFactory(person=person, created_by_structure=structure, household=household, health=True)

        client.force_login(worker)
        own = client.get(reverse("parcours:person_plan", args=[person.pk])).content.decode()
        assert "Trouver un T4 pour la famille" in own
        assert "Reprendre un suivi de santé" in own
        body = client.get(reverse("parcours:person_plan", args=[partner.pk])).content.decode()
        assert "Trouver un T4 pour la famille" in body
        assert "Déposer la demande de logement social" in body
        assert "Objectif personnel d'Élise" not in body  # not a household objective
        assert "Reprendre un suivi de santé" in body  # health access to both members
        # Told whose plan it belongs to, with a link, but edited there only.
        assert reverse("parcours:person_plan", args=[person.pk]) in body
        assert "DURAND" in body
        assert reverse("parcours:objective_edit", args=[partner.pk, shared.pk]) not in body
        assert reverse("parcours:action_create", args=[partner.pk, shared.pk]) not in body
        assert "/modifier/" not in body
        # The member the worker may not see: no plan, and never named.
        assert client.get(reverse("parcours:person_plan", args=[hidden.pk])).status_code == 404
        assert "Secretan" not in body
        assert "SECRETAN" not in body

        # The other structure sees only `hidden`: the objective shows on their plan without naming its owner.
        client.force_login(outsider)
        body = client.get(reverse("parcours:person_plan", args=[hidden.pk])).content.decode()
        assert "Trouver un T4 pour la famille" in body
        assert "Durand" not in body
        assert "DURAND" not in body
        assert reverse("parcours:person_plan", args=[person.pk]) not in body
        assert "Objectif du ménage inscrit au plan d'un autre membre du ménage." in body
        assert "Reprendre un suivi de santé" not in body  # ◆ of a member they do not see
        assert client.get(reverse("parcours:person_plan", args=[person.pk])).status_code == 404

    def test_a_former_member_no_longer_sees_the_household_objectives(self, client, person, worker, structure, family):
        household, partner, _hidden = family
        ObjectiveFactory(person=person, created_by_structure=structure, household=household,
                         statement="Trouver un T4 pour la famille")  # fmt: skip
        HouseholdMember.objects.filter(person=partner).update(left_on=today())
        client.force_login(worker)
        body = client.get(reverse("parcours:person_plan", args=[partner.pk])).content.decode()
        assert "Trouver un T4 pour la famille" not in body

    def test_an_employment_only_viewer_sees_no_health_household_objective(
        self, client, person, structure, employment_worker, employment_structure, family
    ):
        household, partner, _hidden = family
        FollowUpFactory(person=partner, structure=employment_structure, employment=True)
        ObjectiveFactory(person=person, created_by_structure=structure, household=household, health=True)
        ObjectiveFactory(person=person, created_by_structure=structure, household=household,
                         statement="Trouver un T4 pour la famille")  # fmt: skip
        client.force_login(employment_worker)
        body = client.get(reverse("parcours:person_plan", args=[partner.pk])).content.decode()
        assert "Trouver un T4 pour la famille" in body
        assert "Reprendre un suivi de santé" not in body

    def test_the_query_count_does_not_grow_with_household_objectives(
        self, client, person, worker, structure, family, django_assert_num_queries
    ):
        household, partner, hidden = family
        ActionFactory(objective=ObjectiveFactory(person=person, created_by_structure=structure, household=household))
        client.force_login(worker)
        url = reverse("parcours:person_plan", args=[partner.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for owner in [person, hidden] * 10:
            objective = ObjectiveFactory(person=owner, created_by_structure=structure, household=household)
            objective.structures.add(structure)
            ActionFactory(objective=objective, referent=worker)
        with django_assert_num_queries(len(one.captured_queries)):
            body = client.get(url).content.decode()
        assert body.count("Objectif du ménage inscrit au plan de") == 11
        assert body.count("Objectif du ménage inscrit au plan d'un autre membre du ménage.") == 10
