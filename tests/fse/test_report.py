"""The PDF activity report: a real worker on the `reports` queue renders it; its text carries the figures."""

import hashlib
import io
import time

import pytest
from pypdf import PdfReader

from fse import report as report_module
from fse.enums import ReportStatus
from fse.models import Report
from fse.services import report_request
from tests.fse.factories import OperationFactory, ParticipantFactory
from tests.fse.test_activity import END, START, activity_data
from tests.parcours.factories import ReferralFactory


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _wait_for_pdf(report: Report) -> bytes:
    """The worker picks the task once the request is committed (transactional_db), then stores the file."""
    for _ in range(600):
        report.refresh_from_db()
        if report.is_finished:
            break
        time.sleep(0.1)
    assert report.status == ReportStatus.DONE, report.status
    data = report.file.read()
    report.file.close()
    return data


@pytest.mark.celery_worker
def test_the_report_task_renders_a_pdf_with_the_indicator_values(celery_worker, coordinator):
    op = OperationFactory(title="Parcours emploi logement")
    ParticipantFactory.create_batch(3, operation=op)
    ParticipantFactory.create_batch(2, operation=op, man=True, inactive=True, left=True)
    ParticipantFactory(operation=op, last_name="Secretname", non_binary=True)
    ReferralFactory(accepted=True)
    report = report_request(operation=op, period_start=op.start_on, period_end=op.end_on, by=coordinator)
    data = _wait_for_pdf(report)
    assert data.startswith(b"%PDF")
    assert report.checksum == hashlib.sha256(data).hexdigest()
    text = pdf_text(data)
    assert "Cofinancé par l'Union européenne" in text
    assert "Parcours emploi logement" in text
    # EECO01: 3 women, 2 men, 1 non-binary, 6 in all (period, then cumulated).
    assert "EECO01 Nombre total de participants 3 2 1 6 3 2 1 6" in text
    assert "EECR04" in text
    assert "Orientations envoyées 1" in text
    assert "Entrées par mois" in text
    assert "03/2025" in text  # the month of every entrant, a bar of the monthly chart
    assert "Secretname" not in text  # aggregates only
    assert op.participants.first().number not in text


@pytest.mark.celery_worker
def test_the_report_shows_the_activity_of_the_coordination_action(celery_worker, coordinator):
    op = OperationFactory()
    ParticipantFactory(operation=op)
    activity_data()  # see its docstring for the expected figures of the period
    report = report_request(operation=op, period_start=START, period_end=END, by=coordinator)
    text = pdf_text(_wait_for_pdf(report))
    assert "6. Activité de l'action de coordination" in text
    assert "Évaluations finalisées 3" in text
    assert "dont premières évaluations 2" in text
    assert "dont nouvelles versions 1" in text
    assert "Orientations envoyées 3" in text
    assert "Acceptée 2" in text
    assert "Alertes levées 5" in text
    assert "Alertes résolues 3" in text
    assert "dont résolues avant l'échéance 2" in text
    assert "Actions annoncées 2" in text
    # Every section has its figures now that the commissions exist (issue 12).
    assert text.count("Données non disponibles dans cette version de l'application.") == 0


def test_regenerating_keeps_the_old_reports(db, coordinator, django_capture_on_commit_callbacks):
    op = OperationFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        report_request(operation=op, period_start=op.start_on, period_end=op.end_on, by=coordinator)
        report_request(operation=op, period_start=op.start_on, period_end=op.end_on, by=coordinator)
    assert len(callbacks) == 2  # one task per report, queued after commit
    assert Report.objects.filter(operation=op).count() == 2


def test_render_is_flat_in_the_number_of_participants(db, django_assert_num_queries):
    op = OperationFactory()
    ParticipantFactory(operation=op)
    with django_assert_num_queries(17) as captured:
        report_module.context(op, op.start_on, op.end_on)
    count = len(captured.captured_queries)
    ParticipantFactory.create_batch(50, operation=op, left=True)
    with django_assert_num_queries(count):
        report_module.context(op, op.start_on, op.end_on)
