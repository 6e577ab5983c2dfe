"""data·inclusion referentials (package `data-inclusion-schema`, module v1), read, never retyped.

Slugs are stored in ArrayFields without model `choices` (domain.md §4): a package upgrade never creates a
migration. Forms take their choices from here; models validate slugs in `clean()` with `invalid_slugs`.

The package's labels are French: the `*_LABELS` dicts keep them as they are (search documents, validation), while
the choices and the `*_label` functions translate them through gettext (`data_inclusion_labels` lists them for
`makemessages`), so that English pages show English labels.
"""

import re
import unicodedata
from enum import Enum

from data_inclusion.schema import v1
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _lazy

NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalize(text: str) -> str:
    """Lower-case, unaccented, punctuation turned to single spaces: the form every search compares."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return NON_ALNUM.sub(" ", stripped.lower().replace("œ", "oe").replace("æ", "ae")).strip()


def _choices(enum: type[Enum]) -> list[tuple[str, str]]:
    """Sorted by the French label; each label is translated when the form is rendered."""
    ordered = sorted(((member.value, member.label) for member in enum), key=lambda choice: normalize(choice[1]))
    return [(value, _lazy(label)) for value, label in ordered]


THEMATIQUE_LABELS = {member.value: member.label for member in v1.Thematique}
CATEGORIE_LABELS = {member.value: member.label for member in v1.Categorie}
PUBLIC_LABELS = {member.value: member.label for member in v1.Public}
RESEAU_PORTEUR_LABELS = {member.value: member.label for member in v1.ReseauPorteur}
TYPE_SERVICE_LABELS = {member.value: member.label for member in v1.TypeService}
FRAIS_LABELS = {member.value: member.label for member in v1.Frais}
MODE_MOBILISATION_LABELS = {member.value: member.label for member in v1.ModeMobilisation}

PUBLIC_CHOICES = _choices(v1.Public)
RESEAU_PORTEUR_CHOICES = _choices(v1.ReseauPorteur)
TYPE_SERVICE_CHOICES = _choices(v1.TypeService)
FRAIS_CHOICES = _choices(v1.Frais)
MODE_MOBILISATION_CHOICES = _choices(v1.ModeMobilisation)


def _thematique_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Thematiques grouped by their category (optgroups), the category label first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for slug, label in THEMATIQUE_LABELS.items():
        groups.setdefault(slug.split("--")[0], []).append((slug, label))
    return [
        (
            _lazy(CATEGORIE_LABELS.get(categorie, categorie)),
            [(slug, _lazy(label)) for slug, label in sorted(items, key=lambda choice: normalize(choice[1]))],
        )
        for categorie, items in sorted(groups.items(), key=lambda item: normalize(CATEGORIE_LABELS.get(item[0], "")))
    ]


THEMATIQUE_CHOICES = _thematique_choices()
TOUS_PUBLICS = v1.Public.TOUS_PUBLICS.value

# A zone code as data·inclusion accepts it: commune (5), département (2–3), EPCI (9), country, or "france".
ZONE_CODE = re.compile(r"^(\w{5}|\w{2,3}|\d{9}|99[0-5]\d{2}|france)$")


def invalid_slugs(values, labels: dict[str, str]) -> list[str]:
    return [value for value in values or [] if value not in labels]


def _translated(labels: dict[str, str], slug: str) -> str:
    """The label of a slug in the active language; an unknown slug as it is."""
    return gettext(labels[slug]) if slug in labels else slug


def thematique_label(slug: str) -> str:
    return _translated(THEMATIQUE_LABELS, slug)


def public_label(slug: str) -> str:
    return _translated(PUBLIC_LABELS, slug)


def reseau_porteur_label(slug: str) -> str:
    return _translated(RESEAU_PORTEUR_LABELS, slug)


def type_service_label(slug: str) -> str:
    return _translated(TYPE_SERVICE_LABELS, slug) if slug else ""


def frais_label(slug: str) -> str:
    return _translated(FRAIS_LABELS, slug) if slug else ""


def mode_mobilisation_label(slug: str) -> str:
    return _translated(MODE_MOBILISATION_LABELS, slug)
