import pytest
from django.urls import reverse

from tests.accounts.factories import MembershipFactory
from tests.partenaires.factories import ContactFactory, PartnerActionFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return MembershipFactory(admin=True).user


@pytest.mark.parametrize(
    "model", ["structure", "service", "contact", "partneraction", "digestsubscription", "directoryimport"]
)
def test_admin_pages_open(client_for, admin_user, model):
    service = ServiceFactory()
    ContactFactory(structure=service.structure)
    PartnerActionFactory(structure=service.structure)
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:partenaires_{model}_changelist"), {"q": "test"}).status_code == 200
    if model not in ("directoryimport",):
        assert client.get(reverse(f"admin:partenaires_{model}_add")).status_code == 200
    change = client.get(reverse("admin:partenaires_structure_change", args=[service.structure.pk]))
    assert change.status_code == 200


@pytest.mark.parametrize(
    ("user_fixture", "sees"),
    [("worker", True), ("manager", True), ("coordinator", True), ("outsider", True), ("funder", False)],
)
def test_directory_entry_in_the_navigation(request, client_for, user_fixture, sees):
    content = client_for(request.getfixturevalue(user_fixture)).get(reverse("home")).content.decode()
    assert (f'href="{reverse("partenaires:structure_list")}"' in content) is sees


def test_upload_form_sends_files(client_for, coordinator):
    content = client_for(coordinator).get(reverse("partenaires:data_inclusion")).content.decode()
    assert 'enctype="multipart/form-data"' in content
