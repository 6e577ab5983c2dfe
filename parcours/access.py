"""The access policy: who sees and who changes a person's file (privacy.md §3). Nothing else decides.

Public API, used by every view, list, search, export and task of every app:

- `Person.objects.visible_to(user)` / `.writable_by(user)`: QuerySets (built from `visible_q` / `writable_q`);
- `get_visible_person_or_404(user, pk)`: the person with its `person.access` (an `Access`), or Http404;
- `ensure_can_write(user, person)`: raises PermissionDenied (403) when the file is visible but read-only;
- `get_access(user, person)`: the `Access` of a user on a person (level, can_write, health items…);
- `file_visible_q(user)`: the filter on Person of the files `user` sees (FULL or SHARED, not the REFERRAL-only
  view): what other apps show of a person beyond a referral (alerts, evaluations other than the current one);
- `coordination_view_q()`: the filter on Person of the people every coordinator sees through R4;
- `structure_view_q(structures)`: the filter on Person of the people `structures` see through their follow-ups;
- `followed_q(structures)`: the filter on Person of the people an open follow-up of `structures` covers (a
  caseload, the FSE participants of a carrying structure under R9, a manager's people);
- `referral_q(user)`: the filter on Referral of the referrals `user` sees in lists (sent or received by one of
  their field structures);
- `health_person_ids(user, person_ids)`: set-wise, the people among `person_ids` whose ◆ items `user` sees.

Rules applied: R1 (structures following the person: FULL with health access, else SHARED; writes need an
active follow-up), R2 (a pending referral received: REFERRAL view), R3 (active PARTNERS consent: SHARED,
read-only, for members of every structure), R4 (coordinators with an active COORDINATION consent: SHARED,
read-only; or a nominative case-conference item, through `register_coordinator_grant`), R6 (funders:
nothing), R10 (administrators and the DPO: nothing, except one person in read-only FULL view while a break-glass
grant of theirs is in force: `_break_glass_q`), R11 (a follow-up ended by objection removes the structure's past
view), R12 (404 / 403), `Person.restricted` (read-only for everyone).
Permissions are computed per request from the database, never cached across requests.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scope import user_scope

from .enums import HEALTH_RESOURCE_KINDS, AccessLevel, ConsentScope, FollowUpEndReason, FollowUpKind, SharingBasis

# `parcours.models` imports this module (its QuerySets delegate to the policy): the models are imported inside
# the functions below, the one import cycle left in the app.
_NOTHING = Q(pk__in=[])

# R4's second branch: higher apps (concertation) register callables returning a QuerySet with a `person_id`
# column of the people a coordinator sees in SHARED view because of one of their items (a nominative case
# review). Registered from the app's `AppConfig.ready`, so this module never imports them.
_COORDINATOR_GRANTS: list = []


def register_coordinator_grant(grant) -> None:
    """Add `grant() -> QuerySet` (with `person_id`) to R4: coordinators see those people, read-only."""
    if grant not in _COORDINATOR_GRANTS:
        _COORDINATOR_GRANTS.append(grant)


def nominative_consent_q(person_ref: str = "person_id") -> Q:
    """Filter on a model whose `person_ref` is a person id: an item about the person may be nominative (R4), that is
    the person has an active CASE_CONFERENCE or COORDINATION consent. Read per query, so a withdrawal
    turns the item anonymous at once."""
    from .models import Consent

    consents = Consent.objects.active().filter(
        person_id=OuterRef(person_ref),
        scope__in=[ConsentScope.CASE_CONFERENCE, ConsentScope.COORDINATION],
    )
    return Q(Exists(consents))


def _followup_view_q(structures) -> Q:
    """People a structure of `structures` follows: an open follow-up, or a past one not ended by objection."""
    from .models import FollowUp

    objection = FollowUp.objects.filter(
        person_id=OuterRef("person_id"), structure_id=OuterRef("structure_id"), end_reason=FollowUpEndReason.OBJECTION
    )
    mine = FollowUp.objects.filter(person_id=OuterRef("pk"), structure_id__in=structures)
    return Q(Exists(mine.filter(ended_on__isnull=True))) | Q(
        Exists(mine.filter(ended_on__isnull=False).filter(~Exists(objection)))
    )


def _break_glass_q(user, scope) -> Q:
    """R10: the people an administrator or the DPO opened through "Accès exceptionnel", while in force."""
    from .models import BreakGlassGrant

    if not (scope.is_admin or scope.is_dpo):
        return _NOTHING
    return Q(Exists(BreakGlassGrant.objects.in_force().filter(person_id=OuterRef("pk"), user_id=user.pk)))


def visible_q(user) -> Q:
    """The filter on Person of every person `user` may see, in any view.

    Correlated EXISTS (one index probe per candidate row) rather than IN lists: a list already narrowed by
    another filter (a caseload, a name) checks only its own rows, whatever the size of the territory.
    """
    from .models import Consent, Referral

    scope = user_scope(user)
    if not scope.sees_people:
        return _break_glass_q(user, scope)
    q = _NOTHING
    structures = sorted(scope.field_structures)
    if structures:
        q |= _followup_view_q(structures)
        q |= Q(Exists(Referral.objects.pending().filter(person_id=OuterRef("pk"), to_structure_id__in=structures)))
        q |= Q(Exists(Consent.objects.active(ConsentScope.PARTNERS).filter(person_id=OuterRef("pk"))))
    if scope.is_coordinator:
        q |= coordination_view_q()
    q |= _break_glass_q(user, scope)
    return q


def writable_q(user) -> Q:
    """The filter on Person of every person `user` may change."""
    from .models import FollowUp

    scope = user_scope(user)
    if not scope.field_structures:
        return _NOTHING
    open_followups = FollowUp.objects.open().filter(
        person_id=OuterRef("pk"), structure_id__in=sorted(scope.field_structures)
    )
    return Q(Exists(open_followups), restricted=False)


@dataclass
class Access:
    """What one user may see and do on one person's file."""

    level: str | None = None
    can_write: bool = False
    health: bool = False  # ◆ items (privacy.md §3)
    rqth_aah: bool = False  # RQTH and AAH shown to employment referents with HEALTH_TO_EMPLOYMENT consent
    structure_ids: frozenset = frozenset()  # the user's field structures
    acting_structure_ids: tuple = ()  # the user's structures with an open follow-up (writes are made for them)
    referral_ids: tuple = ()  # pending referrals received by the user's structures
    is_coordinator: bool = False
    consents: dict = field(default_factory=dict)  # scope -> decision currently in force
    break_glass_until: object = None  # R10: end of the administrator's or DPO's exceptional access

    @property
    def is_visible(self) -> bool:
        return self.level is not None

    @property
    def is_full(self) -> bool:
        return self.level == AccessLevel.FULL

    @property
    def is_referral_only(self) -> bool:
        return self.level == AccessLevel.REFERRAL

    def shows_resource_kind(self, kind: str) -> bool:
        if kind not in HEALTH_RESOURCE_KINDS:
            return True
        return self.health or (self.rqth_aah and kind == "AAH")

    def hidden_resource_kinds(self) -> list[str]:
        return sorted(k for k in HEALTH_RESOURCE_KINDS if not self.shows_resource_kind(k))

    @property
    def is_break_glass(self) -> bool:
        return self.break_glass_until is not None

    def shows_event_text(self, event) -> bool:
        if self.is_break_glass:
            return True  # R10: read-only FULL view, every structure's notes (matrix: BG)
        return self.level in (AccessLevel.FULL, AccessLevel.SHARED) and event.text_visible_to(self.structure_ids)


def get_access(user, person) -> Access:
    """The access of `user` on `person`, computed from the database (3 queries at most)."""
    from .models import Consent, FollowUp, Referral

    scope = user_scope(user)
    access = Access(structure_ids=scope.field_structures, is_coordinator=scope.is_coordinator)
    if person is None or person.pk is None:
        return access
    if not scope.sees_people:
        return _with_break_glass(user, scope, person, access)
    consents = dict(Consent.objects.current().filter(person_id=person.pk).values_list("scope", "decision"))
    access.consents = consents
    given = {s for s, d in consents.items() if d == "GIVEN"}
    structures = sorted(scope.field_structures)
    follows = False
    if structures:
        followups = list(
            FollowUp.objects.filter(person_id=person.pk, structure_id__in=structures).values_list(
                "structure_id", "kind", "sharing_basis", "ended_on", "end_reason"
            )
        )
        objected = {s for s, _k, _b, _e, reason in followups if reason == FollowUpEndReason.OBJECTION}
        viewing = [f for f in followups if f[3] is None or f[0] not in objected]
        if viewing:
            follows = True
            access.health = any(
                kind in (FollowUpKind.HOUSING, FollowUpKind.SOCIAL) and basis != SharingBasis.INSERTION_L263_4_1
                for _s, kind, basis, _e, _r in viewing
            )
            access.level = AccessLevel.FULL if access.health else AccessLevel.SHARED
            access.acting_structure_ids = tuple(sorted({s for s, _k, _b, ended, _r in viewing if ended is None}))
            access.can_write = bool(access.acting_structure_ids) and not person.restricted
        access.referral_ids = tuple(
            Referral.objects.pending()
            .filter(person_id=person.pk, to_structure_id__in=structures)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if access.level is None and ConsentScope.PARTNERS in given:
            access.level = AccessLevel.SHARED
    if access.level is None and scope.is_coordinator and ConsentScope.COORDINATION in given:
        access.level = AccessLevel.SHARED
    # R4, nominative case-conference item: only a CASE_CONFERENCE consent can make one beyond COORDINATION.
    if (
        access.level is None
        and scope.is_coordinator
        and ConsentScope.CASE_CONFERENCE in given
        and any(grant().filter(person_id=person.pk).exists() for grant in _COORDINATOR_GRANTS)
    ):
        access.level = AccessLevel.SHARED
    if access.level is None and access.referral_ids:
        access.level = AccessLevel.REFERRAL
    # RQTH and AAH: FULL view, or a SHARED view through the user's own follow-up (an employment referent) with
    # an active HEALTH_TO_EMPLOYMENT consent; never through PARTNERS, COORDINATION or a referral (privacy.md §3).
    access.rqth_aah = access.health or (
        ConsentScope.HEALTH_TO_EMPLOYMENT in given and access.level == AccessLevel.SHARED and follows
    )
    if access.level is None:
        _with_break_glass(user, scope, person, access)
    return access


def _with_break_glass(user, scope, person, access: Access) -> Access:
    """R10: an administrator or DPO with a grant in force reads the person in FULL view, never writes."""
    from .models import BreakGlassGrant

    if not (scope.is_admin or scope.is_dpo):
        return access
    until = (
        BreakGlassGrant.objects.in_force()
        .filter(person_id=person.pk, user_id=user.pk)
        .order_by("-expires_at")
        .values_list("expires_at", flat=True)
        .first()
    )
    if until is not None:
        access.level = AccessLevel.FULL
        access.health = True
        access.rqth_aah = True
        access.can_write = False
        access.acting_structure_ids = ()
        access.break_glass_until = until
    return access


def get_visible_person_or_404(user, pk, *, allow_referral_view: bool = False, queryset=None):
    """The person `pk` if `user` may see it, with `person.access` set; Http404 otherwise.

    The REFERRAL view (a structure that only received a pending referral) is limited to the referral
    pages: other pages get 404 unless they pass `allow_referral_view=True`.
    """
    from .models import Person

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("Personne introuvable.")) from None
    qs = queryset if queryset is not None else Person.objects.all()
    person = qs.filter(visible_q(user), pk=pk).first()
    if person is None:
        raise Http404(_("Personne introuvable."))
    access = get_access(user, person)
    if access.level is None or (access.is_referral_only and not allow_referral_view):
        raise Http404(_("Personne introuvable."))
    person.access = access
    return person


def can_write(user, person) -> bool:
    access = getattr(person, "access", None) or get_access(user, person)
    return access.can_write


def ensure_can_write(user, person) -> None:
    """Raise PermissionDenied (403) unless `user` may change `person`'s file."""
    if not can_write(user, person):
        raise PermissionDenied(_("Vous pouvez consulter ce dossier mais pas le modifier."))


def ensure_visible(user, person) -> Access:
    """Raise Http404 unless `user` sees `person` (for tasks and services given a person object)."""
    access = getattr(person, "access", None) or get_access(user, person)
    if not access.is_visible:
        raise Http404(_("Personne introuvable."))
    return access


# --- derived filters for the other apps (added after the core rules above; they read the same tables) -------
def file_visible_q(user) -> Q:
    """The filter on Person of every person whose file `user` sees (FULL or SHARED): `visible_q` without the
    REFERRAL-only view (R2). Kept in step with `visible_q`: same branches, minus the pending referral one."""
    from .models import Consent

    scope = user_scope(user)
    if not scope.sees_people:
        return _NOTHING
    q = _NOTHING
    structures = sorted(scope.field_structures)
    if structures:
        q |= _followup_view_q(structures)
        q |= Q(Exists(Consent.objects.active(ConsentScope.PARTNERS).filter(person_id=OuterRef("pk"))))
    if scope.is_coordinator:
        q |= coordination_view_q()
    return q


def coordination_view_q() -> Q:
    """R4: the filter on Person of the people every coordinator sees, read-only (an active COORDINATION consent,
    or a registered grant such as a nominative case-conference item). The same for every coordinator, so a
    territory-wide aggregate of coordinators may be computed once for all of them (evaluations.cohort)."""
    from .models import Consent

    q = Q(Exists(Consent.objects.active(ConsentScope.COORDINATION).filter(person_id=OuterRef("pk"))))
    for grant in _COORDINATOR_GRANTS:
        q |= Q(Exists(grant().filter(person_id=OuterRef("pk"))))
    return q


def structure_view_q(structures) -> Q:
    """The filter on Person of people whose file `structures` see through their own follow-ups (R1, R11: an
    open follow-up, or a past one not ended by objection), whoever the user: e.g. to match imported people."""
    return _followup_view_q(sorted(structures))


def followed_q(structures) -> Q:
    """The filter on Person of people with an open follow-up by one of `structures` (ids or instances).

    Not a visibility rule by itself: combine it with `visible_q` (a caseload) or use it where privacy.md names
    it (R9: FSE participants of a carrying structure; a manager's people)."""
    from .models import FollowUp

    return Q(pk__in=FollowUp.objects.open().filter(structure__in=structures).values("person_id"))


def referral_q(user) -> Q:
    """The filter on Referral of the referrals `user` sees in lists: those sent or received by one of their
    field structures (the receiving structure sees the REFERRAL view, the sender its own referral)."""
    structures = sorted(user_scope(user).field_structures)
    if not structures:
        return _NOTHING
    return Q(to_structure_id__in=structures) | Q(from_structure_id__in=structures)


def health_person_ids(user, person_ids) -> set[int]:
    """People among `person_ids` whose ◆ items `user` may see (health access, or RQTH/AAH consent). One query."""
    from .models import Consent, FollowUp

    scope = user_scope(user)
    if not person_ids or not scope.field_structures:
        return set()
    structures = sorted(scope.field_structures)
    health = (
        FollowUp.objects.giving_health_access()
        .filter(structure_id__in=structures, person_id__in=person_ids)
        .exclude(end_reason=FollowUpEndReason.OBJECTION)
        .values_list("person_id", flat=True)
    )
    consent = (
        Consent.objects.active(ConsentScope.HEALTH_TO_EMPLOYMENT)
        .filter(person_id__in=person_ids, person__followups__structure_id__in=structures)
        .values_list("person_id", flat=True)
    )
    return set(health.union(consent))


def full_q(user) -> Q:
    """The filter on Person of every person `user` sees in FULL view (health access, R1 and R11).

    Used where only the complete file may be shown at once, such as the Django admin (R10: an administrator
    without a follow-up giving health access sees no row).
    """
    from .models import FollowUp

    scope = user_scope(user)
    if not scope.field_structures:
        return _NOTHING
    objection = FollowUp.objects.filter(
        person_id=OuterRef("person_id"), structure_id=OuterRef("structure_id"), end_reason=FollowUpEndReason.OBJECTION
    )
    mine = FollowUp.objects.giving_health_access().filter(
        person_id=OuterRef("pk"), structure_id__in=sorted(scope.field_structures)
    )
    return Q(Exists(mine.filter(ended_on__isnull=True))) | Q(
        Exists(mine.filter(ended_on__isnull=False).filter(~Exists(objection)))
    )
