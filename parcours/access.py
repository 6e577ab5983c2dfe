"""The access policy: who sees and who changes a person's file (privacy.md §3). Nothing else decides.

Public API, used by every view, list, search, export and task of every app:

- `Person.objects.visible_to(user)` / `.writable_by(user)`: QuerySets (built from `visible_q` / `writable_q`);
- `get_visible_person_or_404(user, pk)`: the person with its `person.access` (an `Access`), or Http404;
- `ensure_can_write(user, person)`: raises PermissionDenied (403) when the file is visible but read-only;
- `get_access(user, person)`: the `Access` of a user on a person (level, can_write, health items…).

Rules applied: R1 (structures following the person: FULL with health access, else SHARED; writes need an
active follow-up), R2 (a pending referral received: REFERRAL view), R3 (active PARTNERS consent: SHARED,
read-only, for members of every structure), R4 (coordinators with an active COORDINATION consent: SHARED,
read-only), R6 (funders: nothing), R10 (administrators: nothing), R11 (a follow-up ended by objection
removes the structure's past view), R12 (404 / 403), `Person.restricted` (read-only for everyone).
Permissions are computed per request from the database, never cached across requests.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.scope import user_scope

from .enums import HEALTH_RESOURCE_KINDS, AccessLevel, ConsentScope, FollowUpEndReason, FollowUpKind, SharingBasis

_NOTHING = Q(pk__in=[])


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


def visible_q(user) -> Q:
    """The filter on Person of every person `user` may see, in any view.

    Correlated EXISTS (one index probe per candidate row) rather than IN lists: a list already narrowed by
    another filter (a caseload, a name) checks only its own rows, whatever the size of the territory.
    """
    from .models import Consent, Referral

    scope = user_scope(user)
    if not scope.sees_people:
        return _NOTHING
    q = _NOTHING
    structures = sorted(scope.field_structures)
    if structures:
        q |= _followup_view_q(structures)
        q |= Q(Exists(Referral.objects.pending().filter(person_id=OuterRef("pk"), to_structure_id__in=structures)))
        q |= Q(Exists(Consent.objects.active(ConsentScope.PARTNERS).filter(person_id=OuterRef("pk"))))
    if scope.is_coordinator:
        q |= Q(Exists(Consent.objects.active(ConsentScope.COORDINATION).filter(person_id=OuterRef("pk"))))
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

    def shows_event_text(self, event) -> bool:
        return self.level in (AccessLevel.FULL, AccessLevel.SHARED) and event.text_visible_to(self.structure_ids)


def get_access(user, person) -> Access:
    """The access of `user` on `person`, computed from the database (3 queries at most)."""
    from .models import Consent, FollowUp, Referral

    scope = user_scope(user)
    access = Access(structure_ids=scope.field_structures, is_coordinator=scope.is_coordinator)
    if not scope.sees_people or person is None or person.pk is None:
        return access
    consents = dict(Consent.objects.current().filter(person_id=person.pk).values_list("scope", "decision"))
    access.consents = consents
    given = {s for s, d in consents.items() if d == "GIVEN"}
    structures = sorted(scope.field_structures)
    if structures:
        followups = list(
            FollowUp.objects.filter(person_id=person.pk, structure_id__in=structures).values_list(
                "structure_id", "kind", "sharing_basis", "ended_on", "end_reason"
            )
        )
        objected = {s for s, _k, _b, _e, reason in followups if reason == FollowUpEndReason.OBJECTION}
        viewing = [f for f in followups if f[3] is None or f[0] not in objected]
        if viewing:
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
    if access.level is None and access.referral_ids:
        access.level = AccessLevel.REFERRAL
    access.rqth_aah = ConsentScope.HEALTH_TO_EMPLOYMENT in given and access.level != AccessLevel.REFERRAL
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
