"""The Celery worker dies in the middle of a report, or the disk is full when the PDF is written."""

import os
import resource
import signal
import uuid

import pytest
from django.urls import reverse

from fse.enums import ReportFailure, ReportStatus
from fse.models import Report
from tests.faults.conftest import wait_for
from tests.fse.factories import OperationFactory, ParticipantFactory

pytestmark = pytest.mark.faults

PERIOD = {"start": "2026-01-01", "end": "2026-06-30"}


@pytest.fixture
def operation(db):
    operation = OperationFactory(title="Parcours emploi logement")
    ParticipantFactory.create_batch(3, operation=operation)
    return operation


def _request_report(stack, browser, operation) -> Report:
    response = stack.post(
        browser,
        reverse("fse:report_create", args=[operation.pk]),
        {**PERIOD, "submission_key": str(uuid.uuid4())},
    )
    assert response.status_code == 302, response.text[:2000]
    return Report.objects.filter(operation=operation).latest("id")


def _pdf_files(stack) -> list:
    return sorted(p.name for p in stack.media.rglob("*.pdf"))


def test_pool_process_killed_mid_report_completes_once(stack, coordinator, operation):
    stack.start_web()
    worker = stack.start_worker(queues="reports")
    browser = stack.session(coordinator)
    report = _request_report(stack, browser, operation)
    wait_for(lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).exists(), 120, 0.02, "RUNNING")
    for pid in worker.children():  # the pool process rendering the PDF (as the OOM killer would)
        os.kill(pid, signal.SIGKILL)
    # acks_late + reject_on_worker_lost: the job goes back to the queue and a new pool process renders it.
    wait_for(lambda: Report.objects.get(pk=report.pk).is_finished, 180, what="the report after the kill")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert Report.objects.filter(operation=operation).count() == 1
    assert len(_pdf_files(stack)) == 1  # no duplicate PDF
    assert "WorkerLostError" in worker.output()


def test_whole_worker_killed_mid_report_runs_again_on_restart(stack, coordinator, operation):
    # A short visibility timeout stands for "the job comes back after the timeout" (900 s in production).
    stack.start_web()
    worker = stack.start_worker(queues="reports", CELERY_VISIBILITY_TIMEOUT="3")
    browser = stack.session(coordinator)
    report = _request_report(stack, browser, operation)
    wait_for(lambda: Report.objects.filter(pk=report.pk, status=ReportStatus.RUNNING).exists(), 120, 0.02, "RUNNING")
    worker.kill()  # the whole process group, without a warm shutdown: the message stays unacknowledged
    assert not Report.objects.get(pk=report.pk).is_finished
    stack.start_worker("worker2", queues="reports", CELERY_VISIBILITY_TIMEOUT="3")
    wait_for(lambda: Report.objects.get(pk=report.pk).is_finished, 180, what="the report after the restart")
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE
    assert Report.objects.filter(operation=operation).count() == 1
    assert len(_pdf_files(stack)) == 1


def _small_file_limit():
    """The worker may not write a file over 4 kB: writing the PDF fails as on a full disk (EFBIG)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))


def test_disk_full_marks_the_report_failed_in_french_and_a_retry_succeeds(stack, coordinator, operation):
    stack.start_web()
    full = stack.start_worker("full", queues="reports", preexec_fn=_small_file_limit)
    browser = stack.session(coordinator)
    report = _request_report(stack, browser, operation)
    wait_for(lambda: Report.objects.get(pk=report.pk).is_finished, 180, what="the failed report")
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert report.failure == ReportFailure.DISK_FULL
    assert _pdf_files(stack) == []  # no truncated PDF left
    page = browser.get(stack.web_url + reverse("fse:report_detail", args=[report.pk]), timeout=60)
    assert page.status_code == 200
    assert "Espace disque insuffisant" in page.text
    assert "Relancer la génération" in page.text

    full.stop()  # room again
    stack.start_worker("roomy", queues="reports")
    retry = stack.post(browser, reverse("fse:report_create", args=[operation.pk]), PERIOD)
    assert retry.status_code == 302
    again = Report.objects.filter(operation=operation).latest("id")
    assert again.pk != report.pk
    wait_for(lambda: Report.objects.get(pk=again.pk).is_finished, 180, what="the retried report")
    assert Report.objects.get(pk=again.pk).status == ReportStatus.DONE
    assert len(_pdf_files(stack)) == 1
