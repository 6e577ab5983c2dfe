"""Retention (privacy.md §6): `apply_retention(dry_run=)`, run nightly and by `manage.py apply_retention`.

Every step is set-wise and idempotent. Anonymisation runs in batches, one transaction per batch covering every
app's part (parcours, evaluations, alerts, fse), so that an interrupted run leaves each person either untouched
or fully anonymised. A dry run returns, per step, how many rows it would change.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from alerts import retention as alerts_retention
from audit.models import AuditEntry
from evaluations import retention as evaluations_retention
from fse import retention as fse_retention
from parcours import rights
from parcours.models import Person, add_months

from .models import AccessExport, RetentionSettings

BATCH = 500

STEPS = (
    ("warnings", "avertissements 30 jours avant"),
    ("followups_ended", "accompagnements terminés sans contact depuis 2 ans"),
    ("people_anonymised", "personnes anonymisées"),
    ("fse_participants_deleted", "fiches participant FSE supprimées (fin de conservation)"),
    ("exports_expired", "fichiers d'export expirés"),
    ("accounts_deactivated", "comptes inutilisés désactivés"),
    ("audit_rows_purged", "entrées du journal d'accès purgées"),
)


def policy(settings_row: RetentionSettings | None = None) -> rights.RetentionPolicy:
    row = settings_row or RetentionSettings.load()
    return rights.RetentionPolicy(retention_months=row.retention_months, warning_days=row.warning_days)


def anonymise_batch(person_ids, *, now=None) -> int:
    """One transaction: every app's part for these people, or nothing."""
    with transaction.atomic():
        ids = list(
            Person.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(person_ids), anonymised_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        evaluations_retention.clear_free_text(ids)
        alerts_retention.clear_free_text(ids)
        fse_retention.unlink_people(ids)
        return rights.anonymise_people(ids, now=now)


def anonymise_due(*, now=None, dry_run=False, settings_row=None) -> int:
    due = rights.due_for_anonymisation(policy(settings_row), now)
    if dry_run:
        return due.count()
    done = 0
    while True:
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return done
        count = anonymise_batch(ids, now=now)
        if count == 0:  # rows locked by another run: stop rather than spin
            return done
        done += count


def expire_exports(*, now=None, dry_run=False) -> int:
    now = now or timezone.now()
    expired = AccessExport.objects.filter(expires_at__lte=now)
    if dry_run:
        return expired.count()
    files = [name for row in expired.values_list("pdf", "json") for name in row if name]
    count = expired.delete()[0]
    transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return count


def deactivate_unused_accounts(*, now=None, dry_run=False, settings_row=None) -> int:
    now = now or timezone.now()
    row = settings_row or RetentionSettings.load()
    limit = timezone.make_aware(
        timezone.datetime.combine(
            add_months(timezone.localdate(now), -row.account_inactive_months), timezone.datetime.min.time()
        )
    )
    unused = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(last_login__lt=limit) | Q(last_login__isnull=True, date_joined__lt=limit))
    )
    if dry_run:
        return unused.count()
    return unused.update(is_active=False)


def purge_audit(*, now=None, dry_run=False, settings_row=None) -> int:
    now = now or timezone.now()
    row = settings_row or RetentionSettings.load()
    old = AuditEntry.objects.filter(at__lt=now - timedelta(days=31 * row.audit_retention_months))
    if dry_run:
        return old.count()
    return old.delete()[0]


def apply_retention(*, dry_run: bool = False, now=None) -> dict[str, int]:
    """Every step in order; returns {step: rows changed (or that would change)}."""
    now = now or timezone.now()
    row = RetentionSettings.load()
    rules = policy(row)
    result = {}
    with transaction.atomic():
        result["warnings"] = rights.warn_before_anonymisation(rules, now=now, dry_run=dry_run)
    result["followups_ended"] = rights.end_followups_without_contact(rules, now=now, dry_run=dry_run)
    result["people_anonymised"] = anonymise_due(now=now, dry_run=dry_run, settings_row=row)
    with transaction.atomic():
        result["fse_participants_deleted"] = fse_retention.delete_expired_participants(
            today=timezone.localdate(now), dry_run=dry_run
        )
    with transaction.atomic():
        result["exports_expired"] = expire_exports(now=now, dry_run=dry_run)
    result["accounts_deactivated"] = deactivate_unused_accounts(now=now, dry_run=dry_run, settings_row=row)
    result["audit_rows_purged"] = purge_audit(now=now, dry_run=dry_run, settings_row=row)
    return result
