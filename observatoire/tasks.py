"""The observatory's jobs on the `reports` queue: the note d'opportunité (the task takes an id and calls the
renderer) and the periodic rebuild of the materialised summary (Celery beat)."""

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .enums import NoteStatus
from .models import OpportunityNote

logger = logging.getLogger(__name__)


@shared_task(name="observatoire.tasks.render_note", acks_late=True)
def render_note(note_id: int) -> None:
    with transaction.atomic():
        note = OpportunityNote.objects.select_for_update().filter(pk=note_id).first()
        if note is None or note.status == NoteStatus.DONE:
            return
        note.status = NoteStatus.RUNNING
        note.save(update_fields=["status"])
    from .note import render_pdf

    try:
        pdf = render_pdf(note.proposal)
    except Exception:
        logger.exception("observatoire note %s failed", note_id)
        OpportunityNote.objects.filter(pk=note_id).update(status=NoteStatus.FAILED)
        raise
    note.file.save(f"note-opportunite-{note.proposal_id}-{note.pk}.pdf", ContentFile(pdf), save=False)
    note.generated_at = timezone.now()
    note.status = NoteStatus.DONE
    note.save(update_fields=["file", "generated_at", "status"])


@shared_task(name="observatoire.tasks.refresh_summary", acks_late=True)
def refresh_summary() -> dict:
    """Rebuild the monthly summary the dashboards read (observatoire/summary.py); set-wise, idempotent."""
    from .summary import refresh

    row = refresh()
    logger.info("observatoire summary refreshed in %s ms", row.duration_ms)
    return {"duration_ms": row.duration_ms, "refreshed_at": row.refreshed_at.isoformat()}
