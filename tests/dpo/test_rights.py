"""The person's rights (privacy.md §7): requests with due dates, export, rectification, objection, restriction."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import Action, AuditEntry
from dpo.models import AccessExport
from dpo.services import person_dossier
from evaluations.models import Evaluation
from parcours.enums import FollowUpEndReason
from parcours.models import FollowUp, Objection, Person, RightsRequest, add_months
from tests.evaluations.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def _request(client, person, kind, received_on=None):
    client.post(
        reverse("dpo:request_create"),
        {"person_id": person.pk, "kind": kind, "received_on": (received_on or timezone.localdate()).isoformat()},
    )
    return RightsRequest.objects.filter(person=person, kind=kind).latest("id")


def test_due_date_is_one_month_and_one_extension_of_up_to_two_months(client, dpo, person):
    client.force_login(dpo)
    received = timezone.localdate() - dt.timedelta(days=3)
    rr = _request(client, person, "ACCESS", received)
    assert rr.due_on == add_months(received, 1)
    url = reverse("dpo:request_extend", args=[rr.pk])
    too_far = add_months(rr.due_on, 2) + dt.timedelta(days=1)
    response = client.post(url, {"extended_to": too_far.isoformat(), "reason": "Demande complexe"}, follow=True)
    assert "au plus tard" in response.content.decode()
    client.post(url, {"extended_to": add_months(rr.due_on, 2).isoformat(), "reason": "Demande complexe"})
    rr.refresh_from_db()
    assert rr.extended_to == add_months(rr.due_on, 2)
    response = client.post(url, {"extended_to": add_months(rr.due_on, 1).isoformat(), "reason": "Encore"}, follow=True)
    assert "déjà été prolongée une fois" in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.RIGHTS, person_id=person.pk).count() == 2
    # Bad input: French message, nothing saved, never a 500.
    assert client.post(reverse("dpo:request_create"), {"person_id": "\x00", "kind": "NOPE"}).status_code == 200
    future = client.post(
        reverse("dpo:request_create"),
        {
            "person_id": person.pk,
            "kind": "ACCESS",
            "received_on": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert "ne peut pas être dans le futur" in future.content.decode()


def test_rights_pages_are_the_dpos_only(client, admin_user, worker, coordinator, person, dpo):
    rr = RightsRequest.objects.create(person=person, kind="ACCESS", received_on=timezone.localdate(), handled_by=dpo)
    for user in (admin_user, worker, coordinator):
        client.force_login(user)
        assert client.get(reverse("dpo:request_detail", args=[rr.pk])).status_code == 403
        assert client.post(reverse("dpo:request_export", args=[rr.pk])).status_code == 403


def test_export_complet_has_every_structures_private_notes_in_pdf_and_json(client, dpo, person):
    client.force_login(dpo)
    rr = _request(client, person, "ACCESS")
    response = client.post(reverse("dpo:request_export", args=[rr.pk]))
    assert response.status_code == 302
    export = AccessExport.objects.get(rights_request=rr)
    assert export.expires_at > timezone.now() + dt.timedelta(days=6)
    data = json.loads(client.get(reverse("dpo:export_download", args=[rr.pk, export.pk, "json"])).getvalue())
    text = json.dumps(data, ensure_ascii=False)
    assert "Note privée des Tilleuls n°1" in text
    assert "Note privée des Jardins n°2" in text
    assert data["person"]["nom"] == "Qwertyuiop"
    pdf = client.get(reverse("dpo:export_download", args=[rr.pk, export.pk, "pdf"])).getvalue()
    assert pdf.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=Action.EXPORT, person_id=person.pk, user=dpo).exists()
    assert AuditEntry.objects.filter(action=Action.DOWNLOAD, person_id=person.pk, user=dpo).count() == 2


def test_export_of_a_demo_person_contains_the_private_notes_of_both_structures(db):
    call_command("seed_demo", stdout=io.StringIO())
    rr = RightsRequest.objects.get(kind="ACCESS", handled_by__email="dpo@demo.test")
    text = json.dumps(person_dossier(rr.person), ensure_ascii=False, default=str)
    assert "Note privée du CHRS (démo)" in text
    assert "Note privée de l'ACI (démo)" in text


def test_rectification_of_a_finalised_evaluation_keeps_no_wrong_value(client, dpo, person, structure):
    evaluation = EvaluationFactory(
        person=person, structure=structure, complete=True, final=True, worker_synthesis="Valeur erronée"
    )
    client.force_login(dpo)
    rr = _request(client, person, "RECTIFICATION")
    url = reverse("dpo:request_rectify", args=[rr.pk])
    short = client.post(
        url,
        {"evaluation_id": evaluation.pk, "field_name": "worker_synthesis", "value": "Juste", "reason": "court"},
        follow=True,
    )
    assert "10 caractères au moins" in short.content.decode()
    bad = client.post(
        url,
        {
            "evaluation_id": evaluation.pk,
            "field_name": "french_level",
            "value": "KLINGON",
            "reason": "Demande de la personne",
        },
        follow=True,
    )
    assert "Valeur refusée" in bad.content.decode()
    client.post(
        url,
        {
            "evaluation_id": evaluation.pk,
            "field_name": "worker_synthesis",
            "value": "Valeur juste",
            "reason": "Demande de la personne du 12/03",
        },
    )
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    assert evaluation.worker_synthesis == "Valeur juste"
    assert not evaluation.history.filter(worker_synthesis="Valeur erronée").exists()
    assert AuditEntry.objects.filter(action=Action.RIGHTS, detail="rectification:worker_synthesis").exists()


def test_objection_is_recorded_and_removes_the_structures_view(client, dpo, person, other_structure, outsider):
    client.force_login(outsider)
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 200
    client.force_login(dpo)
    rr = _request(client, person, "OBJECTION")
    client.post(
        reverse("dpo:request_objection", args=[rr.pk]),
        {"target_structure": other_structure.pk, "recorded_on": timezone.localdate().isoformat(), "method": "ORAL"},
    )
    objection = Objection.objects.get(person=person)
    assert objection.target_structure == other_structure
    assert FollowUp.objects.get(person=person, structure=other_structure).end_reason == FollowUpEndReason.OBJECTION
    client.force_login(outsider)
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404


def test_restriction_makes_the_file_read_only_for_everyone(client, dpo, person, worker):
    client.force_login(dpo)
    rr = _request(client, person, "RESTRICTION")
    client.post(reverse("dpo:request_restrict", args=[rr.pk]), {"restricted": "1"})
    assert Person.objects.get(pk=person.pk).restricted
    client.force_login(worker)
    assert client.post(reverse("parcours:person_edit", args=[person.pk]), {"last_name": "X"}).status_code == 403
    assert AuditEntry.objects.filter(action=Action.RIGHTS, detail="restriction_on").exists()


def test_erasure_anonymises_at_once(client, dpo, person):
    client.force_login(dpo)
    rr = _request(client, person, "ERASURE")
    client.post(reverse("dpo:request_erase", args=[rr.pk]))
    assert Person.objects.get(pk=person.pk).last_name == "ANONYME"
    assert User.objects.filter(pk=dpo.pk).exists()
