"""Walks every named URL pattern of the project (new ones included, without editing this test) with the ids of
one person's file, as each member of privacy.md's cast, and fails on any leak: a page showing the person to
someone who may not see them, or a POST changing the file for someone who may not change it."""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.accounts.factories import MembershipFactory
from tests.parcours.factories import (
    ActionFactory,
    ConsentFactory,
    EventFactory,
    FollowUpFactory,
    HousingRequestFactory,
    HousingSituationFactory,
    ObjectiveFactory,
    PersonFactory,
    ReferralFactory,
)
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db

MARKERS = ("Zyxwvutsrq", "0611223344", "zyx.marker@example.test")


def named_patterns(resolver=None, namespace=""):
    """(view name, pattern) of every named URL pattern, through every include."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def kwargs_for(pattern, ids: dict) -> dict:
    names = list(getattr(pattern, "converters", {}) or {})
    regex = getattr(pattern, "regex", None)
    if not names and regex is not None:
        names = list(regex.groupindex)
    kwargs = {}
    for name in names:
        converter = getattr(pattern, "converters", {}).get(name)
        if converter is not None and converter.regex == "[0-9]+":
            kwargs[name] = ids.get(name, ids["pk"])
        else:
            kwargs[name] = ids.get(f"str:{name}", str(ids["pk"]))
    return kwargs


def urls(ids: dict) -> list[tuple[str, str]]:
    found = []
    for name, pattern in named_patterns():
        try:
            found.append((name, reverse(name, kwargs=kwargs_for(pattern, ids))))
        except Exception:  # a pattern our ids cannot fill (e.g. an admin regex with fixed choices)
            continue
    return found


def history_rows() -> int:
    return sum(
        m.objects.count() for m in apps.get_app_config("parcours").get_models() if m.__name__.endswith("History")
    )


@pytest.fixture
def file(structure, other_structure):
    person = PersonFactory(last_name=MARKERS[0], first_name="Test", phone=MARKERS[1], email=MARKERS[2])
    followup = FollowUpFactory(person=person, structure=structure, lead=True)
    housing = HousingSituationFactory(person=person)
    event = EventFactory(person=person, structure=structure, shared=True)
    third = StructureFactory(name="Structure tierce")
    referral = ReferralFactory(person=person, from_structure=structure, to_structure=third)
    consent = ConsentFactory(person=person, partners=True, refused=True)
    action = ActionFactory(objective=ObjectiveFactory(person=person, created_by_structure=structure))
    housing_request = HousingRequestFactory(person=person)
    ids = {
        "pk": person.pk,
        "person_id": person.pk,
        "referral_id": referral.pk,
        "situation_id": housing.pk,
        "event_id": event.pk,
        "consent_id": consent.pk,
        "followup_id": followup.pk,
        "objective_id": action.objective_id,
        "action_id": action.pk,
        "request_id": housing_request.pk,
        "str:kind": "hebergement",
    }
    return person, ids


def _walk(client, user, ids, *, may_see: bool, may_write: bool):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    pages = urls(ids)
    assert any(name == "parcours:person_detail" for name, _url in pages), "the walk misses the person file"
    for name, url in pages:
        if name in ("logout",):
            continue
        response = client.get(url)
        body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
        if not may_see:
            leaked = [m for m in MARKERS if m in body]
            assert not leaked, f"GET {name} ({url}) shows {leaked} to {user}"
        if not may_write:
            before = history_rows()
            response = client.post(url, {})
            assert history_rows() == before, f"POST {name} ({url}) changed the file as {user}"
            body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
            if not may_see:
                assert not [m for m in MARKERS if m in body], f"POST {name} leaks to {user}"
            if user is not None:
                client.force_login(user)  # a POST to logout-like URLs must not end the walk


def test_worker_of_the_following_structure_sees_the_file(client, file, worker):
    person, ids = file
    body = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert MARKERS[0] not in body  # anonymous: redirected to login
    client.force_login(worker)
    body = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert MARKERS[0].upper() in body
    assert MARKERS[1] in body


@pytest.mark.parametrize("who", ["outsider", "funder", "coordinator", "anonymous", "user_without_membership"])
def test_no_leak_to_people_who_may_not_see(client, file, who, request):
    _person, ids = file
    user = None if who == "anonymous" else request.getfixturevalue(who)
    _walk(client, user, ids, may_see=False, may_write=False)


def test_coordinator_with_consent_reads_but_never_writes(client, file, coordinator):
    person, ids = file
    ConsentFactory(person=person, coordination=True)
    client.force_login(coordinator)
    assert client.get(reverse("parcours:person_detail", args=[person.pk])).status_code == 200
    _walk(client, coordinator, ids, may_see=True, may_write=False)


def test_referral_recipient_sees_only_the_referral(client, file):
    person, ids = file
    from parcours.models import Referral

    referral = Referral.objects.get(pk=ids["referral_id"])
    receiver = MembershipFactory(structure=referral.to_structure).user
    client.force_login(receiver)
    assert client.get(reverse("parcours:referral_detail", args=[referral.pk])).status_code == 200
    for name, url in urls(ids):
        if name.startswith("parcours:referral_") or name in ("logout",):
            continue
        body = client.get(url).content.decode(errors="replace")
        assert not re.search(MARKERS[1], body), f"{name} shows the file to a referral recipient"
