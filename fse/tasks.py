"""Report generation on the `reports` queue: the task takes an id and calls the renderer."""

import hashlib
import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .enums import ReportStatus
from .models import Report
from .report import render_pdf

logger = logging.getLogger(__name__)


def _progress(report_id: int, value: int) -> None:
    Report.objects.filter(pk=report_id).update(progress=value)


@shared_task(name="fse.tasks.generate_report", acks_late=True)
def generate_report(report_id: int) -> None:
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("operation").filter(pk=report_id).first()
        if report is None or report.status == ReportStatus.DONE:
            return  # gone, or already rendered by a duplicate delivery
        report.status, report.progress = ReportStatus.RUNNING, 10
        report.save(update_fields=["status", "progress"])

    try:
        pdf = render_pdf(
            report.operation,
            report.period_start,
            report.period_end,
            progress=lambda value: _progress(report_id, value),
        )
    except Exception:
        logger.exception("fse report %s failed", report_id)
        Report.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, progress=100)
        raise
    name = f"rapport-fse-{report.operation.number}-{report.period_start}-{report.period_end}-{report.pk}.pdf"
    report.file.save(name, ContentFile(pdf), save=False)
    report.checksum = hashlib.sha256(pdf).hexdigest()
    report.size = len(pdf)
    report.generated_at = timezone.now()
    report.status, report.progress = ReportStatus.DONE, 100
    report.save(update_fields=["file", "checksum", "size", "generated_at", "status", "progress"])


# Jobs queued before the app moved out of `coordination` (2026-11) carry the old name: accept it too.
shared_task(name="coordination.fse.tasks.generate_report", acks_late=True)(generate_report.run)
