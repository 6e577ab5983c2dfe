"""Demo data of the observatory (seed_demo): 18 months of referrals between the demo structures, two
interconnaissance events with attendance (and one coming, for invitations), one retained and one draft PTI
proposal with frozen evidence. Idempotent: each block is skipped when its marker rows exist."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from parcours.enums import FollowUpKind, ReferralStatus, RefusalReason
from parcours.models import Person, Referral
from partenaires.enums import EventKind, RegistrationStatus
from partenaires.models import EventRegistration, PartnerAction
from partenaires.territory import structure

from . import services
from .enums import ProposalStatus
from .filters import Filters
from .models import Proposal

MOTIVE = "Orientation de démonstration (observatoire)."
HOUSING = ["chrs", "chu", "pension", "fjt", "residence", "siao"]
EMPLOYMENT = ["france_travail", "mission_locale", "plie", "aci", "ei"]
SOCIAL = ["rsa", "ccas"]
EVENTS = [
    ("Immersion croisée CHRS – ACI", EventKind.IMMERSION, -120, "chrs", ["chrs", "aci", "mission_locale", "pension"]),
    ("Rencontre partenaires hébergement-emploi", EventKind.PARTNER_MEETING, -45, "coordination",
     ["siao", "france_travail", "plie", "fjt", "ccas", "chu"]),
    ("Journée d'information : l'IAE pour les personnes hébergées", EventKind.INFORMATION_DAY, 30, "coordination", []),
]  # fmt: skip
RETAINED = "Places d'hébergement d'insertion adossées à un chantier d'insertion"
DRAFT = "Référent·e mobilité partagé entre CHRS et SIAE"


def _pairs():
    """(from key, to key, kind, weight): housing → employment, employment → housing, social → both."""
    pairs = []
    for h in HOUSING:
        for e in EMPLOYMENT:
            pairs.append((h, e, FollowUpKind.EMPLOYMENT, 3 if h in ("chrs", "siao") else 1))
            pairs.append((e, h, FollowUpKind.HOUSING, 2 if h in ("pension", "residence", "fjt") else 1))
    for s in SOCIAL:
        for t in HOUSING[:3] + EMPLOYMENT[:2]:
            pairs.append((s, t, FollowUpKind.SOCIAL if t in HOUSING else FollowUpKind.EMPLOYMENT, 1))
    return pairs


def _seed_referrals(rng, today, sender) -> int:
    if Referral.objects.filter(motive=MOTIVE).exists():
        return 0
    people = list(Person.objects.order_by("id").values_list("id", flat=True)[:60])
    if not people:
        return 0
    keys = {k for p in _pairs() for k in p[:2]}
    ids = {k: structure(k).pk for k in keys}
    weighted = [p for p in _pairs() for _ in range(p[3])]
    rows, pending = [], set()
    for _index in range(420):
        from_key, to_key, kind, _w = rng.choice(weighted)
        days_ago = rng.randint(0, 548)
        sent_at = timezone.now() - dt.timedelta(days=days_ago, hours=rng.randint(0, 10))
        person = rng.choice(people)
        answered_at, reason, detail = None, "", ""
        if days_ago < 12:
            status = ReferralStatus.SENT
            if (person, ids[to_key], kind) in pending:
                continue
            pending.add((person, ids[to_key], kind))
        else:
            draw = rng.random()
            # Housing offers refuse more, mostly for lack of places; answers get faster in recent months.
            housing_target = to_key in HOUSING
            if draw < (0.45 if housing_target else 0.62):
                status = ReferralStatus.ACCEPTED
            elif draw < (0.85 if housing_target else 0.84):
                status = ReferralStatus.REFUSED
                reason = (
                    RefusalReason.NO_CAPACITY
                    if housing_target and rng.random() < 0.7
                    else rng.choice(
                        [RefusalReason.NOT_ELIGIBLE, RefusalReason.PERSON_DECLINED, RefusalReason.UNREACHABLE]
                    )
                )
            elif draw < 0.95:
                status = ReferralStatus.EXPIRED
            else:
                status = ReferralStatus.CANCELLED
            delay = rng.uniform(1, 6 if days_ago < 180 else 14) if status != ReferralStatus.EXPIRED else 30
            answered_at = sent_at + dt.timedelta(days=min(delay, max(days_ago - 1, 1)))
        rows.append(
            Referral(
                person_id=person,
                from_structure_id=ids[from_key],
                to_structure_id=ids[to_key],
                sent_by=sender,
                kind=kind,
                motive=MOTIVE,
                status=status,
                sent_at=sent_at,
                response_due_on=timezone.localdate(sent_at) + dt.timedelta(days=15),
                answered_at=answered_at,
                refusal_reason=reason,
                refusal_detail=detail,
            )
        )
    Referral.objects.bulk_create(rows)
    return len(rows)


def _seed_events(today, coordinator) -> int:
    created = 0
    for title, kind, offset, organiser, present in EVENTS:
        action, is_new = PartnerAction.objects.get_or_create(
            title=title,
            defaults={
                "structure": structure(organiser),
                "kind": kind,
                "starts_on": today + dt.timedelta(days=offset),
                "place": "Maison des associations",
                "created_by": coordinator,
            },
        )
        created += is_new
        if offset < 0 and not action.registrations.exists():
            registrations = [
                EventRegistration(action=action, structure=structure(key), status=RegistrationStatus.ATTENDED)
                for key in present
            ]
            registrations.append(
                EventRegistration(action=action, structure=structure("ei"), status=RegistrationStatus.ABSENT)
            )
            EventRegistration.objects.bulk_create(registrations, ignore_conflicts=True)
    return created


def _seed_proposals(today, coordinator) -> int:
    created = 0
    filters = Filters(today - dt.timedelta(days=365), today)
    specs = [
        (RETAINED, ["chrs", "aci", "siao"], ["no_capacity", "matrix_sectors"], ProposalStatus.RETAINED),
        (DRAFT, ["chrs", "pension", "aci", "ei"], ["barriers"], ProposalStatus.DRAFT),
    ]
    for title, partners, figures, status in specs:
        if Proposal.objects.filter(title=title).exists():
            continue
        proposal = services.create_proposal(
            user=coordinator,
            structure=structure("coordination"),
            data={
                "title": title,
                "need": "Les refus faute de place en hébergement d'insertion bloquent des parcours d'emploi engagés.",
                "target_public": "Personnes hébergées en urgence, proches de l'emploi, suivies par un ACI ou le PLIE.",
                "resources": "Dix places adossées au chantier, un mi-temps de coordination, une enveloppe mobilité.",
                "expected_results": (
                    "Moins de refus faute de place, des sorties en emploi durable, des séjours raccourcis."
                ),
            },
            partners=[structure(k) for k in partners],
        )
        for key in figures:
            services.attach_evidence(user=coordinator, proposal=proposal, figure_key=key, filters=filters)
        if status != ProposalStatus.DRAFT:
            services.submit_proposal(user=coordinator, proposal=proposal)
            services.move_proposal(user=coordinator, proposal=proposal, status=ProposalStatus.EXAMINED)
            services.move_proposal(
                user=coordinator, proposal=proposal, status=status, reason="Retenue par le comité du PTI."
            )
        created += 1
    return created


@transaction.atomic
def seed(stdout=None) -> None:
    rng = random.Random(14)
    today = timezone.localdate()
    coordinator = User.objects.get(email="coordination@demo.test")
    sender = User.objects.get(email="ts.chrs@demo.test")
    referrals = _seed_referrals(rng, today, sender)
    events = _seed_events(today, coordinator)
    proposals = _seed_proposals(today, coordinator)
    if stdout:
        stdout.write(f"observatoire: {referrals} referrals, {events} events, {proposals} proposals")
