import datetime

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError

from fse.enums import Programme
from fse.models import Operation
from fse.services import operation_create
from partenaires.models import Structure

PROGRAMMES = {"fse-plus": Programme.FSE_PLUS, "fse-2014": Programme.FSE_2014}


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Date invalide « {value} » : format attendu AAAA-MM-JJ.") from exc


def find_structure(name: str) -> Structure:
    structure = Structure.objects.filter(name=name).first()
    if structure is None:
        raise CommandError(f"Structure inconnue : « {name} ».")
    return structure


def _label(field: str) -> str:
    try:
        return str(Operation._meta.get_field(field).verbose_name).capitalize()
    except FieldDoesNotExist:
        return "Opération"


class Command(BaseCommand):
    help = "Crée une opération FSE (comme le formulaire de l'interface)."

    def add_arguments(self, parser):
        parser.add_argument("number", help="numéro de l'opération dans Ma Démarche FSE+")
        parser.add_argument("--title", required=True)
        parser.add_argument("--programme", required=True, choices=sorted(PROGRAMMES))
        parser.add_argument("--start", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--end", required=True, help="AAAA-MM-JJ")
        parser.add_argument("--carrier", help="nom de la structure porteuse")
        parser.add_argument("--funder", action="append", default=[], help="nom d'une structure financeuse")

    def handle(self, *args, number, title, programme, start, end, carrier, funder, **options):
        try:
            operation = operation_create(
                number=number,
                title=title,
                programme=PROGRAMMES[programme],
                start_on=parse_date(start),
                end_on=parse_date(end),
                carrier=find_structure(carrier) if carrier else None,
                funders=[find_structure(name) for name in funder],
            )
        except ValidationError as exc:
            messages = [f"{_label(field)} : {' '.join(errors)}" for field, errors in exc.message_dict.items()]
            raise CommandError("\n".join(messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Opération {operation.number} créée."))
