"""Writes of the concertation app: keyword-only, each in one transaction (style.md).

Bad input raises `ValidationError` with a French message and changes nothing; an object the user may not
see raises `Http404`; a visible object the user may not change raises `PermissionDenied`.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

import audit
from accounts.scope import user_scope
from alerts.enums import ProposalSource, ProposalStatus
from alerts.models import CaseConferenceProposal
from audit.models import Action
from parcours.access import ensure_can_write, get_access, get_visible_person_or_404
from parcours.models import EmploymentSituation, HousingSituation, Person

from .enums import MemberRole, MinutesStatus, PresentationMode, SessionStatus, TaskStatus, age_band
from .models import CaseReview, Commission, CommissionMember, Decision, Minutes, Session
from .signals import decision_recorded


def _require_coordinator(user) -> None:
    if not user_scope(user).is_coordinator:
        raise PermissionDenied(_("Seule la coordination peut faire cette action."))


# --- commissions and sessions ---------------------------------------------------------------------------
@transaction.atomic
def commission_save(*, commission: Commission, by, members, invited, coordinators) -> Commission:
    """Create or update a commission and its member structures (a structure is member or invited, not both)."""
    _require_coordinator(by)
    members, invited = set(members), set(invited)
    if members & invited:
        raise ValidationError(_("Une structure ne peut pas être à la fois membre permanent et invitée."))
    commission.save()
    commission.coordinators.set(coordinators)
    wanted = {s.pk: MemberRole.MEMBER for s in members} | {s.pk: MemberRole.INVITED for s in invited}
    commission.members.exclude(structure_id__in=list(wanted)).delete()
    for structure_id, role in wanted.items():
        CommissionMember.objects.update_or_create(
            commission=commission, structure_id=structure_id, defaults={"role": role}
        )
    return commission


@transaction.atomic
def session_create(*, commission: Commission, by, starts_at, place: str = "", video_link: str = "") -> Session:
    _require_coordinator(by)
    return Session.objects.create(commission=commission, starts_at=starts_at, place=place, video_link=video_link)


def _lock_session(session_id: int) -> Session:
    session = Session.objects.select_for_update().filter(pk=session_id).first()
    if session is None:
        raise Http404(_("Séance introuvable."))
    return session


@transaction.atomic
def session_close_agenda(*, session_id: int, by) -> Session:
    _require_coordinator(by)
    session = _lock_session(session_id)
    if session.status != SessionStatus.PLANNED:
        raise ValidationError(_("L'ordre du jour de cette séance est déjà clos."))
    session.status = SessionStatus.AGENDA_CLOSED
    session.save(update_fields=["status"])
    return session


@transaction.atomic
def session_hold(*, session_id: int, by) -> Session:
    _require_coordinator(by)
    session = _lock_session(session_id)
    if session.is_held:
        raise ValidationError(_("Cette séance est déjà tenue."))
    session.status, session.held_at = SessionStatus.HELD, timezone.now()
    session.save(update_fields=["status", "held_at"])
    return session


# --- proposals and the agenda ---------------------------------------------------------------------------
@transaction.atomic
def proposal_create(*, person_id: int, by, presentation: str, question: str) -> CaseConferenceProposal:
    """A follower proposes a person's situation to a commission (from the file)."""
    person = get_visible_person_or_404(by, person_id)
    ensure_can_write(by, person)
    if not question.strip():
        raise ValidationError({"question": _("Indiquez la question posée à la commission.")})
    if CaseConferenceProposal.objects.pending().filter(person_id=person.pk).exists():
        raise ValidationError(_("Une proposition est déjà en attente pour cette personne."))
    try:
        with transaction.atomic():
            proposal = CaseConferenceProposal.objects.create(
                person=person,
                source=ProposalSource.FILE,
                proposed_by=by,
                structure_id=person.access.acting_structure_ids[0],
                presentation=presentation.strip(),
                question=question.strip(),
            )
    except IntegrityError:  # a concurrent proposal won the race
        raise ValidationError(_("Une proposition est déjà en attente pour cette personne.")) from None
    audit.record(user=by, action=Action.CREATE, person=person.pk, obj=proposal)
    return proposal


def _situation_codes(person: Person) -> dict:
    """The coded situation shown on an anonymous case: group codes and counts, nothing identifying."""
    housing = HousingSituation.objects.open().filter(person=person).order_by("-started_on", "-id").first()
    employment = (
        EmploymentSituation.objects.open()
        .filter(person=person)
        .order_by("-started_on", "-id")
        .values_list("situation", flat=True)
    )
    barriers = 0
    try:
        from evaluations.enums import BarrierStatus
        from evaluations.models import Barrier

        barriers = Barrier.objects.filter(
            evaluation__person=person, evaluation__is_current=True, status=BarrierStatus.ACTIVE
        ).count()
    except LookupError:  # pragma: no cover - evaluations is always installed below us
        barriers = 0
    return {
        "housing_group": housing.housing_group if housing else "",
        "employment": list(employment)[:2],
        "active_barriers": barriers,
    }


def _initials(person: Person) -> str:
    return f"{(person.first_name or '?')[:1]}. {(person.last_name or '?')[:1]}.".upper()


def _add_case(*, session: Session, person: Person, proposal, by, mode: str, previous=None) -> CaseReview:
    if CaseReview.objects.filter(session=session, person=person).exists():
        raise ValidationError(_("Cette situation est déjà à l'ordre du jour de la séance."))
    position = session.cases.count() + 1
    return CaseReview.objects.create(
        session=session,
        person=person,
        proposal=proposal,
        previous=previous,
        presenting_structure_id=proposal.structure_id,
        question=proposal.question or _("Situation complexe signalée par une alerte : quelle réponse concertée ?"),
        presentation=proposal.presentation,
        mode=mode,
        initials=_initials(person),
        age_band=age_band(person.age),
        situation=_situation_codes(person),
        position=position,
        created_by=by,
    )


def _tell_proposer(proposal: CaseConferenceProposal) -> None:
    """E-mail the proposer once committed: the proposal number and a link, never a name."""
    user = proposal.proposed_by
    if user is None or not user.email:
        return
    if proposal.status == ProposalStatus.ACCEPTED:
        subject = _("Votre proposition de passage en commission est acceptée")
        body = _(
            "Votre proposition n° %(id)s est inscrite à l'ordre du jour d'une séance. "
            "Retrouvez-la dans vos propositions : %(url)s"
        )
    else:
        subject = _("Votre proposition de passage en commission n'est pas retenue")
        body = _(
            "Votre proposition n° %(id)s n'est pas retenue ; le motif est indiqué dans vos propositions : %(url)s"
        )
    body = body % {"id": proposal.pk, "url": settings.SITE_URL + reverse("concertation:proposal_list")}
    transaction.on_commit(lambda: send_mail(subject, body, None, [user.email]))


@transaction.atomic
def proposal_accept(*, proposal_id: int, session_id: int, by, mode: str = PresentationMode.NOMINATIVE) -> CaseReview:
    """Put a pending proposal on a planned session's agenda; closes the proposal and tells the proposer."""
    _require_coordinator(by)
    session = _lock_session(session_id)
    proposal = CaseConferenceProposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404(_("Proposition introuvable."))
    if not proposal.is_pending:
        raise ValidationError(_("Cette proposition est déjà traitée."))
    if not session.is_open_for_agenda:
        raise ValidationError(_("L'ordre du jour de cette séance est clos : choisissez une séance prévue."))
    if mode not in PresentationMode.values:
        raise ValidationError(_("Choisissez une présentation nominative ou anonyme."))
    person = Person.objects.get(pk=proposal.person_id)
    case = _add_case(session=session, person=person, proposal=proposal, by=by, mode=mode)
    proposal.status, proposal.handled_at, proposal.handled_by = ProposalStatus.ACCEPTED, timezone.now(), by
    proposal.save(update_fields=["status", "handled_at", "handled_by"])
    if proposal.alert_id:
        _acknowledge_alert(proposal.alert_id, by)
    audit.record(user=by, action=Action.CREATE, person=person.pk, obj=case)
    _tell_proposer(proposal)
    return case


def _acknowledge_alert(alert_id: int, by) -> None:
    from alerts.enums import AlertStatus
    from alerts.models import Alert, AlertTransition

    alert = Alert.objects.select_for_update().filter(pk=alert_id, status=AlertStatus.OPEN).first()
    if alert is not None:
        alert.status, alert.acknowledged_at, alert.acknowledged_by = AlertStatus.ACKNOWLEDGED, timezone.now(), by
        alert.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
        AlertTransition.objects.create(
            alert=alert, from_status=AlertStatus.OPEN, to_status=alert.status, by=by, reason="CONFERENCE"
        )


@transaction.atomic
def proposal_decline(*, proposal_id: int, by, reason: str) -> CaseConferenceProposal:
    _require_coordinator(by)
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez pourquoi la proposition est déclinée.")})
    proposal = CaseConferenceProposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None:
        raise Http404(_("Proposition introuvable."))
    if not proposal.is_pending:
        raise ValidationError(_("Cette proposition est déjà traitée."))
    proposal.status, proposal.decline_reason = ProposalStatus.DECLINED, reason.strip()
    proposal.handled_at, proposal.handled_by = timezone.now(), by
    proposal.save(update_fields=["status", "decline_reason", "handled_at", "handled_by"])
    audit.record(user=by, action=Action.UPDATE, person=proposal.person_id, obj=proposal, detail="declined")
    _tell_proposer(proposal)
    return proposal


@transaction.atomic
def follow_up_schedule(*, case_id: int, session_id: int, by) -> CaseReview:
    """Put a case with open decisions back on a later planned session of the same commission ("à suivre")."""
    _require_coordinator(by)
    session = _lock_session(session_id)
    previous = CaseReview.objects.select_related("session").filter(pk=case_id).first()
    if previous is None or previous.session.commission_id != session.commission_id:
        raise Http404(_("Situation introuvable."))
    if not session.is_open_for_agenda:
        raise ValidationError(_("L'ordre du jour de cette séance est clos : choisissez une séance prévue."))
    if previous.session.starts_at >= session.starts_at:
        raise ValidationError(_("Choisissez une séance postérieure au premier passage."))
    proposal = CaseConferenceProposal.objects.pending().filter(person_id=previous.person_id).first()
    if proposal is None:
        proposal = CaseConferenceProposal.objects.create(
            person_id=previous.person_id,
            source=ProposalSource.FOLLOW_UP,
            proposed_by=by,
            structure_id=previous.presenting_structure_id,
            presentation=previous.presentation,
            question=_("Suivi des décisions de la séance du %(date)s.")
            % {"date": date_format(timezone.localtime(previous.session.starts_at).date(), "SHORT_DATE_FORMAT")},
        )
    person = Person.objects.get(pk=previous.person_id)
    case = _add_case(session=session, person=person, proposal=proposal, by=by, mode=previous.mode, previous=previous)
    proposal.status, proposal.handled_at, proposal.handled_by = ProposalStatus.ACCEPTED, timezone.now(), by
    proposal.save(update_fields=["status", "handled_at", "handled_by"])
    audit.record(user=by, action=Action.CREATE, person=person.pk, obj=case)
    return case


# --- decisions and tasks ----------------------------------------------------------------------------------
@transaction.atomic
def decision_record(
    *, case_id: int, by, kind: str, text: str, owner_structure=None, due_on: dt.date | None = None
) -> Decision:
    """A decision of a held session's case. With an owner structure and a due date it becomes a task."""
    _require_coordinator(by)
    case = CaseReview.objects.select_related("session").filter(pk=case_id).first()
    if case is None:
        raise Http404(_("Situation introuvable."))
    session = _lock_session(case.session_id)
    errors = {}
    if session.status != SessionStatus.HELD:
        raise ValidationError(_("Les décisions s'enregistrent quand la séance est tenue, avant la publication."))
    if not text.strip():
        errors["text"] = _("Écrivez la décision.")
    if (
        owner_structure is not None
        and not CommissionMember.objects.filter(
            commission_id=session.commission_id, structure=owner_structure
        ).exists()
    ):
        errors["owner_structure"] = _("La structure responsable doit être membre ou invitée de la commission.")
    if due_on is not None and due_on < timezone.localtime(session.starts_at).date():
        errors["due_on"] = _("L'échéance ne peut pas précéder la séance.")
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.create(
        case=case, kind=kind, text=text.strip(), owner_structure=owner_structure, due_on=due_on, created_by=by
    )
    audit.record(user=by, action=Action.CREATE, person=case.person_id, obj=decision)
    ids = {"decision_id": decision.pk, "person_id": case.person_id, "owner_structure_id": decision.owner_structure_id}
    transaction.on_commit(lambda: decision_recorded.send(sender=Decision, **ids))
    return decision


@transaction.atomic
def task_set_status(*, decision_id: int, by, status: str, reason: str = "") -> Decision:
    """The owner structure marks its task done, or not possible (reason required); a person's alerts rerun."""
    scope = user_scope(by)
    decision = Decision.objects.select_for_update().filter(pk=decision_id).first()
    if decision is None or not decision.is_task or decision.owner_structure_id not in scope.field_structures:
        raise Http404(_("Tâche introuvable."))
    if status not in (TaskStatus.DONE, TaskStatus.NOT_POSSIBLE, TaskStatus.TODO):
        raise ValidationError({"status": _("Choisissez un statut.")})
    if status == TaskStatus.NOT_POSSIBLE and not reason.strip():
        raise ValidationError({"reason": _("Indiquez pourquoi ce n'est pas possible.")})
    decision.status = status
    decision.status_reason = reason.strip() if status == TaskStatus.NOT_POSSIBLE else ""
    decision.done_on = timezone.localdate() if status == TaskStatus.DONE else None
    decision.status_changed_by = by
    decision.save(update_fields=["status", "status_reason", "done_on", "status_changed_by"])
    person_id = CaseReview.objects.filter(pk=decision.case_id).values_list("person_id", flat=True).get()
    audit.record(user=by, action=Action.UPDATE, person=person_id, obj=decision, detail=status.lower())
    from alerts.services import person_changed

    person_changed(person_id)  # DECISION_OVERDUE closes at once
    return decision


# --- minutes --------------------------------------------------------------------------------------------
@transaction.atomic
def minutes_publish(*, session_id: int, by) -> tuple[Minutes, bool]:
    """Publish a held session's minutes: one set, whoever clicks first (row lock + one-to-one).

    Returns (minutes, created). Refused while a case has no decision. The PDF is rendered on the `reports`
    queue once committed; it e-mails the members a link.
    """
    _require_coordinator(by)
    session = _lock_session(session_id)
    existing = Minutes.objects.filter(session=session).first()
    if existing is not None:
        return existing, False
    if session.status != SessionStatus.HELD:
        raise ValidationError(_("Le relevé se publie une fois la séance tenue."))
    undecided = session.cases.filter(decisions__isnull=True).count()
    if undecided:
        raise ValidationError(
            _("Chaque situation examinée doit avoir au moins une décision avant la publication du relevé.")
        )
    minutes = Minutes.objects.create(session=session, requested_by=by, status=MinutesStatus.PENDING)
    session.status, session.published_at = SessionStatus.PUBLISHED, timezone.now()
    session.save(update_fields=["status", "published_at"])
    from .tasks import render_minutes

    render_minutes.delay_on_commit(minutes.pk)
    return minutes, True


def case_access(user, case: CaseReview):
    """What `user` sees of a case: (shows_identity, file_access or None).

    The identity shows only while the case is nominative (consent active now). The file (situation block,
    link) only when the access policy lets the user see the person, and the case is nominative.
    """
    nominative = bool(getattr(case, "is_nominative", False))
    if not nominative:
        return False, None
    access = get_access(user, case.person)
    return True, (access if access.is_visible and not access.is_referral_only else None)
