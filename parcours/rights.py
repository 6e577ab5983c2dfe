"""Privacy services of the people app (privacy.md §4, §6, §7, R10), kept apart from `services.py`:

- `open_break_glass(user=, person_id=, reason=)`: "Accès exceptionnel" (R10), logged and notified;
- `record_self_membership(by=, membership=)`: an administrator who gives themselves a membership;
- `objection_record` / `objection_lift`, `set_restriction`, `set_legal_hold`;
- `rights_request_create` / `_extend` / `_answer`;
- retention steps, set-wise and idempotent: `end_followups_without_contact`, `warn_before_anonymisation`,
  `due_for_anonymisation`, `anonymise_people` (the parcours part; higher apps add theirs in `dpo.retention`).

Each service runs in a transaction, records the audit trail (ids only) and raises ValidationError with a French
message on refused input.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Q, Value
from django.db.models.functions import Coalesce, TruncMonth, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from accounts.models import Membership, Role, User
from accounts.scope import user_scope
from audit.models import Action, AuditEntry

from .enums import FollowUpEndReason
from .models import (
    BREAK_GLASS_MIN_REASON,
    BreakGlassGrant,
    Consent,
    Event,
    FollowUp,
    Notification,
    NotificationKind,
    Objection,
    Person,
    Referral,
    ReferralTransition,
    RightsRequest,
    RightsRequestStatus,
    add_months,
)
from .signals import send_person_changed


def dpo_users():
    return User.objects.filter(is_active=True, memberships__role=Role.DPO).distinct().order_by("id")


def _following_structure_ids(person_id: int) -> list[int]:
    return sorted(set(FollowUp.objects.filter(person_id=person_id).values_list("structure_id", flat=True)))


def _managers_of(structure_ids) -> list[int]:
    return sorted(
        set(
            Membership.objects.filter(
                structure_id__in=structure_ids, role=Role.MANAGER, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    )


def notify_users(user_ids, *, kind: str, person_id: int | None = None, structure_id=None, on_date=None) -> int:
    from .services import _email_later

    notifications = Notification.objects.bulk_create(
        Notification(kind=kind, recipient_id=uid, person_id=person_id, structure_id=structure_id, on_date=on_date)
        for uid in sorted(set(user_ids))
    )
    for notification in notifications:
        _email_later(notification)
    return len(notifications)


# --- break-glass (R10) ----------------------------------------------------------------------------------
@transaction.atomic
def open_break_glass(*, user, person_id, reason: str, request=None) -> BreakGlassGrant:
    """Open one person in read-only FULL view for 60 minutes to an administrator or the DPO."""
    scope = user_scope(user)
    if not (scope.is_admin or scope.is_dpo):
        raise PermissionDenied(_("L'accès exceptionnel est réservé aux administrateur·rices et au DPO."))
    reason = (reason or "").strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise ValidationError(
            _("Expliquez le motif en %(count)s caractères au moins.") % {"count": BREAK_GLASS_MIN_REASON}
        )
    try:
        person = Person.objects.get(pk=int(person_id), anonymised_at__isnull=True)
    except (TypeError, ValueError, Person.DoesNotExist):
        raise ValidationError(_("Aucun dossier ne porte ce numéro.")) from None
    grant = BreakGlassGrant.objects.create(user=user, person=person, reason=reason)
    audit.record(user=user, action=Action.BREAK_GLASS, person=person, obj=grant, detail="opened", request=request)
    recipients = [u.pk for u in dpo_users() if u.pk != user.pk] + _managers_of(_following_structure_ids(person.pk))
    notify_users(recipients, kind=NotificationKind.BREAK_GLASS, person_id=person.pk)
    return grant


def record_self_membership(*, by, membership, request=None) -> None:
    """An administrator gave themselves a membership (admin site): audited and notified like a break-glass."""
    if by is None or membership.user_id != by.pk:
        return
    audit.record(
        user=by, action=Action.SELF_MEMBERSHIP, obj=membership, detail=str(membership.role)[:32], request=request
    )
    recipients = [u.pk for u in dpo_users() if u.pk != by.pk] + [
        uid for uid in _managers_of([membership.structure_id]) if uid != by.pk
    ]
    notify_users(recipients, kind=NotificationKind.SELF_MEMBERSHIP, structure_id=None)


# --- objection, restriction, legal hold ---------------------------------------------------------------
@transaction.atomic
def objection_record(
    *, person: Person, by, recording_structure, target_structure=None, recorded_on, method, request=None
) -> Objection:
    """§4 / R11: the person objects to sharing with `target_structure` (None: every other structure). Its
    follow-ups end with `end_reason=OBJECTION`, which removes every view they gave, at once."""
    if recorded_on > timezone.localdate():
        raise ValidationError(_("La date de l'opposition ne peut pas être dans le futur."))
    if (
        target_structure is not None
        and recording_structure is not None
        and target_structure.pk == recording_structure.pk
    ):
        raise ValidationError(_("La structure visée doit être différente de celle qui enregistre l'opposition."))
    objection = Objection.objects.create(
        person=person,
        target_structure=target_structure,
        recording_structure=recording_structure,
        recorded_on=recorded_on,
        collected_by=by,
        method=method,
    )
    followups = FollowUp.objects.filter(person=person)
    if recording_structure is not None:
        followups = followups.exclude(structure=recording_structure)
    if target_structure is not None:
        followups = followups.filter(structure=target_structure)
    today = timezone.localdate()
    for followup in followups.order_by("id"):
        # Past follow-ups too: the objection removes the view they give (R11).
        followup.ended_on = followup.ended_on or max(today, followup.started_on)
        followup.end_reason = FollowUpEndReason.OBJECTION
        followup.save(update_fields=["ended_on", "end_reason"])
    audit.record(user=by, action=Action.RIGHTS, person=person, obj=objection, detail="objection", request=request)
    send_person_changed(person.pk)
    return objection


@transaction.atomic
def objection_lift(*, objection: Objection, by, lifted_on=None, request=None) -> Objection:
    """Lifting restores nothing by itself: a new follow-up must be opened."""
    objection.lifted_on = lifted_on or timezone.localdate()
    objection.save(update_fields=["lifted_on"])
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=objection.person_id,
        obj=objection,
        detail="objection_lifted",
        request=request,
    )
    return objection


@transaction.atomic
def set_restriction(*, person: Person, by, restricted: bool, request=None) -> Person:
    """Art. 18: the file is read-only for everyone while a dispute is examined."""
    Person.objects.filter(pk=person.pk).update(restricted=restricted)
    person.restricted = restricted
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=person,
        obj=person,
        detail="restriction_on" if restricted else "restriction_off",
        request=request,
    )
    return person


@transaction.atomic
def set_legal_hold(*, person: Person, by, until, reason: str, request=None) -> Person:
    """A legal hold suspends anonymisation until `until` (None lifts it); a reason is required to set it."""
    reason = (reason or "").strip()
    if until is not None and not reason:
        raise ValidationError(_("Indiquez le motif de la conservation prolongée."))
    if until is not None and until <= timezone.localdate():
        raise ValidationError(_("La date de fin de conservation doit être dans le futur."))
    Person.objects.filter(pk=person.pk).update(
        retention_hold_until=until, retention_hold_reason=reason if until else ""
    )
    person.retention_hold_until, person.retention_hold_reason = until, (reason if until else "")
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=person,
        obj=person,
        detail="legal_hold_on" if until else "legal_hold_off",
        request=request,
    )
    return person


# --- rights requests (§7) -------------------------------------------------------------------------------
@transaction.atomic
def rights_request_create(*, person: Person, by, kind: str, received_on, request=None) -> RightsRequest:
    if received_on > timezone.localdate():
        raise ValidationError(_("La date de réception ne peut pas être dans le futur."))
    rights_request = RightsRequest.objects.create(person=person, kind=kind, received_on=received_on, handled_by=by)
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=person,
        obj=rights_request,
        detail=f"request_{kind.lower()}",
        request=request,
    )
    return rights_request


@transaction.atomic
def rights_request_extend(*, rights_request: RightsRequest, by, extended_to, reason: str, request=None):
    """One extension only, up to two months after the first due date, with the reason told to the person."""
    reason = (reason or "").strip()
    if rights_request.extended_to is not None:
        raise ValidationError(_("Cette demande a déjà été prolongée une fois."))
    if not reason:
        raise ValidationError(_("Indiquez le motif de la prolongation, qui sera communiqué à la personne."))
    if not (rights_request.due_on < extended_to <= rights_request.max_extension):
        raise ValidationError(
            _("La prolongation doit aller au-delà du %(due)s et au plus tard jusqu'au %(max)s.")
            % {
                "due": rights_request.due_on.strftime("%d/%m/%Y"),
                "max": rights_request.max_extension.strftime("%d/%m/%Y"),
            }
        )
    rights_request.extended_to, rights_request.extension_reason = extended_to, reason
    rights_request.save(update_fields=["extended_to", "extension_reason"])
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=rights_request.person_id,
        obj=rights_request,
        detail="request_extended",
        request=request,
    )
    return rights_request


@transaction.atomic
def rights_request_answer(*, rights_request: RightsRequest, by, status: str, request=None):
    if rights_request.status != RightsRequestStatus.OPEN:
        raise ValidationError(_("Cette demande est déjà close."))
    rights_request.status, rights_request.answered_on = status, timezone.localdate()
    rights_request.save(update_fields=["status", "answered_on"])
    audit.record(
        user=by,
        action=Action.RIGHTS,
        person=rights_request.person_id,
        obj=rights_request,
        detail=f"request_{status.lower()}",
        request=request,
    )
    return rights_request


# --- retention (§6) -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RetentionPolicy:
    retention_months: int = 24
    warning_days: int = 30

    def cutoff(self, now) -> dt.datetime:
        """People whose clock is before this instant are due for anonymisation."""
        today = timezone.localdate(now)
        start = add_months(today, -self.retention_months)
        return timezone.make_aware(dt.datetime.combine(start, dt.time.min))


def _clock():
    return Coalesce("last_contact_at", "created_at", output_field=DateTimeField())


def not_held_q(today) -> Q:
    return Q(retention_hold_until__isnull=True) | Q(retention_hold_until__lt=today)


def due_for_anonymisation(policy: RetentionPolicy, now=None):
    """People due: not anonymised, no legal hold in force, last contact (or creation) older than the period."""
    now = now or timezone.now()
    return (
        Person.objects.filter(anonymised_at__isnull=True)
        .filter(not_held_q(timezone.localdate(now)))
        .alias(clock=_clock())
        .filter(clock__lt=policy.cutoff(now))
    )


def end_followups_without_contact(policy: RetentionPolicy, *, now=None, dry_run=False) -> int:
    """Open follow-ups without contact for the retention period end (`end_reason=NO_CONTACT`), set-wise."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    cutoff = policy.cutoff(now)
    stale = FollowUp.objects.open().filter(
        Q(last_contact_at__lt=cutoff) | Q(last_contact_at__isnull=True, started_on__lt=cutoff.date())
    )
    if dry_run:
        return stale.count()
    with transaction.atomic():
        return stale.update(ended_on=today, end_reason=FollowUpEndReason.NO_CONTACT)


def warn_before_anonymisation(policy: RetentionPolicy, *, now=None, dry_run=False) -> int:
    """30 days before the deadline, tell the lead referent (else the managers of the following structures):
    "Ce dossier sera anonymisé le JJ/MM/AAAA sans nouveau contact". Once per deadline (idempotent)."""
    now = now or timezone.now()
    soon = due_for_anonymisation(policy, now + dt.timedelta(days=policy.warning_days)).exclude(
        pk__in=due_for_anonymisation(policy, now).values("pk")
    )
    rows = list(soon.annotate(clock_at=_clock()).values_list("pk", "clock_at", "retention_warned_for"))
    pending = []
    for pk, clock_at, warned_for in rows:
        deadline = add_months(timezone.localdate(clock_at), policy.retention_months)
        if warned_for != deadline:
            pending.append((pk, deadline))
    if dry_run:
        return len(pending)
    with transaction.atomic():
        ids = [pk for pk, _d in pending]
        leads = dict(
            FollowUp.objects.filter(person_id__in=ids, is_lead=True, ended_on__isnull=True, referent__isnull=False)
            .order_by("person_id", "id")
            .values_list("person_id", "referent_id")
        )
        structures: dict[int, set] = {}
        for person_id, structure_id in FollowUp.objects.filter(person_id__in=ids).values_list(
            "person_id", "structure_id"
        ):
            structures.setdefault(person_id, set()).add(structure_id)
        notifications = []
        for pk, deadline in pending:
            recipients = [leads[pk]] if pk in leads else _managers_of(structures.get(pk, ()))
            notifications += [
                Notification(kind=NotificationKind.RETENTION_WARNING, recipient_id=uid, person_id=pk, on_date=deadline)
                for uid in recipients
            ]
            Person.objects.filter(pk=pk).update(retention_warned_for=deadline)
        from .services import _email_later

        for notification in Notification.objects.bulk_create(notifications):
            _email_later(notification)
    return len(pending)


ANONYMISED_NAME = "ANONYME"


def anonymise_people(person_ids, *, now=None) -> int:
    """The parcours part of anonymisation, set-wise (call inside the batch's transaction): identity, contact
    details, notes, free text, consent forms and change history go; the birth date keeps its year, other dates
    their month; the row keeps its id and coded data for statistics. Already anonymised people are skipped."""
    from django.apps import apps

    now = now or timezone.now()
    ids = list(Person.objects.filter(pk__in=list(person_ids), anonymised_at__isnull=True).values_list("pk", flat=True))
    if not ids:
        return 0
    documents = list(Consent.objects.filter(person_id__in=ids).exclude(document="").values_list("document", flat=True))
    Person.objects.filter(pk__in=ids).update(
        last_name=ANONYMISED_NAME,
        first_name="",
        search_name=ANONYMISED_NAME.lower(),
        search_name_reversed=ANONYMISED_NAME.lower(),
        phone="",
        email="",
        commune_insee="",
        birth_date=TruncYear("birth_date"),
        permit_end_on=TruncMonth("permit_end_on"),
        permit_renewal_filed_on=TruncMonth("permit_renewal_filed_on"),
        ft_registered_since=TruncMonth("ft_registered_since"),
        notice_given_on=TruncMonth("notice_given_on"),
        retention_hold_reason="",
        anonymised_at=now,
    )
    Event.objects.filter(person_id__in=ids).update(text="")
    Referral.objects.filter(person_id__in=ids).update(motive="", refusal_detail="")
    ReferralTransition.objects.filter(referral__person_id__in=ids).update(comment="")
    Consent.objects.filter(person_id__in=ids).update(document="")
    BreakGlassGrant.objects.filter(person_id__in=ids).update(reason=Value("—"))
    FollowUp.objects.open().filter(person_id__in=ids).update(
        ended_on=timezone.localdate(now), end_reason=FollowUpEndReason.NO_CONTACT
    )
    # The change history keeps old values (names, notes): it goes with them.
    for model in apps.get_app_config("parcours").get_models():
        if not model.__name__.endswith("History"):
            continue
        names = {f.name for f in model._meta.get_fields()}
        if "pgh_obj" in names and model.pgh_tracked_model is Person:
            model.objects.filter(pgh_obj_id__in=ids).delete()
        elif "person" in names:
            model.objects.filter(person_id__in=ids).delete()
    if documents:
        from django.core.files.storage import default_storage

        transaction.on_commit(lambda: [default_storage.delete(name) for name in documents])
    AuditEntry.objects.bulk_create(AuditEntry(action=Action.ANONYMISE, person_id=pk, detail="retention") for pk in ids)
    return len(ids)
