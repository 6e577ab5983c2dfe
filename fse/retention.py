"""The FSE part of retention (privacy.md §6, fse.md §7): participant records are kept apart until their
operation's `audit_retention_until`, then deleted; anonymising a social file only clears the link."""

from django.utils import timezone

from .models import Participant


def expired_participants(today=None):
    today = today or timezone.localdate()
    return Participant.objects.filter(
        operation__audit_retention_until__isnull=False, operation__audit_retention_until__lt=today
    )


def delete_expired_participants(*, today=None, dry_run=False) -> int:
    rows = expired_participants(today)
    if dry_run:
        return rows.count()
    return rows.delete()[1].get("fse.Participant", 0)


def unlink_people(person_ids) -> int:
    return Participant.objects.filter(person_id__in=list(person_ids)).update(person=None)
