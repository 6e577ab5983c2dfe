"""The demo territory: the structures our users work in and one account per role (first part of seed_demo)."""

from django.conf import settings
from django.db import transaction

from accounts.models import Membership, Role, User
from partenaires.enums import StructureKind
from partenaires.models import Structure

# Stable keys that other apps' demo seeders use to find these structures.
STRUCTURES = {
    "siao": ("SIAO de la Vallée", StructureKind.SIAO),
    "chrs": ("CHRS Les Tilleuls", StructureKind.CHRS),
    "chu": ("Centre d'hébergement d'urgence La Passerelle", StructureKind.EMERGENCY_SHELTER),
    "pension": ("Pension de famille Le Relais", StructureKind.PENSION_DE_FAMILLE),
    "fjt": ("Résidence FJT Les Horizons", StructureKind.FJT),
    "residence": ("Résidence sociale Jean Moulin", StructureKind.SOCIAL_RESIDENCE),
    "france_travail": ("France Travail — agence Vallée Nord", StructureKind.FRANCE_TRAVAIL),
    "mission_locale": ("Mission locale de la Vallée", StructureKind.MISSION_LOCALE),
    "plie": ("PLIE de l'agglomération", StructureKind.PLIE),
    "aci": ("ACI Les Jardins solidaires", StructureKind.ACI),
    "ei": ("EI Bâtir ensemble", StructureKind.EI),
    "rsa": ("Département — service insertion RSA", StructureKind.DEPARTEMENT_RSA),
    "ccas": ("CCAS de Villeneuve", StructureKind.CCAS),
    "coordination": ("Coordination territoriale hébergement-emploi", StructureKind.COORDINATION),
    "ddets": ("DDETS — service insertion", StructureKind.FUNDER),
}

# (e-mail, first name, last name, structure key, role, is_staff)
ACCOUNTS = [
    ("ts.chrs@demo.test", "Camille", "Martin", "chrs", Role.SOCIAL_WORKER, False),
    ("cip.aci@demo.test", "Karim", "Benali", "aci", Role.INSERTION_COUNSELLOR, False),
    ("resp.chrs@demo.test", "Sophie", "Lefèvre", "chrs", Role.MANAGER, False),
    ("coordination@demo.test", "Nadia", "Roussel", "coordination", Role.COORDINATOR, False),
    ("financeur@demo.test", "Paul", "Girard", "ddets", Role.FUNDER, False),
    ("admin@demo.test", "Alex", "Durand", "coordination", Role.ADMIN, True),
    ("dpo@demo.test", "Claire", "Vidal", "coordination", Role.DPO, False),
]


def structure(key: str) -> Structure:
    name, _kind = STRUCTURES[key]
    return Structure.objects.get(name=name)


@transaction.atomic
def seed(stdout=None) -> None:
    for name, kind in STRUCTURES.values():
        Structure.objects.update_or_create(name=name, defaults={"kind": kind})
    for email, first_name, last_name, key, role, is_staff in ACCOUNTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=settings.DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                is_staff=is_staff,
                is_superuser=is_staff,
            )
        Membership.objects.update_or_create(user=user, structure=structure(key), defaults={"role": role})
    if stdout:
        stdout.write(f"accounts: {len(ACCOUNTS)} demo accounts, {len(STRUCTURES)} structures")
