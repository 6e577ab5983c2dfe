from io import StringIO

from django.core.management import call_command
from django.urls import reverse

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


def test_demo_versions_with_several_target_jobs_compare(db, client):
    """The demo holds versions with 2 and 3 target jobs, and their comparison page answers (it used to 500)."""
    call_command("seed_demo", stdout=StringIO())
    seconds = Evaluation.objects.filter(version_no=2).select_related("author")
    several = [e for e in seconds if len(e.target_jobs or []) >= 2]
    assert several
    for evaluation in several:
        client.force_login(evaluation.author)
        response = client.get(reverse("evaluations:evaluation_compare", args=[evaluation.pk]))
        assert response.status_code == 200
        assert "Commis de cuisine" in response.content.decode()
