import pytest
from django.urls import reverse

from tests.accounts.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("user_fixture", "expected", "absent"),
    [
        ("worker", "Mes personnes suivies", "Rapports FSE"),
        ("manager", "Tableau de bord de la structure", "Rapports FSE"),
        ("coordinator", "Tableau de bord du territoire", "Mes personnes suivies"),
        ("funder", "Rapports FSE", "Mes personnes suivies"),
    ],
)
def test_home_shows_what_the_role_does(client, request, user_fixture, expected, absent):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert expected in content
    assert absent not in content
    membership = user.memberships.get()
    assert membership.structure.name in content
    assert membership.get_role_display() in content


def test_home_without_membership_says_what_to_do(client, user_without_membership):
    client.force_login(user_without_membership)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "rattaché à aucune structure" in response.content.decode()


def test_home_has_skip_link_landmarks_and_french_language(client, worker):
    client.force_login(worker)
    content = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in content
    assert 'href="#contenu"' in content
    assert '<main id="contenu"' in content
    assert "<nav" in content
    assert "<header" in content


def test_home_sends_a_content_security_policy_without_inline_script(client, worker):
    client.force_login(worker)
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_home_query_count_does_not_grow_with_memberships(client, worker, django_assert_max_num_queries):
    client.force_login(worker)
    client.get(reverse("home"))  # warm the session
    # 8 for the page, 3 for the parcours cards (memberships, people counts, referral counts),
    # 1 for the alerts badge of the navigation, 1 for the concertation tasks badge, 3 for the observatoire's
    # worker card (alerts by urgency, people without contact, referrals waiting)
    with django_assert_max_num_queries(16) as one:
        client.get(reverse("home"))
    for _ in range(5):
        MembershipFactory(user=worker)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("home"))


class TestMembershipSwitch:
    def test_the_switcher_lists_every_membership_and_changes_the_active_one(self, client, worker, other_structure):
        second = MembershipFactory(user=worker, structure=other_structure, counsellor=True)
        client.force_login(worker)
        home = client.get(reverse("home")).content.decode()
        assert 'name="membership"' in home
        assert other_structure.name in home
        response = client.post(reverse("switch_membership"), {"membership": second.pk}, follow=True)
        assert response.status_code == 200
        assert response.context["active_membership"] == second
        assert "Vous agissez maintenant pour" in response.content.decode()

    def test_a_membership_of_someone_else_is_refused(self, client, worker, outsider):
        client.force_login(worker)
        foreign = outsider.memberships.get()
        response = client.post(reverse("switch_membership"), {"membership": foreign.pk}, follow=True)
        assert response.context["active_membership"] != foreign
        assert "ne fait pas partie de vos appartenances" in response.content.decode()

    def test_garbage_input_is_refused_without_error(self, client, worker):
        client.force_login(worker)
        response = client.post(reverse("switch_membership"), {"membership": "abc"}, follow=True)
        assert response.status_code == 200
        assert "ne fait pas partie de vos appartenances" in response.content.decode()

    def test_switch_is_post_only(self, client, worker):
        client.force_login(worker)
        assert client.get(reverse("switch_membership")).status_code == 405
