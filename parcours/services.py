"""Writes that span models or have side effects. Views, tasks, admin actions and commands call these.

Every service checks the access policy for the acting user, runs in a transaction, records the audit trail
and raises `django.core.exceptions.ValidationError` with a French message on a refused change.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
import outbox
from accounts.models import FIELD_ROLES, Membership
from accounts.scope import user_scope
from audit.models import Action

from . import text
from .access import ensure_can_write, get_access, structure_view_q
from .enums import (
    DEFAULT_DELIVERY,
    ActionStatus,
    ActivityKind,
    ConsentDecision,
    Delivery,
    EventKind,
    FollowUpEndReason,
    FollowUpKind,
    HousingEndReason,
    HousingRequestStatus,
    ObjectiveStatus,
    PlanTheme,
    ReferralStatus,
    SharingBasis,
)
from .locking import check_lock_version
from .models import Action as PlanAction
from .models import (
    Activity,
    Consent,
    DuplicateCheckRequest,
    EmploymentSituation,
    Event,
    FollowUp,
    Household,
    HouseholdMember,
    HousingRequest,
    HousingSituation,
    Notification,
    NotificationKind,
    NotificationPreference,
    Objective,
    ParcoursSettings,
    PassIae,
    Person,
    Referral,
    ReferralTransition,
)
from .signals import send_people_changed, send_person_changed

DEFAULT_BASIS_BY_KIND = {
    FollowUpKind.HOUSING: SharingBasis.SOCIAL_ACTION_L121_6_2,
    FollowUpKind.SOCIAL: SharingBasis.SOCIAL_ACTION_L121_6_2,
    FollowUpKind.EMPLOYMENT: SharingBasis.INSERTION_L263_4_1,
}


def _field_member(user, structure) -> bool:
    return structure is not None and structure.pk in user_scope(user).field_structures


def _integrity_message(exc: IntegrityError) -> str:
    """The French message of the violated constraint, when it is one of ours."""
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


@transaction.atomic
def people_import(
    *, by, structure, identities: list[dict], obj=None, detail: str = "import", kind: str = FollowUpKind.EMPLOYMENT
) -> tuple[list[int], int]:
    """Match or create, set-wise, the people of an import made for `structure` (e.g. an FSE participant file).

    Each identity (last_name, first_name, birth_date and other `Person` fields) is matched to a person
    `structure` sees through its follow-ups (same normalised "last first" name and birth date), never to anyone
    else, so an import opens no file to a new structure. The others are created in bulk with their derived
    fields (`Person.fill_derived_fields`), an open lead follow-up of `kind` by `structure`, one audit entry each
    (`detail`, about `obj`), and `people_changed` is sent once for them all. Returns the person id of each identity, in
    order, and the number created.
    """
    keys = [(text.search_name(i["last_name"], i["first_name"]), i["birth_date"]) for i in identities]
    candidates = {}
    for person_id, name, birth in (
        Person.objects.filter(structure_view_q([structure.pk]), birth_date__in={b for _n, b in keys})
        .order_by("pk")
        .values_list("pk", "search_name", "birth_date")
    ):
        candidates.setdefault((name, birth), person_id)
    new_people = []
    for identity, key in zip(identities, keys, strict=True):
        if key not in candidates:
            person = Person(created_by=by, **identity)
            person.fill_derived_fields()
            new_people.append(person)
    Person.objects.bulk_create(new_people, batch_size=1000)
    today = timezone.localdate()
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                person=person,
                structure=structure,
                kind=kind,
                is_lead=True,  # a new person: no other follow-up
                started_on=today,
                sharing_basis=DEFAULT_BASIS_BY_KIND[kind],
            )
            for person in new_people
        ],
        batch_size=1000,
    )
    audit.record_many(user=by, action=Action.CREATE, person_ids=[p.pk for p in new_people], obj=obj, detail=detail)
    send_people_changed([person.pk for person in new_people])
    created = iter(new_people)
    ids = [candidates[key] if key in candidates else next(created).pk for key in keys]
    return ids, len(new_people)


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
    if end_reason == FollowUpEndReason.OBJECTION:
        # privacy.md §4: an objection is recorded as such, not only inferred from the end reason.
        from .models import Objection

        Objection.objects.create(
            person_id=followup.person_id,
            target_structure_id=followup.structure_id,
            recording_structure_id=followup.structure_id,
            recorded_on=ended_on,
            collected_by=by,
            method="ORAL",
        )
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
    _situation_activity(situation, by, opened=True)
    send_person_changed(person.pk)
    return situation


def _situation_activity(situation, by, *, opened: bool) -> None:
    """A contract signed or ended, or an exit from a shelter or housing: tell the partners (issue 13)."""
    acting = None
    access = get_access(by, situation.person) if by is not None else None
    if access is not None and access.acting_structure_ids:
        acting = access.acting_structure_ids[0]
    if isinstance(situation, EmploymentSituation) and situation.contract_type:
        record_activity(
            person=situation.person,
            kind=ActivityKind.CONTRACT_SIGNED if opened else ActivityKind.CONTRACT_ENDED,
            by=by,
            structure=acting,
            facts={
                "situation": situation.situation,
                "contract_type": situation.contract_type,
                "on": (situation.started_on if opened else situation.ended_on).isoformat(),
                **({"end_reason": situation.end_reason} if not opened and situation.end_reason else {}),
            },
        )
    elif isinstance(situation, HousingSituation) and not opened:
        record_activity(
            person=situation.person,
            kind=ActivityKind.HOUSING_EXIT,
            by=by,
            structure=acting,
            facts={
                "status": situation.residential_status,
                "destination": situation.exit_destination or "",
                "on": situation.ended_on.isoformat(),
            },
        )


@transaction.atomic
def situation_close(*, situation, by, ended_on: dt.date, end_reason: str = "", exit_destination: str = ""):
    ensure_can_write(by, situation.person)
    if situation.ended_on is not None:
        raise ValidationError(_("Cette période est déjà terminée."))
    situation.ended_on = ended_on
    if hasattr(situation, "end_reason"):
        situation.end_reason = end_reason
    if exit_destination and hasattr(situation, "exit_destination"):
        situation.exit_destination = exit_destination
    situation.full_clean()
    situation.save()
    audit.record(user=by, action=Action.UPDATE, person=situation.person_id, obj=situation, detail="ended")
    _situation_activity(situation, by, opened=False)
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
    _link_latest_evaluation(housing_request)
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
    outbox.enqueue("parcours.tasks.send_notification_email", notification.pk)


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
    record_activity(
        person=referral.person,
        kind=ActivityKind.REFERRAL_ACCEPTED,
        by=by,
        structure=referral.to_structure,
        referral=referral,
        facts={"kind": referral.kind},
    )
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
    record_activity(
        person=referral.person,
        kind=ActivityKind.REFERRAL_REFUSED,
        by=by,
        structure=referral.to_structure,
        referral=referral,
        facts={"kind": referral.kind, "reason": reason},
    )
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
    "DEFAULT_BASIS_BY_KIND",
    "activity_recipients",
    "delivery_for",
    "DuplicateMatches",
    "FollowUpEndReason",
    "consent_record",
    "consent_withdraw",
    "event_record",
    "event_update",
    "expire_overdue_referrals",
    "find_duplicates",
    "followup_declare",
    "followup_end",
    "housing_request_record",
    "housing_request_update",
    "is_close_match",
    "mark_read",
    "notification_recipients",
    "pass_iae_prolong",
    "pass_iae_record",
    "people_import",
    "person_create",
    "person_update",
    "referral_accept",
    "referral_cancel",
    "referral_refuse",
    "referral_send",
    "refresh_last_contact",
    "request_duplicate_check",
    "situation_close",
    "situation_record",
    "record_activity",
    "objective_create",
    "objective_update",
    "action_create",
    "action_update",
    "evaluation_finalised",
    "housing_request_relink",
    "household_member_add",
    "save_notification_preferences",
    "send_activity_digests",
]


# --- activity told to partners (issue 13) --------------------------------------------------------------
def _health_followup_q():
    from django.db.models import Q

    return Q(kind__in=[FollowUpKind.HOUSING, FollowUpKind.SOCIAL]) & ~Q(sharing_basis=SharingBasis.INSERTION_L263_4_1)


def activity_recipients(*, person_id: int, acting_structure_id=None, by=None, to_structures=None, health=False):
    """Users to tell of a fact: the lead referent and, for each other structure following the person (or each of
    `to_structures`), the referent of its open follow-up, else its field members. ◆ facts go only to structures
    with health access. Never the acting user."""
    followups = FollowUp.objects.open().filter(person_id=person_id)
    if health:
        followups = followups.filter(_health_followup_q())
    rows = list(followups.order_by("id").values_list("structure_id", "referent_id", "is_lead"))
    users: set[int] = {referent for _s, referent, lead in rows if lead and referent}
    if to_structures is not None:
        wanted = {getattr(s, "pk", s) for s in to_structures}
    else:
        wanted = {s for s, _r, _l in rows if s != acting_structure_id}
    with_referent = set()
    for structure_id, referent, _lead in rows:
        if structure_id in wanted and referent:
            users.add(referent)
            with_referent.add(structure_id)
    without = wanted - with_referent
    if without:
        users |= set(
            Membership.objects.filter(
                structure_id__in=without, role__in=FIELD_ROLES, user__is_active=True
            ).values_list("user_id", flat=True)
        )
    if by is not None:
        users.discard(by.pk)
    return sorted(users)


@transaction.atomic
def record_activity(
    *,
    person,
    kind: str,
    by=None,
    structure=None,
    objective=None,
    action=None,
    referral=None,
    facts: dict | None = None,
    is_health: bool = False,
    to_structures=None,
) -> Activity:
    """Record a significant fact of `person`'s pathway and tell the partners following them.

    Called by this app (contracts, exits, referrals, the plan) and by higher apps (evaluations when finalising,
    later the commissions' decisions). Each recipient gets an in-app notification unless they chose "never" for
    this kind; "immediately" also sends an e-mail now, "daily digest" leaves it to the digest. Ids only.
    """
    person_id = getattr(person, "pk", person)
    structure_id = getattr(structure, "pk", structure)
    activity = Activity.objects.create(
        person_id=person_id,
        kind=kind,
        by=by,
        structure_id=structure_id,
        objective=objective,
        action=action,
        referral=referral,
        facts=facts or {},
        is_health=is_health,
    )
    recipients = activity_recipients(
        person_id=person_id, acting_structure_id=structure_id, by=by, to_structures=to_structures, health=is_health
    )
    chosen = dict(
        NotificationPreference.objects.filter(user_id__in=recipients, kind=kind).values_list("user_id", "delivery")
    )
    notifications = []
    for user_id in recipients:
        delivery = chosen.get(user_id) or DEFAULT_DELIVERY.get(kind, Delivery.DIGEST)
        if delivery == Delivery.NEVER:
            continue
        notifications.append(
            Notification(kind=NotificationKind.ACTIVITY, recipient_id=user_id, activity=activity, delivery=delivery)
        )
    for notification in Notification.objects.bulk_create(notifications):
        if notification.delivery == Delivery.IMMEDIATE:
            _email_later(notification)
    return activity


def delivery_for(user, kind: str) -> str:
    row = NotificationPreference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True).first()
    return row or DEFAULT_DELIVERY.get(kind, Delivery.DIGEST)


@transaction.atomic
def save_notification_preferences(*, user, choices: dict) -> int:
    """Store `choices` ({kind: delivery}); a choice equal to the default removes the row."""
    changed = 0
    for kind, delivery in choices.items():
        if kind not in ActivityKind.values or delivery not in Delivery.values:
            raise ValidationError(_("Choix de notification inconnu."))
        if delivery == DEFAULT_DELIVERY.get(kind):
            changed += NotificationPreference.objects.filter(user=user, kind=kind).delete()[0]
        else:
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})
            changed += 1
    return changed


def send_activity_digests(now: dt.datetime | None = None) -> int:
    """Daily: one e-mail per user with the facts left for the digest (counts per kind and a link, no names).

    Set-wise and idempotent: rows are locked (SKIP LOCKED) and marked sent in the same transaction.
    """
    from collections import Counter, defaultdict

    from django.conf import settings
    from django.core.mail import get_connection, send_mail
    from django.urls import reverse
    from django.utils.translation import ngettext

    now = now or timezone.now()
    sent = 0
    with transaction.atomic():
        rows = list(
            Notification.objects.filter(
                delivery=Delivery.DIGEST,
                digest_sent_at__isnull=True,
                activity__isnull=False,
                recipient__is_active=True,
            )
            .exclude(recipient__email="")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("recipient_id", "id")
            .values_list("id", "recipient_id", "recipient__email", "activity__kind")
        )
        by_user = defaultdict(Counter)
        emails = {}
        for _pk, user_id, email, kind in rows:
            by_user[user_id][kind] += 1
            emails[user_id] = email
        link = settings.SITE_URL + reverse("parcours:notification_list")
        connection = get_connection()
        for user_id, counts in by_user.items():
            total = sum(counts.values())
            subject = ngettext(
                "Récapitulatif quotidien : %(n)s fait du parcours des personnes que vous suivez",
                "Récapitulatif quotidien : %(n)s faits du parcours des personnes que vous suivez",
                total,
            ) % {"n": total}
            lines = [f"- {ActivityKind(kind).label} : {n}" for kind, n in sorted(counts.items())]
            body = "\n".join(
                [subject + ".", "", *lines, "", _("Consultez-les dans l'application : %(link)s") % {"link": link}]
            )
            sent += send_mail(subject, body, None, [emails[user_id]], connection=connection)
        Notification.objects.filter(pk__in=[r[0] for r in rows]).update(digest_sent_at=now)
    return sent


# --- the shared action plan (issue 13) -----------------------------------------------------------------
def _acting_structure(access, structure) -> int:
    structure_id = getattr(structure, "pk", structure)
    if structure_id in access.acting_structure_ids:
        return structure_id
    return access.acting_structure_ids[0]


def _invited_structure_ids(person_id: int) -> set[int]:
    """Structures that follow the person now, or are invited through a referral (sent or accepted)."""
    following = set(FollowUp.objects.open().filter(person_id=person_id).values_list("structure_id", flat=True))
    invited = set(
        Referral.objects.filter(
            person_id=person_id, status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]
        ).values_list("to_structure_id", flat=True)
    )
    return following | invited


@transaction.atomic
def objective_create(
    *,
    person: Person,
    by,
    structure=None,
    theme: str,
    statement: str,
    target_on: dt.date | None = None,
    barrier_theme: str = "",
    household=None,
    structures=(),
) -> Objective:
    """Add an objective to the person's plan, for one of the user's structures following them."""
    access = get_access(by, person)
    if not access.can_write:
        raise PermissionDenied(_("Vous pouvez consulter ce dossier mais pas le modifier."))
    if theme not in PlanTheme.values:
        raise ValidationError({"theme": _("Thème inconnu.")})
    if theme == PlanTheme.HEALTH and not access.health:
        raise ValidationError(
            {
                "theme": _(
                    "Les objectifs de santé sont réservés aux structures qui ont accès aux informations de santé."
                )
            }
        )
    if not (statement or "").strip():
        raise ValidationError({"statement": _("Énoncez l'objectif.")})
    today = timezone.localdate()
    if target_on is not None and target_on < today:
        raise ValidationError({"target_on": _("L'échéance visée ne peut pas être dans le passé.")})
    acting = _acting_structure(access, structure)
    objective = Objective(
        person=person,
        theme=theme,
        statement=statement.strip(),
        target_on=target_on,
        barrier_theme=barrier_theme or "",
        household=household,
        created_by=by,
        created_by_structure_id=acting,
    )
    objective.full_clean()
    objective.save()
    allowed = _invited_structure_ids(person.pk)
    objective.structures.set(
        sorted({acting, *(getattr(s, "pk", s) for s in structures if getattr(s, "pk", s) in allowed)})
    )
    audit.record(user=by, action=Action.CREATE, person=person, obj=objective)
    send_person_changed(person.pk)
    return objective


@transaction.atomic
def objective_update(*, objective: Objective, by, lock_version, fields: dict) -> Objective:
    """Change an objective (statement, target, status…) under the optimistic lock of the plan."""
    ensure_can_write(by, objective.person)
    locked = Objective.objects.select_for_update().select_related("person").get(pk=objective.pk)
    check_lock_version(locked.lock_version, lock_version, ValidationError)
    access = get_access(by, locked.person)
    if locked.is_health and not access.health:
        raise PermissionDenied
    if locked.status == ObjectiveStatus.ABANDONED:
        raise ValidationError(
            _("Cet objectif a été abandonné : il ne peut plus changer. Créez un nouvel objectif si besoin.")
        )
    structures = fields.pop("structures", None)
    previous = locked.status
    for name, value in fields.items():
        setattr(locked, name, value)
    if locked.theme == PlanTheme.HEALTH and not access.health:
        raise ValidationError(
            {
                "theme": _(
                    "Les objectifs de santé sont réservés aux structures qui ont accès aux informations de santé."
                )
            }
        )
    if locked.status == ObjectiveStatus.ABANDONED and not (locked.abandon_reason or "").strip():
        raise ValidationError({"abandon_reason": _("Indiquez le motif de l'abandon.")})
    if locked.status != ObjectiveStatus.ABANDONED:
        locked.abandon_reason = ""
    locked.closed_on = (
        None if locked.status == ObjectiveStatus.IN_PROGRESS else (locked.closed_on or timezone.localdate())
    )
    locked.lock_version += 1
    locked.full_clean()
    locked.save()
    if structures is not None:
        allowed = _invited_structure_ids(locked.person_id)
        keep = {locked.created_by_structure_id} - {None}
        locked.structures.set(
            sorted(keep | {getattr(s, "pk", s) for s in structures if getattr(s, "pk", s) in allowed})
        )
    audit.record(
        user=by, action=Action.UPDATE, person=locked.person_id, obj=locked, detail=",".join(sorted(fields))[:200]
    )
    if locked.status != previous and locked.status in (ObjectiveStatus.REACHED, ObjectiveStatus.ABANDONED):
        kind = (
            ActivityKind.OBJECTIVE_REACHED
            if locked.status == ObjectiveStatus.REACHED
            else ActivityKind.OBJECTIVE_ABANDONED
        )
        record_activity(
            person=locked.person,
            kind=kind,
            by=by,
            structure=_acting_structure(access, None) if access.acting_structure_ids else None,
            objective=locked,
            facts={"theme": locked.theme} if not locked.is_health else {},
            is_health=locked.is_health,
        )
    send_person_changed(locked.person_id)
    return locked


@transaction.atomic
def action_create(
    *, objective: Objective, by, title: str, owner_structure, due_on: dt.date, referent=None, structure=None
) -> PlanAction:
    """Add an action to an objective, owned by a structure that follows the person or is invited by a referral."""
    person = objective.person
    access = get_access(by, person)
    if not access.can_write:
        raise PermissionDenied(_("Vous pouvez consulter ce dossier mais pas le modifier."))
    objective = Objective.objects.select_for_update().get(pk=objective.pk)
    if objective.is_health and not access.health:
        raise PermissionDenied
    if objective.status == ObjectiveStatus.ABANDONED:
        raise ValidationError(_("Cet objectif a été abandonné : on ne peut plus lui ajouter d'action."))
    if owner_structure is None:
        raise ValidationError({"owner_structure": _("Choisissez la structure qui porte l'action.")})
    if owner_structure.pk not in _invited_structure_ids(person.pk):
        raise ValidationError(
            {
                "owner_structure": _(
                    "Cette structure n'accompagne pas la personne : orientez d'abord la personne vers elle."
                )
            }
        )
    created_on = timezone.localdate(objective.created_at)
    if due_on is None:
        raise ValidationError({"due_on": _("Indiquez la date à laquelle l'action doit être réalisée.")})
    if due_on < created_on:
        raise ValidationError(
            {
                "due_on": _("L'échéance ne peut pas précéder la création de l'objectif (le %(date)s).")
                % {"date": created_on.strftime("%d/%m/%Y")}
            }
        )
    if not (title or "").strip():
        raise ValidationError({"title": _("Décrivez l'action.")})
    if referent is not None and not Membership.objects.filter(user=referent, structure=owner_structure).exists():
        raise ValidationError(
            {"referent": _("Le ou la référent·e doit être membre de la structure qui porte l'action.")}
        )
    action = PlanAction(
        objective=objective,
        person=person,
        title=title.strip(),
        owner_structure=owner_structure,
        referent=referent,
        due_on=due_on,
        created_by=by,
    )
    action.full_clean()
    action.save()
    objective.structures.add(owner_structure)
    acting = _acting_structure(access, structure)
    audit.record(user=by, action=Action.CREATE, person=person, obj=action)
    if owner_structure.pk != acting:
        record_activity(
            person=person,
            kind=ActivityKind.ACTION_ASSIGNED,
            by=by,
            structure=acting,
            objective=objective,
            action=action,
            is_health=objective.is_health,
            to_structures=[owner_structure],
        )
    send_person_changed(person.pk)
    return action


@transaction.atomic
def action_update(*, action: PlanAction, by, lock_version, fields: dict, structure=None) -> PlanAction:
    """Change an action (status, outcome, due date…) under the optimistic lock; closing it tells the partners."""
    ensure_can_write(by, action.person)
    locked = PlanAction.objects.select_for_update().select_related("objective", "person").get(pk=action.pk)
    check_lock_version(locked.lock_version, lock_version, ValidationError)
    access = get_access(by, locked.person)
    if locked.objective.is_health and not access.health:
        raise PermissionDenied
    if locked.objective.status == ObjectiveStatus.ABANDONED:
        raise ValidationError(_("Cet objectif a été abandonné : ses actions ne peuvent plus changer."))
    previous, previous_owner = locked.status, locked.owner_structure_id
    for name, value in fields.items():
        setattr(locked, name, value)
    created_on = timezone.localdate(locked.objective.created_at)
    if locked.due_on and locked.due_on < created_on:
        raise ValidationError(
            {
                "due_on": _("L'échéance ne peut pas précéder la création de l'objectif (le %(date)s).")
                % {"date": created_on.strftime("%d/%m/%Y")}
            }
        )
    owner_changed = locked.owner_structure_id != previous_owner
    if owner_changed and locked.owner_structure_id not in _invited_structure_ids(locked.person_id):
        raise ValidationError(
            {
                "owner_structure": _(
                    "Cette structure n'accompagne pas la personne : orientez d'abord la personne vers elle."
                )
            }
        )
    if locked.status == ActionStatus.NOT_DONE and not (locked.not_done_reason or "").strip():
        raise ValidationError({"not_done_reason": _("Indiquez pourquoi l'action n'a pas été réalisée.")})
    if locked.status != ActionStatus.NOT_DONE:
        locked.not_done_reason = ""
    locked.completed_at = None if locked.status == ActionStatus.PLANNED else (locked.completed_at or timezone.now())
    locked.lock_version += 1
    locked.full_clean()
    locked.save()
    audit.record(
        user=by, action=Action.UPDATE, person=locked.person_id, obj=locked, detail=",".join(sorted(fields))[:200]
    )
    if previous == ActionStatus.PLANNED and locked.status != ActionStatus.PLANNED:
        record_activity(
            person=locked.person,
            kind=ActivityKind.ACTION_COMPLETED,
            by=by,
            structure=_acting_structure(access, structure),
            objective=locked.objective,
            action=locked,
            facts={"status": locked.status},
            is_health=locked.objective.is_health,
        )
    send_person_changed(locked.person_id)
    return locked


# --- the evaluation and the housing requests (issue 13) ------------------------------------------------
@transaction.atomic
def evaluation_finalised(*, person, by, structure, evaluation_id: int, finalised_at) -> int:
    """Called by `evaluations` when a version is finalised: pending requests older than it are flagged « à mettre
    à jour », and the partners are told. Returns the number of requests flagged."""
    person_id = getattr(person, "pk", person)
    flagged = (
        HousingRequest.objects.filter(
            person_id=person_id, status=HousingRequestStatus.ACTIVE, created_at__lt=finalised_at
        )
        .exclude(linked_evaluation_id=evaluation_id)
        .update(status=HousingRequestStatus.TO_UPDATE)
    )
    record_activity(
        person=person,
        kind=ActivityKind.EVALUATION_FINALISED,
        by=by,
        structure=structure,
        facts={"evaluation_id": evaluation_id},
    )
    if flagged:
        send_person_changed(person_id)
    return flagged


def _link_latest_evaluation(housing_request: HousingRequest) -> None:
    from . import panels

    latest = panels.provide(panels.LATEST_EVALUATION, housing_request.person_id)
    if latest:
        housing_request.linked_evaluation_id, housing_request.linked_evaluation_at = latest


@transaction.atomic
def housing_request_relink(*, housing_request: HousingRequest, by) -> HousingRequest:
    """Bring a request up to date with the latest finalised evaluation (« à mettre à jour » → en cours)."""
    ensure_can_write(by, housing_request.person)
    locked = HousingRequest.objects.select_for_update().get(pk=housing_request.pk)
    _link_latest_evaluation(locked)
    if locked.status == HousingRequestStatus.TO_UPDATE:
        locked.status = HousingRequestStatus.ACTIVE
    _save_checked(locked)
    audit.record(user=by, action=Action.UPDATE, person=locked.person_id, obj=locked, detail="evaluation_link")
    send_person_changed(locked.person_id)
    return locked


# --- households (issue 13) -----------------------------------------------------------------------------
@transaction.atomic
def household_member_add(
    *, person: Person, by, role: str, member: Person | None = None, child_age: int | None = None
) -> HouseholdMember:
    """Add a member to `person`'s household (created when there is none): a person the user may change, or a
    child recorded by age only."""
    from .enums import HouseholdRole, HouseholdType

    ensure_can_write(by, person)
    if (member is None) == (child_age is None):
        raise ValidationError(_("Choisissez une personne suivie, ou indiquez l'âge d'un enfant sans dossier."))
    if member is not None and not Person.objects.writable_by(by).filter(pk=member.pk).exists():
        raise ValidationError(_("Vous ne pouvez rattacher qu'une personne dont vous pouvez modifier le dossier."))
    if member is not None and member.pk == person.pk:
        raise ValidationError(_("Cette personne fait déjà partie du ménage."))
    if child_age is not None and role != HouseholdRole.CHILD:
        raise ValidationError(_("Seul un enfant peut être enregistré sans dossier."))
    current = HouseholdMember.objects.current().filter(person=person).select_related("household").first()
    if current is None:
        household_type = (
            HouseholdType.GROUP_WITH_CHILDREN if role == HouseholdRole.CHILD else HouseholdType.ADULT_GROUP
        )
        household = Household.objects.create(household_type=household_type)
        current = HouseholdMember.objects.create(
            household=household, person=person, role="HEAD", joined_on=timezone.localdate()
        )
    row = HouseholdMember(
        household=current.household,
        person=member,
        child_age=child_age,
        child_age_on=timezone.localdate() if child_age is not None else None,
        role=role,
        is_dependent=role == HouseholdRole.CHILD,
        joined_on=timezone.localdate(),
    )
    row.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError as exc:
        raise ValidationError(_integrity_message(exc)) from exc
    if role == HouseholdRole.CHILD:
        Household.objects.filter(pk=current.household_id).update(
            dependent_children=HouseholdMember.objects.current()
            .filter(household_id=current.household_id, role=HouseholdRole.CHILD)
            .count()
        )
    audit.record(user=by, action=Action.CREATE, person=person, obj=row)
    return row
