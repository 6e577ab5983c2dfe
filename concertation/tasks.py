"""Thin Celery tasks: ids in, a service or renderer called. `render_minutes` runs on the `reports` queue."""

import hashlib
import logging

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import FIELD_ROLES, Membership

from .enums import MinutesStatus
from .models import Minutes

logger = logging.getLogger(__name__)


@shared_task(name="concertation.tasks.render_minutes", acks_late=True)
def render_minutes(minutes_id: int) -> None:
    with transaction.atomic():
        minutes = (
            Minutes.objects.select_for_update().select_related("session__commission").filter(pk=minutes_id).first()
        )
        if minutes is None or minutes.status == MinutesStatus.DONE:
            return  # gone, or already rendered by a duplicate delivery
    try:
        store_pdf(minutes)
    except Exception:
        logger.exception("concertation minutes %s failed", minutes_id)
        Minutes.objects.filter(pk=minutes_id).update(status=MinutesStatus.FAILED)
        raise
    send_minutes_email(minutes)


def store_pdf(minutes: Minutes) -> None:
    """Render the minutes, keep the file with its SHA-256 checksum."""
    from .minutes import render_pdf

    pdf = render_pdf(minutes.session)
    minutes.file.save(f"releve-seance-{minutes.session_id}.pdf", ContentFile(pdf), save=False)
    minutes.checksum = hashlib.sha256(pdf).hexdigest()
    minutes.size = len(pdf)
    minutes.generated_at = timezone.now()
    minutes.status = MinutesStatus.DONE
    minutes.save(update_fields=["file", "checksum", "size", "generated_at", "status"])


def recipients(session) -> list[str]:
    """Field members of the commission's structures (member or invited) and its coordinators."""
    structure_ids = list(session.commission.members.values_list("structure_id", flat=True))
    emails = set(
        Membership.objects.filter(structure_id__in=structure_ids, role__in=FIELD_ROLES, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    emails |= set(session.commission.coordinators.exclude(email="").values_list("email", flat=True))
    return sorted(emails)


def send_minutes_email(minutes: Minutes) -> int:
    """One e-mail per recipient: the commission, the date and a link; never a person's name."""
    session = minutes.session
    day = date_format(timezone.localtime(session.starts_at).date(), "SHORT_DATE_FORMAT")
    subject = _("Relevé de décisions de la séance du %(date)s") % {"date": day}
    url = settings.SITE_URL + reverse("concertation:session_minutes_pdf", args=[session.pk])
    body = _(
        "Le relevé de décisions de la séance du %(date)s de la commission « %(commission)s » est publié.\n"
        "Consultez-le (connexion requise) : %(url)s\n"
        "Empreinte SHA-256 : %(checksum)s"
    ) % {"date": day, "commission": session.commission.name, "url": url, "checksum": minutes.checksum}
    sent = 0
    connection = get_connection()
    for email in recipients(session):
        sent += send_mail(subject, body, None, [email], connection=connection)
    Minutes.objects.filter(pk=minutes.pk).update(sent_at=timezone.now())
    return sent
