"""Directory benchmark: 5,000 structures and 20,000 services, search page vs the admin changelist search.

`seed` builds the rows set-wise (bulk_create) and does nothing when they are already there.
"""

import random

from django.db import connection, transaction

from bench.harness import Scenario, get_ok, logged_in_client
from partenaires.enums import StructureKind
from partenaires.models import Service, Structure
from partenaires.referentials import PUBLIC_LABELS, THEMATIQUE_LABELS

STRUCTURES = 5_000
SERVICES_PER_STRUCTURE = 4
SOURCE = "bench"
WORKER_EMAIL = "bench.annuaire@bench.example.org"
ADMIN_EMAIL = "bench.admin.annuaire@bench.example.org"
QUERY = "insertion emploi"

COMMUNES = [
    ("Villeneuve-sur-Vallée", "38950"),
    ("Saint-Martin-des-Prés", "38952"),
    ("Montcourt", "38953"),
    ("Les Granges", "38954"),
    ("Pont-de-Claix-le-Haut", "38955"),
    ("Bourg-Saint-Éloi", "38956"),
    ("Champagnier-la-Forêt", "38957"),
    ("Vif-sur-Drac", "38958"),
]
SERVICE_WORDS = [
    ("Hébergement d'urgence", "Mise à l'abri, repas et douche, veille sociale."),
    ("Accompagnement vers l'emploi", "Entretiens individuels, mises en relation avec des employeurs."),
    ("Atelier numérique", "Prendre en main un ordinateur, créer sa messagerie, démarches en ligne."),
    ("Chantier d'insertion", "Contrats à durée déterminée d'insertion et accompagnement socioprofessionnel."),
    ("Aide à la mobilité", "Location de scooters, préparation du permis, aides au transport."),
    ("Logement accompagné", "Logements autonomes avec un accompagnement à la gestion locative."),
    ("Accès aux droits", "Domiciliation, ouverture des droits, dossier CAF et CPAM."),
    ("Formation qualifiante", "Parcours de formation aux métiers en tension, rémunérée."),
]


def seed(persons: int, stdout) -> None:
    if Structure.objects.filter(source=SOURCE).count() >= STRUCTURES:
        _users()
        return
    rng = random.Random(3)
    kinds = [kind for kind in StructureKind.values if kind not in ("COORDINATION", "FUNDER")]
    thematiques = sorted(THEMATIQUE_LABELS)
    publics = sorted(p for p in PUBLIC_LABELS if p != "tous-publics")
    with transaction.atomic():
        Structure.objects.filter(source=SOURCE).delete()
        structures, services_by_index = [], []
        for index in range(STRUCTURES):
            commune, postal_code = COMMUNES[index % len(COMMUNES)]
            kind = rng.choice(kinds)
            structure = Structure(
                name=f"{StructureKind(kind).label} {commune} n° {index}",
                kind=kind,
                commune=commune,
                postal_code=postal_code,
                description=f"Structure du territoire {commune}, accueil et accompagnement des publics.",
                phone="04 76 00 00 00",
                publics=[rng.choice(publics)],
                is_member=index % 3 == 0,
                source=SOURCE,
                source_id=f"{SOURCE}--{index}",
            )
            services = []
            for number in range(SERVICES_PER_STRUCTURE):
                name, description = rng.choice(SERVICE_WORDS)
                services.append(
                    Service(
                        name=f"{name} {number + 1}",
                        description=description,
                        thematiques=rng.sample(thematiques, 2),
                        publics=[rng.choice(publics)],
                        source=SOURCE,
                        source_id=f"{SOURCE}--{index}-{number}",
                    )
                )
            structure.build_search_fields(services=services)
            structures.append(structure)
            services_by_index.append(services)
        Structure.objects.bulk_create(structures, batch_size=1000)
        all_services = []
        for structure, services in zip(structures, services_by_index, strict=True):
            for service in services:
                service.structure = structure
                all_services.append(service)
        Service.objects.bulk_create(all_services, batch_size=2000)
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would give them to a real table.
        cursor.execute("ANALYZE partenaires_structure")
        cursor.execute("ANALYZE partenaires_service")
    _users()
    if stdout:
        stdout.write(f"partenaires: {len(structures)} structures, {len(all_services)} services")


def _users() -> None:
    from accounts.models import Membership, Role, User

    structure = Structure.objects.filter(source=SOURCE).order_by("pk").first()
    worker, _created = User.objects.get_or_create(email=WORKER_EMAIL, defaults={"first_name": "Banc"})
    Membership.objects.get_or_create(user=worker, structure=structure, defaults={"role": Role.SOCIAL_WORKER})
    admin, _created = User.objects.get_or_create(
        email=ADMIN_EMAIL, defaults={"first_name": "Banc", "is_staff": True, "is_superuser": True}
    )
    Membership.objects.get_or_create(user=admin, structure=structure, defaults={"role": Role.ADMIN})


class _Lazy:
    """Builds the logged-in client on first use (after `seed` ran)."""

    def __init__(self, email, url_factory):
        self.email, self.url_factory, self.fetch = email, url_factory, None

    def __call__(self):
        if self.fetch is None:
            self.fetch = get_ok(logged_in_client(self.email), self.url_factory())
        return self.fetch()


def _detail_url() -> str:
    pk = Structure.objects.filter(source=SOURCE).order_by("pk").values_list("pk", flat=True)[2500]
    return f"/annuaire/structures/{pk}/"


SCENARIOS = [
    Scenario(
        name="directory_search",
        run=_Lazy(WORKER_EMAIL, lambda: "/annuaire/?q=insertion+emploi"),
        baseline=_Lazy(ADMIN_EMAIL, lambda: "/admin/partenaires/structure/?q=insertion+emploi"),
        goal_p95_ms=150,
        extra={"structures": STRUCTURES, "services": STRUCTURES * SERVICES_PER_STRUCTURE, "query": QUERY},
    ),
    Scenario(
        name="directory_search_accents_filters",
        run=_Lazy(WORKER_EMAIL, lambda: "/annuaire/?q=H%C3%89BERGEMENT+urgence&place=villeneuve&members=on"),
        baseline=_Lazy(ADMIN_EMAIL, lambda: "/admin/partenaires/structure/?q=urgence+villeneuve&is_member__exact=1"),
        goal_p95_ms=150,
    ),
    Scenario(name="directory_structure_page", run=_Lazy(WORKER_EMAIL, _detail_url), goal_p95_ms=150),
]
