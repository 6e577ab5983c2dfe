import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partenaires.models import DigestSubscription, PartnerAction
from tests.partenaires.factories import PartnerActionFactory, StructureFactory

pytestmark = pytest.mark.django_db
LIST = reverse("partenaires:action_list")
CALENDAR = reverse("partenaires:action_calendar")
THEME = "trouver-un-emploi--convaincre-un-recruteur-en-entretien"


def titles(response):
    return [action.title for action in response.context["page"].object_list]


def test_list_shows_coming_actions_only(client_for, worker):
    today = timezone.localdate()
    PartnerActionFactory(title="Forum emploi", starts_on=today + datetime.timedelta(days=3))
    PartnerActionFactory(title="Passée", starts_on=today - datetime.timedelta(days=3))
    PartnerActionFactory(
        title="En cours", starts_on=today - datetime.timedelta(days=3), ends_on=today + datetime.timedelta(days=1)
    )
    assert titles(client_for(worker).get(LIST)) == ["En cours", "Forum emploi"]


def test_list_filters_by_thematique_and_territory(client_for, worker):
    elsewhere = StructureFactory(commune="Montagnac")
    PartnerActionFactory(title="Job dating", thematiques=[THEME], commune="Villeneuve")
    PartnerActionFactory(title="Atelier CV", thematiques=[THEME], structure=elsewhere, commune="")
    PartnerActionFactory(title="Permanence logement")
    client = client_for(worker)
    assert titles(client.get(LIST, {"thematique": THEME})) == ["Job dating", "Atelier CV"] or titles(
        client.get(LIST, {"thematique": THEME})
    ) == ["Atelier CV", "Job dating"]
    assert titles(client.get(LIST, {"thematique": THEME, "place": "MONTAGNAC"})) == ["Atelier CV"]


def test_bad_filter_is_a_message_not_a_500(client_for, worker):
    response = client_for(worker).get(LIST, {"thematique": "nope"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_calendar_places_actions_on_their_days(client_for, worker):
    PartnerActionFactory(title="Salon", starts_on=datetime.date(2031, 3, 30), ends_on=datetime.date(2031, 4, 2))
    PartnerActionFactory(title="Hors mois", starts_on=datetime.date(2031, 6, 1))
    response = client_for(worker).get(CALENDAR, {"mois": "2031-04"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Avril 2031" in content
    # The grid starts on Monday 31 March: the salon shows on 31 March, 1 and 2 April.
    assert content.count("Salon") == 3
    assert "Hors mois" not in content


def test_calendar_with_a_bad_month_falls_back_to_the_current_one(client_for, worker):
    response = client_for(worker).get(CALENDAR, {"mois": "2031-13"})
    assert response.status_code == 200
    assert "Mois invalide" in response.content.decode()


@pytest.mark.parametrize("size", [1, 50])
def test_list_and_calendar_constant_queries(client_for, worker, django_assert_num_queries, size):
    for _ in range(size):
        PartnerActionFactory()
    client = client_for(worker)
    # session, user, count, memberships, page (with structures), subscription; +5 savepoints/session.
    # (A worker manages no structure: "may announce" needs no query.)
    with django_assert_num_queries(14):  # +1: alerts badge, +1: concertation tasks badge, +1: the user scope
        client.get(LIST)
    # session, user, memberships, actions (with structures), subscription; +5
    with django_assert_num_queries(13):  # +1: alerts badge, +1: concertation tasks badge, +1: the user scope
        client.get(CALENDAR)


def action_data(structure, **changes):
    data = {
        "structure": structure.pk,
        "title": "Information collective",
        "starts_on": (timezone.localdate() + datetime.timedelta(days=10)).isoformat(),
        "thematiques": [THEME],
    }
    data.update(changes)
    return data


def test_manager_announces_an_action_for_their_structure(client_for, manager, structure):
    response = client_for(manager).post(reverse("partenaires:action_create"), action_data(structure))
    assert response.status_code == 302
    action = PartnerAction.objects.get()
    assert action.created_by == manager
    assert action.structure == structure


def test_manager_cannot_announce_for_another_structure(client_for, manager, other_structure):
    response = client_for(manager).post(reverse("partenaires:action_create"), action_data(other_structure))
    assert response.status_code == 200
    assert "structure" in response.context["form"].errors
    assert not PartnerAction.objects.exists()


def test_end_before_start_is_refused(client_for, manager, structure):
    data = action_data(structure, ends_on=timezone.localdate().isoformat())
    response = client_for(manager).post(reverse("partenaires:action_create"), data)
    assert response.status_code == 200
    assert "La date de fin ne peut pas précéder la date de début." in response.content.decode()


def test_worker_cannot_announce(client_for, worker, structure):
    assert client_for(worker).post(reverse("partenaires:action_create"), action_data(structure)).status_code == 403


def test_outsider_cannot_edit_or_delete_an_action(client_for, outsider, structure):
    action = PartnerActionFactory(structure=structure)
    client = client_for(outsider)
    assert client.post(reverse("partenaires:action_edit", args=[action.pk]), action_data(structure)).status_code == 403
    assert client.post(reverse("partenaires:action_delete", args=[action.pk])).status_code == 403
    assert PartnerAction.objects.filter(pk=action.pk).exists()


def test_coordinator_edits_and_deletes_an_action(client_for, coordinator, structure):
    action = PartnerActionFactory(structure=structure)
    client = client_for(coordinator)
    url = reverse("partenaires:action_edit", args=[action.pk])
    assert client.post(url, action_data(structure, title="Nouveau titre")).status_code == 302
    action.refresh_from_db()
    assert action.title == "Nouveau titre"
    assert client.post(reverse("partenaires:action_delete", args=[action.pk])).status_code == 302
    assert not PartnerAction.objects.exists()


def test_digest_subscription_toggles(client_for, worker):
    client = client_for(worker)
    client.post(reverse("partenaires:digest_toggle"))
    assert DigestSubscription.objects.filter(user=worker).exists()
    client.post(reverse("partenaires:digest_toggle"))
    assert not DigestSubscription.objects.filter(user=worker).exists()
