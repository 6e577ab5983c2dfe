import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from observatoire import note
from observatoire.enums import ProposalStatus
from observatoire.filters import Filters
from observatoire.models import Proposal, ProposalEvidence
from observatoire.services import attach_evidence, create_proposal
from parcours.models import Referral
from partenaires.enums import RegistrationStatus
from partenaires.models import EventRegistration
from tests.accounts.factories import MembershipFactory
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.observatoire.conftest import END, SECRET_NAMES, START, at, referral
from tests.parcours.factories import FollowUpFactory, PersonFactory
from tests.partenaires.factories import PartnerActionFactory, StructureFactory

pytestmark = pytest.mark.django_db
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def body(response) -> str:
    return response.content.decode()


# --- filters: bad input gives a French message, never a 500 ----------------------------------------
@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "La période se termine avant de commencer"),
        ({"start": "2015-01-01", "end": "2026-03-01"}, "La période ne peut pas dépasser 5 ans"),
        ({"sector": "NOPE"}, "Valeur inconnue pour ce filtre"),
        ({"territory": "Atlantide"}, "Valeur inconnue pour ce filtre"),
        ({"structure": "999999"}, "Valeur inconnue pour ce filtre"),
        ({"start": "31/02/2026"}, "Date de début invalide"),
    ],
)
@pytest.mark.parametrize("name", ["dashboard", "partnership_matrix", "unmet_needs", "interconnaissance"])
def test_bad_filters_give_a_french_message(client, coordinator, name, params, message):
    client.force_login(coordinator)
    response = client.get(reverse(f"observatoire:{name}"), params)
    assert response.status_code == 200
    assert message in body(response)


def test_a_bad_filter_on_an_export_is_a_400_with_the_message(client, coordinator):
    client.force_login(coordinator)
    response = client.get(
        reverse("observatoire:export", args=["matrix", "csv"]), {"start": "2026-03-31", "end": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "La période se termine avant de commencer" in body(response)


# --- small numbers ----------------------------------------------------------------------------------
def test_below_the_coordinator_small_numbers_are_masked(client, referrals, coordinator, structure_manager):
    client.force_login(coordinator)
    page = body(client.get(reverse("observatoire:partnership_matrix"), PERIOD))
    assert "<td>7</td>" in page  # CHRS → ACI: 7 sent
    assert "<td>4</td>" in page
    client.force_login(structure_manager)
    page = body(client.get(reverse("observatoire:partnership_matrix"), PERIOD))
    assert "<td>7</td>" in page
    assert "<td>4</td>" not in page  # 4 accepted: under 5
    assert "&lt; 5" in page
    csv = client.get(reverse("observatoire:export", args=["matrix", "csv"]), PERIOD).content.decode("utf-8-sig")
    assert "< 5" in csv


def test_the_threshold_is_a_setting(client, referrals, structure_manager, settings):
    settings.OBSERVATOIRE_SMALL_NUMBER_THRESHOLD = 8
    client.force_login(structure_manager)
    page = body(client.get(reverse("observatoire:partnership_matrix"), PERIOD))
    assert "<td>7</td>" not in page
    assert "&lt; 8" in page


# --- exports ----------------------------------------------------------------------------------------
def test_exports_neutralise_formulas(client, coordinator, chrs):
    evil = StructureFactory(name='=HYPERLINK("http://x")', kind="ACI", commune="Villeneuve", is_member=True)
    referral(PersonFactory(), chrs, evil, at(dt.date(2026, 3, 3)))
    client.force_login(coordinator)
    csv = client.get(reverse("observatoire:export", args=["matrix", "csv"]), PERIOD).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv
    assert ";=HYPERLINK" not in csv
    assert '"=HYPERLINK' not in csv
    response = client.get(reverse("observatoire:export", args=["matrix", "xlsx"]), PERIOD)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=2, column=2)
    assert cell.value.startswith("'=HYPERLINK")
    assert cell.data_type == "s"


def test_a_figure_outside_ones_role_is_404(client, structure_manager, funder):
    client.force_login(structure_manager)
    assert client.get(reverse("observatoire:export", args=["funder_activity", "csv"])).status_code == 404
    client.force_login(funder)
    assert client.get(reverse("observatoire:export", args=["matrix", "csv"])).status_code == 404
    assert client.get(reverse("observatoire:export", args=["nope", "csv"])).status_code == 404


# --- the funder sees no name ------------------------------------------------------------------------
def test_a_funder_sees_no_name_in_the_observatory_exports_or_note(client, funder, referrals, coordinator, chrs, aci):
    funder_structure = funder.memberships.get().structure
    worker = MembershipFactory(structure=chrs, social_worker=True, user__last_name="Zorglubworker").user
    op = OperationFactory(funders=[funder_structure])
    ParticipantFactory(operation=op, last_name=SECRET_NAMES[0], entry_on=dt.date(2026, 3, 4))
    ParticipantFactory(operation=op, last_name=SECRET_NAMES[1], entry_on=dt.date(2026, 3, 5))
    proposal = create_proposal(user=coordinator, structure=chrs, data=_proposal_data(), partners=[aci])
    attach_evidence(user=coordinator, proposal=proposal, figure_key="matrix", filters=Filters(START, END))
    client.force_login(funder)
    pages = [
        client.get(reverse("home")),
        client.get(reverse("observatoire:dashboard"), PERIOD),
        client.get(reverse("observatoire:export", args=["funder_activity", "csv"]), PERIOD),
        client.get(reverse("observatoire:export", args=["funder_activity", "xlsx"]), PERIOD),
    ]
    texts = [p.content.decode("utf-8", errors="replace") for p in pages]
    xlsx = load_workbook(io.BytesIO(pages[3].content)).active
    texts.append(" ".join(str(c.value) for row in xlsx.iter_rows() for c in row))
    assert pages[1].status_code == 200
    assert "Entrées" in texts[1]
    for text in texts:
        for name in (*SECRET_NAMES, worker.last_name, coordinator.last_name, "Camille"):
            assert name not in text
    assert client.get(reverse("observatoire:proposal_pdf", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("observatoire:proposal_detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("observatoire:partnership_matrix")).status_code == 403
    html = note.render_html(proposal)
    for name in (*SECRET_NAMES, worker.last_name, coordinator.last_name):
        assert name not in html


# --- drill-down: only what the access policy shows -------------------------------------------------
def test_the_drill_down_lists_only_referrals_of_people_the_user_sees(
    client, referrals, chrs, aci, structure_manager, coordinator
):
    followed = (
        Referral.objects.filter(from_structure=chrs, to_structure=aci, status="ACCEPTED", sent_at__gte=at(START))
        .order_by("sent_at")
        .first()
    )
    FollowUpFactory(person=followed.person, structure=chrs)
    url = reverse("observatoire:matrix_referrals", args=[chrs.pk, aci.pk])
    client.force_login(structure_manager)
    page = body(client.get(url, PERIOD))
    assert reverse("parcours:referral_detail", args=[followed.pk]) in page
    assert page.count("Voir l'orientation") == 1
    for name in SECRET_NAMES:
        assert name not in page
    client.force_login(coordinator)  # no COORDINATION consent: sees nobody
    assert "Voir l'orientation" not in body(client.get(url, PERIOD))


# --- constant query counts -------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["dashboard", "partnership_matrix", "unmet_needs", "interconnaissance"])
def test_pages_keep_a_constant_number_of_queries(client, coordinator, chrs, aci, name, django_assert_num_queries):
    client.force_login(coordinator)
    url = reverse(f"observatoire:{name}")
    referral(PersonFactory(), chrs, aci, at(dt.date(2026, 3, 3)), "REFUSED", 2.0, "NO_CAPACITY")
    client.get(url, PERIOD)  # warm the session and the scope
    with django_assert_num_queries(_count(client, url)) as one:
        client.get(url, PERIOD)
    for index in range(6):
        other = StructureFactory(kind="FJT", commune="Villeneuve", is_member=True)
        referral(PersonFactory(), aci, other, at(dt.date(2026, 3, 4 + index)), "REFUSED", 2.0, "NO_CAPACITY")
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url, PERIOD)


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(url, PERIOD)
    return len(context.captured_queries)


def test_the_proposal_page_keeps_a_constant_number_of_queries(
    client, coordinator, chrs, aci, django_assert_num_queries
):
    proposal = create_proposal(user=coordinator, structure=chrs, data=_proposal_data(), partners=[aci])
    attach_evidence(user=coordinator, proposal=proposal, figure_key="no_capacity", filters=Filters(START, END))
    client.force_login(coordinator)
    url = reverse("observatoire:proposal_detail", args=[proposal.pk])
    client.get(url)
    count = _count(client, url)
    for key in ("barriers", "alerts_dismissed", "matrix_sectors"):
        attach_evidence(user=coordinator, proposal=proposal, figure_key=key, filters=Filters(START, END))
    proposal.partners.add(chrs, StructureFactory())
    with django_assert_num_queries(count):
        client.get(url)


# --- proposals --------------------------------------------------------------------------------------
def _proposal_data(**overrides):
    return {
        "title": "Places adossées à un chantier",
        "need": "Des refus faute de place.",
        "target_public": "Personnes hébergées proches de l'emploi.",
        "resources": "Dix places.",
        "expected_results": "Moins de refus.",
        **overrides,
    }


def test_a_proposal_without_evidence_or_partners_is_not_submitted(client, coordinator, referrals, chrs, aci):
    client.force_login(coordinator)
    response = client.post(reverse("observatoire:proposal_create"), _proposal_data())
    proposal = Proposal.objects.get()
    assert response.url == reverse("observatoire:proposal_detail", args=[proposal.pk])
    response = client.post(reverse("observatoire:proposal_submit", args=[proposal.pk]), follow=True)
    page = body(response)
    assert "sans au moins un élément de preuve de l&#x27;observatoire ni au moins un partenaire" in page
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT
    # Attach two figures through the page (frozen server-side), add a partner: now it is submitted.
    for figure in ("no_capacity", "matrix"):
        client.post(reverse("observatoire:evidence_add"), {"proposal": proposal.pk, "figure": figure, **PERIOD})
    proposal.partners.add(aci)
    evidence = ProposalEvidence.objects.filter(proposal=proposal).order_by("id")
    assert [e.figure for e in evidence] == ["no_capacity", "matrix"]
    frozen = evidence[0].table
    assert frozen["rows"] == [
        ["Atelier et chantier d'insertion (ACI)", "Villeneuve", "< 5"],
        ["Pension de famille", "Montcourt", "< 5"],
    ]
    referral(PersonFactory(), chrs, aci, at(dt.date(2026, 3, 25)), "REFUSED", 1.0, "NO_CAPACITY")
    assert ProposalEvidence.objects.get(pk=evidence[0].pk).table == frozen  # frozen: new data changes nothing
    assert evidence[0].filters == {"start": "2026-03-01", "end": "2026-03-31"}
    client.post(reverse("observatoire:proposal_submit", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_the_committee_steps_and_the_reason_of_a_refusal(client, coordinator, structure_manager, chrs, aci):
    proposal = create_proposal(user=coordinator, structure=chrs, data=_proposal_data(), partners=[aci])
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.EXAMINED)
    url = reverse("observatoire:proposal_status", args=[proposal.pk])
    client.force_login(structure_manager)
    assert client.post(url, {"status": "RETAINED"}).status_code == 403
    client.force_login(coordinator)
    page = body(client.post(url, {"status": "NOT_RETAINED", "reason": ""}, follow=True))
    assert "Indiquez le motif de la décision" in page
    client.post(url, {"status": "NOT_RETAINED", "reason": "Hors du champ du PTI."})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.status_reason) == (ProposalStatus.NOT_RETAINED, "Hors du champ du PTI.")
    page = body(client.post(url, {"status": "RETAINED"}, follow=True))
    assert "Ce changement de statut n&#x27;est pas possible" in page


def test_partners_comment_and_others_do_not_see_the_proposal(client, coordinator, chrs, aci, pension):
    proposal = create_proposal(user=coordinator, structure=chrs, data=_proposal_data(), partners=[aci])
    partner = MembershipFactory(structure=aci, counsellor=True).user
    stranger = MembershipFactory(structure=pension, social_worker=True).user
    client.force_login(partner)
    client.post(reverse("observatoire:proposal_comment", args=[proposal.pk]), {"text": "Nous pouvons accueillir."})
    assert proposal.comments.get().structure == aci
    assert client.get(reverse("observatoire:proposal_edit", args=[proposal.pk])).status_code == 403
    client.force_login(stranger)
    assert client.get(reverse("observatoire:proposal_detail", args=[proposal.pk])).status_code == 404
    assert client.post(reverse("observatoire:proposal_comment", args=[proposal.pk]), {"text": "x"}).status_code == 404


# --- interconnaissance ------------------------------------------------------------------------------
def test_the_coordinator_invites_the_pairs_that_never_met_in_one_step(client, coordinator, chrs, aci, pension):
    third = StructureFactory(kind="FJT", commune="Villeneuve", is_member=True)
    event = PartnerActionFactory(structure=chrs, kind="PARTNER_MEETING")
    client.force_login(coordinator)
    page = body(client.get(reverse("observatoire:interconnaissance")))
    assert "3 paires du même territoire ne se sont jamais rencontrées" in page
    response = client.post(reverse("observatoire:invite_pairs"), {"action": event.pk})
    assert response.status_code == 302
    invited = set(EventRegistration.objects.filter(action=event).values_list("structure_id", "status"))
    assert invited == {(s.pk, RegistrationStatus.INVITED) for s in (chrs, aci, third)}
    client.post(reverse("observatoire:invite_pairs"), {"action": event.pk})  # idempotent
    assert EventRegistration.objects.filter(action=event).count() == 3


def test_registration_and_attendance(client, chrs, aci):
    event = PartnerActionFactory(structure=chrs, kind="IMMERSION")
    organiser = MembershipFactory(structure=chrs, social_worker=True).user
    guest = MembershipFactory(structure=aci, counsellor=True).user
    url = reverse("observatoire:event_detail", args=[event.pk])
    client.force_login(guest)
    client.post(url, {"op": "me"})
    registration = EventRegistration.objects.get(action=event)
    assert (registration.structure, registration.user, registration.status) == (aci, guest, "REGISTERED")
    assert client.post(url, {"op": "attendance", "present": [registration.pk]}).status_code == 403
    client.force_login(organiser)
    client.post(url, {"op": "attendance", "present": [registration.pk]})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED


def test_home_cards_by_role(client, worker, structure_manager, coordinator, funder):
    for user, title in [
        (worker, "Mon tableau de bord"),
        (structure_manager, "Tableau de bord de la structure"),
        (coordinator, "Tableau de bord du territoire"),
        (funder, "Tableau de bord des opérations financées"),
    ]:
        client.force_login(user)
        page = body(client.get(reverse("home")))
        assert title in page
        assert "Les chiffres de votre structure (personnes suivies" not in page
        assert "Les alertes ouvertes, les orientations et les évaluations du territoire" not in page


def test_the_worker_card_counts_the_plan_actions_they_carry(client, worker, structure):
    from tests.parcours.factories import ActionFactory, ObjectiveFactory

    today = timezone.localdate()
    objective = ObjectiveFactory(person=FollowUpFactory(structure=structure).person, created_by_structure=structure)
    ActionFactory(objective=objective, overdue=True, referent=worker)
    ActionFactory(objective=objective, overdue=True)  # the structure's, nobody named
    ActionFactory(objective=objective, due_on=today + dt.timedelta(days=3))
    ActionFactory(objective=objective, due_on=today + dt.timedelta(days=30))  # not yet due
    ActionFactory(objective=objective, overdue=True, done=True)  # done: not counted
    ActionFactory(objective=objective, overdue=True, referent=MembershipFactory(structure=structure).user)
    client.force_login(worker)
    page = body(client.get(reverse("home")))
    assert "2 actions du plan en retard" in page
    assert "1 action du plan à réaliser dans les 7 jours" in page


# --- the coordinator dashboard: commissions and decisions (concertation) -----------------------------
def test_the_coordinator_dashboard_shows_commissions_and_decisions(client, coordinator, structure_manager):
    from concertation.enums import TaskStatus
    from tests.concertation.factories import CaseReviewFactory, DecisionFactory, SessionFactory

    today = timezone.localdate()
    session = SessionFactory(held=True, commission__name="Commission parcours de la vallée")
    case = CaseReviewFactory(session=session)
    DecisionFactory(case=case, status=TaskStatus.DONE, done_on=today)
    DecisionFactory(case=case, overdue=True)
    SessionFactory(commission__name="Commission sans séance")  # coming: not held in the period
    params = {"start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    client.force_login(coordinator)
    page = body(client.get(reverse("observatoire:dashboard"), params))
    assert "Commissions et décisions" in page
    assert "Commission parcours de la vallée" in page
    assert "Commission sans séance" not in page
    assert '<dt class="col-8">Décisions prises</dt><dd class="col-4 text-end">2</dd>' in page
    assert '<dt class="col-8 ps-4">en retard</dt><dd class="col-4 text-end">1</dd>' in page
    client.force_login(structure_manager)
    assert "Commissions et décisions" not in body(client.get(reverse("observatoire:dashboard"), params))
