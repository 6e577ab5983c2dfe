"""Inbox, alert page and actions, settings, dashboard, person-file section, badge: access and bad input."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.enums import AlertStatus
from alerts.models import Alert, AlertSettings, AlertTransition, CaseConferenceProposal
from tests.accounts.factories import MembershipFactory
from tests.alerts.factories import AlertFactory
from tests.parcours.factories import FollowUpFactory, PersonFactory

pytestmark = pytest.mark.django_db

LIST = reverse("alerts:alert_list")


def detail(alert):
    return reverse("alerts:alert_detail", args=[alert.pk])


def action(alert, name):
    return reverse("alerts:alert_action", args=[alert.pk, name])


@pytest.fixture
def alert(person, worker):
    facts = {"status": "CHRS", "planned_end_on": "2030-03-12", "structure": "CHRS Test"}
    return AlertFactory(person=person, owner=worker, rule="STAY_END", subject_key="housingsituation:7", facts=facts)


class TestInbox:
    def test_my_alerts_by_severity_then_due_date(self, client, worker, person):
        low = AlertFactory(person=person, owner=worker, subject_key="a:1")
        high = AlertFactory(person=person, owner=worker, urgent=True, subject_key="a:2")
        AlertFactory(person=person, subject_key="a:3")  # nobody owns it, and I am no manager: not "mine"
        client.force_login(worker)
        response = client.get(LIST)
        assert response.status_code == 200
        assert [row.alert for row in response.context["rows"]] == [high, low]
        all_visible = client.get(LIST, {"scope": "all"})
        assert len(all_visible.context["rows"]) == 3

    def test_managers_get_alerts_without_owner(self, client, manager, person):
        orphan = AlertFactory(person=person)
        client.force_login(manager)
        assert [r.alert for r in client.get(LIST).context["rows"]] == [orphan]

    def test_filters_by_rule_status_and_structure(self, client, worker, person, alert, structure):
        AlertFactory(person=person, owner=worker, dismissed=True, subject_key="a:9")
        client.force_login(worker)
        assert len(client.get(LIST, {"rule": "NO_CONTACT"}).context["rows"]) == 0
        assert len(client.get(LIST, {"status": "DISMISSED"}).context["rows"]) == 1
        assert len(client.get(LIST, {"status": "all"}).context["rows"]) == 2
        assert len(client.get(LIST, {"structure": structure.pk}).context["rows"]) == 1
        FollowUpFactory(person=person, structure=structure, employment=True)  # a second open follow-up
        assert len(client.get(LIST, {"structure": structure.pk}).context["rows"]) == 1

    def test_bad_filters_never_hurt(self, client, worker, alert):
        client.force_login(worker)
        response = client.get(LIST, {"rule": "NOPE", "structure": "x", "status": "??", "page": "abc"})
        assert response.status_code == 200

    def test_people_i_may_not_see_stay_hidden(self, client, outsider, alert):
        client.force_login(outsider)
        assert client.get(LIST, {"scope": "all"}).context["rows"] == []
        assert client.get(detail(alert)).status_code == 404

    def test_a_referral_recipient_does_not_see_the_alerts(self, client, outsider, alert, referral_recipient):
        client.force_login(outsider)
        assert client.get(LIST, {"scope": "all"}).context["rows"] == []
        assert client.get(detail(alert)).status_code == 404

    def test_funders_have_no_inbox(self, client, funder):
        client.force_login(funder)
        assert client.get(LIST).status_code == 403

    def test_constant_number_of_queries(self, client, worker, person, django_assert_num_queries):
        client.force_login(worker)
        AlertFactory(person=person, owner=worker)
        client.get(LIST)  # warm the session
        with CaptureQueriesContext(connection) as one:
            client.get(LIST)
        for i in range(49):
            other = PersonFactory()
            FollowUpFactory(person=other, structure=person.followups.get().structure)
            AlertFactory(person=other, owner=worker, resource=True, subject_key=f"r:{i}")
        with django_assert_num_queries(len(one.captured_queries)):
            response = client.get(LIST)
        assert len(response.context["rows"]) == 50

    def test_bulk_acknowledge_only_what_i_may_change(self, client, worker, person, past_follower):
        mine = [AlertFactory(person=person, owner=worker, subject_key=f"b:{i}") for i in range(3)]
        client.force_login(worker)
        response = client.post(reverse("alerts:alert_bulk_acknowledge"), {"alert": [a.pk for a in mine[:2]]})
        assert response.status_code == 302
        statuses = dict(Alert.objects.values_list("pk", "status"))
        assert [statuses[a.pk] for a in mine] == ["ACKNOWLEDGED", "ACKNOWLEDGED", "OPEN"]
        assert AlertTransition.objects.filter(to_status="ACKNOWLEDGED", by=worker).count() == 2
        client.force_login(past_follower)  # read-only: nothing changes
        client.post(reverse("alerts:alert_bulk_acknowledge"), {"alert": [mine[2].pk]})
        assert Alert.objects.get(pk=mine[2].pk).status == "OPEN"

    def test_bulk_acknowledge_without_selection(self, client, worker):
        client.force_login(worker)
        response = client.post(reverse("alerts:alert_bulk_acknowledge"), {"alert": ["x"]}, follow=True)
        assert "Cochez au moins une alerte." in response.content.decode()
        assert client.get(reverse("alerts:alert_bulk_acknowledge")).status_code == 405


class TestAlertPage:
    def test_it_explains_the_facts_and_offers_the_actions(self, client, worker, colleague, alert):
        client.force_login(colleague)
        page = client.get(detail(alert)).content.decode()
        assert "Fin prévue le 12/03/2030" in page
        assert "CHRS Test" in page
        assert "Prendre en compte" in page

    def test_acknowledge_resolve_with_notes(self, client, worker, alert):
        client.force_login(worker)
        client.post(action(alert, "acknowledge"), {"note": "Appel au SIAO prévu."})
        alert.refresh_from_db()
        assert (alert.status, alert.acknowledged_by, alert.note) == ("ACKNOWLEDGED", worker, "Appel au SIAO prévu.")
        client.post(action(alert, "resolve"), {"note": "Place trouvée."})
        alert.refresh_from_db()
        assert (alert.status, alert.resolution, alert.closed_by) == ("RESOLVED", "MANUAL", worker)
        response = client.post(action(alert, "acknowledge"), follow=True)
        assert "Cette alerte est déjà close." in response.content.decode()

    def test_dismiss_needs_a_reason(self, client, worker, alert):
        client.force_login(worker)
        response = client.post(action(alert, "dismiss"), {"reason": "", "note": ""})
        assert response.status_code == 400
        assert "Choisissez pourquoi l&#x27;alerte est écartée." in response.content.decode()
        response = client.post(action(alert, "dismiss"), {"reason": "OTHER", "note": " "})
        assert response.status_code == 400
        assert "Précisez le motif « Autre »." in response.content.decode()
        assert Alert.objects.get(pk=alert.pk).status == AlertStatus.OPEN
        client.post(action(alert, "dismiss"), {"reason": "PERSON_DECLINED"})
        alert.refresh_from_db()
        assert (alert.status, alert.dismiss_reason) == ("DISMISSED", "PERSON_DECLINED")
        assert alert.transitions.get().reason == "PERSON_DECLINED"

    def test_read_only_viewers_get_403_and_strangers_404(self, client, alert, past_follower, outsider):
        client.force_login(past_follower)
        assert client.get(detail(alert)).status_code == 200
        assert client.post(action(alert, "acknowledge")).status_code == 403
        assert client.post(action(alert, "dismiss"), {"reason": ""}).status_code == 403
        client.force_login(outsider)
        assert client.post(action(alert, "acknowledge")).status_code == 404

    def test_a_person_no_longer_visible(self, client, worker, alert, person):
        person.followups.update(ended_on=person.followups.get().started_on, end_reason="OBJECTION")
        client.force_login(worker)
        assert client.post(action(alert, "resolve")).status_code == 404
        assert Alert.objects.get(pk=alert.pk).status == "OPEN"

    def test_wrong_method_bad_action_bad_id(self, client, worker, alert):
        client.force_login(worker)
        assert client.get(action(alert, "acknowledge")).status_code == 405
        assert client.post(action(alert, "explode")).status_code == 404
        assert client.get("/personnes/alertes/999999999/").status_code == 404

    def test_health_facts_are_hidden_from_a_shared_view(self, client, person, employment_worker, worker):
        alert = AlertFactory(person=person, owner=worker, resource=True)
        client.force_login(employment_worker)
        assert "Une ressource" in client.get(detail(alert)).content.decode()
        client.force_login(worker)
        assert "Allocation aux adultes handicapés" in client.get(detail(alert)).content.decode()

    def test_complex_case_can_be_proposed_to_a_conference(self, client, worker, person):
        alert = AlertFactory(person=person, owner=worker, rule="COMPLEX_CASE", severity="INFO",
                             facts={"urgent_alerts": 2, "active_barriers": 0, "structures": 1})  # fmt: skip
        client.force_login(worker)
        assert "Proposer en commission" in client.get(detail(alert)).content.decode()
        client.post(action(alert, "propose"))
        assert CaseConferenceProposal.objects.get().alert == alert
        assert Alert.objects.get(pk=alert.pk).status == "ACKNOWLEDGED"

    def test_only_complex_cases_go_to_a_conference(self, client, worker, alert):
        client.force_login(worker)
        response = client.post(action(alert, "propose"), follow=True)
        assert "Seule une alerte « situation complexe »" in response.content.decode()


class TestSettingsPage:
    url = reverse("alerts:alert_settings")

    def _data(self, **changes):
        from alerts.forms import AlertSettingsForm

        form = AlertSettingsForm(instance=AlertSettings.load())
        return {name: form.initial[name] for name in form.fields} | changes

    def test_coordinators_change_thresholds(self, client, coordinator):
        client.force_login(coordinator)
        assert client.get(self.url).status_code == 200
        response = client.post(self.url, self._data(stay_end_warning_days=75))
        assert response.status_code == 302
        assert AlertSettings.load().stay_end_warning_days == 75

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"no_contact_days": 0}, "Indiquez une valeur d&#x27;au moins 1."),
            ({"escalation_days": -3}, "Indiquez une valeur d&#x27;au moins 1."),
            ({"stay_end_urgent_days": 90}, "Ce seuil doit être inférieur ou égal à 60 jours"),
            ({"permit_warning_days": "abc"}, "Saisissez un nombre entier."),
        ],
    )
    def test_bad_thresholds_are_refused_in_french(self, client, coordinator, changes, message):
        client.force_login(coordinator)
        response = client.post(self.url, self._data(**changes))
        assert response.status_code == 400
        assert message in response.content.decode()
        assert AlertSettings.load().stay_end_urgent_days == 30

    def test_workers_and_funders_may_not(self, client, worker, funder):
        for user in (worker, funder):
            client.force_login(user)
            assert client.get(self.url).status_code == 403


class TestDashboard:
    url = reverse("alerts:alert_dashboard")

    def test_aggregates_and_svg_trend(self, client, coordinator, worker, person):
        AlertFactory(person=person, owner=worker, urgent=True, rule="STAY_END", subject_key="x:1")
        AlertFactory(person=person, owner=worker, dismissed=True, subject_key="x:2")
        escalated = AlertFactory(person=person, subject_key="x:3")
        Alert.objects.filter(pk=escalated.pk).update(escalated_at=escalated.created_at)
        client.force_login(coordinator)
        response = client.get(self.url)
        page = response.content.decode()
        assert response.status_code == 200
        assert response.context["open_total"] == 2
        assert "<svg" in page
        assert "<polyline" in page
        assert "style=" not in page
        # The coordinator may not see this person: "Alerte non prise en charge", rule, structure, age.
        assert "Alerte non prise en charge" in page
        assert person.last_name not in page

    def test_workers_may_not(self, client, worker):
        client.force_login(worker)
        assert client.get(self.url).status_code == 403

    def test_funders_see_counts_only(self, client, funder, person, worker):
        escalated = AlertFactory(person=person, owner=worker, urgent=True)
        Alert.objects.filter(pk=escalated.pk).update(escalated_at=escalated.created_at)
        client.force_login(funder)
        response = client.get(self.url)
        page = response.content.decode()
        assert response.status_code == 200
        assert response.context["open_total"] == 1
        assert "Alertes non prises en charge" not in page
        assert person.last_name not in page
        assert client.get(detail(escalated)).status_code == 404


class TestPersonSectionAndBadge:
    def test_the_person_file_section(self, worker, person, alert):
        request = RequestFactory().get("/")
        request.user = worker
        template = Template("{% load alerts %}{% person_alerts person %}")
        html = template.render(Context({"request": request, "person": person}))
        assert "Fin de séjour proche" in html
        assert detail(alert) in html

    def test_badge_counts_my_open_alerts_in_the_navigation(self, client, worker, person):
        AlertFactory(person=person, owner=worker, subject_key="n:1")
        AlertFactory(person=person, owner=worker, subject_key="n:2")
        client.force_login(worker)
        page = client.get(reverse("home")).content.decode()
        assert 'Alertes <span class="badge text-bg-danger">2</span>' in page

    def test_a_managers_badge_adds_the_alerts_nobody_owns_and_stops_at_the_cap(
        self, client, manager, worker, person, monkeypatch
    ):
        from alerts import views

        AlertFactory(person=person, owner=manager, subject_key="n:1")
        AlertFactory(person=person, subject_key="n:2")  # nobody owns it: the manager's
        AlertFactory(person=person, owner=worker, subject_key="n:3")  # the worker's
        AlertFactory(person=PersonFactory(), subject_key="n:4")  # nobody owns it, not followed by the structure
        client.force_login(manager)
        assert 'Alertes <span class="badge text-bg-danger">2</span>' in client.get(reverse("home")).content.decode()
        assert Alert.objects.open().owned_by(manager).count() == 2
        monkeypatch.setattr(views, "BADGE_CAP", 1)
        assert 'Alertes <span class="badge text-bg-danger">1+</span>' in client.get(reverse("home")).content.decode()

    def test_coordinators_badge_counts_escalated_alerts(self, client, person):
        coordinator = MembershipFactory(coordinator=True).user
        alert = AlertFactory(person=person)
        Alert.objects.filter(pk=alert.pk).update(escalated_at=alert.created_at)
        client.force_login(coordinator)
        assert '<span class="badge text-bg-danger">1</span>' in client.get(reverse("home")).content.decode()
