"""Report generation on the `reports` queue: the task takes an id and calls the renderer."""

import errno
import hashlib
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .enums import ReportFailure, ReportStatus
from .models import Report
from .report import render_pdf

logger = logging.getLogger(__name__)


def _progress(report_id: int, value: int) -> None:
    Report.objects.filter(pk=report_id).update(progress=value)


# "No room for this file": a full disk, an exhausted quota, or a file-size limit of the worker.
NO_SPACE = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def _fail(report_id: int, failure: str) -> None:
    Report.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, progress=100, failure=failure)


@shared_task(name="fse.tasks.generate_report", acks_late=True)
def generate_report(report_id: int) -> None:
    """Render and store one report; safe to deliver twice (a killed worker's job comes back: `acks_late`)."""
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("operation").filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.DONE:
            return  # gone, or already rendered by a duplicate delivery
        report.status, report.progress, report.failure = ReportStatus.RUNNING, 10, ""
        report.save(update_fields=["status", "progress", "failure"])

    try:
        pdf = render_pdf(
            report.operation,
            report.period_start,
            report.period_end,
            progress=lambda value: _progress(report_id, value),
        )
    except Exception:
        logger.exception("fse report %s failed", report_id)
        _fail(report_id, "")
        raise
    name = f"rapport-fse-{report.operation.number}-{report.period_start}-{report.period_end}-{report.pk}.pdf"
    storage = report.file.storage
    path = report.file.field.generate_filename(report, name)
    try:
        if storage.exists(path):  # written by a delivery that died before saving the row: replace it, no copy
            storage.delete(path)
        report.file.save(name, ContentFile(pdf), save=False)
    except OSError as exc:
        logger.error("fse report %s: the file could not be stored (errno %s)", report_id, exc.errno)
        if storage.exists(path):
            storage.delete(path)  # no truncated PDF left behind
        _fail(report_id, ReportFailure.DISK_FULL if exc.errno in NO_SPACE else ReportFailure.STORAGE)
        return
    report.checksum = hashlib.sha256(pdf).hexdigest()
    report.size = len(pdf)
    report.generated_at = timezone.now()
    report.status, report.progress = ReportStatus.DONE, 100
    report.save(update_fields=["file", "checksum", "size", "generated_at", "status", "progress"])


# Jobs queued before the app moved out of `coordination` (2026-11) carry the old name: accept it too.
shared_task(name="coordination.fse.tasks.generate_report", acks_late=True)(generate_report.run)
