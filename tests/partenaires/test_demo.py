import pytest
from data_inclusion.schema import v1
from django.core.management import call_command

from partenaires.data_inclusion import export_directory
from partenaires.models import Contact, PartnerAction, Service, Structure


@pytest.mark.django_db
def test_seed_demo_describes_the_directory_and_is_idempotent():
    call_command("seed_demo")
    counts = (
        Structure.objects.count(),
        Service.objects.count(),
        Contact.objects.count(),
        PartnerAction.objects.count(),
    )
    call_command("seed_demo")
    assert (
        Structure.objects.count(),
        Service.objects.count(),
        Contact.objects.count(),
        PartnerAction.objects.count(),
    ) == counts
    assert PartnerAction.objects.coming().count() >= 3
    for model in (Structure, Service, Contact, PartnerAction):
        for item in model.objects.all():
            item.full_clean()
    chrs = Structure.objects.search("hebergement").filter(kind="CHRS").get()
    assert chrs.name == "CHRS Les Tilleuls"
    structures, services = export_directory()
    for record in structures:
        v1.Structure.model_validate(record)
    for record in services:
        v1.Service.model_validate(record)
