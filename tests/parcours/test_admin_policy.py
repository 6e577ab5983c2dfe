"""privacy.md R10: administrators see no file. The admin of person data applies the access policy, with no
superuser exception; structures, accounts, settings rows and the audit trail stay usable."""

import pytest
from django.urls import reverse

from alerts.models import AlertSettings
from parcours.models import ParcoursSettings
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.alerts.factories import AlertFactory
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
