from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"


def siret_checksum_ok(value: str) -> bool:
    """Luhn key of a SIRET; La Poste's establishments use the sum of the digits modulo 5 instead."""
    if len(value) != 14 or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN) and value != "35600000000048":
        return sum(int(digit) for digit in value) % 5 == 0
    total = 0
    for index, digit in enumerate(reversed(value)):
        number = int(digit)
        if index % 2 == 1:
            number *= 2
            if number > 9:
                number -= 9
        total += number
    return total % 10 == 0


def validate_siret(value: str) -> None:
    if not value:
        return
    if len(value) != 14 or not value.isdigit():
        raise ValidationError(_("Le SIRET doit comporter 14 chiffres."), code="siret_format")
    if not siret_checksum_ok(value):
        raise ValidationError(
            _("Ce SIRET n'est pas valide (sa clé de contrôle est fausse) : vérifiez les chiffres."),
            code="siret_checksum",
        )


def validate_insee_code(value: str) -> None:
    if value and (len(value) != 5 or not value[:2].isalnum() or not value[2:].isdigit()):
        raise ValidationError(_("Le code INSEE d'une commune comporte 5 caractères (ex. 38185)."), code="insee")


def validate_postal_code(value: str) -> None:
    if value and (len(value) != 5 or not value.isdigit()):
        raise ValidationError(_("Le code postal comporte 5 chiffres."), code="postal_code")
