import datetime as dt
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEntry
from parcours.models import Event, FollowUp, HousingSituation, Person, Referral
from tests.accounts.factories import MembershipFactory
from tests.parcours.factories import (
    ConsentFactory,
    EmploymentSituationFactory,
    EventFactory,
    FollowUpFactory,
    HousingRequestFactory,
    HousingSituationFactory,
    PassIaeFactory,
    PersonFactory,
    ReferralFactory,
    ResourceFactory,
)
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db
today = timezone.localdate


def test_person_detail_for_the_following_structure(client, worker, person):
    HousingSituationFactory(person=person, ending_in_days=20)
    EmploymentSituationFactory(person=person, iae=True)
    EventFactory(person=person, structure=person.followups.get().structure, missed=True)
    client.force_login(worker)
    response = client.get(reverse("parcours:person_detail", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "DURAND Élise" in body
    assert "CHRS / insertion" in body
    assert "Salarié·e en parcours IAE" in body
    assert AuditEntry.objects.filter(person_id=person.pk, action=Action.VIEW, user=worker).count() == 1


@pytest.mark.parametrize("tab", ["situations", "evenements", "orientations", "consentements", "historique", "x"])
def test_every_tab_renders(client, worker, person, tab):
    ResourceFactory(person=person, aah=True)
    ConsentFactory(person=person)
    client.force_login(worker)
    response = client.get(reverse("parcours:person_detail", args=[person.pk]), {"onglet": tab})
    assert response.status_code == 200


def test_person_detail_access_cases(client, person, colleague, outsider, funder, coordinator):
    url = reverse("parcours:person_detail", args=[person.pk])
    client.force_login(colleague)
    assert client.get(url).status_code == 200
    for user in (outsider, funder, coordinator):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    client.force_login(colleague)
    assert client.post(url).status_code == 405


def test_shared_view_hides_health_items_and_private_notes(client, person, employment_worker, structure):
    ResourceFactory(person=person, aah=True, monthly_amount=1016)
    EventFactory(person=person, structure=structure, text="Texte privé de la structure")
    EventFactory(person=person, structure=structure, shared=True, text="Texte partagé")
    client.force_login(employment_worker)
    url = reverse("parcours:person_detail", args=[person.pk])
    body = client.get(url, {"onglet": "situations"}).content.decode()
    assert "AAH" not in body
    assert "1016" not in body
    body = client.get(url, {"onglet": "evenements"}).content.decode()
    assert "Texte privé" not in body
    assert "Texte partagé" in body
    body = client.get(url, {"onglet": "historique"}).content.decode()
    assert "AAH" not in body
    assert "1016" not in body


def test_consent_withdrawal_takes_effect_at_once(client, worker, person, outsider):
    ConsentFactory(person=person, partners=True)
    url = reverse("parcours:person_detail", args=[person.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 200
    client.force_login(worker)
    response = client.post(
        reverse("parcours:consent_create", args=[person.pk]),
        {"scope": "PARTNERS", "decision": "WITHDRAWN", "decided_on": today().isoformat(), "method": "ORAL"},
    )
    assert response.status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_read_only_viewer_gets_403_on_writes(client, person, outsider, past_follower):
    ConsentFactory(person=person, partners=True)
    for user in (outsider, past_follower):
        client.force_login(user)
        for name in ("event_create", "person_edit", "referral_create", "consent_create"):
            assert client.get(reverse(f"parcours:{name}", args=[person.pk])).status_code == 403
        response = client.post(reverse("parcours:event_create", args=[person.pk]), {"kind": "NOTE", "text": "x"})
        assert response.status_code == 403
    assert not Event.objects.exists()
    assert AuditEntry.objects.filter(action=Action.ACCESS_DENIED, person_id=person.pk).exists()


def test_form_posted_for_an_invisible_person_is_404_and_saves_nothing(client, outsider, person):
    client.force_login(outsider)
    response = client.post(
        reverse("parcours:situation_create", args=[person.pk, "hebergement"]),
        {"residential_status": "STREET", "started_on": today().isoformat()},
    )
    assert response.status_code == 404
    assert not HousingSituation.objects.exists()


def test_housing_situation_with_impossible_dates_is_refused(client, worker, person):
    client.force_login(worker)
    url = reverse("parcours:situation_create", args=[person.pk, "hebergement"])
    response = client.post(
        url,
        {
            "residential_status": "CHRS",
            "started_on": today().isoformat(),
            "planned_end_on": (today() - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "La fin prévue ne peut pas précéder la date de début." in response.content.decode()
    response = client.post(url, {"residential_status": "CHRS", "started_on": "2024-02-31"})
    assert response.status_code == 200
    assert not HousingSituation.objects.exists()


def test_new_housing_situation_closes_the_current_one(client, worker, person):
    current = HousingSituationFactory(person=person, hotel=True)
    client.force_login(worker)
    response = client.post(
        reverse("parcours:situation_create", args=[person.pk, "hebergement"]),
        {
            "residential_status": "CHRS",
            "started_on": today().isoformat(),
            "planned_end_on": (today() + dt.timedelta(days=20)).isoformat(),
        },
    )
    assert response.status_code == 302
    current.refresh_from_db()
    assert current.ended_on == today()
    assert person.housing_situations.open().get().residential_status == "CHRS"


def test_event_updates_the_last_contact(client, worker, person):
    client.force_login(worker)
    at = timezone.localtime() - dt.timedelta(hours=2)
    response = client.post(
        reverse("parcours:event_create", args=[person.pk]),
        {"kind": "INTERVIEW", "at": at.strftime("%Y-%m-%dT%H:%M"), "visibility": "PRIVATE", "with_person": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.last_contact_at is not None
    assert FollowUp.objects.get(person=person).last_contact_at == person.last_contact_at
    response = client.post(
        reverse("parcours:event_create", args=[person.pk]),
        {"kind": "APPOINTMENT", "at": at.strftime("%Y-%m-%dT%H:%M"), "visibility": "PRIVATE"},
    )
    assert response.status_code == 200
    assert "Indiquez le statut du rendez-vous." in response.content.decode()


def _create_payload(**overrides):
    data = {
        "last_name": "Moreau",
        "first_name": "Hélène",
        "birth_date": "1985-04-12",
        "gender": "FEMALE",
        "nationality_category": "FRENCH",
        "phone": "",
        "email": "",
        "commune_insee": "38185",
        "kind": "HOUSING",
        "sharing_basis": "",
        "household_type": "SINGLE_WOMAN",
        "dependent_children": "0",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_person_create_and_double_submission(client, worker, structure):
    client.force_login(worker)
    url = reverse("parcours:person_create")
    assert client.get(url).status_code == 200
    token = str(uuid.uuid4())
    response = client.post(url, _create_payload(submission_key=token))
    person = Person.objects.get()
    assert response.url == reverse("parcours:person_detail", args=[person.pk])
    assert FollowUp.objects.get(person=person).structure == structure
    response = client.post(url, _create_payload(submission_key=token))
    assert response.status_code == 302
    assert response.url == reverse("parcours:person_detail", args=[person.pk])  # the first one's result
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("last_name", "first_name"),
    [("Moreau", "Helene"), ("Moreaux", "Hélène"), ("Hélène", "Moreau"), ("MOREAU", "Hélèn")],
)
def test_duplicate_detection_lists_visible_matches(client, worker, structure, last_name, first_name):
    existing = PersonFactory(
        last_name="Moreau", first_name="Hélène", birth_date=dt.date(1985, 4, 12), followed_by=structure
    )
    client.force_login(worker)
    response = client.post(
        reverse("parcours:person_create"), _create_payload(last_name=last_name, first_name=first_name)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("parcours:person_detail", args=[existing.pk]) in body
    assert Person.objects.count() == 1
    response = client.post(
        reverse("parcours:person_create"),
        _create_payload(last_name=last_name, first_name=first_name, confirm="1"),
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_duplicate_detection_reveals_nothing_about_invisible_matches(client, worker, coordinator):
    hidden = PersonFactory(
        last_name="Moreau", first_name="Hélène", birth_date=dt.date(1985, 4, 12), phone="0699999999"
    )
    FollowUpFactory(person=hidden, structure=StructureFactory(name="CHU Voisin"))
    client.force_login(worker)
    response = client.post(reverse("parcours:person_create"), _create_payload(last_name="Moreau", first_name="Helene"))
    body = response.content.decode()
    assert "Une personne proche est peut-être déjà connue" in body
    assert "0699999999" not in body
    response = client.post(reverse("parcours:duplicate_check_request"))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action=Action.DUPLICATE_CHECK).count() == 2
    client.force_login(coordinator)
    assert "Vérification de doublon demandée" in client.get(reverse("parcours:notification_list")).content.decode()
    body = client.get(reverse("parcours:duplicate_check_list")).content.decode()
    assert "CHU Voisin" in body
    assert "0699999999" not in body
    assert "Moreau" not in body
    client.force_login(worker)
    assert client.get(reverse("parcours:duplicate_check_list")).status_code == 403


def test_person_create_bad_input(client, worker):
    client.force_login(worker)
    url = reverse("parcours:person_create")
    future = (today() + dt.timedelta(days=2)).isoformat()
    body = client.post(url, _create_payload(birth_date=future)).content.decode()
    assert "La date de naissance ne peut pas être dans le futur." in body
    body = client.post(url, _create_payload(birth_date="1890-01-01")).content.decode()
    assert "plus de 120 ans" in body
    body = client.post(url, _create_payload(commune_insee="12")).content.decode()
    assert "Le code INSEE a 5 caractères" in body
    assert not Person.objects.exists()


def test_funder_and_admin_cannot_create(client, funder):
    client.force_login(funder)
    assert client.get(reverse("parcours:person_create")).status_code == 403
    assert client.get(reverse("parcours:person_list")).status_code == 403


def test_referral_lifecycle_through_pages(client, worker, person, structure, other_structure, outsider):
    client.force_login(worker)
    response = client.post(
        reverse("parcours:referral_create", args=[person.pk]),
        {
            "to_structure": other_structure.pk,
            "kind": "EMPLOYMENT",
            "motive": "Chantier maraîchage",
            "from_structure": structure.pk,
        },
    )
    referral = Referral.objects.get()
    assert response.url == reverse("parcours:referral_detail", args=[referral.pk])
    assert referral.response_due_on == today() + dt.timedelta(days=15)
    client.force_login(outsider)
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 404
    detail = client.get(reverse("parcours:referral_detail", args=[referral.pk]))
    assert detail.status_code == 200
    assert "Chantier maraîchage" in detail.content.decode()
    assert client.get(reverse("parcours:referral_list")).status_code == 200
    response = client.post(reverse("parcours:referral_accept", args=[referral.pk]))
    assert response.url == reverse("parcours:person_detail", args=[person.pk])
    assert client.get(response.url).status_code == 200
    assert FollowUp.objects.open().filter(person=person, structure=other_structure, kind="EMPLOYMENT").exists()
    # a second answer is refused with a clear message
    response = client.post(reverse("parcours:referral_accept", args=[referral.pk]), follow=True)
    assert "déjà été traitée" in response.content.decode()


def test_referral_to_a_structure_that_does_not_exist(client, worker, person, structure):
    client.force_login(worker)
    response = client.post(
        reverse("parcours:referral_create", args=[person.pk]),
        {"to_structure": 999999, "kind": "EMPLOYMENT", "motive": "x", "from_structure": structure.pk},
    )
    assert response.status_code == 200
    assert "Cette structure n&#x27;existe pas" in response.content.decode()
    assert not Referral.objects.exists()


def test_refusal_needs_a_reason(client, person, structure, other_structure, outsider):
    referral = ReferralFactory(person=person, from_structure=structure, to_structure=other_structure)
    client.force_login(outsider)
    url = reverse("parcours:referral_refuse", args=[referral.pk])
    assert client.get(url).status_code == 200
    body = client.post(url, {"refusal_reason": "OTHER", "refusal_detail": ""}).content.decode()
    assert "Précisez le motif" in body
    response = client.post(url, {"refusal_reason": "NO_CAPACITY"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "REFUSED"
    assert client.get(reverse("parcours:referral_detail", args=[referral.pk])).status_code == 404


def test_sender_cancels_and_outsider_cannot(client, worker, person, structure, other_structure):
    referral = ReferralFactory(person=person, from_structure=structure, to_structure=other_structure)
    third = MembershipFactory(structure=other_structure).user
    client.force_login(third)
    assert client.post(reverse("parcours:referral_cancel", args=[referral.pk])).status_code == 403
    client.force_login(worker)
    assert client.post(reverse("parcours:referral_cancel", args=[referral.pk])).status_code == 302
    referral.refresh_from_db()
    assert referral.status == "CANCELLED"


def test_caseload_search_is_a_post_and_ignores_accents(client, worker, structure):
    PersonFactory(last_name="Lefèvre", first_name="Zoé", followed_by=structure)
    PersonFactory(last_name="Martin", first_name="Paul", followed_by=structure)
    client.force_login(worker)
    url = reverse("parcours:person_list")
    body = client.get(url).content.decode()
    assert "LEFÈVRE" in body
    assert "MARTIN" in body
    response = client.post(url, {"q": "lefevre"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "LEFÈVRE" in body
    assert "MARTIN" not in body
    body = client.get(url).content.decode()  # the query is kept for the following pages
    assert "LEFÈVRE" in body
    assert "MARTIN" not in body
    client.post(url, {"clear": "1"})
    assert "MARTIN" in client.get(url).content.decode()


def test_searched_results_keep_the_chosen_order(client, worker, structure):
    """A search sorts its matches itself (no index walk): in the same order as the list without a search."""
    import datetime as dt

    PersonFactory(last_name="Lefort", first_name="Bruno", birth_date=dt.date(1990, 1, 1), followed_by=structure)
    PersonFactory(last_name="Lefèvre", first_name="Zoé", birth_date=dt.date(1970, 1, 1), followed_by=structure)
    PersonFactory(last_name="Lefèvre", first_name="Anna", birth_date=dt.date(1980, 1, 1), followed_by=structure)
    PersonFactory(last_name="Martin", first_name="Léa", followed_by=structure)
    client.force_login(worker)
    url = reverse("parcours:person_list")
    names = ["LEFÈVRE Anna", "LEFÈVRE Zoé", "LEFORT Bruno"]

    def order(**params):
        return sorted(names, key=client.get(url, params).content.decode().index)

    unsearched = {sort: order(tri=sort) for sort in ("nom", "-nom", "naissance")}
    assert unsearched["naissance"] == ["LEFÈVRE Zoé", "LEFÈVRE Anna", "LEFORT Bruno"]
    assert unsearched["-nom"] == unsearched["nom"][::-1]
    client.post(url, {"q": "lef"})
    assert "MARTIN" not in client.get(url).content.decode()
    assert {sort: order(tri=sort) for sort in unsearched} == unsearched


def test_a_search_counts_its_matches_up_to_a_cap(client, worker, structure, monkeypatch):
    """Past SEARCH_COUNT_CAP matches the list says "more than N" and asks to narrow the search; below, the count."""
    from parcours.views import caseload

    monkeypatch.setattr(caseload, "SEARCH_COUNT_CAP", 3)
    for first_name in ("Anna", "Bruno", "Chloé", "David"):
        PersonFactory(last_name="Lefèvre", first_name=first_name, followed_by=structure)
    PersonFactory(last_name="Martin", first_name="Léa", followed_by=structure)
    client.force_login(worker)
    url = reverse("parcours:person_list")
    assert "5 personnes" in client.get(url).content.decode()  # no search: the exact count
    body = client.post(url, {"q": "lefevre"}).content.decode()
    assert "Plus de 3 personnes : précisez la recherche" in body
    assert "LEFÈVRE Anna" in body
    body = client.post(url, {"q": "lefevre anna"}).content.decode()
    assert "1 personne" in body
    assert "Plus de" not in body


def test_caseload_filters_and_sorts(client, worker, structure):
    a = PersonFactory(last_name="Alpha", followed_by=structure)
    b = PersonFactory(last_name="Bravo", followed_by=structure)
    HousingSituationFactory(person=a, street=True)
    EmploymentSituationFactory(person=b, iae=True)
    client.force_login(worker)
    url = reverse("parcours:person_list")
    body = client.get(url, {"hebergement": "STREET"}).content.decode()
    assert "ALPHA" in body
    assert "BRAVO" not in body
    body = client.get(url, {"emploi": "IAE"}).content.decode()
    assert "BRAVO" in body
    assert "ALPHA" not in body
    body = client.get(url, {"tri": "-nom"}).content.decode()
    assert body.index("BRAVO") < body.index("ALPHA")
    assert client.get(url, {"tri": "n'importe", "page": "x", "structure": "abc"}).status_code == 200


def _caseload_people(structure, n):
    for _ in range(n):
        person = PersonFactory(followed_by=structure)
        HousingSituationFactory(person=person)
        EmploymentSituationFactory(person=person)


def test_caseload_query_count_is_constant(client, worker, structure, django_assert_num_queries):
    client.force_login(worker)
    url = reverse("parcours:person_list")
    _caseload_people(structure, 1)
    client.get(url)
    # session, user, pghistory context (x2, around the request's savepoint), memberships (scope), my structures,
    # referents, count, memberships (header), people, 3 prefetches (housing, employment, follow-ups),
    # session update (savepoint, update, release), alerts badge (navigation), concertation tasks badge (navigation)
    with django_assert_num_queries(18) as one:
        client.get(url)
    _caseload_people(structure, 49)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_person_detail_query_count_is_constant(client, worker, person, structure, django_assert_num_queries):
    client.force_login(worker)
    url = reverse("parcours:person_detail", args=[person.pk])
    EventFactory(person=person, structure=structure, author=worker)
    HousingSituationFactory(person=person, closed=True)
    ResourceFactory(person=person)
    PassIaeFactory(person=person)
    HousingRequestFactory(person=person)
    client.get(url)
    # session, user, pghistory context x2, memberships, person (visible_to), access: consents, follow-ups,
    # referrals; follow-ups, housing, employment, PASS IAE, housing requests, resources, events, referrals,
    # household, current consents, audit (recent view?), memberships (header), session update x3, alerts badge
    # (navigation), open alerts. PASS IAE and housing requests are two lists of the situations tab (+2).
    # Concertation: tasks badge (navigation), the person's nominative cases, a pending proposal (+3); the
    # header's open-alerts badge and the summary's last evaluation (distance to employment) (+2).
    with django_assert_num_queries(31) as one:
        client.get(url)
    for _ in range(49):
        EventFactory(person=person, structure=structure, author=worker)
        HousingSituationFactory(person=person, closed=True)
        ResourceFactory(person=person)
        EmploymentSituationFactory(person=person)
        PassIaeFactory(person=person)
        HousingRequestFactory(person=person, closed=True)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)


def test_audit_trail_page(client, person, worker, coordinator, admin_user, dpo):
    client.force_login(worker)
    client.get(reverse("parcours:person_detail", args=[person.pk]))
    url = reverse("parcours:person_trail", args=[person.pk])
    assert client.get(url).status_code == 403
    # privacy.md §5: only the DPO and administrators read the trail, coordinators no longer do.
    client.force_login(coordinator)
    assert client.get(url).status_code == 403
    ConsentFactory(person=person, coordination=True)
    assert client.get(url).status_code == 403
    assert (
        reverse("parcours:person_trail", args=[person.pk])
        not in client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    )
    client.force_login(dpo)
    assert "Consultation du dossier" in client.get(url).content.decode()
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "Consultation du dossier" in response.content.decode()
    assert "Durand" not in response.content.decode()


def test_notice_and_notifications(client, worker, person, structure, other_structure, outsider):
    client.force_login(worker)
    assert "Notice d'information" in client.get(reverse("parcours:person_notice", args=[person.pk])).content.decode()
    ReferralFactory(person=person, from_structure=structure, to_structure=other_structure)
    client.force_login(outsider)
    assert client.get(reverse("parcours:notification_list")).status_code == 200
    assert client.post(reverse("parcours:notification_list")).status_code == 302
    assert len(mail.outbox) == 0


def test_partner_with_consent_declares_a_followup_and_the_lead_is_told(client, person, worker, outsider):
    ConsentFactory(person=person, partners=True)
    FollowUp.objects.filter(person=person).update(referent=worker)
    client.force_login(outsider)
    url = reverse("parcours:followup_declare", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "EMPLOYMENT", "sharing_basis": "CONSENT"})
    assert response.status_code == 302
    assert FollowUp.objects.open().filter(person=person, kind="EMPLOYMENT").exists()
    body = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert "Nouvel événement" in body
    response = client.post(url, {"kind": "EMPLOYMENT", "sharing_basis": "CONSENT"})
    assert "déjà" in response.content.decode()
    client.force_login(worker)
    assert (
        "Un partenaire a déclaré un accompagnement"
        in client.get(reverse("parcours:notification_list")).content.decode()
    )


def test_unrelated_worker_cannot_declare(client, person, outsider, funder):
    for user in (outsider, funder):
        client.force_login(user)
        url = reverse("parcours:followup_declare", args=[person.pk])
        assert client.post(url, {"kind": "EMPLOYMENT", "sharing_basis": "CONSENT"}).status_code == 404
    assert FollowUp.objects.filter(person=person).count() == 1


def test_followup_end_page(client, person, worker, past_follower):
    followup = FollowUp.objects.get(person=person, ended_on=None)
    url = reverse("parcours:followup_end", args=[person.pk, followup.pk])
    client.force_login(past_follower)
    assert client.post(url, {"ended_on": today().isoformat(), "end_reason": "COMPLETED"}).status_code == 403
    client.force_login(worker)
    future = (today() + dt.timedelta(days=3)).isoformat()
    assert (
        "ne peut pas être dans le futur"
        in client.post(url, {"ended_on": future, "end_reason": "COMPLETED"}).content.decode()
    )
    assert client.post(url, {"ended_on": today().isoformat(), "end_reason": "COMPLETED"}).status_code == 302
    followup.refresh_from_db()
    assert followup.ended_on == today()
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 200


def test_home_cards_show_counts(client, worker, person, structure, other_structure):
    ReferralFactory(
        person=PersonFactory(followed_by=other_structure), from_structure=other_structure, to_structure=structure
    )
    client.force_login(worker)
    body = client.get(reverse("home")).content.decode()
    assert "1 personne suivie par ma structure" in body
    assert "1 orientation reçue en attente de réponse" in body


def test_history_tab_shows_before_and_after(client, worker, person):
    client.force_login(worker)
    client.post(
        reverse("parcours:person_edit", args=[person.pk]),
        {
            "last_name": "Durand",
            "first_name": "Élise",
            "birth_date": person.birth_date.isoformat(),
            "gender": "FEMALE",
            "nationality_category": "",
            "phone": "07 00 00 00 01",
            "email": "",
            "commune_insee": "38185",
            "residence_right": "",
            "work_allowed": "",
        },
    )
    body = client.get(reverse("parcours:person_detail", args=[person.pk]), {"onglet": "historique"}).content.decode()
    assert "06 12 34 56 78" in body
    assert "07 00 00 00 01" in body


def test_only_the_author_edits_an_event(client, worker, colleague, person, structure):
    event = EventFactory(person=person, structure=structure, author=worker, text="Avant")
    url = reverse("parcours:event_edit", args=[person.pk, event.pk])
    client.force_login(colleague)
    assert client.get(url).status_code == 403
    client.force_login(worker)
    assert client.get(url).status_code == 200
    at = timezone.localtime(event.at).strftime("%Y-%m-%dT%H:%M")
    data = {"kind": "INTERVIEW", "at": at, "visibility": "SHARED", "text": "Après", "with_person": "on"}
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.text, event.visibility) == ("Après", "SHARED")


def test_events_tab_is_paginated(client, worker, person, structure):
    for _ in range(55):
        EventFactory(person=person, structure=structure, author=worker, note=True, text="Note")
    client.force_login(worker)
    url = reverse("parcours:person_detail", args=[person.pk])
    first = client.get(url, {"onglet": "evenements"}).content.decode()
    assert "Page 1 sur 2" in first
    second = client.get(url, {"onglet": "evenements", "page": "2"}).content.decode()
    assert second.count("<strong>Note</strong>") == 5


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("emploi", {"situation": "IAE", "started_on": "2025-05-10", "planned_end_on": "2025-01-01"}, "La fin prévue"),
        ("emploi", {"situation": "NOPE", "started_on": "2025-05-10"}, "Sélectionnez un choix valide"),
        ("ressource", {"kind": "RSA", "started_on": "2025-05-10", "monthly_amount": "-5"}, "ne peut pas être négatif"),
        ("ressource", {"kind": "RSA", "started_on": "pas une date"}, "Saisissez une date valide"),
        ("inconnu", {}, None),
    ],
)
def test_situation_forms_refuse_bad_input(client, worker, person, kind, data, message):
    client.force_login(worker)
    response = client.post(reverse("parcours:situation_create", args=[person.pk, kind]), data)
    if message is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not person.employment_situations.exists()
    assert not person.resources.exists()


def test_event_in_the_future_must_be_an_appointment(client, worker, person):
    client.force_login(worker)
    at = (timezone.localtime() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("parcours:event_create", args=[person.pk])
    body = client.post(url, {"kind": "INTERVIEW", "at": at, "visibility": "PRIVATE"}).content.decode()
    assert "Seul un rendez-vous peut être daté dans le futur." in body
    body = client.post(url, {"kind": "APPOINTMENT", "status": "HONOURED", "at": at, "visibility": "PRIVATE"})
    assert "ne peut pas encore être honoré" in body.content.decode()
    assert (
        client.post(url, {"kind": "APPOINTMENT", "status": "PLANNED", "at": at, "visibility": "PRIVATE"}).status_code
        == 302
    )
    assert Event.objects.filter(person=person).count() == 1
