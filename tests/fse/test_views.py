"""FSE pages: coordinators manage, funders see aggregates and reports of their operations only (R6)."""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from audit.models import Action, AuditEntry
from fse.enums import ReportStatus
from fse.models import ImportBatch, Operation, Participant, Report
from tests.accounts.factories import MembershipFactory
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.fse.test_import import ROW, csv_bytes, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def participant(operation):
    return ParticipantFactory(operation=operation, last_name="Confidentiel")


@pytest.fixture
def done_report(operation):
    report = Report.objects.create(
        operation=operation,
        period_start=operation.start_on,
        period_end=operation.end_on,
        status=ReportStatus.DONE,
        progress=100,
        checksum="0" * 64,
    )
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7 test"))
    return report


def participant_urls(operation, participant):
    return [
        reverse("fse:participant_list", args=[operation.pk]),
        reverse("fse:participant_detail", args=[operation.pk, participant.pk]),
        reverse("fse:participant_edit", args=[operation.pk, participant.pk]),
        reverse("fse:participant_create", args=[operation.pk]),
        reverse("fse:participant_import", args=[operation.pk]),
        reverse("fse:participant_export", args=[operation.pk, "csv"]),
        reverse("fse:participant_export", args=[operation.pk, "xlsx"]),
        reverse("fse:indicator_cell", args=[operation.pk, "EECO01", "period", "total"]),
    ]


def test_coordinator_reads_the_operation_and_drills_down(client, coordinator, operation, participant):
    client.force_login(coordinator)
    response = client.get(reverse("fse:operation_detail", args=[operation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "EECO01" in page
    cell = reverse("fse:indicator_cell", args=[operation.pk, "EECO01", "period", "women"])
    assert cell in page
    drill = client.get(cell)
    assert drill.status_code == 200
    assert "Confidentiel" in drill.content.decode()
    for url in participant_urls(operation, participant):
        assert client.get(url).status_code == 200, url


def test_funder_sees_aggregates_but_never_a_participant(client, funder, operation, participant, done_report):
    client.force_login(funder)
    assert operation.title in client.get(reverse("fse:operation_list")).content.decode()
    response = client.get(reverse("fse:operation_detail", args=[operation.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Confidentiel" not in page
    assert participant.number not in page
    assert "/indicateurs/" not in page  # no drill-down links
    for url in participant_urls(operation, participant):
        assert client.get(url).status_code == 404, url  # forged participant URLs
    assert client.post(reverse("fse:participant_import", args=[operation.pk])).status_code == 404
    download = client.get(reverse("fse:report_download", args=[done_report.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(action=Action.DOWNLOAD, user=funder, object_id=str(done_report.pk)).exists()
    assert client.post(reverse("fse:report_create", args=[operation.pk])).status_code == 403
    assert client.get(reverse("fse:operation_edit", args=[operation.pk])).status_code == 403


def test_funder_of_another_organisation_gets_404(client, operation, done_report):
    other = MembershipFactory(funder=True).user
    client.force_login(other)
    assert operation.title not in client.get(reverse("fse:operation_list")).content.decode()
    assert client.get(reverse("fse:operation_detail", args=[operation.pk])).status_code == 404
    assert client.get(reverse("fse:report_download", args=[done_report.pk])).status_code == 404
    assert client.get(reverse("fse:report_detail", args=[done_report.pk])).status_code == 404


@pytest.mark.parametrize("user_fixture", ["worker", "manager", "outsider"])
def test_field_members_of_other_structures_see_no_operation(client, request, user_fixture, operation, participant):
    client.force_login(request.getfixturevalue(user_fixture))
    assert operation.title not in client.get(reverse("fse:operation_list")).content.decode()
    assert client.get(reverse("fse:operation_detail", args=[operation.pk])).status_code == 404
    for url in participant_urls(operation, participant):
        assert client.get(url).status_code == 404, url


def test_administrators_have_no_fse_area(client, operation):
    admin = MembershipFactory(admin=True).user
    client.force_login(admin)
    assert client.get(reverse("fse:operation_list")).status_code == 403


def test_carrier_members_read_aggregates_and_the_participants_they_follow(client, worker, structure):
    from tests.parcours.factories import PersonFactory

    operation = OperationFactory(carrier=structure)
    followed = ParticipantFactory(operation=operation, person=PersonFactory(followed_by=structure), last_name="Suivi")
    other = ParticipantFactory(operation=operation, person=PersonFactory(), last_name="Inconnu")
    unlinked = ParticipantFactory(operation=operation, last_name="Sanslien")
    client.force_login(worker)
    assert client.get(reverse("fse:operation_detail", args=[operation.pk])).status_code == 200
    listing = client.get(reverse("fse:participant_list", args=[operation.pk])).content.decode()
    assert "Suivi" in listing
    assert "Inconnu" not in listing
    assert "Sanslien" not in listing
    assert client.get(reverse("fse:participant_detail", args=[operation.pk, followed.pk])).status_code == 200
    for hidden in (other, unlinked):
        assert client.get(reverse("fse:participant_detail", args=[operation.pk, hidden.pk])).status_code == 404
    for url in [
        reverse("fse:participant_edit", args=[operation.pk, followed.pk]),
        reverse("fse:participant_import", args=[operation.pk]),
        reverse("fse:participant_export", args=[operation.pk, "csv"]),
        reverse("fse:indicator_cell", args=[operation.pk, "EECO01", "period", "total"]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("fse:report_create", args=[operation.pk])).status_code == 403
    assert client.get(reverse("fse:operation_edit", args=[operation.pk])).status_code == 403


def test_wrong_methods(client, coordinator, operation):
    client.force_login(coordinator)
    assert client.post(reverse("fse:operation_detail", args=[operation.pk])).status_code == 405
    assert client.get(reverse("fse:report_create", args=[operation.pk])).status_code == 405


def test_operation_detail_query_count_is_constant(client, coordinator, operation, django_assert_num_queries):
    client.force_login(coordinator)
    url = reverse("fse:operation_detail", args=[operation.pk])
    ParticipantFactory(operation=operation)
    # session, user, memberships (x2: active membership, roles), operation, period figures (entrants, leavers),
    # funders, quality, incomplete numbers, reports, savepoints and session update, alerts badge, second-factor
    # device (coordinators sign in with MFA).
    with django_assert_num_queries(18):
        client.get(url)
    ParticipantFactory.create_batch(50, operation=operation, left=True, phone="")
    with django_assert_num_queries(18):
        client.get(url)


def test_participant_list_query_count_is_constant(client, coordinator, operation, django_assert_num_queries):
    client.force_login(coordinator)
    url = reverse("fse:participant_list", args=[operation.pk])
    ParticipantFactory(operation=operation)
    # session, user, memberships, roles, operation, count, page of participants, savepoints, session update,
    # alerts badge, second-factor device (coordinators sign in with MFA)
    with django_assert_num_queries(14):
        client.get(url)
    ParticipantFactory.create_batch(50, operation=operation)
    with django_assert_num_queries(14):
        client.get(url)


def test_create_operation_form(client, coordinator):
    client.force_login(coordinator)
    url = reverse("fse:operation_create")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"number": "X1", "title": "T", "programme": "FSE_PLUS", "start_on": "2025-02-01",
                            "end_on": "2024-01-01", "target_group_flags": "pas du json"})  # fmt: skip
    assert bad.status_code == 200
    assert "La date de fin doit être postérieure à la date de début." in bad.content.decode()
    assert not Operation.objects.exists()
    data = {"number": "X1", "title": "T", "programme": "FSE_PLUS", "start_on": "2025-01-01", "end_on": "2026-12-31",
            "target_group_flags": "{}", "min_support_days": 2, "child_under_age": 18, "young_max_age": 29,
            "senior_min_age": 55, "ltu_months": 12, "ltu_months_young": 6, "ltu_young_under_age": 25,
            "result_window_days": 28, "eecr01_inactive_at_entry_only": "on", "eecr04_not_employed_at_entry_only": "on",
            "eeco16_scope": "ALL", "foreign_background_rule": "SELF_OR_PARENT_ABROAD",
            "six_month_tolerance_days": 30, "incomplete_threshold_percent": 35}  # fmt: skip
    response = client.post(url, data)
    operation = Operation.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("fse:operation_detail", args=[operation.pk])


def test_participant_form_validates_and_refuses_duplicates(client, coordinator, operation):
    client.force_login(coordinator)
    url = reverse("fse:participant_create", args=[operation.pk])
    data = {"last_name": "Durand", "first_name": "Léa", "gender": "F", "birth_date": "1995-04-02",
            "phone": "0600000000", "entry_on": "2025-02-01", "lm_status_entry": "UNEMPLOYED", "isced_entry": 3,
            "disability": "DECLINED", "nationality": "FR", "born_abroad": "NO", "parent_born_abroad": "NO",
            "housing_entry": "SHELTER", "validate": "1"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Obligatoire pour un·e chômeur·se." in response.content.decode()
    data["unemployed_since"] = "2024-01-01"
    response = client.post(url, data)
    participant = Participant.objects.get()
    assert response.status_code == 302
    assert participant.validated_at is not None
    assert participant.number == f"{operation.number}-0001"
    again = client.post(url, {**data, "last_name": "DURAND", "first_name": "lea"})
    assert "déjà participante" in again.content.decode()
    assert Participant.objects.count() == 1


def test_import_through_the_interface_preview_then_confirm(client, coordinator, operation):
    client.force_login(coordinator)
    url = reverse("fse:participant_import", args=[operation.pk])
    bad = io.BytesIO(csv_bytes([row(sexe="Z")]))
    bad.name = "p.csv"
    response = client.post(url, {"file": bad})
    assert "ligne 2, colonne « sexe »" in response.content.decode()
    assert not ImportBatch.objects.exists()
    good = io.BytesIO(csv_bytes([ROW]))
    good.name = "p.csv"
    response = client.post(url, {"file": good})
    assert "1 création(s), 0 mise(s) à jour" in response.content.decode()
    assert not Participant.objects.exists()
    batch = ImportBatch.objects.get()
    response = client.post(url, {"batch": batch.pk})
    assert response.status_code == 302
    assert Participant.objects.count() == 1
    again = client.post(url, {"batch": batch.pk})  # double submit
    assert again.status_code == 302
    assert Participant.objects.count() == 1
    assert client.post(url, {"batch": "nope"}).status_code == 302


def test_bad_period_and_unknown_cell_never_500(client, coordinator, operation):
    client.force_login(coordinator)
    url = reverse("fse:operation_detail", args=[operation.pk])
    response = client.get(url, {"start": "2025-13-45", "end": "x"})
    assert response.status_code == 200
    response = client.get(url, {"start": "2025-06-01", "end": "2025-01-01"})
    assert "La fin de la période doit suivre son début." in response.content.decode()
    assert client.get(reverse("fse:indicator_cell", args=[operation.pk, "NOPE", "period", "total"])).status_code == 404
    assert client.get(reverse("fse:participant_export", args=[operation.pk, "pdf"])).status_code == 404
    response = client.post(
        reverse("fse:report_create", args=[operation.pk]), {"start": "2025-06-01", "end": "2025-01-01"}
    )
    assert response.status_code == 302
    assert not Report.objects.exists()


def test_report_progress_fragment(client, coordinator, operation):
    client.force_login(coordinator)
    report = Report.objects.create(
        operation=operation, period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 6, 30), progress=40
    )
    page = client.get(reverse("fse:report_detail", args=[report.pk]))
    assert "40 %" in page.content.decode()
    fragment = client.get(reverse("fse:report_detail", args=[report.pk]), HTTP_HX_REQUEST="true")
    assert fragment.content.decode().strip().startswith('<div id="report-')
    assert 'hx-trigger="every 2s"' in fragment.content.decode()
    assert client.get(reverse("fse:report_download", args=[report.pk])).status_code == 404  # not ready


def test_navigation_entry(client, coordinator, worker):
    client.force_login(coordinator)
    assert "Opérations FSE" in client.get(reverse("home")).content.decode()
    client.force_login(worker)
    assert reverse("fse:operation_list") not in client.get(reverse("home")).content.decode()


def test_operation_factory_is_unfunded_by_default():
    assert OperationFactory().funders.count() == 0


def test_home_cards_list_operations_and_reports(client, coordinator, funder, operation, done_report):
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert operation.title in page
    client.force_login(funder)
    page = client.get(reverse("home")).content.decode()
    assert operation.title in page
    assert reverse("fse:report_download", args=[done_report.pk]) in page
    other = MembershipFactory(funder=True).user
    client.force_login(other)
    assert operation.title not in client.get(reverse("home")).content.decode()


def test_a_validated_entry_record_is_frozen_but_the_exit_can_be_recorded(client, coordinator, operation):
    participant = ParticipantFactory(operation=operation, last_name="Figé")
    client.force_login(coordinator)
    url = reverse("fse:participant_edit", args=[operation.pk, participant.pk])
    page = client.get(url).content.decode()
    assert "Enregistrer et valider" not in page
    response = client.post(
        url,
        {"last_name": "Changé", "exit_on": "2025-06-30", "exit_observed_on": "2025-07-02",
         "lm_status_exit": "EMPLOYED", "exit_reason": "COMPLETED", "save": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.last_name == "Figé"
    assert participant.exit_on == datetime.date(2025, 6, 30)


def test_the_report_page_shows_only_the_current_state(
    client, coordinator, operation, django_capture_on_commit_callbacks
):
    """Issue 16: « en cours de génération » stayed above « Prêt » once the PDF was ready."""
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks():  # the task is not run: the test plays the worker
        response = client.post(
            reverse("fse:report_create", args=[operation.pk]), {"start": "2025-01-01", "end": "2025-06-30"}
        )
    report = Report.objects.get(operation=operation)
    assert response.url == reverse("fse:report_detail", args=[report.pk])
    report.status, report.progress, report.checksum = ReportStatus.DONE, 100, "0" * 64
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7 test"))
    page = client.get(response.url).content.decode()
    assert "Prêt" in page
    assert "en cours de génération" not in page
    assert "Génération :" not in page


def test_a_duplicate_row_is_reported_on_the_first_upload(client, coordinator, operation):
    """Issue 16: a duplicate of a row that had another error was only reported once that error was fixed."""
    client.force_login(coordinator)
    url = reverse("fse:participant_import", args=[operation.pk])
    upload = io.BytesIO(csv_bytes([row(sexe="Z"), row(nom="DUPONT", prenom="elodie"), row(nom="Autre")]))
    upload.name = "p.csv"
    page = client.post(url, {"file": upload}).content.decode()
    assert "ligne 2, colonne « sexe »" in page
    assert "ligne 3 : même personne (nom, prénom, date de naissance) que la ligne 2" in page
    assert "2 erreurs : rien n'a été importé." in page
    assert not ImportBatch.objects.exists()
    assert not Participant.objects.exists()
