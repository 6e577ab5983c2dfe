import pytest

import audit
from audit.models import Action, AuditEntry
from tests.parcours.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_record_keeps_ids_only_and_folds_views(worker):
    person = PersonFactory(last_name="Secret")
    entry = audit.record(user=worker, action=Action.UPDATE, person=person, obj=person, detail="identity")
    assert (entry.person_id, entry.object_type, entry.object_id) == (person.pk, "parcours.person", str(person.pk))
    assert audit.record(user=worker, action=Action.VIEW, person=person) is not None
    assert audit.record(user=worker, action=Action.VIEW, person=person) is None
    assert AuditEntry.objects.filter(person_id=person.pk).count() == 2
    assert "Secret" not in str(list(AuditEntry.objects.values()))
