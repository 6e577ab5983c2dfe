"""Demo directory: addresses in a fictional territory, services, contacts and coming actions (seed_demo).

Enriches the structures of partenaires/territory.py, found by key. Idempotent: run it again and nothing doubles.
Communes and INSEE codes are fictional (no real place is described); e-mail domains are example.org ones.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partenaires.territory import structure

from .enums import IAE_PRESCRIBER_KINDS, RESEAU_PORTEUR_BY_KIND
from .models import Contact, PartnerAction, Service

HEBERGEMENT = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
LOGEMENT = "logement-hebergement--louer-un-logement"
MAINTIEN = "logement-hebergement--se-maintenir-dans-le-logement"
EMPLOI_ENTRETIEN = "trouver-un-emploi--convaincre-un-recruteur-en-entretien"
EMPLOI_OFFRES = "trouver-un-emploi--repondre-a-des-offres-demploi"
PROJET = "choisir-un-metier--identifier-ses-points-forts-et-ses-competences"
DROITS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
NUMERIQUE = "numerique--maitriser-les-fondamentaux-du-numerique"
MOBILITE = "mobilite--financer-ma-mobilite"

# (key, address, postal code, commune, fictional INSEE code, territory, phone, e-mail local part,
#  opening hours, description, how to refer, capacity, housing offers, publics, reviewed days ago)
STRUCTURES = [
    (
        "siao",
        "2 place de la Préfecture",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Tout le département",
        "04 76 10 11 15",
        "siao",
        "Du lundi au vendredi, 9 h – 17 h",
        "Service intégré d'accueil et d'orientation : demandes d'hébergement et de logement accompagné.",
        "Déposer une demande SIAO en ligne avec l'évaluation sociale ; réponse en commission hebdomadaire.",
        None,
        [],
        ["personnes-en-situation-durgence"],
        20,
    ),
    (
        "chrs",
        "12 rue des Tilleuls",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Vallée Nord",
        "04 76 20 30 40",
        "accueil.tilleuls",
        "Du lundi au vendredi, 9 h – 12 h 30 et 13 h 30 – 17 h",
        "Centre d'hébergement et de réinsertion sociale : 45 places en chambres individuelles et studios, "
        "accompagnement global vers le logement et l'emploi.",
        "Orientation par le SIAO uniquement. Joindre l'évaluation sociale et, si possible, l'évaluation emploi.",
        45,
        ["CHRS", "STABILISATION"],
        ["personnes-en-situation-durgence", "familles"],
        40,
    ),
    (
        "chu",
        "5 chemin de la Passerelle",
        "38952",
        "Saint-Martin-des-Prés",
        "38903",
        "Vallée Nord",
        "04 76 21 22 23",
        "passerelle",
        "Accueil tous les jours, 18 h – 9 h",
        "Hébergement d'urgence de nuit, inconditionnel, avec un repas et une douche.",
        "Appeler le 115 ; pas d'accueil direct.",
        30,
        ["EMERGENCY_SHELTER"],
        ["personnes-en-situation-durgence"],
        60,
    ),
    (
        "pension",
        "8 allée des Glycines",
        "38953",
        "Montcourt",
        "38904",
        "Vallée Sud",
        "04 76 31 32 33",
        "relais",
        "Du lundi au vendredi, 9 h – 16 h",
        "Pension de famille de 22 logements pour des personnes isolées, avec deux hôtes présents en journée.",
        "Orientation par le SIAO après une visite de la maison.",
        22,
        ["PENSION_DE_FAMILLE"],
        ["seniors"],
        90,
    ),
    (
        "fjt",
        "30 avenue des Horizons",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Agglomération",
        "04 76 41 42 43",
        "horizons",
        "Du lundi au samedi, 8 h – 20 h",
        "Foyer de jeunes travailleurs : 80 logements meublés pour les 16–30 ans en emploi, formation ou alternance.",
        "Dossier de candidature à retirer à l'accueil ou à demander par e-mail.",
        80,
        ["FJT"],
        ["jeunes"],
        30,
    ),
    (
        "residence",
        "14 rue Jean Moulin",
        "38952",
        "Saint-Martin-des-Prés",
        "38903",
        "Vallée Nord",
        "04 76 51 52 53",
        "jeanmoulin",
        "Du lundi au vendredi, 9 h – 17 h",
        "Résidence sociale de 60 logements autonomes, redevance avec APL, gestion locative adaptée.",
        "Demande via le SIAO ou directement auprès du gestionnaire.",
        60,
        ["SOCIAL_RESIDENCE"],
        ["tous-publics"],
        100,
    ),
    (
        "france_travail",
        "1 boulevard de l'Europe",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Vallée Nord",
        "39 49",
        "vallee-nord",
        "Du lundi au vendredi, 8 h 30 – 12 h 30 ; l'après-midi sur rendez-vous",
        "Agence France Travail : inscription, indemnisation, accompagnement vers l'emploi et la formation.",
        "Inscription en ligne ; pour un accompagnement renforcé, contacter la conseillère référente partenariats.",
        None,
        [],
        ["demandeurs-emploi"],
        15,
    ),
    (
        "mission_locale",
        "22 rue de la République",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Vallée Nord et Sud",
        "04 76 61 62 63",
        "mlvallee",
        "Du lundi au vendredi, 9 h – 17 h 30",
        "Accompagnement des 16–25 ans : emploi, formation, logement, santé, mobilité ; Contrat d'engagement jeune.",
        "Premier accueil sans rendez-vous le mardi matin, ou fiche de liaison par e-mail.",
        None,
        [],
        ["jeunes"],
        25,
    ),
    (
        "plie",
        "3 place de l'Hôtel de ville",
        "38953",
        "Montcourt",
        "38904",
        "Agglomération",
        "04 76 71 72 73",
        "plie",
        "Du lundi au jeudi, 9 h – 17 h",
        "Plan local pour l'insertion et l'emploi : parcours renforcé pour les personnes éloignées de l'emploi.",
        "Fiche de prescription à envoyer par e-mail ; entretien d'entrée sous 15 jours.",
        None,
        [],
        ["beneficiaires-des-minimas-sociaux", "demandeurs-emploi"],
        45,
    ),
    (
        "aci",
        "Chemin des Jardins",
        "38954",
        "Les Granges",
        "38905",
        "Vallée Sud",
        "04 76 81 82 83",
        "jardins",
        "Du lundi au vendredi, 8 h – 16 h",
        "Chantier d'insertion en maraîchage biologique : 18 postes en CDDI, accompagnement socioprofessionnel.",
        "Orientation avec un PASS IAE par un prescripteur habilité ; visite du chantier possible.",
        18,
        [],
        ["beneficiaires-des-minimas-sociaux"],
        50,
    ),
    (
        "ei",
        "Zone artisanale des Prés",
        "38952",
        "Saint-Martin-des-Prés",
        "38903",
        "Vallée Nord",
        "04 76 91 92 93",
        "batir",
        "Du lundi au vendredi, 7 h 30 – 16 h 30",
        "Entreprise d'insertion du bâtiment (second œuvre, peinture) : contrats de 4 à 24 mois.",
        "Candidature avec PASS IAE ; informations collectives chaque mois.",
        12,
        [],
        ["demandeurs-emploi"],
        240,
    ),
    (
        "rsa",
        "Hôtel du Département, 7 rue Lesdiguières",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Tout le département",
        "04 76 00 12 12",
        "insertion-rsa",
        "Du lundi au vendredi, 8 h 30 – 17 h",
        "Service insertion du Département : orientation des allocataires du RSA, contrats d'engagement, aides.",
        "Contacter le référent RSA du secteur ; joindre la dernière attestation CAF.",
        None,
        [],
        ["beneficiaires-des-minimas-sociaux"],
        35,
    ),
    (
        "ccas",
        "Place de la Mairie",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Villeneuve-sur-Vallée",
        "04 76 02 03 04",
        "ccas",
        "Du lundi au vendredi, 8 h 30 – 12 h",
        "Centre communal d'action sociale : domiciliation, aides facultatives, accès aux droits.",
        "Accueil sans rendez-vous le matin.",
        None,
        [],
        ["tous-publics"],
        70,
    ),
    (
        "coordination",
        "2 place de la Préfecture",
        "38950",
        "Villeneuve-sur-Vallée",
        "38901",
        "Tout le département",
        "04 76 10 20 30",
        "coordination",
        "Du lundi au vendredi, 9 h – 17 h",
        "Coordination territoriale : commissions de situations complexes, annuaire, appui aux partenaires.",
        "Proposer une situation en commission depuis la fiche de la personne.",
        None,
        [],
        ["tous-publics"],
        5,
    ),
]

# (structure key, name, type, thematiques, publics, fees, description, conditions, modes)
SERVICES = [
    (
        "siao",
        "Orientation vers l'hébergement d'insertion",
        "accompagnement",
        [HEBERGEMENT],
        ["personnes-en-situation-durgence"],
        "gratuit",
        "Étude des demandes d'hébergement et orientation vers les CHRS, résidences sociales et pensions de famille.",
        "Demande SIAO complète avec évaluation sociale.",
        ["envoyer-un-courriel"],
    ),
    (
        "chrs",
        "Hébergement d'insertion",
        "accompagnement",
        [HEBERGEMENT],
        ["personnes-en-situation-durgence", "familles"],
        "gratuit",
        "Hébergement en chambre individuelle ou studio, accompagnement social global, projet logement et emploi.",
        "Orientation SIAO ; participation financière selon les ressources.",
        ["envoyer-un-courriel"],
    ),
    (
        "chrs",
        "Atelier recherche de logement",
        "atelier",
        [LOGEMENT],
        ["tous-publics"],
        "gratuit",
        "Atelier hebdomadaire : demande de logement social, budget, visites, droits et devoirs du locataire.",
        "Ouvert aux personnes hébergées et aux partenaires sur inscription.",
        ["telephoner"],
    ),
    (
        "chu",
        "Mise à l'abri de nuit",
        "aide-materielle",
        [HEBERGEMENT],
        ["personnes-en-situation-durgence"],
        "gratuit",
        "Lit, repas du soir, petit-déjeuner et douche ; veille sociale la nuit.",
        "",
        ["telephoner"],
    ),
    (
        "pension",
        "Logement durable en pension de famille",
        "accompagnement",
        [LOGEMENT, MAINTIEN],
        ["seniors"],
        "payant",
        "Logement autonome sans limite de durée, espaces collectifs et présence d'hôtes.",
        "Personnes isolées à faibles ressources ; redevance avec APL.",
        ["envoyer-un-courriel"],
    ),
    (
        "fjt",
        "Logement pour jeunes actifs",
        "accompagnement",
        [LOGEMENT],
        ["jeunes"],
        "payant",
        "Logements meublés, restauration, accompagnement vers l'autonomie et l'emploi.",
        "16–30 ans en emploi, stage, alternance ou formation.",
        ["envoyer-un-courriel", "se-presenter"],
    ),
    (
        "residence",
        "Logement accompagné en résidence sociale",
        "accompagnement",
        [LOGEMENT, MAINTIEN],
        ["tous-publics"],
        "payant",
        "Logements autonomes avec accompagnement à la gestion locative.",
        "Ressources stables ou en cours d'ouverture.",
        ["envoyer-un-courriel"],
    ),
    (
        "france_travail",
        "Accompagnement intensif vers l'emploi",
        "accompagnement",
        [EMPLOI_OFFRES, EMPLOI_ENTRETIEN],
        ["demandeurs-emploi"],
        "gratuit",
        "Un conseiller dédié, des entretiens réguliers et des mises en relation.",
        "Être inscrit·e à France Travail.",
        ["se-presenter", "telephoner"],
    ),
    (
        "france_travail",
        "Ateliers numériques",
        "atelier",
        [NUMERIQUE],
        ["demandeurs-emploi"],
        "gratuit",
        "Créer son espace personnel, postuler en ligne, utiliser la messagerie.",
        "",
        ["se-presenter"],
    ),
    (
        "mission_locale",
        "Contrat d'engagement jeune",
        "accompagnement",
        [PROJET, EMPLOI_OFFRES],
        ["jeunes"],
        "gratuit",
        "Accompagnement intensif de 15 à 20 heures par semaine avec une allocation.",
        "16–25 ans (29 ans en situation de handicap).",
        ["se-presenter", "telephoner"],
    ),
    (
        "plie",
        "Parcours renforcé vers l'emploi",
        "accompagnement",
        [PROJET, EMPLOI_ENTRETIEN],
        ["beneficiaires-des-minimas-sociaux"],
        "gratuit",
        "Un référent unique, des étapes de parcours (formation, IAE, emploi) et un suivi six mois en emploi.",
        "Allocataires du RSA, demandeurs d'emploi de longue durée.",
        ["envoyer-un-courriel"],
    ),
    (
        "aci",
        "Chantier maraîchage biologique",
        "accompagnement",
        [EMPLOI_OFFRES],
        ["beneficiaires-des-minimas-sociaux"],
        "gratuit",
        "CDDI de 26 h par semaine au jardin, formation aux gestes professionnels, levée des freins.",
        "PASS IAE.",
        ["telephoner"],
    ),
    (
        "ei",
        "Postes en second œuvre du bâtiment",
        "accompagnement",
        [EMPLOI_OFFRES],
        ["demandeurs-emploi"],
        "gratuit",
        "Contrats en peinture et plâtrerie, tutorat sur chantier, préparation du permis B.",
        "PASS IAE.",
        ["telephoner"],
    ),
    (
        "rsa",
        "Orientation et accompagnement RSA",
        "accompagnement",
        [DROITS],
        ["beneficiaires-des-minimas-sociaux"],
        "gratuit",
        "Orientation vers le référent adapté, contrat d'engagement réciproque, aides à la mobilité.",
        "Être allocataire du RSA.",
        ["envoyer-un-courriel"],
    ),
    (
        "ccas",
        "Domiciliation administrative",
        "aide-materielle",
        [DROITS],
        ["tous-publics"],
        "gratuit",
        "Adresse pour recevoir son courrier et faire valoir ses droits.",
        "Lien avec la commune.",
        ["se-presenter"],
    ),
    (
        "ccas",
        "Aide à la mobilité",
        "aide-financiere",
        [MOBILITE],
        ["tous-publics"],
        "gratuit",
        "Aide ponctuelle aux transports pour un entretien ou une reprise d'emploi.",
        "Sur évaluation sociale.",
        ["se-presenter"],
    ),
]

# (structure key, name, role, phone, e-mail local part, linked demo account)
CONTACTS = [
    ("siao", "Hélène Vidal", "Coordinatrice du SIAO", "04 76 10 11 16", "h.vidal", None),
    ("chrs", "Sophie Lefèvre", "Cheffe de service", "04 76 20 30 41", "s.lefevre", "resp.chrs@demo.test"),
    ("chrs", "Camille Martin", "Travailleuse sociale", "04 76 20 30 42", "c.martin", "ts.chrs@demo.test"),
    ("chu", "Thomas Roux", "Responsable de nuit", "04 76 21 22 24", "t.roux", None),
    ("pension", "Amina Diallo", "Hôtesse", "04 76 31 32 34", "a.diallo", None),
    ("fjt", "Julien Morel", "Chargé d'accueil", "04 76 41 42 44", "j.morel", None),
    ("residence", "Claire Petit", "Gestionnaire", "04 76 51 52 54", "c.petit", None),
    ("france_travail", "Marc Dubois", "Conseiller référent partenariats", "04 76 60 00 01", "m.dubois", None),
    ("mission_locale", "Inès Moreau", "Conseillère", "04 76 61 62 64", "i.moreau", None),
    ("plie", "Nathalie Fabre", "Référente de parcours", "04 76 71 72 74", "n.fabre", None),
    (
        "aci",
        "Karim Benali",
        "Conseiller en insertion professionnelle",
        "04 76 81 82 84",
        "k.benali",
        "cip.aci@demo.test",
    ),
    ("ei", "Laurent Girard", "Encadrant technique", "04 76 91 92 94", "l.girard", None),
    ("rsa", "Sandrine Lambert", "Référente RSA", "04 76 00 12 13", "s.lambert", None),
    ("ccas", "Olivier Chevalier", "Travailleur social", "04 76 02 03 05", "o.chevalier", None),
    (
        "coordination",
        "Nadia Roussel",
        "Coordinatrice territoriale",
        "04 76 10 20 31",
        "n.roussel",
        "coordination@demo.test",
    ),
]

# (structure key, title, starts in N days, lasts N days, time, place, audience, thematiques, description, registration)
ACTIONS = [
    (
        "mission_locale",
        "Job dating hôtellerie-restauration",
        9,
        0,
        "9 h 30 – 12 h",
        "Mission locale, salle 2",
        "Jeunes de 16 à 25 ans",
        [EMPLOI_ENTRETIEN],
        "Rencontres avec six employeurs qui recrutent pour la saison.",
        "Inscription auprès du conseiller ou par téléphone.",
    ),
    (
        "aci",
        "Portes ouvertes du chantier maraîchage",
        14,
        0,
        "14 h – 17 h",
        "Chemin des Jardins, Les Granges",
        "Personnes orientables vers l'IAE et leurs référents",
        [EMPLOI_OFFRES],
        "Visite du chantier, présentation des postes en CDDI, échanges avec des salariés en parcours.",
        "Sans inscription.",
    ),
    (
        "chrs",
        "Information collective « accéder au logement social »",
        21,
        0,
        "10 h – 12 h",
        "CHRS Les Tilleuls",
        "Personnes hébergées et travailleurs sociaux",
        [LOGEMENT],
        "La demande de logement social, le numéro unique, les commissions d'attribution, les aides à l'installation.",
        "Par e-mail auprès de la cheffe de service.",
    ),
    (
        "france_travail",
        "Semaine de l'emploi dans le bâtiment",
        30,
        4,
        "9 h – 17 h",
        "Agence Vallée Nord",
        "Demandeurs d'emploi",
        [EMPLOI_OFFRES, PROJET],
        "Découverte des métiers, ateliers CV et entretiens avec des employeurs.",
        "Inscription depuis l'espace personnel France Travail.",
    ),
]


def _email(local: str, key: str) -> str:
    return f"{local}@{key.replace('_', '-')}.example.org"


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    for (
        key,
        address,
        postal_code,
        commune,
        insee,
        territory,
        phone,
        email,
        hours,
        description,
        referral,
        capacity,
        offers,
        publics,
        reviewed_days_ago,
    ) in STRUCTURES:
        item = structure(key)
        item.address = address
        item.postal_code = postal_code
        item.commune = commune
        item.insee_code = insee
        item.territory = territory
        item.phone = phone
        item.email = _email(email, key)
        item.website = f"https://{key.replace('_', '-')}.example.org"
        item.opening_hours = hours
        item.description = description
        item.referral_procedure = referral
        item.capacity = capacity
        item.housing_offers = offers
        item.publics = publics
        item.is_member = True
        item.is_iae_prescriber = item.kind in IAE_PRESCRIBER_KINDS
        reseau = RESEAU_PORTEUR_BY_KIND.get(item.kind)
        item.reseaux_porteurs = [reseau] if reseau else []
        item.reviewed_on = today - datetime.timedelta(days=reviewed_days_ago)
        item.save()
    for key, name, kind, thematiques, publics, fees, description, conditions, modes in SERVICES:
        Service.objects.update_or_create(
            structure=structure(key),
            name=name,
            defaults={
                "type": kind,
                "thematiques": thematiques,
                "publics": publics,
                "fees": fees,
                "description": description,
                "conditions": conditions,
                "mobilisation_modes": modes,
                "zone": ["38"],
            },
        )
    accounts = {user.email: user for user in User.objects.filter(email__in=[c[5] for c in CONTACTS if c[5]])}
    for key, name, role, phone, email, account in CONTACTS:
        Contact.objects.update_or_create(
            structure=structure(key),
            name=name,
            defaults={"role": role, "phone": phone, "email": _email(email, key), "user": accounts.get(account)},
        )
    for key, title, starts_in, lasts, time, place, audience, thematiques, description, registration in ACTIONS:
        starts_on = today + datetime.timedelta(days=starts_in)
        action = PartnerAction.objects.filter(structure=structure(key), title=title).first() or PartnerAction(
            structure=structure(key), title=title
        )
        action.starts_on = starts_on
        action.ends_on = starts_on + datetime.timedelta(days=lasts) if lasts else None
        action.time = time
        action.place = place
        action.commune = action.structure.commune
        action.audience = audience
        action.thematiques = thematiques
        action.description = description
        action.registration = registration
        action.save()
    # The search documents include the services created above.
    for key, *_rest in STRUCTURES:
        structure(key).refresh_search_fields()
    if stdout:
        stdout.write(
            f"partenaires: {len(STRUCTURES)} structures described, {len(SERVICES)} services, "
            f"{len(CONTACTS)} contacts, {len(ACTIONS)} coming actions"
        )
