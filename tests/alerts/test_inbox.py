"""The inbox people act on: grouped by person, similar alerts folded, a daily cap on « Urgent »."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alerts.models import Alert, AlertSettings
from tests.alerts.factories import AlertFactory
from tests.parcours.factories import FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("alerts:alert_list")


def follow(person, structure):
    FollowUpFactory(person=person, structure=structure)
    return person


def test_alerts_are_grouped_by_person_sorted_by_the_nearest_due_date(client, worker, person):
    today = timezone.localdate()
    structure = person.followups.get().structure
    later = follow(PersonFactory(last_name="Zed"), structure)
    AlertFactory(person=later, owner=worker, subject_key="a:1", due_on=today + dt.timedelta(days=2))
    AlertFactory(person=person, owner=worker, subject_key="a:2", due_on=today + dt.timedelta(days=40))
    AlertFactory(person=person, owner=worker, subject_key="a:3", due_on=today + dt.timedelta(days=1), urgent=True)
    client.force_login(worker)
    response = client.get(LIST)
    groups = [group for group, _urgent in response.context["groups"]]
    assert [g.person for g in groups] == [person, later]
    assert [len(g.items) for g in groups] == [2, 1]
    text = response.content.decode()
    assert text.count('class="card mb-2 inbox-person"') == 2
    assert "3 alertes · 2 personnes" in text


def test_a_stay_and_a_resource_ending_in_the_same_week_fold_together(client, worker, person):
    today = timezone.localdate()
    stay = AlertFactory(
        person=person, owner=worker, rule="STAY_END", subject_key="h:1", due_on=today + dt.timedelta(days=10)
    )
    resource = AlertFactory(person=person, owner=worker, resource=True, due_on=today + dt.timedelta(days=14))
    far = AlertFactory(
        person=person, owner=worker, rule="CONTRACT_END", subject_key="e:1", due_on=today + dt.timedelta(days=40)
    )
    client.force_login(worker)
    response = client.get(LIST)
    ((group, _urgent),) = response.context["groups"]
    folded = [item for item in group.items if item.is_folded]
    assert [item.alerts for item in folded] == [[stay, resource]]
    assert len(group.items) == 2
    assert far in group.items[1].alerts
    text = response.content.decode()
    assert "Plusieurs échéances la même semaine" in text
    # One tick acknowledges the folded alerts together.
    client.post(reverse("alerts:alert_bulk_acknowledge"), {"alert": [folded[0].open_ids]})
    assert set(Alert.objects.filter(status="ACKNOWLEDGED").values_list("pk", flat=True)) == {stay.pk, resource.pk}


def test_urgent_is_capped_per_day_and_the_rest_is_under_a_watch_heading(client, worker, person):
    settings = AlertSettings.load()
    settings.urgent_daily_cap = 2
    settings.save()
    today = timezone.localdate()
    structure = person.followups.get().structure
    people = [follow(PersonFactory(), structure) for _ in range(4)]
    for days, other in enumerate(people):
        AlertFactory(
            person=other, owner=worker, urgent=True, subject_key=f"u:{days}", due_on=today + dt.timedelta(days=days)
        )
    client.force_login(worker)
    response = client.get(LIST)
    inbox = response.context["inbox"]
    assert [g.person for g in inbox.urgent] == people[:2]
    assert [g.person for g in inbox.watch] == people[2:]
    assert inbox.capped == 2
    text = response.content.decode()
    assert text.index(">Urgent aujourd'hui<") < text.index(">À surveiller<")
    assert "2 situations urgentes de plus sont rangées « À surveiller » pour aujourd'hui." in text


def test_the_filter_button_is_not_blue_on_blue(client, worker):
    client.force_login(worker)
    text = client.get(LIST).content.decode()
    button = next(part for part in text.split("<input") if 'value="Filtrer"' in part)
    assert "btn-outline-primary" in button
    assert "btn-primary" not in button.replace("btn-outline-primary", "")


def test_an_empty_inbox_says_what_to_do(client, worker):
    client.force_login(worker)
    text = client.get(LIST).content.decode()
    assert "Élargissez les filtres" in text
