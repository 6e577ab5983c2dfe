from io import StringIO

from django.core.management import call_command

from accounts.models import FIELD_ROLES
from evaluations.models import Evaluation
from parcours.models import FollowUp


def test_demo_evaluations_for_most_people_some_with_two_versions(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "evaluations:" in out.getvalue()
    # People followed by a structure whose field members can evaluate (not the FSE operation's coordination).
    followed_by_members = FollowUp.objects.open().filter(structure__memberships__role__in=FIELD_ROLES)
    followed = followed_by_members.values("person_id").distinct().count()
    evaluated = Evaluation.objects.finalised().values("person_id").distinct().count()
    assert evaluated >= followed * 0.75
    assert Evaluation.objects.current().count() == evaluated
    assert Evaluation.objects.filter(version_no=2).count() >= 5
    before = Evaluation.objects.count()
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert Evaluation.objects.count() == before
