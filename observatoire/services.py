"""Writes of the observatory: proposals, their evidence, comments and status, notes; event invitations.

Keyword-only, each in a transaction; bad input raises ValidationError with a French message.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scope import user_scope
from partenaires.enums import RegistrationStatus
from partenaires.models import EventRegistration, PartnerAction

from .enums import NEXT_STATUSES, ProposalStatus
from .figures import FIGURES
from .filters import Filters
from .models import OpportunityNote, Proposal, ProposalComment, ProposalEvidence
from .smallnumbers import Masker


@transaction.atomic
def create_proposal(*, user, structure, data: dict, partners) -> Proposal:
    proposal = Proposal.objects.create(structure=structure, created_by=user, **data)
    proposal.partners.set(partners)
    return proposal


@transaction.atomic
def attach_evidence(*, user, proposal: Proposal, figure_key: str, filters: Filters) -> ProposalEvidence:
    """Recompute the figure server-side with the given filters and freeze it (small numbers masked)."""
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(_("Seule une proposition en brouillon peut recevoir des éléments de preuve."))
    if figure_key not in FIGURES or figure_key == "funder_activity":
        raise ValidationError(_("Cette figure ne peut pas être jointe comme preuve."))
    builder, _roles = FIGURES[figure_key]
    figure = builder(filters, Masker(active=True))
    table = figure.as_table()
    return ProposalEvidence.objects.create(
        proposal=proposal,
        figure=figure_key,
        title=figure.title,
        filters={k: v for k, v in filters.query().items()},
        filters_label=filters.label()[:400],
        table=table,
        captured_by=user,
    )


@transaction.atomic
def submit_proposal(*, user, proposal: Proposal) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DRAFT:
        raise ValidationError(_("Cette proposition a déjà été soumise."))
    missing = []
    if not proposal.evidence.exists():
        missing.append(_("au moins un élément de preuve de l'observatoire"))
    if not proposal.partners.exists():
        missing.append(_("au moins un partenaire"))
    if missing:
        raise ValidationError(
            _("La proposition ne peut pas être soumise sans %(missing)s.") % {"missing": _(" ni ").join(missing)}
        )
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = timezone.now()
    proposal.save(update_fields=["status", "submitted_at", "updated_at"])
    return proposal


@transaction.atomic
def move_proposal(*, user, proposal: Proposal, status: str, reason: str = "") -> Proposal:
    """The PTI committee's steps, recorded by a coordinator: submitted → examined → retained / not retained."""
    if not user_scope(user).is_coordinator:
        raise PermissionDenied(_("Seule la coordination enregistre les décisions du comité."))
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in NEXT_STATUSES.get(proposal.status, ()) or status == ProposalStatus.SUBMITTED:
        raise ValidationError(_("Ce changement de statut n'est pas possible."))
    if status == ProposalStatus.NOT_RETAINED and not reason.strip():
        raise ValidationError(_("Indiquez le motif de la décision."))
    proposal.status = status
    proposal.status_reason = reason.strip()
    if status in (ProposalStatus.RETAINED, ProposalStatus.NOT_RETAINED):
        proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "status_reason", "decided_at", "updated_at"])
    return proposal


@transaction.atomic
def add_comment(*, user, proposal: Proposal, text: str, structure_id: int | None = None) -> ProposalComment:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Le commentaire est vide."))
    scope = user_scope(user)
    if structure_id is None and scope.field_structures:
        structure_id = min(scope.field_structures)
    return ProposalComment.objects.create(proposal=proposal, author=user, structure_id=structure_id, text=text)


def request_note(*, user, proposal: Proposal) -> OpportunityNote:
    from .tasks import render_note

    with transaction.atomic():
        note = OpportunityNote.objects.create(proposal=proposal, requested_by=user)
        render_note.delay_on_commit(note.pk)
    return note


@transaction.atomic
def invite_pairs(*, user, action: PartnerAction, pairs: list[tuple[int, int]]) -> int:
    """Invite both structures of every pair to `action` in one step (set-wise, idempotent)."""
    if not user_scope(user).is_coordinator:
        raise PermissionDenied(_("Seule la coordination invite des structures."))
    if not action.is_interconnaissance:
        raise ValidationError(_("Choisissez un événement d'interconnaissance."))
    structures = sorted({s for pair in pairs for s in pair})
    before = EventRegistration.objects.filter(action=action).count()
    EventRegistration.objects.bulk_create(
        [
            EventRegistration(action=action, structure_id=s, status=RegistrationStatus.INVITED, invited_by=user)
            for s in structures
        ],
        ignore_conflicts=True,
    )
    return EventRegistration.objects.filter(action=action).count() - before


@transaction.atomic
def register(*, user, action: PartnerAction, structure_id: int, person: bool) -> EventRegistration:
    if structure_id not in user_scope(user).field_structures and not user_scope(user).is_coordinator:
        raise PermissionDenied(_("Vous ne pouvez inscrire que votre structure."))
    if not action.is_interconnaissance:
        raise ValidationError(_("Cet événement ne prend pas d'inscriptions."))
    registration, _created = EventRegistration.objects.update_or_create(
        action=action,
        structure_id=structure_id,
        user=user if person else None,
        defaults={"status": RegistrationStatus.REGISTERED},
    )
    return registration


@transaction.atomic
def record_attendance(*, user, action: PartnerAction, present_ids: set[int]) -> None:
    """The organiser (or the coordination) marks who came: every registration of the event, set-wise."""
    scope = user_scope(user)
    if not scope.is_coordinator and action.structure_id not in scope.field_structures:
        raise PermissionDenied(_("Seul l'organisateur ou la coordination note les présences."))
    registrations = EventRegistration.objects.filter(action=action)
    registrations.filter(pk__in=present_ids).update(status=RegistrationStatus.ATTENDED, updated_at=timezone.now())
    registrations.exclude(pk__in=present_ids).update(status=RegistrationStatus.ABSENT, updated_at=timezone.now())
