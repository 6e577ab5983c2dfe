"""Writes of the evaluations app: start a draft, save a section, finalise. Each in one transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from accounts.scope import user_scope
from audit.models import Action
from parcours.access import ensure_can_write
from parcours.enums import HOUSING_GROUP_BY_STATUS, LONE_PARENT_HOUSEHOLDS
from parcours.locking import check_lock_version
from parcours.models import EmploymentSituation, HouseholdMember, HousingSituation, Person, Resource
from parcours.services import evaluation_finalised, person_update
from partenaires.models import Structure

from .enums import WORKING_SITUATIONS, BarrierStatus, BarrierTheme, EvaluationStatus, Section
from .models import Barrier, Evaluation, EvaluationSettings, FinalisedEvaluationError
from .sections import BY_NAME, FIELDS, REQUIRED_TO_FINALISE, label
from .synthesis import (
    Distance,
    IaeFacts,
    IaeHints,
    SynthesisFacts,
    compute_distance,
    iae_hints,
    recommended_orientation,
)

# Fields copied from the last finalised version into a new draft ("Nouvelle version").
COPIED_FIELDS = [spec.name for spec in FIELDS]
# Section A and D facts that live on the person (domain.md §3): read from it, written back when finalised.
PERSON_FIELDS = (
    "nationality_category",
    "residence_right",
    "permit_end_on",
    "permit_renewal_filed_on",
    "work_allowed",
    "ft_registered_since",
)


class EvaluationError(ValidationError):
    """A refused write, with a French message for the user (a `ValidationError`, like every service error)."""


class EditConflictError(EvaluationError):
    """Someone saved the draft after this copy was loaded (optimistic locking)."""


# --- facts read from the person's file ---------------------------------------------------------------
@dataclass
class PersonFacts:
    """The §2 data the evaluation shows and computes with (A, D, E, L): 4 queries."""

    employment: list = field(default_factory=list)
    resources: list = field(default_factory=list)
    housing: HousingSituation | None = None
    lone_parent: bool = False

    @property
    def housing_group(self) -> str | None:
        return HOUSING_GROUP_BY_STATUS.get(self.housing.residential_status) if self.housing else None

    @property
    def has_open_work_period(self) -> bool:
        return any(period.situation in WORKING_SITUATIONS for period in self.employment)


def person_facts(person: Person) -> PersonFacts:
    return PersonFacts(
        employment=list(EmploymentSituation.objects.open().filter(person=person).order_by("-started_on", "-id")),
        resources=list(Resource.objects.open().filter(person=person).order_by("kind", "id")),
        housing=HousingSituation.objects.open().filter(person=person).order_by("-started_on", "-id").first(),
        lone_parent=HouseholdMember.objects.current()
        .filter(person=person, household__household_type__in=LONE_PARENT_HOUSEHOLDS)
        .exists(),
    )


@dataclass
class Synthesis:
    distance: Distance
    hints: IaeHints
    suggested_orientation: str | None


def synthesis_for(
    evaluation: Evaluation, person: Person, facts: PersonFacts, *, sees_health: bool, barriers=None, rule=None
):
    """The computed part of section M, from the evaluation, its barriers and the person's periods."""
    barriers = list(evaluation.barriers.all()) if barriers is None else barriers
    rule = EvaluationSettings.load().rule() if rule is None else rule
    active = [b for b in barriers if b.status == BarrierStatus.ACTIVE]
    distance = compute_distance(
        SynthesisFacts(
            job_readiness=evaluation.job_readiness or None,
            # The HEALTH barrier counts in the score even where it is hidden (privacy.md §3).
            active_barriers=len(active),
            has_open_work_period=facts.has_open_work_period or evaluation.employment_situation in WORKING_SITUATIONS,
            last_job_ended_on=evaluation.last_job_ended_on,
            today=timezone.localdate(),
        ),
        rule,
    )
    hints = iae_hints(
        IaeFacts(
            open_resource_kinds=[r.kind for r in facts.resources],
            ft_registered_since=evaluation.ft_registered_since,
            education_level=evaluation.education_level or None,
            age=person.age,
            rqth_status=evaluation.rqth_status or None,
            lone_parent=facts.lone_parent,
            housing_group=facts.housing_group,
            residence_right=evaluation.residence_right or None,
            qpv_resident=person.qpv_resident,
            french_level=evaluation.french_level or None,
            active_mobility_barrier=any(b.theme == BarrierTheme.MOBILITY for b in active),
            today=timezone.localdate(),
            viewer_sees_health=sees_health,
        )
    )
    return Synthesis(distance, hints, recommended_orientation(distance.level, hints.positive))


def _refresh_distance(evaluation: Evaluation, person: Person, facts: PersonFacts) -> None:
    _refresh_distance_with(evaluation, person, facts, None)


# --- writes ------------------------------------------------------------------------------------------
def _acting_structure(by, person: Person, structure=None):
    ensure_can_write(by, person)
    acting = person.access.acting_structure_ids
    if structure is not None and structure.pk in acting:
        return structure

    return Structure.objects.get(pk=acting[0])


@transaction.atomic
def evaluation_start(*, person: Person, by, structure=None) -> Evaluation:
    """The person's draft for `by`'s structure: the existing one, or a new one pre-filled from the last
    finalised version (fields and barriers, `based_on` set) and from the person's current facts."""
    structure = _acting_structure(by, person, structure)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one draft at a time per person
    draft = Evaluation.objects.drafts().filter(person=person).first()
    if draft is not None:
        if draft.structure_id != structure.pk:
            raise EvaluationError(
                _("Un brouillon d'évaluation est déjà en cours dans une autre structure pour cette personne.")
            )
        return draft
    previous = Evaluation.objects.current().filter(person=person).first()
    evaluation = Evaluation(person=person, structure=structure, author=by, based_on=previous)
    previous_barriers = {}
    if previous is not None:
        for name in COPIED_FIELDS:
            setattr(evaluation, name, getattr(previous, name))
        evaluation.distance_override = ""
        evaluation.distance_override_reason = ""
        previous_barriers = {b.theme: b for b in previous.barriers.all()}
    for name in PERSON_FIELDS:
        setattr(evaluation, name, getattr(person, name))
    facts = person_facts(person)
    if facts.employment:
        current = facts.employment[0]
        evaluation.employment_situation = current.situation
        evaluation.contract_type = current.contract_type
        evaluation.working_time = current.working_time
    barriers = []
    for theme in BarrierTheme.values:
        old = previous_barriers.get(theme)
        barriers.append(
            Barrier(
                theme=theme,
                status=old.status if old else BarrierStatus.NOT_DISCUSSED,
                situations=list(old.situations) if old else [],
                comment=old.comment if old else "",
            )
        )
    _refresh_distance_with(evaluation, person, facts, barriers)
    try:
        with transaction.atomic():
            evaluation.save()
    except IntegrityError:
        raise EvaluationError(_("Un brouillon d'évaluation existe déjà pour cette personne.")) from None
    for barrier in barriers:
        barrier.evaluation = evaluation
    Barrier.objects.bulk_create(barriers)
    audit.record(user=by, action=Action.CREATE, person=person, obj=evaluation, detail="evaluation_draft")
    return evaluation


def _refresh_distance_with(evaluation, person, facts, barriers) -> None:
    """Keep the stored computed distance and active themes (used by the cohort counts) in step."""
    barriers = list(evaluation.barriers.all()) if barriers is None else barriers
    evaluation.active_themes = sorted(b.theme for b in barriers if b.status == BarrierStatus.ACTIVE)
    synthesis = synthesis_for(evaluation, person, facts, sees_health=True, barriers=barriers)
    evaluation.distance_computed = synthesis.distance.level or ""
    evaluation.distance_score = synthesis.distance.score
    evaluation.distance_level = evaluation.distance_override or evaluation.distance_computed


def _only_own_saves_since(locked: Evaluation, by, lock_version: int) -> bool:
    """Whether every save after `lock_version` was made by `by` (their own autosave, still in flight when they
    pressed « Enregistrer et continuer »): then the newer input wins instead of a false conflict. The history
    rows carry the request's user (pghistory middleware); a save without one counts as someone else's."""
    if lock_version < 1 or lock_version > locked.lock_version:
        return False
    authors = [
        (event.pgh_context.metadata.get("user") if event.pgh_context_id else None)
        for event in locked.history.filter(lock_version__gt=lock_version).select_related("pgh_context")
    ]
    return bool(authors) and all(author == by.pk for author in authors)


def _lock_draft(evaluation: Evaluation, by, lock_version: int) -> Evaluation:
    """The draft row, locked; refuses finalised versions, other structures' drafts and stale copies."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.status != EvaluationStatus.DRAFT:
        raise FinalisedEvaluationError(_("Cette version est finalisée : elle ne peut plus être modifiée."))
    if locked.structure_id not in user_scope(by).field_structures:
        raise EvaluationError(_("Seule la structure qui a ouvert ce brouillon peut le modifier."))
    if not _only_own_saves_since(locked, by, lock_version):
        check_lock_version(locked.lock_version, lock_version, EditConflictError)
    return locked


@transaction.atomic
def evaluation_save_section(*, evaluation: Evaluation, person: Person, by, cleaned_data: dict) -> Evaluation:
    """Save the fields of one section of a draft (optimistic locking on `lock_version`)."""
    ensure_can_write(by, person)
    locked = _lock_draft(evaluation, by, cleaned_data["lock_version"])
    for name, value in cleaned_data.items():
        if name != "lock_version":
            setattr(locked, name, value)
    _refresh_distance(locked, person, person_facts(person))
    locked.lock_version += 1
    locked.full_clean(exclude=["person", "structure", "author", "based_on", "finalised_by"])
    locked.save()
    return locked


@transaction.atomic
def evaluation_save_barriers(
    *, evaluation: Evaluation, person: Person, by, lock_version: int, themes: dict
) -> Evaluation:
    """Save section K: `themes` maps a theme to {status, situations, comment} (hidden themes left alone)."""
    ensure_can_write(by, person)
    locked = _lock_draft(evaluation, by, lock_version)
    existing = {b.theme: b for b in locked.barriers.all()}
    for theme, data in themes.items():
        barrier = existing.get(theme) or Barrier(evaluation=locked, theme=theme)
        barrier.status = data["status"]
        barrier.situations = list(data.get("situations") or [])
        barrier.comment = "" if theme == BarrierTheme.HEALTH else (data.get("comment") or "")
        barrier.full_clean(exclude=["evaluation"])
        barrier.save()
        existing[theme] = barrier
    _refresh_distance_with(locked, person, person_facts(person), list(existing.values()))
    locked.lock_version += 1
    locked.save()
    return locked


def missing_to_finalise(evaluation: Evaluation, barriers=None) -> list[str]:
    """French messages for what finalising still needs (A, B, D, I and a status for every theme of K)."""
    return [message for message, _section in missing_by_section(evaluation, barriers)]


def missing_by_section(evaluation: Evaluation, barriers=None) -> list[tuple[str, str]]:
    """(message, section code) of what finalising still needs, so that the page links to each section."""
    missing = [
        (_("À renseigner : « %(label)s ».") % {"label": label(name)}, BY_NAME[name].section)
        for name in REQUIRED_TO_FINALISE
        if not getattr(evaluation, name)
    ]
    barriers = list(evaluation.barriers.all()) if barriers is None else barriers
    themes = {b.theme for b in barriers if b.status}
    for theme, theme_label in BarrierTheme.choices:
        if theme not in themes:
            missing.append((_("Le frein « %(theme)s » n'a pas de statut.") % {"theme": theme_label}, Section.K))
    return missing


@transaction.atomic
def evaluation_finalise(*, evaluation: Evaluation, person: Person, by, lock_version: int) -> Evaluation:
    """Make the draft an immutable version: number, date, author, snapshot of A, D, E, L; copy A to the person."""
    ensure_can_write(by, person)
    locked = _lock_draft(evaluation, by, lock_version)
    missing = missing_to_finalise(locked)
    if missing:
        raise EvaluationError(" ".join([_("L'évaluation ne peut pas encore être finalisée :"), *missing]))
    changed = {name: getattr(locked, name) for name in PERSON_FIELDS if getattr(person, name) != getattr(locked, name)}
    if changed:
        person_update(person=person, by=by, fields=changed)
    facts = person_facts(person)
    _refresh_distance(locked, person, facts)
    Evaluation.objects.filter(person=person, is_current=True).update(is_current=False)
    latest = Evaluation.objects.filter(person=person).aggregate(n=Max("version_no"))["n"] or 0
    now = timezone.now()
    locked.snapshot = snapshot_of(person, facts)
    locked.status = EvaluationStatus.FINAL
    locked.version_no = latest + 1
    locked.is_current = True
    locked.finalised_at = now
    locked.finalised_by = by
    locked.lock_version += 1
    locked.save()
    audit.record(user=by, action=Action.UPDATE, person=person, obj=locked, detail="evaluation_finalise")
    # Housing requests older than this version are flagged « à mettre à jour »; the partners are told.
    evaluation_finalised(person=person, by=by, structure=locked.structure, evaluation_id=locked.pk, finalised_at=now)
    return locked


def _iso(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def snapshot_of(person: Person, facts: PersonFacts) -> dict:
    """The §2 data shown in A, D, E and L, frozen with the version (ids and codes, no free text)."""
    return {
        "administrative": {name: _iso(getattr(person, name)) for name in PERSON_FIELDS},
        "employment": [
            {
                "situation": p.situation,
                "contract_type": p.contract_type,
                "working_time": p.working_time,
                "started_on": _iso(p.started_on),
                "planned_end_on": _iso(p.planned_end_on),
            }
            for p in facts.employment
        ],
        "resources": [
            {"kind": r.kind, "started_on": _iso(r.started_on), "expected_end_on": _iso(r.expected_end_on)}
            for r in facts.resources
        ],
        "housing": {"residential_status": facts.housing.residential_status} if facts.housing else None,
    }
