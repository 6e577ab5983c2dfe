"""Walks every named URL pattern of the project (new ones included, without editing this test) with the ids of
one person's file, as each member of privacy.md §3's cast, and fails on any leak:

- a page showing the person (name, phone, e-mail) to someone who may not see them;
- a ◆ health item (AAH amount, HEALTH barrier, RQTH) in a SHARED or REFERRAL response;
- a POST changing the file for someone who may not change it;
- the person pages answering other than privacy.md §3 says (200 / 403 / 404);
- the admin showing person data to anyone without the FULL view (R10), superusers included.

The walk covers the referral URLs, the list pages, the exports (FSE participants) and every admin page of the
person-data models. Ids are looked up per URL: `namespace:kwarg` first (e.g. `fse:pk` is the operation), then
`kwarg`; admin change pages use `admin:<app>_<model>` (the row about the person), then the person's id.
"""

import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.accounts.factories import MembershipFactory
from tests.alerts.factories import AlertFactory
from tests.evaluations.factories import EvaluationFactory
from tests.fse.factories import OperationFactory, ParticipantFactory
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
    ResourceFactory,
)
from tests.partenaires.factories import StructureFactory

pytestmark = pytest.mark.django_db

MARKERS = ("Zyxwvutsrq", "0611223344", "zyx.marker@example.test")
# ◆ items of the file: the AAH amount, the HEALTH barrier's situation, the RQTH field of the evaluation.
HEALTH_MARKERS = (
    # The amount, not the same digits inside a random token (a CSRF token or a submission key once matched).
    re.compile(r"(?<![\w-])4\s?321(?![\w-])"),
    re.compile(r"contrainte de santé", re.IGNORECASE),
    re.compile(r"travailleur handicapé", re.IGNORECASE),
)
ADMIN_OBJECT_RE = re.compile(r"^admin:(\w+?_\w+?)_(change|history|delete)$")


def named_patterns(resolver=None, namespace=""):
    """(view name, pattern) of every named URL pattern, through every include."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


def kwargs_for(pattern, ids: dict, name: str = "") -> dict:
    names = list(getattr(pattern, "converters", {}) or {})
    regex = getattr(pattern, "regex", None)
    if not names and regex is not None:
        names = list(regex.groupindex)
    namespace = name.rsplit(":", 1)[0] if ":" in name else ""
    admin_object = ADMIN_OBJECT_RE.match(name)
    kwargs = {}
    for kwarg in names:
        converter = getattr(pattern, "converters", {}).get(kwarg)
        if admin_object and kwarg == "object_id":
            kwargs[kwarg] = str(ids.get(f"admin:{admin_object.group(1)}", ids["pk"]))
        elif converter is not None and converter.regex == "[0-9]+":
            kwargs[kwarg] = ids.get(f"{namespace}:{kwarg}", ids.get(kwarg, ids["pk"]))
        else:
            kwargs[kwarg] = ids.get(f"{namespace}:str:{kwarg}", ids.get(f"str:{kwarg}", str(ids["pk"])))
    return kwargs


def urls(ids: dict) -> list[tuple[str, str]]:
    found = []
    for name, pattern in named_patterns():
        try:
            found.append((name, reverse(name, kwargs=kwargs_for(pattern, ids, name))))
        except Exception:  # a pattern our ids cannot fill (e.g. an admin regex with fixed choices)
            continue
    return found


def history_rows() -> int:
    return sum(
        m.objects.count() for m in apps.get_app_config("parcours").get_models() if m.__name__.endswith("History")
    )


def _body(response) -> str:
    return response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""


def _health(body: str) -> list[str]:
    return [marker.pattern for marker in HEALTH_MARKERS if marker.search(body)]


@pytest.fixture
def file(structure, other_structure):
    """One person followed by `structure` (housing, FULL view), with ◆ items, a pending referral to a third
    structure, an evaluation, an alert and an FSE participant record of an operation `structure` delivers."""
    person = PersonFactory(last_name=MARKERS[0], first_name="Test", phone=MARKERS[1], email=MARKERS[2])
    followup = FollowUpFactory(person=person, structure=structure, lead=True)
    worker = MembershipFactory(structure=structure, social_worker=True).user
    housing = HousingSituationFactory(person=person)
    event = EventFactory(person=person, structure=structure, author=worker, shared=True)
    resource = ResourceFactory(person=person, aah=True, monthly_amount=4321)
    third = StructureFactory(name="Structure tierce")
    referral = ReferralFactory(person=person, from_structure=structure, to_structure=third)
    consent = ConsentFactory(person=person, partners=True, refused=True)
    evaluation = EvaluationFactory(
        person=person,
        structure=structure,
        author=worker,
        complete=True,
        final=True,
        rqth_status="YES",
        barriers={"HEALTH": ["HEALTH_CONSTRAINT"]},
    )
    alert = AlertFactory(person=person, structure=structure)
    operation = OperationFactory(carrier=structure)
    participant = ParticipantFactory(
        operation=operation, person=person, last_name=MARKERS[0], phone=MARKERS[1], email=MARKERS[2]
    )
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
        "str:section": "A",
        "evaluations:pk": evaluation.pk,
        "alerts:pk": alert.pk,
        "fse:pk": operation.pk,
        "fse:participant_pk": participant.pk,
        "fse:str:fmt": "csv",
        "admin:parcours_person": person.pk,
        "admin:parcours_followup": followup.pk,
        "admin:parcours_housingsituation": housing.pk,
        "admin:parcours_resource": resource.pk,
        "admin:parcours_event": event.pk,
        "admin:parcours_referral": referral.pk,
        "admin:parcours_consent": consent.pk,
        "admin:evaluations_evaluation": evaluation.pk,
        "admin:alerts_alert": alert.pk,
    }
    return person, ids, {"worker": worker, "third": third, "referral": referral}


# --- the cast of privacy.md §3 -------------------------------------------------------------------------------
# level: the view of the file (None: the person does not exist for them); writes: may change the file;
# marker_pages: namespaces where the person's identity may appear although the file is not visible (R9: FSE
# participant records for coordinators; R2: the referral pages for the receiving structure).
CAST = {
    "worker_with_health_access": {"level": "FULL", "writes": True},
    "employment_only_worker": {"level": "SHARED", "writes": True},
    "past_follower": {"level": "FULL", "writes": False},
    "referral_recipient": {
        "level": "REFERRAL",
        "writes": False,
        "marker_pages": ("parcours:referral_", "evaluations:evaluation_detail", "evaluations:evaluation_pdf"),
        "allowed_posts": ("parcours:referral_accept", "parcours:referral_refuse"),  # R2: may accept or refuse
    },
    "consented_partner": {"level": "SHARED", "writes": False},
    "unrelated_worker": {"level": None, "writes": False},
    "coordinator_with_consent": {"level": "SHARED", "writes": False, "marker_pages": ("fse:",)},
    "coordinator_without_consent": {"level": None, "writes": False, "marker_pages": ("fse:",)},
    "funder": {"level": None, "writes": False},
    "administrator": {"level": None, "writes": False},
    "user_without_membership": {"level": None, "writes": False},
    "anonymous": {"level": None, "writes": False},
}


def cast_member(who, person, extra, other_structure):
    """The user playing `who` around `person` (None for anonymous), with what their role needs."""
    if who == "worker_with_health_access":
        return extra["worker"]
    if who == "employment_only_worker":
        employment = StructureFactory(name="France Travail (test)", kind="FRANCE_TRAVAIL")
        FollowUpFactory(person=person, structure=employment, employment=True)
        return MembershipFactory(structure=employment, counsellor=True).user
    if who == "past_follower":
        past = StructureFactory(name="CHU (test)", kind="CHU")
        FollowUpFactory(person=person, structure=past, housing=True, ended=True)
        return MembershipFactory(structure=past, social_worker=True).user
    if who == "referral_recipient":
        return MembershipFactory(structure=extra["third"], counsellor=True).user
    if who == "consented_partner":
        ConsentFactory(person=person, partners=True)
        return MembershipFactory(structure=other_structure, counsellor=True).user
    if who == "unrelated_worker":
        return MembershipFactory(structure=other_structure, counsellor=True).user
    if who == "coordinator_with_consent":
        ConsentFactory(person=person, coordination=True)
        return MembershipFactory(coordinator=True).user
    if who == "coordinator_without_consent":
        return MembershipFactory(coordinator=True).user
    if who == "funder":
        return MembershipFactory(funder=True).user
    if who == "administrator":
        return MembershipFactory(admin=True).user
    if who == "user_without_membership":
        from tests.accounts.factories import UserFactory

        return UserFactory()
    return None


def _expected_person_pages(level, writes, anonymous) -> dict:
    """privacy.md §3 for the file's main pages: view name -> expected status."""
    if anonymous:
        return {"parcours:person_detail": 302, "parcours:person_edit": 302, "parcours:referral_detail": 302}
    sees = level in ("FULL", "SHARED")
    return {
        "parcours:person_detail": 200 if sees else 404,
        "parcours:person_notice": 200 if sees else 404,
        "parcours:person_edit": (200 if writes else 403) if sees else 404,
        "parcours:referral_detail": 200 if level else 404,
        "evaluations:evaluation_detail": 200 if level else 404,  # REFERRAL: the synthesis without ◆ items
    }


@pytest.mark.parametrize("who", list(CAST))
def test_the_walk_as_each_member_of_the_cast(client, file, other_structure, who):
    person, ids, extra = file
    expected = CAST[who]
    user = cast_member(who, person, extra, other_structure)
    if user is None:
        client.logout()
    else:
        client.force_login(user)

    # privacy.md §3 on the main pages of the file.
    for name, status in _expected_person_pages(expected["level"], expected["writes"], user is None).items():
        pattern = dict(named_patterns())[name]
        url = reverse(name, kwargs=kwargs_for(pattern, ids, name))
        assert client.get(url).status_code == status, f"GET {name} as {who}"

    pages = urls(ids)
    kwargs_of = {name: kwargs_for(pattern, ids, name) for name, pattern in named_patterns()}
    assert any(name == "parcours:person_detail" for name, _url in pages), "the walk misses the person file"
    assert any(name == "parcours:referral_detail" for name, _url in pages), "the walk misses the referrals"
    assert any(name == "fse:participant_export" for name, _url in pages), "the walk misses the exports"
    for name, url in pages:
        if name in ("logout",) or name.startswith("admin:"):
            continue  # the admin is walked below, as staff
        response = client.get(url)
        body = _body(response)
        may_show_identity = expected["level"] in ("FULL", "SHARED") or name.startswith(
            expected.get("marker_pages", ())
        )
        if not may_show_identity:
            leaked = [m for m in MARKERS if m in body]
            assert not leaked, f"GET {name} ({url}) shows {leaked} to {who}"
        if expected["level"] != "FULL":
            assert not _health(body), f"GET {name} ({url}) shows ◆ {_health(body)} to {who}"
        about_the_person = name.startswith(("parcours:", "evaluations:")) and (
            "pk" in kwargs_of[name] or "person_id" in kwargs_of[name]
        )
        if expected["level"] is None and user is not None and about_the_person and name != "parcours:person_trail":
            assert response.status_code in (403, 404, 405), f"GET {name} ({url}) answers {response.status_code}"
        if not expected["writes"] and name not in expected.get("allowed_posts", ()):
            before = history_rows()
            response = client.post(url, {})
            assert history_rows() == before, f"POST {name} ({url}) changed the file as {who}"
            body = _body(response)
            if not may_show_identity:
                assert not [m for m in MARKERS if m in body], f"POST {name} leaks to {who}"
            if expected["level"] != "FULL":
                assert not _health(body), f"POST {name} ({url}) shows ◆ to {who}"
            if user is not None:
                client.force_login(user)  # a POST to logout-like URLs must not end the walk


ADMIN_CAST = ["worker_with_health_access", "employment_only_worker", "referral_recipient", "administrator"]


@pytest.mark.parametrize("who", ADMIN_CAST)
def test_the_admin_walk_as_each_member_of_the_cast_made_superuser(client, file, other_structure, who):
    """R10: the admin of person data follows the policy (FULL view only), superusers included. Every admin list,
    change and history page is walked (new models included) as a FULL, a SHARED, a REFERRAL viewer and an
    administrator without any follow-up; the other members of the cast are refused by the same `full_q`."""
    person, ids, extra = file
    user = cast_member(who, person, extra, other_structure)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    full = CAST[who]["level"] == "FULL"
    walked = 0
    for name, url in urls(ids):
        if not name.startswith("admin:") or not name.endswith(("_changelist", "_change", "_history")):
            continue
        walked += 1
        body = _body(client.get(url))
        if not full:
            leaked = [m for m in MARKERS if m in body] + _health(body)
            assert not leaked, f"GET {name} ({url}) shows {leaked} to {who} in the admin"
    assert walked > 40
    change = client.get(reverse("admin:parcours_person_change", args=[person.pk]))
    assert (MARKERS[0] in _body(change)) is full


def test_worker_of_the_following_structure_sees_the_file(client, file):
    person, _ids, extra = file
    body = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert MARKERS[0] not in body  # anonymous: redirected to login
    client.force_login(extra["worker"])
    body = client.get(reverse("parcours:person_detail", args=[person.pk])).content.decode()
    assert MARKERS[0].upper() in body
    assert MARKERS[1] in body
    assert _health(body)  # FULL view: the AAH amount is there


def test_a_refused_referral_is_gone_for_its_recipient(client, file):
    """R2: refused, expired or cancelled, the REFERRAL view is gone everywhere (list included)."""
    from django.utils import timezone

    person, ids, extra = file
    recipient = MembershipFactory(structure=extra["third"], counsellor=True).user
    client.force_login(recipient)
    assert client.get(reverse("parcours:referral_detail", args=[ids["referral_id"]])).status_code == 200
    referral = extra["referral"]
    referral.status, referral.answered_at, referral.refusal_reason = "REFUSED", timezone.now(), "NO_CAPACITY"
    referral.save()
    for name, url in urls(ids):
        if name in ("logout",) or name.startswith("admin:"):
            continue
        body = _body(client.get(url))
        assert not [m for m in MARKERS if m in body], f"GET {name} shows the person after the refusal"
