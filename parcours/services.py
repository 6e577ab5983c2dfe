"""Writes that span models or have side effects. Views, tasks, admin actions and commands call these.

Every service checks the access policy for the acting user, runs in a transaction, records the audit trail
and raises `django.core.exceptions.ValidationError` with a French message on a refused change.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from accounts.models import FIELD_ROLES, Membership
from accounts.scope import user_scope
from audit.models import Action

from . import text
from .access import ensure_can_write, get_access
from .enums import (
    ConsentDecision,
    EventKind,
    FollowUpEndReason,
    FollowUpKind,
    HousingEndReason,
    ReferralStatus,
    SharingBasis,
)
from .models import (
    Consent,
    DuplicateCheckRequest,
    Event,
    FollowUp,
    Household,
    HouseholdMember,
    HousingRequest,
    HousingSituation,
    Notification,
    NotificationKind,
    ParcoursSettings,
    PassIae,
    Person,
    Referral,
    ReferralTransition,
)
from .signals import send_person_changed

DEFAULT_BASIS_BY_KIND = {
    FollowUpKind.HOUSING: SharingBasis.SOCIAL_ACTION_L121_6_2,
    FollowUpKind.SOCIAL: SharingBasis.SOCIAL_ACTION_L121_6_2,
    FollowUpKind.EMPLOYMENT: SharingBasis.INSERTION_L263_4_1,
}


def _field_member(user, structure) -> bool:
    return structure is not None and structure.pk in user_scope(user).field_structures


def _integrity_message(exc: IntegrityError) -> str:
    """The French message of the violated constraint, when it is one of ours."""
    from django.apps import apps

    message = str(exc)
    for model in apps.get_app_config("parcours").get_models():
        for constraint in model._meta.constraints:
            if constraint.name in message:
                return str(constraint.violation_error_message)
    return _("Cet enregistrement contredit une règle de cohérence.")


# --- duplicate detection ------------------------------------------------------------------------------
@dataclass
class DuplicateMatches:
    visible: list = field(default_factory=list)  # people the user may open
    hidden_ids: list = field(default_factory=list)  # ids only: never shown (R12)

    @property
    def any(self) -> bool:
        return bool(self.visible or self.hidden_ids)


def is_close_match(last_name: str, first_name: str, person: Person, *, exact_date: bool = True) -> bool:
    """Similar names; with a different birth date, both names within one typo (a date typo and two name
    typos together are more often two people)."""
    last, first = text.normalize(last_name), text.normalize(first_name)
    other_last, other_first = text.normalize(person.last_name), text.normalize(person.first_name)
    close = text.similar if exact_date else text.very_similar
    straight = close(last, other_last) and close(first, other_first)
    swapped = close(last, other_first) and close(first, other_last)
    return straight or swapped


def find_duplicates(*, user, last_name: str, first_name: str, birth_date: dt.date) -> DuplicateMatches:
    """Close matches: similar or swapped names (typos, accents) born on the same date or on a date a typing
    error could have made of it (a day off, day and month swapped, a year one digit off). The names must be
    closer when the dates differ. Hidden matches are ids only (R12); every check is logged."""
    candidates = (
        Person.objects.filter(birth_date__in=sorted(text.birth_date_variants(birth_date)))
        .only("pk", "last_name", "first_name", "birth_date")
        .order_by("pk")
    )
    ids = [p.pk for p in candidates if is_close_match(last_name, first_name, p, exact_date=p.birth_date == birth_date)]
    visible = list(Person.objects.visible_to(user).filter(pk__in=ids).order_by("last_name", "first_name", "pk"))
    visible_ids = {p.pk for p in visible}
    matches = DuplicateMatches(visible=visible, hidden_ids=[pk for pk in ids if pk not in visible_ids])
    audit.record(
        user=user,
        action=Action.DUPLICATE_CHECK,
        detail=f"visible={len(matches.visible)} hidden={len(matches.hidden_ids)}",
    )
    return matches


@transaction.atomic
def request_duplicate_check(*, by, structure, hidden_ids: list[int]) -> DuplicateCheckRequest:
    """Ask the coordinators to check matches the worker may not see; only ids travel."""
    if not _field_member(by, structure):
        raise PermissionDenied
    people = list(Person.objects.filter(pk__in=hidden_ids).values_list("pk", flat=True))
    if not people:
        raise ValidationError(_("Aucune personne proche à vérifier."))
    check = DuplicateCheckRequest.objects.create(requested_by=by, structure=structure)
    check.matches.set(people)
    notification = Notification.objects.create(kind=NotificationKind.DUPLICATE_CHECK, duplicate_check=check)
    _email_later(notification)
    audit.record(user=by, action=Action.DUPLICATE_CHECK, obj=check, detail="coordinators_asked")
    return check


# --- person -------------------------------------------------------------------------------------------
@transaction.atomic
def person_create(
    *,
    by,
    structure,
    kind: str,
    sharing_basis: str = "",
    household_type: str = "",
    dependent_children: int = 0,
    **identity,
) -> Person:
    """Create a person followed by `structure` (the creator is the referent; lead when there is none)."""
    if not _field_member(by, structure):
        raise PermissionDenied(_("Vous devez agir pour une structure qui accompagne des personnes."))
    person = Person(created_by=by, **identity)
    person.full_clean()
    person.save()
    FollowUp.objects.create(
        person=person,
        structure=structure,
        referent=by,
        kind=kind,
        is_lead=True,
        started_on=timezone.localdate(),
        sharing_basis=sharing_basis or DEFAULT_BASIS_BY_KIND[kind],
    )
    if household_type:
        household = Household.objects.create(household_type=household_type, dependent_children=dependent_children)
        HouseholdMember.objects.create(household=household, person=person, role="HEAD")
    audit.record(user=by, action=Action.CREATE, person=person, obj=person)
    return person


@transaction.atomic
def person_update(*, person: Person, by, fields: dict) -> Person:
    ensure_can_write(by, person)
    for name, value in fields.items():
        setattr(person, name, value)
    person.full_clean()
    person.save()
    audit.record(user=by, action=Action.UPDATE, person=person, obj=person, detail=",".join(sorted(fields))[:200])
    send_person_changed(person.pk)
    return person


# --- consent ------------------------------------------------------------------------------------------
@transaction.atomic
def consent_record(
    *, person: Person, by, structure, scope: str, decision: str, decided_on: dt.date, method: str, document=None
) -> Consent:
    """Append a decision to the ledger; it is in force at once (a withdrawal closes the view immediately)."""
    ensure_can_write(by, person)
    if not _field_member(by, structure):
        raise PermissionDenied
    consent = Consent(
        person=person,
        scope=scope,
        decision=decision,
        decided_on=decided_on,
        collected_by=by,
        collected_by_structure=structure,
        method=method,
    )
    if document:
        consent.document = document
    # The previous decision of the scope is superseded on save (Consent.save), not a conflict.
    consent.full_clean(validate_constraints=False)
    consent.save()
    audit.record(user=by, action=Action.CREATE, person=person, obj=consent, detail=f"{scope}:{decision}")
    return consent


def consent_withdraw(*, person: Person, by, structure, scope: str, method: str) -> Consent:
    return consent_record(
        person=person,
        by=by,
        structure=structure,
        scope=scope,
        decision=ConsentDecision.WITHDRAWN,
        decided_on=timezone.localdate(),
        method=method,
    )


# --- follow-ups ---------------------------------------------------------------------------------------
@transaction.atomic
def followup_declare(*, person: Person, by, structure, kind: str, sharing_basis: str) -> FollowUp:
    """ "Déclarer un accompagnement" (R3) or "Reprendre l'accompagnement" (R1): open a follow-up by `structure`.

    Allowed to a member of `structure` who sees the file (past follow-up, PARTNERS consent); the lead referent
    is told in the app.
    """
    access = get_access(by, person)
    if access.level not in ("FULL", "SHARED") or not _field_member(by, structure):
        raise PermissionDenied(_("Vous ne pouvez pas déclarer d'accompagnement pour cette personne."))
    if person.restricted:
        raise PermissionDenied(_("Ce dossier est en lecture seule."))
    followup = FollowUp(
        person=person,
        structure=structure,
        referent=by,
        kind=kind,
        started_on=timezone.localdate(),
        sharing_basis=sharing_basis or DEFAULT_BASIS_BY_KIND[kind],
    )
    try:
        with transaction.atomic():
            followup.save()
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc
    lead = FollowUp.objects.lead().filter(person=person).exclude(referent=None).select_related("referent").first()
    if lead is not None and lead.referent_id != by.pk:
        notification = Notification.objects.create(kind=NotificationKind.FOLLOWUP_DECLARED, recipient=lead.referent)
        _email_later(notification)
    audit.record(user=by, action=Action.CREATE, person=person, obj=followup, detail="declared")
    return followup


@transaction.atomic
def followup_end(*, followup: FollowUp, by, ended_on: dt.date, end_reason: str) -> FollowUp:
    ensure_can_write(by, followup.person)
    if followup.structure_id not in user_scope(by).field_structures:
        raise PermissionDenied
    if followup.ended_on is not None:
        raise ValidationError(_("Cet accompagnement est déjà terminé."))
    followup.ended_on, followup.end_reason, followup.is_lead = ended_on, end_reason, False
    followup.full_clean()
    followup.save(update_fields=["ended_on", "end_reason", "is_lead"])
    audit.record(user=by, action=Action.UPDATE, person=followup.person_id, obj=followup, detail="ended")
    send_person_changed(followup.person_id)
    return followup


# --- situations ---------------------------------------------------------------------------------------
@transaction.atomic
def situation_record(*, person: Person, by, situation):
    """Save a new housing/employment situation or resource for `person`.

    A new open housing situation closes the current one on the day the new one starts (one open at a time).
    """
    ensure_can_write(by, person)
    situation.person = person
    situation.created_by = by
    if isinstance(situation, HousingSituation) and situation.ended_on is None:
        current = HousingSituation.objects.select_for_update().filter(person=person).open().first()
        if current is not None:
            if situation.started_on < current.started_on:
                raise ValidationError(
                    {"started_on": _("La nouvelle situation ne peut pas commencer avant la situation en cours.")}
                )
            current.ended_on = situation.started_on
            current.end_reason = current.end_reason or HousingEndReason.MOVED_ON
            current.save(update_fields=["ended_on", "end_reason"])
            audit.record(user=by, action=Action.UPDATE, person=person, obj=current, detail="ended")
    situation.full_clean()
    try:
        with transaction.atomic():
            situation.save()
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc
    audit.record(user=by, action=Action.CREATE, person=person, obj=situation)
    send_person_changed(person.pk)
    return situation


@transaction.atomic
def situation_close(*, situation, by, ended_on: dt.date, end_reason: str = ""):
    ensure_can_write(by, situation.person)
    if situation.ended_on is not None:
        raise ValidationError(_("Cette période est déjà terminée."))
    situation.ended_on = ended_on
    if hasattr(situation, "end_reason"):
        situation.end_reason = end_reason
    situation.full_clean()
    situation.save()
    audit.record(user=by, action=Action.UPDATE, person=situation.person_id, obj=situation, detail="ended")
    send_person_changed(situation.person_id)
    return situation


# --- PASS IAE and housing requests ---------------------------------------------------------------------
def _save_checked(obj) -> None:
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc


@transaction.atomic
def pass_iae_record(*, person: Person, by, pass_iae: PassIae) -> PassIae:
    """Record a PASS IAE for `person`."""
    ensure_can_write(by, person)
    pass_iae.person = person
    pass_iae.created_by = by
    _save_checked(pass_iae)
    audit.record(user=by, action=Action.CREATE, person=person, obj=pass_iae)
    send_person_changed(person.pk)
    return pass_iae


@transaction.atomic
def pass_iae_prolong(*, pass_iae: PassIae, by, end_on: dt.date) -> PassIae:
    """Move the end of a PASS IAE (prolongation, or a correction)."""
    ensure_can_write(by, pass_iae.person)
    pass_iae.end_on = end_on
    _save_checked(pass_iae)
    audit.record(user=by, action=Action.UPDATE, person=pass_iae.person_id, obj=pass_iae, detail="end_on")
    send_person_changed(pass_iae.person_id)
    return pass_iae


@transaction.atomic
def housing_request_record(*, person: Person, by, housing_request: HousingRequest) -> HousingRequest:
    """Record a housing request for `person` (one pending request per kind)."""
    ensure_can_write(by, person)
    housing_request.person = person
    housing_request.created_by = by
    _save_checked(housing_request)
    audit.record(user=by, action=Action.CREATE, person=person, obj=housing_request)
    send_person_changed(person.pk)
    return housing_request


@transaction.atomic
def housing_request_update(
    *, housing_request: HousingRequest, by, status: str, renewal_due_on: dt.date | None
) -> HousingRequest:
    """Change where a housing request stands (status, renewal date)."""
    ensure_can_write(by, housing_request.person)
    housing_request.status = status
    housing_request.renewal_due_on = renewal_due_on
    _save_checked(housing_request)
    audit.record(user=by, action=Action.UPDATE, person=housing_request.person_id, obj=housing_request, detail="status")
    send_person_changed(housing_request.person_id)
    return housing_request


# --- events and the last contact ----------------------------------------------------------------------
def refresh_last_contact(person_ids) -> None:
    """Derive `last_contact_at` on people and their open follow-ups from contact events (set-wise)."""
    person_ids = list(person_ids)
    latest = Event.objects.contacts().filter(person_id=OuterRef("pk")).values("person_id")
    Person.objects.filter(pk__in=person_ids).update(
        last_contact_at=Subquery(latest.annotate(m=Max("at")).values("m")[:1])
    )
    by_structure = (
        Event.objects.contacts()
        .filter(person_id=OuterRef("person_id"), structure_id=OuterRef("structure_id"))
        .values("person_id")
    )
    FollowUp.objects.open().filter(person_id__in=person_ids).update(
        last_contact_at=Subquery(by_structure.annotate(m=Max("at")).values("m")[:1])
    )


@transaction.atomic
def event_record(*, person: Person, by, event: Event) -> Event:
    """Record an appointment, interview, call or note for one of the user's structures following `person`."""
    access = get_access(by, person)
    if not access.can_write:
        raise PermissionDenied(_("Vous pouvez consulter ce dossier mais pas le modifier."))
    if event.structure_id is None or event.structure_id not in access.acting_structure_ids:
        event.structure_id = access.acting_structure_ids[0]
    event.person, event.author = person, by
    if event.kind != EventKind.APPOINTMENT:
        event.status = ""
    event.full_clean()
    event.save()
    refresh_last_contact([person.pk])
    audit.record(user=by, action=Action.CREATE, person=person, obj=event)
    send_person_changed(person.pk)
    return event


@transaction.atomic
def event_update(*, event: Event, by, fields: dict) -> Event:
    """Only the author edits an event (R7)."""
    ensure_can_write(by, event.person)
    if event.author_id != by.pk:
        raise PermissionDenied(_("Seul·e l'auteur·rice peut modifier cet événement."))
    for name, value in fields.items():
        setattr(event, name, value)
    if event.kind != EventKind.APPOINTMENT:
        event.status = ""
    event.full_clean()
    event.save()
    refresh_last_contact([event.person_id])
    audit.record(user=by, action=Action.UPDATE, person=event.person_id, obj=event)
    send_person_changed(event.person_id)
    return event


# --- referrals ----------------------------------------------------------------------------------------
def _transition(referral: Referral, from_status: str, by, comment: str = "") -> None:
    ReferralTransition.objects.create(
        referral=referral, from_status=from_status, to_status=referral.status, by=by, comment=comment
    )
    send_person_changed(referral.person_id)


def _email_later(notification: Notification) -> None:
    from .tasks import send_notification_email

    send_notification_email.delay_on_commit(notification.pk)


def _notify(*, kind: str, referral: Referral, structure=None, recipient=None) -> Notification:
    notification = Notification.objects.create(kind=kind, referral=referral, structure=structure, recipient=recipient)
    _email_later(notification)
    return notification


@transaction.atomic
def referral_send(
    *, person: Person, by, from_structure, to_structure, kind: str, motive: str, to_service=None
) -> Referral:
    access = get_access(by, person)
    if not access.can_write:
        raise PermissionDenied(_("Vous pouvez consulter ce dossier mais pas le modifier."))
    if from_structure is None or from_structure.pk not in access.acting_structure_ids:
        raise ValidationError(_("Seule une structure qui accompagne la personne peut l'orienter."))
    if to_structure is None:
        raise ValidationError(_("Choisissez une structure destinataire."))
    if to_structure.pk == from_structure.pk:
        raise ValidationError(_("On oriente vers une autre structure que la sienne."))
    if not (motive or "").strip():
        raise ValidationError(_("Le motif de l'orientation est obligatoire."))
    now = timezone.now()
    referral = Referral(
        person=person,
        from_structure=from_structure,
        sent_by=by,
        to_structure=to_structure,
        kind=kind,
        motive=motive.strip(),
        sent_at=now,
        response_due_on=timezone.localdate(now) + dt.timedelta(days=ParcoursSettings.load().referral_response_days),
    )
    if to_service is not None:
        if to_service.structure_id != to_structure.pk:
            raise ValidationError(_("Ce service n'appartient pas à la structure destinataire."))
        referral.to_service = to_service
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc
    _transition(referral, "", by)
    _notify(kind=NotificationKind.REFERRAL_RECEIVED, referral=referral, structure=to_structure)
    audit.record(user=by, action=Action.CREATE, person=person, obj=referral)
    return referral


def _lock_pending(referral: Referral) -> Referral:
    locked = Referral.objects.select_for_update().select_related("person", "to_structure").get(pk=referral.pk)
    if locked.status != ReferralStatus.SENT:
        raise ValidationError(
            _("Cette orientation a déjà été traitée (%(status)s).") % {"status": locked.get_status_display()}
        )
    return locked


def _ensure_receiver(by, referral: Referral) -> None:
    if referral.to_structure_id not in user_scope(by).field_structures:
        raise PermissionDenied(_("Seule la structure destinataire répond à une orientation."))


@transaction.atomic
def referral_accept(*, referral: Referral, by, comment: str = "") -> FollowUp:
    """Accept: the receiving structure's follow-up is created in the same transaction."""
    _ensure_receiver(by, referral)
    referral = _lock_pending(referral)
    followup = (
        FollowUp.objects.open()
        .filter(person=referral.person, structure=referral.to_structure, kind=referral.kind)
        .first()
    )
    if followup is None:
        followup = FollowUp.objects.create(
            person=referral.person,
            structure=referral.to_structure,
            referent=by,
            kind=referral.kind,
            started_on=timezone.localdate(),
            sharing_basis=DEFAULT_BASIS_BY_KIND[referral.kind],
        )
    referral.status, referral.answered_at, referral.answered_by = ReferralStatus.ACCEPTED, timezone.now(), by
    referral.save(update_fields=["status", "answered_at", "answered_by"])
    _transition(referral, ReferralStatus.SENT, by, comment)
    _notify(kind=NotificationKind.REFERRAL_ACCEPTED, referral=referral, recipient=referral.sent_by)
    audit.record(user=by, action=Action.UPDATE, person=referral.person_id, obj=referral, detail="accepted")
    return followup


@transaction.atomic
def referral_refuse(*, referral: Referral, by, reason: str, detail: str = "") -> Referral:
    _ensure_receiver(by, referral)
    if not reason:
        raise ValidationError({"refusal_reason": _("Le motif du refus est obligatoire.")})
    if reason == "OTHER" and not detail.strip():
        raise ValidationError({"refusal_detail": _("Précisez le motif « Autre ».")})
    referral = _lock_pending(referral)
    referral.status, referral.answered_at, referral.answered_by = ReferralStatus.REFUSED, timezone.now(), by
    referral.refusal_reason, referral.refusal_detail = reason, detail.strip()
    referral.save(update_fields=["status", "answered_at", "answered_by", "refusal_reason", "refusal_detail"])
    _transition(referral, ReferralStatus.SENT, by, detail)
    _notify(kind=NotificationKind.REFERRAL_REFUSED, referral=referral, recipient=referral.sent_by)
    audit.record(user=by, action=Action.UPDATE, person=referral.person_id, obj=referral, detail="refused")
    return referral


@transaction.atomic
def referral_cancel(*, referral: Referral, by, comment: str = "") -> Referral:
    if referral.from_structure_id not in user_scope(by).field_structures:
        raise PermissionDenied(_("Seule la structure qui a orienté peut annuler l'orientation."))
    referral = _lock_pending(referral)
    referral.status, referral.answered_at, referral.answered_by = ReferralStatus.CANCELLED, timezone.now(), by
    referral.save(update_fields=["status", "answered_at", "answered_by"])
    _transition(referral, ReferralStatus.SENT, by, comment)
    _notify(kind=NotificationKind.REFERRAL_CANCELLED, referral=referral, structure=referral.to_structure)
    audit.record(user=by, action=Action.UPDATE, person=referral.person_id, obj=referral, detail="cancelled")
    return referral


def expire_overdue_referrals(now: dt.datetime | None = None) -> int:
    """Expire SENT referrals without an answer `referral_expiry_days` after sending, and tell each sender.

    Set-wise and idempotent: rows are locked (SKIP LOCKED) so two runs at once never expire one twice.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=ParcoursSettings.load().referral_expiry_days)
    with transaction.atomic():
        ids = list(
            Referral.objects.pending()
            .filter(sent_at__lte=cutoff)
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        Referral.objects.filter(pk__in=ids).update(status=ReferralStatus.EXPIRED, answered_at=now)
        ReferralTransition.objects.bulk_create(
            ReferralTransition(
                referral_id=pk, from_status=ReferralStatus.SENT, to_status=ReferralStatus.EXPIRED, at=now
            )
            for pk in ids
        )
        notifications = Notification.objects.bulk_create(
            Notification(kind=NotificationKind.REFERRAL_EXPIRED, referral_id=pk, recipient_id=sender_id)
            for pk, sender_id in Referral.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "sent_by_id")
        )
        for notification in notifications:
            _email_later(notification)
        for pk, person_id in Referral.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "person_id"):
            audit.record(user=None, action=Action.UPDATE, person=person_id, obj=Referral(pk=pk), detail="expired")
    return len(ids)


# --- e-mail -------------------------------------------------------------------------------------------
def notification_recipients(notification: Notification) -> list[str]:
    """E-mail addresses of a notification: its user, or the field members of its structure, or coordinators."""
    if notification.recipient_id:
        email = notification.recipient.email if notification.recipient.is_active else ""
        return [email] if email else []
    memberships = Membership.objects.filter(user__is_active=True)
    if notification.structure_id:
        memberships = memberships.filter(structure_id=notification.structure_id, role__in=FIELD_ROLES)
    else:
        memberships = memberships.filter(role="COORDINATOR")
    return sorted(set(memberships.values_list("user__email", flat=True)))


def mark_read(*, user, notification_ids) -> int:
    return (
        Notification.objects.for_user(user)
        .filter(pk__in=notification_ids, read_at__isnull=True)
        .update(read_at=timezone.now())
    )


__all__ = [
    "FollowUpEndReason",
    "consent_record",
    "consent_withdraw",
    "event_record",
    "expire_overdue_referrals",
    "find_duplicates",
    "person_create",
    "referral_accept",
    "referral_cancel",
    "referral_refuse",
    "referral_send",
    "situation_record",
    "pass_iae_record",
    "pass_iae_prolong",
    "housing_request_record",
    "housing_request_update",
]
