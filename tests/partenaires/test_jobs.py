import datetime

import pytest
from django.core import mail
from django.utils import timezone

from partenaires.models import DigestSubscription, Structure
from partenaires.services import action_digest_send, review_reminders_send
from partenaires.tasks import send_action_digest, send_review_reminders
from tests.accounts.factories import MembershipFactory
from tests.partenaires.factories import PartnerActionFactory, StructureFactory


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.mark.celery_worker
def test_review_reminder_job_with_a_real_worker(celery_worker):
    stale = StructureFactory(name="CHRS ancien", reviewed_on=days_ago(200))
    fresh = StructureFactory(name="CHRS à jour", reviewed_on=days_ago(10))
    manager = MembershipFactory(structure=stale, manager=True).user
    MembershipFactory(structure=stale, social_worker=True)  # not a manager: no mail
    MembershipFactory(structure=fresh, manager=True)

    assert send_review_reminders.delay().get(timeout=30) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email]
    assert "CHRS ancien" in message.subject
    assert f"/annuaire/structures/{stale.pk}/modifier/" in message.body

    # At most once a month: a second run the same week sends nothing.
    assert send_review_reminders.delay().get(timeout=30) == 0
    assert len(mail.outbox) == 1
    assert Structure.objects.get(pk=stale.pk).review_reminder_sent_at is not None


@pytest.mark.django_db
def test_reminder_again_after_a_month_and_never_after_review():
    stale = StructureFactory(reviewed_on=days_ago(200))
    MembershipFactory(structure=stale, manager=True)
    now = timezone.now()
    assert review_reminders_send(now=now) == 1
    assert review_reminders_send(now=now + datetime.timedelta(days=20)) == 0
    assert review_reminders_send(now=now + datetime.timedelta(days=31)) == 1
    stale.mark_reviewed()
    assert review_reminders_send(now=now + datetime.timedelta(days=70)) == 0


@pytest.mark.django_db
def test_structures_without_managers_are_skipped():
    StructureFactory(reviewed_on=None)
    assert review_reminders_send() == 0
    assert mail.outbox == []


@pytest.mark.celery_worker
def test_weekly_digest_with_a_real_worker(celery_worker):
    subscriber = MembershipFactory().user
    DigestSubscription.objects.create(user=subscriber)
    MembershipFactory()  # not subscribed
    PartnerActionFactory(title="Job dating du printemps", starts_on=timezone.localdate() + datetime.timedelta(days=5))
    PartnerActionFactory(title="Trop loin", starts_on=timezone.localdate() + datetime.timedelta(days=90))

    assert send_action_digest.delay().get(timeout=30) == 1
    assert [m.to for m in mail.outbox] == [[subscriber.email]]
    assert "Job dating du printemps" in mail.outbox[0].body
    assert "Trop loin" not in mail.outbox[0].body
    assert send_action_digest.delay().get(timeout=30) == 0


@pytest.mark.django_db
def test_no_digest_without_coming_actions(worker):
    DigestSubscription.objects.create(user=worker)
    assert action_digest_send() == 0
    assert mail.outbox == []
    PartnerActionFactory()
    assert action_digest_send(today=timezone.localdate()) == 1
    # A week later the subscriber is due again (the action, 7 days ahead, starts that day).
    assert action_digest_send(today=timezone.localdate() + datetime.timedelta(days=7)) == 1
