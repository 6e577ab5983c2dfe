"""Partners told of each other's actions (issue 13): recipients, per-kind preferences (immediately, daily digest,
never) with a real worker, the « Fil d'activité » under the file's visibility, and e-mails without names."""

import datetime as dt
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parcours import services
from parcours.models import Activity, EmploymentSituation, Notification, NotificationPreference
from parcours.tasks import send_activity_digests
from tests.accounts.factories import MembershipFactory
from tests.parcours.factories import (
    ActionFactory,
    EmploymentSituationFactory,
    FollowUpFactory,
    HousingSituationFactory,
    ObjectiveFactory,
    PersonFactory,
    ReferralFactory,
)
from tests.partenaires.factories import StructureFactory


def wait_for(predicate, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def pair(structure, other_structure, worker, outsider):
    """A person followed by the CHRS (`worker`, lead) and the ACI (`outsider`, employment referent)."""
    person = PersonFactory(last_name="Zyxwvu", first_name="Nour")
    FollowUpFactory(person=person, structure=structure, housing=True, lead=True, referent=worker)
    FollowUpFactory(person=person, structure=other_structure, employment=True, referent=outsider)
    return person


@pytest.mark.django_db
class TestRecipients:
    def test_a_contract_signed_by_the_aci_tells_the_lead_referent(self, pair, worker, outsider):
        situation = EmploymentSituation(situation="IAE", contract_type="CDDI", started_on=timezone.localdate())
        services.situation_record(person=pair, by=outsider, situation=situation)
        activity = Activity.objects.get(kind="CONTRACT_SIGNED")
        assert activity.facts["contract_type"] == "CDDI"
        assert list(Notification.objects.filter(activity=activity).values_list("recipient", flat=True)) == [worker.pk]

    def test_an_exit_tells_the_other_structures(self, pair, worker, outsider, structure):
        stay = HousingSituationFactory(person=pair, structure=structure, residential_status="CHRS")
        services.situation_close(situation=stay, by=worker, ended_on=timezone.localdate(), end_reason="MOVED_ON")
        activity = Activity.objects.get(kind="HOUSING_EXIT")
        assert activity.structure == structure
        assert list(Notification.objects.filter(activity=activity).values_list("recipient", flat=True)) == [
            outsider.pk
        ]

    def test_never_means_no_notification_and_health_facts_skip_employment_only_structures(
        self, pair, worker, outsider, structure
    ):
        NotificationPreference.objects.create(user=worker, kind="CONTRACT_ENDED", delivery="NEVER")
        period = EmploymentSituationFactory(person=pair, iae=True)
        services.situation_close(
            situation=period, by=outsider, ended_on=timezone.localdate(), end_reason="CONTRACT_END"
        )
        assert Activity.objects.filter(kind="CONTRACT_ENDED").exists()
        assert not Notification.objects.filter(kind="ACTIVITY").exists()
        objective = ObjectiveFactory(person=pair, created_by_structure=structure, health=True)
        services.objective_update(
            objective=objective, by=worker, lock_version=objective.lock_version, fields={"status": "REACHED"}
        )
        activity = Activity.objects.get(kind="OBJECTIVE_REACHED")
        assert activity.is_health
        assert not Notification.objects.filter(activity=activity).exists()  # the ACI has no health access

    def test_referral_answers_are_facts_of_the_feed(self, pair, structure, worker):
        receiver = StructureFactory(name="Résidence sociale (test)")
        member = MembershipFactory(structure=receiver, social_worker=True).user
        referral = ReferralFactory(person=pair, from_structure=structure, to_structure=receiver, kind="HOUSING")
        services.referral_refuse(referral=referral, by=member, reason="NO_CAPACITY")
        assert Activity.objects.get(kind="REFERRAL_REFUSED").referral == referral


@pytest.mark.django_db
class TestFeed:
    def test_the_feed_lists_facts_across_structures_under_the_file_rules(
        self, client, pair, worker, outsider, structure, other_structure
    ):
        objective = ObjectiveFactory(person=pair, created_by_structure=structure, statement="Trouver un emploi")
        action = ActionFactory(objective=objective, owner_structure=other_structure, title="Signer le CDDI")
        services.action_update(action=action, by=outsider, lock_version=action.lock_version, fields={"status": "DONE"})
        health = ObjectiveFactory(person=pair, created_by_structure=structure, health=True)
        services.objective_update(
            objective=health, by=worker, lock_version=health.lock_version, fields={"status": "REACHED"}
        )
        url = reverse("parcours:person_activity", args=[pair.pk])
        client.force_login(worker)
        body = client.get(url).content.decode()
        assert "Action « Signer le CDDI » réalisée (ACI Les Jardins (test))." in body
        assert "Reprendre un suivi de santé" in body
        client.force_login(outsider)
        body = client.get(url).content.decode()
        assert "Signer le CDDI" in body
        assert "Reprendre un suivi de santé" not in body
        stranger = MembershipFactory(structure=StructureFactory()).user
        client.force_login(stranger)
        assert client.get(url).status_code == 404

    def test_preferences_page(self, client, worker, funder):
        client.force_login(worker)
        url = reverse("parcours:notification_preferences")
        body = client.get(url).content.decode()
        assert "Dans le récapitulatif quotidien" in body
        data = {kind: "DIGEST" for kind in ["CONTRACT_SIGNED", "CONTRACT_ENDED", "HOUSING_EXIT", "REFERRAL_ACCEPTED",
                                            "REFERRAL_REFUSED", "OBJECTIVE_REACHED", "OBJECTIVE_ABANDONED",
                                            "ACTION_ASSIGNED", "ACTION_COMPLETED", "EVALUATION_FINALISED",
                                            "COMMISSION_DECISION"]}  # fmt: skip
        data["HOUSING_EXIT"] = "NEVER"
        assert client.post(url, data).status_code == 302
        assert services.delivery_for(worker, "HOUSING_EXIT") == "NEVER"
        assert services.delivery_for(worker, "ACTION_ASSIGNED") == "DIGEST"
        assert not NotificationPreference.objects.filter(user=worker, kind="CONTRACT_SIGNED").exists()  # default
        assert client.post(url, data | {"HOUSING_EXIT": "SOMETIMES"}).status_code == 400
        client.force_login(funder)
        assert client.get(url).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_immediate_and_digest_deliveries_with_a_real_worker(celery_worker, pair, worker, outsider, structure):
    """ACTION_ASSIGNED defaults to "immediately": the ACI referent gets an e-mail at once. The lead referent chose
    the digest for ACTION_COMPLETED: nothing until the daily task, then one e-mail with counts, no names."""
    mail.outbox.clear()
    NotificationPreference.objects.create(user=worker, kind="ACTION_COMPLETED", delivery="DIGEST")
    objective = services.objective_create(
        person=pair, by=worker, structure=structure, theme="EMPLOYMENT", statement="Reprendre un emploi"
    )
    action = services.action_create(
        objective=objective, by=worker, title="Entretien", owner_structure=outsider.memberships.get().structure,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )  # fmt: skip
    assert wait_for(lambda: any(outsider.email in m.to for m in mail.outbox))
    immediate = next(m for m in mail.outbox if outsider.email in m.to)
    assert f"/personnes/{pair.pk}/activite/" in immediate.body
    assert pair.last_name not in immediate.body + immediate.subject
    mail.outbox.clear()
    services.action_update(action=action, by=outsider, lock_version=action.lock_version, fields={"status": "DONE"})
    time.sleep(2)
    assert not any(worker.email in m.to for m in mail.outbox)  # digest: not now
    assert send_activity_digests.delay().get(timeout=30) == 1
    (digest,) = [m for m in mail.outbox if worker.email in m.to]
    assert "1 fait du parcours" in digest.subject
    assert "Action du plan réalisée ou non réalisée : 1" in digest.body
    assert pair.last_name not in digest.body
    assert send_activity_digests.delay().get(timeout=30) == 0  # idempotent


@pytest.mark.django_db
def test_the_exit_page_records_the_destination_for_the_partners(client, pair, worker, outsider, structure):
    stay = HousingSituationFactory(person=pair, structure=structure, residential_status="CHRS")
    client.force_login(worker)
    url = reverse("parcours:situation_close", args=[pair.pk, "hebergement", stay.pk])
    assert "Destination à la sortie" in client.get(url).content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(url, {"ended_on": today, "end_reason": "MOVED_ON", "exit_destination": "SOCIAL_RENTAL"})
    assert response.status_code == 302
    activity = Activity.objects.get(kind="HOUSING_EXIT")
    assert activity.facts["destination"] == "SOCIAL_RENTAL"
    client.force_login(outsider)
    body = client.get(reverse("parcours:person_activity", args=[pair.pk])).content.decode()
    assert "destination : Location parc social" in body
