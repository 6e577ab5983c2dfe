"""Writes of the directory that span models or have side effects (style.md: services)."""

from django.db import transaction

from .models import Contact, PartnerAction, Service, Structure


@transaction.atomic
def structure_save(*, structure: Structure) -> Structure:
    """Save a structure edited by a person: it counts as a review of the whole entry."""
    structure.save()
    structure.mark_reviewed()
    return structure


@transaction.atomic
def service_save(*, service: Service) -> Service:
    service.save()
    structure = Structure.objects.select_for_update().get(pk=service.structure_id)
    structure.refresh_search_fields()
    structure.mark_reviewed()
    return service


@transaction.atomic
def service_delete(*, service: Service) -> None:
    structure = Structure.objects.select_for_update().get(pk=service.structure_id)
    service.delete()
    structure.refresh_search_fields()
    structure.mark_reviewed()


@transaction.atomic
def contact_save(*, contact: Contact) -> Contact:
    contact.save()
    contact.structure.mark_reviewed()
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    structure = contact.structure
    contact.delete()
    structure.mark_reviewed()


@transaction.atomic
def action_save(*, action: PartnerAction, by) -> PartnerAction:
    if action.created_by_id is None:
        action.created_by = by
    action.save()
    return action
