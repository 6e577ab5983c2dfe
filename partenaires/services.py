"""Writes of the directory that span models or have side effects (style.md: services)."""

import datetime

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Membership, Role

from .models import Contact, DigestSubscription, PartnerAction, Service, Structure


@transaction.atomic
def structure_save(*, structure: Structure) -> Structure:
    """Save a structure edited by a person: it counts as a review of the whole entry."""
    structure.save()
    structure.mark_reviewed()
    return structure


@transaction.atomic
def service_save(*, service: Service) -> Service:
    service.save()
    structure = Structure.objects.select_for_update().get(pk=service.structure_id)
    structure.refresh_search_fields()
    structure.mark_reviewed()
    return service


@transaction.atomic
def service_delete(*, service: Service) -> None:
    structure = Structure.objects.select_for_update().get(pk=service.structure_id)
    service.delete()
    structure.refresh_search_fields()
    structure.mark_reviewed()


@transaction.atomic
def contact_save(*, contact: Contact) -> Contact:
    contact.save()
    contact.structure.mark_reviewed()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    structure = contact.structure
    contact.delete()
    structure.mark_reviewed()


@transaction.atomic
def action_save(*, action: PartnerAction, by) -> PartnerAction:
    if action.created_by_id is None:
        action.created_by = by
    action.save()
    return action


# --- scheduled e-mails -----------------------------------------------------------------------------
def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def review_reminders_send(*, now=None) -> int:
    """E-mail the managers of structures not reviewed for DIRECTORY_REVIEW_AFTER_DAYS, at most once a period.

    Set-wise and safe to run twice at once: rows are locked with SKIP LOCKED and stamped in the same
    transaction as the sending, so a failed send is retried by the next run.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    reviewed_before = today - datetime.timedelta(days=settings.DIRECTORY_REVIEW_AFTER_DAYS)
    reminded_before = now - datetime.timedelta(days=settings.DIRECTORY_REVIEW_REMINDER_EVERY_DAYS)
    managers = Membership.objects.filter(structure=OuterRef("pk"), role=Role.MANAGER)
    with transaction.atomic():
        due = list(
            Structure.objects.stale(reviewed_before=reviewed_before)
            .filter(Q(review_reminder_sent_at__isnull=True) | Q(review_reminder_sent_at__lt=reminded_before))
            .filter(Exists(managers))
            .select_for_update(skip_locked=True, of=("self",))
            .only("id", "name", "reviewed_on")
            .order_by("id")
        )
        if not due:
            return 0
        recipients: dict[int, list[str]] = {}
        for structure_id, email in Membership.objects.filter(
            structure__in=due, role=Role.MANAGER, user__is_active=True
        ).values_list("structure_id", "user__email"):
            recipients.setdefault(structure_id, []).append(email)
        messages = []
        for structure in due:
            if structure.pk not in recipients:
                continue
            context = {
                "structure": structure,
                "url": _absolute(reverse("partenaires:structure_edit", args=[structure.pk])),
                "months": round(settings.DIRECTORY_REVIEW_AFTER_DAYS / 30.4),
            }
            subject = gettext("Annuaire : la fiche de %(name)s est-elle à jour ?") % {"name": structure.name}
            body = render_to_string("partenaires/email/review_reminder.txt", context)
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients[structure.pk])))
        send_mass_mail(messages, fail_silently=False)
        Structure.objects.filter(pk__in=[s.pk for s in due]).update(review_reminder_sent_at=now)
    return len(messages)


def action_digest_send(*, today=None) -> int:
    """The weekly e-mail of coming partner actions to the users who opted in (once per 7 days each)."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.DIRECTORY_DIGEST_HORIZON_DAYS)
    actions = list(
        PartnerAction.objects.coming(today)
        .filter(starts_on__lte=horizon)
        .select_related("structure")
        .only("id", "title", "starts_on", "ends_on", "time", "place", "commune", "structure__id", "structure__name")
        .order_by("starts_on", "id")
    )
    if not actions:
        return 0
    with transaction.atomic():
        subscriptions = list(
            DigestSubscription.objects.filter(user__is_active=True)
            .filter(Q(last_sent_on__isnull=True) | Q(last_sent_on__lte=today - datetime.timedelta(days=7)))
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .order_by("id")
        )
        if not subscriptions:
            return 0
        context = {
            "actions": actions,
            "list_url": _absolute(reverse("partenaires:action_list")),
            "calendar_url": _absolute(reverse("partenaires:action_calendar")),
        }
        subject = gettext("Les actions des partenaires dans les semaines à venir")
        body = render_to_string("partenaires/email/action_digest.txt", context)
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [s.user.email]) for s in subscriptions], fail_silently=False
        )
        DigestSubscription.objects.filter(pk__in=[s.pk for s in subscriptions]).update(last_sent_on=today)
    return len(subscriptions)
