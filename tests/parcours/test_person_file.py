"""The person file designed around the work: header, one primary action, a grouped menu, tabs on demand."""

import pytest
from django.urls import reverse

from tests.alerts.factories import AlertFactory
from tests.evaluations.factories import EvaluationFactory

pytestmark = pytest.mark.django_db


def detail(person, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("parcours:person_detail", args=[person.pk]) + (f"?{query}" if query else "")


def test_header_identity_lead_referent_badges_and_one_primary_action(client, worker, person):
    AlertFactory(person=person, owner=worker, urgent=True)
    client.force_login(worker)
    text = client.get(detail(person)).content.decode()
    assert "Référent·e de parcours" in text
    assert "1 alerte ouverte, 1 urgente" in text
    assert "Consentement non recueilli" in text
    assert text.count('class="btn btn-primary"') == 1
    assert "Noter un contact" in text
    assert '<details class="action-menu">' in text
    assert reverse("parcours:referral_create", args=[person.pk]) in text


@pytest.mark.parametrize(("gender", "phrase"), [("FEMALE", "Née le"), ("MALE", "Né le"), ("NOT_STATED", "Né·e le")])
def test_birth_agrees_with_the_sex_and_is_inclusive_only_when_unknown(client, worker, person, gender, phrase):
    person.gender = gender
    person.save()
    client.force_login(worker)
    text = client.get(detail(person)).content.decode()
    assert f"{phrase} " in text
    for other in {"Née le", "Né le", "Né·e le"} - {phrase}:
        assert f"{other} " not in text


def test_a_tab_loaded_with_htmx_is_the_same_fragment_as_in_the_full_page(client, worker, person):
    client.force_login(worker)
    full = client.get(detail(person, onglet="orientations")).content.decode()
    fragment = client.get(detail(person, onglet="orientations"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment
    assert fragment.strip()
    assert fragment.strip() in full
    assert 'hx-get="?onglet=evenements"' in full
    assert 'href="?onglet=evenements#onglet"' in full


def test_record_a_contact_opens_ready_for_an_interview(client, worker, person):
    client.force_login(worker)
    url = reverse("parcours:event_create", args=[person.pk])
    text = client.get(url + "?type=INTERVIEW").content.decode()
    assert '<option value="INTERVIEW" selected>' in text
    assert "Noter un contact" in text
    assert '<option value="INTERVIEW" selected>' not in client.get(url + "?type=NOPE").content.decode()


def test_the_distance_to_employment_with_its_reasons_and_a_preset_referral(client, worker, person, structure):
    EvaluationFactory(person=person, structure=structure, author=worker, complete=True, final=True)
    client.force_login(worker)
    text = client.get(detail(person)).content.decode()
    assert "Distance à l&#x27;emploi" in text or "Distance à l'emploi" in text
    assert "Pourquoi ce niveau ?" in text
    referral = reverse("parcours:referral_create", args=[person.pk])
    response = client.get(referral + "?accompagnement=EMPLOYMENT")
    assert '<option value="EMPLOYMENT" selected>' in response.content.decode()


def test_without_evaluation_the_card_says_what_to_do(client, worker, person):
    client.force_login(worker)
    assert "Commencer ou reprendre l'évaluation" in client.get(detail(person)).content.decode()


def test_a_stale_tab_link_lands_on_a_clear_page(client, outsider, person):
    client.force_login(outsider)
    response = client.get(detail(person, onglet="historique"))
    assert response.status_code == 404
    text = response.content.decode()
    assert "Cette page n&#x27;existe pas ou ne vous est pas accessible" in text or (
        "Cette page n'existe pas ou ne vous est pas accessible" in text
    )
    assert person.last_name not in text
