import pytest
from django.core.management import call_command

from observatoire import demo
from observatoire.enums import ProposalStatus
from observatoire.models import Proposal, ProposalEvidence
from parcours.models import Referral
from partenaires.enums import RegistrationStatus
from partenaires.models import EventRegistration, PartnerAction

pytestmark = pytest.mark.django_db


def test_the_demo_data_says_something_and_is_idempotent():
    call_command("seed_demo")
    counts = (
        Referral.objects.filter(motive=demo.MOTIVE).count(),
        EventRegistration.objects.count(),
        Proposal.objects.count(),
        ProposalEvidence.objects.count(),
    )
    referrals = Referral.objects.filter(motive=demo.MOTIVE)
    assert counts[0] > 300
    months = {r.sent_at.strftime("%Y-%m") for r in referrals}
    assert len(months) >= 18
    assert referrals.filter(status="REFUSED", refusal_reason="NO_CAPACITY").count() > 20
    attended = EventRegistration.objects.filter(status=RegistrationStatus.ATTENDED)
    assert attended.values("action").distinct().count() == 2
    assert PartnerAction.objects.filter(title=demo.EVENTS[2][0]).exists()
    assert Proposal.objects.get(title=demo.RETAINED).status == ProposalStatus.RETAINED
    assert Proposal.objects.get(title=demo.DRAFT).status == ProposalStatus.DRAFT
    assert all(p.evidence.exists() for p in Proposal.objects.all())
    call_command("seed_demo")
    assert counts == (
        Referral.objects.filter(motive=demo.MOTIVE).count(),
        EventRegistration.objects.count(),
        Proposal.objects.count(),
        ProposalEvidence.objects.count(),
    )
