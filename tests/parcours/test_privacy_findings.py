"""Issue 11 findings in the people app, each with the test that failed before its fix."""

import pytest
from django.urls import reverse
from django.utils import timezone

from parcours.models import FollowUp, Referral
from tests.parcours.factories import FollowUpFactory, ReferralFactory

pytestmark = pytest.mark.django_db


# --- the referral list keeps no name once the view is gone (R2, R11) ----------------------------------------
@pytest.mark.parametrize("status", ["refused", "expired", "cancelled"])
def test_a_closed_referral_no_longer_shows_the_name_to_the_receiver(client, person, structure, outsider, status):
    ReferralFactory(person=person, from_structure=structure, to_structure=outsider.memberships.get().structure)
    client.force_login(outsider)
    assert "DURAND" in client.get(reverse("parcours:referral_list")).content.decode()
    closed = {"status": status.upper(), "answered_at": timezone.now()}
    if status == "refused":
        closed["refusal_reason"] = "NO_CAPACITY"
    Referral.objects.filter(person=person).update(**closed)
    body = client.get(reverse("parcours:referral_list")).content.decode()
    assert "DURAND" not in body
    assert "Élise" not in body
    assert "Personne non visible" in body


def test_an_accepted_referral_keeps_the_name(client, person, structure, outsider):
    to = outsider.memberships.get().structure
    ReferralFactory(person=person, from_structure=structure, to_structure=to, accepted=True)
    FollowUpFactory(person=person, structure=to, employment=True)
    client.force_login(outsider)
    assert "DURAND" in client.get(reverse("parcours:referral_list")).content.decode()


def test_after_an_objection_the_sender_no_longer_sees_the_name(client, person, structure, worker, other_structure):
    ReferralFactory(person=person, from_structure=structure, to_structure=other_structure, refused=True)
    client.force_login(worker)
    assert "DURAND" in client.get(reverse("parcours:referral_list")).content.decode()
    FollowUp.objects.filter(person=person, structure=structure).update(
        ended_on=FollowUp.objects.get(person=person, structure=structure).started_on, end_reason="OBJECTION"
    )
    body = client.get(reverse("parcours:referral_list")).content.decode()
    assert "DURAND" not in body


# --- a NUL byte in any GET filter answers 400 -------------------------------------------------------------------
@pytest.mark.parametrize("params", [{"q": "Du\x00rand"}, {"statut\x00": "SENT"}, {"statut": "\x00"}])
def test_a_nul_byte_in_a_filter_is_refused_everywhere(client, worker, params):
    client.force_login(worker)
    for name in ("parcours:person_list", "parcours:referral_list"):
        response = client.get(reverse(name), params)
        assert response.status_code == 400, name
        assert "caractère invalide" in response.content.decode()


# --- every page of a person's file leaves a VIEW entry, forms and notice included (privacy.md §5) -------------
def test_every_person_page_is_audited(client, person, structure, other_structure, worker):
    """Walks every named URL of the people and evaluation apps (new ones included) with this person's ids."""
    from audit.models import Action, AuditEntry
    from tests.parcours.factories import (
        ConsentFactory,
        EventFactory,
        HousingRequestFactory,
        HousingSituationFactory,
        PassIaeFactory,
    )
    from tests.parcours.test_url_leaks import kwargs_for, named_patterns

    ids = {
        "pk": person.pk,
        "person_id": person.pk,
        "situation_id": HousingSituationFactory(person=person, structure=structure).pk,
        "event_id": EventFactory(person=person, structure=structure, author=worker).pk,
        "consent_id": ConsentFactory(person=person, partners=True).pk,
        "followup_id": person.followups.get().pk,
        "referral_id": ReferralFactory(person=person, from_structure=structure, to_structure=other_structure).pk,
        "pass_iae_id": PassIaeFactory(person=person).pk,
        "request_id": HousingRequestFactory(person=person).pk,
        "str:kind": "hebergement",
    }
    client.force_login(worker)
    seen = []
    for name, pattern in named_patterns():
        if not name.startswith(("parcours:", "evaluations:")):
            continue
        kwargs = kwargs_for(pattern, ids)
        if not kwargs:
            continue  # lists: no single person
        url = reverse(name, kwargs=kwargs)
        AuditEntry.objects.all().delete()
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen.append(name)
        read = AuditEntry.objects.filter(user=worker, person_id=person.pk, action__in=[Action.VIEW, Action.DOWNLOAD])
        assert read.exists(), f"GET {name} ({url}) shows the file without an audit entry"
    for expected in ("parcours:person_edit", "parcours:person_notice", "parcours:event_create", "parcours:event_edit"):
        assert expected in seen


@pytest.mark.parametrize(
    "name", ["consent_create", "referral_create", "situation_create", "followup_end", "housing_request_create"]
)
def test_the_person_forms_are_audited(client, person, worker, name):
    from audit.models import Action, AuditEntry

    args = {"situation_create": [person.pk, "hebergement"], "followup_end": [person.pk, person.followups.get().pk]}
    client.force_login(worker)
    assert client.get(reverse(f"parcours:{name}", args=args.get(name, [person.pk]))).status_code == 200
    assert AuditEntry.objects.filter(user=worker, person_id=person.pk, action=Action.VIEW).exists()
