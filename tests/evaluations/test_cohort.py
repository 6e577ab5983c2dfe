"""The cohort view for coordinators and structure managers, counted live and read from the summary
(evaluations/cohort.py): every behaviour test runs both ways and must give the same page."""

import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from evaluations import cohort
from evaluations.models import CohortCount, CohortPerson, CohortRefresh
from parcours.models import FollowUp
from tests.accounts.factories import MembershipFactory
from tests.evaluations.factories import EvaluationFactory
from tests.parcours.factories import ConsentFactory, FollowUpFactory, HousingSituationFactory, PersonFactory

URL = reverse("evaluations:cohort")


@pytest.fixture(params=["live", "summary"])
def get(request, client):
    """GET the cohort as it is now: counted live, or read from a summary refreshed just before."""

    def get(user, url=URL):
        client.force_login(user)
        if request.param == "summary":
            cohort.refresh()
        response = client.get(url)
        assert (response.context["refreshed_at"] is not None) == (request.param == "summary")
        return response

    return get


def close_person_in_hotel(structure, **kwargs):
    person = PersonFactory(followed_by=structure)
    HousingSituationFactory(person=person, hotel=True)
    EvaluationFactory(person=person, structure=structure, complete=True, final=True, **kwargs)
    return person


def test_manager_sees_counts_and_the_close_people_without_stable_housing(get, manager, structure, other_structure):
    hotel = close_person_in_hotel(structure, barriers={"MOBILITY": ["NO_LICENCE"], "HEALTH": ["HEALTH_CONSTRAINT"]})
    in_chrs = PersonFactory(followed_by=structure)
    HousingSituationFactory(person=in_chrs)  # CHRS: not in the key population
    EvaluationFactory(person=in_chrs, structure=structure, complete=True, final=True)
    far = PersonFactory(followed_by=structure)
    HousingSituationFactory(person=far, street=True)
    EvaluationFactory(person=far, structure=structure, complete=True, final=True, distance_level="FAR")
    elsewhere = close_person_in_hotel(other_structure)  # not visible to the manager
    response = get(manager)
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 personnes avec une évaluation finalisée" in text
    people = [row["person"] for row in response.context["people"]]
    assert people == [hotel]
    assert elsewhere.last_name not in text or elsewhere.last_name == hotel.last_name
    rows = dict(response.context["theme_rows"])
    assert rows["Mobilité"] == 1
    assert "Santé" not in rows
    assert dict(response.context["distance_rows"])["Proche"] == 2


def test_coordinator_sees_people_with_coordination_consent_only(get, coordinator, structure):
    consented = close_person_in_hotel(structure)
    ConsentFactory(person=consented, coordination=True)
    close_person_in_hotel(structure)
    response = get(coordinator)
    assert response.context["key_total"] == 1
    assert [row["person"] for row in response.context["people"]] == [consented]


@pytest.mark.parametrize("user_fixture", ["worker", "funder", "outsider"])
def test_other_roles_get_403(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 405


def test_navigation_entry_for_coordinators_and_managers(client, manager, worker):
    client.force_login(manager)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(worker)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("summary", [False, True])
def test_constant_queries(client, manager, structure, django_assert_num_queries, rows, summary):
    for _ in range(rows):
        close_person_in_hotel(structure, barriers={"FAMILY": ["CARER"]})
    if summary:
        cohort.refresh()
    client.force_login(manager)
    # session, user, request savepoint and pghistory context, the scope (role and access), header memberships,
    # savepoint release, session save, the alerts and concertation tasks badges of the navigation; then the
    # figures: live, the counts and the page of ids; from the summary, its rows (with the refresh time)
    # and the page of ids; both re-check the page's people, their housing and evaluations in one statement, and
    # write the audit entries of the people shown in one more.
    with django_assert_num_queries(16 if not summary else 15):
        response = client.get(URL)
    assert len(response.context["people"]) == rows
    from audit.models import AuditEntry

    shown = {row["person"].pk for row in response.context["people"]}
    audited = set(AuditEntry.objects.filter(user=manager, detail="cohort").values_list("person_id", flat=True))
    assert audited == shown


def test_manager_of_two_structures(get, structure, other_structure):
    user = MembershipFactory(structure=structure, manager=True).user
    MembershipFactory(structure=other_structure, manager=True, user=user)
    close_person_in_hotel(structure)
    close_person_in_hotel(other_structure)
    both = close_person_in_hotel(structure)
    FollowUpFactory(person=both, structure=other_structure)
    response = get(user)
    assert len(response.context["people"]) == 3  # followed by both structures: counted and listed once
    assert response.context["total"] == 3


def test_pages_and_bad_page_numbers(get, manager, structure):
    for _ in range(51):
        close_person_in_hotel(structure)
    first = get(manager).context["people"]
    assert len(first) == 50
    second = get(manager, URL + "?page=2")
    assert len(second.context["people"]) == 1
    assert "Page 2 sur 2" in second.content.decode()
    names = [(r["person"].last_name, r["person"].first_name, r["person"].pk) for r in first + second.context["people"]]
    assert names == sorted(names)
    for bad, shown in (("abc", 1), ("-3", 1), ("999", 2), ("99999999999999999999", 2), ("1.5", 1)):
        response = get(manager, URL + f"?page={bad}")
        assert response.status_code == 200
        assert response.context["page"].number == shown


def test_manager_who_sees_nobody(get, manager):
    response = get(manager)
    assert response.status_code == 200
    assert response.context["total"] == 0
    assert "Aucune personne dans cette situation" in response.content.decode()


def test_manager_counts_the_people_of_their_structure_not_every_consented_partner(
    get, manager, structure, other_structure
):
    mine = close_person_in_hotel(structure)
    shared = close_person_in_hotel(other_structure)
    ConsentFactory(person=shared, partners=True)  # the manager may read this file (R3), but it is not theirs
    response = get(manager)
    assert "1 personne avec une évaluation finalisée" in response.content.decode()
    assert [row["person"] for row in response.context["people"]] == [mine]


# --- the summary --------------------------------------------------------------------------------------------
def test_the_summary_holds_every_scope_in_use_and_no_name(manager, coordinator, structure, other_structure):
    two = MembershipFactory(structure=structure, manager=True).user
    MembershipFactory(structure=other_structure, manager=True, user=two)
    MembershipFactory(structure=other_structure, manager=True, user__is_active=False)  # left: no scope of its own
    close_person_in_hotel(structure)
    refresh = cohort.refresh()
    scopes = set(CohortCount.objects.filter(kind="people").values_list("scope", flat=True))
    assert scopes == {
        "coordination",
        f"structures:{structure.pk}",
        cohort._structures_key([structure.pk, other_structure.pk]),
    }
    assert CohortRefresh.objects.get() == refresh
    assert refresh.duration_ms >= 0
    assert {f.name for f in CohortCount._meta.fields} == {"id", "scope", "kind", "code", "n"}
    assert {f.name for f in CohortPerson._meta.fields} == {"id", "scope", "rank", "person"}
    cohort.refresh()  # idempotent: rebuilt, not added to
    assert CohortCount.objects.filter(kind="people").count() == 3


def test_summary_figures_are_those_of_the_refresh_and_names_are_checked_now(client, manager, structure):
    kept = close_person_in_hotel(structure)
    left = close_person_in_hotel(structure)
    cohort.refresh()
    close_person_in_hotel(structure)  # after the refresh: counted at the next one
    FollowUp.objects.filter(person=left).update(
        ended_on=timezone.localdate(), end_reason="COMPLETED"
    )  # no longer the manager's
    client.force_login(manager)
    response = client.get(URL)
    assert response.context["key_total"] == 2
    assert [row["person"] for row in response.context["people"]] == [kept]
    assert "Chiffres calculés le" in response.content.decode()
    cohort.refresh()
    response = client.get(URL)
    assert response.context["key_total"] == 2  # kept and the new one; left is gone
    assert left not in [row["person"] for row in response.context["people"]]


def test_a_person_no_longer_in_the_key_population_is_not_listed(client, manager, structure):
    person = close_person_in_hotel(structure)
    cohort.refresh()
    person.housing_situations.update(ended_on=timezone.localdate())
    client.force_login(manager)
    assert client.get(URL).context["people"] == []


def test_scopes_the_summary_lacks_are_counted_live(client, structure, other_structure, coordinator):
    close_person_in_hotel(structure)
    cohort.refresh()
    newcomer = MembershipFactory(structure=structure, manager=True).user  # appointed after the refresh
    client.force_login(newcomer)
    response = client.get(URL)
    assert response.context["refreshed_at"] is None
    assert response.context["key_total"] == 1
    # A coordinator who also works in a structure sees more than R4: live, through the whole policy.
    MembershipFactory(structure=other_structure, user=coordinator, social_worker=True)
    close_person_in_hotel(other_structure)
    client.force_login(coordinator)
    response = client.get(URL)
    assert response.context["refreshed_at"] is None
    assert response.context["key_total"] == 1


def test_beat_refreshes_the_cohort():
    entry = settings.CELERY_BEAT_SCHEDULE["evaluations-refresh-cohort"]
    assert entry["task"] == "evaluations.tasks.refresh_cohort"
    assert settings.CELERY_TASK_ROUTES["evaluations.tasks.*"] == {"queue": "reports"}


@pytest.mark.celery_worker
def test_a_real_worker_refreshes_the_cohort(celery_worker, structure):
    from evaluations.tasks import refresh_cohort

    MembershipFactory(structure=structure, manager=True)
    close_person_in_hotel(structure)
    result = refresh_cohort.apply_async(queue="reports")
    deadline = time.monotonic() + 60
    while not result.ready() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert result.successful(), result.result
    assert CohortRefresh.objects.get().duration_ms == result.result["duration_ms"]
    assert CohortCount.objects.get(scope=f"structures:{structure.pk}", kind="key").n == 1
