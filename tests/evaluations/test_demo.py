from io import StringIO

from django.core.management import call_command

from coordination.demo import structure
from evaluations.models import Evaluation
from tests.parcours.factories import PersonFactory


def test_demo_evaluations_for_most_people_some_with_two_versions(db):
    call_command("seed_demo", stdout=StringIO())
    people = [PersonFactory(followed_by=structure("chrs")) for _ in range(10)]
    PersonFactory(followed_by=structure("aci"))
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "evaluations: 9 people evaluated, 3 with two finalised versions" in out.getvalue()
    evaluated = Evaluation.objects.finalised().values("person_id").distinct().count()
    assert evaluated == 9
    assert Evaluation.objects.current().count() == 9
    assert Evaluation.objects.filter(version_no=2, person__in=people).exists()
    call_command("seed_demo", stdout=out)  # idempotent
    assert Evaluation.objects.current().count() == 9
