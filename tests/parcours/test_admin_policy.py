"""privacy.md R10: administrators see no file. The admin of person data applies the access policy, with no
superuser exception; structures, accounts, settings rows and the audit trail stay usable."""

import pytest
from django.urls import reverse

from alerts.models import AlertSettings
from audit.models import Action, AuditEntry
from parcours.models import ParcoursSettings
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.alerts.factories import AlertFactory
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import (
    ConsentFactory,
    EmploymentSituationFactory,
    EventFactory,
    HouseholdMemberFactory,
    HousingRequestFactory,
    HousingSituationFactory,
    PassIaeFactory,
    ReferralFactory,
    ResourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    """A superuser with no membership at all."""
    return UserFactory(is_staff=True, is_superuser=True, first_name="Ada", last_name="Admin")


@pytest.fixture
def rows(person, structure, other_structure, worker):
    """One row of each person-data model, all about `person` (followed by `structure`)."""
    member = HouseholdMemberFactory(person=person)
    return {
        "person": person,
        "household": member.household,
        "householdmember": member,
        "followup": person.followups.get(),
        "consent": ConsentFactory(person=person, partners=True),
        "housingsituation": HousingSituationFactory(person=person),
        "employmentsituation": EmploymentSituationFactory(person=person),
        "resource": ResourceFactory(person=person),
        "passiae": PassIaeFactory(person=person),
        "housingrequest": HousingRequestFactory(person=person),
        "event": EventFactory(person=person, structure=structure, author=worker),
        "referral": ReferralFactory(person=person, from_structure=structure, to_structure=other_structure),
        "alert": AlertFactory(person=person),
        "evaluation": EvaluationFactory(
            person=person,
            structure=structure,
            author=worker,
            complete=True,
            final=True,
            rqth_status="YES",
            barriers={"HEALTH": ["HEALTH_CONSTRAINT"]},
        ),
    }


def _admin_url(obj, view):
    meta = obj._meta
    args = [obj.pk] if view == "change" else []
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def test_a_superuser_without_membership_sees_no_person_data(client, superuser, rows):
    client.force_login(superuser)
    for name, obj in rows.items():
        changelist = client.get(_admin_url(obj, "changelist"))
        assert changelist.status_code == 200, name
        assert changelist.context["cl"].result_count == 0, name
        assert "Durand" not in changelist.content.decode(), name
        change = client.get(_admin_url(obj, "change"))
        assert change.status_code in (302, 404), name  # "does not exist": back to the admin index
        assert "Durand" not in client.get(_admin_url(obj, "change"), follow=True).content.decode(), name


def test_a_superuser_who_follows_the_person_sees_it_in_the_admin(client, superuser, structure, rows):
    MembershipFactory(user=superuser, structure=structure, social_worker=True)
    client.force_login(superuser)
    for name, obj in rows.items():
        assert client.get(_admin_url(obj, "changelist")).context["cl"].result_count == 1, name
        assert client.get(_admin_url(obj, "change")).status_code == 200, name


def test_the_admin_stays_usable_for_structures_accounts_settings_and_audit(client, superuser, structure, worker):
    client.force_login(superuser)
    ParcoursSettings.load()
    AlertSettings.objects.get_or_create(pk=1)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(_admin_url(structure, "change")).status_code == 200
    assert client.get(_admin_url(worker, "change")).status_code == 200
    assert client.get(_admin_url(ParcoursSettings.load(), "change")).status_code == 200
    assert client.get(_admin_url(AlertSettings.objects.get(pk=1), "change")).status_code == 200
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200


def test_a_superuser_sees_no_evaluation_nor_its_health_items(client, superuser, rows):
    """The finding of issue 11: /admin/evaluations/evaluation/<id>/change/ showed the person and RQTH."""
    client.force_login(superuser)
    evaluation = rows["evaluation"]
    changelist = client.get(_admin_url(evaluation, "changelist"))
    assert changelist.context["cl"].result_count == 0
    body = client.get(_admin_url(evaluation, "change"), follow=True).content.decode()
    assert "Durand" not in body
    assert "RQTH" not in body


@pytest.mark.parametrize(
    "who", ["employment_worker", "past_follower_no_health", "referral_receiver", "partner", "coordinator_staff"]
)
def test_only_a_full_view_shows_person_data_in_the_admin(client, rows, person, other_structure, who, request):
    """SHARED and REFERRAL views never open the admin's complete rows (◆ items, private data)."""
    from tests.parcours.factories import ConsentFactory, FollowUpFactory
    from tests.partenaires.factories import StructureFactory

    if who == "employment_worker":
        user = request.getfixturevalue("employment_worker")
    elif who == "past_follower_no_health":
        past = StructureFactory(name="Mission locale (test)")
        FollowUpFactory(person=person, structure=past, employment=True, ended=True)
        user = MembershipFactory(structure=past, counsellor=True).user
    elif who == "referral_receiver":  # `rows` holds a pending referral to `other_structure`
        user = MembershipFactory(structure=other_structure, counsellor=True).user
    elif who == "partner":
        ConsentFactory(person=person, partners=True)
        user = MembershipFactory(structure=StructureFactory(), social_worker=True).user
    else:
        ConsentFactory(person=person, coordination=True)
        user = MembershipFactory(coordinator=True).user
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    for name, obj in rows.items():
        assert client.get(_admin_url(obj, "changelist")).context["cl"].result_count == 0, (who, name)
        assert "Durand" not in client.get(_admin_url(obj, "change"), follow=True).content.decode(), (who, name)


def test_a_draft_of_another_structure_stays_out_of_the_admin(client, superuser, structure, person, other_structure):
    EvaluationFactory(person=person, structure=other_structure)
    MembershipFactory(user=superuser, structure=structure, social_worker=True)
    client.force_login(superuser)
    response = client.get("/admin/evaluations/evaluation/")
    assert response.context["cl"].result_count == 0


def test_person_data_is_read_only_in_the_admin(client, superuser, structure, rows):
    MembershipFactory(user=superuser, structure=structure, social_worker=True)
    client.force_login(superuser)
    person = rows["person"]
    response = client.post(_admin_url(person, "change"), {"last_name": "Changé", "first_name": "X"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.last_name == "Durand"
    assert client.get(reverse("admin:parcours_person_add")).status_code == 403


def test_admin_reads_of_person_data_are_audited(client, superuser, structure, rows):
    MembershipFactory(user=superuser, structure=structure, social_worker=True)
    client.force_login(superuser)
    evaluation = rows["evaluation"]
    client.get(_admin_url(evaluation, "changelist"))
    assert AuditEntry.objects.filter(
        user=superuser, action=Action.VIEW, detail="admin_changelist:evaluations.evaluation"
    ).exists()
    client.get(_admin_url(evaluation, "change"))
    entry = AuditEntry.objects.get(user=superuser, detail="admin_change:evaluations.evaluation")
    assert entry.person_id == rows["person"].pk
    assert entry.object_id == str(evaluation.pk)
    AuditEntry.objects.all().delete()
    client.get(_admin_url(rows["resource"], "change"))
    assert AuditEntry.objects.filter(user=superuser, person_id=rows["person"].pk, action=Action.VIEW).exists()
