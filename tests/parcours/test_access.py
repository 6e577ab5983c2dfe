"""The access policy against privacy.md §3, rule by rule, for the QuerySets and the object helpers alike."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from alerts.models import Alert
from parcours.access import ensure_can_write, file_visible_q, get_access, get_visible_person_or_404
from parcours.enums import AccessLevel
from parcours.models import Person, Referral
from tests.alerts.factories import AlertFactory
from tests.parcours.factories import ConsentFactory, FollowUpFactory, ReferralFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _level(user, person):
    """The level from the object helper, checked against the QuerySets."""
    access = get_access(user, person)
    assert Person.objects.visible_to(user).filter(pk=person.pk).exists() == access.is_visible
    assert Person.objects.writable_by(user).filter(pk=person.pk).exists() == access.can_write
    # The filters other apps derive from (issue 10): the file (not the REFERRAL-only view), and the referrals.
    file_visible = Person.objects.filter(file_visible_q(user), pk=person.pk).exists()
    assert file_visible == (access.level in (AccessLevel.FULL, AccessLevel.SHARED))
    assert set(
        Referral.objects.visible_to(user).filter(person=person, status="SENT").values_list("pk", flat=True)
    ) >= set(access.referral_ids)
    return access.level, access.can_write


def test_r1_structure_following_sees_full_and_writes(person, worker, colleague):
    assert _level(worker, person) == (AccessLevel.FULL, True)
    assert _level(colleague, person) == (AccessLevel.FULL, True)


def test_r1_employment_only_follower_sees_shared_without_health_items(person, employment_worker):
    assert _level(employment_worker, person) == (AccessLevel.SHARED, True)
    access = get_access(employment_worker, person)
    assert not access.shows_resource_kind("AAH")
    assert access.shows_resource_kind("RSA")


def test_health_to_employment_consent_shows_aah_but_not_ij(person, employment_worker):
    ConsentFactory(person=person, health_to_employment=True)
    access = get_access(employment_worker, person)
    assert access.shows_resource_kind("AAH")
    assert not access.shows_resource_kind("IJ")


def test_r1_past_follower_reads_only(person, past_follower):
    assert _level(past_follower, person) == (AccessLevel.FULL, False)
    with pytest.raises(PermissionDenied):
        ensure_can_write(past_follower, person)


def test_r2_referral_recipient_sees_only_the_referral_view(person, outsider, referral_recipient):
    assert _level(outsider, person) == (AccessLevel.REFERRAL, False)
    with pytest.raises(Http404):
        get_visible_person_or_404(outsider, person.pk)
    assert get_visible_person_or_404(outsider, person.pk, allow_referral_view=True).access.is_referral_only
    referral_recipient.status = "REFUSED"
    referral_recipient.refusal_reason = "NO_CAPACITY"
    referral_recipient.answered_at = referral_recipient.sent_at
    referral_recipient.save()
    assert _level(outsider, person) == (None, False)


def test_r3_partners_consent_opens_a_shared_read_only_view(person, outsider, partners_consent):
    assert _level(outsider, person) == (AccessLevel.SHARED, False)
    ConsentFactory(person=person, partners=True, withdrawn=True)
    assert _level(outsider, person) == (None, False)


def test_r4_coordinator_needs_the_coordination_consent(person, coordinator, partners_consent):
    assert _level(coordinator, person) == (None, False)
    ConsentFactory(person=person, coordination=True)
    assert _level(coordinator, person) == (AccessLevel.SHARED, False)
    ConsentFactory(person=person, coordination=True, refused=True)
    assert _level(coordinator, person) == (None, False)


def test_r6_r10_funder_and_admin_see_nobody(person, funder, admin_user, partners_consent, coordination_consent):
    assert _level(funder, person) == (None, False)
    assert _level(admin_user, person) == (None, False)
    with pytest.raises(Http404):
        get_visible_person_or_404(funder, person.pk)


def test_r11_objection_removes_the_past_view(person, other_structure, outsider):
    FollowUpFactory(person=person, structure=other_structure, employment=True, ended=True)
    assert _level(outsider, person) == (AccessLevel.SHARED, False)
    FollowUpFactory(person=person, structure=other_structure, social=True, objection=True)
    assert _level(outsider, person) == (None, False)


def test_r11_objection_then_a_referral_gives_the_referral_view_only(person, structure, other_structure, outsider):
    """A structure that lost its view by objection and then receives a referral sees the referral, not the
    file: neither the alerts nor the evaluations of the person (the alerts' old copy of the rule showed them)."""
    FollowUpFactory(person=person, structure=other_structure, social=True, objection=True)
    ReferralFactory(person=person, from_structure=structure, to_structure=other_structure)
    assert _level(outsider, person) == (AccessLevel.REFERRAL, False)
    AlertFactory(person=person)
    assert not Alert.objects.visible_to(outsider).exists()


def test_restricted_file_is_read_only_for_everyone(person, worker):
    person.restricted = True
    person.save()
    assert _level(worker, person) == (AccessLevel.FULL, False)


def test_unrelated_worker_and_anonymous_see_nothing(person, outsider, user_without_membership):
    from django.contrib.auth.models import AnonymousUser

    assert _level(outsider, person) == (None, False)
    assert _level(user_without_membership, person) == (None, False)
    assert not Person.objects.visible_to(AnonymousUser()).exists()
    with pytest.raises(Http404):
        get_visible_person_or_404(outsider, person.pk)
    with pytest.raises(Http404):
        get_visible_person_or_404(outsider, "abc")


def test_health_resources_follow_the_view(person, worker, employment_worker):
    ResourceFactory(person=person, aah=True)
    assert get_access(worker, person).shows_resource_kind("AAH")
    assert get_access(employment_worker, person).hidden_resource_kinds() == ["AAH", "IJ"]


def test_rqth_aah_only_for_followers_under_the_health_to_employment_consent(
    person, outsider, coordinator, employment_worker, other_structure
):
    """Issue 11: RQTH and AAH went to every view but REFERRAL (partners and coordinators included)."""
    ConsentFactory(person=person, partners=True)
    ConsentFactory(person=person, coordination=True)
    ConsentFactory(person=person, health_to_employment=True)
    partner = get_access(outsider, person)
    assert partner.level == AccessLevel.SHARED
    assert not partner.rqth_aah
    assert not partner.shows_resource_kind("AAH")
    coordinator_access = get_access(coordinator, person)
    assert coordinator_access.level == AccessLevel.SHARED
    assert not coordinator_access.rqth_aah
    assert get_access(employment_worker, person).rqth_aah


def test_rqth_aah_needs_the_consent_for_employment_referents(person, employment_worker):
    assert not get_access(employment_worker, person).rqth_aah


def test_partner_page_hides_the_aah_amount(client, person, outsider):
    ConsentFactory(person=person, partners=True)
    ConsentFactory(person=person, health_to_employment=True)
    ResourceFactory(person=person, aah=True, monthly_amount=1234)
    client.force_login(outsider)
    body = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert "DURAND" in body
    assert "1234" not in body
    assert "1 234" not in body
