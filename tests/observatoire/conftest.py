"""Fixed data of the observatory: three structures in two communes and referrals with known dates."""

import datetime as dt
import zoneinfo

import pytest

from parcours.enums import ReferralStatus, RefusalReason
from tests.accounts.factories import MembershipFactory
from tests.parcours.factories import PersonFactory, ReferralFactory
from tests.partenaires.factories import StructureFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
SECRET_NAMES = ("Qwertzuiop", "Asdfghjkl")


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=PARIS)


def referral(person, source, target, sent, status=ReferralStatus.SENT, answered_days=None, reason=""):
    answered = sent + dt.timedelta(days=answered_days) if answered_days is not None else None
    if status != ReferralStatus.SENT and answered is None:
        answered = sent + dt.timedelta(days=30)
    return ReferralFactory(
        person=person,
        from_structure=source,
        to_structure=target,
        sent_at=sent,
        status=status,
        answered_at=answered,
        refusal_reason=reason,
        refusal_detail="Précision." if reason == RefusalReason.OTHER else "",
    )


@pytest.fixture
def chrs(db):
    return StructureFactory(name="CHRS Observatoire", kind="CHRS", commune="Villeneuve", is_member=True)


@pytest.fixture
def aci(db):
    return StructureFactory(name="ACI Observatoire", kind="ACI", commune="Villeneuve", is_member=True)


@pytest.fixture
def pension(db):
    return StructureFactory(
        name="Pension Observatoire", kind="PENSION_DE_FAMILLE", commune="Montcourt", is_member=True
    )


@pytest.fixture
def referrals(chrs, aci, pension):
    """March 2026: CHRS → ACI: 7 (4 accepted, 2 refused, 1 expired), ACI → Pension: 3 refused for lack of
    places; plus edges of the period and referrals of February (the previous period)."""
    people = [PersonFactory(last_name=SECRET_NAMES[i % 2]) for i in range(12)]
    rows = []
    for i, days in enumerate([1.5, 2.0, 3.0, 10.0]):
        rows.append(referral(people[i], chrs, aci, at(dt.date(2026, 3, 2 + i)), ReferralStatus.ACCEPTED, days))
    rows.append(
        referral(
            people[4], chrs, aci, at(dt.date(2026, 3, 10)), ReferralStatus.REFUSED, 4.0, RefusalReason.NOT_ELIGIBLE
        )
    )
    rows.append(
        referral(
            people[5], chrs, aci, at(dt.date(2026, 3, 11)), ReferralStatus.REFUSED, 6.0, RefusalReason.NO_CAPACITY
        )
    )
    rows.append(referral(people[6], chrs, aci, at(dt.date(2026, 3, 1), 0, 5), ReferralStatus.EXPIRED))
    for i in range(3):
        rows.append(
            referral(
                people[7 + i],
                aci,
                pension,
                at(dt.date(2026, 3, 20 + i)),
                ReferralStatus.REFUSED,
                2.0,
                RefusalReason.NO_CAPACITY,
            )
        )
    # The last minutes of the period count (inclusive end), the first minutes after it do not.
    rows.append(referral(people[10], pension, chrs, at(END, 23, 50)))
    rows.append(referral(people[11], pension, chrs, at(END + dt.timedelta(days=1), 0, 10)))
    # Previous period (February): CHRS → ACI, 2 sent, 1 accepted, 1 refused.
    rows.append(referral(people[0], chrs, aci, at(dt.date(2026, 2, 5)), ReferralStatus.ACCEPTED, 1.0))
    rows.append(
        referral(people[1], chrs, aci, at(dt.date(2026, 2, 6)), ReferralStatus.REFUSED, 1.0, RefusalReason.OTHER)
    )
    return rows


@pytest.fixture
def structure_manager(chrs):
    return MembershipFactory(structure=chrs, manager=True).user
