"""PASS IAE and housing requests on the person file: record, prolong/update, access checks, bad input, audit."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from parcours.models import HousingRequest, PassIae
from tests.parcours.factories import HousingRequestFactory, PassIaeFactory

pytestmark = pytest.mark.django_db


def day(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def test_worker_records_and_prolongs_a_pass_iae(client, worker, person):
    client.force_login(worker)
    response = client.post(
        reverse("parcours:pass_iae_create", args=[person.pk]),
        {"number": "9999 9000 0001", "start_on": day(-600), "end_on": day(130)},
    )
    assert response.status_code == 302
    pass_iae = PassIae.objects.get(person=person)
    assert (pass_iae.number, pass_iae.created_by) == ("999990000001", worker)
    assert AuditEntry.objects.filter(action=Action.CREATE, person_id=person.pk, object_id=pass_iae.pk).exists()
    page = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert "999990000001" in page
    response = client.post(reverse("parcours:pass_iae_prolong", args=[person.pk, pass_iae.pk]), {"end_on": day(400)})
    assert response.status_code == 302
    pass_iae.refresh_from_db()
    assert pass_iae.end_on == timezone.localdate() + dt.timedelta(days=400)
    assert pass_iae.history.filter(pgh_label="update").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "12345", "start_on": day(-10), "end_on": day(700)}, "Le numéro de PASS IAE compte 12 chiffres."),
        ({"number": "ABCDEFGHIJKL", "start_on": day(-10), "end_on": day(700)}, "12 chiffres"),
        (
            {"number": "999990000001", "start_on": day(-10), "end_on": day(-20)},
            "La fin du PASS IAE ne peut pas précéder son début.",
        ),
        ({"number": "999990000001", "start_on": "2025-02-31", "end_on": day(10)}, "Saisissez une date valide."),
        ({"number": ""}, "Ce champ est obligatoire."),
    ],
)
def test_pass_iae_form_refuses_bad_input(client, worker, person, data, message):
    client.force_login(worker)
    response = client.post(reverse("parcours:pass_iae_create", args=[person.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PassIae.objects.exists()


def test_a_pass_iae_number_is_recorded_once(client, worker, person):
    PassIaeFactory(number="999990000001")
    client.force_login(worker)
    response = client.post(
        reverse("parcours:pass_iae_create", args=[person.pk]),
        {"number": "999990000001", "start_on": day(-10), "end_on": day(700)},
    )
    assert response.status_code == 200
    assert "Ce numéro de PASS IAE est déjà enregistré." in response.content.decode()
    assert not person.pass_iae.exists()


def test_prolongation_before_the_start_is_refused(client, worker, person):
    pass_iae = PassIaeFactory(person=person)
    client.force_login(worker)
    url = reverse("parcours:pass_iae_prolong", args=[person.pk, pass_iae.pk])
    response = client.post(url, {"end_on": day(-1000)})
    assert response.status_code == 200
    assert "La fin du PASS IAE ne peut pas précéder son début." in response.content.decode()
    assert client.post(url, {"end_on": "demain"}).status_code == 200


def test_worker_records_and_updates_a_housing_request(client, worker, person):
    client.force_login(worker)
    url = reverse("parcours:housing_request_create", args=[person.pk])
    data = {"kind": "SOCIAL_HOUSING", "reference": "038123", "filed_on": day(-30), "renewal_due_on": day(335)}
    response = client.post(url, {**data, "status": "ACTIVE"})
    assert response.status_code == 302
    request = HousingRequest.objects.get(person=person)
    assert AuditEntry.objects.filter(action=Action.CREATE, person_id=person.pk, object_id=request.pk).exists()
    response = client.post(url, {**data, "status": "ACTIVE"})  # a second pending one of the same kind
    assert response.status_code == 200
    assert "Une demande de ce type est déjà en cours pour cette personne." in response.content.decode()
    assert HousingRequest.objects.count() == 1
    update = reverse("parcours:housing_request_update", args=[person.pk, request.pk])
    response = client.post(update, {"status": "SATISFIED", "renewal_due_on": ""})
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.renewal_due_on) == ("SATISFIED", None)
    assert "Satisfaite" in client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "NOPE", "filed_on": day(-3), "status": "ACTIVE"}, "Sélectionnez un choix valide"),
        ({"kind": "SIAO", "filed_on": day(3), "status": "ACTIVE"}, "La date de dépôt ne peut pas être dans le futur."),
        (
            {"kind": "SIAO", "filed_on": day(-3), "renewal_due_on": day(-10), "status": "ACTIVE"},
            "Le renouvellement ne peut pas précéder le dépôt de la demande.",
        ),
        ({"kind": "SIAO", "filed_on": day(-3), "status": "WHATEVER"}, "Sélectionnez un choix valide"),
    ],
)
def test_housing_request_form_refuses_bad_input(client, worker, person, data, message):
    client.force_login(worker)
    response = client.post(reverse("parcours:housing_request_create", args=[person.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HousingRequest.objects.exists()


def test_outsiders_get_404_and_read_only_viewers_403(client, person, outsider, past_follower):
    pass_iae = PassIaeFactory(person=person)
    request = HousingRequestFactory(person=person)
    urls = [
        reverse("parcours:pass_iae_create", args=[person.pk]),
        reverse("parcours:pass_iae_prolong", args=[person.pk, pass_iae.pk]),
        reverse("parcours:housing_request_create", args=[person.pk]),
        reverse("parcours:housing_request_update", args=[person.pk, request.pk]),
    ]
    for user, status in ((outsider, 404), (past_follower, 403)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, url
            assert client.post(url, {"end_on": day(900), "status": "CLOSED"}).status_code == status, url
    pass_iae.refresh_from_db()
    request.refresh_from_db()
    assert (pass_iae.end_on, request.status) == (timezone.localdate() + dt.timedelta(days=330), "ACTIVE")


def test_another_persons_pass_is_404(client, worker, person):
    other = PassIaeFactory()
    client.force_login(worker)
    response = client.get(reverse("parcours:pass_iae_prolong", args=[person.pk, other.pk]))
    assert response.status_code == 404
