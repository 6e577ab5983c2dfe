import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from parcours import services
from parcours.models import FollowUp, Notification, ParcoursSettings, Person, Referral, ReferralTransition
from parcours.tasks import expire_referrals
from tests.accounts.factories import MembershipFactory
from tests.parcours.factories import EventFactory, FollowUpFactory, PersonFactory, ReferralFactory

today = timezone.localdate


@pytest.mark.django_db
def test_referral_send_accept_creates_the_followup(worker, person, structure, other_structure, outsider):
    referral = services.referral_send(
        person=person, by=worker, from_structure=structure, to_structure=other_structure, kind="EMPLOYMENT", motive="m"
    )
    assert Notification.objects.filter(structure=other_structure, kind="REFERRAL_RECEIVED").exists()
    with pytest.raises(PermissionDenied):
        services.referral_accept(referral=referral, by=worker)
    followup = services.referral_accept(referral=referral, by=outsider)
    assert followup.structure == other_structure
    assert followup.referent == outsider
    assert followup.ended_on is None
    assert list(referral.transitions.values_list("from_status", "to_status")) == [("", "SENT"), ("SENT", "ACCEPTED")]
    with pytest.raises(ValidationError):
        services.referral_refuse(referral=referral, by=outsider, reason="NO_CAPACITY")


@pytest.mark.django_db
def test_referral_send_refuses_bad_requests(worker, person, structure, other_structure, outsider):
    with pytest.raises(ValidationError):
        services.referral_send(
            person=person, by=worker, from_structure=structure, to_structure=structure, kind="HOUSING", motive="m"
        )
    with pytest.raises(ValidationError):
        services.referral_send(
            person=person,
            by=worker,
            from_structure=other_structure,
            to_structure=structure,
            kind="HOUSING",
            motive="m",
        )
    with pytest.raises(PermissionDenied):
        services.referral_send(
            person=person,
            by=outsider,
            from_structure=other_structure,
            to_structure=structure,
            kind="HOUSING",
            motive="m",
        )
    services.referral_send(
        person=person, by=worker, from_structure=structure, to_structure=other_structure, kind="HOUSING", motive="m"
    )
    with pytest.raises(ValidationError, match="attend déjà une réponse"):
        services.referral_send(
            person=person,
            by=worker,
            from_structure=structure,
            to_structure=other_structure,
            kind="HOUSING",
            motive="m",
        )


@pytest.mark.django_db
def test_referral_response_delay_is_configurable(worker, person, structure, other_structure):
    ParcoursSettings.objects.update_or_create(pk=1, defaults={"referral_response_days": 8})
    referral = services.referral_send(
        person=person, by=worker, from_structure=structure, to_structure=other_structure, kind="SOCIAL", motive="m"
    )
    assert referral.response_due_on == today() + dt.timedelta(days=8)


@pytest.mark.django_db
def test_last_contact_is_derived_from_contact_events(person, structure):
    old = EventFactory(person=person, structure=structure, at=timezone.now() - dt.timedelta(days=30))
    EventFactory(person=person, structure=structure, missed=True, at=timezone.now() - dt.timedelta(days=1))
    services.refresh_last_contact([person.pk])
    person.refresh_from_db()
    assert person.last_contact_at == old.at
    assert Person.objects.without_contact_since(today() - dt.timedelta(days=20)).filter(pk=person.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_expiry_job_with_a_real_worker_tells_the_sender(celery_worker, structure, other_structure):
    person = PersonFactory(followed_by=structure)
    sender = MembershipFactory(structure=structure).user
    old = ReferralFactory(
        person=person, from_structure=structure, sent_by=sender, to_structure=other_structure, days_ago=31
    )
    recent = ReferralFactory(
        person=person, from_structure=structure, to_structure=other_structure, kind="HOUSING", days_ago=10
    )
    assert expire_referrals.delay().get(timeout=30) == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("EXPIRED", "SENT")
    assert ReferralTransition.objects.filter(referral=old, to_status="EXPIRED").count() == 1
    assert Notification.objects.filter(kind="REFERRAL_EXPIRED", recipient=sender, referral=old).exists()
    assert expire_referrals.delay().get(timeout=30) == 0  # idempotent
    # the sender's e-mail goes through the worker too (delay_on_commit): a link, never a name
    for _ in range(50):
        if mail.outbox:
            break
        import time

        time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [[sender.email]]
    assert person.last_name not in mail.outbox[0].body


@pytest.mark.django_db
def test_person_create_service_guards(worker, structure, outsider, funder):
    with pytest.raises(PermissionDenied):
        services.person_create(
            by=funder,
            structure=structure,
            kind="HOUSING",
            last_name="A",
            first_name="B",
            birth_date=dt.date(1990, 1, 1),
        )
    with pytest.raises(ValidationError):
        services.person_create(
            by=worker,
            structure=structure,
            kind="HOUSING",
            last_name="A",
            first_name="B",
            birth_date=today() + dt.timedelta(1),
        )
    person = services.person_create(
        by=worker,
        structure=structure,
        kind="EMPLOYMENT",
        last_name="A",
        first_name="B",
        birth_date=dt.date(1990, 1, 1),
    )
    followup = FollowUp.objects.get(person=person)
    assert (followup.is_lead, followup.sharing_basis, followup.referent) == (True, "INSERTION_L263_4_1", worker)


@pytest.mark.django_db
def test_followup_end_and_objection_remove_the_view(worker, person, structure):
    followup = FollowUp.objects.get(person=person, structure=structure)
    services.followup_end(followup=followup, by=worker, ended_on=today(), end_reason="OBJECTION")
    assert not Person.objects.visible_to(worker).filter(pk=person.pk).exists()
    # The objection is a record of its own (privacy.md §4), not only an end reason.
    objection = person.objections.get()
    assert (objection.target_structure, objection.collected_by, objection.lifted_on) == (structure, worker, None)


@pytest.mark.django_db
def test_demo_seeder_is_idempotent():
    call_command("seed_demo")
    count = Person.objects.count()
    assert count >= 40
    assert set(Referral.objects.values_list("status", flat=True)) == {
        "SENT",
        "ACCEPTED",
        "REFUSED",
        "EXPIRED",
        "CANCELLED",
    }
    call_command("seed_demo")
    assert Person.objects.count() == count


def test_duplicate_similarity():
    from parcours.text import similar

    assert similar("moreau", "moreaux")
    assert similar("helene", "helen")
    assert not similar("martin", "bernard")
    assert not similar("", "abc")
    assert FollowUpFactory is not None


@pytest.mark.django_db
def test_referral_to_a_directory_service(client, worker, person, structure, other_structure):
    from django.urls import reverse

    from tests.partenaires.factories import ServiceFactory

    service = ServiceFactory(structure=other_structure, name="Chantier maraîcher")
    elsewhere = ServiceFactory(name="Ailleurs")
    client.force_login(worker)
    url = reverse("parcours:referral_create", args=[person.pk])
    data = {"to_structure": other_structure.pk, "kind": "EMPLOYMENT", "motive": "m", "from_structure": structure.pk}
    response = client.post(url, data | {"to_service": elsewhere.pk})
    assert "n&#x27;appartient pas à la structure destinataire" in response.content.decode()
    response = client.post(url, data | {"to_service": service.pk})
    referral = Referral.objects.get()
    assert referral.to_service == service
    assert "Chantier maraîcher" in client.get(response.url).content.decode()
